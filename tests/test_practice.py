"""The practice page in a real browser: flashcards, the FSRS schedule, saved progress (reload,
instant navigation, export/import, reset, progress saved by the Leitner version). Marks on reading
pages and the home page's start are in tests/test_marks.py."""

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
    """Rate the current card as a reader does: show its answer (Space), then press 1, 2 or 3."""
    page.keyboard.press("Space")
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
    page.locator(f'select[data-filter="{name}"]').select_option(value)


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


def test_skip_moves_a_card_to_the_end_and_previous_goes_back(page: Page, site_url: str, real_bank: Bank) -> None:
    total = len(real_bank.questions)
    first, second, third = (q.id for q in Routes(real_bank).ordered[:3])
    _open(page, site_url)
    assert _card_id(page) == first

    page.get_by_role("button", name="Skip").click()
    assert _card_id(page) == second
    assert _counts(page).startswith(f"Card 1 of {total} ")
    assert _progress(page) == {}, "skipping does not rate the card"

    page.keyboard.press("ArrowLeft")
    assert _card_id(page) == first, "the skipped card waits at the end of the queue"
    assert _counts(page).startswith(f"Card {total} of {total} ")

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _card_id(page) == third
    page.keyboard.press("ArrowLeft")
    assert _card_id(page) == second
    page.get_by_role("button", name="← Previous").click()
    assert _card_id(page) == first


def test_due_today_counts_missed_and_partly_tomorrow_known_in_two_days(browser, site_url: str) -> None:
    # Pinned to UTC: "today" ends at local midnight, and the day boundaries below assume UTC.
    context = browser.new_context(timezone_id="UTC")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.clock.install(time=START)
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
    finally:
        context.close()

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
    _choose(page, "difficulty", "advanced")
    advanced = [q for q in real_bank.questions if q.difficulty == "advanced"]
    assert _counts(page).startswith(f"Card 1 of {len(advanced)}")
    expect(page.locator(".qa-card__meta")).to_contain_text("Advanced")

    _choose(page, "difficulty", "")
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
        other.locator('input[type="file"][data-action="import"]').set_input_files(exported)
        expect(other.locator(".qa-practice__counts")).to_contain_text("1 known")
        expect(other.locator(".qa-practice__counts")).to_contain_text("1 missed")
    finally:
        fresh.close()


def test_reset_asks_first(page: Page, site_url: str, real_bank: Bank) -> None:
    _open(page, site_url)
    _rate(page, "3")

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
    expect(page.locator(".qa-practice__counts")).to_contain_text("Imported progress for 2 questions.")
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
        sizes = page.eval_on_selector_all(
            ".qa-practice__button, .qa-practice__filter select",
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])",
        )
        assert sizes
        assert all(height >= 44 for _, height in sizes), sizes
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
    assert requests
    assert all(url.startswith("http://127.0.0.1") for url in requests), [u for u in requests if "127.0.0.1" not in u]


def test_a_card_cannot_be_rated_before_its_answer_is_shown(page: Page, site_url: str) -> None:
    _open(page, site_url)
    first = _card_id(page)
    page.keyboard.press("3")
    assert _card_id(page) == first, "the key did nothing"
    assert _progress(page) == {}
    expect(page.get_by_role("button", name="Knew it (3)")).to_be_disabled()
    page.get_by_role("button", name="Show answer (Space)").click()
    expect(page.get_by_role("button", name="Knew it (3)")).to_be_enabled()
    page.get_by_role("button", name="Knew it (3)").click()
    assert _progress(page)[first]["last"] == "knew"


def test_importing_a_file_that_is_not_ours_says_so(page: Page, site_url: str, tmp_path: Path) -> None:
    _open(page, site_url)
    foreign = tmp_path / "foo.json"
    foreign.write_text('{"foo": 1}', encoding="utf-8")
    page.locator("input.qa-practice__file").set_input_files(str(foreign))
    expect(page.locator(".qa-practice__counts")).to_have_text("That file is not a progress export from this site.")


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
    expect(page.locator(".qa-practice__storage")).to_contain_text("cannot be saved in this browser")
    assert errors == []
    context.close()
