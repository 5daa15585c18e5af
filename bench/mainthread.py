"""Main-thread work while a page loads, ours against the plain baseline, in one invocation.

Lighthouse's mobile score (bench/lighthouse.py) moves with how busy this shared machine is at that
moment. What it scales up is the work the page makes the browser do on its main thread, and that
can be counted steadily: each page is loaded in Chromium (a 412x823 touch screen, the size
Lighthouse's mobile preset uses, no throttling) with a performance trace, and the time of every
main-thread task from the start of parsing to two seconds after the load event is summed, with
the style recalculation and layout inside it. Ours and plain alternate, each page `--repeat`
times, and the medians are printed with ratios ours / plain. The pages and the baseline are
bench/lighthouse.py's: the same bank as plain Markdown pages built with the same theme.

With `--before REV` the site as it was at that git revision is built too (from a temporary git
worktree) and takes its turn in the same rounds, so a change is measured before and after in one
invocation: ratios ours / before are printed as well.

    .venv/bin/python bench/mainthread.py [--repeat 7] [--before f17d9a2] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from bench.build import write_plain_project
from bench.lighthouse import PAGES, ROOT, build_site, plain_document, side_medians
from tests.support import SiteServer, launch_chromium

SCREEN = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
TASKS = {"RunTask", "ThreadControllerImpl::RunTask"}
SETTLE_MS = 2000


def _main_thread(events: list[dict]) -> dict:
    """Busy, style and layout milliseconds on the renderer's main thread (the one that parsed the
    page), from the start of parsing."""
    thread = collections.Counter((e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML")
    pid_tid = thread.most_common(1)[0][0]
    main = [e for e in events if (e["pid"], e["tid"]) == pid_tid and e.get("ph") == "X"]
    start = min(e["ts"] for e in main if e["name"] == "ParseHTML")

    def total(names: set[str]) -> float:
        return sum(e.get("dur", 0) for e in main if e["name"] in names and e["ts"] >= start) / 1000

    return {"busy_ms": total(TASKS), "style_ms": total({"UpdateLayoutTree"}), "layout_ms": total({"Layout"})}


def _measure(browser, url: str) -> dict:
    context = browser.new_context(**SCREEN)
    try:
        page = context.new_page()
        browser.start_tracing(page=page, categories=CATEGORIES)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(SETTLE_MS)
        trace = json.loads(browser.stop_tracing())
    finally:
        context.close()
    return _main_thread(trace["traceEvents"] if isinstance(trace, dict) else trace)


def _build_revision(revision: str, checkout: Path, site: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(checkout), revision], check=True)
    try:
        build_site(checkout, site, code=checkout)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=True)


def _ratios(top: dict, bottom: dict) -> dict:
    return {key: top[key] / max(bottom[key], 1) for key in top}


def run(repeat: int, before: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-mainthread-") as temp:
        temp_path = Path(temp)
        sites = {"ours": temp_path / "ours", "plain": temp_path / "plain"}
        build_site(ROOT, sites["ours"])
        plain_project = temp_path / "plain-project"
        plain_project.mkdir()
        write_plain_project(plain_document(), plain_project)
        build_site(plain_project, sites["plain"])
        if before:
            sites["before"] = temp_path / "before"
            _build_revision(before, temp_path / "before-checkout", sites["before"])
        servers = {side: SiteServer(site, subpath="/", compress=True) for side, site in sites.items()}
        urls = {side: server.start() for side, server in servers.items()}
        runs: dict[str, dict[str, list[dict]]] = {name: {side: [] for side in sites} for name in PAGES}
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for _ in range(repeat):
                    for name, (ours_path, plain_path) in PAGES.items():
                        for side in sites:
                            path = plain_path if side == "plain" else ours_path
                            runs[name][side].append(_measure(browser, urls[side] + path))
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    result = {}
    for name, sides in runs.items():
        medians = side_medians(sides)
        medians["ratios"] = _ratios(medians["ours"], medians["plain"])
        if before:
            medians["ratios_before"] = _ratios(medians["ours"], medians["before"])
        result[name] = medians
    return result


def _table(result: dict, other: str = "plain") -> str:
    ratios = "ratios" if other == "plain" else "ratios_before"
    lines = [f"| page (plain page) | main thread ms ours / {other} | ratio | style ms ours / {other} | ratio | "
             f"layout ms ours / {other} | ratio |", "|---|---|---:|---|---:|---|---:|"]
    for name, row in result.items():
        cells = [f"{row['ours'][k]:.0f} / {row[other][k]:.0f} | {row[ratios][k]:.2f}"
                 for k in ("busy_ms", "style_ms", "layout_ms")]
        label = f"{name} ({PAGES[name][0] or '/'} against {PAGES[name][1] or '/'})"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="loads per page and side; medians are printed")
    parser.add_argument("--before", metavar="REV", help="also measure the site at this git revision")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    result = run(args.repeat, args.before)
    print(_table(result))
    if args.before:
        print(f"\nAgainst {args.before}:\n" + _table(result, "before"))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
