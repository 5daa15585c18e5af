"""Shared fixtures: the tiny valid bank, one strict build of the real site, a loopback server for
it under a GitHub Pages-style subpath, and a Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbank.bank import Bank, load_bank
from tests.support import CHROMIUM, CHROMIUM_ARGS, SUBPATH, SiteServer, launch_chromium

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "SUBPATH", "SiteServer"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@pytest.fixture
def valid_bank() -> Bank:
    """The small valid bank in tests/fixtures."""
    return load_bank(FIXTURES / "valid.json")


@pytest.fixture(scope="session")
def real_bank() -> Bank:
    """The project's real bank."""
    return load_bank()


def copy_project(destination: Path) -> Path:
    """A copy of everything a build needs, to build a changed bank without touching the real one."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "data", "qbank", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_mkdocs_build(project: Path, site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project directory; returns the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, capture_output=True, text=True, env=env, check=False, timeout=300,
    )


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp("site"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_site(_server: SiteServer) -> Path:
    """One strict build of the real site, for the address it is served from, shared by every test
    that inspects site/."""
    result = run_mkdocs_build(ROOT, _server.directory, site_url=_server.url)
    assert result.returncode == 0, result.stderr
    return _server.directory


@pytest.fixture(scope="session")
def site_url(built_site: Path, _server: SiteServer) -> str:
    """The built site served over HTTP on 127.0.0.1 under SUBPATH; stopped after the session."""
    return _server.start()


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """The session's one Playwright, for launch_chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: object) -> Iterator[object]:
    """Debian's Chromium under Playwright. Missing Chromium is an error, never a skip."""
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: object, site_url: str) -> Iterator[object]:
    """A fresh browser context and page; requests that would leave 127.0.0.1 are refused."""
    context = browser.new_context()
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
