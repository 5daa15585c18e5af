"""The site's Content-Security-Policy, declared from what we trust, and the built pages' last alarm.

The policy allows the site's own files and, by hash, the theme's inline scripts, computed from the
installed theme's templates before any bank text is read: it never depends on what a build wrote.
Every built page is then scanned whole (head, theme and content, case-insensitively, as a browser
parses it): an inline script whose hash is not on the allow-list, an event handler attribute, a
javascript:/data: URL, a frame, a resource from another origin, or live markup or a theme class
inside the page content fails the build, naming the question it sits in when it comes from the bank.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import material

from qbank.safety import DANGEROUS_TAGS, URL_ATTRIBUTES, unsafe_markup

THEME_SCRIPTS = Path(material.__file__).resolve().parent / "templates" / "partials" / "javascripts"
# Pages sit at most this many folders below the site root (topics/<slug>/<part>/ is 3); the theme's
# scripts name the way back to the root, so each depth has its own hash.
MAX_PAGE_DEPTH = 4
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_CSP_META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
_EXECUTABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_LOADING_LINKS = frozenset({"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"})
# A class attribute naming one of the theme's classes (md-...): only then is a question's markup parsed
# in full for it (an id such as "amd-rocm" is not one).
_THEME_CLASS = re.compile(r"""class\s*=\s*["']?[^"'>]*?(?<![\w-])md-""", re.I)
_LOADING_ELEMENTS = frozenset({"script", "img", "audio", "video", "source", "track", "input", "iframe"})


def script_hash(body: str) -> str:
    """The CSP source expression that allows one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def base_urls(site_url: str) -> list[str]:
    """Every way a page of this site names the site root: relative from each depth, and the
    absolute path the theme uses on the error page."""
    relative = [".", *("/".join([".."] * depth) for depth in range(1, MAX_PAGE_DEPTH + 1))]
    return [*relative, urlsplit(site_url).path or "/"]


def theme_script_hashes(site_url: str, extra: dict | None = None,
                        templates: Path = THEME_SCRIPTS) -> frozenset[str]:
    """Hashes of the theme's inline scripts, rendered from its templates for every base URL."""
    environment = jinja2.Environment(autoescape=False)
    hashes = set()
    for template in sorted(templates.glob("*.html")):
        for body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
            compiled = environment.from_string(body)
            for base_url in base_urls(site_url):
                hashes.add(script_hash(compiled.render(base_url=base_url, config={"extra": extra or {}})))
    return frozenset(hashes)


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The policy: everything from the site itself; inline scripts only by hash; no other origin."""
    scripts = " ".join(["'self'", *sorted(script_hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        # The mock interview replays the reader's own recording from a blob: URL made in the page.
        "media-src 'self' blob:",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str, policy: str) -> str:
    """The page with the policy as the first element of <head>, before any script can run."""
    meta = _CSP_META.format(policy=policy)
    return re.sub(r"<head>", lambda m: f"{m.group()}\n    {meta}", html, count=1, flags=re.I)


@dataclass(frozen=True)
class Finding:
    """Something in a built page that must not be there, and the question it sits in, if any."""

    page: str
    what: str
    question: str | None = None

    def __str__(self) -> str:
        where = f" (in question {self.question!r})" if self.question else ""
        return f"{self.page}: {self.what}{where}"


def _is_remote(url: str) -> bool:
    return bool(re.match(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", url, re.I))


class _PageScanner(HTMLParser):
    """Reads a whole page as a browser would and notes everything that could run or load."""

    def __init__(self, allowed_scripts: frozenset[str], content: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.content = content  # inside the content article: bank text lives here
        self.found: list[tuple[str, str | None]] = []
        self.question: str | None = None
        self._script: list[str] | None = None

    def note(self, what: str) -> None:
        self.found.append((what, self.question))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.content and tag == "h2" and values.get("id"):
            self.question = values["id"]
        for name, value in values.items():
            if name.startswith("on"):
                self.note(f"an inline event handler ({name}= on <{tag}>)")
            if name in URL_ATTRIBUTES and re.match(r"\s*(?:javascript|vbscript|data):", value, re.I):
                self.note(f"a {value.strip().split(':')[0].lower()}: URL in {name}= on <{tag}>")
        if tag in {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}:
            self.note(f"a <{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.note("a <meta http-equiv=refresh> redirect")
        if tag in _LOADING_ELEMENTS and _is_remote(values.get("src", "")):
            self.note(f"a <{tag}> loaded from another origin")
        if tag == "link" and _LOADING_LINKS & set(values.get("rel", "").lower().split()) \
                and _is_remote(values.get("href", "")):
            self.note("a stylesheet or other resource linked from another origin")
        if tag == "script" and "src" not in values and values.get("type", "").lower() in _EXECUTABLE_TYPES:
            self._script = []
        if self.content:
            self._content_rules(tag, values)

    def _content_rules(self, tag: str, values: dict[str, str]) -> None:
        if tag in DANGEROUS_TAGS - {"svg"}:  # the theme puts icons into the content as inline SVG
            self.note(f"a <{tag}> element inside the page content")
        if self.question:
            theme_classes = [c for c in values.get("class", "").split() if c.startswith("md-")]
            if theme_classes:
                self.note(f"the theme's class {theme_classes[0]!r} on <{tag}> inside a question")
            theme_attributes = [name for name in values if name.startswith("data-md")]
            if theme_attributes:
                self.note(f"the theme's attribute {theme_attributes[0]}= on <{tag}> inside a question")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body, self._script = "".join(self._script), None
            if self.content:
                self.note("a script element inside the page content")
            elif script_hash(body) not in self.allowed_scripts:
                self.note(f"an inline script that is not on the allow-list: {body[:80]!r}")


def _article_spans(html: str) -> list[tuple[int, int]]:
    """Where each <article>...</article> of the page starts and ends (the content; one per page)."""
    spans, start = [], html.find("<article")
    while start >= 0:
        following = html[start + 8:start + 9]
        if following and not (following.isalnum() or following == "_"):  # as a regex's \b would
            end = html.find("</article>", start)
            if end < 0:
                break
            spans.append((start, end + len("</article>")))
            start = end
        start = html.find("<article", start + 1)
    return spans


def _scan(fragment: str, allowed_scripts: frozenset[str], content: bool) -> list[tuple[str, str | None]]:
    scanner = _PageScanner(allowed_scripts, content)
    scanner.feed(fragment)
    scanner.close()
    return scanner.found


def scan_page(page: str, html: str, allowed_scripts: frozenset[str]) -> list[Finding]:
    """What in one built page could run script, frame content, reach another origin or restyle the
    theme; empty when the page is safe.

    The theme's part of the page is parsed in full. The content article is parsed in full too
    unless a quick proof shows it holds no dangerous element or attribute and no theme class.
    """
    spans = _article_spans(html)
    theme, last = [], 0
    for start, end in spans:
        theme.append(html[last:start])
        last = end
    theme.append(html[last:])
    found = _scan("".join(theme), allowed_scripts, content=False)
    for start, end in spans:
        article = html[start:end]
        questions = article.split('<h2 id="', 1)[-1]
        if _THEME_CLASS.search(questions) or "data-md" in article or "<script" in article.lower() \
                or unsafe_markup(article, frozenset({"svg"})):
            found += _scan(article, allowed_scripts, content=True)
    return [Finding(page, what, question) for what, question in found]
