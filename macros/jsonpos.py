"""A strict JSON reader that remembers where every value starts in the file.

The standard library parser keeps the last of two duplicate keys, accepts NaN and Infinity, and
forgets positions. Contributors need `file:line:col` in every message, so this module parses
JSON itself (reusing the standard library's string scanner) and records the offset of each value
under its path, e.g. ``("questions", 3, "answer")``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from json.decoder import scanstring

Path = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


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

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Parsed:
    """A parsed document and the offset at which each value (by path) starts."""

    value: object
    offsets: dict[Path, int]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: dict[Path, int] = {}

    def fail(self, message: str, offset: int) -> JSONSyntaxError:
        return JSONSyntaxError(message, position_of(self.text, offset))

    def skip(self, i: int) -> int:
        return _WHITESPACE.match(self.text, i).end()

    def value(self, i: int, path: Path) -> tuple[object, int]:
        i = self.skip(i)
        self.offsets[path] = i
        if i >= len(self.text):
            raise self.fail("the file ends where a value was expected", i)
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
            is_float = any(c in literal for c in ".eE")
            return (float(literal) if is_float else int(literal)), number.end()
        for word in ("NaN", "Infinity", "-Infinity"):
            if self.text.startswith(word, i):
                raise self.fail(f"{word} is not valid JSON; write a number or a string", i)
        raise self.fail(f"unexpected character {char!r} where a value was expected", i)

    def string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, i + 1, True)
        except ValueError as error:
            offset = getattr(error, "pos", i)
            raise self.fail(
                f"{error.args[0].split(':')[0]}; escape control characters, e.g. \\n for a newline",
                offset,
            ) from None

    def object(self, i: int, path: Path) -> tuple[dict[str, object], int]:
        result: dict[str, object] = {}
        i = self.skip(i)
        if self.text.startswith("}", i):
            return result, i + 1
        while True:
            i = self.skip(i)
            if not self.text.startswith('"', i):
                hint = "remove the trailing comma" if self.text.startswith("}", i) else "quote it"
                raise self.fail(f"expected a property name in double quotes; {hint}", i)
            key_offset = i
            key, i = self.string(i)
            if key in result:
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
