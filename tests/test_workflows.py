"""The GitHub workflows stay hardened: zizmor finds nothing, and the rules it cannot see hold too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def test_pages_deploys_only_from_main() -> None:
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert pages["jobs"]["deploy"]["if"] == "github.ref == 'refs/heads/main'", (
        "a run started by hand on another branch must not publish it")


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def _make_dry_run(target: str) -> subprocess.CompletedProcess[str]:
    make = shutil.which("make")
    assert make, "the README's set-up needs make"
    return subprocess.run([make, "-n", target], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)


def test_readme_set_up_commands_are_makefile_targets_that_serve_and_test() -> None:
    assert _quick_start_commands() == ["make serve", "make test"]
    serve, test = _make_dry_run("serve"), _make_dry_run("test")
    assert serve.returncode == 0, serve.stderr
    assert test.returncode == 0, test.stderr
    assert re.search(r"^\S*mkdocs serve\b", serve.stdout, re.M), serve.stdout
    assert re.search(r"^\S*python -m pytest\b", test.stdout, re.M), test.stdout


def _stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.parametrize("has_ensurepip", [False, True], ids=["stock-debian", "venv-ready"])
def test_ci_run_installs_python3_venv_only_when_venv_cannot_work(tmp_path: Path, has_ensurepip: bool) -> None:
    fake_bin, log = tmp_path / "bin", tmp_path / "calls.log"
    fake_bin.mkdir()
    _stub(fake_bin, "python3", f'[ "$1 $2" = "-c import ensurepip" ] && exit {0 if has_ensurepip else 1}; exit 2')
    _stub(fake_bin, "apt-get", f'echo "apt-get $*" >> "{log}"')
    _stub(fake_bin, "make", f'echo "make $*" >> "{log}"')
    result = subprocess.run(
        [str(ROOT / ".ci" / "run")], env={"PATH": f"{fake_bin}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    installs_venv = any(c.startswith("apt-get install") and "python3-venv" in c.split() for c in calls)
    assert installs_venv is not has_ensurepip, calls
    assert calls[-1] == "make test"
    readme = (ROOT / "README.md").read_text()
    assert "python3-venv" in readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", str(ROOT)], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout


def test_readme_names_the_address_make_serve_serves() -> None:
    """`mkdocs serve` serves under the path of site_url (a project site's /<repo>/)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', config, re.M).group(1)
    path = "/" + site_url.split("://", 1)[1].split("/", 1)[1]
    served = re.search(r"^make serve .*?(http://127\.0\.0\.1:8000\S*)", readme, re.M).group(1)
    assert served == f"http://127.0.0.1:8000{path}"


def test_ci_reports_canonical_form_even_when_check_fails() -> None:
    """A contributor sees the annotations of `check` and of `fmt --check` from one push."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["bank"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = next(n for n, run in enumerate(runs) if "macros check" in run)
    fmt_check = next(n for n, run in enumerate(runs) if "macros fmt --check" in run)
    assert check < fmt_check
    condition = str(steps[fmt_check].get("if", ""))
    assert "!cancelled()" in condition or "always()" in condition, "fmt --check must run after a failed check"
