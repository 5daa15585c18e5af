"""What the tests and the benchmark share: the one loopback HTTP server for a built site and the
one way to launch Chromium (Debian's, under Playwright)."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

# As on GitHub Pages for a project site: https://<owner>.github.io/<repo>/
SUBPATH = "/ml-infra-interviews/"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags this machine's closed network needs: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# What GitHub Pages sends gzip-compressed to a browser that accepts it.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under its subpath, as GitHub Pages serves a project site; with
    `compress`, text files go gzip-compressed to a browser that accepts it, as GitHub Pages sends
    them."""

    def __init__(self, *args: object, subpath: str, compress: bool = False, **kwargs: object) -> None:
        self.subpath = subpath
        self.compress = compress
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            url = self.path.split("?", 1)[0].split("#", 1)[0]
            path = Path(self.translate_path(url))
            if url.endswith("/") and path.is_dir():
                path = path / "index.html"
            if path.suffix in COMPRESSED and path.is_file():
                body = gzip.compress(path.read_bytes(), compresslevel=6)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=600")
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.subpath):
            return str(Path(self.directory) / "__not_here__")
        return super().translate_path("/" + path[len(self.subpath):])

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    """A loopback HTTP server (127.0.0.1, a free port) for a site directory under `subpath`. It is
    bound on creation, so its URL is known before the site is built for it, and serves once
    started; stop() shuts it down."""

    def __init__(self, directory: Path, subpath: str = SUBPATH, compress: bool = False) -> None:
        self.directory = directory
        handler = functools.partial(_SubpathHandler, directory=str(directory), subpath=subpath, compress=compress)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}{subpath}"

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()


def launch_chromium(playwright: object, extra_args: Sequence[str] = ()) -> object:
    """Debian's Chromium under Playwright, with CHROMIUM_ARGS and then `extra_args` (a test's own
    flags, such as a fake microphone). Missing Chromium is an error."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} not found: run scripts/install-chromium"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


LIGHTHOUSE = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's presets: desktop (no CPU slowdown, a fast connection) and its default, mobile (a
# mid-range phone: 4x CPU slowdown and slow 4G, simulated).
LIGHTHOUSE_PRESETS = {"desktop": ["--preset=desktop"], "mobile": []}
# Every host but 127.0.0.1 fails to resolve, so nothing Chromium does can reach the internet.
# (Quoted for Lighthouse's --chrome-flags parser, which strips the quotes.)
OFFLINE_FLAG = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'


def run_lighthouse(url: str, preset: str, categories: Sequence[str], output: Path) -> dict:
    """Lighthouse (node_modules, as package-lock.json pins it) on one URL with Debian's Chromium,
    offline but for 127.0.0.1; its report (LHR). A failed run is an error naming the URL."""
    assert LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing: run `npm ci` (make test does)"
    flags = " ".join([*CHROMIUM_ARGS, OFFLINE_FLAG, "--headless=new"])
    result = subprocess.run(
        [
            str(LIGHTHOUSE), url, *LIGHTHOUSE_PRESETS[preset],
            "--only-categories=" + ",".join(categories),
            "--no-enable-error-reporting",
            f"--chrome-flags={flags}",
            "--output=json", f"--output-path={output}", "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True, text=True, check=False, timeout=180,
    )
    assert result.returncode == 0, f"lighthouse failed on {url}:\n{result.stderr[-3000:]}"
    lhr = json.loads(output.read_text(encoding="utf-8"))
    assert "runtimeError" not in lhr, lhr["runtimeError"]
    return lhr


def topic_page_files(site: Path, folder: str, slug: str) -> list[Path]:
    """Every part of a built topic page (or printable page) of `folder`, in part order."""
    later = sorted((site / folder / slug).glob("[0-9]*/index.html"), key=lambda path: int(path.parent.name))
    return [site / folder / slug / "index.html", *later]


def topic_pages_html(site: Path, folder: str, slug: str) -> str:
    """Every part of a built topic page (or printable page) of `folder`, in part order, as one text."""
    return "".join(path.read_text(encoding="utf-8") for path in topic_page_files(site, folder, slug))
