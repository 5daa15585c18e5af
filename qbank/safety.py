"""Finds live markup in HTML: elements and attributes that could run script or frame content."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "img", "svg", "math",
                            "form", "input", "button", "style", "link", "meta", "base"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "srcset"})


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
                if scheme in {"javascript", "data", "vbscript"}:
                    self.found.append(f"{scheme}: URL in {name}= on <{tag}>")


_ATTRIBUTE = r"""\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_START_TAG = re.compile(rf"<([a-zA-Z][^\s/>]*)((?:{_ATTRIBUTE})*)\s*/?>")
_ATTRIBUTES = re.compile(_ATTRIBUTE)
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
_SAFE_URL = re.compile(r"(?:https?:|mailto:|#|/|\.|[^:]*$)", re.I)


def _plainly_inert(fragment: str, ignore: frozenset[str]) -> bool:
    """A quick proof that the full scan would report nothing: every start tag reads cleanly, none is
    a dangerous element (other than those ignored), no attribute starts with "on", and every URL
    attribute is plainly http(s), mailto or relative. When it cannot tell, the full parse decides."""
    if "<!" in fragment or "<?" in fragment:
        return False
    tags = 0
    for tag in _START_TAG.finditer(fragment):
        tags += 1
        name = tag.group(1).lower()
        if name in DANGEROUS_TAGS and name not in ignore:
            return False
        for attribute in _ATTRIBUTES.finditer(tag.group(2)):
            key, value = attribute.group(1).lower(), attribute.group(2)
            if key.startswith("on"):
                return False
            if key in URL_ATTRIBUTES and value and not _SAFE_URL.match(html.unescape(value.strip("\"'")).strip()):
                return False
    return tags == len(_TAG_OPEN.findall(fragment))


def unsafe_markup(fragment: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """What in this HTML fragment could execute or embed content; empty when it is inert.

    Elements named in ignore are allowed themselves (their attributes are still checked).
    """
    if _plainly_inert(fragment, ignore):
        return []
    scanner = _Scanner()
    scanner.feed(fragment)
    scanner.close()
    allowed = {f"<{tag}> element" for tag in ignore}
    return [f for f in scanner.found if f not in allowed]
