"""Studying offline and installing the site (qbank/offline.py, qbank/offline-worker.js,
docs/javascripts/offline.js): the precache list and its version on small built sites, the manifest
and icons of the real build, and in a real browser: one visit, then no network (home, a topic with
its answers, practice, the mock interview when the site has one; a page never saved shows the
offline page), a new deploy replacing the cached version, and `mkdocs serve` removing a worker an
earlier build left at its address."""

from __future__ import annotations

import json
import re
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from qbank import offline
from qbank.bank import load_bank
from qbank.routes import Routes
from tests.conftest import SUBPATH, SiteServer, copy_project, run_mkdocs_build
from tests.test_serve import _get, _serving, _wait_for

OFFLINE_HEADING = "You are offline"


# --- The precache list and its version, on a small built site ---------------------------------

def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _page(assets: str) -> str:
    return (f'<html><head><link rel="stylesheet" href="{assets}assets/stylesheets/main.0123abcd.min.css">'
            f'<link rel="icon" href="{assets}assets/images/favicon.png">'
            '<link rel="stylesheet" href="https://fonts.example.com/font.css"></head>'
            f'<body><p>text</p><script src="{assets}assets/javascripts/bundle.0123abcd.min.js"></script>'
            f'<script src="{assets}javascripts/study.js"></script></body></html>')


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A built site in miniature: every kind of file the precache list takes or leaves out."""
    site = tmp_path / "site"
    pages = {"index.html": "", "topics/gpus/index.html": "../../", "topics/gpus/2/index.html": "../../../",
             "practice/index.html": "../", "plans/index.html": "../", "plans/one-week/index.html": "../../",
             "numbers/index.html": "../", "tags/bf16/index.html": "../../", "print/gpus/index.html": "../../",
             "downloads/index.html": "../"}
    for name, assets in pages.items():
        _write(site / name, _page(assets))
    _write(site / offline.OFFLINE_PAGE, _page("/repo/").replace("javascripts/study.js", "javascripts/offline.js"))
    for name in ("assets/stylesheets/main.0123abcd.min.css", "assets/images/favicon.png",
                 "assets/javascripts/bundle.0123abcd.min.js", "javascripts/study.js", "javascripts/offline.js",
                 "javascripts/unused.js", "practice/deck.json", "practice/cards.json", "practice/index.json",
                 "downloads/plans.json", "downloads/ml-infra-interviews.apkg", "search/t0.json", "sitemap.xml",
                 offline.MANIFEST, *map(offline.icon_path, offline.ICON_SIZES)):
        _write(site / name, f"content of {name}")
    return site


def test_precache_holds_what_a_candidate_needs_and_what_those_pages_load(small_site: Path) -> None:
    urls = offline.precache(small_site, "/repo/").urls
    assert set(urls) == {
        "", "topics/gpus/", "topics/gpus/2/", "practice/", "plans/", "plans/one-week/", "numbers/",
        offline.OFFLINE_PAGE, "practice/deck.json", "practice/cards.json", "practice/index.json",
        "downloads/plans.json", "sitemap.xml", offline.MANIFEST, "icons/icon-192.png", "icons/icon-512.png",
        "assets/stylesheets/main.0123abcd.min.css", "assets/images/favicon.png",
        "assets/javascripts/bundle.0123abcd.min.js", "javascripts/study.js",
        "javascripts/offline.js",  # loaded only by the offline page, by its absolute path
    }
    # Saved when visited instead: tag, print and download pages, the search index; never: big downloads.


def test_mock_interview_is_precached_once_the_site_has_one(small_site: Path) -> None:
    assert "mock/" not in offline.precache(small_site).urls
    _write(small_site / "mock/index.html", _page("../"))
    _write(small_site / "practice/mock.json", "{}")
    urls = offline.precache(small_site).urls
    assert {"mock/", "practice/mock.json"} <= set(urls)


def test_version_changes_with_a_precached_file_and_nothing_else(small_site: Path) -> None:
    first = offline.precache(small_site).version
    assert offline.precache(small_site).version == first, "the same files give the same version"

    _write(small_site / "tags/bf16/index.html", _page("../../") + "<!-- another tag -->")
    _write(small_site / "downloads/ml-infra-interviews.apkg", "a deck zipped at another time")
    _write(small_site / "sitemap.xml", "<lastmod>the next day</lastmod>")
    assert offline.precache(small_site).version == first, "files not precached (and the sitemap's dates) do not count"

    _write(small_site / "practice/cards.json", '{"edited": true}')
    changed = offline.precache(small_site).version
    assert changed != first, "an edited answer in the practice data is a new version"
    assert offline.precache(small_site, worker_code="// new worker").version != changed, "so is a new worker"


def test_worker_is_filled_in(small_site: Path) -> None:
    cached = offline.precache(small_site)
    code = offline.render_worker(cached)
    assert "__" not in code, "a placeholder was left in the worker"
    assert f'const VERSION = "{cached.version}";' in code
    listed = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", code, re.S).group(1))
    assert listed == list(cached.urls)


def _png_size_and_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 2), "8-bit RGB"
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4:idat])[0]
    chunk = data[idat:idat + 4 + length]
    assert struct.unpack(">I", data[idat + 4 + length:idat + 8 + length])[0] == zlib.crc32(chunk)
    return width, height, zlib.decompress(chunk[4:])


@pytest.mark.parametrize("size", offline.ICON_SIZES)
def test_icon_is_a_white_mark_on_the_theme_colour(size: int) -> None:
    width, height, pixels = _png_size_and_pixels(offline.icon_png(size))
    assert (width, height) == (size, size)
    row = 3 * size + 1
    assert len(pixels) == size * row

    def pixel(x: int, y: int) -> str:
        start = y * row + 1 + 3 * x
        return "#" + pixels[start:start + 3].hex()

    assert pixel(0, 0) == pixel(size - 1, size - 1) == offline.THEME_COLOR
    assert pixel(int(size * 0.33), size // 2) == "#ffffff", "the M's left stroke"
    # A maskable icon is cut to a circle of 40% of its size: the mark stays inside it.
    for y in range(size):
        for x in range(size):
            if pixel(x, y) != offline.THEME_COLOR:
                assert (x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2 <= (0.4 * size) ** 2


# --- The real build: manifest, icons, head links ---------------------------------------------

def test_manifest_makes_the_site_installable(built_site: Path) -> None:
    manifest = json.loads((built_site / offline.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["name"] == "ML Infra Interviews"
    assert 0 < len(manifest["short_name"]) <= 12, "a short name fits under a home-screen icon"
    assert manifest["start_url"] == manifest["scope"] == "./", "relative to the site root, so the subpath works"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#4051b5", "Material's indigo, the header's colour"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        width, height, _ = _png_size_and_pixels((built_site / icon["src"]).read_bytes())
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_page_links_the_manifest_after_the_policy(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[html.index("<head>"):html.index("</head>")]
        page = path.relative_to(built_site).as_posix()
        first = re.search(r"<(?!/)[a-z]+[^>]*>", head[len("<head>"):]).group()
        assert first.startswith('<meta http-equiv="Content-Security-Policy"'), f"{page}: the policy is not first"
        manifest = re.search(r'<link rel="manifest" href="([^"]+)">', head)
        assert manifest, f"{page} links no manifest"
        href = manifest.group(1)
        target = (href[len(SUBPATH):] if href.startswith(SUBPATH)
                  else (Path(page).parent / href).as_posix())
        assert (built_site / target).resolve() == (built_site / offline.MANIFEST).resolve(), f"{page}: {href}"
        assert '<meta name="theme-color" content="#4051b5">' in head, page


def test_service_worker_precaches_the_study_pages_of_the_real_site(built_site: Path) -> None:
    code = (built_site / offline.WORKER).read_text(encoding="utf-8")
    urls = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", code, re.S).group(1))
    topics = {p.parent.relative_to(built_site).as_posix() + "/" for p in (built_site / "topics").rglob("index.html")}
    assert topics <= set(urls), "every topic page and part"
    assert {"", "practice/", "practice/cards.json", "practice/deck.json", "practice/index.json",
            "downloads/plans.json", "numbers/", "plans/", offline.OFFLINE_PAGE} <= set(urls)
    assert not [u for u in urls if u.startswith(("tags/", "print/", "search/")) or u.endswith(".map")]
    size = sum((built_site / (u + "index.html" if u.endswith("/") or not u else u)).stat().st_size for u in urls)
    assert size < 12_000_000, f"precache of {size / 1e6:.1f} MB is more than a first visit should download"


# --- In a browser ----------------------------------------------------------------------------

def _wait_for_worker(page: Page) -> None:
    """Wait until the service worker has installed its cache and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _errors(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


@pytest.mark.browser
def test_after_one_visit_the_site_works_without_a_network(page: Page, site_url: str, built_site: Path) -> None:
    errors = _errors(page)
    page.goto(site_url)
    _wait_for_worker(page)
    page.context.set_offline(True)

    page.goto(site_url)
    expect(page.locator(".md-content h1")).to_contain_text("ML Infra Interviews")
    expect(page.locator(".md-content")).not_to_contain_text(OFFLINE_HEADING)

    page.goto(f"{site_url}topics/gpus/")
    answer = page.locator("details.qa").first
    answer.locator("summary").click()
    expect(answer.locator(".qa-answer")).to_be_visible()
    expect(answer.locator(".qa-answer")).not_to_be_empty()
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == "rgb(64, 81, 181)", "the theme's stylesheets came from the cache"

    page.goto(f"{site_url}practice/?topic=gpus")  # a filtered address is the saved practice page
    question = page.locator(".qa-card__question")
    expect(question).to_be_visible()
    first = page.locator(".qa-card").get_attribute("data-card")
    page.keyboard.press("Space")
    expect(page.locator(".qa-card__answer")).to_be_visible()
    page.locator('[data-rating="knew"]').click()
    expect(page.locator(".qa-card")).not_to_have_attribute("data-card", first)

    if (built_site / "mock" / "index.html").exists():
        # A mock interview starts and runs offline: its questions (practice/mock.json) were cached too.
        page.goto(f"{site_url}mock/?topic=gpus")
        expect(page.locator(".md-content")).not_to_contain_text(OFFLINE_HEADING)
        start = page.get_by_role("button", name="Start the interview")
        expect(start).to_be_enabled()
        start.click()
        asked = page.locator(".qa-mock__question")
        expect(asked).to_be_visible()
        expect(asked).not_to_be_empty()
        assert asked.get_attribute("data-question") in {q.id for q in load_bank().questions if q.topic == "gpus"}
        page.get_by_role("button", name="I'm done").click()
        expect(page.locator(".qa-mock__rubric input[type=checkbox]").first).to_be_visible()
    assert errors == []


@pytest.mark.browser
def test_a_page_never_saved_shows_the_offline_page(page: Page, site_url: str) -> None:
    errors = _errors(page)
    page.goto(f"{site_url}topics/gpus/")
    _wait_for_worker(page)
    page.context.set_offline(True)

    page.goto(f"{site_url}tags/")  # opened directly
    expect(page.locator(".md-content h1")).to_have_text(OFFLINE_HEADING)
    expect(page.locator(".md-header")).to_be_visible()  # in the site's look, its styles loaded
    home = page.locator(".md-content a", has_text="home page")
    expect(home).to_have_attribute("href", site_url)  # its links work at any address

    page.goto(f"{site_url}topics/gpus/")  # followed from a page, by instant navigation
    tag = page.locator('.md-content a[href*="/tags/"]').first
    tag.click()
    expect(page).to_have_url(re.compile(r"/tags/[^/]+/$"))
    expect(page.locator(".md-content h1")).to_have_text(OFFLINE_HEADING)

    home.click()
    expect(page.locator(".md-content h1")).to_contain_text("ML Infra Interviews")
    assert errors == []


@pytest.fixture
def deploy(tmp_path: Path) -> Iterator[tuple[SiteServer, Path]]:
    """A server for a site directory that tests build into, more than once, and a project to build."""
    server = SiteServer(tmp_path / "site")
    project = copy_project(tmp_path / "project")
    yield server, project
    server.stop()


def _build(project: Path, server: SiteServer) -> str:
    result = run_mkdocs_build(project, server.directory, site_url=server.url)
    assert result.returncode == 0, result.stderr
    return re.search(r'const VERSION = "(\w+)"', (server.directory / offline.WORKER).read_text()).group(1)


@pytest.mark.browser
def test_a_new_deploy_replaces_the_cached_version(browser: object, deploy: tuple[SiteServer, Path]) -> None:
    server, project = deploy
    first = _build(project, server)
    site = server.start()
    bank_path = project / "data" / "questions.json"
    bank = load_bank(bank_path)
    question = bank.questions[0]
    url = site + Routes(bank).question_page(question)

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(url)
        _wait_for_worker(page)
        assert page.evaluate("caches.keys()") == [f"ml-infra-interviews-{first}"]

        text = bank_path.read_text(encoding="utf-8")
        asked = json.dumps(question.question.value, ensure_ascii=False)
        assert asked in text
        edited = asked[:-1] + ' (edited for the next deploy)"'
        bank_path.write_text(text.replace(asked, edited, 1), encoding="utf-8")
        second = _build(project, server)
        assert second != first

        page.reload()  # online: the new page at once, from the network
        expect(page.locator(f'h2[id="{question.id}"]')).to_contain_text("(edited for the next deploy)")
        page.wait_for_function(f"caches.keys().then(k => k.length === 1 && k[0].endsWith({second!r}))",
                               polling=200)

        context.set_offline(True)  # and the new version is what is saved
        page.reload()
        expect(page.locator(f'h2[id="{question.id}"]')).to_contain_text("(edited for the next deploy)")
        page.goto(f"{site}practice/")
        expect(page.locator(".qa-card__question")).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_mkdocs_serve_removes_a_worker_an_earlier_build_left(browser: object, built_site: Path,
                                                             tmp_path: Path) -> None:
    """A contributor who once opened a built site at the address `mkdocs serve` uses does not keep
    studying a stale copy: serve writes no worker, links no manifest, and its first page removes the
    old worker, after which every page comes from serve."""
    earlier = SiteServer(built_site)
    port = int(earlier.url.split(":")[2].split("/")[0])
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(earlier.start())
        _wait_for_worker(page)
        earlier.stop()

        with _serving(copy_project(tmp_path / "project"), port) as site:
            assert _wait_for(site, "ML Infra Interviews", 120), "the site was not served"
            assert 'rel="manifest"' not in _get(site)
            assert _get(f"{site}{offline.WORKER}") == "", "serve writes no service worker"
            # Chromium keeps an unregistered worker until the last page it controls is gone. Until
            # then it may still answer a navigation, and from its cache when serve is slower than its
            # network timeout (a busy machine); once it is gone, every page is serve's own.
            deadline = time.monotonic() + 60
            while True:
                page.goto("about:blank")
                page.goto(site)
                try:  # serve's page unregisters the worker; a stale built page does not
                    page.wait_for_function("navigator.serviceWorker.getRegistrations().then(r => r.length === 0)",
                                           polling=200, timeout=5_000)
                    if page.evaluate("navigator.serviceWorker.controller") is None:
                        break
                except PlaywrightTimeoutError:
                    pass
                assert time.monotonic() < deadline, "the earlier build's worker is still there"
                time.sleep(0.5)
            assert 'rel="manifest"' not in page.content(), "a page without a worker is serve's, not the build's"
            page.reload()
            assert page.evaluate("navigator.serviceWorker.controller") is None
            assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    finally:
        earlier.stop()
        context.close()
