"""Build benchmark: our site against the same content as plain Markdown, in one invocation.

For each size it generates a valid synthetic bank (about 10 topics, realistic text lengths),
then builds (a) our site from it and (b) the baseline: the same questions written out as plain
Markdown topic pages (collapsed blocks) built with the same MkDocs + Material configuration and
no macros. Each build runs in a fresh process, as `mkdocs build` does, and then rebuilds once
after one question is edited, in the same process, as `mkdocs serve` does.

Ratios (ours / baseline) are the figures that count on a noisy machine; absolute seconds are
printed for context only.

    python bench/build.py                       # sizes 100, 1000, 10000
    python bench/build.py --sizes 100 --repeat 3 --json bench/results.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPICS = 10
DIFFICULTIES = ("foundational", "intermediate", "advanced")

# Run in a child process: build (cold), edit one question, build again; print timings as JSON.
_BUILD_AND_REBUILD = r"""
import json, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
project, edit_file, old, new = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
start = time.perf_counter()
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
cold = time.perf_counter() - start
text = edit_file.read_text(encoding="utf-8")
assert old in text
edit_file.write_text(text.replace(old, new, 1), encoding="utf-8")
start = time.perf_counter()
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
print(json.dumps({"cold": cold, "rebuild": time.perf_counter() - start}))
"""


def _words(rng: random.Random, vocabulary: list[str], count: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def synthetic_bank(size: int, seed: int = 7) -> dict:
    """A valid bank of `size` questions over TOPICS topics, with realistic text lengths."""
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("gpu", "data", "model", "batch", "cache", "shard", "queue", "node", "token",
                                      "feature", "drift", "serve", "train", "graph", "store", "metric")
                  for b in ("load", "rate", "size", "time", "path", "plan", "pool", "step", "unit", "flow",
                            "gate", "mesh", "lane", "core", "edge", "span")]
    topics = [{"slug": f"topic-{t:02d}", "title": f"Topic {t:02d}",
               "description": f"Synthetic topic number {t} for the build benchmark, about ML infrastructure."}
              for t in range(TOPICS)]
    questions = []
    for n in range(size):
        sentence = lambda k: _words(rng, vocabulary, k).capitalize() + "."  # noqa: E731
        answer = "\n".join([
            " ".join(sentence(14) for _ in range(4)),
            "",
            *(f"- **{_words(rng, vocabulary, 2)}**: {sentence(16)}" for _ in range(4)),
            "",
            " ".join(sentence(15) for _ in range(5)) + f" Use `{rng.choice(vocabulary)}()` with care.",
        ])
        questions.append({
            "id": f"q{n:05d}-{rng.choice(vocabulary)}",
            "topic": topics[n % TOPICS]["slug"],
            "question": f"Question {n}: how does {_words(rng, vocabulary, 10)} behave under load?",
            "difficulty": DIFFICULTIES[n % 3],
            "tags": sorted({rng.choice(vocabulary) for _ in range(3)}),
            "answer": answer,
            "how_to_answer": " ".join(sentence(15) for _ in range(5)),
            "example_answer": " ".join(sentence(15) for _ in range(9)),
            "follow_ups": [f"What about {_words(rng, vocabulary, 6)}?" for _ in range(2)],
            "references": [{"title": "Reference documentation", "url": "https://example.org/docs"}],
        })
    questions.sort(key=lambda q: q["topic"])
    return {"$schema": "./questions.schema.json", "topics": topics, "questions": questions}


def _ours(bank: dict, directory: Path) -> tuple[Path, str, str]:
    for name in ("mkdocs.yml", "docs", "macros", "overrides"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, directory / name)
    shutil.rmtree(directory / "docs" / "topics")
    (directory / "docs" / "topics").mkdir()
    for topic in bank["topics"]:
        (directory / "docs" / "topics" / f"{topic['slug']}.md").write_text(f'{{{{ topic_page("{topic["slug"]}") }}}}\n')
    (directory / "data").mkdir()
    shutil.copy2(ROOT / "data" / "questions.schema.json", directory / "data")
    bank_path = directory / "data" / "questions.json"
    bank_path.write_text(json.dumps(bank, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    first = bank["questions"][0]["answer"].split(".")[0]
    return bank_path, first, first + " edited"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def _plain(bank: dict, directory: Path) -> tuple[Path, str, str]:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nplugins:")[0] + "\nplugins:\n  - search\n" + "\nmarkdown_extensions:" + \
        config.split("\nmarkdown_extensions:")[1].split("\nextra_css:")[0] + "\n"
    config = config.replace("  custom_dir: overrides\n", "")
    config = config.replace("watch:\n  - data\n  - macros\n  - overrides\n", "")
    (directory / "mkdocs.yml").write_text(config, encoding="utf-8")
    docs = directory / "docs" / "topics"
    docs.mkdir(parents=True)
    (directory / "docs" / "index.md").write_text("# Plain baseline\n\n" + "\n".join(
        f"- [{t['title']}](topics/{t['slug']}.md)" for t in bank["topics"]) + "\n")
    for topic in bank["topics"]:
        parts = [f"# {topic['title']}\n\n{topic['description']}\n"]
        for q in (q for q in bank["questions"] if q["topic"] == topic["slug"]):
            follow = "\n".join(f"- {f}" for f in q["follow_ups"])
            refs = "\n".join(f"- [{r['title']}]({r['url']})" for r in q["references"])
            body = (f"**Answer**\n\n{q['answer']}\n\n**How to answer**\n\n{q['how_to_answer']}\n\n"
                    f"**Example answer**\n\n{q['example_answer']}\n\n**Follow-up questions**\n\n{follow}\n\n"
                    f"**References**\n\n{refs}")
            parts.append(f"## {q['question']} {{ #{q['id']} }}\n\n{q['difficulty'].title()} "
                         f"{' '.join('#' + t for t in q['tags'])}\n\n??? question \"Show answer\"\n\n{_indent(body)}\n")
        (docs / f"{topic['slug']}.md").write_text("\n".join(parts), encoding="utf-8")
    page = docs / f"{bank['topics'][0]['slug']}.md"
    first = bank["questions"][0]["answer"].split(".")[0]
    return page, first, first + " edited"


def _measure_build(project: Path, edit_file: Path, old: str, new: str) -> dict:
    """Cold build and rebuild in a fresh process; its peak memory from the kernel's accounting."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    process = subprocess.Popen([sys.executable, "-c", _BUILD_AND_REBUILD, str(project), str(edit_file), old, new],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output, errors = process.stdout.read(), process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build of {project} failed:\n{errors[-3000:]}")
    timings = json.loads(output.strip().splitlines()[-1])
    return {**timings, "peak_rss_mb": usage.ru_maxrss / 1024}


def _site_sizes(site: Path, questions: int) -> dict:
    index = (site / "search" / "search_index.json").read_bytes()
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {
        "index_bytes": len(index),
        "index_gzip_bytes": len(gzip.compress(index, 6)),
        "index_bytes_per_question": len(index) / questions,
        "largest_page_bytes": largest.stat().st_size,
        "largest_page": largest.relative_to(site).as_posix(),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }


def run(sizes: list[int], repeat: int) -> list[dict]:
    """Benchmark every size; one row per size with ours, baseline and ratios."""
    rows = []
    for size in sizes:
        bank = synthetic_bank(size)
        results: dict[str, list[dict]] = {"ours": [], "plain": []}
        for _ in range(repeat):
            for name, prepare in (("ours", _ours), ("plain", _plain)):
                with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as scratch:
                    project = Path(scratch)
                    edit_file, old, new = prepare(bank, project)
                    measured = _measure_build(project, edit_file, old, new)
                    results[name].append({**measured, **_site_sizes(project / "site", size)})
        median = {name: {key: (statistics.median(r[key] for r in runs) if isinstance(runs[0][key], float | int)
                               else runs[0][key]) for key in runs[0]} for name, runs in results.items()}
        ours, plain = median["ours"], median["plain"]
        rows.append({
            "questions": size, "ours": ours, "plain": plain,
            "ratios": {
                "cold_build": ours["cold"] / plain["cold"],
                "rebuild_vs_cold": ours["rebuild"] / ours["cold"],
                "peak_memory": ours["peak_rss_mb"] / plain["peak_rss_mb"],
                "search_index": ours["index_bytes"] / plain["index_bytes"],
                "largest_page": ours["largest_page_bytes"] / plain["largest_page_bytes"],
            },
        })
        print(_table([rows[-1]]), flush=True)
    return rows


def _table(rows: list[dict]) -> str:
    lines = ["| questions | build ours / plain (s) | ratio | rebuild / cold | peak MB ours / plain | ratio | "
             "index KB ours / plain (gzip) | ratio | B/question | largest page KB ours / plain | "
             "site MB ours / plain |",
             "|---:|---|---:|---:|---|---:|---|---:|---:|---|---|"]
    for row in rows:
        o, p, r = row["ours"], row["plain"], row["ratios"]
        lines.append(
            f"| {row['questions']} | {o['cold']:.1f} / {p['cold']:.1f} | {r['cold_build']:.2f} | "
            f"{r['rebuild_vs_cold']:.2f} | {o['peak_rss_mb']:.0f} / {p['peak_rss_mb']:.0f} | {r['peak_memory']:.2f} | "
            f"{o['index_bytes'] / 1024:.0f} ({o['index_gzip_bytes'] / 1024:.0f}) / {p['index_bytes'] / 1024:.0f} "
            f"({p['index_gzip_bytes'] / 1024:.0f}) | {r['search_index']:.2f} | {o['index_bytes_per_question']:.0f} | "
            f"{o['largest_page_bytes'] / 1024:.0f} ({o['largest_page']}) / {p['largest_page_bytes'] / 1024:.0f} | "
            f"{o['site_bytes'] / 2**20:.1f} / {p['site_bytes'] / 2**20:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = run(args.sizes, args.repeat)
    print("\n" + _table(rows))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
