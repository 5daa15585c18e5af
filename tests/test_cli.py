"""`python -m macros check`: one located line per problem, a non-zero exit, and no writes."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, ROOT


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macros", "check", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )


def test_check_passes_on_the_real_bank() -> None:
    result = _check()
    assert result.returncode == 0, result.stdout
    assert "OK" in result.stdout


def test_check_prints_located_problems_and_fails(tmp_path) -> None:
    bad = tmp_path / "questions.json"
    original = (FIXTURES / "bad" / "unknown-topic.json").read_bytes()
    bad.write_bytes(original)
    result = _check(str(bad))
    assert result.returncode == 1
    assert f"{bad}:30:7: question 'batch-vs-stream': unknown topic 'gamma'" in result.stdout
    assert bad.read_bytes() == original, "check must never write"
