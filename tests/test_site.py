"""The real site, built once in strict mode: every question is on its page exactly once, with its
anchor, a closed answer block and a search document of its own; a bad bank fails the build."""

from __future__ import annotations

import html as html_module
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from qbank import routes
from qbank.bank import Bank
from qbank.safety import unsafe_markup
from tests.conftest import ROOT, copy_project, run_mkdocs_build
from tests.support import topic_page_files, topic_pages_html


class _QuestionBlocks(HTMLParser):
    """Collects, per h2 id, whether the next <details class="qa"> is open and the text inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.blocks: dict[str, dict[str, object]] = {}
        self._in_details = 0
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2" and attributes.get("id"):
            self.headings.append(attributes["id"])
        if tag == "details" and "qa" in (attributes.get("class") or "").split():
            self._current = attributes.get("data-question")
            self.blocks[self._current] = {"open": "open" in attributes, "text": [], "after": self.headings[-1]}
            self._in_details = 1
        elif tag == "details" and self._in_details:
            self._in_details += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self._in_details:
            self._in_details -= 1

    def handle_data(self, data: str) -> None:
        if self._in_details and self._current:
            self.blocks[self._current]["text"].append(data)


def _topic_html(site: Path, slug: str) -> str:
    return (site / "topics" / slug / "index.html").read_text(encoding="utf-8")


def _blocks(site: Path, slug: str) -> _QuestionBlocks:
    parser = _QuestionBlocks()
    parser.feed(topic_pages_html(site, "topics", slug))
    return parser


def _words(text: str) -> str:
    """The words of a text, markup and punctuation dropped, for comparing rendered with source."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", re.sub(r"<[^>]+>", " ", text)))


def _first_words(markdown_text: str, count: int = 6) -> str:
    """The first words of a Markdown text as they read once rendered (list numbers dropped)."""
    prose = re.sub(r"^\s*\d+[.)]\s+", "", markdown_text, flags=re.M)
    return " ".join(_words(prose).split()[:count])


def test_every_question_appears_once_with_anchor_and_closed_answer(built_site: Path, real_bank: Bank) -> None:
    all_ids: list[str] = []
    for topic in real_bank.topics:
        parsed = _blocks(built_site, topic.slug)
        all_ids += [h for h in parsed.headings if h in parsed.blocks]
        for question in real_bank.questions_in(topic.slug):
            assert parsed.headings.count(question.id) == 1, question.id
            block = parsed.blocks[question.id]
            assert block["after"] == question.id, "the answer block must follow its own heading"
            assert block["open"] is False, f"{question.id}: answer must start closed"
            text = _words("".join(block["text"]))
            assert _first_words(question.answer.source) in text, f"{question.id}: answer text missing from its block"
            assert _first_words(question.example_answer.source) in text
    assert sorted(all_ids) == sorted(q.id for q in real_bank.questions), "each question exactly once site-wide"


def test_every_question_has_its_own_search_document(built_site: Path, real_bank: Bank) -> None:
    folder = built_site / "search"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == len(real_bank.questions)
    topics = {t.slug: t.title.value for t in real_bank.topics}
    on_site = routes.Routes(real_bank)
    for number, question in enumerate(real_bank.questions):
        doc = json.loads((folder / "q" / f"{number}.json").read_text(encoding="utf-8"))
        assert doc["id"] == question.id
        assert doc["url"] == on_site.question_url(question), "a link to the question's own heading, on its part"
        assert doc["url"].startswith(f"topics/{question.topic}/")
        assert doc["q"] == question.question.value
        assert doc["topic"] == topics[question.topic]
        sections = dict(doc["sections"])
        assert _first_words(question.answer.source) in _words(sections["Answer"]), "the answer's real text, in order"
        assert _first_words(question.example_answer.source) in _words(sections["Example answer"])


def test_home_page_has_a_card_per_topic_with_its_count(built_site: Path, real_bank: Bank) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert f"{len(real_bank.questions)} answered questions" in html
    cards = re.findall(r'<a href="topics/([a-z0-9-]+)/">(.*?)</a></strong></p>\s*<p>(\d+) questions?\b', html)
    assert [c[0] for c in cards] == [t.slug for t in real_bank.topics]
    for slug, _title, count in cards:
        assert int(count) == len(real_bank.questions_in(slug))


def test_home_page_counts_per_topic_and_difficulty(built_site: Path, real_bank: Bank) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr>\s*<td><a href="topics/([a-z0-9-]+)/">.*?</a></td>((?:\s*<td[^>]*>\d+</td>){4})', html)
    assert [slug for slug, _ in rows] == [t.slug for t in real_bank.topics]
    for slug, cells in rows:
        questions = real_bank.questions_in(slug)
        expected = [sum(q.difficulty == d for q in questions) for d in ("foundational", "intermediate", "advanced")]
        assert [int(n) for n in re.findall(r">(\d+)<", cells)] == [*expected, len(questions)], slug


def test_every_page_made_from_the_bank_has_its_edit_button_open_the_bank_file(built_site: Path, real_bank: Bank) -> None:
    pages = [built_site / folder / t.slug / "index.html" for t in real_bank.topics for folder in ("topics", "print")]
    pages.append(built_site / "print" / "index.html")
    for page in pages:
        edit = re.search(r'<a href="([^"]+)" title="Edit this page"', page.read_text(encoding="utf-8"))
        assert edit, page
        assert edit.group(1).endswith("/edit/main/data/questions.json")


def test_each_question_links_to_its_line_in_the_bank_and_to_a_prefilled_report(built_site: Path,
                                                                              real_bank: Bank) -> None:
    bank_lines = (ROOT / "data" / "questions.json").read_text(encoding="utf-8").splitlines()
    for topic in real_bank.topics:
        html = topic_pages_html(built_site, "topics", topic.slug)
        for question in real_bank.questions_in(topic.slug):
            start = html.index(f'<h2 id="{question.id}"')
            meta = html[start:html.index("<details", start)]
            edit = re.search(r'href="([^"]+)"[^>]*>Suggest an edit<', meta).group(1)
            line = int(edit.rsplit("#L", 1)[1])
            assert edit.startswith("https://github.com/")
            assert "/blob/main/data/questions.json#L" in edit
            assert bank_lines[line - 1].strip() == f'"id": "{question.id}",', question.id
            report = html_module.unescape(re.search(r'href="([^"]+)"[^>]*>Report a problem<', meta).group(1))
            query = parse_qs(urlsplit(report).query)
            assert query["template"] == ["report-answer.yml"]
            assert query["question-id"] == [question.id]
            assert query["question-link"][0].endswith(f"/topics/{topic.slug}/#{question.id}")


def test_question_blocks_hold_no_live_markup(built_site: Path, real_bank: Bank) -> None:
    parts = [path for topic in real_bank.topics for path in topic_page_files(built_site, "topics", topic.slug)]
    assert len(parts) > len(real_bank.topics), "the later parts of long topics are scanned too"
    for path in parts:
        html = path.read_text(encoding="utf-8")
        content = html[html.index("<h1"):html.index("</article>")]  # the page's own content, no theme icons
        # The only SVG in a question is a diagram drawn by qbank/diagrams.py (escaped text, no links).
        svgs = re.findall(r"<svg\b[^>]*>", content)
        assert all('class="qa-diagram__svg' in svg for svg in svgs), path
        assert unsafe_markup(content, frozenset({"svg"})) == [], path


def test_no_error_text_in_any_page(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Macro Rendering Error" not in text, page
        assert "Macro Syntax Error" not in text, page


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_invalid_bank_fails_the_build_with_a_located_message(project_copy: Path, tmp_path: Path) -> None:
    bank_path = project_copy / "data" / "questions.json"
    bank = json.loads(bank_path.read_text(encoding="utf-8"))
    victim = bank["questions"][1]
    victim["answer"] = "Watch out: <script>alert(1)</script>"
    bank_path.write_text(json.dumps(bank, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    line, col = next(
        (i, text.index("<script>") + 1)
        for i, text in enumerate(bank_path.read_text().splitlines(), 1)
        if "<script>" in text
    )

    result = run_mkdocs_build(project_copy, tmp_path / "site")

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (f"data/questions.json:{line}:{col}: question '{victim['id']}': 'answer', at '<script>': "
            "raw HTML is not allowed") in output
    assert not (tmp_path / "site" / "topics").exists(), "no pages may be written from a bad bank"


def test_a_new_topic_is_one_entry_in_the_bank(project_copy: Path, tmp_path: Path) -> None:
    bank_path = project_copy / "data" / "questions.json"
    bank = json.loads(bank_path.read_text(encoding="utf-8"))
    bank["topics"].append({"slug": "new-topic", "title": "New topic", "description": "A topic added as one entry."})
    question = {**bank["questions"][0], "id": "a-question-in-the-new-topic", "topic": "new-topic",
                "question": "Which page shows a question that belongs to a topic added only to the bank?"}
    bank["questions"].append(question)
    bank_path.write_text(json.dumps(bank, indent=2) + "\n", encoding="utf-8")

    result = run_mkdocs_build(project_copy, tmp_path / "site")

    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "topics" / "new-topic" / "index.html").read_text(encoding="utf-8")
    assert "<title>New topic - ML Infra Interviews</title>" in page
    assert 'id="a-question-in-the-new-topic"' in page
    assert (tmp_path / "site" / "print" / "new-topic" / "index.html").is_file()


def test_unknown_macro_name_fails_the_build(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "docs" / "extra.md").write_text("# Extra\n\n{{ no_such_macro() }}\n")
    result = run_mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0


def _sidebar_topics(html: str, page_url: str) -> list[str]:
    """The topic slugs the primary navigation (the sidebar, the drawer on a phone) links, in order."""
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index('class="md-sidebar md-sidebar--secondary"')]
    targets = [urljoin(page_url, href) for href in re.findall(r'<a href="([^"]*)"[^>]*class="md-nav__link', nav)]
    slugs = [m.group(1) for t in targets if (m := re.fullmatch(r"https://site/topics/([a-z0-9-]+)/", t))]
    return [slug for n, slug in enumerate(slugs) if slug not in slugs[:n]]


def test_the_sidebar_lists_topics_in_the_bank_order(built_site: Path, real_bank: Bank) -> None:
    """The curriculum order of the home page, not the alphabetical order of file names, on the home
    page and on a topic page."""
    bank_order = [topic.slug for topic in real_bank.topics]
    assert bank_order != sorted(bank_order), "the bank's order is not alphabetical, so this test can fail"
    for url in ("", f"topics/{bank_order[-1]}/"):
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        assert _sidebar_topics(html, f"https://site/{url}") == bank_order, url


def test_a_topic_page_shows_its_questions_in_learning_order(built_site: Path, real_bank: Bank) -> None:
    """Foundational, then intermediate, then advanced; bank order within a level. The GPUs topic
    opens with an advanced question in the bank."""
    questions = real_bank.questions_in("gpus")
    assert questions[0].difficulty == "advanced", "the bank order would open with an advanced question"
    expected = [q.id for level in ("foundational", "intermediate", "advanced") for q in questions
                if q.difficulty == level]
    for folder in ("topics", "print"):
        html = topic_pages_html(built_site, folder, "gpus")
        shown = [qid for qid in re.findall(r'<h2 id="([a-z0-9-]+)"', html) if qid in real_bank.by_id]
        assert shown == expected, folder
    cards = json.loads((built_site / "practice" / "cards.json").read_text(encoding="utf-8"))["cards"]
    assert [c["id"] for c in cards if c["topic"] == "gpus"] == expected, "practice cards in the same order"


def test_every_topic_page_links_to_practising_its_topic(built_site: Path, real_bank: Bank) -> None:
    for topic in real_bank.topics:
        html = _topic_html(built_site, topic.slug)
        links = re.findall(r'<a class="[^"]*\bqa-practise\b[^"]*" href="([^"]+)">Practise this topic</a>', html)
        assert len(links) == 1, topic.slug
        # Relative, so it works under the site's subpath (GitHub Pages serves the site under one).
        page_url = f"https://owner.github.io/repo/topics/{topic.slug}/"
        assert urljoin(page_url, links[0]) == f"https://owner.github.io/repo/practice/?topic={topic.slug}"
        header = html[html.index('class="qa-topic-count"'):html.index("<h2 ")]
        assert "Practise this topic" in header, "in the header area, after the counts, before the questions"
        printed = (built_site / "print" / topic.slug / "index.html").read_text(encoding="utf-8")
        assert "Practise this topic" not in printed


class _Links(HTMLParser):
    """Every link's href inside the elements with a given class, or on a link with that class, in order."""

    _VOID = frozenset({"a", "br", "img", "hr", "input", "meta", "link", "path"})  # never wrap a counted link

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.hrefs: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        marked = self.css_class in (attributes.get("class") or "").split()
        if tag == "a" and (marked or self._depth):
            self.hrefs.append(attributes.get("href") or "")
        if tag not in self._VOID and (marked or self._depth):
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._VOID and self._depth:
            self._depth -= 1


def _links(html: str, css_class: str) -> list[str]:
    parser = _Links(css_class)
    parser.feed(html)
    return parser.hrefs


def _target(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file a relative link from a built page opens, and its #anchor."""
    path, _, anchor = href.partition("#")
    target = (page.parent / path).resolve()
    return (target / "index.html" if target.is_dir() else target), anchor


def _lands(site: Path, page: Path, href: str) -> str:
    """The id of the question a link from a page lands on, checking that its page holds that anchor."""
    target, anchor = _target(site, page, href)
    assert target.is_file(), f"{page.relative_to(site)}: {href} leads nowhere"
    assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{page.relative_to(site)}: {href} has no anchor"
    return anchor


def test_every_tag_page_lists_exactly_the_questions_with_that_tag(built_site: Path, real_bank: Bank) -> None:
    tags = {tag for q in real_bank.questions for tag in q.tags}
    assert {p.name for p in (built_site / "tags").iterdir() if p.is_dir()} == tags
    for tag in tags:
        page = built_site / "tags" / tag / "index.html"
        listed = [_lands(built_site, page, href) for href in _links(page.read_text(encoding="utf-8"), "qa-tag-page")]
        assert listed == [q.id for q in real_bank.questions if tag in q.tags], tag


def test_every_tag_chip_links_to_its_tag_page(built_site: Path, real_bank: Bank) -> None:
    pages = sorted((built_site / "topics").rglob("index.html"))
    chips = [(page, href) for page in pages for href in _links(page.read_text(encoding="utf-8"), "qa-tag")]
    assert len(chips) == sum(len(q.tags) for q in real_bank.questions)
    for page, href in chips:
        target, _ = _target(built_site, page, href)
        assert target.parent.parent == built_site / "tags", href
        assert target.is_file(), href


def test_the_tags_index_counts_every_tag_and_the_sidebar_has_one_tags_entry(built_site: Path, real_bank: Bank) -> None:
    html = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for q in real_bank.questions:
        for tag in q.tags:
            counts[tag] = counts.get(tag, 0) + 1
    for tag, count in counts.items():
        assert f'<a href="{tag}/">#{tag}</a> {count}</li>' in html, tag
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert nav.count('href="tags/"') == 1
    assert not re.search(r'href="tags/[a-z0-9-]+/"', nav), "no tag page in the sidebar"


def test_follow_ups_and_related_questions_link_to_questions_that_exist(built_site: Path, real_bank: Bank) -> None:
    answered = {(q.id, f.answered_by) for q in real_bank.questions for f in q.follow_ups if f.answered_by}
    assert len(answered) > 100
    found: set[tuple[str, str]] = set()
    related = 0
    for page in sorted((built_site / "topics").rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<details class="qa" data-question="([a-z0-9-]+)"(.*?)</details>', html, re.S):
            question, body = block
            found |= {(question, _lands(built_site, page, href)) for href in _links(body, "qa-follow-ups")}
            targets = [_lands(built_site, page, href) for href in _links(body, "qa-related")]
            assert question not in targets
            assert len(targets) <= 4
            related += bool(targets)
    assert found == answered
    assert related > len(real_bank.questions) * 0.8


def test_a_serve_rebuild_reuses_what_the_previous_build_checked_and_a_new_process_starts_empty() -> None:
    from mkdocs.config import load_config

    from qbank.site import QuestionBankPlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["question-bank"]
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    first = plugin.build
    assert len(first.clean_texts) > len(first.bank.questions), "the texts that passed are kept on the build"
    assert len(first.valid_questions) == len(first.bank.questions)
    plugin.on_config(config)  # what `mkdocs serve` runs again after an edit
    assert plugin.build is not first
    assert plugin.build.clean_texts is first.clean_texts
    assert plugin.build.valid_questions is first.valid_questions
    fresh = QuestionBankPlugin()  # another process: nothing carried over from the builds above
    fresh.on_config(config)
    assert fresh.build.clean_texts is not first.clean_texts
    assert fresh.build.clean_texts == first.clean_texts, "the same bank passes the same texts"
