"""Finds live markup in HTML: elements and attributes that could run script or frame content."""

from __future__ import annotations

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


def unsafe_markup(html: str) -> list[str]:
    """What in this HTML fragment could execute or embed content; empty when it is inert."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found
