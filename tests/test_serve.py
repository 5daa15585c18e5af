"""`mkdocs serve` rebuilds on a change: edit data/questions.json and see the served page change.
(It runs the Python it started with; CONTRIBUTING says to restart it after editing qbank/.)"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import SUBPATH, copy_project


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # not served yet, or mid-rebuild: it holds a socket
        error.close()
        return ""
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.5)
    return False


@contextmanager
def _serving(project: Path, port: int | None = None) -> Iterator[str]:
    """`mkdocs serve` of a project directory on a loopback port (a free one unless given); yields
    the site's URL."""
    port = port or _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}{SUBPATH}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_rebuilds_when_the_bank_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with _serving(project) as site:
        bank_path = project / "data" / "questions.json"
        bank = json.loads(bank_path.read_text(encoding="utf-8"))
        question = bank["questions"][0]
        url = f"{site}topics/{question['topic']}/"
        assert _wait_for(url, f'id="{question["id"]}"', 120), "the site was not served"
        assert '"format"' in _get(f"{site}search/manifest.json"), "serve builds the search index too"

        question["answer"] = "Edited while serving: the word zebrafinch proves the rebuild."
        bank_path.write_text(json.dumps(bank, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

        assert _wait_for(url, "zebrafinch", 120), "serve did not rebuild after the bank changed"
