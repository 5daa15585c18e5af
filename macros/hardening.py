"""The built site's last line of defence: a scan for live markup and a Content-Security-Policy.

Runs after every build over every HTML file in site/. The scan fails the build if any page holds
an inline event handler, a javascript:/data: URL, an iframe or similar, or a script inside the
page content (the only place bank text reaches). The policy allows the site's own files plus the
theme's inline scripts by hash, so a script that got into a page anyway would not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from macros.safety import unsafe_markup

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S)
_EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
_SCRIPT_URL = re.compile(r"""\s(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.I)
_FRAME = re.compile(r"<(?:iframe|frame|object|embed)\b", re.I)
_THIRD_PARTY = re.compile(
    r"""<(?:script|img|iframe|audio|video|source)\b[^>]*\ssrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b(?=[^>]*\srel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|manifest))[^>]*\shref\s*=\s*["']?(?:https?:)?//""",
    re.I,
)
_CSP_META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'


@dataclass(frozen=True)
class Finding:
    """Something in a built page that must not be there."""

    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


def _is_executable(attrs: str) -> bool:
    kind = re.search(r"""\stype\s*=\s*["']?([^"'\s>]+)""", attrs)
    return "src=" not in attrs and (kind is None or kind.group(1) in {"text/javascript", "module"})


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


def _theme_part(html: str) -> str:
    """The page without its content article: what the theme, not the bank, wrote."""
    parts, last = [], 0
    for start, end in _article_spans(html):
        parts.append(html[last:start])
        last = end
    return "".join(parts) + html[last:]


def inline_script_hashes(html: str) -> set[str]:
    """CSP hashes of the theme's executable inline scripts (none from the content article)."""
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(_theme_part(html))
        if _is_executable(m.group("attrs"))
    }


def scan_page(page: str, html: str) -> list[Finding]:
    """What in one built page could run script, frame content or reach another origin."""
    found = []
    if _EVENT_HANDLER.search(html):
        found.append(Finding(page, "an inline event handler (on...= attribute)"))
    if _SCRIPT_URL.search(html):
        found.append(Finding(page, "a javascript:, vbscript: or data: URL in a link or source"))
    if _FRAME.search(html):
        found.append(Finding(page, "an iframe, frame, object or embed element"))
    if _THIRD_PARTY.search(html):
        found.append(Finding(page, "a script, stylesheet, image or frame loaded from another origin"))
    for article in (html[start:end] for start, end in _article_spans(html)):
        # The theme puts icons into the content as inline SVG elements.
        found += [Finding(page, f"in the page content: {what}") for what in unsafe_markup(article, frozenset({"svg"}))]
        if "<script" in article.lower():
            found.append(Finding(page, "a script element inside the page content"))
    return found


def content_security_policy(script_hashes: set[str]) -> str:
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
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str, policy: str) -> str:
    """The page with the policy as the first element of <head>, before any script can run."""
    meta = _CSP_META.format(policy=policy)
    return re.sub(r"<head>", lambda m: f"{m.group()}\n    {meta}", html, count=1)


# Digests of the pages (before the policy is added) that the last build found clean: a rebuild in
# the same process (`mkdocs serve`) writes most pages exactly as before.
_clean_pages: set[bytes] = set()


def harden_site(site_dir: Path, add_csp: bool = True) -> list[Finding]:
    """Scan every page; when clean and add_csp, write the site-wide policy into every page.

    One policy (the union of every page's theme script hashes) serves all pages, so it stays
    valid across Material's instant navigation, which keeps the first page's policy. Pages are
    read one at a time (twice when the policy is added), so a large site is never all in memory.
    """
    paths = sorted(site_dir.rglob("*.html"))
    findings: list[Finding] = []
    digests: set[bytes] = set()
    script_hashes: set[str] = set()
    for path in paths:
        html = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(html.encode()).digest()
        if digest not in _clean_pages:
            findings += scan_page(path.relative_to(site_dir).as_posix(), html)
        digests.add(digest)
        script_hashes |= inline_script_hashes(html)
    if findings:
        return findings
    _clean_pages.clear()
    _clean_pages.update(digests)
    if add_csp:
        policy = content_security_policy(script_hashes)
        for path in paths:
            path.write_text(add_policy(path.read_text(encoding="utf-8"), policy), encoding="utf-8")
    return []
