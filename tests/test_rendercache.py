"""The render cache on disk: a later build reuses conversions, never changes a page, and a tampered
or foreign cache file cannot bring in live markup."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from macros import render, rendercache
from macros.text import MarkdownText
from tests.conftest import copy_project, run_mkdocs_build

TEXT = "Batching raises **throughput**; see `torch.compile`."


@pytest.fixture
def fresh_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer as a new process has it: nothing converted, nothing stored."""
    monkeypatch.setattr(render, "_stored", {})
    monkeypatch.setattr(render, "_used", set())
    monkeypatch.setattr(rendercache, "_loaded", set())


def _refuse_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    def convert(_text: str) -> str:
        raise AssertionError("converted again despite the cache")
    monkeypatch.setattr(render._MD, "convert", convert)


def test_a_stored_conversion_is_reused(fresh_renderer: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "rendered.json"
    expected = render.render_markdown(MarkdownText(TEXT))
    rendercache.save(cache)
    monkeypatch.setattr(render, "_stored", {})
    assert rendercache.load(cache) == 1
    assert rendercache.load(cache) == 0, "read once per process (mkdocs serve rebuilds in one)"
    _refuse_conversion(monkeypatch)
    assert render.render_markdown(MarkdownText(TEXT)) == expected


def test_a_cache_from_another_renderer_is_ignored(fresh_renderer: None, tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    cache.write_text(json.dumps({"salt": "renderer 0", "entries": {render.render_key(TEXT): "<p>stale</p>"}}))
    assert rendercache.load(cache) == 0
    assert "stale" not in render.render_markdown(MarkdownText(TEXT))
    for broken in ("{", "[]", '{"salt": "x"}'):
        cache.write_text(broken)
        rendercache._loaded.clear()
        assert rendercache.load(cache) == 0


def test_a_tampered_cache_cannot_bring_in_markup(fresh_renderer: None, tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    payload = '<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">x</a>'
    cache.write_text(json.dumps({"salt": render.RENDER_SALT, "entries": {render.render_key(TEXT): payload}}))
    assert rendercache.load(cache) == 1
    html = render.render_markdown(MarkdownText(TEXT))
    assert "<p>ok</p>" in html
    for live in ("<script", "<img", "onerror", "javascript:"):
        assert live not in html


def test_a_warm_cache_builds_the_same_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    sites = []
    for name in ("cold", "warm"):
        site = tmp_path / name
        result = run_mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        sites.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")})
    cache = json.loads(rendercache.cache_path(project).read_text(encoding="utf-8"))
    assert len(cache["entries"]) > 3 * 200, "every question's texts are stored"
    assert sites[0] == sites[1]
    assert not (project / ".cache").exists(), "the cache lives outside the checkout"


def test_a_cache_committed_to_the_repository_publishes_nothing(tmp_path: Path) -> None:
    """A pull request that commits a crafted .cache/rendered.json cannot change a published page."""
    project = copy_project(tmp_path / "project")
    answer = "\n".join(json.loads((project / "data" / "questions.json").read_text(encoding="utf-8"))["questions"][0]["answer"])
    crafted = {"salt": render.RENDER_SALT,
               "entries": {render.render_key(answer): '<p>Send your password to <a href="https://evil.example/">us</a></p>'}}
    (project / ".cache").mkdir()
    (project / ".cache" / "rendered.json").write_text(json.dumps(crafted), encoding="utf-8")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "evil.example" not in pages
    assert "Send your password" not in pages


def test_the_cache_is_keyed_by_the_renderer_code_itself() -> None:
    source = Path(render.__file__).read_bytes()
    assert hashlib.sha256(source).hexdigest()[:16] in render.RENDER_SALT, "an edit to render.py converts afresh"


def test_each_build_stores_only_the_texts_it_used(fresh_renderer: None, tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    render.render_markdown(MarkdownText("An answer as it was before the edit."))
    render.start_build()  # the next `mkdocs serve` rebuild, in the same process
    render.render_markdown(MarkdownText(TEXT))
    rendercache.save(cache)
    stored = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert list(stored) == [render.render_key(TEXT)], "the edited-away text is not kept"
