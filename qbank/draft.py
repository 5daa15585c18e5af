"""A question being written: per-field checks, ids, and the draft file a contributor fills in.

The draft file is Markdown: a header of one-line fields, then a `# field` line before each long
field (answers may not contain headings, so these lines cannot be confused with the text) and
guidance in `<!-- -->` comments (answers may not contain HTML, so stripping them loses nothing).
`new --file` writes one, `new --from` reads it back, and `new` keeps what was typed in one when it
is interrupted or the result does not validate, so no work is ever lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from qbank.bank import (
    DIFFICULTIES,
    ROOT,
    _describe,
    _schema,
    _texts,
    question_tokens,
    text_problems,
)

DRAFTS = ROOT / ".drafts"
HEADER_FIELDS = ("id", "topic", "difficulty", "tags", "question")
LONG_FIELDS = ("answer", "how_to_answer", "example_answer", "follow_ups", "references", "rubric")
LIST_FIELDS = ("follow_ups", "references", "rubric")
GUIDANCE = {
    "id": "the question's permanent link: lowercase words joined by hyphens; leave empty to derive it",
    "topic": "one of the topic slugs listed below",
    "difficulty": "foundational (any ML engineer), intermediate (a practising ML infra engineer) or advanced",
    "tags": "1 to 6 lowercase slugs, comma-separated; add scenario for a 'what would you do' question",
    "question": "plain text, as an interviewer asks it (10-300 characters; no backticks or HTML)",
    "answer": "Markdown: the idea, concrete tools, a trade-off or failure mode, numbers with the arithmetic. "
              "One sentence per line; an empty line between paragraphs.",
    "how_to_answer": "Markdown: what the interviewer listens for, and the common weak answer.",
    "example_answer": "Markdown: how a strong candidate says it, first person, about a minute.",
    "follow_ups": "Optional: questions an interviewer asks next, one per line, each starting with '- '; "
                  "when another question of the bank answers one, end it with ' | ' and that question's id.",
    "references": "Optional: primary sources, one per line: '- Title | https://...'",
    "rubric": "3-6 points the interviewer ticks while listening, drawn from how_to_answer; plain text, "
              "one per line, each starting with '- '.",
}
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SECTION = re.compile(r"^# ([a-z_]+)[ \t]*$")
# Words an id should not end on: it would read as a phrase cut short.
_DANGLING = frozenset("after before during with without over under per via from into than about between "
                      "one two three four five six seven eight nine ten".split())
MAX_ID_WORDS = 7
MAX_ID_LENGTH = 60


def follow_up_item(line: str) -> str | dict[str, str]:
    """A follow-up as typed in a draft or at a prompt: `question`, or `question | id` when the bank
    question with that id answers it."""
    text, bar, target = line.rpartition(" | ")
    return {"question": text.strip(), "answered_by": target.strip()} if bar else line.strip()


def follow_up_line(item: object) -> str:
    """A follow-up of the bank written back as a draft line (the reverse of follow_up_item)."""
    if isinstance(item, dict):
        return f"{item.get('question', '')} | {item.get('answered_by', '')}"
    return str(item)


def derive_id(question: str) -> str:
    """An id from the question: its first content words, at most MAX_ID_WORDS and MAX_ID_LENGTH
    characters, ending at a whole word that does not leave a phrase hanging."""
    content = question_tokens(question)
    words = [w for w in re.findall(r"[a-z0-9]+", question.lower()) if w in content]
    chosen: list[str] = []
    for word in words:
        if len(chosen) == MAX_ID_WORDS or len("-".join([*chosen, word])) > MAX_ID_LENGTH:
            break
        chosen.append(word)
    while len(chosen) > 2 and (chosen[-1] in _DANGLING or chosen[-1].isdigit()):
        chosen.pop()
    return "-".join(chosen)


def _property_validator() -> Draft202012Validator:
    schema = _schema()
    return Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"],
                                 "$ref": "#/$defs/question"})


def field_problems(name: str, value: object) -> list[str]:
    """What is wrong with one field's value on its own, as messages with fixes."""
    question = _schema()["$defs"]["question"]
    problems = []
    if value in (None, "", []):
        return [f"{name!r} is required; {GUIDANCE[name]}"] if name in question["required"] else []
    for error in _property_validator().iter_errors({name: value}):
        if error.validator in ("required", "additionalProperties") or not error.absolute_path:
            continue
        problems.append(_describe(error)[1])
    if problems:
        return problems
    # The bank's own walk over a question's strings says which are Markdown and which plain text.
    texts = _texts({"topics": [], "questions": [{name: value}]}) if name not in ("id", "topic", "tags") else ()
    return [message for _, text, markdown in texts for message in text_problems(text, markdown)]


@dataclass
class Draft:
    """A question as far as it has been written; every field optional until it is submitted."""

    values: dict[str, object] = field(default_factory=dict)

    def entry(self) -> dict[str, object]:
        """The bank entry: the fields that have a value (edit.dumps puts them in canonical form)."""
        return {name: value for name, value in self.values.items() if value not in (None, "", [])}

    def render(self, topics: list[str]) -> str:
        """The draft as a file to fill in."""
        lines = [
            "<!-- A new question for data/questions.json. Fill in each part, then add it with:",
            "       .venv/bin/python -m qbank new --from THIS_FILE",
            "     Text inside these comment markers is guidance and is ignored. -->",
            "---",
        ]
        for name in HEADER_FIELDS:
            value = self.values.get(name) or ""
            value = ", ".join(value) if isinstance(value, list) else value
            lines.append(f"<!-- {name}: {GUIDANCE[name]} -->")
            lines.append(f"{name}: {value}".rstrip())
        lines += [f"<!-- topics: {', '.join(topics)} -->", "---", ""]
        for name in LONG_FIELDS:
            lines += [f"# {name}", f"<!-- {GUIDANCE[name]} -->"]
            value = self.values.get(name) or ([] if name in LIST_FIELDS else "")
            if name == "references":
                lines += [f"- {r['title']} | {r['url']}" for r in value]  # type: ignore[index, union-attr]
            elif name == "follow_ups":
                lines += [f"- {follow_up_line(item)}" for item in value]  # type: ignore[union-attr]
            elif name in LIST_FIELDS:
                lines += [f"- {item}" for item in value]  # type: ignore[union-attr]
            else:
                lines += ["\n".join(value) if isinstance(value, list) else str(value)]
            lines.append("")
        return "\n".join(lines)

    def save(self, topics: list[str], path: Path) -> Path:
        """Keep the draft in a file (a folder is given a file named after the id); returns its path.
        Characters that cannot be stored (a lone surrogate) are kept as visible escapes."""
        if path.is_dir() or not path.suffix:
            path.mkdir(parents=True, exist_ok=True)
            path = path / f"{self.values.get('id') or 'question'}.md"
        path.write_text(self.render(topics), encoding="utf-8", errors="backslashreplace")
        return path


def drafts_for(bank: Path) -> Path:
    """Where drafts of questions for this bank are kept: .drafts/ in the repository for the real
    bank (git ignores it), beside any other bank file."""
    return DRAFTS if bank.resolve() == (ROOT / "data" / "questions.json").resolve() else bank.parent / ".drafts"


class DraftError(ValueError):
    """A draft file that cannot be read, with the line to fix."""


def parse(text: str, display: str) -> Draft:
    """Read a draft file back; DraftError names the line of anything it cannot read."""
    stripped = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = stripped.split("\n")
    values: dict[str, object] = {}
    fences = [n for n, line in enumerate(lines) if line.strip() == "---"]
    if len(fences) < 2:
        raise DraftError(f"{display}:1: the header between two '---' lines is missing; start again with `new --file`")
    for n in range(fences[0] + 1, fences[1]):
        line = lines[n]
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_FIELDS:
            raise DraftError(f"{display}:{n + 1}: expected 'name: value' with a name among "
                             f"{', '.join(HEADER_FIELDS)}, not {line.strip()!r}")
        value = value.strip()
        values[key.strip()] = [t.strip() for t in value.split(",") if t.strip()] if key.strip() == "tags" else value
    current, body = None, {}
    for n in range(fences[1] + 1, len(lines)):
        section = _SECTION.match(lines[n])
        if section:
            current = section.group(1)
            if current not in LONG_FIELDS:
                raise DraftError(f"{display}:{n + 1}: unknown part '# {current}'; the parts are "
                                 f"{', '.join(LONG_FIELDS)}")
            body[current] = []
        elif current:
            body[current].append((n + 1, lines[n]))
    for name, numbered in body.items():
        content = [line for _, line in numbered]
        while content and not content[-1].strip():
            content.pop()
        while content and not content[0].strip():
            content.pop(0)
        if name not in LIST_FIELDS:
            values[name] = "\n".join(content)
            continue
        items = []
        for number, line in numbered:
            if not line.strip():
                continue
            if not line.startswith("- "):
                raise DraftError(f"{display}:{number}: each item of '{name}' is one line starting with '- '")
            item = line[2:].strip()
            if name == "references":
                title, bar, url = item.rpartition("|")
                if not bar:
                    raise DraftError(f"{display}:{number}: write a reference as '- Title | https://...'")
                items.append({"title": title.strip(), "url": url.strip()})
            elif name == "follow_ups":
                items.append(follow_up_item(item))
            else:
                items.append(item)
        values[name] = items
    return Draft(values)


def section_lines(text: str) -> dict[str, int]:
    """The line of each field in a draft file, to point a message at it."""
    found = {}
    for n, line in enumerate(text.split("\n"), 1):
        header = re.match(r"([a-z_]+):", line)
        section = _SECTION.match(line)
        name = section.group(1) if section else header.group(1) if header else None
        if name in (*HEADER_FIELDS, *LONG_FIELDS) and name not in found:
            found[name] = n
    return found


def difficulty_choice(answer: str) -> str:
    """A difficulty typed as its name, its first letters or its number in the list."""
    answer = answer.strip().lower()
    if answer.isdigit() and 1 <= int(answer) <= len(DIFFICULTIES):
        return DIFFICULTIES[int(answer) - 1]
    matches = [d for d in DIFFICULTIES if d.startswith(answer)] if answer else []
    return matches[0] if len(matches) == 1 else answer
