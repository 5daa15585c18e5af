"""Study plans (data/plans.json): validated against the bank with located messages, like the bank's
own; rendered as a page per plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

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
