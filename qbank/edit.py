"""Writing the bank: its canonical form, new entries, and atomic, validated writes.

Nothing here writes a file that does not pass the same validation the build runs: the new text is
written to a temporary file beside the bank, validated there, and only then renamed over it, so a
failure leaves the bank byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from qbank.bank import MARKDOWN_FIELDS, Bank, display_name, encode, joined, load_bank

TOP_KEYS = ("$schema", "topics", "questions")
TOPIC_KEYS = ("slug", "title", "description")
QUESTION_KEYS = (
    "id", "topic", "question", "difficulty", "tags", "answer", "how_to_answer", "example_answer",
    "follow_ups", "references", "numbers", "diagram", "rubric", "reviewed",
)
REFERENCE_KEYS = ("title", "url")
FOLLOW_UP_KEYS = ("question", "answered_by")


def _ordered(item: dict, keys: tuple[str, ...]) -> dict:
    """Known keys in canonical order, then any others in their original order (nothing dropped)."""
    return {**{k: item[k] for k in keys if k in item}, **{k: v for k, v in item.items() if k not in keys}}


def lines(value: object) -> object:
    """A Markdown field as the list of its lines: the file's canonical layout, so that a changed word
    is a changed line in a diff. Exactly reversible by joining with newlines."""
    text = joined(value)
    return text.split("\n") if isinstance(text, str) else value


def _question(question: dict) -> dict:
    for name, keys in (("references", REFERENCE_KEYS), ("follow_ups", FOLLOW_UP_KEYS)):
        items = question.get(name)
        if isinstance(items, list):
            question = {**question, name: [_ordered(i, keys) if isinstance(i, dict) else i for i in items]}
    question = {**question, **{k: lines(question[k]) for k in MARKDOWN_FIELDS if k in question}}
    return _ordered(question, QUESTION_KEYS)


def reader_form(document: dict) -> dict:
    """The bank with each Markdown field as one string: the downloadable JSON, as readers expect."""
    questions = [{**q, **{k: joined(q[k]) for k in MARKDOWN_FIELDS if k in q}} if isinstance(q, dict) else q
                 for q in document.get("questions", [])]
    return {**document, "questions": questions}


def canonical(document: dict) -> dict:
    """The bank in canonical form: keys in schema order, questions grouped by topic in topic order,
    Markdown fields as lists of lines.

    Nothing is lost: every key and value is kept, including ones the schema does not know, and a
    Markdown field's lines join back to exactly its text.
    """
    topics = [_ordered(t, TOPIC_KEYS) if isinstance(t, dict) else t for t in document.get("topics", [])]
    order = {t.get("slug"): n for n, t in enumerate(topics) if isinstance(t, dict)}
    questions = [_question(q) if isinstance(q, dict) else q for q in document.get("questions", [])]
    questions.sort(key=lambda q: order.get(q.get("topic") if isinstance(q, dict) else None, len(order)))
    return _ordered({**document, "topics": topics, "questions": questions}, TOP_KEYS)


def dumps(document: dict) -> str:
    """The canonical text of a bank document: two-space indentation, UTF-8, a final newline."""
    return json.dumps(canonical(document), indent=2, ensure_ascii=False) + "\n"


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename; on any error the old file stays as it was.

    Raises BankError, before touching anything, when `text` cannot be stored as UTF-8.
    """
    data = encode(display_name(path), text)
    target = path.resolve()  # a symlinked bank is written through the link, which stays a link
    with _temporary_beside(target) as temporary:
        temporary.write_bytes(data)
        temporary.chmod(target.stat().st_mode & 0o777)
        temporary.replace(target)


def write_validated(path: Path, text: str) -> Bank:
    """Validate `text` as the bank at `path`, then atomically replace `path` with it.

    Raises BankError (with locations in `text`, reported under `path`'s name) and leaves `path`
    untouched when the text is not a valid bank.
    """
    data = encode(display_name(path), text)
    target = path.resolve()
    with _temporary_beside(target) as temporary:
        temporary.write_bytes(data)
        bank = load_bank(temporary, display=display_name(path))
        temporary.chmod(target.stat().st_mode & 0o777)
        temporary.replace(target)
    return bank


def insert_question(document: dict, entry: dict) -> dict:
    """The document with `entry` appended after the last question of its topic (or at the end)."""
    questions = list(document.get("questions", []))
    same_topic = [n for n, q in enumerate(questions) if q.get("topic") == entry.get("topic")]
    position = same_topic[-1] + 1 if same_topic else len(questions)
    questions.insert(position, entry)
    return {**document, "questions": questions}
