"""The render cache on disk: a later build reuses conversions, never changes a page, and a tampered
or foreign cache file cannot bring in live markup."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from qbank import render, rendercache
from qbank.text import MarkdownText
from tests.conftest import copy_project, run_mkdocs_build

TEXT = "Batching raises **throughput**; see `torch.compile`."


def _stored(cache: Path, entries: dict[str, str], salt: str = render.RENDER_SALT) -> None:
    cache.write_text(json.dumps({"salt": salt, "entries": entries}), encoding="utf-8")


def test_a_stored_conversion_is_reused(tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    rendercache.write(cache, {render.render_key(TEXT): "<p>as stored</p>"})
    assert render.Renderer(rendercache.read(cache))(MarkdownText(TEXT)) == "<p>as stored</p>", "not converted again"


def test_a_cache_from_another_renderer_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    _stored(cache, {render.render_key(TEXT): "<p>stale</p>"}, salt="renderer 0")
    assert rendercache.read(cache) == {}
    assert "stale" not in render.Renderer(rendercache.read(cache))(MarkdownText(TEXT))
    for broken in ("{", "[]", '{"salt": "x"}'):
        cache.write_text(broken)
        assert rendercache.read(cache) == {}


def test_a_tampered_cache_cannot_bring_in_markup(tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    payload = '<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">x</a>'
    _stored(cache, {render.render_key(TEXT): payload})
    html = render.Renderer(rendercache.read(cache))(MarkdownText(TEXT))
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


def test_each_build_stores_only_the_texts_it_used(tmp_path: Path) -> None:
    cache = tmp_path / "rendered.json"
    first = render.Renderer()
    first(MarkdownText("An answer as it was before the edit."))
    second = first.next_build()  # the next `mkdocs serve` rebuild, in the same process
    second(MarkdownText(TEXT))
    rendercache.write(cache, second.used)
    assert list(rendercache.read(cache)) == [render.render_key(TEXT)], "the edited-away text is not kept"
