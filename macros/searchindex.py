"""Post-processing of Material's search index: one search result per question.

Material groups search hits by the part of their location before "#", and heads each group with
the entry that has no "#": the page itself. So the first result for a word inside an answer
would link to the top of the topic page. Giving each question a location of its own without "#"
(the topic page with ``?qid=<id>``) makes it the head of its own result; the page script turns
``?qid=`` into the question's ``#<id>`` anchor and opens its answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from macros.bank import TOPIC_PAGES, Question

# Read by docs/javascripts/questions.js; not "q", which Material's search sharing uses.
QUERY_PARAMETER = "qid"


def question_location(question: Question) -> str:
    """Where a question's search entry links: its topic page, naming the question."""
    return f"{TOPIC_PAGES}/{question.topic}/?{QUERY_PARAMETER}={question.id}"


def split_questions(index: dict, questions: Iterable[Question]) -> dict:
    """Return the index with every question section moved to a location of its own."""
    by_section = {f"{TOPIC_PAGES}/{q.topic}/#{q.id}": question_location(q) for q in questions}
    docs = [
        {**doc, "location": by_section.get(doc["location"], doc["location"])}
        for doc in index["docs"]
    ]
    return {**index, "docs": docs}


def rewrite_index(site_dir: Path, questions: Iterable[Question]) -> None:
    """Apply split_questions to the built site's search index in place."""
    path = site_dir / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(split_questions(index, questions), separators=(",", ":")), encoding="utf-8")
