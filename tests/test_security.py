"""Safe output even when validation is bypassed: hostile bank text never becomes live markup in
site/, every page is scanned after the build, and a Content-Security-Policy blocks what slips by."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from playwright.sync_api import Page, expect

from qbank import bank as bank_module
from qbank import exports, hardening, render, site
from tests.conftest import FIXTURES, ROOT, SiteServer, copy_project, run_mkdocs_build

# Hostile text for every sink: element text, attributes, <title> and front matter, code spans,
# mixed case, tags without a space before their attribute, link titles that try to leave their
# quotes, fence attributes naming theme classes, template syntax and spreadsheet formulas.
PAYLOADS = [
    "</title><script>alert('title')</script>",
    "`</title><script>alert('code span')</script>`",
    "<SCRIPT>alert('case')</SCRIPT>",
    "<svg/onload=alert('svg')>",
    "<IMG SRC=x ONERROR=alert('img')>",
    '<a href="https://ok.example/"onclick="alert(1)">x</a>',
    "\" onmouseover=\"alert('attr')\" x=\"",
    "' autofocus onfocus='alert(1)' x='",
    '[t](https://ok.example/ "x\" onclick=\"alert(\'link title\')")',
    "[click me](javascript:alert('link'))",
    "[ref link][r]\n\n[r]: javascript:alert('ref')",
    "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "```{.md-dialog--active .md-consent__overlay data-md-state=lock}\nx = 1\n```",
    "text{: onclick=\"alert(5)\" .md-dialog--active }",
    "&lt;script&gt;alert('entity')&lt;/script&gt;",
    "<div markdown>*md in html*</div>",
    "{{ config.repo_url }} {% raw %}",
    '--8<-- "mkdocs.yml"',
    "---\ntitle: injected\n---",
    '=HYPERLINK("https://evil.example/","x")',
]
HOSTILE = " ".join(PAYLOADS)
# Where each string field of the bank lands in the hostile bank (validation bypassed).
HOSTILE_FIELDS = ("question", "answer", "how_to_answer", "example_answer", "follow_ups", "reference title",
                  "reference url")


def _unvalidated_load(path: Path | None = None, display: str | None = None,
                      valid: set[bytes] | None = None, clean: set[bytes] | None = None) -> bank_module.Bank:
    """Type the bank without any validation, as if every check had been bypassed."""
    document = bank_module.read_document(path or bank_module.BANK_PATH)
    lines = {q["id"]: 1 for q in document["questions"]}
    return bank_module._build(document, lines)


def _hostile_document() -> dict:
    """The real bank with the payloads in the first topic's title and description and, one field
    each, in that topic's first questions."""
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    topic = document["topics"][0]
    topic["title"] = f"Hostile title {HOSTILE}"
    topic["description"] = f"Hostile description {HOSTILE}"
    questions = [q for q in document["questions"] if q["topic"] == topic["slug"]]
    for n, (question, field) in enumerate(zip(questions, HOSTILE_FIELDS, strict=False)):
        text = f"Hostile{n} {field} {HOSTILE}"
        if field == "follow_ups":
            # The second is linked to the first question, whose hostile text becomes its link's title.
            question["follow_ups"] = [text, {"question": f"{PAYLOADS[0]} {text}", "answered_by": questions[0]["id"]}]
        elif field == "reference title":
            question["references"] = [{"title": text, "url": "https://ok.example/a\"onclick=\"alert(1)"}]
        elif field == "reference url":
            question["references"] = [{"title": text, "url": "javascript:alert('ref url')"}]
        else:
            question[field] = text
    questions[-2]["rubric"] = [f"Hostile rubric {HOSTILE}", *questions[-2]["rubric"][1:]]
    questions[-1]["id"] = "constructor"  # a key every plain JavaScript object already has
    return document


def _hostile_plans(document: dict) -> dict:
    """Study plans over the hostile bank, with the payloads in a plan's title and summary and in a
    day's title (checks bypassed)."""
    ids = [q["id"] for q in document["questions"]]
    return {"plans": [{"slug": "hostile", "title": f"Hostile plan {HOSTILE}", "summary": f"Summary {HOSTILE}",
                       "days": [{"title": f"Day {HOSTILE}", "questions": ids[:4]},
                                {"title": "Second day", "questions": ids[-3:]}]}]}


def _build_hostile(project: Path, site_dir: Path, site_url: str) -> None:
    """A strict build, in this process, of the hostile bank (and plans) with every check bypassed."""
    bank_path = project / "data" / "questions.json"
    document = _hostile_document()
    bank_path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    (project / "data" / "plans.json").write_text(json.dumps(_hostile_plans(document)), encoding="utf-8")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(site, "load_bank", _unvalidated_load)
    monkeypatch.setattr(site.plans, "load_plans",
                        lambda path, _ids, _display=None: site.plans.typed(json.loads(path.read_text(encoding="utf-8"))))
    monkeypatch.setattr(bank_module, "BANK_PATH", bank_path)
    monkeypatch.setattr(site, "BANK_PATH", bank_path)
    monkeypatch.chdir(project)
    try:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), site_url=site_url))
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The hostile site, built for and served from a loopback address."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    server = SiteServer(tmp_path_factory.mktemp("hostile-site"))
    _build_hostile(project, server.directory, server.url)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def hostile_site(hostile_server: SiteServer) -> Path:
    return hostile_server.directory


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
    assert any("Hostile0" in html for html in pages.values()), "the hostile questions were rendered"
    for path, html in pages.items():
        parsed = _Elements()
        parsed.feed(html)
        assert not [s for s in parsed.scripts if "alert" in s], f"{path}: a script from the bank"
        for tag, attrs in parsed.elements:
            assert tag not in {"iframe", "frame", "object", "embed", "svg", "img"} or "alert" not in str(attrs), path
            assert not [a for a in attrs if a.startswith("on")], f"{path}: <{tag} {attrs}>"
            assert not [c for c in attrs.get("class", "").split() if c in {"md-dialog--active", "md-consent__overlay"}]
            assert "data-md-state" not in attrs, f"{path}: <{tag} {attrs}>"
            for name in ("href", "src", "action"):
                url = attrs.get(name, "").strip().lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), f"{path}: <{tag} {name}={url}>"


def test_hostile_titles_stay_text_in_title_header_and_navigation(hostile_site: Path) -> None:
    html = (hostile_site / "topics" / "ml-foundations" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title, "the <title> holds no markup"
    assert "&lt;/title&gt;&lt;script&gt;" in title
    assert title.startswith("Hostile title")
    assert "title: injected" in title, "front matter cannot be extended"
    header = re.search(r'<span class="md-ellipsis">\s*(Hostile title.*?)</span>', html, re.S).group(1)
    assert "<" not in header
    assert "&lt;script&gt;" in header


def test_hostile_study_plans_stay_text_on_their_pages_and_in_their_json(hostile_site: Path) -> None:
    for page in ("plans/hostile/index.html", "plans/index.html"):
        html = (hostile_site / page).read_text(encoding="utf-8")
        assert "Hostile plan &lt;/title&gt;&lt;script&gt;" in html, page
        assert "<script>alert" not in html, page
        assert "<svg/onload" not in html, page
    title = re.search(r"<title>(.*?)</title>", (hostile_site / "plans/hostile/index.html").read_text(), re.S).group(1)
    assert "<" not in title
    data = (hostile_site / "downloads" / "plans.json").read_text(encoding="utf-8")
    assert not set("<>&") & set(data), "the browser's copy holds no markup characters"
    assert json.loads(data)["plans"][0]["title"] == f"Hostile plan {HOSTILE}"


def test_hostile_follow_up_links_and_tag_pages_stay_text(hostile_site: Path) -> None:
    document = _hostile_document()
    first = next(q for q in document["questions"] if q["topic"] == document["topics"][0]["slug"])
    html = (hostile_site / "topics" / "ml-foundations" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="qa-follow-ups">(.*?)</div>', html, re.S)
    linked = [b for b in blocks if f'href="../../topics/ml-foundations/#{first["id"]}"' in b]
    assert linked, "the hostile follow-up links to the question that answers it"
    parsed = _Elements()
    parsed.feed(linked[0])
    assert [tag for tag, _ in parsed.elements] == ["ul", "li", "li", "a"], "only the list and the one link"
    title = parsed.elements[-1][1]["title"]
    assert title.startswith("Answered in the bank: Hostile0")
    assert "</title><script>" in title, "the target's question, as typed"
    tag_page = (hostile_site / "tags" / first["tags"][0] / "index.html").read_text(encoding="utf-8")
    article = tag_page[tag_page.index("<article"):tag_page.index("</article>")]
    assert "Hostile title &lt;/title&gt;&lt;script&gt;" in article, "the topic's title is shown as text"
    parsed = _Elements()
    parsed.feed(article)
    assert parsed.scripts == []
    assert {tag for tag, _ in parsed.elements} <= {"article", "a", "svg", "path", "h1", "p", "div", "ul", "li", "br", "span"}


def test_template_and_include_syntax_stays_text(hostile_site: Path) -> None:
    html = "".join(p.read_text(encoding="utf-8") for p in (hostile_site / "topics").rglob("*.html"))
    assert "{{ config.repo_url }}" in html, "template syntax in bank text is shown, not expanded"
    assert "site_name:" not in html, "a snippet marker must not include mkdocs.yml"


def test_hostile_exports_are_inert_where_they_are_opened(hostile_site: Path, tmp_path: Path) -> None:
    downloads = hostile_site / "downloads"
    with zipfile.ZipFile(downloads / exports.APKG_NAME) as deck:
        deck.extract("collection.anki2", tmp_path)
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    fields = [f for (row,) in connection.execute("select flds from notes") for f in row.split("\x1f")]
    connection.close()
    hostile = [f for f in fields if "Hostile" in f]
    assert len(hostile) >= 6
    for field in hostile:
        parsed = _Elements()
        parsed.feed(field)
        assert parsed.scripts == [], field
        assert all(tag in {"p", "code", "pre", "a", "ul", "li", "div", "span", "strong", "em"} for tag, _ in
                   parsed.elements), field
        assert not [a for _, attrs in parsed.elements for a in attrs if a.startswith("on")], field
    with (downloads / exports.CSV_NAME).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell[:40]
    formula = [cell for row in rows for cell in row if cell.startswith("'")]
    assert formula, "a cell that starts with a formula character is neutralized, not dropped"
    cards = (hostile_site / "practice" / "cards.json").read_text(encoding="utf-8")
    assert "<" not in cards, "the JSON for the browser holds no markup characters"
    assert ">" not in cards
    deck = (hostile_site / "practice" / "deck.json").read_text(encoding="utf-8")
    assert "<" not in deck
    assert ">" not in deck
    hostile_question = next(c for c in json.loads(cards)["cards"] if c["question"].startswith("Hostile0"))
    assert "</title><script>" in hostile_question["question"], "plain text arrives as typed, for textContent"
    mock = (hostile_site / exports.MOCK_PATH).read_text(encoding="utf-8")
    assert "<" not in mock, "the mock interview's JSON holds no markup characters"
    assert ">" not in mock
    entries = json.loads(mock)["questions"]
    hostile_question = next(q for q in entries if q["question"].startswith("Hostile0"))
    assert "</title><script>" in hostile_question["question"], "plain text arrives as typed, for textContent"
    rubric = next(q for q in entries if any(p.startswith("Hostile") for p in q["rubric"]))
    assert "</title><script>" in rubric["rubric"][0], "rubric points too"
    follow_ups = [f for q in entries for f in q["followUps"] if "Hostile" in f["question"]]
    assert any("</title><script>" in f["question"] for f in follow_ups)
    assert any("</title><script>" in f.get("title", "") for f in follow_ups), "a linked follow-up's title as typed"
    examples = [q["example"] for q in entries if "Hostile" in q["example"]]
    assert examples, "the hostile example answer is in the file"
    for example in examples:
        parsed = _Elements()
        parsed.feed(example)
        assert parsed.scripts == [], example
        assert {tag for tag, _ in parsed.elements} <= render._ALLOWED_TAGS, example
        assert not [a for _, attrs in parsed.elements for a in attrs if a.startswith("on")], example
        assert not [attrs["href"] for tag, attrs in parsed.elements if tag == "a"
                    and attrs.get("href", "").lower().startswith(("javascript:", "data:"))], example


def _open_everything(page: Page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.wait_for_timeout(50)


def _article(html: str) -> str:
    """A page's content, without the navigation every page shares."""
    start = html.find("<article")
    return html[start:html.find("</article>", start)] if start >= 0 else ""


@pytest.mark.browser
def test_hostile_bank_runs_no_script_in_chromium(browser, hostile_server: SiteServer) -> None:
    """Every page whose content shows hostile text (the hostile topic's title is in every page's
    navigation, so the home page stands for the rest), with every answer open, the search dialog and
    the practice card: no dialog ever opens."""
    context = browser.new_context()
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    site = hostile_server.directory
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if "Hostile" in _article(p.read_text(encoding="utf-8")))
    assert {"index.html", "topics/ml-foundations/index.html", "plans/hostile/index.html"} <= set(pages), pages
    assert any(page.startswith("tags/") for page in pages), pages
    for relative in pages:
        page.goto(hostile_server.url + relative.removesuffix("index.html"))
        _open_everything(page)
        page.mouse.move(200, 300)
    page.goto(hostile_server.url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("Hostile0", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.locator(".md-search-result__link").first.click()
    _open_everything(page)
    page.goto(hostile_server.url + "practice/")
    expect(page.locator(".qa-card__question")).to_be_visible()
    total = len(json.loads((site / "practice" / "cards.json").read_text(encoding="utf-8"))["cards"])
    expect(page.locator(".qa-practice__counts")).to_contain_text(f"of {min(total, 20)} ·")  # 20 new a day
    expect(page.locator(".qa-practice__counts")).to_contain_text(f"{total} new")
    page.keyboard.press("Space")
    expect(page.locator(".qa-card__more")).to_be_visible()  # the answer itself, not "Loading the answer…"
    page.wait_for_timeout(200)
    context.close()
    assert dialogs == []


_FIELDS = [
    (("topics", 0, "title"), "topic 'ml-foundations'"),
    (("topics", 0, "description"), "topic 'ml-foundations'"),
    (("questions", 0, "question"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "answer"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "how_to_answer"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "example_answer"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "follow_ups", 0), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "references", 0, "title"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "references", 0, "url"), "question 'supervised-vs-unsupervised'"),
    (("questions", 0, "tags", 0), "question 'supervised-vs-unsupervised'"),
    (("topics", 0, "slug"), "topic"),
    (("questions", 0, "id"), "question"),
]


def _rejected(field: tuple, payload: str) -> bool:
    """Whether the checks must refuse this payload in this field. The rest is inert by construction
    (the hostile build shows it): markup in a Markdown code span is code, and a link written in a
    plain-text field is only text."""
    if field[-1] in bank_module.MARKDOWN_FIELDS:
        live = ("<", "{{", "javascript:", "data:", "{:", "&lt;", "--8<--")
        return not payload.startswith("`") and any(marker in payload for marker in live)
    return "<" in payload or "{{" in payload or field[-1] in {"url", "slug", "id"} or field[-2] == "tags"


@pytest.fixture(scope="module")
def passed() -> tuple[set[bytes], set[bytes]]:
    """The questions and texts that passed the checks in an earlier test of this module, as a
    `mkdocs serve` rebuild keeps them: only the edited question and text are checked again."""
    return set(), set()


@pytest.mark.parametrize(
    ("field", "subject", "payload"),
    [(field, subject, payload) for field, subject in _FIELDS for payload in PAYLOADS if _rejected(field, payload)],
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_every_field_rejects_markup_with_a_located_message(tmp_path: Path, passed: tuple[set[bytes], set[bytes]],
                                                            field: tuple, subject: str, payload: str) -> None:
    """Every string field refuses markup with the file, line, column and the question or topic."""
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    target = document
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = f"Some text {payload}" if field[-1] != "url" else payload
    path = tmp_path / "questions.json"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(bank_module.BankError) as caught:
        bank_module.load_bank(path, valid=passed[0], clean=passed[1])
    messages = [str(p) for p in caught.value.problems]
    assert any(re.match(rf"{re.escape(str(path))}:\d+:\d+: {subject}", m) for m in messages), messages


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ('<p onclick="x()">a</p>', "inline event handler"),
        ('<P ONCLICK="x()">a</P>', "inline event handler"),
        ("<svg/onload=alert(1)>", "inline event handler"),
        ('<a href="x"onclick="y()">a</a>', "inline event handler"),
        ("<IMG SRC=x ONERROR=alert(1)>", "inline event handler"),
        ('<a href="javascript:alert(1)">a</a>', "javascript: URL"),
        ('<a href=" JaVaScRiPt:alert(1)">a</a>', "javascript: URL"),
        ('<iframe src="/x"></iframe>', "<iframe> element"),
        ('<script src="https://cdn.example/x.js"></script>', "another origin"),
        ("<SCRIPT>alert(1)</SCRIPT>", "not on the allow-list"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "redirect"),
        ("<article><script>alert(1)</script></article>", "script element inside the page content"),
        ('<article><h2 id="q">Q</h2><div class="md-dialog--active">x</div></article>', "theme's class 'md-dialog--active'"),
        ('<article><h2 id="q">Q</h2><div data-md-state="lock">x</div></article>', "theme's attribute data-md-state"),
    ],
)
def test_post_build_scan_sees_the_whole_page(html: str, finding: str) -> None:
    """Head, theme and content alike, whatever the case or spacing of the markup."""
    found = hardening.scan_page("page.html", f"<html><head></head><body>{html}</body></html>", ALLOWED)
    assert any(finding in str(f) for f in found), found


def test_a_finding_inside_a_question_names_it() -> None:
    html = '<html><body><article><h2 id="the-id">Q</h2><p><img src=x onerror=y></p></article></body></html>'
    found = hardening.scan_page("page.html", html, ALLOWED)
    assert found
    assert all(f.question == "the-id" for f in found)


ALLOWED = hardening.theme_script_hashes("https://example.org/site/")


def test_built_site_is_clean_and_every_page_has_the_policy(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>")[0]
        assert '<meta http-equiv="Content-Security-Policy"' in head, page
        assert head.index("Content-Security-Policy") < head.find("<script"), "policy before any script"


def _policy(site: Path) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                     (site / "index.html").read_text(encoding="utf-8")).group(1)


def test_the_policy_does_not_depend_on_the_bank(built_site: Path, tmp_path: Path) -> None:
    """The policy is the same for the real bank, a different bank and every page: it comes from the
    theme's templates, never from what a build wrote."""
    project = copy_project(tmp_path / "project")
    shutil.copy2(FIXTURES / "valid.json", project / "data" / "questions.json")
    (project / "data" / "plans.json").unlink()  # the study plans name the real bank's questions
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    policies = {_policy(built_site), _policy(tmp_path / "site")}
    policies |= {re.search(r'Content-Security-Policy" content="([^"]+)"', p.read_text(encoding="utf-8")).group(1)
                 for p in built_site.rglob("*.html")}
    assert len(policies) == 1, policies
    policy = policies.pop()
    assert "'unsafe-inline'" not in policy
    assert "media-src 'self' blob:" in policy.split("; "), "the mock interview replays its own recordings"
    assert policy.count("blob:") == 1, "blob: URLs are allowed for media only"
    assert set(re.findall(r"'sha256-[^']+'", policy)) <= hardening.theme_script_hashes("https://example.org/ml-infra-interviews/")


def test_every_inline_script_of_the_built_site_comes_from_the_theme(built_site: Path) -> None:
    parsed_scripts = []
    for page in built_site.rglob("*.html"):
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        parsed_scripts += [s for s in parsed.scripts if s.strip() and not s.lstrip().startswith("{")]
    assert parsed_scripts
    policy = _policy(built_site)
    for script in parsed_scripts:
        assert hardening.script_hash(script) in policy, script[:80]


def test_an_unsafe_page_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block footer %}<a href="javascript:alert(1)">x</a>'
        "<script>window.x = 1</script>{% endblock %}"
    )
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "unsafe markup in the built site" in result.stderr
    assert "index.html: a javascript: URL in href= on <a>" in result.stderr
    assert "index.html: an inline script that is not on the allow-list: 'window.x = 1'" in result.stderr


def test_markup_that_reaches_a_question_fails_the_build_at_its_bank_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """If the sanitizer ever let markup through, the build stops at the question that caused it."""
    project = copy_project(tmp_path / "project")
    answer_block = render.render_answer_block

    def leaky(*args: object) -> str:
        return answer_block(*args).replace("</details>", "<img src=x onerror=alert(1)></details>")

    monkeypatch.setattr(render, "render_answer_block", leaky)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        build(config)
    document = (ROOT / "data" / "questions.json").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(document, 1) if '"id": "supervised-vs-unsupervised"' in text)
    assert (f"data/questions.json:{line}: question 'supervised-vs-unsupervised': topics/ml-foundations/index.html: "
            "an inline event handler (onerror= on <img>)") in caplog.text


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


@pytest.mark.browser
@pytest.mark.parametrize("suffix", ["#%E0%A4%A", "?qid=%E0%A4%A", "?h=%E0%A4%A#%E0%A4%A", "?qid=%25&h=%5B"])
def test_a_malformed_link_breaks_nothing(page: Page, site_url: str, suffix: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}topics/gpus/{suffix}")
    summary = page.locator("details.qa > summary").first
    summary.click()
    expect(page.locator("details.qa").first).to_have_attribute("open", "")
    page.get_by_role("button", name="Random question from this topic").click()
    page.wait_for_timeout(300)
    assert errors == []


# Found by a hostile review of the first version of this defence.

def _bank_with(tmp_path: Path, change) -> Path:
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_title_outside_the_basic_plane_stays_a_title(tmp_path: Path) -> None:
    """A title used to travel through YAML front matter, which PyYAML could not read back when it
    held an emoji: the page then showed the title as live Markdown. Titles are page metadata now."""
    project = copy_project(tmp_path / "project")
    title = "GPUs \U0001f680 [Session expired, sign in again](https://evil.example/login) **now**"
    shutil.copy2(_bank_with(tmp_path, lambda d: d["topics"][0].update(title=title)), project / "data" / "questions.json")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "topics" / "ml-foundations" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{title} - ML Infra Interviews</title>" in html
    assert "evil.example" not in re.sub(r"<title>.*?</title>", "", html).replace(
        "[Session expired, sign in again](https://evil.example/login)", ""), "the link is text, never an <a>"
    assert 'href="https://evil.example' not in html


def test_a_title_cannot_take_an_id_the_theme_needs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy2(_bank_with(tmp_path, lambda d: d["topics"][0].update(title="__config")), project / "data" / "questions.json")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "topics" / "ml-foundations" / "index.html").read_text(encoding="utf-8")
    assert html.count('id="__config"') == 1, "only the theme's configuration script has that id"
    assert 'id="topic-ml-foundations"' in html


def test_a_topic_cannot_replace_a_page_of_the_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy2(_bank_with(tmp_path, lambda d: d["topics"][0].update(slug="index") or [
        q.update(topic="index") for q in d["questions"] if q["topic"] == "ml-foundations"]), project / "data" / "questions.json")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "the bank's page print/index.md would replace print.md (print/index.html); rename the topic" in result.stderr


@pytest.mark.parametrize(
    ("text", "markdown", "message"),
    [
        ("- " * 600 + "deep", True, "nests lists or quotes more than 8 levels deep"),
        (">" * 600 + " deep", True, "nests lists or quotes more than 8 levels deep"),
        ("See [sound:x.mp3] here", True, "holds Anki syntax"),
        ("See [latex]\\write18{calc}[/latex]", True, "holds Anki syntax"),
        ("See \\\\(\\href{javascript:alert(1)}{this}\\\\)", True, "holds a MathJax delimiter"),
        ("Explain \\(\\href{javascript:alert(2)}{x}\\) please", False, "holds a MathJax delimiter"),
        ("A hidden \U000e0041 tag character", False, "TAG LATIN CAPITAL LETTER A"),
        ("A Hangul filler \u3164 here", True, "HANGUL FILLER"),
    ],
)
def test_text_that_would_crash_the_build_or_run_in_anki_is_refused(text: str, markdown: bool, message: str) -> None:
    assert any(message in found for found in bank_module.text_problems(text, markdown))


@pytest.mark.parametrize(("literal", "message"), [("9" * 5000, "a number of 5000 characters"),
                                                  ("1e400", "1e400 is too large")])
def test_numbers_that_python_cannot_hold_are_refused_with_their_place(tmp_path: Path, literal: str,
                                                                      message: str) -> None:
    path = _bank_with(tmp_path, lambda d: d["questions"][2].update(difficulty="NUMBER"))
    path.write_text(path.read_text(encoding="utf-8").replace('"NUMBER"', literal), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(bank_module.BankError, match=message):
        bank_module.load_bank(path)
    with pytest.raises(bank_module.BankError, match="question 'model-interpretability'"):
        bank_module.read_document(path)
    assert path.read_bytes() == before


def test_csv_cells_cannot_become_formulas_under_another_separator(tmp_path: Path) -> None:
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    document["questions"][0]["question"] = "Which is faster;=1+1;or is it slower now?"
    document["questions"][0]["follow_ups"] = ["Why do tabs\t=2+2\tmatter in practice?"]
    bank = bank_module._build(document, {})
    out = io.StringIO()
    exports.write_csv(bank, out)
    for separator in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=separator))
        cells = [cell.lstrip('"') for row in rows for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "@")) or re.match(r"-[^\s-]", c)], separator


def test_anki_fields_never_carry_media_or_latex_tags() -> None:
    assert exports.anki_field("<p>[sound:x.mp3] [latex]x[/latex] [$]y[/$]</p>") == \
        "<p>&#91;sound:x.mp3] &#91;latex]x&#91;/latex] &#91;$]y&#91;/$]</p>"
