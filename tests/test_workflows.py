"""The GitHub workflows stay hardened: zizmor finds nothing, and the rules it cannot see hold too."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")


def test_zizmor_reports_no_findings() -> None:
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona", "auditor", str(ROOT / ".github" / "workflows")],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_full_sha_with_version_comment(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", workflow.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"# v\d+\.\d+\.\d+", comment), f"{action} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_timeouts_and_concurrency(workflow: Path) -> None:
    text = workflow.read_text()
    assert re.search(r"^permissions: \{\}$", text, re.M), "workflow-level permissions must be empty"
    assert "concurrency:" in text
    jobs = text.split("\njobs:\n", 1)[1]
    job_blocks = re.split(r"\n  (?=[\w-]+:\n)", "\n" + jobs)[1:]
    for block in job_blocks:
        assert "timeout-minutes:" in block, block.splitlines()[0]
        assert "permissions:" in block, block.splitlines()[0]
        if "actions/checkout" in block:
            assert "persist-credentials: false" in block
        if "pages: write" in block or "id-token: write" in block:
            assert "actions/checkout" not in block, "the job with a write token must not run repository code"
    assert "pull_request_target" not in text


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert re.search(r"^make test$", ci_run, re.M)
    assert "apt-get install" in ci_run
    assert "chromium" in ci_run


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", str(ROOT)], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout
