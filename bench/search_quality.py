"""Search quality on the real bank, measured with the site's own search code (docs/javascripts/
search.js, run by Node against the built index):

- **Unique words.** For 30 words that occur in exactly one question, in its answer and nowhere else
  in the bank, is that question the first result? Target: at least 27 of 30.
- **Vocabulary.** For each query in VOCABULARY (the spellings a candidate types, and terms from
  the bank), is the first result relevant: does its question or its tags match the pattern given?
  Target: all of them.

    python bench/search_quality.py               # builds the site into a temporary folder
    python bench/search_quality.py --site site   # or uses a site already built
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qbank import search  # noqa: E402

# (query, pattern the first result's question or tags must match)
VOCABULARY = [
    ("all-reduce", r"all-?reduce|collective"),
    ("allreduce", r"all-?reduce|collective"),
    ("all reduce", r"all-?reduce|collective"),
    ("back-pressure", r"back-?pressure|ray data|logging"),
    ("backpressure", r"back-?pressure|ray data|logging"),
    ("kv cache", r"kv.?cache"),
    ("kv-cache", r"kv.?cache"),
    ("KV-cache", r"kv.?cache"),
    ("kvcache", r"kv.?cache"),
    ("ddp", r"\bddp\b|data.?parallel"),
    ("DistributedDataParallel", r"\bddp\b|data.?parallel"),
    ("k8s", r"kubernetes|k8s|gang"),
    ("kubernetes gpu scheduling", r"kubernetes"),
    ("p99 latency", r"p99|tail.?latency|latency"),
    ("a100", r"gpu|mig|a100|precision|accelerat"),
    ("int8 quantization", r"quantiz|int8"),
    ("ttft", r"ttft|slow|prefill|first.?token"),
    ("speculative decoding", r"speculative"),
    ("pagedattention", r"paged.?attention|kv.?cache"),
    ("continuous batching", r"continuous.?batching|batching"),
    ("feature store", r"feature.?store"),
    ("training-serving skew", r"skew"),
    ("data drift", r"drift"),
    ("canary", r"canary|rollout|progressive"),
    ("shadow deployment", r"shadow"),
    ("fsdp", r"fsdp|zero|shard"),
    ("zero-3", r"zero|fsdp"),
    ("tensor parallelism", r"tensor.?parallel"),
    ("pipeline parallelism", r"pipeline.?parallel"),
    ("mixture of experts", r"mixture.?of.?experts|moe|expert"),
    ("expert parallelism", r"expert"),
    ("rlhf", r"rlhf|preference|reward|ppo|post-training"),
    ("reward model", r"reward"),
    ("silent data corruption", r"silent.?data.?corruption|sdc"),
    ("mig", r"\bmig\b|sharing|multi-tenant|isolation"),
    ("nccl timeout", r"nccl|hang|timeout|collective"),
    ("airflow", r"airflow"),
    ("point-in-time join", r"point.?in.?time"),
    ("model registry", r"registry"),
    ("error budget", r"slo|error.?budget|reliab|alert"),
    ('"error budget"', r"slo|error.?budget|reliab|alert"),
    ("eu ai act", r"ai act"),
    ("vector search", r"vector|ann|embedding"),
]

_NODE = r"""
const S = require(process.argv[1]);
const fs = require("fs");
const path = require("path");
const site = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const read = url => Promise.resolve(JSON.parse(fs.readFileSync(url, "utf8")));
const index = new S.Index(path.join(site, "search") + "/", read);
(async () => {
  const out = [];
  for (const q of queries) {
    const found = await S.search(index, q);
    let first = null;
    for (const hit of found.hits.slice(0, 200)) {
      const doc = await index.doc(hit.number);
      const texts = [doc.q].concat(doc.sections.map(s => s[1]));
      if (found.phrases.every(p => texts.some(t => S.hasPhrase(t, p)))) { first = doc; break; }
    }
    out.push({query: q, count: found.hits.length, id: first && first.id, question: first && first.q});
  }
  console.log(JSON.stringify(out));
})();
"""


def run_queries(site: Path, queries: list[str]) -> list[dict]:
    """Each query's first result, from the site's own search code under Node."""
    result = subprocess.run(["node", "-e", _NODE, str(ROOT / "docs" / "javascripts" / "search.js"), str(site)],
                            input=json.dumps(queries), capture_output=True, text=True, check=True, timeout=600)
    return json.loads(result.stdout)


def unique_words(site: Path, count: int = 30) -> list[tuple[str, str]]:
    """`count` words (7+ letters) that occur in one question only, only in its answer, spread
    evenly over the alphabet: (word as written, question id)."""
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    docs = [json.loads((site / "search" / "q" / f"{n}.json").read_text(encoding="utf-8"))
            for n in range(manifest["count"])]
    in_docs: Counter[str] = Counter()
    for doc in docs:
        text = " ".join([doc["q"], *(t for _, t in doc["sections"])])
        in_docs.update(set(search.words(text)))
    candidates = []
    for doc in docs:
        answer = dict(doc["sections"])["Answer"]
        others = " ".join([doc["q"], *(t for label, t in doc["sections"] if label != "Answer")])
        other_terms = set(search.words(others))
        for word in sorted(set(re.findall(r"\b[a-z]{7,}\b", answer))):
            term = search.stem(word)
            if in_docs[term] == 1 and term not in other_terms:
                candidates.append((word, doc["id"]))
    candidates.sort()
    step = max(1, len(candidates) // count)
    return candidates[::step][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-quality-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, check=True,
                           env={"NO_MKDOCS_2_WARNING": "1", **os.environ})
        words = unique_words(site)
        results = run_queries(site, [w for w, _ in words])
        hits = 0
        print(f"Unique words: {len(words)} words that occur in one question's answer only\n")
        for (word, expected), result in zip(words, results, strict=True):
            ok = result["id"] == expected
            hits += ok
            print(f"  {'ok ' if ok else 'NO '} {word:24} -> {result['id']}" + ("" if ok else f" (expected {expected})"))
        print(f"\n  first result right: {hits} of {len(words)} (target: at least 27 of 30)\n")
        results = run_queries(site, [q for q, _ in VOCABULARY])
        relevant = 0
        print("Vocabulary: is the first result relevant?\n")
        for (query, pattern), result in zip(VOCABULARY, results, strict=True):
            text = (result["question"] or "") + " " + (result["id"] or "")
            ok = bool(result["id"]) and re.search(pattern, text, re.I) is not None
            relevant += ok
            print(f"  {'ok ' if ok else 'NO '} {query!r:28} {result['count']:4} results, first: {result['question']}")
        print(f"\n  relevant first result: {relevant} of {len(VOCABULARY)} (target: all)")


if __name__ == "__main__":
    main()
