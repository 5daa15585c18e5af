"""Studying offline and installing the site as an app: the service worker's precache list and
version, the worker itself (from qbank/offline-worker.js), the web app manifest and its icons.

Everything here reads the built site, never the bank: the precache list is what a candidate needs
after one visit (the home page, every topic page and part, practice and its data, the plans, the
numbers page, a mock interview when the site has one) plus every stylesheet, script and icon those
pages load, read from their HTML. The cache's version is a hash of those files' bytes and of the
worker's code, so a deploy that changes any of them installs a new cache and drops the old one.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from qbank.routes import (
    CARDS_PATH,
    DECK_PATH,
    INDEX_PATH,
    MOCK_PATH,
    MOCK_URL,
    NUMBERS_URL,
    PLANS_DATA_URL,
    PLANS_FOLDER,
    PLANS_URL,
    PRACTICE_URL,
    TOPIC_PAGES,
)

WORKER_TEMPLATE = Path(__file__).resolve().parent / "offline-worker.js"
WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
OFFLINE_PAGE = "offline.html"
ICON_SIZES = (192, 512)
# Material's indigo (--md-primary-fg-color), the colour of the header in light and dark mode.
THEME_COLOR = "#4051b5"
BACKGROUND_COLOR = "#ffffff"
# The pages precached on the first visit, as globs of built files; a pattern nothing matches
# (mock/ before the mock interview exists) is skipped.
PRECACHE_PAGES = (
    "index.html",
    f"{TOPIC_PAGES}/*/index.html",
    f"{TOPIC_PAGES}/*/*/index.html",
    f"{PRACTICE_URL}index.html",
    f"{PLANS_URL}index.html",
    f"{PLANS_FOLDER}/*/index.html",
    f"{NUMBERS_URL}index.html",
    f"{MOCK_URL}index.html",
    OFFLINE_PAGE,
)
# The data those pages' scripts fetch, and the files that make the site an app; precached when built.
PRECACHE_FILES = (
    DECK_PATH,
    CARDS_PATH,
    INDEX_PATH,
    MOCK_PATH,
    PLANS_DATA_URL,
    "sitemap.xml",  # instant navigation reads it to know which links are the site's own pages
    MANIFEST,
)
# Precached, but left out of the version: its <lastmod> dates change every day with nothing else.
UNVERSIONED = frozenset({"sitemap.xml"})


def icon_path(size: int) -> str:
    """Where the app icon of one size is written, relative to the site root."""
    return f"icons/icon-{size}.png"


@dataclass(frozen=True)
class Precache:
    """What the service worker stores on install: site-relative URLs ("" is the home page), and
    the cache version they and the worker's code hash to."""

    urls: tuple[str, ...]
    version: str
    size: int  # bytes


_LOADING_TAGS = re.compile(r"<(?:script|link)\b[^>]*>", re.I)


class _References(HTMLParser):
    """The stylesheets, scripts and icons one page loads (href/src as written)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and values.get("src"):
            self.found.append(values["src"])
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & {"stylesheet", "icon", "apple-touch-icon", "manifest"} and values.get("href"):
            self.found.append(values["href"])


def page_url(file: str) -> str:
    """A built page's URL relative to the site root: topics/gpus/index.html -> topics/gpus/."""
    return file[: -len("index.html")] if file.endswith("index.html") else file


def _loaded_files(site_dir: Path, page: str, site_path: str) -> set[str]:
    """The site's own files one built page loads, as paths relative to the site root (site_path is
    the root's path on its host, as the error pages' absolute links start)."""
    parser = _References()
    # Only the <script> and <link> tags matter; parsing them alone keeps a 400 KB page fast.
    for tag in _LOADING_TAGS.findall((site_dir / page).read_text(encoding="utf-8")):
        parser.feed(tag + ("</script>" if tag[1:7].lower() == "script" else ""))
    parser.close()
    base = posixpath.dirname(page)
    files = set()
    for reference in parser.found:
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            continue
        if parts.path.startswith("/"):  # the theme writes absolute paths on the error pages
            if not parts.path.startswith(site_path):
                continue
            path = parts.path[len(site_path):]
        else:
            path = posixpath.normpath(posixpath.join(base, parts.path))
        if not path.startswith("../") and (site_dir / path).is_file():
            files.add(path)
    return files


def precache_files(site_dir: Path, site_path: str = "/") -> list[str]:
    """Every built file the service worker stores on install, relative to the site root, sorted."""
    pages = sorted({path.relative_to(site_dir).as_posix()
                    for pattern in PRECACHE_PAGES for path in site_dir.glob(pattern) if path.is_file()})
    files = set(pages)
    for page in pages:
        files |= _loaded_files(site_dir, page, site_path)
    files |= {name for name in (*PRECACHE_FILES, *map(icon_path, ICON_SIZES)) if (site_dir / name).is_file()}
    return sorted(files)


def cache_version(site_dir: Path, files: Iterable[str], worker_code: str) -> str:
    """A short hash of the precached files' names and bytes and of the worker's code."""
    digest = hashlib.sha256(worker_code.encode("utf-8"))
    for name in sorted(files):
        if name in UNVERSIONED:
            continue
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site_dir / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


def precache(site_dir: Path, site_path: str = "/", worker_code: str | None = None) -> Precache:
    """The precache list of a built site (served at site_path on its host) and its version."""
    code = WORKER_TEMPLATE.read_text(encoding="utf-8") if worker_code is None else worker_code
    files = precache_files(site_dir, site_path)
    size = sum((site_dir / name).stat().st_size for name in files)
    return Precache(tuple(page_url(name) for name in files), cache_version(site_dir, files, code), size)


def render_worker(cached: Precache, worker_code: str | None = None) -> str:
    """The service worker's source: the template with its version and precache list filled in."""
    code = WORKER_TEMPLATE.read_text(encoding="utf-8") if worker_code is None else worker_code
    return (code.replace('"__VERSION__"', json.dumps(cached.version))
                .replace('["__PRECACHE__"]', json.dumps(list(cached.urls), indent=1))
                .replace('"__OFFLINE_PAGE__"', json.dumps(OFFLINE_PAGE)))


def manifest(name: str, short_name: str, description: str) -> dict:
    """The web app manifest: the site as an app, opened at its home page, scoped to the site."""
    icons = [{"src": icon_path(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
             for purpose in ("any", "maskable") for size in ICON_SIZES]
    return {
        "name": name,
        "short_name": short_name,
        "description": description,
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


# The letter M, as convex polygons in a unit square, inside the central circle a maskable icon
# keeps (radius 0.4), so a phone's round or squircle mask never cuts it.
_MARK = (
    ((0.29, 0.31), (0.375, 0.31), (0.375, 0.69), (0.29, 0.69)),
    ((0.625, 0.31), (0.71, 0.31), (0.71, 0.69), (0.625, 0.69)),
    ((0.29, 0.31), (0.375, 0.31), (0.5425, 0.58), (0.4575, 0.58)),
    ((0.625, 0.31), (0.71, 0.31), (0.5425, 0.58), (0.4575, 0.58)),
)
_SUBROWS = 4
_LEVELS = 64  # shades between the background and the mark


def _span(polygon: tuple[tuple[float, float], ...], y: float) -> tuple[float, float] | None:
    """Where a horizontal line crosses a convex polygon, as an x interval."""
    xs = []
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y0 <= y <= y1 or y1 <= y <= y0) and y0 != y1:
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return (min(xs), max(xs)) if xs else None


def icon_png(size: int) -> bytes:
    """The app icon: a white M on the theme's indigo, anti-aliased, as PNG bytes."""
    back, fore = _hex_rgb(THEME_COLOR), (255, 255, 255)
    shades = [bytes(round(b + (f - b) * level / _LEVELS) for b, f in zip(back, fore, strict=True))
              for level in range(_LEVELS + 1)]
    rows = []  # each row starts with its filter type, 0
    for row in range(size):
        coverage = [0.0] * size
        for sub in range(_SUBROWS):
            y = (row + (sub + 0.5) / _SUBROWS) / size
            for polygon in _MARK:
                span = _span(polygon, y)
                if span is None:
                    continue
                left, right = span[0] * size, span[1] * size
                for x in range(max(int(left), 0), min(int(right) + 1, size)):
                    coverage[x] += (min(right, x + 1) - max(left, x)) / _SUBROWS
        rows.append(b"\0" + b"".join(shades[round(min(amount, 1.0) * _LEVELS)] for amount in coverage))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def root_path(site_url: str) -> str:
    """The site root's path on its host: https://x.github.io/repo/ -> /repo/."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def write_offline(site_dir: Path, site_url: str, name: str, short_name: str, description: str) -> Precache:
    """Write the manifest, its icons and the service worker into a built site; returns what the
    worker precaches."""
    for size in ICON_SIZES:
        target = site_dir / icon_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(icon_png(size))
    (site_dir / MANIFEST).write_text(json.dumps(manifest(name, short_name, description), indent=2) + "\n",
                                     encoding="utf-8")
    cached = precache(site_dir, root_path(site_url))
    (site_dir / WORKER).write_text(render_worker(cached), encoding="utf-8")
    return cached
