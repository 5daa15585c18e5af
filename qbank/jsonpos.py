"""A strict JSON reader that remembers where every value starts in the file.

The standard library parser keeps the last of two duplicate keys, accepts NaN and Infinity, and
forgets positions. Contributors need `file:line:col` in every message, so this module parses
JSON itself (reusing the standard library's string scanner) and records the offset of each value
under its path, e.g. ``("questions", 3, "answer")``. When the strict reading fails, `scan` reads the
same text leniently, so that a message can still name the question the error sits in.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import dataclass
from json.decoder import scanstring

Path = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
# Deeper nesting is refused with a located message, long before Python's recursion limit.
MAX_DEPTH = 32
# Longer numerals are refused before Python converts them (it refuses integers over 4,300 digits).
MAX_NUMBER_LENGTH = 100


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a text."""

    line: int
    col: int


def position_of(text: str, offset: int) -> Position:
    """Turn a character offset into a 1-based line and column (for one lookup; see LineIndex)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(line, col)


def string_char_offset(text: str, literal: int, chars: int) -> int:
    """Where, in `text`, the character number `chars` of the JSON string literal starting at offset
    `literal` (its opening quote) is written, escapes and all."""
    i, count = literal + 1, 0
    while count < chars and i < len(text):
        if text[i] == "\\":
            pair = text[i + 1] == "u" and 0xD800 <= int(text[i + 2:i + 6], 16) < 0xDC00 and text[i + 6:i + 8] == "\\u"
            i += 12 if pair else 6 if text[i + 1] == "u" else 2
        else:
            i += 1
        count += 1
    return i


class LineIndex:
    """Line and column of many offsets in one text, each in O(log lines)."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> Position:
        """The 1-based line and column of a character offset."""
        line = bisect.bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1)


class JSONSyntaxError(ValueError):
    """The text is not the strict JSON this project accepts."""

    def __init__(self, message: str, position: Position, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.offset = offset


@dataclass(frozen=True)
class Parsed:
    """A parsed document and the offset at which each value (by path) starts."""

    value: object
    offsets: dict[Path, int]


@dataclass(frozen=True)
class Outline:
    """What a lenient reading of possibly broken JSON found, to tell where in the document an offset is."""

    containers: dict[Path, dict[str, object] | list[object]]  # each object and array, filled as far as read
    spans: dict[Path, tuple[int, int]]  # where each value (with its key) starts and ends

    def path_at(self, offset: int) -> Path:
        """The innermost value whose text holds `offset` (a value never finished reaches the end)."""
        holding = [path for path, (start, end) in self.spans.items() if start <= offset < end]
        return max(holding, key=len, default=())


class _Reader:
    def __init__(self, text: str, strict: bool = True) -> None:
        self.text = text
        self.strict = strict
        self.offsets: dict[Path, int] = {}
        self.containers: dict[Path, dict[str, object] | list[object]] = {}
        self.ends: dict[Path, int] = {}

    def fail(self, message: str, offset: int) -> JSONSyntaxError:
        return JSONSyntaxError(message, position_of(self.text, offset), offset)

    def skip(self, i: int) -> int:
        return _WHITESPACE.match(self.text, i).end()

    def value(self, i: int, path: Path) -> tuple[object, int]:
        i = self.skip(i)
        self.offsets[path] = i
        if len(path) > MAX_DEPTH:
            raise self.fail(f"values are nested more than {MAX_DEPTH} levels deep (the bank needs 5); "
                            "remove the extra brackets", i)
        if i >= len(self.text):
            raise self.fail("the file ends where a value was expected", i)
        value, end = self.token(i, path)
        self.ends[path] = end
        return value, end

    def token(self, i: int, path: Path) -> tuple[object, int]:
        char = self.text[i]
        if char == "{":
            return self.object(i + 1, path)
        if char == "[":
            return self.array(i + 1, path)
        if char == '"':
            return self.string(i)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, i):
                return literal, i + len(word)
        number = _NUMBER.match(self.text, i)
        if number:
            literal = number.group()
            if len(literal) > MAX_NUMBER_LENGTH:
                raise self.fail(f"a number of {len(literal)} characters; the bank has no numbers, write text", i)
            value = float(literal) if any(c in literal for c in ".eE") else int(literal)
            if value in (float("inf"), float("-inf")):
                raise self.fail(f"{literal} is too large to be a JSON number anyone can read back; write text", i)
            return value, number.end()
        for word in ("NaN", "Infinity", "-Infinity"):
            if self.text.startswith(word, i):
                if not self.strict:
                    return float(word), i + len(word)
                raise self.fail(f"{word} is not valid JSON; write a number or a string", i)
        raise self.fail(f"unexpected character {char!r} where a value was expected", i)

    def string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, i + 1, self.strict)
        except ValueError as error:
            offset = getattr(error, "pos", i)
            raise self.fail(
                f"{error.args[0].split(':')[0]}; escape control characters, e.g. \\n for a newline",
                offset,
            ) from None

    def object(self, i: int, path: Path) -> tuple[dict[str, object], int]:
        result: dict[str, object] = {}
        self.containers[path] = result
        i = self.skip(i)
        if self.text.startswith("}", i):
            return result, i + 1
        while True:
            i = self.skip(i)
            if not self.text.startswith('"', i):
                trailing_comma = self.text.startswith("}", i)
                if trailing_comma and not self.strict:
                    return result, i + 1
                hint = "remove the trailing comma" if trailing_comma else "quote it"
                raise self.fail(f"expected a property name in double quotes; {hint}", i)
            key_offset = i
            key, i = self.string(i)
            if key in result and self.strict:
                first = position_of(self.text, self.offsets[(*path, key)])
                raise self.fail(
                    f"duplicate key {key!r} (first at line {first.line}); keep only one",
                    key_offset,
                )
            i = self.skip(i)
            if not self.text.startswith(":", i):
                raise self.fail(f"expected ':' after the key {key!r}", i)
            result[key], i = self.value(i + 1, (*path, key))
            self.offsets[(*path, key)] = key_offset
            i = self.skip(i)
            if self.text.startswith(",", i):
                i += 1
                continue
            if self.text.startswith("}", i):
                return result, i + 1
            raise self.fail("expected ',' or '}' after a property; a comma may be missing", i)

    def array(self, i: int, path: Path) -> tuple[list[object], int]:
        result: list[object] = []
        self.containers[path] = result
        i = self.skip(i)
        if self.text.startswith("]", i):
            return result, i + 1
        while True:
            item, i = self.value(i, (*path, len(result)))
            result.append(item)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
                if self.text.startswith("]", i):
                    if not self.strict:
                        return result, i + 1
                    raise self.fail("trailing comma before ']'; remove it", i)
                continue
            if self.text.startswith("]", i):
                return result, i + 1
            raise self.fail("expected ',' or ']' after an item; a comma may be missing", i)


def parse(text: str) -> Parsed:
    """Parse strict JSON, rejecting duplicate keys, NaN and Infinity, recording value offsets."""
    reader = _Reader(text)
    value, end = reader.value(0, ())
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail("unexpected text after the end of the document", end)
    return Parsed(value, reader.offsets)


def scan(text: str) -> Outline:
    """Read JSON as far as possible, tolerating what `parse` refuses (duplicate keys, NaN, Infinity,
    trailing commas, raw control characters) and stopping at anything worse; never raises."""
    reader = _Reader(text, strict=False)
    with contextlib.suppress(JSONSyntaxError):  # what was read up to the error still outlines the document
        reader.value(0, ())
    unfinished = len(text) + 1
    spans = {path: (start, reader.ends.get(path, unfinished)) for path, start in reader.offsets.items()}
    return Outline(reader.containers, spans)
