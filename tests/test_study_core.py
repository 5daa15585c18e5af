"""The practice page's schedule and saved progress (docs/javascripts/study-core.js), tested
without a browser: runs tests/js/*.test.js under Node's built-in test runner, so `make test`
fails with Node's own report when one of them does."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import ROOT

JS_TESTS = ROOT / "tests" / "js"


def test_study_core_passes_its_node_tests() -> None:
    node = shutil.which("node")
    assert node, "Node.js is missing: install Node.js 20 or later (make test needs it for npm ci too)"
    # Files, not the directory: from Node 21 on, `node --test` reads its arguments as globs and
    # takes a bare directory for a module.
    files = sorted(str(path.relative_to(ROOT)) for path in JS_TESTS.glob("*.test.js"))
    assert files, f"no *.test.js in {JS_TESTS}"
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", *files],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"node --test failed:\n{report[-8000:]}"
    passed = re.search(r"^# pass (\d+)$", report, re.M)
    assert passed, report[-3000:]
    assert int(passed.group(1)) > 0, f"node --test ran no test:\n{report[-3000:]}"
    assert re.search(r"^# fail 0$", report, re.M), report[-3000:]
