"""Study plans (data/plans.json): role tracks, each an ordered list of days and each day a list of
question ids from the bank. Loaded, validated and typed like the bank, with every problem located
at its line; rendered as one page per plan and an index (qbank/site.py adds them), and published
as JSON for the browser (the plan's progress, and practice or a mock interview from a plan).

Every string is plain text: escaped for the page like the bank's plain text, never Markdown.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator
from markupsafe import escape

from qbank import jsonpos
from qbank.routes import MOCK_URL, PLANS_DATA_URL, PRACTICE_URL
from qbank.text import PlainText, Slug

PLANS_EDIT_PATH = "data/plans.json"
TITLE = "Study plans"


@dataclass(frozen=True)
class Day:
    """One day of a plan: a theme and the questions to study, in order."""

    title: PlainText
    questions: tuple[Slug, ...]


@dataclass(frozen=True)
class Plan:
    """A role track: who it is for and its days."""

    slug: Slug
    title: PlainText
    summary: PlainText
    days: tuple[Day, ...]

    @property
    def question_ids(self) -> tuple[Slug, ...]:
        """Every question of the plan, in the order it is studied."""
        return tuple(q for day in self.days for q in day.questions)


@dataclass(frozen=True)
class Plans:
    """The validated file: its plans in page order."""

    plans: tuple[Plan, ...]


class PlansError(ValueError):
    """data/plans.json is not usable; each line of the message names the line, plan and fix."""


def load_plans(path: Path, question_ids: Mapping[str, object], display: str = PLANS_EDIT_PATH) -> Plans:
    """Read, validate and type the plans file against the bank's question ids; PlansError lists
    every problem, each as `data/plans.json:LINE: plan 'slug', day N: what is wrong and the fix`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlansError(f"{display}: cannot read it: {error}") from None
    try:
        parsed = jsonpos.parse(text)
    except jsonpos.JSONSyntaxError as error:
        raise PlansError(f"{display}:{error.position.line}:{error.position.col}: not valid JSON: {error.message}") \
            from None
    data, lines = parsed.value, jsonpos.LineIndex(text)

    def where(at: tuple) -> str:
        """`file:line:` for a value (or the nearest enclosing one the parser saw), and the plan and
        day it sits in."""
        while at and at not in parsed.offsets:
            at = at[:-1]
        line = lines.position(parsed.offsets.get(at, 0)).line
        owner = ""
        if len(at) >= 2 and at[0] == "plans" and isinstance(at[1], int):
            plan = data["plans"][at[1]]
            slug = plan.get("slug") if isinstance(plan, dict) else None
            owner = f" plan {slug!r}" if isinstance(slug, str) else f" plan {at[1] + 1}"
            if len(at) >= 4 and at[2] == "days" and isinstance(at[3], int):
                owner += f", day {at[3] + 1}"
            owner += ":"
        return f"{display}:{line}:{owner}"

    schema = json.loads(path.with_name("plans.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        at = tuple(error.absolute_path)
        field = f" {at[-1]}:" if at and isinstance(at[-1], str) else ""
        problems.append(f"{where(at)}{field} {error.message}")
    if problems:
        raise PlansError("\n".join(problems))

    known = list(question_ids)
    slugs: dict[str, int] = {}
    for p, plan in enumerate(data["plans"]):
        if plan["slug"] in slugs:
            problems.append(f"{where(('plans', p, 'slug'))} slug: plan {slugs[plan['slug']] + 1} already uses "
                            f"{plan['slug']!r}; give each plan its own slug")
        slugs.setdefault(plan["slug"], p)
        first_day: dict[str, int] = {}
        for d, day in enumerate(plan["days"]):
            for n, qid in enumerate(day["questions"]):
                at = ("plans", p, "days", d, "questions", n)
                if qid not in question_ids:
                    close = difflib.get_close_matches(qid, known, n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(f"{where(at)} {qid!r} is not a question id in data/questions.json; "
                                    f"use the id of a question in the bank{hint}")
                elif qid in first_day:
                    problems.append(f"{where(at)} {qid!r} is already in day {first_day[qid] + 1} of this plan; "
                                    "a plan lists each question once, so remove one of them")
                first_day.setdefault(qid, d)
    if problems:
        raise PlansError("\n".join(problems))
    return typed(data)


def typed(data: dict) -> Plans:
    """The plans of a file already validated (load_plans), as typed objects."""
    return Plans(tuple(
        Plan(Slug(plan["slug"]), PlainText(plan["title"]), PlainText(plan["summary"]),
             tuple(Day(PlainText(day["title"]), tuple(Slug(q) for q in day["questions"])) for day in plan["days"]))
        for plan in data["plans"]))


def plans_json(plans: Plans) -> dict:
    """What the browser (which inserts text with textContent only) and the download get: each plan's
    slug, title, summary and days of ids."""
    return {"plans": [
        {"slug": p.slug, "title": p.title.browser(), "summary": p.summary.browser(),
         "days": [{"title": d.title.browser(), "questions": list(d.questions)} for d in p.days]}
        for p in plans.plans]}


@dataclass(frozen=True)
class QuestionLink:
    """How a plan page names a question: its text, topic, level and a link from the plan's page."""

    question: PlainText
    topic: PlainText
    level: str
    href: str


def render_plan_page(plan: Plan, link: Callable[[str], QuestionLink]) -> str:
    """A plan's page: what it is for, how to start it, and each day's questions with the reader's
    progress (filled in by docs/javascripts/study.js from the saved state)."""
    count = len(plan.question_ids)
    parts = [
        f"# {plan.title.markdown()}\n",
        f'<p class="qa-plan-summary">{plan.summary.html()}</p>\n',
        f'<p class="qa-plan-meta">{len(plan.days)} days, {count} questions. '
        '<span class="qa-plan-progress" data-plan-progress></span></p>\n',
        '<p class="qa-start"><a class="md-button md-button--primary" '
        f'href="../../{PRACTICE_URL}?plan={escape(plan.slug)}">Practise this plan</a> '
        f'<a class="md-button" href="../../{MOCK_URL}?plan={escape(plan.slug)}">'
        'Mock interview from this plan</a></p>\n',
    ]
    for number, day in enumerate(plan.days, 1):
        items = []
        for qid in day.questions:
            q = link(qid)
            items.append(
                f'<li data-question="{escape(qid)}"><a href="{escape(q.href)}">{q.question.html()}</a> '
                f'<span class="qa-plan-where">{q.topic.html()} · {escape(q.level)}</span></li>')
        parts.append(
            f'<section class="qa-plan-day" data-plan-day="{number}" aria-labelledby="day-{number}">\n'
            f'<h2 id="day-{number}">Day {number}: {day.title.html()}</h2>\n'
            f'<p class="qa-plan-day__progress" data-day-progress></p>\n'
            f'<ol class="qa-plan-questions">\n' + "\n".join(items) + "\n</ol>\n</section>\n")
    return "\n".join(parts)


def render_plans_index(plans: Plans) -> str:
    """The index: every plan with what it is for and its size."""
    items = []
    for plan in plans.plans:
        items.append(
            f'<li data-plan="{escape(plan.slug)}">'
            f'<a href="{escape(plan.slug)}/"><strong>{plan.title.html()}</strong></a>'
            f"<br>{plan.summary.html()}<br>"
            f'<span class="qa-plan-where">{len(plan.days)} days, {len(plan.question_ids)} questions</span> '
            f'<span class="qa-plan-progress" data-plan-progress></span></li>')
    return (f"# {TITLE}\n\n"
            "Each plan is a role track: a list of questions for each day, foundations first. Your progress "
            "comes from the marks and practice ratings saved in this browser. "
            f'The plans are also a <a href="../{PLANS_DATA_URL}">JSON download</a>.\n\n'
            + '<ul class="qa-plans">\n' + "\n".join(items) + "\n</ul>\n")
