"""Related questions: chosen by shared tags, rare tags first, deterministic, never the question
itself nor a question its follow-ups already link to."""

from __future__ import annotations

import dataclasses

from qbank.bank import Bank, FollowUp, Question, Topic
from qbank.related import related_questions
from qbank.text import PlainText, Slug


def _bank(valid_bank: Bank, *specs: tuple[str, str, tuple[str, ...]]) -> Bank:
    """A bank of questions (id, topic, tags) cut from the valid fixture's first question."""
    template = valid_bank.questions[0]
    questions = tuple(
        dataclasses.replace(template, id=Slug(qid), topic=Slug(topic), tags=tuple(map(Slug, tags)), follow_ups=())
        for qid, topic, tags in specs
    )
    topics = (Topic(Slug("alpha"), PlainText("Alpha"), PlainText("A")), Topic(Slug("beta"), PlainText("Beta"), PlainText("B")))
    return Bank(topics, questions)


def test_a_shared_rare_tag_outranks_a_shared_common_one(valid_bank) -> None:
    bank = _bank(
        valid_bank,
        ("subject", "alpha", ("llm", "kv-cache")),
        ("common-1", "alpha", ("llm",)),
        ("common-2", "alpha", ("llm",)),
        ("common-3", "alpha", ("llm",)),
        ("rare", "beta", ("kv-cache",)),
    )
    related = related_questions(bank, limit=3)
    assert related["subject"][0] == "rare"
    assert related["subject"] == ("rare", "common-1", "common-2")


def test_never_itself_and_never_without_a_shared_subject_tag(valid_bank) -> None:
    bank = _bank(
        valid_bank,
        ("subject", "alpha", ("gpu", "scenario")),
        ("same-kind-only", "alpha", ("scenario", "streaming")),
        ("unrelated", "alpha", ("airflow",)),
        ("gpu-too", "beta", ("gpu",)),
    )
    related = related_questions(bank)
    assert related["subject"] == ("gpu-too",), "scenario says what kind of question it is, not its subject"
    assert all(qid not in ids for qid, ids in related.items())
    assert related["unrelated"] == ()


def test_ties_go_to_the_same_topic_then_to_bank_order(valid_bank) -> None:
    bank = _bank(
        valid_bank,
        ("other-topic-first", "beta", ("gpu",)),
        ("subject", "alpha", ("gpu",)),
        ("same-topic-later", "alpha", ("gpu",)),
        ("other-topic-last", "beta", ("gpu",)),
    )
    assert related_questions(bank)["subject"] == ("same-topic-later", "other-topic-first", "other-topic-last")


def test_questions_already_linked_as_follow_ups_are_left_out(valid_bank) -> None:
    bank = _bank(valid_bank, ("subject", "alpha", ("gpu",)), ("answers-it", "alpha", ("gpu",)),
                 ("also-gpu", "alpha", ("gpu",)))
    linked = dataclasses.replace(bank.questions[0], follow_ups=(FollowUp(PlainText("A follow-up?"), Slug("answers-it")),))
    bank = Bank(bank.topics, (linked, *bank.questions[1:]))
    assert related_questions(bank)["subject"] == ("also-gpu",)


def test_the_choice_is_deterministic_and_capped(real_bank) -> None:
    first, second = related_questions(real_bank), related_questions(real_bank)
    assert first == second
    assert all(len(ids) <= 4 for ids in first.values())
    assert sum(bool(ids) for ids in first.values()) > len(real_bank.questions) * 0.8


def test_every_question_in_the_bank_gets_related_questions_that_share_a_tag(real_bank) -> None:
    for question_id, ids in related_questions(real_bank).items():
        question: Question = real_bank.by_id[question_id]
        for other in ids:
            shared = set(question.tags) & set(real_bank.by_id[other].tags) - {"scenario"}
            assert shared, f"{other} is listed under {question_id} without a shared subject tag"
