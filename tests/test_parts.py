"""Long topics split into parts: every page stays under the size budget, every question is on
exactly one part, search links to the right part, and a topic permalink still opens its question."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from macros import render
from macros.bank import Bank, Question, load_bank
from tests.conftest import ROOT, SiteServer, run_mkdocs_build

# The largest HTML page a reader's browser is asked to load.
PAGE_LIMIT = 400_000


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def long_topic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Bank]]:
    """A synthetic bank whose first topic holds nine in ten questions (several parts), built strictly
    and served under the GitHub Pages subpath."""
    bench = _bench()
    data = bench.synthetic_bank(300)
    for n, question in enumerate(data["questions"]):
        if n % 10:
            question["topic"] = "topic-00"
    data["questions"].sort(key=lambda q: q["topic"])
    project = tmp_path_factory.mktemp("long-topic")
    bench._ours(data, project)
    server = SiteServer(tmp_path_factory.mktemp("long-topic-site"))
    result = run_mkdocs_build(project, server.directory, site_url=server.url)
    assert result.returncode == 0, result.stderr
    bank = load_bank(project / "data" / "questions.json", project / "docs")
    yield server.directory, server.start(), bank
    server.stop()


def test_paginate_keeps_order_and_budget(valid_bank: Bank) -> None:
    questions = valid_bank.questions
    weight = max(len(render.render_answer_block(q)) for q in questions) + 1000
    parts = render.paginate(questions, budget=weight * 2)
    assert [q for p in parts for q in p.questions] == list(questions)
    assert all(1 <= len(p.questions) <= 2 for p in parts)
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert {p.count for p in parts} == {len(parts)}
    assert [p.first for p in parts] == [1 + sum(len(x.questions) for x in parts[:i]) for i in range(len(parts))]
    assert len(render.paginate(questions)) == 1, "a small topic stays one page"


def test_parts_are_filled_up_to_the_budget(long_topic_site: tuple[Path, str, Bank]) -> None:
    def weight(question: Question) -> int:  # its rendered HTML, with room for its links
        return len(render.render_question(question)) + 600

    parts = render.paginate(long_topic_site[2].questions_in("topic-00"))
    for part, following in itertools.pairwise(parts):
        filled = sum(map(weight, part.questions))
        assert filled <= render.PART_BUDGET, f"part {part.number} is over the budget"
        assert filled + weight(following.questions[0]) > render.PART_BUDGET, f"part {part.number} had room"

def test_part_links_resolve_between_part_files() -> None:
    assert render.part_source("topics", "gpus", 1) == "topics/gpus.md"
    assert render.part_source("topics", "gpus", 3) == "topics/gpus/3.md"
    assert render.part_url("topics", "gpus", 3) == "topics/gpus/3/"
    part = render.TopicPart(number=2, count=3, first=41, questions=())
    nav = render.render_part_nav("gpus", part)
    assert "[1](../gpus.md)" in nav
    assert "[3](3.md)" in nav
    assert "**2**" in nav
    first = render.render_part_nav("gpus", render.TopicPart(1, 3, 1, ()))
    assert "[2](gpus/2.md)" in first


def test_every_page_fits_the_budget(long_topic_site: tuple[Path, str, Bank], built_site: Path) -> None:
    for site in (long_topic_site[0], built_site):
        sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
        too_big = {page: size for page, size in sizes.items() if size > PAGE_LIMIT}
        assert not too_big, f"pages over {PAGE_LIMIT} bytes: {too_big}"


def test_each_question_is_on_exactly_one_part(long_topic_site: tuple[Path, str, Bank]) -> None:
    site, _, bank = long_topic_site
    questions = bank.questions_in("topic-00")
    part_pages = [site / "topics" / "topic-00" / "index.html",
                  *sorted((site / "topics" / "topic-00").glob("[0-9]*/index.html"), key=lambda p: int(p.parent.name))]
    assert len(part_pages) >= 3, "the long topic is split"
    seen = []
    for page in part_pages:
        html = page.read_text(encoding="utf-8")
        seen += re.findall(r'<h2 id="([a-z0-9-]+)"', html)
        assert f"of {len(part_pages)} (questions" in html, "each part says where it stands"
    assert seen == [q.id for q in questions], "every question once, in bank order"
    print_pages = [site / "print" / "topic-00" / "index.html",
                   *((site / "print" / "topic-00" / str(n) / "index.html") for n in range(2, len(part_pages) + 1))]
    opened = [qid for page in print_pages
              for qid in re.findall(r'<details class="qa" data-question="([a-z0-9-]+)" open>',
                                    page.read_text(encoding="utf-8"))]
    assert opened == [q.id for q in questions], "the printable pages hold every question, open"


def test_search_links_each_question_to_its_part(long_topic_site: tuple[Path, str, Bank]) -> None:
    site, _, bank = long_topic_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    parts = render.question_parts({"topic-00": render.paginate(bank.questions_in("topic-00"))})
    for question in bank.questions_in("topic-00"):
        page = render.part_url("topics", "topic-00", parts[question.id])
        assert f"{page}?qid={question.id}" in locations, question.id
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert f'<h2 id="{question.id}"' in html


@pytest.mark.browser
def test_topic_permalink_forwards_to_the_part_and_opens_the_answer(
        long_topic_site: tuple[Path, str, Bank], page: Page) -> None:
    _site, url, bank = long_topic_site
    questions = bank.questions_in("topic-00")
    last = questions[-1]
    page.goto(f"{url}topics/topic-00/#{last.id}")
    expect(page).to_have_url(re.compile(rf"topics/topic-00/\d+/#{last.id}$"))
    answer = page.locator(f'details.qa[data-question="{last.id}"]')
    expect(answer).to_have_attribute("open", "")
    expect(page.locator(f"#{last.id}")).to_be_in_viewport()
    page.set_viewport_size({"width": 375, "height": 700})
    sizes = page.eval_on_selector_all("nav.qa-parts a", "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes, "the part navigator links every other part"
    assert min(sizes) >= 44, "part links are touch targets on a phone"
    first = questions[0]
    page.goto(f"{url}topics/topic-00/#{first.id}")
    expect(page.locator(f'details.qa[data-question="{first.id}"]')).to_have_attribute("open", "")
    expect(page).to_have_url(re.compile(rf"topics/topic-00/#{first.id}$"))


@pytest.mark.browser
def test_a_printed_part_has_its_questions_and_no_part_links(long_topic_site: tuple[Path, str, Bank], page: Page,
                                                             tmp_path: Path) -> None:
    _, url, bank = long_topic_site
    parts = render.paginate(bank.questions_in("topic-00"))
    page.goto(f"{url}print/topic-00/2/")
    expect(page.locator("details.qa[open]")).to_have_count(len(parts[1].questions))
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "part.pdf"), format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "part.pdf").pages)
    assert "part 2 of" in text, "the title says which part this is"
    assert "(questions" not in text, "the part links are left out of the printout"
    assert "Random question" not in text
