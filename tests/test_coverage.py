"""The real bank meets the coverage bar it promises: size, topics, difficulty mix, scenario
questions, every field answered, and the original 24 questions kept."""

from __future__ import annotations

from collections import Counter

from qbank.bank import MARKDOWN_FIELDS, Bank

# The 24 questions of the first bank (commit 3f17fea). Ids are never reused or dropped: links to
# them are in the wild.
SEED_IDS = (
    "supervised-vs-unsupervised", "transfer-learning", "model-interpretability",
    "regularization-against-overfitting", "bagging-vs-boosting", "bias-variance-tradeoff",
    "cross-validation", "deep-learning-strengths", "data-preprocessing-techniques",
    "data-pipelines-for-ml", "feature-scaling", "feature-engineering",
    "version-control-code-data-models", "python-virtual-environments", "data-versioning",
    "hyperparameter-tuning", "choosing-an-ml-framework", "gpu-acceleration", "dags-in-ml-workflows",
    "containers-for-ml-deployment", "production-deployment-challenges", "model-serialization",
    "monitoring-deployed-models", "cloud-services-for-ml",
)


def test_at_least_320_questions(real_bank: Bank) -> None:
    assert len(real_bank.questions) >= 320


# The field's frontier, each a topic of its own with at least 12 questions.
FRONTIER_TOPICS = ("post-training", "mixture-of-experts", "agent-infrastructure", "data-curation", "fleet-reliability")


def test_frontier_topics_are_covered_in_depth(real_bank: Bank) -> None:
    per_topic = Counter(q.topic for q in real_bank.questions)
    assert {slug: per_topic[slug] for slug in FRONTIER_TOPICS if per_topic[slug] < 12} == {}


def test_the_new_questions_have_a_rubric_and_a_review_date(real_bank: Bank) -> None:
    with_rubric = [q for q in real_bank.questions if q.rubric]
    assert len(with_rubric) >= 120
    assert [q.id for q in with_rubric if not q.reviewed] == [], "a question with a rubric was reviewed"


def test_every_question_has_3_to_6_rubric_points(real_bank: Bank) -> None:
    """The mock interview scores each answer against its rubric: no question may be without one."""
    assert [(q.id, len(q.rubric)) for q in real_bank.questions if not 3 <= len(q.rubric) <= 6] == []


def test_at_least_10_topics_with_12_questions_each(real_bank: Bank) -> None:
    per_topic = Counter(q.topic for q in real_bank.questions)
    full = [slug for slug, n in per_topic.items() if n >= 12]
    assert len(full) >= 10, per_topic


def test_at_least_a_quarter_advanced(real_bank: Bank) -> None:
    advanced = sum(q.difficulty == "advanced" for q in real_bank.questions)
    assert advanced * 4 >= len(real_bank.questions), f"{advanced} of {len(real_bank.questions)} advanced"


def test_at_least_20_scenario_questions(real_bank: Bank) -> None:
    assert sum("scenario" in q.tags for q in real_bank.questions) >= 20


def test_every_question_is_fully_answered(real_bank: Bank) -> None:
    missing = [
        (q.id, name)
        for q in real_bank.questions
        for name in ("answer", "how_to_answer", "example_answer", "follow_ups", "references")
        if not (getattr(q, name).source.strip() if name in MARKDOWN_FIELDS else getattr(q, name))
    ]
    assert missing == []


def test_the_24_seed_questions_are_still_there(real_bank: Bank) -> None:
    assert len(set(SEED_IDS)) == 24
    assert [i for i in SEED_IDS if i not in real_bank.by_id] == []
