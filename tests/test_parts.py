"""Long topics split into parts of a fixed size, in learning order: a question's page never moves
when another answer grows, every page stays under the size limit, every question is on exactly one
part, search links to the right part, and a topic permalink still opens its question, also one that
the learning order moved to a later part."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from qbank import exports, render, routes
from qbank.bank import DIFFICULTIES, Bank, load_bank
from qbank.text import MarkdownText
from tests.conftest import ROOT, SiteServer, run_mkdocs_build
from tests.support import topic_page_files, topic_pages_html

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


def test_paginate_cuts_the_fewest_balanced_parts_in_the_order_given(valid_bank: Bank) -> None:
    questions = valid_bank.questions
    assert len(routes.paginate(questions)) == 1, "a small topic stays one page"
    for total, size, lengths in [(28, 20, [14, 14]), (20, 20, [20]), (21, 20, [11, 10]), (41, 20, [14, 14, 13]),
                                 (5, 2, [2, 2, 1])]:
        many = tuple(dataclasses.replace(questions[0], id=f"q{n}") for n in range(total))
        parts = routes.paginate(many, size=size)
        assert [len(p.questions) for p in parts] == lengths, (total, size)
        assert [q for p in parts for q in p.questions] == list(many)
        assert [p.number for p in parts] == list(range(1, len(parts) + 1))
        assert {p.count for p in parts} == {len(parts)}
        assert [p.first for p in parts] == [1 + sum(lengths[:i]) for i in range(len(parts))]


def _in_learning_order(questions) -> list[str]:
    """Ids by level (foundational, intermediate, advanced), bank order within a level: written out
    here, independently of routes.learning_order."""
    return [q.id for level in DIFFICULTIES for q in questions if q.difficulty == level]


def test_a_topic_is_ordered_for_learning_and_cut_into_parts_in_that_order(valid_bank: Bank) -> None:
    template = valid_bank.questions[0]
    # Bank order opens with an advanced question, as the GPUs topic did.
    levels = ["advanced", "intermediate", "foundational", "advanced", "foundational", "intermediate",
              "intermediate", "foundational", "advanced"]
    questions = tuple(dataclasses.replace(template, id=f"q{n}", difficulty=level) for n, level in enumerate(levels))
    # Then the fixture's batch-vs-stream (beta, advanced) and data-drift-basics (alpha, intermediate).
    bank = dataclasses.replace(valid_bank, questions=questions + valid_bank.questions[1:])
    on_parts = routes.Routes(bank, size=4)

    parts = on_parts.parts["alpha"]
    shown = [q.id for part in parts for q in part.questions]
    assert shown == ["q2", "q4", "q7", "q1", "q5", "q6", "data-drift-basics", "q0", "q3", "q8"]
    assert shown == _in_learning_order(bank.questions_in("alpha"))
    assert [len(part.questions) for part in parts] == [4, 3, 3], "three parts of at most 4, balanced"
    assert on_parts.part_of["q2"] == 1, "the first foundational question opens the topic"
    assert on_parts.part_of["q0"] == 3, "the advanced question that opened the bank's list moved on"
    assert on_parts.question_url(bank.by_id["q0"]) == "topics/alpha/3/#q0"
    assert on_parts.permalink(bank.by_id["q0"]) == "topics/alpha/#q0", "the lasting link is the topic's first page"
    assert [q.id for q in on_parts.ordered] == [*shown, "batch-vs-stream"], "topics in bank order, then levels"


def test_practice_files_follow_the_site_order(valid_bank: Bank) -> None:
    template = valid_bank.questions[0]
    questions = (dataclasses.replace(template, id="hard", difficulty="advanced"),
                 dataclasses.replace(template, id="easy", difficulty="foundational"),
                 dataclasses.replace(template, id="middle", difficulty="intermediate"))
    bank = dataclasses.replace(valid_bank, questions=questions)
    on_parts = routes.Routes(bank, size=2)
    index = json.loads(exports.index_json(on_parts))
    assert list(index["questions"]) == ["easy", "middle", "hard"]
    assert index["parts"] == {"hard": 2}, "only questions past the first part are named"


def test_a_question_keeps_its_page_when_another_answer_grows(long_topic_site: tuple[Path, str, Bank]) -> None:
    bank = long_topic_site[2]
    before = routes.Routes(bank)
    first = bank.questions_in("topic-00")[0]
    longer = dataclasses.replace(first, answer=MarkdownText(first.answer.source + "\n\n" + first.answer.source * 20))
    grown = dataclasses.replace(bank, questions=tuple(longer if q is first else q for q in bank.questions))
    after = routes.Routes(grown)
    assert len(before.parts["topic-00"]) >= 3, "the long topic is split"
    assert {q.id: after.question_url(q) for q in grown.questions} == {q.id: before.question_url(q) for q in bank.questions}


def test_part_links_resolve_between_part_files() -> None:
    assert routes.part_source("topics", "gpus", 1) == "topics/gpus.md"
    assert routes.part_source("topics", "gpus", 3) == "topics/gpus/3.md"
    assert routes.part_url("topics", "gpus", 3) == "topics/gpus/3/"
    part = routes.TopicPart(number=2, count=3, first=41, questions=())
    nav = render.render_part_nav("gpus", part)
    assert "[1](../gpus.md)" in nav
    assert "[3](3.md)" in nav
    assert "**2**" in nav
    first = render.render_part_nav("gpus", routes.TopicPart(1, 3, 1, ()))
    assert "[2](gpus/2.md)" in first


def test_every_page_fits_the_budget(long_topic_site: tuple[Path, str, Bank], built_site: Path) -> None:
    for site in (long_topic_site[0], built_site):
        sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
        too_big = {page: size for page, size in sizes.items() if size > PAGE_LIMIT}
        assert not too_big, f"pages over {PAGE_LIMIT} bytes: {too_big}"


def test_each_question_is_on_exactly_one_part(long_topic_site: tuple[Path, str, Bank]) -> None:
    site, _, bank = long_topic_site
    questions = bank.questions_in("topic-00")
    part_pages = topic_page_files(site, "topics", "topic-00")
    assert len(part_pages) >= 3, "the long topic is split"
    seen = []
    for page in part_pages:
        html = page.read_text(encoding="utf-8")
        seen += re.findall(r'<h2 id="([a-z0-9-]+)"', html)
        assert f"of {len(part_pages)} (questions" in html, "each part says where it stands"
    assert seen == _in_learning_order(questions), "every question once, in learning order"
    opened = re.findall(r'<details class="qa" data-question="([a-z0-9-]+)" open>',
                        topic_pages_html(site, "print", "topic-00"))
    assert opened == _in_learning_order(questions), "the printable pages hold every question, open, in order"
    cards = json.loads((site / "practice" / "cards.json").read_text(encoding="utf-8"))["cards"]
    assert [c["id"] for c in cards if c["topic"] == "topic-00"] == _in_learning_order(questions)
    index = json.loads((site / "practice" / "index.json").read_text(encoding="utf-8"))
    assert [qid for qid, topic in index["questions"].items() if topic == "topic-00"] == _in_learning_order(questions)


def test_search_links_each_question_to_its_part(long_topic_site: tuple[Path, str, Bank]) -> None:
    site, _, bank = long_topic_site
    on_part = routes.Routes(bank)
    for number, question in enumerate(bank.questions):
        doc = json.loads((site / "search" / "q" / f"{number}.json").read_text(encoding="utf-8"))
        assert doc["url"] == on_part.question_url(question), question.id
        page = on_part.question_page(question)
        assert f'<h2 id="{question.id}"' in (site / page / "index.html").read_text(encoding="utf-8")


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
    # A shared link to a later part whose question is now on part 1 (a question added before it moved
    # it back): index.json names no part for it, and the page goes to part 1.
    on_first = routes.Routes(bank).parts["topic-00"][0].questions[-1]
    page.goto(f"{url}topics/topic-00/2/#{on_first.id}")
    expect(page).to_have_url(re.compile(rf"topics/topic-00/#{on_first.id}$"))
    expect(page.locator(f'details.qa[data-question="{on_first.id}"]')).to_have_attribute("open", "")


@pytest.mark.browser
def test_the_end_of_a_part_leads_on_to_the_next_part_and_the_last_part_does_not(
        long_topic_site: tuple[Path, str, Bank], page: Page) -> None:
    _site, url, bank = long_topic_site
    parts = routes.Routes(bank).parts["topic-00"]
    assert len(parts) >= 3, "the fixture topic has several parts"
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{url}topics/topic-00/")
    onward = page.locator("nav.qa-parts").last.get_by_role("link", name=re.compile("^Next: part 2"))
    expect(onward).to_have_text(f"Next: part 2, from question {len(parts[0].questions) + 1}")
    expect(page.locator("nav.qa-parts").first.get_by_role("link", name=re.compile("^Next"))).to_have_count(0)
    assert onward.bounding_box()["height"] >= 44, "a touch target on a phone"
    onward.click()
    expect(page).to_have_url(re.compile(r"topics/topic-00/2/$"))
    expect(page.locator("h2[id]").first).to_have_id(parts[1].questions[0].id)
    page.goto(f"{url}topics/topic-00/{len(parts)}/")
    expect(page.locator("nav.qa-parts").last).to_contain_text(f"Part {len(parts)} of {len(parts)}")
    expect(page.locator("nav.qa-parts").get_by_role("link", name=re.compile("^Next"))).to_have_count(0)


@pytest.mark.browser
def test_an_old_permalink_to_a_question_the_learning_order_moved_still_lands_on_it(
        long_topic_site: tuple[Path, str, Bank], page: Page) -> None:
    _site, url, bank = long_topic_site
    on_parts = routes.Routes(bank)
    # On the first page while parts followed bank order; on a later part in learning order.
    moved = next(q for q in bank.questions_in("topic-00")[:routes.PART_SIZE] if on_parts.part_of[q.id] > 1)
    page.goto(f"{url}topics/topic-00/#{moved.id}")
    expect(page).to_have_url(re.compile(rf"topics/topic-00/{on_parts.part_of[moved.id]}/#{moved.id}$"))
    expect(page.locator(f'details.qa[data-question="{moved.id}"]')).to_have_attribute("open", "")
    expect(page.locator(f"#{moved.id}")).to_be_in_viewport()


@pytest.mark.browser
def test_a_printed_part_has_its_questions_and_no_part_links(long_topic_site: tuple[Path, str, Bank], page: Page,
                                                             tmp_path: Path) -> None:
    _, url, bank = long_topic_site
    parts = routes.Routes(bank).print_parts["topic-00"]
    assert len(parts[0].questions) > routes.PART_SIZE, "printed parts are longer than the screen's parts"
    page.goto(f"{url}print/topic-00/2/")
    expect(page.locator("details.qa[open]")).to_have_count(len(parts[1].questions))
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "part.pdf"), format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "part.pdf").pages)
    assert "part 2 of" in text, "the title says which part this is"
    assert "(questions" not in text, "the part links are left out of the printout"
    assert "Random question" not in text
