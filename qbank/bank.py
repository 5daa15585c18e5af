"""The question bank: load data/questions.json, validate it, and hand out typed, frozen objects.

Every problem is reported as ``FILE:LINE:COL: question 'id': what is wrong; how to fix it``, the
same in the build, in ``python -m qbank check``, in CI and in pre-commit.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, ValidationError

from qbank import diagrams, jsonpos
from qbank.diagrams import Diagram
from qbank.text import MarkdownText, PlainText, Slug

ROOT = Path(__file__).resolve().parent.parent
BANK_PATH = ROOT / "data" / "questions.json"
SCHEMA_PATH = ROOT / "data" / "questions.schema.json"

Difficulty = Literal["foundational", "intermediate", "advanced"]
DIFFICULTIES: tuple[Difficulty, ...] = ("foundational", "intermediate", "advanced")
# The fields holding contributor Markdown; every other string field is plain text (qbank/text.py).
# In the file each is a list of its lines (one sentence per line reads best in a diff); a single
# string is read the same way, and `fmt` turns it into lines.
MARKDOWN_FIELDS = ("answer", "how_to_answer", "example_answer")
MAX_TEXT_LENGTH = 8000


def joined(value: object) -> object:
    """A Markdown field's text: its lines joined with newlines (a string stays as it is)."""
    return "\n".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
SCENARIO_TAG = "scenario"
NEAR_DUPLICATE_THRESHOLD = 0.75


@dataclass(frozen=True)
class Reference:
    """A primary source for a question."""

    title: PlainText
    url: PlainText


@dataclass(frozen=True)
class FollowUp:
    """A question an interviewer asks next, and the bank question that answers it, if there is one."""

    question: PlainText
    answered_by: Slug | None = None


@dataclass(frozen=True)
class Topic:
    """A topic: one page of the site."""

    slug: Slug
    title: PlainText
    description: PlainText


@dataclass(frozen=True)
class Question:
    """One interview question with its full answer."""

    id: Slug
    topic: Slug
    question: PlainText
    difficulty: Difficulty
    tags: tuple[Slug, ...]
    answer: MarkdownText
    how_to_answer: MarkdownText
    example_answer: MarkdownText
    follow_ups: tuple[FollowUp, ...] = ()
    references: tuple[Reference, ...] = ()
    numbers: tuple[Slug, ...] = ()  # ids of data/numbers.json entries the answer uses
    diagram: Diagram | None = None
    rubric: tuple[PlainText, ...] = ()
    reviewed: PlainText | None = None  # year-month, checked by the schema's pattern


@dataclass(frozen=True)
class Bank:
    """The validated bank: topics in site order and questions in bank order."""

    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    # Line of each question's "id" in the file, for "suggest an edit" links; empty if unknown.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        """Every question by its id."""
        return {q.id: q for q in self.questions}

    def topic(self, slug: str) -> Topic:
        """The topic with this slug; KeyError names the known ones."""
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        known = ", ".join(t.slug for t in self.topics)
        raise KeyError(f"no topic {slug!r} in the bank; known topics: {known}")

    def questions_in(self, slug: str) -> tuple[Question, ...]:
        """The questions of one topic, in bank order."""
        return tuple(q for q in self.questions if q.topic == slug)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the bank, located and with a fix."""

    file: str
    line: int
    col: int
    subject: str
    message: str

    def __str__(self) -> str:
        subject = f" {self.subject}:" if self.subject else ""
        return f"{self.file}:{self.line}:{self.col}:{subject} {self.message}"


class BankError(Exception):
    """The bank has problems; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{count} in the question bank:\n" + "\n".join(map(str, problems)))


@dataclass(frozen=True)
class _Source:
    """The raw document with what is needed to point at a value in it."""

    display: str
    text: str
    offsets: dict[jsonpos.Path, int]
    data: dict[str, object]
    lines: jsonpos.LineIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", jsonpos.LineIndex(self.text))

    def problem(self, path: jsonpos.Path, message: str) -> Problem:
        offset = self._nearest_offset(path)
        where = self.lines.position(offset)
        return Problem(self.display, where.line, where.col, self._subject(path), message)

    def _nearest_offset(self, path: jsonpos.Path) -> int:
        while path not in self.offsets and path:
            path = path[:-1]
        return self.offsets.get(path, 0)

    def _subject(self, path: jsonpos.Path) -> str:
        items = self.data.get(path[0]) if path else None
        if len(path) < 2 or not isinstance(items, list) or not isinstance(path[1], int) or path[1] >= len(items):
            return ""
        return _subject(path, items[path[1]])


_SUBJECTS = {"questions": ("question", "id"), "topics": ("topic", "slug")}


def _subject(path: jsonpos.Path, item: object) -> str:
    """How a message names the question or topic at path[:2] (``question 'id'``), or "" outside them."""
    if len(path) < 2 or path[0] not in _SUBJECTS or not isinstance(path[1], int):
        return ""
    kind, key = _SUBJECTS[cast(str, path[0])]
    name = item.get(key) if isinstance(item, dict) else None
    if isinstance(name, str) and name:
        return f"{kind} {name!r}"
    return f"{kind} #{path[1] + 1}"


def _enclosing(text: str, offset: int) -> tuple[jsonpos.Path, str]:
    """The path at `offset` in text that may not parse, and the question or topic it is inside.

    A lenient second reading recovers what the strict one refused to finish, so a syntax error in
    a question is still reported under its id.
    """
    outline = jsonpos.scan(text)
    path = outline.path_at(offset)
    return path, _subject(path, outline.containers.get(path[:2]))


def display_name(path: Path) -> str:
    """How messages name a file: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _schema() -> dict:
    """The bank's JSON Schema, checked to be a valid 2020-12 schema."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def _schema_validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    """Validators for the bank with its questions' contents left out, and for one question."""
    schema = _schema()
    questions = {**schema["properties"]["questions"], "items": {}}
    outer = {**schema, "properties": {**schema["properties"], "questions": questions}}
    one = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/question"}
    return Draft202012Validator(outer), Draft202012Validator(one)


def _required_fields() -> frozenset[str]:
    """Fields the schema requires of the bank, a topic or a question."""
    schema = _schema()
    return frozenset(schema.get("required", ())).union(*(d.get("required", ()) for d in schema["$defs"].values()))


def _schema_errors(data: object, valid: set[bytes] | None = None) -> list[ValidationError]:
    """Every schema error in the document, each question checked on its own. `valid` holds digests
    of questions already known to pass (a `mkdocs serve` rebuild passes the previous build's set:
    an edit changes one question, not all of them); questions that pass are added to it."""
    valid = set() if valid is None else valid
    outer, one = _schema_validators()
    errors = list(outer.iter_errors(data))
    questions = data.get("questions") if isinstance(data, dict) else None
    for n, item in enumerate(questions if isinstance(questions, list) else ()):
        digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).digest()
        if digest in valid:
            continue
        found = list(one.iter_errors(item))
        for error in found:
            error.path.extendleft(reversed(("questions", n)))
        if not found:
            valid.add(digest)
        errors += found
    return errors


def _read_text(path: Path, display: str) -> str:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise BankError([
            Problem(display, 1, 1, "", "the file starts with a byte-order mark; save it as UTF-8 without BOM")
        ])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        offset = len(raw[: error.start].decode("utf-8"))
        _, subject = _enclosing(raw.decode("utf-8", errors="replace"), offset)
        message = f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8"
        raise BankError([Problem(display, line, col, subject, message)]) from None


def _parse(path: Path, display: str | None = None) -> _Source:
    display = display or display_name(path)
    text = _read_text(path, display)
    try:
        parsed = jsonpos.parse(text)
    except jsonpos.JSONSyntaxError as error:
        where = error.position
        _, subject = _enclosing(text, error.offset)
        raise BankError([Problem(display, where.line, where.col, subject, f"invalid JSON: {error.message}")]) from None
    data = parsed.value if isinstance(parsed.value, dict) else {}
    return _Source(display, text, parsed.offsets, data)


def _field_name(error: ValidationError) -> str:
    names = [p for p in error.absolute_path if isinstance(p, str)]
    return names[-1] if names else "the bank"


def _known_fields(error: ValidationError) -> list[str]:
    properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return sorted(properties)


_JSON_TYPES = {str: "string", list: "array", dict: "object", bool: "boolean", int: "integer", float: "number",
               type(None): "null"}
_OBJECT_EXAMPLES = {
    "references": '{"title": "...", "url": "https://..."}',
    "topics": '{"slug": "...", "title": "...", "description": "..."}',
}


def _type_fix(field: str, expected: object, instance: object) -> str:
    """A wrong-type message that says what to write instead."""
    # A Markdown field may be a list of lines or one string: say "string", the simpler of the two.
    wanted = expected if isinstance(expected, str) else "string" if "string" in cast(list, expected) \
        else "/".join(map(str, cast(list, expected)))
    got = _JSON_TYPES.get(type(instance), type(instance).__name__)
    if wanted == "array" and isinstance(instance, str):
        # The usual slip: several values typed as one string, "a, b" for ["a", "b"].
        items = [part.strip() for part in instance.split(",") if part.strip()] or ["..."]
        fix = f"write it as a list in square brackets: {json.dumps(items, ensure_ascii=False)}"
    elif wanted == "array":
        fix = 'write it as a list in square brackets, e.g. ["first", "second"]'
    elif wanted == "string" and got in ("integer", "number"):
        fix = f"put it in double quotes: {json.dumps(json.dumps(instance))}"
    elif wanted == "string":
        fix = 'write the text in double quotes, e.g. "..."'
    elif field == "the bank":
        fix = "the file must be one JSON object; start from the example in CONTRIBUTING.md"
    elif field in _OBJECT_EXAMPLES:
        fix = f"write it as an object in braces: {_OBJECT_EXAMPLES[field]}"
    else:
        fix = "write it as an object in braces with the fields CONTRIBUTING.md lists (see its complete example)"
    return f"{field!r} must be of type {wanted}, not {got}; {fix}"


def _describe(error: ValidationError) -> tuple[jsonpos.Path, str]:
    """Turn a schema error into a path to point at and a message with a fix."""
    path = tuple(error.absolute_path)
    field = _field_name(error)
    kind = error.validator
    if kind == "additionalProperties":
        known = _known_fields(error)
        extra = [k for k in cast(dict, error.instance) if k not in known]
        unknown = extra[0] if extra else "?"
        close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed fields: {', '.join(known)}"
        return (*path, unknown), f"unknown field {unknown!r}; {hint}"
    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        if name == "rubric":
            return path, ("missing required field 'rubric'; add 3 to 6 points an interviewer ticks while "
                          "listening, drawn from 'how_to_answer'")
        return path, f"missing required field {name!r}; add it (see CONTRIBUTING.md for what it holds)"
    if kind == "type":
        return path, _type_fix(field, error.validator_value, error.instance)
    if kind == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return path, f"{field!r} is {error.instance!r}; use one of: {allowed}"
    if kind == "const":
        wanted = json.dumps(error.validator_value)
        return path, f"{field!r} must be {wanted}, not {json.dumps(error.instance)}; set it to exactly {wanted}"
    if kind == "pattern" and field == "reviewed":
        return path, (f"'reviewed' is {error.instance!r}; write the year and month you checked the answer, "
                      'e.g. "2026-12"')
    if kind == "pattern" and field == "url":
        return path, f"link {error.instance!r} is not an https URL; use an https:// address"
    if kind == "pattern":
        slug = re.sub(r"[^a-z0-9]+", "-", str(error.instance).lower()).strip("-") or "some-slug"
        what = "tag" if isinstance(path[-1], int) else field
        return path, (
            f"{what} {error.instance!r} is not a slug; use lowercase letters, digits and single "
            f"hyphens, e.g. {slug!r}"
        )
    if kind == "minLength":
        if error.instance == "":
            return path, f"{field!r} is empty; write the text or remove the field if it is optional"
        return path, f"{field!r} is too short (under {error.validator_value} characters); say more"
    if kind == "maxLength":
        return path, (
            f"{field!r} is {len(error.instance)} characters, over the limit of "
            f"{error.validator_value}; shorten it or split the question"
        )
    if kind == "minItems":
        required = field in _required_fields()
        fix = "add one" if required else "add one or remove the field"
        return path, f"{field!r} needs at least {error.validator_value} item(s); {fix}"
    if kind == "maxItems":
        return path, f"{field!r} has more than {error.validator_value} items; keep the best ones"
    if kind == "uniqueItems":
        return path, f"{field!r} lists the same value twice; remove the repeat"
    return path, f"{field!r}: {error.message}; change it to what {SCHEMA_PATH.name} allows (see CONTRIBUTING.md)"


def check_schema(source: _Source, valid: set[bytes] | None = None) -> list[Problem]:
    """Problems the JSON Schema finds, one per error, each located and with a fix."""
    errors = sorted(_schema_errors(source.data, valid), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for error in errors:
        path, message = _describe(error)
        problems.append(source.problem(path, message))
    return problems


def _topic(item: dict) -> Topic:
    return Topic(Slug(item["slug"]), PlainText(item["title"]), PlainText(item["description"]))


def _follow_up(item: str | dict) -> FollowUp:
    if isinstance(item, str):
        return FollowUp(PlainText(item))
    return FollowUp(PlainText(item["question"]), Slug(item["answered_by"]))


def _question(item: dict) -> Question:
    return Question(
        id=Slug(item["id"]),
        topic=Slug(item["topic"]),
        question=PlainText(item["question"]),
        difficulty=item["difficulty"],
        tags=tuple(Slug(tag) for tag in item["tags"]),
        answer=MarkdownText(joined(item["answer"])),
        how_to_answer=MarkdownText(joined(item["how_to_answer"])),
        example_answer=MarkdownText(joined(item["example_answer"])),
        follow_ups=tuple(_follow_up(f) for f in item.get("follow_ups", ())),
        references=tuple(Reference(PlainText(r["title"]), PlainText(r["url"])) for r in item.get("references", ())),
        numbers=tuple(Slug(n) for n in item.get("numbers", ())),
        diagram=diagrams.parse(item["diagram"]["title"], item["diagram"]["edges"]) if "diagram" in item else None,
        rubric=tuple(PlainText(point) for point in item.get("rubric", ())),
        reviewed=PlainText(item["reviewed"]) if "reviewed" in item else None,
    )


def _build(data: dict[str, object], lines: Mapping[str, int] | None = None) -> Bank:
    """Type a schema-valid document: every string becomes a Slug, PlainText or MarkdownText."""
    topics = tuple(_topic(t) for t in cast(list[dict], data["topics"]))
    questions = tuple(_question(q) for q in cast(list[dict], data["questions"]))
    return Bank(topics, questions, dict(lines or {}))


# --- Rules a schema cannot express -------------------------------------------------------------

_TEXT_RULES: tuple[tuple[re.Pattern[str], bool, str], ...] = (
    # (pattern, also inside code?, message with fix)
    (re.compile(r"\{\{|\{%|\{#"), True, "template syntax ({{, {% or {#) is not allowed; reword it"),
    (re.compile(r"-+8<-+"), True, "snippet-include markers (--8<--) are not allowed; paste the text instead"),
    (re.compile(r"<\s*/?\s*[A-Za-z!?]"), False, "raw HTML is not allowed; use Markdown, or put code in backticks"),
    (re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"), False,
     "HTML character references are not allowed; type the character itself"),
    (re.compile(r"\{\s*[:.#]"), False, "attribute-list syntax ({: ...}) is not allowed; remove it"),
    (re.compile(r"^ {0,3}#{1,6}(\s|$)", re.M), False,
     "headings are not allowed inside a question's text; use **bold** or a list"),
)
# Plain-text fields are shown as typed (backticks too), so their rules see all of the text.
_PLAIN_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_TEXT_RULES[0][0], _TEXT_RULES[0][2]),
    (_TEXT_RULES[1][0], _TEXT_RULES[1][2]),
    (_TEXT_RULES[2][0], "is plain text and may not contain HTML tags; write the words without angle brackets"),
    (_TEXT_RULES[3][0], "is plain text; type the character itself instead of an HTML character reference"),
    (re.compile(r"`"), "is plain text, so backticks would show as typed; write the name without them"),
)
_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^)\s>]*)"),  # inline link or image
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(\s|$)", re.M),  # reference-style definition
)
_INVISIBLE = re.compile("[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
                        "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "contains a lone surrogate (broken UTF-16 escape); retype the character"
# Markdown conversion slows down with the square of the number of link brackets and backtick runs
# in one text; these caps keep every text's conversion and checks fast (real answers use a few).
MAX_BRACKETS = 64
MAX_BACKTICKS = 400
_BACKTICK_RUN = re.compile(r"`+")
_FENCE_LINE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
# Lists and quotes nested this deep are no answer's layout, and much deeper ones exhaust the
# Markdown converter's recursion.
MAX_NESTING = 8
_DEEP_NESTING = re.compile(rf"^[ \t]*(?:>[ \t]*|(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_NESTING + 1}}}", re.M)
# Anki runs these in a card: media tags, LaTeX, and MathJax delimiters (a Markdown \\( renders as \().
_ANKI_SYNTAX = re.compile(r"\[(?:sound:|/?latex\]|/?\$\$?\])", re.I)
_MATHJAX = re.compile(r"\\\\[(\[]")
_MATHJAX_PLAIN = re.compile(r"\\[(\[]")
_MATHJAX_MESSAGE = "holds a MathJax delimiter, which Anki would render as maths; reword it"
# A "\\n" typed as two characters (a backslash, then n), where a line break was meant.
_LITERAL_NEWLINE = re.compile(r"\\n")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline code spans are, in linear time: a run of backticks opens a span that the
    next run of the same length closes (a run with no such partner is literal)."""
    runs = list(_BACKTICK_RUN.finditer(text))
    partner: list[int | None] = [None] * len(runs)
    later: dict[int, int] = {}
    for n in range(len(runs) - 1, -1, -1):
        length = len(runs[n].group())
        partner[n] = later.get(length)
        later[length] = n
    spans, n = [], 0
    while n < len(runs):
        close = partner[n]
        if close is None:
            n += 1
        else:
            spans.append((runs[n].start(), runs[close].end()))
            n = close + 1
    return spans


def fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Where the fenced code blocks are: from an opening fence line to the next line with the same
    indentation and fence (``` or ~~~ of the same length) and nothing else; found line by line."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    closers: dict[tuple[str, str], list[int]] = {}
    for n, (_, line) in enumerate(lines):
        fence = _FENCE_LINE.match(line)
        if fence and not fence.group(3).strip(" \t"):
            closers.setdefault(fence.group(1, 2), []).append(n)
    blocks, n = [], 0
    while n < len(lines):
        fence = _FENCE_LINE.match(lines[n][1])
        candidates = closers.get(fence.group(1, 2), []) if fence else []
        after = bisect.bisect_right(candidates, n)
        close = candidates[after] if after < len(candidates) else None
        if close is None:
            n += 1
        else:
            start, (end_offset, end_line) = lines[n][0], lines[close]
            blocks.append((start, end_offset + len(end_line)))
            n = close + 1
    return blocks


def _strip_code(text: str) -> str:
    """Blank out code so rules about prose do not fire on code samples (lengths are kept)."""
    chars = list(text)
    for start, end in fenced_blocks(text):
        chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]
    blanked = "".join(chars)
    for start, end in code_spans(blanked):
        chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]
    return "".join(chars)


@dataclass(frozen=True)
class TextFinding:
    """One thing wrong in a text: the message with its fix, and where in the text it is."""

    message: str
    offset: int | None = None  # of the offending characters, when one place is to blame
    found: str = ""  # those characters, quoted in the message


def text_problems(text: str, markdown: bool = True) -> tuple[str, ...]:
    """What is wrong with one piece of contributor text (Markdown, or with markdown=False plain
    text), as messages with fixes."""
    return tuple(f.message for f in text_findings(text, markdown))


def text_findings(text: str, markdown: bool = True, clean: set[bytes] | None = None) -> tuple[TextFinding, ...]:
    """What is wrong with one piece of contributor text, each with where it is.

    `clean` holds digests of texts already found clean (a `mkdocs serve` rebuild passes the previous
    build's set: it checks mostly the same texts again; digests, so the old bank's texts are not kept
    alive); a text found clean is added to it.
    """
    digest = hashlib.sha256(f"{markdown}\0{text}".encode("utf-8", "surrogatepass")).digest()
    if clean is not None and digest in clean:
        return ()
    found = tuple(_text_problems(text) if markdown else _plain_text_problems(text))
    if not found and clean is not None:
        clean.add(digest)
    return found


def _quoted(text: str, match: re.Match[str]) -> str:
    """The characters a rule matched, a whole tag when it matched the start of one."""
    end = text.find(">", match.start(), match.start() + 80) + 1 if match.group().startswith("<") else 0
    return text[match.start():end or match.end()]


def _character_problems(text: str) -> list[TextFinding]:
    found: list[TextFinding] = []
    surrogate = _SURROGATE.search(text)
    if surrogate:
        found.append(TextFinding(_SURROGATE_MESSAGE, surrogate.start()))
    invisible = _INVISIBLE.search(text) or _CONTROL.search(text)
    if invisible:
        name = unicodedata.name(invisible.group(), f"U+{ord(invisible.group()):04X}")
        found.append(TextFinding(f"contains the invisible or bidirectional control character {name}; delete it",
                                 invisible.start()))
    if text != text.strip():
        found.append(TextFinding("starts or ends with whitespace; trim it"))
    return found


def _plain_text_problems(text: str) -> list[TextFinding]:
    found = _character_problems(text)
    for pattern, message in (*_PLAIN_TEXT_RULES,
                             (_ANKI_SYNTAX, "holds Anki syntax, which would run in the Anki deck; reword it"),
                             (_MATHJAX_PLAIN, _MATHJAX_MESSAGE)):
        match = pattern.search(text)
        if match:
            found.append(TextFinding(message, match.start(), _quoted(text, match)))
    return found


def _text_problems(text: str) -> list[TextFinding]:
    found = _character_problems(text)
    if len(text) > MAX_TEXT_LENGTH:
        found.append(TextFinding(f"is {len(text)} characters, over the limit of {MAX_TEXT_LENGTH}; "
                                 "shorten it or split the question"))
    brackets, backticks = text.count("["), text.count("`")
    if brackets > MAX_BRACKETS or backticks > MAX_BACKTICKS:
        found.append(TextFinding(
            f"has {brackets} '[' and {backticks} backtick characters; at most {MAX_BRACKETS} and "
            f"{MAX_BACKTICKS} are allowed in one text (they make Markdown conversion slow); "
            "use fewer links and code spans"))
        return found
    prose = _strip_code(text)
    for pattern, in_code, message in _TEXT_RULES:
        match = pattern.search(text if in_code else prose)
        if match:
            found.append(TextFinding(message, match.start(), _quoted(text, match)))
    for pattern, message in ((_DEEP_NESTING, f"nests lists or quotes more than {MAX_NESTING} levels deep; flatten it"),
                             (_ANKI_SYNTAX, "holds Anki syntax, which would run in the Anki deck; reword it"),
                             (_MATHJAX, _MATHJAX_MESSAGE)):
        match = pattern.search(prose)
        if match:
            found.append(TextFinding(message, match.start(), match.group()))
    literal = _LITERAL_NEWLINE.search(prose)
    if literal:
        found.append(TextFinding("holds a backslash and n, not a line break; start a new line (a new item of "
                                 "the list) instead, or use an empty line between paragraphs",
                                 literal.start(), literal.group()))
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(prose):
            target = match.group(1)
            if not target.startswith("https://"):
                found.append(TextFinding(f"link target {target!r} is not an https URL; use an https:// address",
                                         match.start(1), target))
    return found


def _texts(data: dict[str, object]) -> Iterator[tuple[jsonpos.Path, str, bool]]:
    """Every string of every topic and question: (path, text, is it Markdown?)."""
    for group in ("topics", "questions"):
        for index, item in enumerate(cast(list[dict], data[group])):
            for key, value in item.items():
                path = (group, index, key)
                markdown = group == "questions" and key in MARKDOWN_FIELDS
                if isinstance(value, str) or markdown:
                    yield path, joined(value), markdown
                elif isinstance(value, list):
                    for n, entry in enumerate(value):
                        if isinstance(entry, str):
                            yield (*path, n), entry, False
                        elif isinstance(entry, dict):
                            for k, v in entry.items():
                                yield (*path, n, k), v, False
                elif isinstance(value, dict):  # a diagram: its title and its edge lines
                    for k, v in value.items():
                        if isinstance(v, str):
                            yield (*path, k), v, False
                        elif isinstance(v, list):
                            yield from (((*path, k, n), line, False) for n, line in enumerate(v)
                                        if isinstance(line, str))


def check_text(source: _Source, clean: set[bytes] | None = None) -> list[Problem]:
    """Raw HTML, template syntax, unsafe links and invisible characters in any text, each located at
    the offending characters in the file and quoting them; `clean` as for text_findings."""
    return [_located_finding(source, path, text, finding)
            for path, text, markdown in _texts(source.data)
            for finding in text_findings(text, markdown, clean)]


def _located_finding(source: _Source, path: jsonpos.Path, text: str, finding: TextFinding) -> Problem:
    """A text finding as a problem at the exact line and column of the file where it is."""
    name = f"{path[2]!r}" if len(path) == 3 else "the text"
    value: object = source.data
    for key in path:
        value = value[key]  # type: ignore[index]
    if finding.offset is None or path not in source.offsets:
        return source.problem(path, f"{name} {finding.message}" if len(path) == 3 else finding.message)
    if isinstance(value, list):  # a Markdown field stored as lines: point into its line
        line = text.count("\n", 0, finding.offset)
        literal, chars = source.offsets[(*path, line)], finding.offset - (text.rfind("\n", 0, finding.offset) + 1)
        name = f"{name} line {line + 1}"
    elif isinstance(path[-1], int):  # a list item: the offset recorded is its literal's own
        literal, chars = source.offsets[path], finding.offset
    else:  # an object's string value: the offset recorded is its key's; its literal follows the colon
        literal, chars = source.text.index('"', source.text.index(":", source.offsets[path])), finding.offset
    where = source.lines.position(jsonpos.string_char_offset(source.text, literal, chars))
    at = f", at {finding.found!r}" if finding.found else ""
    return Problem(source.display, where.line, where.col, source._subject(path), f"{name}{at}: {finding.message}")


def check_unique_ids(source: _Source, bank: Bank) -> list[Problem]:
    """Question ids are unique across the bank; topic slugs are unique."""
    problems = []
    for group, attr, items in (("questions", "id", bank.questions), ("topics", "slug", bank.topics)):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            key = getattr(item, attr)
            if key in seen:
                first = source.problem((group, seen[key], attr), "")
                problems.append(source.problem(
                    (group, index, attr),
                    f"{attr} {key!r} is already used at line {first.line}; choose another {attr}",
                ))
            else:
                seen[key] = index
    return problems


def check_known_topics(source: _Source, bank: Bank) -> list[Problem]:
    """Every question names a topic that exists."""
    slugs = [t.slug for t in bank.topics]
    problems = []
    for index, question in enumerate(bank.questions):
        if question.topic not in slugs:
            close = difflib.get_close_matches(question.topic, slugs, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(slugs)}"
            problems.append(source.problem(("questions", index, "topic"), f"unknown topic {question.topic!r}; {hint}"))
    return problems


def check_follow_ups(source: _Source, bank: Bank) -> list[Problem]:
    """Every follow-up's `answered_by` names another question of the bank."""
    ids = list(bank.by_id)
    problems = []
    for index, question in enumerate(bank.questions):
        for number, follow_up in enumerate(question.follow_ups):
            target = follow_up.answered_by
            path = ("questions", index, "follow_ups", number, "answered_by")
            if target is None or (target in bank.by_id and target != question.id):
                continue
            if target == question.id:
                message = (f"follow-up {number + 1}'s 'answered_by' names this question itself; name the other "
                           "question that answers the follow-up, or remove 'answered_by'")
            else:
                close = difflib.get_close_matches(target, ids, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "use the id of the question that answers it"
                message = f"follow-up {number + 1}'s 'answered_by' names {target!r}, which is no question's id; {hint}"
            problems.append(source.problem(path, message))
    return problems


def check_diagrams(source: _Source) -> list[Problem]:
    """Every diagram's edges are drawable: `Box -> Other box: label`, within the size limits."""
    problems = []
    for index, item in enumerate(cast(list[dict], source.data["questions"])):
        if "diagram" in item:
            path = ("questions", index, "diagram", "edges")
            found = diagrams.edge_problems(item["diagram"]["edges"])
            problems += [source.problem(path, f"'diagram': {problem}") for problem in found]
    return problems


def check_reference_pages(source: _Source, bank: Bank) -> list[Problem]:
    """Every reference names a page, not a bare homepage (a URL whose path is empty or /)."""
    problems = []
    for index, question in enumerate(bank.questions):
        for number, reference in enumerate(question.references):
            if urlsplit(reference.url.value).path in ("", "/"):
                problems.append(source.problem(
                    ("questions", index, "references", number, "url"),
                    f"{reference.url.value!r} is a homepage; cite the documentation page, paper or write-up "
                    "that supports what the answer says"))
    return problems


_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how in into is it its of on or should that the "
    "their them this to what when where which while who why with would you your".split()
)


def question_tokens(text: str) -> frozenset[str]:
    """The content words of a question, for near-duplicate detection."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two token sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


# MinHash locality-sensitive hashing: 32 bands of 4 hashes. Two questions whose similarity reaches
# 0.75 share a band with probability 1 - (1 - 0.75**4)**32 > 0.99999; two with similarity 0.2 with
# probability about 0.05. The hash parameters are fixed, so every run reports the same pairs.
_BANDS, _ROWS = 32, 4
_MERSENNE = (1 << 61) - 1
_PERMUTATIONS = tuple((2 * n + 1 + (n << 33) % _MERSENNE, (n * 0x9E3779B97F4A7C15) % _MERSENNE)
                      for n in range(1, _BANDS * _ROWS + 1))
# Earlier questions a question is compared with, at most: a crafted bank of near-misses cannot make
# the check quadratic.
_MAX_CANDIDATES = 100


def _token_hashes(token: str) -> tuple[int, ...]:
    base = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
    return tuple((a * base + b) % _MERSENNE for a, b in _PERMUTATIONS)


def near_duplicate_pairs(texts: list[str], threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[tuple[int, int, float]]:
    """For each text that nearly repeats an earlier one, (later, earliest such earlier, similarity).

    Near-linear in the number of texts: identical token sets are grouped in one pass, and the rest
    meet only when they share a MinHash band, each checked against its exact similarity.
    """
    tokens = [question_tokens(text) for text in texts]
    hashes: dict[str, tuple[int, ...]] = {}
    first_with: dict[frozenset[str], int] = {}
    earlier: dict[int, int] = {}
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    pairs = []
    for i, words in enumerate(tokens):
        if not words:
            continue
        if words in first_with:  # a repeat: the earliest question like the first with these words
            same = first_with[words]
            j = earlier.get(same, same)
            pairs.append((i, j, similarity(words, tokens[j])))
            continue
        first_with[words] = i
        rows = [hashes[w] if w in hashes else hashes.setdefault(w, _token_hashes(w)) for w in words]
        signature = tuple(map(min, zip(*rows, strict=True)))
        keys = [(band, signature[band * _ROWS:(band + 1) * _ROWS]) for band in range(_BANDS)]
        candidates = sorted({j for key in keys for j in buckets.get(key, ())})[:_MAX_CANDIDATES]
        match = next(((j, score) for j in candidates if (score := similarity(words, tokens[j])) >= threshold), None)
        if match:
            pairs.append((i, *match))
            earlier[i] = match[0]
        for key in keys:
            buckets.setdefault(key, []).append(i)
    return pairs


def check_near_duplicates(source: _Source, bank: Bank) -> list[Problem]:
    """No two questions ask the same thing (token-set similarity of their texts)."""
    return [
        source.problem(
            ("questions", i, "question"),
            f"asks nearly the same as question {bank.questions[j].id!r} (similarity {score:.2f}); "
            "merge the two or make the difference explicit",
        )
        for i, j, score in near_duplicate_pairs([q["question"] for q in cast(list[dict], source.data["questions"])])
    ]


def _validate(source: _Source, valid: set[bytes] | None = None, clean: set[bytes] | None = None) -> Bank:
    problems = check_schema(source, valid)
    problems = problems or check_diagrams(source)
    if problems:
        raise BankError(problems)
    questions = cast(list[dict], source.data["questions"])
    lines = {q["id"]: source.problem(("questions", n, "id"), "").line for n, q in enumerate(questions)}
    bank = _build(source.data, lines)
    problems = [
        *check_text(source, clean),
        *check_unique_ids(source, bank),
        *check_known_topics(source, bank),
        *check_follow_ups(source, bank),
        *check_reference_pages(source, bank),
        *check_near_duplicates(source, bank),
    ]
    if problems:
        raise BankError(sorted(problems, key=lambda p: (p.line, p.col)))
    return bank


def _field_at(path: jsonpos.Path) -> str:
    """How a message names the value at `path`: its field, a line of a Markdown field, or "the text"
    for another list item."""
    if len(path) >= 2 and isinstance(path[-1], int) and path[-2] in MARKDOWN_FIELDS:
        return f"{path[-2]!r} line {path[-1] + 1}"
    return f"{path[-1]!r}" if path and isinstance(path[-1], str) else "the text"


def _lone_surrogates(value: object, path: jsonpos.Path = ()) -> Iterator[tuple[jsonpos.Path, str]]:
    """Every key or string (path, what it is) holding a lone surrogate, which UTF-8 cannot store."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield path, _field_at(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                yield (*path, key), f"the key {key!r}"
            yield from _lone_surrogates(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _lone_surrogates(item, (*path, n))


def read_document(path: Path) -> dict[str, object]:
    """The bank file parsed strictly (no duplicate keys, NaN, BOM or lone surrogates) and of the right
    shape (every value of the type the schema names), but not otherwise validated.

    Lone surrogates (a broken ``\\ud83d`` escape) are refused here because the document could not be
    written back as UTF-8; `check` reports them among the text problems.
    """
    source = _parse(path)
    if not source.text.lstrip().startswith("{"):
        raise BankError([source.problem((), "the bank must be a JSON object; see data/questions.schema.json")])
    broken = [
        source.problem(where, f"{what} {_SURROGATE_MESSAGE}") for where, what in _lone_surrogates(source.data)
    ]
    if broken:
        raise BankError(broken)
    misshapen = [source.problem(*_describe(error)) for error in _schema_errors(source.data)
                 if error.validator == "type"]
    if misshapen:
        # Writing back a bank whose lists are objects, or whose topic is a list, could lose or
        # reorder what it holds: it is refused until its shape is right.
        raise BankError(sorted(misshapen, key=lambda p: (p.line, p.col)))
    return source.data


def encode(display: str, text: str) -> bytes:
    """`text` as UTF-8; BankError locating (in `text`, named `display`) a lone surrogate it cannot hold."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        path, subject = _enclosing(text, error.start)
        where = jsonpos.position_of(text, error.start)
        message = f"{_field_at(path)} {_SURROGATE_MESSAGE}"
        raise BankError([Problem(display, where.line, where.col, subject, message)]) from None


def load_bank(path: Path = BANK_PATH, display: str | None = None, valid: set[bytes] | None = None,
              clean: set[bytes] | None = None) -> Bank:
    """Read, validate and type the bank; raise BankError listing every problem found.

    `display` names the file in messages (default: its path relative to the repository). `valid`
    carries digests of questions that passed the schema from one load to the next (see
    _schema_errors), `clean` digests of texts that passed the text rules (see text_findings); the
    caller owns both (the site's Build), so nothing is kept here between loads.
    """
    return _validate(_parse(path, display), valid, clean)


def counts(items: Iterable[str]) -> dict[str, int]:
    """How often each value occurs, in first-seen order."""
    result: dict[str, int] = {}
    for item in items:
        result[item] = result.get(item, 0) + 1
    return result
