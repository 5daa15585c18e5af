"""`new` as a contributor uses it, in a real pseudo-terminal: every field checked at its prompt,
multi-paragraph answers, nothing typed ever lost, and drafts that `--from` completes."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from qbank.bank import read_document
from tests.conftest import copy_project

QUESTION = "Why does a canary deployment of a recommender need a holdback group of users?"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project, with the test run's own .venv, so commands run as CONTRIBUTING prints them."""
    copy = copy_project(tmp_path / "project")
    (copy / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return copy


def _ignore_sigint() -> None:
    """As a command started in the background of a non-interactive shell (`cmd &`) inherits it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _spawn(project: Path, *args: str, **env: str) -> pexpect.spawn:
    return pexpect.spawn(".venv/bin/python", ["-m", "qbank", "new", *args], cwd=str(project), encoding="utf-8",
                         timeout=30, env={"PATH": os.environ["PATH"], "TERM": "dumb", **env},
                         preexec_fn=_ignore_sigint)


def _answer_text(child: pexpect.spawn, lines: list[str]) -> None:
    for line in [*lines, "."]:
        child.expect("> ")
        child.sendline(line)


def _question(project: Path, question_id: str) -> dict:
    return next(q for q in read_document(project / "data" / "questions.json")["questions"] if q["id"] == question_id)


def test_each_field_is_checked_at_its_prompt_and_paragraphs_survive(project: Path) -> None:
    child = _spawn(project)
    child.expect("question: ")
    child.sendline("Why <b>canary</b>?")
    child.expect("may not contain HTML tags")
    child.expect("question: ")
    child.sendline(QUESTION)
    child.expect(r"topic \[")
    child.sendline("12")
    child.expect(r"difficulty \[")
    child.sendline("hard")
    child.expect("'difficulty' is 'hard'; use one of: foundational, intermediate, advanced")
    child.expect(r"difficulty \[")
    child.sendline("int")
    child.expect("tags")
    child.sendline("canary, NCCL")
    child.expect("tag 'NCCL' is not a slug")
    child.expect("tags")
    child.sendline("canary, recommender")
    _answer_text(child, ["A holdback keeps some users on the old model.", "",
                         "Without it, seasonality reads as model quality."])
    _answer_text(child, ["They listen for a control group."])
    _answer_text(child, ["I keep a holdback on the old model."])
    child.expect(r"1\. ")
    child.sendline("How large should the holdback be?")
    child.expect(r"2\. ")
    child.sendline("")
    child.expect(r"1\. ")
    child.sendline("no bar in this one")
    child.expect("has no '|' between title and URL")
    child.expect(r"1\. ")
    child.sendline("Argo Rollouts analysis | https://argo-rollouts.readthedocs.io/en/stable/features/analysis/")
    child.expect(r"2\. ")
    child.sendline("")
    child.expect(r"rubric \(at least 3\)")
    for number, point in enumerate(["Names a control group", "Names the metric window"], 1):
        child.expect(rf"{number}\. ")
        child.sendline(point)
    child.expect(r"3\. ")
    child.sendline("")
    child.expect("rubric needs at least 3; type point 3")
    child.expect(r"3\. ")
    child.sendline("Says what ends the canary")
    child.expect(r"4\. ")
    child.sendline("")
    child.expect(r"#canary-deployment-recommender-need-holdback-group-users \(Enter keeps it")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    added = _question(project, "canary-deployment-recommender-need-holdback-group-users")
    assert added["difficulty"] == "intermediate"
    assert added["tags"] == ["canary", "recommender"]
    assert added["answer"] == ["A holdback keeps some users on the old model.", "",
                               "Without it, seasonality reads as model quality."], "a real paragraph break"
    assert added["references"][0]["title"] == "Argo Rollouts analysis"
    assert added["rubric"] == ["Names a control group", "Names the metric window", "Says what ends the canary"]


def test_ctrl_c_keeps_the_draft_and_the_bank_and_from_completes_it(project: Path) -> None:
    bank = project / "data" / "questions.json"
    before = bank.read_bytes()
    child = _spawn(project)
    child.expect("question: ")
    child.sendline(QUESTION)
    child.expect(r"topic \[")
    child.sendline("deployment")
    child.expect(r"difficulty \[[^\]]*\]: ")  # the whole prompt: the line is being read
    child.sendintr()
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in output
    assert bank.read_bytes() == before
    hint = re.search(r"run:\s+(\.venv/bin/python -m qbank new --from \S+)", output).group(1)
    kept = project / hint.split("--from ")[1]
    text = kept.read_text(encoding="utf-8")
    assert QUESTION in text
    assert "topic: deployment" in text

    filled = (text.replace("difficulty:\n", "difficulty: intermediate\n").replace("tags:\n", "tags: canary, holdout\n")
              .replace("# answer\n", "# answer\nA holdback keeps users on the old model.\n\nIt is the control.\n")
              .replace("# how_to_answer\n", "# how_to_answer\nThey listen for a control group.\n")
              .replace("# example_answer\n", "# example_answer\nI keep a holdback.\n")
              .replace("# rubric\n", "# rubric\n- Names a control group\n- Names the metric window\n"
                                     "- Says what ends the canary\n"))
    kept.write_text(filled, encoding="utf-8")
    result = subprocess.run(shlex.split(hint), cwd=project, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    added = _question(project, "canary-deployment-recommender-need-holdback-group-users")
    assert added["answer"] == ["A holdback keeps users on the old model.", "", "It is the control."]
    assert not kept.exists(), "a draft that went into the bank is removed"


def test_a_failed_validation_keeps_the_draft_with_located_problems(project: Path) -> None:
    existing = read_document(project / "data" / "questions.json")["questions"][5]["question"]
    result = subprocess.run(
        [".venv/bin/python", "-m", "qbank", "new", "--topic", "ml-foundations", "--difficulty", "advanced",
         "--tags", "bias", "--question", existing.rstrip("?") + " in practice?", "--answer", "Some answer.",
         "--how-to-answer", "They listen.", "--example-answer", "I would say.",
         "--rubric", "Names the label source", "--rubric", "Names a bias metric", "--rubric", "Says how to correct it"],
        cwd=project, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1
    assert "asks nearly the same as the existing question" in result.stdout
    hint = re.search(r"run:\s+(\.venv/bin/python -m qbank new --from \S+)", result.stderr).group(1)
    draft = project / hint.split("--from ")[1]
    assert "Some answer." in draft.read_text(encoding="utf-8")
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        existing.rstrip("?") + " in practice?", "Which bias does a hiring model inherit from its labels?"),
        encoding="utf-8")
    result = subprocess.run(shlex.split(hint), cwd=project, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_draft_with_a_bad_field_names_its_line(project: Path) -> None:
    draft = project / "mine.md"
    made = subprocess.run([".venv/bin/python", "-m", "qbank", "new", "--file", "mine.md", "--topic", "gpus"],
                          cwd=project, capture_output=True, text=True, check=False, timeout=60)
    assert made.returncode == 0, made.stderr
    assert ".venv/bin/python -m qbank new --from mine.md" in made.stdout
    text = draft.read_text(encoding="utf-8")
    line = text.split("\n").index("difficulty:") + 1
    draft.write_text(text.replace("difficulty:\n", "difficulty: hard\n"), encoding="utf-8")
    result = subprocess.run([".venv/bin/python", "-m", "qbank", "new", "--from", "mine.md"], cwd=project,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1
    assert f"mine.md:{line}: difficulty: 'difficulty' is 'hard'; use one of" in result.stdout
    assert "question: 'question' is required" in result.stdout, "every problem at once"


def test_the_scaffold_round_trip_adds_exactly_what_was_written(project: Path) -> None:
    subprocess.run([".venv/bin/python", "-m", "qbank", "new", "--file", "q.md"], cwd=project, check=True,
                   capture_output=True, timeout=60)
    text = (project / "q.md").read_text(encoding="utf-8")
    filled = (text.replace("id:\n", "id: holdback-groups-for-canaries\n")
              .replace("topic:\n", "topic: deployment\n").replace("difficulty:\n", "difficulty: advanced\n")
              .replace("tags:\n", "tags: canary, scenario\n").replace("question:\n", f"question: {QUESTION}\n")
              .replace("# answer\n", "# answer\nFirst sentence.\nSecond sentence.\n\n- a list item\n")
              .replace("# how_to_answer\n", "# how_to_answer\nThey listen for a control group.\n")
              .replace("# example_answer\n", "# example_answer\nI keep a holdback.\n")
              .replace("# follow_ups\n", "# follow_ups\n- How large should it be?\n"
                                          "- How long must it run? | ab-testing-ml-models-sample-size-guardrails\n")
              .replace("# references\n", "# references\n- Argo Rollouts | https://argo-rollouts.readthedocs.io/en/stable/\n")
              .replace("# rubric\n", "# rubric\n- Names a control group\n- Names the metric window\n"
                                     "- Says what ends the canary\n"))
    (project / "q.md").write_text(filled, encoding="utf-8")
    result = subprocess.run([".venv/bin/python", "-m", "qbank", "new", "--from", "q.md"], cwd=project,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _question(project, "holdback-groups-for-canaries") == {
        "id": "holdback-groups-for-canaries", "topic": "deployment", "question": QUESTION,
        "difficulty": "advanced", "tags": ["canary", "scenario"],
        "answer": ["First sentence.", "Second sentence.", "", "- a list item"],
        "how_to_answer": ["They listen for a control group."], "example_answer": ["I keep a holdback."],
        "follow_ups": ["How large should it be?", {"question": "How long must it run?",
                                                   "answered_by": "ab-testing-ml-models-sample-size-guardrails"}],
        "references": [{"title": "Argo Rollouts", "url": "https://argo-rollouts.readthedocs.io/en/stable/"}],
        "rubric": ["Names a control group", "Names the metric window", "Says what ends the canary"],
    }


def test_long_fields_open_in_the_editor_when_editor_is_set(project: Path, tmp_path: Path) -> None:
    editor = tmp_path / "fake-editor"
    editor.write_text("#!/bin/sh\nprintf 'Written in the editor.\\n\\nSecond paragraph.\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    child = _spawn(project, EDITOR=str(editor))
    for prompt, reply in ((r"question: ", QUESTION), (r"topic \[", "deployment"), (r"difficulty \[", "1"),
                          ("tags", "canary")):
        child.expect(prompt)
        child.sendline(reply)
    for prompt, reply in ((r"1\. ", ""), (r"1\. ", ""), (r"1\. ", "Names a control group"),
                          (r"2\. ", "Names the metric window"), (r"3\. ", "Says what ends the canary"), (r"4\. ", ""),
                          ("Enter keeps it", "")):
        child.expect(prompt)
        child.sendline(reply)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    added = _question(project, "canary-deployment-recommender-need-holdback-group-users")
    assert added["answer"] == ["Written in the editor.", "", "Second paragraph."]


def test_every_hint_runs_as_printed(project: Path) -> None:
    """fmt --check says what to run; run exactly that, from the repository root."""
    bank = project / "data" / "questions.json"
    bank.write_text(json.dumps(json.loads(bank.read_text(encoding="utf-8")), indent=4), encoding="utf-8")
    result = subprocess.run([".venv/bin/python", "-m", "qbank", "fmt", "--check"], cwd=project,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1
    hint = re.search(r"run `([^`]+)`", result.stdout).group(1)
    assert hint == ".venv/bin/python -m qbank fmt"
    assert subprocess.run(shlex.split(hint), cwd=project, capture_output=True, check=False, timeout=60).returncode == 0
    assert subprocess.run([".venv/bin/python", "-m", "qbank", "fmt", "--check"], cwd=project,
                          capture_output=True, check=False, timeout=60).returncode == 0


def test_a_follow_up_naming_no_question_is_refused_with_the_id_it_meant(project: Path) -> None:
    flags = ["--topic", "deployment", "--difficulty", "advanced", "--tags", "canary", "--question", QUESTION,
             "--answer", "First.", "--how-to-answer", "They listen.", "--example-answer", "I keep a holdback.",
             "--rubric", "Names a control group", "--rubric", "Names the metric window",
             "--rubric", "Says what ends the canary",
             "--follow-up", "How long must it run? | ab-testing-ml-models-sample-size-guardrail"]
    before = (project / "data" / "questions.json").read_bytes()
    result = subprocess.run([".venv/bin/python", "-m", "qbank", "new", *flags], cwd=project, capture_output=True,
                            text=True, check=False, timeout=60)
    assert result.returncode != 0
    assert ("'answered_by' names 'ab-testing-ml-models-sample-size-guardrail', which is no question's id; "
            "did you mean 'ab-testing-ml-models-sample-size-guardrails'?") in result.stdout + result.stderr
    assert (project / "data" / "questions.json").read_bytes() == before
