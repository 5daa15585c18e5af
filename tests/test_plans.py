"""Study plans (data/plans.json): validated against the bank with located messages, like the bank's
own; rendered as a page per plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank import plans
from qbank.bank import Bank
from tests.conftest import ROOT

DATA = ROOT / "data"
REQUIRED = {"mlops-platform", "llm-serving", "training-gpu", "one-week"}


def _write(tmp_path: Path, text: str) -> Path:
    shutil.copy(DATA / "plans.schema.json", tmp_path / "plans.schema.json")
    path = tmp_path / "plans.json"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str, bank: Bank) -> str:
    with pytest.raises(plans.PlansError) as caught:
        plans.load_plans(_write(tmp_path, text), bank.by_id)
    return str(caught.value)


def _line(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def test_the_plans_cover_the_four_role_tracks_with_bank_questions(real_bank: Bank) -> None:
    loaded = plans.load_plans(DATA / "plans.json", real_bank.by_id)
    by_slug = {p.slug: p for p in loaded.plans}
    assert set(by_slug) >= REQUIRED
    assert len(by_slug["one-week"].days) == 7
    for plan in loaded.plans:
        ids = plan.question_ids
        assert len(ids) == len(set(ids)), f"{plan.slug}: a question twice"
        assert all(q in real_bank.by_id for q in ids)
        assert all(1 <= len(day.questions) <= 12 for day in plan.days)


def test_an_unknown_question_id_is_located_with_the_likely_id(tmp_path: Path, real_bank: Bank) -> None:
    text = (DATA / "plans.json").read_text(encoding="utf-8")
    broken = text.replace('"bias-variance-tradeoff"', '"bias-variance-trade-off"', 1)
    message = _error(tmp_path, broken, real_bank)
    line = _line(broken, '"bias-variance-trade-off"')
    assert message == (f"data/plans.json:{line}: plan 'mlops-platform', day 1: 'bias-variance-trade-off' is not a "
                       "question id in data/questions.json; use the id of a question in the bank "
                       "(did you mean 'bias-variance-tradeoff'?)")


def test_a_question_twice_in_one_plan_is_located_at_its_second_place(tmp_path: Path, real_bank: Bank) -> None:
    data = json.loads((DATA / "plans.json").read_text(encoding="utf-8"))
    plan = data["plans"][1]
    repeated = plan["days"][0]["questions"][0]
    plan["days"][2]["questions"].append(repeated)
    text = json.dumps(data, indent=2)
    message = _error(tmp_path, text, real_bank)
    line = _line(text, f'"{repeated}"', after=plan["days"][2]["title"])
    assert message == (f"data/plans.json:{line}: plan {plan['slug']!r}, day 3: {repeated!r} is already in day 1 "
                       "of this plan; a plan lists each question once, so remove one of them")


def test_schema_problems_name_the_plan_day_and_field(tmp_path: Path, real_bank: Bank) -> None:
    data = json.loads((DATA / "plans.json").read_text(encoding="utf-8"))
    data["plans"][0]["days"][1]["title"] = ""
    del data["plans"][2]["summary"]
    text = json.dumps(data, indent=2)
    message = _error(tmp_path, text, real_bank).splitlines()
    day_title = _line(text, '"title": ""')
    third = _line(text, f'"slug": "{data["plans"][2]["slug"]}"') - 1  # the plan's opening brace
    assert f"data/plans.json:{day_title}: plan 'mlops-platform', day 2: title: '' is too short" in message
    assert f"data/plans.json:{third}: plan {data['plans'][2]['slug']!r}: 'summary' is a required property" in message


def test_broken_json_is_located(tmp_path: Path, real_bank: Bank) -> None:
    text = (DATA / "plans.json").read_text(encoding="utf-8")
    broken = text.replace('"cross-validation",', '"cross-validation"', 1)
    message = _error(tmp_path, broken, real_bank)
    line = _line(broken, '"cross-validation"') + 1
    assert message.startswith(f"data/plans.json:{line}:")
    assert "not valid JSON" in message


def test_a_plan_page_escapes_every_field_and_links_each_question() -> None:
    hostile = plans.Plan(plans.Slug("p"), plans.PlainText("<script>alert(1)</script>"),
                         plans.PlainText('"><img src=x onerror=alert(1)>'),
                         (plans.Day(plans.PlainText("<b>day</b>"), (plans.Slug("q1"),)),))
    page = plans.render_plan_page(hostile, lambda qid: plans.QuestionLink(
        plans.PlainText("<i>q</i>"), plans.PlainText("T&T"), "advanced", f"../../topics/t/#{qid}"))
    assert "<script>" not in page
    assert "<img" not in page
    assert "<b>day" not in page
    assert "<i>q" not in page
    assert 'href="../../topics/t/#q1"' in page
    assert 'href="../../practice/?plan=p"' in page
    assert 'href="../../mock/?plan=p"' in page


@pytest.mark.browser
def test_a_plan_starts_practice_in_its_order_and_shows_progress_after_it(page: Page, site_url: str, real_bank: Bank) -> None:
    plan = plans.load_plans(DATA / "plans.json", real_bank.by_id).plans[0]
    first, second = plan.question_ids[:2]
    page.goto(f"{site_url}plans/{plan.slug}/")
    day1 = page.locator('[data-plan-day="1"]')
    expect(day1.locator("[data-day-progress]")).to_have_text(f"0 of {len(plan.days[0].questions)} known")
    expect(page.locator(".qa-plan-day--next")).to_have_attribute("data-plan-day", "1")
    page.get_by_role("link", name="Practise this plan").click()

    page.wait_for_url(f"**/practice/?plan={plan.slug}")
    card = page.locator(".qa-card")
    expect(card).to_have_attribute("data-card", first)
    expect(page.locator(".qa-practice__plan")).to_contain_text("Study plan: ")
    assert page.locator(".qa-practice__counts").inner_text().startswith("Card 1 of ")
    page.get_by_role("button", name="Show answer").click()
    expect(page.locator('[data-rating="knew"]')).to_be_visible()  # once the answer is in
    page.keyboard.press("3")
    expect(card).to_have_attribute("data-card", second)

    page.goto(f"{site_url}plans/{plan.slug}/")
    expect(day1.locator("[data-day-progress]")).to_have_text(f"1 of {len(plan.days[0].questions)} known")
    expect(day1.locator(f'li[data-question="{first}"]')).to_have_attribute("data-mark", "known")
    expect(page.locator("[data-plan-progress]")).to_contain_text(f"You know 1 of {len(plan.question_ids)}")
    page.goto(f"{site_url}plans/")
    expect(page.locator(f'li[data-plan="{plan.slug}"] [data-plan-progress]')).to_contain_text(
        f"you know 1 of {len(plan.question_ids)}")

    page.goto(f"{site_url}practice/?plan={plan.slug}&mode=all")
    expect(card).to_have_attribute("data-card", first)
    page.get_by_role("button", name="Practise the whole bank").click()
    expect(page.locator(".qa-practice__plan")).to_be_hidden()
    assert page.evaluate("location.search") == "?mode=all"


@pytest.mark.browser
def test_an_unknown_plan_in_the_address_is_ignored(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}practice/?plan=no-such-plan")
    expect(page.locator(".qa-card__question")).to_be_visible()
    expect(page.locator(".qa-practice__plan")).to_be_hidden()
