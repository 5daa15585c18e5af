"""What a reader does in a real browser: Chromium (Playwright) against the built site served on
127.0.0.1 under a GitHub Pages-style subpath."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank.bank import Bank

pytestmark = pytest.mark.browser


def _answer_only_word(site: Path, bank: Bank) -> tuple[str, str]:
    """A word found in exactly one question's answer and nowhere else in the search index (nor a
    word sharing its first six letters, so neither plurals nor typing its start match elsewhere),
    and that question's id."""
    count = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))["count"]
    docs = [json.loads((site / "search" / "q" / f"{n}.json").read_text(encoding="utf-8")) for n in range(count)]
    texts = [" ".join([doc["q"], *(text for _, text in doc["sections"])]).lower() for doc in docs]
    for question in bank.questions:
        heading = question.question.value.lower()
        for word in sorted(set(re.findall(r"\b[a-z]{8,}\b", question.answer.source.lower()))):
            stem = word[:6]
            if stem in heading or stem in question.how_to_answer.source.lower() or stem in question.example_answer.source.lower():
                continue
            if sum(stem in text for text in texts) == 1:
                return word, question.id
    raise AssertionError("no answer-only word in the bank")


def _search(page: Page, site_url: str, word: str) -> None:
    page.goto(site_url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(word, delay=20)
    expect(page.locator(".md-search-result__link").first).to_be_visible()


def _answer(page: Page, question_id: str):
    return page.locator(f'details.qa[data-question="{question_id}"]')


def _in_viewport(page: Page, selector: str) -> bool:
    return page.eval_on_selector(
        selector, "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )


def test_word_only_in_an_answer_finds_opens_and_highlights_it(page: Page, site_url: str, built_site: Path,
                                                               real_bank: Bank) -> None:
    word, question_id = _answer_only_word(built_site, real_bank)
    _search(page, site_url, word)

    page.locator(".md-search-result__link").first.click()

    expect(page).to_have_url(re.compile(rf"#{question_id}$"))
    answer = _answer(page, question_id)
    expect(answer).to_have_attribute("open", "")
    mark = answer.locator("mark[data-md-highlight]").first
    expect(mark).to_be_visible()
    assert mark.inner_text().lower() == word
    assert "qid=" not in page.url, "the address bar shows the plain permalink"


def test_permalink_opens_its_answer(page: Page, site_url: str, real_bank: Bank) -> None:
    topic = next(t for t in real_bank.topics if len(real_bank.questions_in(t.slug)) >= 2)
    first, last = real_bank.questions_in(topic.slug)[0], real_bank.questions_in(topic.slug)[-1]

    page.goto(f"{site_url}topics/{topic.slug}/#{last.id}")

    expect(_answer(page, last.id)).to_have_attribute("open", "")
    expect(_answer(page, first.id)).not_to_have_attribute("open", "")
    assert _in_viewport(page, f"#{last.id}")


def test_permalink_opens_its_answer_after_instant_navigation(page: Page, site_url: str, real_bank: Bank) -> None:
    question = real_bank.questions[-1]
    page.goto(site_url)
    page.evaluate("window.__sameDocument = true")
    page.evaluate(
        """href => { const a = document.createElement('a'); a.href = href; a.id = 'permalink-under-test';
        a.textContent = 'go'; document.querySelector('article').prepend(a); }""",
        f"topics/{question.topic}/#{question.id}",
    )

    page.click("#permalink-under-test")

    expect(page).to_have_url(re.compile(rf"topics/{question.topic}/#{question.id}$"))
    expect(_answer(page, question.id)).to_have_attribute("open", "")
    assert page.evaluate("window.__sameDocument === true"), "Material's instant navigation was expected"


def test_answer_opens_and_closes(page: Page, site_url: str, real_bank: Bank) -> None:
    question = real_bank.questions[0]
    page.goto(f"{site_url}topics/{question.topic}/")
    answer = _answer(page, question.id)
    body = answer.locator(".qa-answer")
    expect(body).to_be_hidden()

    answer.locator("summary").click()
    expect(answer).to_have_attribute("open", "")
    expect(body).to_be_visible()

    answer.locator("summary").click()
    expect(answer).not_to_have_attribute("open", "")
    expect(body).to_be_hidden()


def test_dark_mode_is_kept_after_reload(page: Page, site_url: str) -> None:
    page.goto(site_url)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")

    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")

    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(f"{site_url}topics/gpus/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_readable_on_a_375px_phone(browser, site_url: str, real_bank: Bank) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        for topic in real_bank.topics:
            page.goto(f"{site_url}topics/{topic.slug}/")
            page.evaluate("document.querySelectorAll('details.qa').forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{topic.slug}: page is {width}px wide on a 375px screen"
            summary = page.locator("details.qa > summary").first.bounding_box()
            assert summary["height"] >= 44, "touch target under 44px"
    finally:
        context.close()


# Every kind of text in an answer block, by section; each must be on the GPUs page at least once.
_ANSWER_TEXT = {
    "answer": ".qa-answer p, .qa-answer li",
    "answer table": ".qa-answer td",
    "how to answer": ".qa-how p",
    "what the interviewer checks": ".qa-rubric li",
    "example answer": ".qa-example p",
    "follow-ups": ".qa-follow-ups li",
    "numbers used": ".qa-numbers-used li",
    "references": ".qa-references li",
}


def _reader(browser, width: int, height: int, touch: bool, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=touch, has_touch=touch,
                                  color_scheme=scheme)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    return context


@pytest.mark.parametrize(("width", "height", "touch"), [(375, 740, True), (1280, 800, False)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_answers_read_at_the_body_size(browser, site_url: str, width: int, height: int, touch: bool,
                                       scheme: str) -> None:
    """An answer is the page's main text: every section of it at the body size or larger, the example
    answer a quotation (a rule at its left, upright type), section headings between the text and
    the question's heading."""
    context = _reader(browser, width, height, touch, scheme)
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/gpus/")
        page.evaluate("document.querySelectorAll('details.qa').forEach(d => d.open = true)")
        body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset > p')).fontSize)")
        smallest = page.evaluate("""selectors => Object.fromEntries(Object.entries(selectors).map(([name, s]) => {
            const sizes = [...document.querySelectorAll('details.qa :is(' + s + ')')]
              .map(e => parseFloat(getComputedStyle(e).fontSize));
            return [name, sizes.length ? Math.min(...sizes) : null];
        }))""", _ANSWER_TEXT)
        example = page.evaluate("""() => { const e = document.querySelector('details.qa .qa-example');
            const p = getComputedStyle(e.querySelector('p')), box = getComputedStyle(e);
            return {style: p.fontStyle, rule: parseFloat(box.borderLeftWidth), ruleStyle: box.borderLeftStyle}; }""")
        label, heading = page.evaluate("""() => ['details.qa .qa-label', '.md-typeset h2[id]']
            .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
    finally:
        context.close()
    assert body >= 16
    assert None not in smallest.values(), f"a section is missing from the page: {smallest}"
    small = {name: size for name, size in smallest.items() if size < body}
    assert not small, f"answer text smaller than the body text ({body}px): {small}"
    assert example["style"] == "normal", "the example answer is a quotation, not a block of italics"
    assert example["rule"] >= 2, "the example answer is set off by a rule at its left"
    assert example["ruleStyle"] == "solid"
    assert body < label < heading, "a section heading stands above the text and below the question"


def test_a_wide_table_in_an_answer_scrolls_in_its_block_not_the_page(browser, site_url: str) -> None:
    context = _reader(browser, 375, 740, touch=True)
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/gpus/")
        page.evaluate("document.querySelectorAll('details.qa').forEach(d => d.open = true)")
        wide = page.evaluate("""() => [...document.querySelectorAll('details.qa table')].filter(t =>
            t.scrollWidth > innerWidth).map(t => t.closest('details').dataset.question)""")
        assert wide, "the GPUs page has an answer table wider than a phone"
        page_width = page.evaluate("document.documentElement.scrollWidth")
        scrolled = page.evaluate("""() => { const t = [...document.querySelectorAll('details.qa table')]
            .find(t => t.scrollWidth > innerWidth); const box = t.parentElement.closest('.md-typeset__scrollwrap');
            box.scrollLeft = 200; return box.scrollLeft; }""")
        nowrap_words = page.evaluate("""() => { const t = [...document.querySelectorAll('details.qa table')]
            .find(t => t.scrollWidth > innerWidth); return getComputedStyle(t).overflowWrap; }""")
    finally:
        context.close()
    assert page_width <= 375, f"the page is {page_width}px wide on a 375px screen"
    assert scrolled > 0, "the wide table scrolls sideways inside its own block"
    assert nowrap_words != "anywhere", "table cells keep words whole rather than squeezing them letter by letter"


@pytest.mark.parametrize(("width", "height", "touch"), [(375, 740, True), (1280, 800, False)])
def test_practise_this_topic_is_on_the_first_screen_and_opens_the_practice_page(
        browser, site_url: str, width: int, height: int, touch: bool) -> None:
    context = _reader(browser, width, height, touch)
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/gpus/")
        link = page.get_by_role("link", name="Practise this topic")
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box["height"] >= 44, "a touch target"
        assert box["y"] + box["height"] <= height, "all of it on the first screen"
        link.click()
        expect(page).to_have_url(f"{site_url}practice/?topic=gpus")
    finally:
        context.close()


def test_a_tag_chip_leads_to_every_question_with_the_tag_and_back_to_an_open_answer(page: Page, site_url: str,
                                                                                   real_bank: Bank) -> None:
    tag = "kv-cache"
    tagged = [q for q in real_bank.questions if tag in q.tags]
    first = tagged[0]
    page.goto(f"{site_url}topics/{first.topic}/")
    page.locator(f'h2#{first.id} + p.qa-meta a.qa-tag:text-is("#{tag}")').click()
    expect(page).to_have_url(f"{site_url}tags/{tag}/")
    items = page.locator(".qa-tag-page li > a")
    expect(items).to_have_count(len(tagged))
    expect(items.first).to_have_text(first.question.value)
    last = tagged[-1]
    items.last.click()
    expect(_answer(page, last.id)).to_have_attribute("open", "")
    expect(page).to_have_url(re.compile(rf"#{last.id}$"))


def test_a_linked_follow_up_opens_the_answer_to_it(page: Page, site_url: str, real_bank: Bank) -> None:
    question, follow_up = next((q, f) for q in real_bank.questions for f in q.follow_ups
                               if f.answered_by and real_bank.by_id[f.answered_by].topic != q.topic)
    page.goto(f"{site_url}topics/{question.topic}/#{question.id}")
    expect(_answer(page, question.id)).to_have_attribute("open", "")
    _answer(page, question.id).locator(".qa-follow-ups a", has_text=follow_up.question.value).click()
    expect(_answer(page, follow_up.answered_by)).to_have_attribute("open", "")
    assert _in_viewport(page, f"h2#{follow_up.answered_by}")
