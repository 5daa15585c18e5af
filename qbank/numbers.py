"""Numbers to know (data/numbers.json): figures with their source and the month they describe,
loaded, validated and typed like the bank, rendered as one page, and linked from the answers that
use them (a question's `numbers` field names entry ids).

Every string is plain text: escaped for the page like the bank's plain text, never Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

from qbank.text import PlainText, Slug

NUMBERS_EDIT_PATH = "data/numbers.json"
TITLE = "Numbers to know"


@dataclass(frozen=True)
class Entry:
    """One figure, with where it comes from."""

    id: Slug
    what: PlainText
    value: PlainText
    note: PlainText | None
    source_title: PlainText
    source_url: PlainText
    as_of: PlainText


@dataclass(frozen=True)
class Section:
    """A group of figures on the page (accelerators, interconnect, ...)."""

    slug: Slug
    title: PlainText
    intro: PlainText
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Numbers:
    """The validated file: its sections in page order."""

    sections: tuple[Section, ...]

    @property
    def ids(self) -> frozenset[str]:
        """Every entry id."""
        return frozenset(e.id for s in self.sections for e in s.entries)


class NumbersError(ValueError):
    """data/numbers.json is not usable; each line of the message names the line, entry and fix."""


def _validator(schema_path: Path) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _line_of(text: str, entry_id: str | None) -> int:
    if entry_id:
        match = re.search(rf'"(?:id|slug)":\s*"{re.escape(entry_id)}"', text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1


def load_numbers(path: Path, display: str = NUMBERS_EDIT_PATH) -> Numbers:
    """Read, validate and type the numbers file; NumbersError lists every problem, each as
    `data/numbers.json:LINE: entry 'id': what is wrong`."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise NumbersError(f"{display}: cannot read it: {error}") from None
    except json.JSONDecodeError as error:
        raise NumbersError(f"{display}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    problems = []
    validator = _validator(path.with_name("numbers.schema.json"))
    for error in sorted(validator.iter_errors(data), key=lambda e: str(list(e.absolute_path))):
        owner = _owner(data, list(error.absolute_path))
        where = f"{display}:{_line_of(text, owner)}:" + (f" entry {owner!r}:" if owner else "")
        field = ".".join(str(p) for p in error.absolute_path if isinstance(p, str) and p not in ("sections", "entries"))
        problems.append(f"{where} {field or 'file'}: {error.message}")
    if not problems:
        seen: dict[str, int] = {}
        for section in data["sections"]:
            for item in (section, *section["entries"]):
                key = item.get("id") or item["slug"]
                if key in seen:
                    problems.append(f"{display}:{_line_of(text, key)}: entry {key!r}: the id is used twice; "
                                    "give each entry its own")
                seen[key] = 1
    if problems:
        raise NumbersError("\n".join(problems))
    return Numbers(tuple(_section(s) for s in data["sections"]))


def _owner(data: object, path: list) -> str | None:
    """The id (or section slug) of the entry a schema error sits in."""
    owner = None
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id") or node.get("slug"), str):
            owner = node.get("id") or node.get("slug")
    return owner


def _section(item: dict) -> Section:
    entries = tuple(
        Entry(Slug(e["id"]), PlainText(e["what"]), PlainText(e["value"]),
              PlainText(e["note"]) if "note" in e else None, PlainText(e["source"]["title"]),
              PlainText(e["source"]["url"]), PlainText(e["as_of"]))
        for e in item["entries"])
    return Section(Slug(item["slug"]), PlainText(item["title"]), PlainText(item["intro"]), entries)


def unknown_numbers(questions: Iterable[tuple[str, Iterable[str]]], numbers: Numbers) -> list[tuple[str, str]]:
    """(question id, entry id) for every `numbers` entry a question names that the file lacks."""
    known = numbers.ids
    return [(qid, entry) for qid, entries in questions for entry in entries if entry not in known]


def render_numbers_page(numbers: Numbers, used_by: Mapping[str, list[tuple[PlainText, str]]]) -> str:
    """The page: a table per section, each figure with its source and date and the questions that
    use it (used_by: entry id -> [(question, site-relative link)])."""
    parts = [f"# {TITLE}\n",
             "Figures worth knowing by heart, each with the source it comes from and the month it "
             "describes. Hardware and prices move: check the source before you quote a figure.\n"]
    for section in numbers.sections:
        rows = []
        for e in section.entries:
            note = f'<br><span class="qa-number-note">{e.note.html()}</span>' if e.note else ""
            uses = used_by.get(e.id, [])
            used = ("<br>Used in: " + ", ".join(f'<a href="../{link}">{title.html()}</a>' for title, link in uses)
                    if uses else "")
            rows.append(
                f'<tr id="{e.id}"><td>{e.what.html()}</td><td><strong>{e.value.html()}</strong>{note}</td>'
                f'<td><a href="{e.source_url.html()}" rel="noopener">{e.source_title.html()}</a>'
                f"<br>as of {e.as_of.html()}{used}</td></tr>")
        table = ('<div class="qa-numbers" markdown="0"><table>\n<thead><tr><th>What</th><th>Value</th>'
                 "<th>Source</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>")
        parts.append(f"## {section.title.markdown()} {{ #{section.slug} }}\n\n{section.intro.markdown()}\n\n{table}\n")
    return "\n".join(parts)
