"""Build benchmark: our site against the same content as plain Markdown, in one invocation.

For each size it generates a valid synthetic bank (about 10 topics, realistic text lengths),
then builds (a) our site from it and (b) the baseline: the same questions written out as plain
Markdown topic pages (collapsed blocks) built with the same MkDocs + Material configuration and
no macros. Each build runs in a fresh process, as `mkdocs build` does, and then rebuilds once
after one question is edited, in the same process, as `mkdocs serve` does. Then another fresh
process builds again: the "next build" of the same checkout, where ours finds the render cache
its first build stored in .cache/ (the baseline has no such cache, so its next build is just
another cold one).

Unless --no-browser is given, each built site is then served on 127.0.0.1 and searched in
Chromium (Playwright): the first query right after the home page loads, which waits for Material's
search worker to receive and index search_index.json, and then LATER_QUERIES other queries, whose
median is the "later" figure (the mean is in the JSON).

Ratios (ours / baseline) are the figures that count on a noisy machine; absolute seconds are
printed for context only.

    python bench/build.py                       # sizes 100, 1000, 10000
    python bench/build.py --sizes 100 --repeat 3 --json bench/results.json
    python bench/build.py --sizes 100 --no-browser
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import SiteServer, launch_chromium  # noqa: E402 - after the checkout is on the path

TOPICS = 10
DIFFICULTIES = ("foundational", "intermediate", "advanced")
SEARCH_TIMEOUT_S = 120.0
LATER_QUERIES = 5

# Run in the page: enter a whole query into Material's search box, resolve with the milliseconds
# until the result list gets its first item, or with null after the timeout. Material reads the
# box on "keyup" (it has no debounce), so setting the value and sending one keyup is what a typed
# or pasted query looks like to it, minus the keystroke cadence. Timed in the page with
# performance.now() and a MutationObserver, so neither Playwright's round trips to the browser nor
# its polling interval are in the figure; the time stops when the items are in the DOM (the paint
# of the next frame is not included).
_TIME_QUERY = r"""
([query, timeoutMs]) => new Promise(resolve => {
  const input = document.querySelector(".md-search__input");
  const list = document.querySelector(".md-search-result__list");
  let start = 0;
  const observer = new MutationObserver(records => {
    if (records.some(r => [...r.addedNodes].some(n => n.nodeType === 1 && n.matches(".md-search-result__item")))) {
      const end = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      // Bytes fetched from the start of navigation until the results were in the DOM: the page,
      // its assets and whatever search loaded (encoded sizes: as served, here uncompressed).
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
        .filter(e => e.startTime <= end);
      const size = e => e.encodedBodySize || e.transferSize || 0;
      const searchBytes = entries.filter(e => /\/search\/|search[._]/.test(e.name)).reduce((a, e) => a + size(e), 0);
      resolve({issued: start, ms: end - start, bytes: entries.reduce((a, e) => a + size(e), 0), searchBytes});
    }
  });
  const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
  observer.observe(list, {childList: true});
  input.value = query;
  start = performance.now();
  // Material's search reads the box on "keyup", ours on "input": send both.
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent("keyup", {key: query.slice(-1), bubbles: true}));
})
"""

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

# Run in another fresh process afterwards: one build, as the next `mkdocs build` on the same
# checkout is (ours keeps its render cache in .cache/ between builds; the baseline has none).
_BUILD_AGAIN = r"""
import json, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
project = Path(sys.argv[1])
start = time.perf_counter()
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
print(json.dumps({"next_cold": time.perf_counter() - start}))
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
            # Required, like every field above; not drawn from rng, so the rest of the bank is unchanged.
            "rubric": [f"Point {k} of question {n}: names the idea, a tool and a trade-off" for k in range(1, 5)],
        })
    questions.sort(key=lambda q: q["topic"])
    return {"$schema": "./questions.schema.json", "topics": topics, "questions": questions}


def _ours(bank: dict, directory: Path) -> tuple[Path, str, str]:
    for name in ("mkdocs.yml", "docs", "qbank", "overrides"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, directory / name)
    (directory / "data").mkdir()
    shutil.copy2(ROOT / "data" / "questions.schema.json", directory / "data")
    shutil.copy2(ROOT / "data" / "search-synonyms.json", directory / "data")
    bank_path = directory / "data" / "questions.json"
    bank_path.write_text(json.dumps(bank, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    first = bank["questions"][0]["answer"].split(".")[0]
    return bank_path, first, first + " edited"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def write_plain_project(bank: dict, directory: Path) -> tuple[Path, str, str]:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nplugins:")[0] + "\nplugins:\n  - search\n" + "\nmarkdown_extensions:" + \
        config.split("\nmarkdown_extensions:")[1].split("\nextra_css:")[0] + "\n"
    config = config.replace("  custom_dir: overrides\n", "")
    config = re.sub(r"\n  static_templates:\n(?:    - .*\n)+", "\n", config)  # our offline page, in overrides/
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)
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


def _run_build(project: Path, script: str, *args: str) -> tuple[dict, float]:
    """Run a build script in a fresh process; its printed timings and peak memory (MB, from the
    kernel's accounting)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    process = subprocess.Popen([sys.executable, "-c", script, str(project), *args],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output, errors = process.stdout.read(), process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build of {project} failed:\n{errors[-3000:]}")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def _measure_build(project: Path, edit_file: Path, old: str, new: str) -> dict:
    """Cold build and rebuild in a fresh process (peak memory of that process), then one more
    build in another fresh process."""
    timings, peak = _run_build(project, _BUILD_AND_REBUILD, str(edit_file), old, new)
    again, _ = _run_build(project, _BUILD_AGAIN)
    return {**timings, **again, "peak_rss_mb": peak}


def _search_latency(site: Path, queries: list[str], timeout_s: float = SEARCH_TIMEOUT_S) -> dict:
    """Search latency of a built site in Chromium, in milliseconds.

    The site is served at the root of the tests' loopback server (tests/support.py: a free port,
    stopped afterwards) and searched in the tests' Chromium.
    Where it is served, and its site_url, do not matter to search: Material fetches the index and
    the worker relative to each page's base URL (site_url only feeds the sitemap, which instant
    navigation reads). The home page is loaded in a fresh browser context, "/" opens the search
    box as a reader would, and queries[0] is entered at once: search_first_ms runs from that
    query to its results, so it includes whatever is left of fetching, parsing and indexing
    search_index.json in the worker by then. As that depends on how long the page took to load,
    search_first_results_ms is the same moment counted from the start of navigation. Each further
    query is entered when the previous one's results are shown; search_later_ms_median and _mean
    are over them. A figure is None when it timed out (every wait is bounded by timeout_s); the
    later figures are None too when the first query timed out.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    figures: dict = {"search_timeout_s": timeout_s, "search_first_ms": None, "search_first_results_ms": None,
                     "search_first_bytes": None, "search_first_search_bytes": None,
                     "search_later_ms_median": None, "search_later_ms_mean": None}
    server = SiteServer(site, subpath="/")
    url = server.start()
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context()
                # Nothing leaves 127.0.0.1 (Material would ask GitHub for the repository's stars).
                context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
                page = context.new_page()
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(url, wait_until="load", timeout=timeout_s * 1000)
                page.keyboard.press("/")
                page.wait_for_function("document.activeElement?.matches('.md-search__input')",
                                       timeout=timeout_s * 1000)
                timings = []
                for query in queries:
                    timing = page.evaluate(_TIME_QUERY, [query, timeout_s * 1000])
                    if timing is None:
                        break
                    timings.append(timing)
            finally:
                browser.close()
    except PlaywrightTimeoutError:
        timings = []
    finally:
        server.stop()
    if timings:
        figures["search_first_ms"] = timings[0]["ms"]
        figures["search_first_results_ms"] = timings[0]["issued"] + timings[0]["ms"]
        figures["search_first_bytes"] = timings[0]["bytes"]
        figures["search_first_search_bytes"] = timings[0]["searchBytes"]
    later = [t["ms"] for t in timings[1:]]
    if later and len(later) == len(queries) - 1:
        figures["search_later_ms_median"] = statistics.median(later)
        figures["search_later_ms_mean"] = statistics.mean(later)
    if len(timings) < len(queries):
        print(f"search in {site} timed out after {timeout_s:.0f} s; page errors: {errors or 'none'}", file=sys.stderr)
    return figures


def _site_sizes(site: Path, questions: int) -> dict:
    # The search index: Material's one file, or every file of ours (manifest, term chunks, one file
    # per question), of which a query fetches only a few.
    files = [site / "search" / "search_index.json"]
    if not files[0].exists():
        files = list((site / "search").rglob("*.json"))
    contents = [p.read_bytes() for p in files]
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {
        "index_bytes": sum(map(len, contents)),
        "index_gzip_bytes": sum(len(gzip.compress(c, 6)) for c in contents),
        "index_bytes_per_question": sum(map(len, contents)) / questions,
        "largest_page_bytes": largest.stat().st_size,
        "largest_page": largest.relative_to(site).as_posix(),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }


def _median(values: list) -> object:
    """The median of one figure over repeats, where a timeout (None) is slower than any time;
    for a figure that is not a number, the first run's value."""
    if any(v is not None and not isinstance(v, float | int) for v in values):
        return values[0]
    middle = statistics.median(math.inf if v is None else v for v in values)
    return None if middle == math.inf else middle


def run(sizes: list[int], repeat: int, browser: bool = True) -> list[dict]:
    """Benchmark every size; one row per size with ours, baseline and ratios."""
    rows = []
    for size in sizes:
        bank = synthetic_bank(size)
        # Distinct words of the synthetic vocabulary (7+ letters; no stop words) from the first
        # answers, present in both sites; each one matches most questions.
        answers = " ".join(q["answer"] for q in bank["questions"][:3]).lower()
        queries = list(dict.fromkeys(re.findall(r"\b[a-z]{7,}\b", answers)))[:1 + LATER_QUERIES]
        results: dict[str, list[dict]] = {"ours": [], "plain": []}
        for _ in range(repeat):
            for name, prepare in (("ours", _ours), ("plain", write_plain_project)):
                with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as scratch:
                    project = Path(scratch)
                    edit_file, old, new = prepare(bank, project)
                    measured = {**_measure_build(project, edit_file, old, new),
                                **_site_sizes(project / "site", size)}
                    if browser:
                        measured.update(_search_latency(project / "site", queries))
                    results[name].append(measured)
        median = {name: {key: _median([r[key] for r in runs]) for key in runs[0]} for name, runs in results.items()}
        ours, plain = median["ours"], median["plain"]
        rows.append({
            "questions": size, "ours": ours, "plain": plain,
            "ratios": {
                "cold_build": ours["cold"] / plain["cold"],
                "next_cold_build": ours["next_cold"] / plain["next_cold"],
                "rebuild_vs_cold": ours["rebuild"] / ours["cold"],
                "peak_memory": ours["peak_rss_mb"] / plain["peak_rss_mb"],
                "search_index": ours["index_bytes"] / plain["index_bytes"],
                "largest_page": ours["largest_page_bytes"] / plain["largest_page_bytes"],
            },
        })
        print(_table([rows[-1]]), flush=True)
    return rows


def _table(rows: list[dict]) -> str:
    browser = "search_first_ms" in rows[0]["ours"]

    def ms(figures: dict, key: str) -> str:
        value = figures[key]
        return f"> {figures['search_timeout_s']:.0f} s" if value is None else f"{value:.0f}"

    def first(figures: dict) -> str:
        since = figures["search_first_results_ms"]
        return ms(figures, "search_first_ms") + ("" if since is None else f" ({since:.0f})")

    def loaded(figures: dict) -> str:
        if figures.get("search_first_bytes") is None:
            return "?"
        return f"{figures['search_first_bytes'] / 1024:.0f} ({figures['search_first_search_bytes'] / 1024:.0f})"

    lines = ["| questions | build ours / plain (s) | ratio | next build ours / plain (s) | ratio | rebuild / cold | "
             "peak MB ours / plain | ratio | "
             "index KB ours / plain (gzip) | ratio | B/question | largest page KB ours / plain | "
             "site MB ours / plain |" + (" search first ms ours / plain (since navigation) | "
                                         "KB loaded before first result ours / plain (of it search) | "
                                         "search later ms ours / plain |" if browser else ""),
             "|---:|---|---:|---|---:|---:|---|---:|---|---:|---:|---|---|" + ("---|---|---|" if browser else "")]
    for row in rows:
        o, p, r = row["ours"], row["plain"], row["ratios"]
        search = (f" {first(o)} / {first(p)} | {loaded(o)} / {loaded(p)} | "
                  f"{ms(o, 'search_later_ms_median')} / {ms(p, 'search_later_ms_median')} |") if browser else ""
        lines.append(
            f"| {row['questions']} | {o['cold']:.1f} / {p['cold']:.1f} | {r['cold_build']:.2f} | "
            f"{o['next_cold']:.1f} / {p['next_cold']:.1f} | {r['next_cold_build']:.2f} | "
            f"{r['rebuild_vs_cold']:.2f} | {o['peak_rss_mb']:.0f} / {p['peak_rss_mb']:.0f} | {r['peak_memory']:.2f} | "
            f"{o['index_bytes'] / 1024:.0f} ({o['index_gzip_bytes'] / 1024:.0f}) / {p['index_bytes'] / 1024:.0f} "
            f"({p['index_gzip_bytes'] / 1024:.0f}) | {r['search_index']:.2f} | {o['index_bytes_per_question']:.0f} | "
            f"{o['largest_page_bytes'] / 1024:.0f} ({o['largest_page']}) / {p['largest_page_bytes'] / 1024:.0f} | "
            f"{o['site_bytes'] / 2**20:.1f} / {p['site_bytes'] / 2**20:.1f} |{search}"
        )
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-browser", action="store_true", help="skip the search latency in Chromium")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = run(args.sizes, args.repeat, browser=not args.no_browser)
    print("\n" + _table(rows))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
