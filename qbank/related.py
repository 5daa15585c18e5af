"""Related questions: for each question, the few others that share its subject tags, rare tags first.

A shared tag counts for more the fewer questions carry it (inverse document frequency), so two
questions that share `kv-cache` are closer than two that share `llm`. `scenario` says what kind
of question it is, not what it is about, and is left out. Ties go to the question's own topic,
then to bank order, so the choice is deterministic. A question is never related to itself, nor to
a question its follow-ups already link to.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping

from qbank.bank import SCENARIO_TAG, Bank
from qbank.text import Slug

RELATED_LIMIT = 4


def related_questions(bank: Bank, limit: int = RELATED_LIMIT) -> Mapping[str, tuple[Slug, ...]]:
    """Each question's related questions (ids, best first, at most `limit`), by question id."""
    questions = bank.questions
    holders: dict[str, list[int]] = {}
    for index, question in enumerate(questions):
        for tag in question.tags:
            if tag != SCENARIO_TAG:
                holders.setdefault(tag, []).append(index)
    weight = {tag: math.log(1 + len(questions) / len(held)) for tag, held in holders.items()}
    related: dict[str, tuple[Slug, ...]] = {}
    for index, question in enumerate(questions):
        linked = {f.answered_by for f in question.follow_ups}
        scores: dict[int, float] = {}
        for tag in question.tags:
            for other in holders.get(tag, ()):
                scores[other] = scores.get(other, 0.0) + weight[tag]
        best = heapq.nsmallest(
            limit,
            ((-score, questions[other].topic != question.topic, other) for other, score in scores.items()
             if other != index and questions[other].id not in linked),
        )
        related[question.id] = tuple(questions[other].id for _, _, other in best)
    return related
