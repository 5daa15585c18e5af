"""Safe output even when validation is bypassed: hostile bank text never becomes live markup in
site/, every page is scanned after the build, and a Content-Security-Policy blocks what slips by."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Page, expect

from macros import bank as bank_module
from macros import hardening, site
from tests.conftest import copy_project, run_mkdocs_build

PAYLOADS = [
    "<script>alert('bank')</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    "[click me](javascript:alert(1))",
    "[ref link][r]\n\n[r]: javascript:alert(2)",
    "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="https://ok.example/" onclick="alert(3)">x</a>',
    "&lt;script&gt;alert(4)&lt;/script&gt;",
    "{{ config.repo_url }} {% raw %}",
    "--8<-- \"mkdocs.yml\"",
    'text{: onclick="alert(5)" }',
    "<div markdown>*md in html*</div>",
]


def _unvalidated_load(path: Path | None = None, docs_dir: Path | None = None,
                      display: str | None = None) -> bank_module.Bank:
    """Type the bank without any validation, as if every check had been bypassed."""
    return bank_module._build(bank_module.read_document(path or bank_module.BANK_PATH))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A strict build, in this process, of a bank whose every question carries the payloads."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    bank_path = project / "data" / "questions.json"
    document = json.loads(bank_path.read_text(encoding="utf-8"))
    for n, question in enumerate(document["questions"][:len(PAYLOADS)]):
        payload = PAYLOADS[n]
        question["question"] = f"Hostile {n}: {payload}"
        question["answer"] = f"Answer {payload}"
        question["follow_ups"] = [payload]
        question["references"] = [{"title": payload, "url": "javascript:alert(6)"}]
    bank_path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    site_dir = project / "site"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(site, "load_bank", _unvalidated_load)
    monkeypatch.setattr(bank_module, "BANK_PATH", bank_path)
    monkeypatch.setattr(bank_module, "DOCS_DIR", project / "docs")
    monkeypatch.chdir(project)
    try:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))
    finally:
        monkeypatch.undo()
    return site_dir


class _Elements(HTMLParser):
    """Every element's tag and attributes, and the text of every script element."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_bank_builds_without_live_markup(hostile_site: Path) -> None:
    pages = {p: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    assert any("Hostile 0" in html for html in pages.values()), "the hostile questions were rendered"
    for path, html in pages.items():
        parsed = _Elements()
        parsed.feed(html)
        assert not [s for s in parsed.scripts if "alert" in s], f"{path}: a script from the bank"
        for tag, attrs in parsed.elements:
            assert tag not in {"iframe", "frame", "object", "embed"}, path
            assert not [a for a in attrs if a.startswith("on")], f"{path}: <{tag} {attrs}>"
            for name in ("href", "src", "action"):
                url = attrs.get(name, "").strip().lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), f"{path}: <{tag} {name}={url}>"
        assert hardening.scan_page(path.name, html) == [], path


def test_template_and_include_syntax_stays_text(hostile_site: Path) -> None:
    html = "".join(p.read_text(encoding="utf-8") for p in (hostile_site / "topics").rglob("*.html"))
    assert "{{ config.repo_url }}" in html, "template syntax in bank text is shown, not expanded"
    assert "site_name:" not in html, "a snippet marker must not include mkdocs.yml"


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ('<p onclick="x()">a</p>', "inline event handler"),
        ('<a href="javascript:alert(1)">a</a>', "javascript:"),
        ('<iframe src="/x"></iframe>', "iframe"),
        ('<script src="https://cdn.example/x.js"></script>', "another origin"),
        ("<article><script>alert(1)</script></article>", "script element inside the page content"),
    ],
)
def test_post_build_scan_finds_live_markup(html: str, finding: str) -> None:
    found = hardening.scan_page("page.html", f"<html><head></head><body>{html}</body></html>")
    assert any(finding in str(f) for f in found), found


def test_built_site_is_clean_and_every_page_has_the_policy(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert hardening.scan_page(page.name, html) == [], page
        head = html.split("</head>")[0]
        assert '<meta http-equiv="Content-Security-Policy"' in head, page
        assert head.index("Content-Security-Policy") < head.find("<script"), "policy before any script"


def test_an_unsafe_page_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block footer %}<a href="javascript:alert(1)">x</a>{% endblock %}'
    )
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "unsafe markup in the built site" in result.stderr
    assert "index.html: a javascript:, vbscript: or data: URL" in result.stderr


def test_a_rebuild_scans_the_pages_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = "<html><head></head><body><article><p>{}</p></article></body></html>"
    for name in ("a", "b"):
        (site / f"{name}.html").write_text(page.format(name), encoding="utf-8")
    monkeypatch.setattr(hardening, "_clean_pages", set())
    assert hardening.harden_site(site, add_csp=False) == []
    scanned: list[str] = []
    scan = hardening.scan_page
    monkeypatch.setattr(hardening, "scan_page", lambda name, html: scanned.append(name) or scan(name, html))
    (site / "b.html").write_text(page.format("<img src=x onerror=alert(1)>"), encoding="utf-8")
    found = hardening.harden_site(site, add_csp=False)
    assert scanned == ["b.html"], "an unchanged page is not scanned again"
    assert found
    assert {f.page for f in found} == {"b.html"}
    assert hardening.harden_site(site, add_csp=False), "a page with findings is scanned every time"


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.browser
def test_no_policy_violation_while_reading_and_searching(page: Page, site_url: str) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(site_url)
    page.get_by_title("Switch to dark mode").click()
    assert page.evaluate("window.__violations") == [], "home page"
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("kubernetes", delay=20)
    expect(page.locator(".md-search-result__link").first).to_be_visible()
    page.locator(".md-search-result__link").first.click()
    expect(page.locator("details.qa[open]")).to_have_count(1)
    assert page.evaluate("window.__violations") == [], "search and instant navigation to a topic page"
    page.goto(f"{site_url}topics/gpus/")
    page.locator("details.qa > summary").first.click()
    assert page.evaluate("window.__violations") == [], "topic page"
    assert errors == []


@pytest.mark.browser
def test_an_injected_inline_script_is_blocked(page: Page, site_url: str) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{site_url}topics/gpus/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))


# The scan finds the content article with string searches: exactly what this regex finds.
_ARTICLE_RE = re.compile(r"<article\b.*?</article>", re.S)
_PIECES = ["<article", "<article>", "</article>", "<articles>", "<article-x>", " ", "\n", "<a", " href", " HREF",
           " src", "=", " = ", '"', "'", "javascript:", "JavaScript:", "data:", "vbscript:", "<", ">", "x", "<p>"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_fast_article_search_agrees_with_the_regular_expression(html: str) -> None:
    assert [html[a:b] for a, b in hardening._article_spans(html)] == _ARTICLE_RE.findall(html)
