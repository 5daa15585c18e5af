"""The strict JSON reader: positions of values, and the inputs it refuses."""

from __future__ import annotations

import pytest

from qbank import jsonpos


def test_offsets_point_at_keys_and_items() -> None:
    text = '{\n  "a": [1,\n    {"b": "x"}]\n}'
    parsed = jsonpos.parse(text)
    assert parsed.value == {"a": [1, {"b": "x"}]}
    assert jsonpos.position_of(text, parsed.offsets[("a",)]) == jsonpos.Position(2, 3)
    assert jsonpos.position_of(text, parsed.offsets[("a", 1, "b")]) == jsonpos.Position(3, 6)


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ('{"a": 1,}', "remove the trailing comma", 1, 9),
        ('[1, 2,]', "trailing comma", 1, 7),
        ('{"a": 1, "a": 2}', "duplicate key 'a'", 1, 10),
        ('{"a": NaN}', "NaN is not valid JSON", 1, 7),
        ('{"a": -Infinity}', "-Infinity is not valid JSON", 1, 7),
        ('{"a": 1}\n{}', "unexpected text after the end", 2, 1),
        ('{"a" 1}', "expected ':'", 1, 6),
        ('{"a": "tab\there"}', "escape control characters", 1, 11),
        ("", "the file ends", 1, 1),
    ],
)
def test_refuses_with_location(text: str, message: str, line: int, col: int) -> None:
    with pytest.raises(jsonpos.JSONSyntaxError) as caught:
        jsonpos.parse(text)
    assert message in caught.value.message
    assert caught.value.position == jsonpos.Position(line, col)


def test_numbers_and_literals() -> None:
    assert jsonpos.parse('[0, -1.5e3, true, false, null, "\\u00e9"]').value == [0, -1500.0, True, False, None, "é"]


@pytest.mark.parametrize(
    ("text", "offset", "path"),
    [
        ('{"a": [{"b": 1, "b": 2}]}', 16, ("a", 0, "b")),  # the duplicate key parse refuses
        ('{"a": [NaN, {"c": Infinity}]}', 13, ("a", 1, "c")),
        ('{"a": [1, 2,], "b": {"c": 3,}}', 22, ("b", "c")),  # after two trailing commas
        ('{"a": {"b": "x"}, "c": [1 2]}', 26, ("c",)),  # stops at a missing comma, inside "c"
        ('{"a": 1}', 0, ()),
    ],
)
def test_scan_reads_past_what_parse_refuses_and_finds_the_path_at_an_offset(text: str, offset: int, path: tuple) -> None:
    assert jsonpos.scan(text).path_at(offset) == path


def test_scan_keeps_what_was_read_before_an_unrecoverable_error() -> None:
    outline = jsonpos.scan('{"items": [{"id": "first"}, {"id": "second" "x": 1}]}')
    assert outline.containers[("items", 1)] == {"id": "second"}
    assert outline.path_at(44) == ("items", 1), "an unfinished object holds everything after its start"


def test_syntax_errors_carry_their_offset() -> None:
    with pytest.raises(jsonpos.JSONSyntaxError) as caught:
        jsonpos.parse('{\n  "a": NaN}')
    assert caught.value.offset == 9
    assert caught.value.position == jsonpos.Position(2, 8)
