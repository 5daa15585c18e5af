"""Lighthouse's mobile preset (a 4x slower CPU and slow 4G, simulated) on the pages a reader uses
most, against a baseline in the same invocation: the same bank written as plain Markdown pages
with collapsed blocks and built with the same MkDocs + Material configuration (bench/build.py's
baseline), both served gzip-compressed from 127.0.0.1 as GitHub Pages serves them.

The score depends on how fast the machine is at that moment (Lighthouse simulates the phone on
top of this machine's CPU), so runs alternate ours and plain, each page is measured `--repeat`
times and the medians are printed with Lighthouse's benchmark index of the machine. Ratios are
ours / plain.

    .venv/bin/python bench/lighthouse.py [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build import ROOT, write_plain_project
from qbank.bank import BANK_PATH, joined, read_document
from tests.support import SiteServer, run_lighthouse

# Each of our pages and the plain page it is compared with (plain has a home and topic pages).
PAGES = {"home": ("", ""), "topic": ("topics/gpus/", "topics/gpus/"), "practice": ("practice/", "topics/gpus/")}


def side_medians(sides: dict[str, list[dict]]) -> dict[str, dict]:
    """For each side (ours, plain, ...), the median of each figure over its runs."""
    return {side: {key: statistics.median(r[key] for r in values) for key in values[0]}
            for side, values in sides.items()}


def build_site(project: Path, site: Path, code: Path = ROOT) -> None:
    """`mkdocs build` of `project` into `site`, with the qbank package (our plugin) from `code`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(code)}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=project, env=env,
                   check=True)


def _figures(lhr: dict) -> dict:
    audits = lhr["audits"]
    return {"score": round(lhr["categories"]["performance"]["score"] * 100),
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "benchmark_index": lhr["environment"]["benchmarkIndex"]}


def plain_document() -> dict:
    """The real bank as the baseline writer takes it: text fields as one string each, follow-ups as
    their question."""
    document = read_document(BANK_PATH)
    for question in document["questions"]:
        for field in ("answer", "how_to_answer", "example_answer"):
            question[field] = joined(question[field])
        question["follow_ups"] = [f["question"] if isinstance(f, dict) else f for f in question.get("follow_ups", [])]
        question.setdefault("references", [])
    return document


def run(repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as temp:
        temp_path = Path(temp)
        ours_site, plain_site, plain_project = temp_path / "ours", temp_path / "plain", temp_path / "plain-project"
        build_site(ROOT, ours_site)
        plain_project.mkdir()
        write_plain_project(plain_document(), plain_project)
        build_site(plain_project, plain_site)
        servers = {"ours": SiteServer(ours_site, subpath="/", compress=True),
                   "plain": SiteServer(plain_site, subpath="/", compress=True)}
        urls = {side: server.start() for side, server in servers.items()}
        runs: dict[str, dict[str, list[dict]]] = {name: {"ours": [], "plain": []} for name in PAGES}
        try:
            for n in range(repeat):
                for name, paths in PAGES.items():
                    for side, path in zip(("ours", "plain"), paths, strict=True):
                        output = temp_path / f"{name}-{side}-{n}.json"
                        runs[name][side].append(_figures(run_lighthouse(urls[side] + path, "mobile",
                                                                        ["performance"], output)))
        finally:
            for server in servers.values():
                server.stop()
    result = {}
    for name, sides in runs.items():
        medians = side_medians(sides)
        medians["tbt_ratio"] = medians["ours"]["tbt_ms"] / max(medians["plain"]["tbt_ms"], 1)
        medians["lcp_ratio"] = medians["ours"]["lcp_ms"] / medians["plain"]["lcp_ms"]
        result[name] = medians
    return result


def _table(result: dict) -> str:
    lines = ["| page (plain page) | score ours / plain | total blocking time ms ours / plain | ratio | "
             "largest paint ms ours / plain | ratio | benchmark index |",
             "|---|---|---|---:|---|---:|---|"]
    for name, row in result.items():
        ours, plain = row["ours"], row["plain"]
        lines.append(f"| {name} ({PAGES[name][0] or '/'} against {PAGES[name][1] or '/'}) | "
                     f"{ours['score']:.0f} / {plain['score']:.0f} | {ours['tbt_ms']:.0f} / {plain['tbt_ms']:.0f} | "
                     f"{row['tbt_ratio']:.2f} | {ours['lcp_ms']:.0f} / {plain['lcp_ms']:.0f} | "
                     f"{row['lcp_ratio']:.2f} | {ours['benchmark_index']:.0f} / {plain['benchmark_index']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per page and side; medians are printed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    result = run(args.repeat)
    print(_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
