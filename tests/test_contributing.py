"""CONTRIBUTING.md stays true: its example entry passes the same checks as a real contribution."""

from __future__ import annotations

import json
import re

from qbank import edit
from qbank.bank import load_bank
from tests.conftest import ROOT


def test_contributing_example_entry_is_valid(tmp_path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"### A complete example\n\n```json\n(.*?)\n```", text, re.S).group(1))
    bank = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    bank["questions"] = [q for q in bank["questions"] if q["id"] != example["id"]] + [example]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(bank, indent=2, ensure_ascii=False), encoding="utf-8")
    loaded = load_bank(path)
    assert loaded.questions[-1].id == example["id"]
    assert edit.canonical({"questions": [example]})["questions"][0] == example, "the example is in canonical layout"


def _yaml(path: str) -> dict:
    import yaml

    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def test_report_form_has_the_fields_the_site_prefills() -> None:
    from qbank.render import SiteLinks

    form = _yaml(".github/ISSUE_TEMPLATE/report-answer.yml")
    ids = {field.get("id") for field in form["body"]}
    link = SiteLinks("https://github.com/o/r", "https://o.github.io/r/").report(load_bank().questions[0])
    for parameter in ("question-id", "question-link"):
        assert parameter in ids
        assert f"{parameter}=" in link
    assert "template=report-answer.yml" in link


def test_suggest_form_lists_every_topic() -> None:
    form = _yaml(".github/ISSUE_TEMPLATE/suggest-question.yml")
    topic_field = next(field for field in form["body"] if field.get("id") == "topic")
    options = topic_field["attributes"]["options"]
    titles = [t.title.value for t in load_bank().topics]
    assert options[: len(titles)] == titles, "add the new topic's title to .github/ISSUE_TEMPLATE/suggest-question.yml"


def test_contributing_and_ci_run_the_same_bank_checks_first() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".venv/bin/python -m qbank check" in text
    assert ".venv/bin/python -m qbank fmt --check" in text
    assert "pre-commit" not in text, "nothing suggests a tool the set-up does not install"
    ci = _yaml(".github/workflows/ci.yml")
    bank_steps = [step.get("run", "") for step in ci["jobs"]["bank"]["steps"]]
    assert ".venv/bin/python -m qbank check --format github" in bank_steps
    assert ".venv/bin/python -m qbank fmt --check --format github" in bank_steps
    assert ci["jobs"]["test"]["needs"] == "bank"
    assert ci["jobs"]["preview"]["needs"] == "bank"
    uploads = [step for step in ci["jobs"]["preview"]["steps"] if "upload-artifact" in step.get("uses", "")]
    assert uploads[0]["with"]["path"] == "site/"


def test_contributing_names_every_command_it_relies_on() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in ("python -m qbank check", "python -m qbank fmt", "python -m qbank new", "make serve",
                    "make check"):
        assert command in text, command


def test_readme_and_contributing_give_the_same_quick_set_up() -> None:
    """One set-up path for contributors: make check installs only what check, fmt, new and serve need."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "make check" in readme
    assert "make check" in contributing
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    check = re.search(r"^check: (.*)$", makefile, re.M).group(1)
    assert check.split()[0] == "$(BIN)/mkdocs", "make check installs requirements.txt only, not the test tools"
