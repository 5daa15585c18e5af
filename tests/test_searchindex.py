"""The search index: each question its own entry, condensed without losing a searchable word."""

from __future__ import annotations

import json
import re
from pathlib import Path

from macros.bank import Bank
from macros.searchindex import STOP_WORDS, condense

SEPARATOR = re.compile(r"[\s\-,:;!?=\[\]()\"/*|]+|\.(?!\d)")


def _words(text: str) -> set[str]:
    return {w for w in SEPARATOR.split(re.sub(r"<[^>]*>", " ", text).lower()) if w}


def test_condense_keeps_the_answer_opening_and_only_new_words_after_it() -> None:
    opening = ("<p>Batching raises GPU utilization because one kernel launch serves many requests, so the fixed "
               "cost of reading the weights from memory is shared; the price is queueing delay for the first "
               "request that waits for the batch to fill.</p>")
    text = (f"<p>Advanced #gpu</p> Show answer Answer {opening} <p>Larger batches raise latency.</p> "
            "How to answer <p>Say batching raises throughput.</p> Example answer <p>Batching, then throughput.</p>")
    condensed = condense(text, SEPARATOR)
    assert condensed.startswith(f"<p>Advanced #gpu</p> {opening}"), "the preview reads as written"
    assert condensed.endswith("</p> larger batches raise latency throughput"), "after it, only new words that are not stop words"
    assert "Show answer" not in condensed
    assert "How to answer" not in condensed
    assert _words(text) - {"show", "answer", "how", "example"} - STOP_WORDS <= _words(condensed)


def test_every_word_of_a_question_stays_searchable(built_site: Path, real_bank: Bank) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    entries = {doc["location"].rsplit("=", 1)[1]: doc for doc in index["docs"] if "?qid=" in doc["location"]}
    for question in real_bank.questions:
        entry = entries[question.id]
        indexed = STOP_WORDS | set(separator.split(re.sub(r"<[^>]*>", " ", entry["title"] + " " + entry["text"]).lower()))
        for field in (question.answer.source, question.how_to_answer.source, question.example_answer.source,
                      *(f.value for f in question.follow_ups)):
            # Words as the reader sees them: rendered text, with Markdown markup gone.
            plain = re.sub(r"[`*]|\]\([^)]*\)|\[|^\s*\d+[.)]\s|^\s*(?:```|~~~).*$", " ", field, flags=re.M).lower()
            missing = {w for w in separator.split(plain) if w and w.isalnum()} - indexed
            assert not missing, f"{question.id}: {sorted(missing)[:10]} not in its search entry"
