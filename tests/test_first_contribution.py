"""A first contribution from a fresh clone, using only the commands CONTRIBUTING.md gives, each
hint run exactly as the previous command printed it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from qbank.bank import read_document
from tests.conftest import ROOT


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(shlex.split(command), cwd=cwd, capture_output=True, text=True, check=False, timeout=300)


def _documented(command: str) -> str:
    """The command as CONTRIBUTING.md writes it (so the test fails if the guide stops saying it)."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert command in text, f"CONTRIBUTING.md no longer gives {command!r}"
    return command


def test_a_first_question_from_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--local", str(ROOT), str(clone)], check=True, timeout=120)
    # The packages `make check` would install are this run's own; link them instead of downloading
    # (and date requirements.txt before them, so make sees them as installed and leaves them be).
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)
    os.utime(clone / "requirements.txt", (0, 0))

    checked = _run(_documented("make check"), clone)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "data/questions.json: OK" in checked.stdout

    made = _run(_documented(".venv/bin/python -m qbank new --file mine.md"), clone)
    assert made.returncode == 0, made.stderr
    resume = re.search(r"^\s+(\.venv/bin/python -m qbank new --from \S+)$", made.stdout, re.M).group(1)
    draft = clone / "mine.md"
    text = draft.read_text(encoding="utf-8")
    draft.write_text(
        text.replace("topic:\n", "topic: serving\n").replace("difficulty:\n", "difficulty: hard\n")
        .replace("tags:\n", "tags: batching, latency\n")
        .replace("question:\n", "question: When does dynamic batching hurt the p99 latency of a model server?\n")
        .replace("# answer\n", "# answer\nBatching waits for requests to arrive.\nThat wait adds to every request.\n")
        .replace("# how_to_answer\n", "# how_to_answer\nThey listen for the queueing delay.\n")
        .replace("# example_answer\n", "# example_answer\nI cap the wait at a few milliseconds.\n")
        .replace("# rubric\n", "# rubric\n- Names the queueing delay batching adds\n- Caps the batch wait\n"
                                "- Measures p99, not the mean\n"),
        encoding="utf-8")

    refused = _run(resume, clone)
    assert refused.returncode == 1
    assert "difficulty: 'difficulty' is 'hard'; use one of: foundational, intermediate, advanced" in refused.stdout
    assert resume in refused.stderr, "the same command resumes after the fix"
    draft.write_text(draft.read_text(encoding="utf-8").replace("difficulty: hard", "difficulty: intermediate"),
                     encoding="utf-8")

    added = _run(resume, clone)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "data/questions.json: OK" in added.stdout
    question = next(q for q in read_document(clone / "data" / "questions.json")["questions"]
                    if q["question"].startswith("When does dynamic batching"))
    assert question["answer"] == ["Batching waits for requests to arrive.", "That wait adds to every request."]

    assert _run(_documented(".venv/bin/python -m qbank fmt --check"), clone).returncode == 0
    diff = subprocess.run(["git", "diff", "--numstat"], cwd=clone, capture_output=True, text=True, check=True)
    added_lines, removed_lines, name = diff.stdout.split()
    assert name == "data/questions.json"
    assert int(removed_lines) <= 1, "adding a question changes no existing line (but a comma)"
    assert int(added_lines) < 40, "the diff is the new question, a line per field or sentence"
