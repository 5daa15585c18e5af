"""The live-markup scan: its quick path never clears what the full HTML parse would report."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.safety import _Scanner, unsafe_markup

SVG = frozenset({"svg"})

PIECES = ["<a", "<img", "<svg", "<script", "<IFRAME", "<p>", "</p>", "</a>", " ", "\n", "/", ">", "=", '"', "'",
          "onclick", "onLoad", "href", "src", "title", "javascript:", "JaVaScRiPt:", "data:", "&#106;", "&#x6A;",
          "https://x.example", "#frag", "../page/", "text", "<!--", "-->", "&", ";", ":", "x", "on"]


def _full_scan(fragment: str, ignore: frozenset[str]) -> list[str]:
    scanner = _Scanner()
    scanner.feed(fragment)
    scanner.close()
    return [f for f in scanner.found if f not in {f"<{tag}> element" for tag in ignore}]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.sampled_from([frozenset(), SVG]))
def test_quick_path_agrees_with_the_full_parse(fragment: str, ignore: frozenset[str]) -> None:
    assert unsafe_markup(fragment, ignore) == _full_scan(fragment, ignore)


@pytest.mark.parametrize("fragment", [
    '<a title="x > y" onclick="go()">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href = "  data:text/html,x">x</a>',
    "<a\nonclick=x>x</a>",
    "<a/onclick=x>x</a>",
    "<!-- c --><script>x</script>",
    "<svg onload=x></svg>",
    "<Img src=x>",
])
def test_hostile_fragments_are_reported(fragment: str) -> None:
    assert unsafe_markup(fragment, SVG), fragment


def test_theme_icons_and_plain_links_pass() -> None:
    fragment = ('<a href="../x/" title="Edit on GitHub"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
                '<path d="M1 2"/></svg></a><a href="https://example.org/a?b=1&amp;c=2" rel="noopener">ref</a>')
    assert unsafe_markup(fragment, SVG) == []
    assert unsafe_markup(fragment) == ["<svg> element"]
