"""Study tools on reading pages, in a real browser: a question's mark (new / learning / known) set
at the end of its answer, shown on its summary and in the table of contents, and shared with the
practice page; the random-question button; and the home page's way in (Start practising, and
"N due today — continue" for a returning reader)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank.bank import Bank
from qbank.routes import Routes
from tests.conftest import SUBPATH
from tests.test_parts import long_topic_site  # noqa: F401  (the fixture: a topic of several parts)

pytestmark = pytest.mark.browser

STORAGE_KEY = f"{SUBPATH}#study-progress-v2"
PHONE = {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SCREENS = [pytest.param((PHONE, "light"), id="phone-light"), pytest.param((PHONE, "dark"), id="phone-dark"),
           pytest.param((DESKTOP, "light"), id="desktop-light"), pytest.param((DESKTOP, "dark"), id="desktop-dark")]


@pytest.fixture
def screen(browser, request) -> Iterator[Page]:
    """A page on the screen the test is parametrized with (size, touch, colour scheme)."""
    size, scheme = request.param
    context = browser.new_context(**size, color_scheme=scheme)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def _progress(page: Page) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY) or '{"cards": {}}')["cards"]


def _below_header(page: Page, selector: str) -> tuple[float, float, float]:
    """The element's top, the sticky header's bottom and the viewport height, in CSS pixels."""
    return page.evaluate("""s => [document.querySelector(s).getBoundingClientRect().top,
        document.querySelector('.md-header').getBoundingClientRect().bottom, window.innerHeight]""", selector)


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_mark_is_set_after_the_answer_shown_on_the_summary_and_cleared(screen: Page, site_url: str,
                                                                         real_bank: Bank) -> None:
    page = screen
    question = real_bank.questions_in(real_bank.topics[2].slug)[1]
    page.goto(f"{site_url}topics/{question.topic}/")
    details = page.locator(f'details.qa[data-question="{question.id}"]')
    mark = details.locator(".qa-mark")
    badge = details.locator("summary .qa-state")
    expect(mark).to_be_attached()
    expect(mark).to_be_hidden()  # with the answer: nothing to mark before reading it
    details.locator("summary").click()

    # The mark is the answer block's last element: where the reader finishes reading.
    assert details.evaluate("d => d.lastElementChild.classList.contains('qa-mark')")
    known = mark.get_by_role("button", name="I know this")
    learning = mark.get_by_role("button", name="Still learning")
    known.click()
    expect(known).to_have_attribute("aria-pressed", "true")
    expect(learning).to_have_attribute("aria-pressed", "false")
    expect(badge).to_have_text("Known")
    assert _progress(page)[question.id]["last"] == "knew"
    interval = _progress(page)[question.id]["scheduled_days"]

    known.click()  # pressed again: cleared, the question is new again
    expect(known).to_have_attribute("aria-pressed", "false")
    expect(badge).to_have_text("")
    assert question.id not in _progress(page)

    learning.click()
    expect(badge).to_have_text("Learning")
    assert _progress(page)[question.id]["last"] == "missed"
    learning.click()
    known.click()
    assert _progress(page)[question.id]["scheduled_days"] == interval, "known again from new: the first interval"

    page.reload()
    details.locator("summary").click()
    expect(badge).to_have_text("Known")
    expect(mark.get_by_role("button", name="I know this")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_known_question_is_ticked_in_the_table_of_contents(page: Page, site_url: str, real_bank: Bank) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    question = real_bank.questions_in(real_bank.topics[3].slug)[0]
    page.goto(f"{site_url}topics/{question.topic}/")
    toc = page.locator(f'.md-sidebar--secondary a.md-nav__link[href$="#{question.id}"]')
    expect(toc).to_be_visible()
    expect(toc.locator(".qa-toc-state")).to_have_count(0)
    details = page.locator(f'details.qa[data-question="{question.id}"]')
    details.locator("summary").click()
    details.get_by_role("button", name="I know this").click()
    expect(toc).to_contain_text("✓")
    expect(toc.locator(".qa-toc-state")).to_contain_text("(known)")  # for screen readers
    details.get_by_role("button", name="I know this").click()
    expect(toc.locator(".qa-toc-state")).to_have_count(0)


def test_marks_and_practice_share_one_state(page: Page, site_url: str, real_bank: Bank) -> None:
    question = real_bank.questions_in(real_bank.topics[2].slug)[1]
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}topics/{question.topic}/")
    details = page.locator(f'details.qa[data-question="{question.id}"]')
    expect(details.locator(".qa-mark")).to_be_attached()
    assert any(u.endswith("practice/index.json") for u in fetched)
    assert not any(u.endswith("practice/cards.json") for u in fetched), "topic pages need only the small index"

    # Rated missed on the practice page: the topic page shows it as learning.
    page.goto(f"{site_url}practice/?topic={question.topic}&mode=all")
    page.goto(f"{site_url}topics/{question.topic}/")
    page.evaluate("""([key, id]) => {
        const saved = JSON.parse(localStorage.getItem(key) || '{"version": 2, "cards": {}}');
        saved.cards[id] = {due: Date.now(), stability: 1, difficulty: 5, state: 2, reps: 1, lapses: 1,
                           scheduled_days: 0, learning_steps: 0, last_review: Date.now(), last: "missed"};
        localStorage.setItem(key, JSON.stringify(saved));
    }""", [STORAGE_KEY, question.id])
    page.reload()
    expect(details.locator("summary .qa-state")).to_have_text("Learning")
    details.locator("summary").click()
    expect(details.get_by_role("button", name="Still learning")).to_have_attribute("aria-pressed", "true")


# Every layout shift the page makes by itself (not after a tap or a key), from the start of loading.
LAYOUT_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput)
    window.__shifts.push([e.value, e.sources.map(s => s.node && (s.node.className || s.node.nodeName))]); })
    .observe({ type: "layout-shift", buffered: true });"""


def test_a_topic_page_stays_still_while_a_returning_readers_marks_come_in(browser, site_url: str,
                                                                          real_bank: Bank) -> None:
    """The study controls are on the page when it is first shown, and a returning reader's saved
    mark and answer only change words in them: the question the reader is looking at never moves."""
    topic = real_bank.topics[0].slug
    first = real_bank.questions_in(topic)[0]
    context = browser.new_context(**DESKTOP)  # the first questions' controls in view
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/{topic}/")
        details = page.locator(f'details.qa[data-question="{first.id}"]')
        details.locator("summary").click()
        details.get_by_role("button", name="I know this").click()
        own = page.locator(f'.qa-own[data-question="{first.id}"]')
        own.locator("summary").click()
        own.locator("textarea").fill("Both halve memory; bf16 keeps fp32's exponent range.")
        expect(own.locator(".qa-own__status")).to_have_text("Saved.")

        page.add_init_script(LAYOUT_SHIFTS)
        page.goto(f"{site_url}topics/{topic}/")
        expect(details.locator("summary .qa-state")).to_have_text("Known")
        expect(own.locator("summary")).to_have_text("Your answer (saved)")
        expect(own).to_be_in_viewport()
        page.wait_for_timeout(500)  # a frame or two after the last change
        assert page.evaluate("window.__shifts") == [], "the page moved while it loaded (shift, what moved)"
    finally:
        context.close()


def test_a_printable_page_has_no_answer_box_and_a_topic_page_shows_each_once_it_works(page: Page, site_url: str,
                                                                                     real_bank: Bank) -> None:
    topic = real_bank.topics[0].slug
    page.goto(f"{site_url}print/{topic}/")
    expect(page.locator("details.qa[open]").first).to_be_visible()
    expect(page.locator(".qa-mark").first).to_be_attached()  # study.js has run here
    expect(page.locator(".qa-own")).to_have_count(0)
    page.goto(f"{site_url}topics/{topic}/")
    boxes = page.locator(".qa-own")
    expect(boxes).to_have_count(len(real_bank.questions_in(topic)))
    expect(page.locator(".qa-own[data-ready]:visible")).to_have_count(len(real_bank.questions_in(topic)))
    expect(page.locator(".qa-random")).to_be_visible()


def test_without_script_a_topic_page_shows_no_study_control_that_would_do_nothing(browser, site_url: str,
                                                                                  real_bank: Bank) -> None:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/{real_bank.topics[0].slug}/")
        expect(page.locator("details.qa").first).to_be_visible()  # the answers still open
        expect(page.locator(".qa-own").first).to_be_attached()
        expect(page.locator(".qa-own:visible, .qa-random:visible")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_random_question_keeps_the_answer_closed_and_the_heading_in_view(screen: Page, site_url: str,
                                                                          real_bank: Bank) -> None:
    page = screen
    topic = real_bank.topics[4].slug
    page.goto(f"{site_url}topics/{topic}/")
    button = page.get_by_role("button", name="Random question from this topic")
    picked = set()
    for _ in range(4):
        before = page.evaluate("location.hash")
        button.scroll_into_view_if_needed()
        if len(picked) >= 2:
            button.click()
        else:  # the keyboard presses it as it presses a button, with Enter and with Space
            button.focus()
            page.keyboard.press("Space" if picked else "Enter")
        page.wait_for_function("before => location.hash && location.hash !== before", arg=before)
        page.wait_for_timeout(900)  # past the landing's last correction
        question_id = page.evaluate("decodeURIComponent(location.hash.slice(1))")
        assert real_bank.by_id[question_id].topic == topic
        expect(page.locator("details.qa[open]")).to_have_count(0)
        top, header, height = _below_header(page, f'[id="{question_id}"]')
        at_bottom = page.evaluate("Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight")
        assert header <= top, "not under the sticky header"
        assert top < height / 2 or at_bottom, (top, height)
        assert page.evaluate("location.search") == ""
        picked.add(question_id)
    assert len(picked) > 1, "a click never picks the question already shown"


def test_a_random_question_on_another_part_lands_closed_on_that_part(
        long_topic_site: tuple[Path, str, Bank], page: Page) -> None:  # noqa: F811 (the fixture)
    _, url, bank = long_topic_site
    routes = Routes(bank)
    question = next(q for q in bank.questions if routes.part_of[q.id] == 2)
    page.goto(f"{url}{routes.permalink(question).split('#')[0]}")
    page.evaluate("id => window.QuestionLanding.ask(id)", question.id)
    page.wait_for_url(f"**/{routes.question_url(question)}")
    page.wait_for_timeout(900)  # past the landing's last correction
    expect(page.locator(f'[id="{question.id}"]')).to_be_in_viewport()
    expect(page.locator("details.qa[open]")).to_have_count(0)
    assert page.evaluate("location.search") == ""


def test_topic_page_links_and_buttons_are_touch_targets_on_a_phone(browser, site_url: str, real_bank: Bank) -> None:
    context = browser.new_context(**PHONE)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/{real_bank.topics[0].slug}/")
        expect(page.locator(".qa-random")).to_be_visible()
        page.locator("details.qa summary").first.click()
        expect(page.locator(".qa-mark").first).to_be_visible()
        sizes = page.eval_on_selector_all(
            ".qa-actions a, .qa-random, details[open] .qa-mark__button",
            "els => els.map(e => [e.textContent.trim(), e.offsetHeight, e.offsetWidth])",
        )
        names = {name for name, _, _ in sizes}
        assert {"Suggest an edit", "Report a problem", "Random question from this topic", "I know this",
                "Still learning"} <= names, names
        assert all(height >= 44 and width >= 44 for _, height, width in sizes), [s for s in sizes if min(s[1:]) < 44]
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_home_starts_practice_in_one_tap_and_shows_what_is_due(screen: Page, site_url: str, real_bank: Bank) -> None:
    page = screen
    page.goto(site_url)
    start = page.locator(".qa-start__practice")
    expect(start).to_have_text("Start practising")
    top, _, height = _below_header(page, ".qa-start__practice")
    assert top + start.bounding_box()["height"] <= height, "the way in is on the first screen"

    # A returning reader with two questions due today and one due later.
    due, later = real_bank.questions[0].id, real_bank.questions[1].id
    page.evaluate("""([key, due, later]) => {
        const card = (at, last) => ({due: at, stability: 2, difficulty: 5, state: 2, reps: 2, lapses: 0,
                                     scheduled_days: 2, learning_steps: 0, last_review: at - 2 * 864e5, last});
        localStorage.setItem(key, JSON.stringify({version: 2, cards: {
            [due]: card(Date.now() - 1000, "missed"), [later]: card(Date.now() + 5 * 864e5, "knew")}}));
    }""", [STORAGE_KEY, due, later])
    page.reload()
    _continues_with_the_due_card(page, real_bank, due)


def _continues_with_the_due_card(page: Page, real_bank: Bank, due: str) -> None:
    """The home page offers the one due card: on its start button and its topic's card, one tap away."""
    start = page.locator(".qa-start__practice")
    expect(start).to_have_text("1 due today — continue")
    topic = real_bank.by_id[due].topic
    expect(page.locator(f'.qa-topic-progress[data-topic="{topic}"]')).to_contain_text("1 due today")
    start.click()
    page.wait_for_url("**/practice/")
    expect(page.locator(".qa-card")).to_have_attribute("data-card", due)


@pytest.mark.parametrize("screen", [SCREENS[0], SCREENS[3]], indirect=True)
def test_home_shows_the_card_practised_days_ago_as_due(screen: Page, site_url: str, real_bank: Bank) -> None:
    """Practise for real: rate a card on the practice page, come back to the home page days later
    (a controlled clock) and find it due, one tap from practising it again."""
    page = screen
    page.clock.install(time=datetime(2026, 11, 2, 9, 0))  # the context's local time, as "today" is
    page.goto(f"{site_url}practice/")
    card = page.locator(".qa-card")
    expect(page.locator(".qa-card__question")).to_be_visible()
    practised = card.get_attribute("data-card")
    page.get_by_role("button", name="Show answer").click()
    page.locator('[data-rating="knew"]').click()
    expect(card).not_to_have_attribute("data-card", practised)
    saved = _progress(page)[practised]
    assert saved["last"] == "knew"
    assert saved["due"] > page.evaluate("Date.now()") + 864e5, "due a day or more later"

    page.goto(site_url)
    start = page.locator(".qa-start__practice")
    expect(start).to_have_text("Continue practising")  # practised, nothing due yet

    page.clock.fast_forward(saved["due"] - page.evaluate("Date.now()") + 25 * 3600 * 1000)  # a day past its due date
    page.reload()
    _continues_with_the_due_card(page, real_bank, practised)


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_a_mark_takes_and_a_notice_shows_when_progress_cannot_be_saved(screen: Page, site_url: str,
                                                                       real_bank: Bank) -> None:
    """Storage that refuses to save (full, or blocked): a topic page keeps the marks of this visit
    in memory, as the practice page does, and says so once under the page's title."""
    page = screen
    page.context.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };")
    question, other = real_bank.questions_in(real_bank.topics[2].slug)[:2]
    page.goto(f"{site_url}topics/{question.topic}/")
    notice = page.locator(".md-content .qa-storage-notice[role=status]")
    expect(page.locator(f'details.qa[data-question="{question.id}"] .qa-mark')).to_be_attached()
    expect(notice).to_have_count(0)  # nothing failed yet

    details = page.locator(f'details.qa[data-question="{question.id}"]')
    details.locator("summary").click()
    known = details.get_by_role("button", name="I know this")
    known.click()
    expect(known).to_have_attribute("aria-pressed", "true")
    expect(details.locator("summary .qa-state")).to_have_text("Known")
    expect(details.locator(".qa-mark__note")).to_have_text("Marked known; press again to clear.")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Your progress cannot be saved in this browser")
    assert page.evaluate("document.querySelector('.md-content h1').nextElementSibling.matches('.qa-storage-notice')"), \
        "the notice sits under the page's title"
    assert _progress(page) == {}, "nothing was saved"

    # The session goes on: a second mark, and clearing the first, both take; still one notice.
    second = page.locator(f'details.qa[data-question="{other.id}"]')
    second.locator("summary").click()
    second.get_by_role("button", name="Still learning").click()
    expect(second.locator("summary .qa-state")).to_have_text("Learning")
    known.click()
    expect(known).to_have_attribute("aria-pressed", "false")
    expect(details.locator("summary .qa-state")).to_have_text("")
    expect(second.locator("summary .qa-state")).to_have_text("Learning")
    expect(notice).to_have_count(1)

    # Your own answer is kept for the visit too, and says it is not saved.
    own = page.locator(f'.qa-own[data-question="{question.id}"]')
    own.locator("summary").click()
    own.get_by_label("Your answer").fill("A first try at it.")
    expect(own.locator(".qa-own__status")).to_have_text("Kept until you close this tab (not saved).")
    expect(own.locator("summary")).to_have_text("Your answer (not saved)")

    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_your_answer_is_kept_and_shown_beside_ours(screen: Page, site_url: str, real_bank: Bank) -> None:
    page = screen
    question = Routes(real_bank).ordered[0]
    mine = "Supervised learning has labels to learn from.\nUnsupervised finds structure without them."
    page.goto(f"{site_url}topics/{question.topic}/")
    own = page.locator(f'.qa-own[data-question="{question.id}"]')
    details = page.locator(f'details.qa[data-question="{question.id}"]')
    expect(own).to_be_attached()
    # Before the answer, in the page's order: write first, then open ours.
    assert page.evaluate("""id => { const own = document.querySelector(`.qa-own[data-question="${id}"]`);
        return own.nextElementSibling === document.querySelector(`details.qa[data-question="${id}"]`); }""",
                         question.id)
    own.locator("summary").click()
    own.get_by_label("Your answer").fill(mine)
    expect(own.locator(".qa-own__status")).to_have_text("Saved.")

    page.reload()
    expect(own.locator("summary")).to_have_text("Your answer (saved)")
    own.locator("summary").click()  # the text box is made when the box opens
    assert own.get_by_label("Your answer").input_value() == mine
    details.locator("summary").click()
    yours = details.locator(".qa-compare__yours .qa-compare__text")
    expect(yours).to_have_text(mine)
    ours = details.locator(".qa-compare__ours .qa-answer")
    expect(ours).to_be_visible()
    a, b = yours.bounding_box(), ours.bounding_box()
    if page.viewport_size["width"] >= 1200:
        assert a["x"] + a["width"] <= b["x"], "side by side where there is room"
    else:
        assert a["y"] + a["height"] <= b["y"], "yours above ours on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    details.locator("summary").click()  # closed and opened again: ours is back in place, once
    details.locator("summary").click()
    expect(details.locator(".qa-compare")).to_have_count(1)
    expect(details.locator(".qa-answer")).to_have_count(1)


def test_your_answer_on_the_practice_card_survives_reload_and_export_import(page: Page, site_url: str, browser,
                                                                          real_bank: Bank, tmp_path: Path) -> None:
    first = Routes(real_bank).ordered[0]
    mine = "My own take, written before looking."
    page.goto(f"{site_url}practice/")
    card = page.locator(".qa-card")
    expect(card).to_have_attribute("data-card", first.id)
    card.locator(".qa-own summary").click()
    card.get_by_label("Your answer").fill(mine)
    expect(card.locator(".qa-own__status")).to_have_text("Saved.")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Show answer").click()
    expect(card.locator(".qa-compare__yours")).to_contain_text(mine)
    expect(card.locator(".qa-compare__ours")).not_to_be_empty()
    expect(page.locator('[data-rating="knew"]')).to_be_visible()
    page.locator('[data-rating="knew"]').click()
    assert _progress(page)[first.id]["last"] == "knew"
    page.reload()
    expect(card).to_be_visible()
    saved = json.loads(page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY))
    assert saved["answers"] == {first.id: mine}, "rating did not lose the answer typed on the card"

    page.locator(".qa-practice__more summary").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["answers"] == {first.id: mine}

    fresh = browser.new_context()
    fresh.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    other = fresh.new_page()
    try:
        other.goto(f"{site_url}practice/")
        expect(other.locator(".qa-card")).to_be_visible()
        other.locator(".qa-practice__more summary").click()
        other.locator('input[type="file"][data-action="import"]').set_input_files(exported)
        expect(other.locator(".qa-practice__notice")).to_contain_text("Imported progress for 1 question")
        other.goto(f"{site_url}topics/{first.topic}/")
        own = other.locator(f'.qa-own[data-question="{first.id}"]')
        expect(own.locator("summary")).to_have_text("Your answer (saved)")
        own.locator("summary").click()
        assert own.get_by_label("Your answer").input_value() == mine
    finally:
        fresh.close()
