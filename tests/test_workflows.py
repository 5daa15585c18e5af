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
    """Audits the workflows and .github/dependabot.yml (its cooldown audit, among others)."""
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona", "auditor", str(ROOT / ".github")],
        capture_output=True, text=True, check=False, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output
    assert "dependabot.yml" in output, "zizmor must audit the Dependabot configuration too"


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


ON_MAIN_PUSH = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _needs(job: dict) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def test_pages_deploys_only_what_passed_every_test_on_the_same_commit() -> None:
    """The deploy job is in the run that tests the commit, and waits for the tests (issue: Pages
    published commits whose tests failed, from a workflow of its own running in parallel)."""
    workflows = {path.name: path.read_text(encoding="utf-8") for path in WORKFLOWS}
    deploying = [name for name, text in workflows.items() if "actions/deploy-pages@" in text]
    assert deploying == ["ci.yml"], "only CI, after its tests, may publish to GitHub Pages"
    for name, text in workflows.items():
        for trigger in ("workflow_run", "workflow_dispatch", "pull_request_target"):
            assert trigger not in yaml.safe_load(text)[True], f"{name}: {trigger} could bypass the tests"

    ci = _workflow("ci.yml")
    jobs = ci["jobs"]
    deploy = jobs["deploy"]
    assert {"bank", "test"} <= _needs(deploy), "deploy must wait for the bank checks and every test"
    assert jobs["test"]["steps"][-1]["run"] == "make test"
    # Only a push to main is published: not a pull request, not another branch.
    assert set(ci[True]) == {"pull_request", "push"}
    assert ci[True]["push"]["branches"] == ["main"]
    assert deploy.get("if") == ON_MAIN_PUSH
    assert deploy["environment"]["name"] == "github-pages"
    # It publishes the artifact built in this run, by a job it also waits for.
    builders = [name for name, job in jobs.items()
                if any("actions/upload-pages-artifact@" in step.get("uses", "") for step in job["steps"])]
    assert builders == ["preview"]
    assert "preview" in _needs(deploy)
    upload = next(step for step in jobs["preview"]["steps"] if "upload-pages-artifact" in step.get("uses", ""))
    assert upload.get("if") == ON_MAIN_PUSH
    assert upload["with"]["path"] == "site/"
    # A deployment already under way is never cancelled halfway.
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert "pull_request" in ci["concurrency"]["cancel-in-progress"], "only superseded pull request runs are cancelled"


def test_only_the_deploy_job_can_write_and_it_runs_no_repository_code() -> None:
    for path in WORKFLOWS:
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            permissions = job["permissions"]
            writes = {scope for scope, level in permissions.items() if level == "write"}
            if name == "deploy" and path.name == "ci.yml":
                assert permissions == {"pages": "write", "id-token": "write"}
                uses = [step.get("uses", "") for step in job["steps"]]
                assert [u.split("@")[0] for u in uses] == ["actions/deploy-pages"]
                assert not any("run" in step for step in job["steps"])
            else:
                assert not writes, f"{path.name}: job {name} must hold a read-only token"


# The current major of each action (checked against its releases when raised). Dependabot keeps the
# patch and minor releases current; a new major fails here until its release notes were read and
# this table raised with it.
EXPECTED_MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/upload-artifact": 7,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def test_actions_are_on_their_current_major() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for action, sha, version in re.findall(
                r"uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40})\s+#\s*v(\d+\.\d+\.\d+)", path.read_text()):
            pins.setdefault(action, set()).add((sha, version))
    assert set(EXPECTED_MAJORS) <= set(pins), set(EXPECTED_MAJORS) - set(pins)
    for action, major in EXPECTED_MAJORS.items():
        assert len(pins[action]) == 1, f"{action}: every use is pinned to the same release, {pins[action]}"
        (_sha, version), = pins[action]
        assert int(version.split(".")[0]) == major, f"{action} is at v{version}, expected v{major}.x.y"


def test_dependabot_keeps_actions_pip_and_npm_current_weekly_in_one_pr_each() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"github-actions", "pip", "npm"}
    assert len(config["updates"]) == 3
    for ecosystem, update in updates.items():
        assert update["directory"] == "/", ecosystem
        assert update["schedule"]["interval"] == "weekly", ecosystem
        groups = update.get("groups", {})
        assert len(groups) == 1, f"{ecosystem}: one group, so one pull request"
        (group,) = groups.values()
        assert group["patterns"] == ["*"], f"{ecosystem}: the group must take every dependency"
        assert not {"exclude-patterns", "dependency-type", "update-types"} & set(group), ecosystem
    # What directory "/" covers for pip and npm is there.
    for name in ("requirements.txt", "requirements-dev.txt", "package.json", "package-lock.json"):
        assert (ROOT / name).is_file(), name


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
    check = next(n for n, run in enumerate(runs) if "qbank check" in run)
    fmt_check = next(n for n, run in enumerate(runs) if "qbank fmt --check" in run)
    assert check < fmt_check
    condition = str(steps[fmt_check].get("if", ""))
    assert "!cancelled()" in condition or "always()" in condition, "fmt --check must run after a failed check"
