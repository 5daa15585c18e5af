"""The bank's kinds of text, and the one place each kind is escaped for where it lands.

Every string in the bank is untrusted. At load time each field becomes one of three types:

- ``Slug``: an id, topic slug or tag. Only ``[a-z0-9]`` and single hyphens (the schema's pattern,
  checked again here), so it is inert in every sink as it stands.
- ``PlainText``: shown exactly as typed (topic title and description, question, follow-ups,
  reference titles and URLs, rubric points). Each sink asks for its own escape: ``html()``,
  ``markdown()``, ``page_title()``, ``csv()``, ``anki()``; JSON for the browser goes through
  ``to_browser_json``.
- ``MarkdownText``: contributor Markdown (answer, how to answer, example answer). It reaches a page
  only as HTML converted by ``render.render_markdown`` (raw HTML off, nh3 allow-list), and a CSV
  cell only through ``csv()``.

``PlainText`` and ``MarkdownText`` refuse ``str()``, f-strings and ``%``: a sink cannot take one
without naming its escape, so an unescaped bank string fails loudly instead of reaching a page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from markupsafe import Markup, escape

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MARKDOWN_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
# OWASP's list: a spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Slug(str):
    """An identifier from the bank that matched the slug pattern: safe in every sink as it is."""

    __slots__ = ()

    def __new__(cls, value: str) -> Slug:
        if not SLUG_PATTERN.fullmatch(value):
            raise ValueError(f"{value!r} is not a slug")
        return super().__new__(cls, value)


class _Untrusted:
    """Bank text that refuses to become a string without an escape: str(), f-strings and % raise."""

    __slots__ = ()

    def __str__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is untrusted bank text: call the escape for its sink "
                        "(see qbank/text.py)")

    def __format__(self, spec: str) -> NoReturn:
        self.__str__()


# A spreadsheet that splits rows on ; or tabs (or ignores the quotes) starts a cell after each of
# these: a formula character there gets a ' too ("- " and "--" stay, for Markdown lists and rules).
_FORMULA_AFTER_BREAK = re.compile(r"(?<=[;,\t\r\n])(?=[=+@]|-[^\s-])")


def neutralize_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a formula character that starts it (OWASP), or that
    would start a cell under another separator, gets a ' before it."""
    value = _FORMULA_AFTER_BREAK.sub("'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


@dataclass(frozen=True)
class PlainText(_Untrusted):
    """Text shown as typed, never interpreted as markup."""

    value: str

    def html(self) -> Markup:
        """For HTML element text or a quoted attribute value."""
        return escape(self.value)

    def markdown(self) -> str:
        """For page Markdown: every punctuation character backslash-escaped, so no emphasis, link,
        code span, attribute list or HTML can form (pymdownx.escapeall makes any escape literal)."""
        return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), self.value.replace("\n", " "))

    def page_title(self) -> str:
        """For a page's title in its metadata: escaped HTML, because the theme writes page titles
        into its templates unescaped (MkDocs templates do not autoescape). Braces are escaped too,
        so no template syntax survives in page metadata."""
        return str(self.html()).replace("{", "&#123;").replace("}", "&#125;")

    def csv(self) -> str:
        """For a CSV cell."""
        return neutralize_cell(self.value)

    def browser(self) -> str:
        """For JSON read by the site's scripts, which insert it with textContent only."""
        return self.value


@dataclass(frozen=True)
class MarkdownText(_Untrusted):
    """Contributor Markdown; converted to sanitized HTML by render.render_markdown."""

    source: str

    def csv(self) -> str:
        """For a CSV cell: the Markdown source, neutralized."""
        return neutralize_cell(self.source)


def to_browser_json(value: Any) -> str:
    """Compact JSON for the site's scripts, with <, > and & escaped, so the text stays inert even if
    the JSON were ever inlined into a page."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
