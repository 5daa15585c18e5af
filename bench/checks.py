"""How the bank checks behave on crafted input: the near-duplicate search and the text rules, each
timed against a baseline run in the same process.

    .venv/bin/python bench/checks.py [--sizes 2000 20000]

- near-duplicates: the current search (identical sets grouped, MinHash bands, a bounded number of
  candidates) against the pairwise prefix-filtered search it replaced, on banks whose questions all
  share a 40-word vocabulary (every pair looks alike), on the real bank's questions, and on one
  question repeated;
- text rules: a crafted text of 4,000 "[`" pairs and one of 3,000 backtick-separated words against
  an ordinary answer of the same length.
Prints seconds and ratios; no pass or fail (the tests check behaviour, this measures it).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qbank.bank import (
    BANK_PATH,
    NEAR_DUPLICATE_THRESHOLD,
    counts,
    near_duplicate_pairs,
    question_tokens,
    similarity,
    text_problems,
)


def pairwise_prefix_filtered(texts: list[str], threshold: float = NEAR_DUPLICATE_THRESHOLD) -> int:
    """The search this project used before (every qualifying pair, prefix filtering): the baseline."""
    tokens = [question_tokens(text) for text in texts]
    frequency = counts(w for words in tokens for w in words)
    index: dict[str, list[int]] = {}
    found = 0
    for i, words in enumerate(tokens):
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        for j in {j for w in prefix for j in index.get(w, ())}:
            found += similarity(words, tokens[j]) >= threshold
        for w in prefix:
            index.setdefault(w, []).append(i)
    return found


def _seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--baseline-limit", type=int, default=5000,
                        help="largest bank the quadratic baseline is run on (it takes minutes beyond)")
    args = parser.parse_args()
    rng = random.Random(1)
    vocabulary = [f"w{n}" for n in range(40)]
    real = [q["question"] for q in json.loads(BANK_PATH.read_text(encoding="utf-8"))["questions"]]
    print("near-duplicate search          questions   current s   baseline s   current / baseline")
    for name, make in (
        ("shared 40-word vocabulary", lambda n: [" ".join(rng.sample(vocabulary, 8)) for _ in range(n)]),
        ("one question repeated", lambda n: ["the same question asked every time"] * n),
        ("the real bank's questions", lambda n: (real * (n // len(real) + 1))[:n]),
    ):
        for size in args.sizes:
            texts = make(size)
            current = _seconds(near_duplicate_pairs, texts)
            if size <= args.baseline_limit:
                baseline = _seconds(pairwise_prefix_filtered, texts)
                print(f"{name:<30} {size:>9} {current:>11.2f} {baseline:>12.2f} {current / baseline:>20.3f}")
            else:
                print(f"{name:<30} {size:>9} {current:>11.2f} {'(not run)':>12} {'':>20}")
    ordinary = " ".join(real)[:8000]
    print("\ntext rules, one 8,000-character text      seconds   / ordinary answer")
    base = min(_seconds(text_problems, ordinary + str(n)) for n in range(5))
    for name, text in (("4,000 '[`' pairs", "[`" * 4000), ("3,000 backtick-separated words", "a`" * 3000),
                       ("ordinary answer", ordinary)):
        seconds = min(_seconds(text_problems, text + str(n)) for n in range(5))
        print(f"{name:<42} {seconds:>8.4f} {seconds / base:>17.2f}")


if __name__ == "__main__":
    main()
