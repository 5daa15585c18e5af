"""The strict JSON reader: positions of values, and the inputs it refuses."""

from __future__ import annotations

import pytest

from macros import jsonpos


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
