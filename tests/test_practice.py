"""The practice page in a real browser: flashcards, the FSRS schedule, saved progress (reload,
instant navigation, export/import, reset, progress saved by the Leitner version), the page's layout
on a phone, filters in the address, undo, the daily limit of new cards, the session summary and
empty queues. Marks on reading pages and the home page's start are in tests/test_marks.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank.bank import Bank
from qbank.routes import Routes
from tests.conftest import SUBPATH

pytestmark = pytest.mark.browser

STORAGE_KEY = f"{SUBPATH}#study-progress-v2"
LEITNER_KEY = f"{SUBPATH}#study-progress-v1"  # where the Leitner version saved progress
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAY_MS = 24 * 60 * 60 * 1000


def _open(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}practice/")
    expect(page.locator(".qa-card__question")).to_be_visible()


def _rate(page: Page, key: str) -> None:
    """Rate the current card as a reader does: show its answer (Space), then, with the answer and
    the rating buttons there (the answers arrive just after the first question), press 1, 2 or 3."""
    page.keyboard.press("Space")
    expect(page.locator('[data-rating="knew"]')).to_be_visible()
    page.keyboard.press(key)


def _card_id(page: Page) -> str:
    return page.locator(".qa-card").get_attribute("data-card")


def _progress(page: Page) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY) or '{"cards": {}}')["cards"]


def _store_leitner(page: Page, cards: dict) -> None:
    """Progress as the Leitner version left it in this browser, before any page loads."""
    stored = json.dumps({"version": 1, "cards": cards})
    page.add_init_script(f"localStorage.setItem({json.dumps(LEITNER_KEY)}, {json.dumps(stored)})")


def _choose(page: Page, name: str, value: str) -> None:
    """Choose a filter as a reader does (the tag is typed or picked from its list)."""
    _open_filters(page)
    if name == "tag":
        field = page.locator('input[data-filter="tag"]')
        field.fill(value)
        field.press("Enter")
    else:
        page.locator(f'select[data-filter="{name}"]').select_option(value)


def _open_filters(page: Page) -> None:
    box = page.locator("details.qa-practice__filterbox")
    if box.get_attribute("open") is None:
        box.locator("summary").click()


def _open_progress(page: Page) -> None:
    box = page.locator("details.qa-practice__more")
    if box.get_attribute("open") is None:
        box.locator("summary").click()


def _notice(page: Page):
    return page.locator(".qa-practice__notice")


def _set_new_per_day(page: Page, limit: int) -> None:
    _open_progress(page)
    field = page.get_by_label("New cards a day")
    field.fill(str(limit))
    field.press("Enter")
    expect(_notice(page)).to_contain_text(f"Up to {limit} new card")
    field.blur()  # keys typed into a field are the field's, not the page's


def _counts(page: Page) -> str:
    return page.locator(".qa-practice__counts").inner_text()


def _topic_with(bank: Bank, at_least: int) -> str:
    return next(t.slug for t in bank.topics if len(bank.questions_in(t.slug)) >= at_least)


def test_reveal_and_rate(page: Page, site_url: str, real_bank: Bank) -> None:
    _open(page, site_url)
    first = _card_id(page)
    assert first == Routes(real_bank).ordered[0].id, "new cards come in the site's order (topics, then levels)"
    answer = page.locator(".qa-card__answer")
    expect(answer).to_be_hidden()

    page.keyboard.press("Space")
    expect(answer).to_be_visible()
    _rate(page, "3")

    assert _card_id(page) != first
    card = _progress(page)[first]
    assert (card["last"], card["reps"], card["lapses"], card["scheduled_days"]) == ("knew", 1, 0, 2)
    assert card["due"] - card["last_review"] == 2 * DAY_MS, "FSRS shows a new card known at once again in two days"
    assert "1 known" in _counts(page)
    page.get_by_text("How practice works").click()
    expect(page.locator(".qa-practice__keys")).to_contain_text("Space shows the answer, 1 / 2 / 3 rate it")


def test_missed_card_comes_back_before_a_known_one(page: Page, site_url: str, real_bank: Bank) -> None:
    page.clock.install(time=START)
    _open(page, site_url)
    _choose(page, "topic", _topic_with(real_bank, 8))
    missed = _card_id(page)
    _rate(page, "1")
    known = _card_id(page)
    _rate(page, "3")
    partly = _card_id(page)
    _rate(page, "2")

    seen_after = [_card_id(page)]
    while seen_after[-1] != missed and len(seen_after) < 5:
        _rate(page, "2")
        seen_after.append(_card_id(page))
    assert seen_after[-1] == missed, "a missed card comes back within the session, a few cards later"
    assert known not in seen_after

    page.clock.fast_forward("30:00:00")  # the next day: the missed and partly cards are due
    page.reload()
    expect(page.locator(".qa-card__question")).to_be_visible()
    _choose(page, "topic", _topic_with(real_bank, 8))
    order = []
    for _ in range(6):
        order.append(_card_id(page))
        page.keyboard.press("ArrowRight")
    assert order[0] == missed, "the missed card is due first"
    assert partly in order
    assert known not in order, "a known card waits two days"


def _miss_one_then_review_missed(page: Page, site_url: str) -> str:
    """Rate the first card missed and the next two known, then switch to the missed-only queue."""
    _open(page, site_url)
    missed = _card_id(page)
    _rate(page, "1")
    _rate(page, "3")
    _rate(page, "3")
    _choose(page, "mode", "missed")
    return missed


def test_review_only_what_i_missed(page: Page, site_url: str) -> None:
    missed = _miss_one_then_review_missed(page, site_url)

    assert _card_id(page) == missed
    assert _counts(page).startswith("Card 1 of 1")


def test_random_picks_only_from_the_missed_queue(page: Page, site_url: str) -> None:
    missed = _miss_one_then_review_missed(page, site_url)

    for _ in range(5):
        page.get_by_role("button", name="Random question").click()
        assert _card_id(page) == missed, "Random picks from the queue being practised, not the whole bank"
        assert _counts(page).startswith("Card 1 of 1 ")


def test_skip_moves_a_card_to_the_end_unrated(page: Page, site_url: str, real_bank: Bank) -> None:
    first, second, third = (q.id for q in Routes(real_bank).ordered[:3])
    _open(page, site_url)
    assert _card_id(page) == first

    page.get_by_role("button", name="Skip for now").click()
    assert _card_id(page) == second
    assert _counts(page).startswith("Card 1 of 20 "), "the session has the day's 20 new cards, the skipped one too"
    assert _progress(page) == {}, "skipping does not rate the card"
    page.keyboard.press("ArrowRight")
    assert _card_id(page) == third

    for _ in range(18):
        _rate(page, "3")
    assert _card_id(page) == first, "the skipped cards wait at the end of the session, in the order skipped"
    _rate(page, "3")
    assert _card_id(page) == second
    assert _counts(page).startswith("Card 20 of 20 ")


def test_due_today_counts_missed_and_partly_tomorrow_known_in_two_days(utc_page: Page, site_url: str) -> None:
    page = utc_page
    _open(page, site_url)
    assert " · 0 due today · " in _counts(page)
    _rate(page, "1")
    assert " · 0 due today · " in _counts(page), "a missed card comes back in this session, and is due tomorrow"
    _rate(page, "2")
    _rate(page, "3")
    assert " · 0 due today · " in _counts(page), "partly and known cards are not due today"

    page.clock.fast_forward("30:00:00")  # the next afternoon: the missed and partly cards are due
    page.reload()
    expect(page.locator(".qa-practice__counts")).to_contain_text(" · 2 due today · ")

    page.clock.fast_forward("20:00:00")  # two days after a first "knew it": the known card too
    page.reload()
    expect(page.locator(".qa-practice__counts")).to_contain_text(" · 3 due today · ")

def test_filters_and_random_respect_them(page: Page, site_url: str, real_bank: Bank) -> None:
    _open(page, site_url)
    _choose(page, "mode", "all")
    topic = real_bank.topics[3]
    _choose(page, "topic", topic.slug)
    assert _counts(page).startswith(f"Card 1 of {len(real_bank.questions_in(topic.slug))}")

    for _ in range(5):
        page.get_by_role("button", name="Random question").click()
        assert real_bank.by_id[_card_id(page)].topic == topic.slug

    _choose(page, "topic", "")
    _choose(page, "level", "advanced")
    advanced = [q for q in real_bank.questions if q.difficulty == "advanced"]
    assert _counts(page).startswith(f"Card 1 of {len(advanced)}")
    expect(page.locator(".qa-card__meta")).to_contain_text("Advanced")

    _choose(page, "level", "")
    _choose(page, "tag", "scenario")
    scenarios = [q for q in real_bank.questions if "scenario" in q.tags]
    assert _counts(page).startswith(f"Card 1 of {len(scenarios)}")


def test_progress_survives_reload_and_instant_navigation(page: Page, site_url: str, real_bank: Bank) -> None:
    _open(page, site_url)
    first = Routes(real_bank).ordered[0]
    _rate(page, "3")
    page.reload()
    expect(page.locator(".qa-practice__counts")).to_contain_text("1 known")

    page.evaluate("window.__sameDocument = true")
    page.locator(".md-nav__link", has_text="ML Infra Interviews").last.click()
    progress_line = page.locator(f'.qa-topic-progress[data-topic="{first.topic}"]')
    expect(progress_line).to_contain_text(f"1 of {len(real_bank.questions_in(first.topic))} known")
    page.locator('.md-content a[href$="practice/"]').first.click()
    expect(page.locator(".qa-practice__counts")).to_contain_text("1 known")
    assert page.evaluate("window.__sameDocument === true"), "navigation stayed inside one document"


def test_export_then_import_into_a_fresh_browser(page: Page, site_url: str, browser, tmp_path: Path) -> None:
    _open(page, site_url)
    _rate(page, "3")
    _rate(page, "1")
    _open_progress(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert len(json.loads(exported.read_text())["cards"]) == 2

    fresh = browser.new_context()
    fresh.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    other = fresh.new_page()
    try:
        _open(other, site_url)
        assert "0 known" in _counts(other)
        _open_progress(other)
        other.locator('input[type="file"][data-action="import"]').set_input_files(exported)
        expect(_notice(other)).to_have_text("Imported progress for 2 questions from progress.json.")
        expect(_notice(other)).to_be_visible()
        expect(other.locator(".qa-practice__counts")).to_contain_text("1 known")
        expect(other.locator(".qa-practice__counts")).to_contain_text("1 missed")
    finally:
        fresh.close()


def test_reset_asks_first(page: Page, site_url: str, real_bank: Bank) -> None:
    _open(page, site_url)
    _rate(page, "3")
    _open_progress(page)

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Reset progress").click()
    assert "1 known" in _counts(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset progress").click()
    expect(page.locator(".qa-practice__counts")).to_contain_text(f"0 known · {len(real_bank.questions)} new")
    assert _progress(page) == {}


def test_progress_from_an_older_bank_is_ignored(page: Page, site_url: str, real_bank: Bank) -> None:
    kept = real_bank.questions[1].id
    _store_leitner(page, {
        "a-question-that-was-removed": {"box": 3, "due": 0, "last": "knew", "seen": 2},
        kept: {"box": 2, "due": 0, "last": "knew", "seen": 1},
        "garbage": "not a card",
    })
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _open(page, site_url)
    assert "1 known" in _counts(page)
    assert _card_id(page) == kept, "the known card is due (due 0) and comes first"
    assert errors == []


def test_leitner_progress_moves_to_fsrs_keeping_due_dates(page: Page, site_url: str, real_bank: Bank) -> None:
    page.clock.install(time=START)
    now = int(START.timestamp() * 1000)
    due_now, later, missed = (q.id for q in real_bank.questions[:3])
    _store_leitner(page, {
        due_now: {"box": 3, "due": now - DAY_MS, "last": "knew", "seen": 2},
        later: {"box": 5, "due": now + 5 * DAY_MS, "last": "knew", "seen": 4},
        missed: {"box": 1, "due": now - 2 * DAY_MS, "last": "missed", "seen": 1},
    })
    _open(page, site_url)
    assert _counts(page).endswith(f" · 2 due today · 1 missed · 2 known · {len(real_bank.questions) - 3} new")
    assert _card_id(page) == missed, "the card due longest ago comes first, as before"
    expect(page.locator(".qa-card__meta")).to_contain_text("Last time: Missed · interval same day")
    page.keyboard.press("ArrowRight")
    assert _card_id(page) == due_now
    expect(page.locator(".qa-card__meta")).to_contain_text("Last time: Knew it · interval 4 days")

    _rate(page, "3")
    saved = _progress(page)
    assert set(saved) == {due_now, later, missed}
    assert saved[later]["due"] == now + 5 * DAY_MS, "a box's due date is kept"
    assert saved[later]["stability"] == 16, "with the stability of its box's interval"
    assert saved[due_now]["due"] > now + 4 * DAY_MS, "knowing a box-3 card again waits longer than its box did"
    assert page.evaluate("key => localStorage.getItem(key)", LEITNER_KEY) is None, "the Leitner copy is gone once saved"


def test_importing_a_leitner_export_moves_it_to_fsrs(page: Page, site_url: str, real_bank: Bank,
                                                     tmp_path: Path) -> None:
    known, unknown = real_bank.questions[0].id, real_bank.questions[1].id
    leitner = tmp_path / "leitner.json"
    leitner.write_text(json.dumps({"version": 1, "cards": {
        known: {"box": 4, "due": 4102444800000, "last": "knew", "seen": 3},
        unknown: {"box": 1, "due": 0, "last": "missed", "seen": 2},
    }}), encoding="utf-8")
    _open(page, site_url)
    page.locator('input[type="file"][data-action="import"]').set_input_files(leitner)
    expect(_notice(page)).to_contain_text("Imported progress for 2 questions from leitner.json.")
    expect(page.locator(".qa-practice__counts")).to_contain_text("1 missed · 1 known")
    assert _progress(page)[known]["due"] == 4102444800000


def test_touch_targets_and_no_request_leaves_the_site(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        _open(page, site_url)
        page.locator(".qa-practice__button").first.tap()
        _open_filters(page)
        _open_progress(page)
        sizes = page.eval_on_selector_all(
            ".qa-practice__button, .qa-practice__filter select, .qa-practice__filter input, .qa-practice__number,"
            " .qa-practice summary",
            "els => els.filter(e => e.getClientRects().length)"
            ".map(e => [e.textContent.trim(), e.getBoundingClientRect().height])",
        )
        names = {name for name, _ in sizes}
        assert {"Missed 1", "Knew it 3", "Skip for now →", "Export progress"} <= names, names
        assert all(height >= 44 for _, height in sizes), sizes
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
    assert requests
    assert all(url.startswith("http://127.0.0.1") for url in requests), [u for u in requests if "127.0.0.1" not in u]


@pytest.mark.parametrize("touch", [False, True], ids=["desktop", "phone"])
def test_a_card_cannot_be_rated_before_its_answer_is_shown(browser, site_url: str, touch: bool) -> None:
    options = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True} if touch else {
        "viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(**options)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        _open(page, site_url)
        first = _card_id(page)
        for key in "123":
            page.keyboard.press(key)
        assert _card_id(page) == first, "the keys did nothing"
        # Not even a script's click (or an assistive tool's) on the buttons before the answer is shown.
        page.evaluate("document.querySelectorAll('[data-rating]').forEach(b => b.click())")
        assert _card_id(page) == first
        assert _progress(page) == {}
        expect(page.get_by_role("button", name="Knew it")).to_be_hidden()
        expect(page.locator(".qa-card__answer")).to_be_hidden()

        show = page.get_by_role("button", name="Show answer")
        show.tap() if touch else show.click()
        expect(page.locator(".qa-card__answer")).to_be_visible()
        expect(show).to_be_hidden()
        knew = page.get_by_role("button", name="Knew it")
        expect(knew).to_be_enabled()
        knew.tap() if touch else knew.click()
        assert _progress(page)[first]["last"] == "knew"
    finally:
        context.close()


def test_importing_a_file_that_is_not_ours_says_so(page: Page, site_url: str, tmp_path: Path) -> None:
    _open(page, site_url)
    foreign = tmp_path / "foo.json"
    foreign.write_text('{"foo": 1}', encoding="utf-8")
    _open_progress(page)
    page.locator("input.qa-practice__file").set_input_files(str(foreign))
    expect(_notice(page)).to_have_text("That file is not a progress export from this site.")
    expect(_notice(page)).to_be_visible()


def test_progress_that_cannot_be_saved_keeps_the_session_and_says_so(browser, site_url: str) -> None:
    context = browser.new_context()
    context.add_init_script("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _open(page, site_url)
    first = _card_id(page)
    _rate(page, "3")
    assert _card_id(page) != first, "the session goes on"
    notice = page.locator(".qa-practice .qa-storage-notice[role=status]")
    expect(notice).to_contain_text("cannot be saved in this browser")
    expect(notice).to_be_visible()
    assert errors == []
    context.close()


# ---- the redesign: card first, rating bar in reach, filters in the address, undo, daily limit,
# summary, empty queues -------------------------------------------------------------------------

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def new_context(browser, site_url: str):
    """Contexts with the given options, requests that would leave 127.0.0.1 refused; closed after."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def utc_page(new_context) -> Page:
    """A page pinned to UTC ("today" ends at local midnight, and the day boundaries the tests use
    assume UTC) whose clock starts at START."""
    page = new_context(timezone_id="UTC").new_page()
    page.clock.install(time=START)
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_card_is_on_the_first_screen(new_context, site_url: str, device: str, scheme: str) -> None:
    options = PHONE if device == "phone" else DESKTOP
    page = new_context(color_scheme=scheme, **options).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _open(page, site_url)
    height = options["viewport"]["height"]
    question = page.locator(".qa-card__question").bounding_box()
    assert question["y"] + question["height"] <= height, f"the question ends at {question['y'] + question['height']}px"
    show = page.get_by_role("button", name="Show answer").bounding_box()
    assert show["y"] + show["height"] <= height, "and so does the button that shows its answer"
    # The explanations are folded away under the card, not above it.
    help_box = page.locator("details", has_text="How practice works")
    assert help_box.get_attribute("open") is None
    assert help_box.bounding_box()["y"] > question["y"]
    expect(page.get_by_text("models your memory of each card")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
    assert errors == []


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_rating_bar_is_in_view_after_reading_a_long_answer(new_context, site_url: str, device: str) -> None:
    options = PHONE if device == "phone" else DESKTOP
    page = new_context(**options).new_page()
    _open(page, site_url)
    page.get_by_role("button", name="Show answer").click()
    answer = page.locator(".qa-card__answer")
    # On a busy machine the answers can still be on their way: the reader sees "Loading the answer…".
    expect(answer.locator(".qa-card__loading")).to_have_count(0)
    height = options["viewport"]["height"]
    assert answer.bounding_box()["height"] > height, "the first card's answer is longer than a screen"
    # Scroll to the end of the answer, as a reader does.
    page.locator(".qa-card__more").scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    page.wait_for_function("() => Math.abs(document.querySelector('.qa-card__more').getBoundingClientRect().bottom"
                           " - innerHeight) < innerHeight")
    for name in ("Missed", "Partly", "Knew it"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["y"] >= 0, (name, box)
        assert box["y"] + box["height"] <= height, (name, box)
        on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('button')?.textContent || ''",
                               [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert on_top.startswith(name), f"{name} is covered by {on_top!r}"
    page.get_by_role("button", name="Partly").click()
    assert [s["last"] for s in _progress(page).values()] == ["partly"]


def test_filters_round_trip_through_the_address(page: Page, site_url: str, real_bank: Bank) -> None:
    topic = _topic_with(real_bank, 8)
    tag = next(t for q in real_bank.questions_in(topic) for t in q.tags
               if sum(t in p.tags for p in real_bank.questions) >= 3)
    page.goto(f"{site_url}practice/?topic={topic}&tag={tag}&mode=all")
    expect(page.locator(".qa-card__question")).to_be_visible()
    assert page.locator('select[data-filter="topic"]').input_value() == topic
    assert page.locator('input[data-filter="tag"]').input_value() == tag
    assert page.locator('select[data-filter="mode"]').input_value() == "all"
    expected = [q for q in real_bank.questions_in(topic) if tag in q.tags]
    assert _counts(page).startswith(f"Card 1 of {len(expected)} ")
    expect(page.locator(".qa-practice__filtersummary")).to_contain_text(f"#{tag}")

    _choose(page, "level", "advanced")
    _choose(page, "mode", "due")
    assert page.evaluate("location.search") == f"?topic={topic}&level=advanced&tag={tag}"
    page.reload()
    page.wait_for_selector(".qa-card__question, .qa-card__end")
    assert page.locator('select[data-filter="level"]').input_value() == "advanced"
    assert page.locator('select[data-filter="topic"]').input_value() == topic

    _choose(page, "topic", "")
    _choose(page, "level", "")
    _choose(page, "tag", "")
    assert page.evaluate("location.search") == "", "defaults are left out of the address"


def test_unknown_filters_in_the_address_are_ignored(page: Page, site_url: str, real_bank: Bank) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}practice/?topic=no-such-topic&level=expert&tag=%3Cb%3E&mode=__proto__&x=1")
    expect(page.locator(".qa-card__question")).to_be_visible()
    assert _card_id(page) == Routes(real_bank).ordered[0].id
    assert page.locator('select[data-filter="topic"]').input_value() == ""
    assert page.locator('select[data-filter="mode"]').input_value() == "due"
    assert errors == []


def test_a_link_to_a_topic_opens_practice_filtered_after_instant_navigation(page: Page, site_url: str,
                                                                            real_bank: Bank) -> None:
    topic = real_bank.topics[5].slug
    page.goto(site_url)
    page.evaluate("window.__sameDocument = true")
    # As a topic page will link: practice/?topic=<slug>, followed by Material's instant navigation.
    page.evaluate("""topic => {
        const link = document.createElement('a');
        link.href = 'practice/?topic=' + topic;
        link.textContent = 'Practise this topic';
        link.id = 'practise-topic';
        document.querySelector('.md-content .md-typeset').prepend(link);
    }""", topic)
    page.locator("#practise-topic").click()
    expect(page.locator(".qa-card__question")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "navigation stayed inside one document"
    assert page.locator('select[data-filter="topic"]').input_value() == topic
    assert real_bank.by_id[_card_id(page)].topic == topic


def test_tag_filter_offers_only_tags_on_three_or_more_questions(page: Page, site_url: str, real_bank: Bank) -> None:
    counts: dict[str, int] = {}
    for q in real_bank.questions:
        for t in q.tags:
            counts[t] = counts.get(t, 0) + 1
    _open(page, site_url)
    offered = page.eval_on_selector_all("#qa-practice-tags option", "os => os.map(o => o.value)")
    assert offered == sorted(t for t, n in counts.items() if n >= 3)
    assert len(offered) < len(counts)
    field = page.get_by_role("combobox", name="Tag")
    expect(field).to_have_attribute("list", "qa-practice-tags")
    rare = next(t for t, n in sorted(counts.items()) if n == 1)
    _choose(page, "tag", rare)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".qa-practice__hint")).to_contain_text("pick one from the list")
    assert page.evaluate("location.search") == ""


def _disjoint_topic_and_tag(bank: Bank) -> tuple[str, str]:
    counts: dict[str, int] = {}
    for q in bank.questions:
        for t in q.tags:
            counts[t] = counts.get(t, 0) + 1
    for topic in bank.topics:
        used = {t for q in bank.questions_in(topic.slug) for t in q.tags}
        for tag, n in sorted(counts.items()):
            if n >= 3 and tag not in used:
                return topic.slug, tag
    raise AssertionError("every topic uses every common tag")


def test_an_empty_queue_names_the_filters_and_offers_the_fix(page: Page, site_url: str, real_bank: Bank) -> None:
    topic, tag = _disjoint_topic_and_tag(real_bank)
    title = next(t.title.value for t in real_bank.topics if t.slug == topic)
    page.goto(f"{site_url}practice/?topic={topic}&tag={tag}")
    empty = page.locator(".qa-card__end")
    expect(empty).to_contain_text(f"No cards match topic {title} + tag #{tag}.")
    expect(page.get_by_role("button", name="Show answer")).to_be_hidden()
    expect(page.get_by_role("button", name="Clear all filters")).to_be_visible()

    page.get_by_role("button", name="Clear the tag filter").click()
    expect(page.locator(".qa-card__question")).to_be_visible()
    assert real_bank.by_id[_card_id(page)].topic == topic
    assert page.evaluate("location.search") == f"?topic={topic}"
    assert page.locator('input[data-filter="tag"]').input_value() == ""


def test_nothing_due_says_when_and_offers_all_cards(utc_page: Page, site_url: str, real_bank: Bank) -> None:
    page = utc_page
    topic = min(real_bank.topics, key=lambda t: len(real_bank.questions_in(t.slug))).slug
    size = len(real_bank.questions_in(topic))
    assert size <= 20
    page.goto(f"{site_url}practice/?topic={topic}")
    expect(page.locator(".qa-card__question")).to_be_visible()
    for _ in range(size):
        _rate(page, "3")
    page.reload()
    end = page.locator(".qa-card__end")
    expect(end).to_have_attribute("data-reason", "nothing-due")
    expect(end).to_contain_text("Nothing is due today — next card due on Wednesday 4 November.")
    page.get_by_role("button", name="Practise all cards").click()
    expect(page.locator(".qa-card__question")).to_be_visible()
    assert _counts(page).startswith(f"Card 1 of {size} ")
    assert page.evaluate("location.search") == f"?topic={topic}&mode=all"


def test_undo_restores_the_last_rating(page: Page, site_url: str, real_bank: Bank) -> None:
    page.clock.install(time=START)
    first, second = (q.id for q in Routes(real_bank).ordered[:2])
    _open(page, site_url)
    undo = page.get_by_role("button", name="Undo rating")
    expect(undo).to_be_disabled()
    _rate(page, "3")
    assert _card_id(page) == second
    saved_first = _progress(page)[first]

    _rate(page, "1")
    assert _progress(page)[second]["last"] == "missed"
    undo.click()
    assert _card_id(page) == second, "the undone card is current again"
    expect(page.locator(".qa-card__answer")).to_be_visible()
    assert second not in _progress(page), "its saved state is what it was: never rated"
    assert _counts(page).startswith("Card 2 of 20 "), "and the missed card's repeat is gone with it"

    page.keyboard.press("u")
    assert _card_id(page) == first
    assert _progress(page) == {}
    _rate(page, "2")
    assert _progress(page)[first]["last"] == "partly"

    # Undo of a review puts back the exact earlier state; Ctrl+Z does the same as U.
    page.clock.fast_forward("50:00:00")
    page.reload()
    expect(page.locator(".qa-card__question")).to_be_visible()
    _choose(page, "mode", "all")
    saved = _progress(page)[first]
    _rate(page, "1")
    assert _progress(page)[first]["lapses"] == saved["lapses"] + 1
    page.keyboard.press("Control+z")
    assert _progress(page)[first] == saved
    assert _card_id(page) == first
    assert saved_first["last"] == "knew", "the first rating, undone later, had been saved"


def test_the_daily_limit_stops_new_cards_and_says_so(utc_page: Page, site_url: str, real_bank: Bank) -> None:
    page = utc_page
    _open(page, site_url)
    assert _counts(page).startswith("Card 1 of 20 "), "20 new cards a day by default"
    _set_new_per_day(page, 3)
    assert _counts(page).startswith("Card 1 of 3 ")
    for key in "323":
        _rate(page, key)
    end = page.locator(".qa-card__end")
    expect(end).to_have_attribute("data-reason", "new-limit")
    waiting = len(real_bank.questions) - 3
    expect(end).to_contain_text(f"You have started today’s 3 new cards (the daily limit), so {waiting} new cards"
                                " wait for tomorrow")

    page.reload()  # the limit and what was used of it survive a reload
    expect(end).to_have_attribute("data-reason", "new-limit")
    assert page.get_by_label("New cards a day").input_value() == "3"

    page.get_by_role("button", name="Learn 10 more new cards today").click()
    assert _counts(page).startswith("Card 1 of 10 ")
    assert _card_id(page) == Routes(real_bank).ordered[3].id

    page.clock.fast_forward("24:00:00")  # the next day: three new cards again, after the due reviews
    page.reload()
    expect(page.locator(".qa-card__question")).to_be_visible()
    now = page.evaluate("Date.now()")
    due = sum(1 for s in _progress(page).values() if s["due"] <= now)
    assert due == 1, "the card known partly is due the next day"
    assert _counts(page).startswith(f"Card 1 of {due + 3} ")


def test_the_session_ends_with_a_summary_and_ways_on(utc_page: Page, site_url: str, real_bank: Bank) -> None:
    page = utc_page
    _open(page, site_url)
    _set_new_per_day(page, 4)
    first = _card_id(page)
    _rate(page, "1")
    assert _counts(page).startswith("Card 2 of 4 "), "a missed card put back does not add a card"
    for key in "232":
        _rate(page, key)
    assert _card_id(page) == first
    assert _counts(page).startswith("Card 4 of 4 (again)")
    _rate(page, "3")
    end = page.locator(".qa-card__end")
    expect(end).to_have_attribute("data-reason", "new-limit")
    expect(end).to_contain_text("Session done: 4 cards rated.")
    summary = {li.get_attribute("data-count"): li.inner_text() for li in end.locator("li").all()}
    tomorrow = sum(1 for s in _progress(page).values()
                   if int(START.timestamp() * 1000) + 15 * 3600 * 1000 < s["due"] <= int(START.timestamp() * 1000)
                   + 39 * 3600 * 1000)
    assert summary == {"missed": "1 missed", "partly": "2 partly known", "knew": "1 known",
                       "tomorrow": f"Due tomorrow: {tomorrow} cards"}
    assert tomorrow >= 2, "at least the two partly known cards"

    page.get_by_role("button", name="Practise all cards").click()
    assert _card_id(page) == first
    assert page.evaluate("location.search") == "?mode=all"


def test_the_first_question_comes_before_the_answers_and_cannot_be_rated_without_them(page: Page, site_url: str) -> None:
    held = []
    page.route("**/practice/cards.json", lambda route: held.append(route))  # waits until released
    _open(page, site_url)
    first = _card_id(page)
    page.keyboard.press("Space")
    expect(page.locator(".qa-card__answer")).to_have_text("Loading the answer…")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the answers are fetched once the first question is shown"
    page.keyboard.press("3")
    expect(page.get_by_role("button", name="Knew it")).to_be_hidden()
    assert _progress(page) == {}, "no rating before the answer is there to read"

    held[0].continue_()
    expect(page.get_by_role("button", name="Knew it")).to_be_visible()
    expect(page.locator(".qa-card__more")).to_be_visible()
    page.keyboard.press("3")
    assert _progress(page)[first]["last"] == "knew"
