"""The mock interview page in a real browser, on the real built site: a whole interview on a
controlled clock (countdown, pause, time up, rubric ticks, the summary's figures, weak answers
reaching the practice queue), recording with Chromium's fake microphone, a session without the
microphone, a study plan's set-up, and the page's layout on a phone and a laptop, light and dark."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SUBPATH
from tests.support import launch_chromium

pytestmark = pytest.mark.browser

STORAGE_KEY = f"{SUBPATH}#study-progress-v2"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PHONE = {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""

# Whether an audio element can load a URL (the policy's connect-src keeps fetch() off blob: URLs).
LOADS = """u => new Promise(done => {
    const audio = new Audio();
    audio.onloadedmetadata = () => done("loaded");
    audio.onerror = () => done("error");
    audio.src = u;
})"""


def _questions(built_site: Path) -> dict[str, dict]:
    data = json.loads((built_site / "practice" / "mock.json").read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["questions"]}


def _progress(page: Page) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY) or '{"cards": {}}')["cards"]


def _start(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("button", name="Start the interview")).to_be_enabled()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator(".qa-mock__question")).to_be_visible()


def _current(page: Page) -> str:
    return page.locator(".qa-mock__question").get_attribute("data-question")


def _clock(page: Page) -> str:
    return page.get_by_role("timer").inner_text()


def _live(page: Page) -> str:
    return page.locator(".qa-mock [role=status][aria-live]").inner_text()


def _answer_early(page: Page) -> str:
    """Press "I'm done" on the current question and return its id, with the rubric shown."""
    qid = _current(page)
    page.get_by_role("button", name="I'm done").click()
    expect(page.locator(".qa-mock__rubric")).to_be_visible()
    return qid


def _next(page: Page) -> None:
    page.locator(".qa-mock__next").click()


def test_a_whole_mock_interview_on_a_controlled_clock(page: Page, site_url: str, built_site: Path) -> None:
    questions = _questions(built_site)
    page.clock.install(time=START)
    page.goto(f"{site_url}mock/?topic=gpus")
    expect(page.get_by_role("button", name="Start the interview")).to_be_enabled()
    page.clock.pause_at(START + timedelta(minutes=1))  # from here time moves only when the test says
    page.get_by_label("3", exact=True).check()
    page.get_by_label("Minutes each (1 to 10)").fill("2")
    page.get_by_label("Minutes each (1 to 10)").press("Tab")
    expect(page).to_have_url(re.compile(r"mock/\?topic=gpus&count=3$"))
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator(".qa-mock__title")).to_have_text("Question 1 of 3")
    first = _current(page)
    assert questions[first]["topic"] == "gpus"
    expect(page.get_by_role("timer")).to_have_text("2:00")
    page.clock.run_for(1000)
    expect(page.locator(".qa-mock [aria-live]")).to_have_text(re.compile(r"Question 1 of 3: 2 minutes, starting now"))

    page.clock.run_for(10_000)
    expect(page.get_by_role("timer")).to_have_text("1:49")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".qa-mock__state")).to_have_text("Paused.")
    page.clock.run_for(5 * 60_000)
    assert _clock(page) == "1:49", "time does not move while paused"
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(60_000)
    expect(page.get_by_role("timer")).to_have_text("0:49")
    assert "30 seconds" not in _live(page), "the live region is quiet between its cues, not read every second"
    page.clock.run_for(20_000)
    expect(page.get_by_role("timer")).to_have_text("0:29")
    expect(page.locator(".qa-mock [aria-live]")).to_have_text("30 seconds left.")
    page.clock.run_for(30_000)
    expect(page.locator(".qa-mock__state")).to_have_text("Time is up.")
    expect(page.get_by_role("timer")).to_have_text("0:00")
    expect(page.locator(".qa-mock [aria-live]")).to_have_text("Time is up.")
    expect(page.get_by_role("button", name="I'm done")).to_have_count(0)

    # The rubric as real, labelled checkboxes; the example answer; the interviewer's next question.
    points = questions[first]["rubric"]
    boxes = page.locator(".qa-mock__rubric input[type=checkbox]")
    expect(boxes).to_have_count(len(points))
    for point in points:
        page.get_by_label(point, exact=True).check()
    page.get_by_text("Example answer", exact=True).click()
    expect(page.locator(".qa-mock__example p").first).to_be_visible()
    follow_up = page.locator(".qa-mock__follow-up-question").inner_text()
    assert follow_up in [f["question"] for f in questions[first]["followUps"]]
    _next(page)

    # Question 2: stopped early after 20 s, nothing ticked: weak.
    expect(page.locator(".qa-mock__title")).to_have_text("Question 2 of 3")
    page.clock.run_for(20_000)
    second = _answer_early(page)
    expect(page.locator(".qa-mock__state")).to_have_text("You finished with 1:40 left.")
    _next(page)

    # Question 3: half of its points (rounded up) ticked: not weak.
    expect(page.locator(".qa-mock__title")).to_have_text("Question 3 of 3")
    page.clock.run_for(65_000)
    third = _answer_early(page)
    half = -(-len(questions[third]["rubric"]) // 2)
    for point in questions[third]["rubric"][:half]:
        page.get_by_label(point, exact=True).check()
    page.get_by_role("button", name="See the summary").click()

    results = page.locator(".qa-mock__result")
    expect(results).to_have_count(3)
    n1, n3 = len(points), len(questions[third]["rubric"])
    n2 = len(questions[second]["rubric"])
    expect(results.nth(0)).to_contain_text(f"{n1} of {n1} rubric points (100%) · 2:00 of 2 minutes used")
    expect(results.nth(1)).to_contain_text(f"0 of {n2} rubric points (0%) · 0:20 of 2 minutes used · weak")
    expect(results.nth(2)).to_contain_text(
        f"{half} of {n3} rubric points ({round(100 * half / n3)}%) · 1:05 of 2 minutes used")
    expect(results.nth(2)).not_to_contain_text("weak")
    expect(page.get_by_text("fewer than half of its rubric points")).to_be_visible()
    added = page.locator(".qa-mock__added")
    expect(added).to_contain_text("Added to your practice queue as missed")
    expect(added.locator("li")).to_have_text([questions[second]["question"]])

    saved = _progress(page)
    assert set(saved) == {second}, "only the weak answer reaches the practice queue"
    assert saved[second]["last"] == "missed"

    page.get_by_role("link", name="Practise what you missed").click()
    expect(page).to_have_url(re.compile(r"practice/\?mode=missed$"))
    expect(page.locator(".qa-card__question")).to_have_text(questions[second]["question"])
    assert page.locator(".qa-card").get_attribute("data-card") == second


@pytest.fixture
def fake_microphone_browser(playwright: object) -> Iterator[object]:
    """A Chromium of its own (from the session's Playwright) whose microphone is a fake device that
    plays a tone."""
    fake = launch_chromium(playwright, FAKE_MEDIA)
    yield fake
    fake.close()


def test_a_recorded_answer_plays_back_and_is_freed_at_the_end(fake_microphone_browser, site_url: str) -> None:
    context = fake_microphone_browser.new_context()
    context.grant_permissions(["microphone"], origin=site_url.split(SUBPATH)[0])
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _start(page, f"{site_url}mock/?count=3")
    page.get_by_role("button", name="Record my answer").click()
    expect(page.get_by_role("button", name="Stop recording")).to_be_visible()
    expect(page.locator(".qa-mock__mic")).to_contain_text("never uploaded")
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="I'm done").click()
    audio = page.locator("audio[controls]")
    expect(audio).to_be_visible()
    url = audio.get_attribute("src")
    assert url.startswith("blob:")
    assert page.evaluate(LOADS, url) == "loaded"
    page.evaluate("() => document.querySelector('audio').play()")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2")
    assert page.evaluate("() => document.querySelector('audio').error") is None
    assert page.evaluate("window.__violations") == [], "media-src allows the page's own blob: URL"
    for _ in range(2):
        _next(page)
        _answer_early(page)
    page.get_by_role("button", name="See the summary").click()
    expect(page.locator(".qa-mock__result")).to_have_count(3)
    assert page.evaluate(LOADS, url) == "error", "the recording's Blob URL is revoked when the session ends"
    assert errors == []
    context.close()


def test_without_the_microphone_the_interview_goes_on(browser, site_url: str) -> None:
    context = browser.new_context()
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _start(page, f"{site_url}mock/?count=3&level=foundational")
    page.get_by_role("button", name="Record my answer").click()
    expect(page.locator(".qa-mock__mic")).to_contain_text("microphone is not available")
    expect(page.get_by_role("button", name="Record my answer")).to_have_count(0)
    _answer_early(page)
    expect(page.locator("audio")).to_have_count(0)
    _next(page)
    expect(page.locator(".qa-mock__title")).to_have_text("Question 2 of 3")
    expect(page.get_by_role("button", name="Record my answer")).to_have_count(0)
    expect(page.locator(".qa-mock__mic")).to_have_text("", timeout=1000)  # said once, not again
    _answer_early(page)
    _next(page)
    _answer_early(page)
    page.get_by_role("button", name="See the summary").click()
    expect(page.locator(".qa-mock__result")).to_have_count(3)
    expect(page.locator(".qa-mock__added")).to_contain_text("Added to your practice queue as missed")
    assert errors == []
    context.close()


def test_a_plan_draws_only_its_own_questions(page: Page, site_url: str, built_site: Path) -> None:
    plans = json.loads((built_site / "downloads" / "plans.json").read_text(encoding="utf-8"))["plans"]
    plan = min(plans, key=lambda p: sum(len(d["questions"]) for d in p["days"]))
    ids = {q for day in plan["days"] for q in day["questions"]}
    page.goto(f"{site_url}plans/{plan['slug']}/")
    page.get_by_role("link", name="Mock interview from this plan").click()
    expect(page.locator(".qa-mock__plan")).to_contain_text(plan["title"])
    expect(page.get_by_label("Topic", exact=True)).to_have_count(0)
    page.get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Start the interview").click()
    asked = []
    for n in range(8):
        expect(page.locator(".qa-mock__title")).to_have_text(f"Question {n + 1} of 8")
        asked.append(_answer_early(page))
        _next(page)
    assert set(asked) <= ids, set(asked) - ids
    assert len(set(asked)) == 8
    expect(page.locator(".qa-mock__result")).to_have_count(8)


def test_the_home_page_topic_pages_and_practice_page_link_here(page: Page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".qa-start").get_by_role("link", name="Mock interview").click()
    expect(page.get_by_role("button", name="Start the interview")).to_be_visible()
    page.goto(f"{site_url}topics/serving/")
    page.locator("article").get_by_role("link", name="Mock interview").click()
    expect(page).to_have_url(re.compile(r"mock/\?topic=serving$"))
    expect(page.get_by_label("Topic", exact=True)).to_have_value("serving")
    page.goto(f"{site_url}practice/")
    expect(page.locator("article").get_by_role("link", name="mock interview")).to_have_attribute("href", f"{site_url}mock/")


def _targets_and_width(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.qa-mock button, .qa-mock select, .qa-mock input[type=number], .qa-mock__choice, .qa-mock__point, .qa-mock a.md-button')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim() || e.id, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == [], f"touch targets under 44 px: {small}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_page_fits_a_phone_and_a_laptop(browser, site_url: str, device: str, scheme: str) -> None:
    options = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(color_scheme=scheme, **options)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    width = options["viewport"]["width"]
    page.goto(f"{site_url}mock/")
    start = page.get_by_role("button", name="Start the interview")
    expect(start).to_be_visible()
    assert start.bounding_box()["y"] + 44 <= options["viewport"]["height"], "the set-up is on the first screen"
    _targets_and_width(page, width)
    start.click()
    expect(page.get_by_role("timer")).to_be_visible()
    timer = page.get_by_role("timer").bounding_box()
    assert timer["y"] + timer["height"] <= options["viewport"]["height"], "the countdown is on the first screen"
    _targets_and_width(page, width)
    _answer_early(page)
    _targets_and_width(page, width)
    for _ in range(4):
        _next(page)
        _answer_early(page)
    page.get_by_role("button", name="See the summary").click()
    expect(page.locator(".qa-mock__result")).to_have_count(5)
    _targets_and_width(page, width)
    assert errors == []
    context.close()
