"""End to end, as a contributor: `new` adds a question, `check` passes, the site builds, and the
question is on its topic page and found by search in a real browser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import SiteServer, copy_project, run_mkdocs_build

QUESTION = "Why does a canary deployment of a recommender need a holdback group of users?"
ANSWER = (
    "A holdback keeps a slice of users on the old model so the canary is compared against the same "
    "traffic mix; without it seasonality masquerades as model quality. Quokkaflux is our search probe."
)


def _macros(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qbank", *args], cwd=project, capture_output=True, text=True,
                          check=False, timeout=120)


@pytest.mark.browser
def test_new_question_reaches_its_page_and_search(tmp_path: Path, browser) -> None:
    project = copy_project(tmp_path / "project")

    added = _macros(
        project, "new", "--topic", "deployment", "--question", QUESTION, "--difficulty", "intermediate",
        "--tags", "canary,recommender", "--answer", ANSWER,
        "--how-to-answer", "They listen for a control group and for the metric window.",
        "--example-answer", "I keep a holdback on the old model so I compare like with like.",
        "--rubric", "Names a control group", "--rubric", "Names the metric window",
        "--rubric", "Says what ends the canary",
    )
    assert added.returncode == 0, added.stdout + added.stderr
    question_id = "canary-deployment-recommender-need-holdback-group-users"
    assert f"Added question '{question_id}'" in added.stdout
    assert _macros(project, "check").returncode == 0

    server = SiteServer(tmp_path / "site")
    try:
        built = run_mkdocs_build(project, server.directory, site_url=server.url)
        assert built.returncode == 0, built.stderr
        page_html = (server.directory / "topics" / "deployment" / "index.html").read_text(encoding="utf-8")
        assert f'<h2 id="{question_id}"' in page_html
        search_docs = [json.loads(p.read_text(encoding="utf-8")) for p in (server.directory / "search" / "q").glob("*.json")]
        assert [d["url"] for d in search_docs if d["id"] == question_id] == [f"topics/deployment/#{question_id}"]

        url = server.start()
        context = browser.new_context()
        context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
        page = context.new_page()
        page.goto(url)
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially("quokkaflux", delay=20)
        first = page.locator(".md-search-result__link").first
        expect(first).to_be_visible()
        first.click()
        expect(page.locator(f'details.qa[data-question="{question_id}"]')).to_have_attribute("open", "")
        context.close()
    finally:
        server.stop()
