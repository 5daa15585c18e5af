"""Every URL the site gives the bank: topic pages and their parts, printable pages, tag pages, each
question's permalink, the pages of the other data files (numbers, plans), the practice and mock
interview pages, and the files the build writes for the browser and as downloads. The one place
that decides where a question lives; other modules import these names rather than spell a path.

A topic's questions are shown in learning order: foundational, then intermediate, then advanced,
in bank order within a level (learning_order). A long topic is split, in that order, into as few
parts of at most PART_SIZE questions as it needs, of equal size give or take one, so a question's
page depends only on the number of questions in its topic and before it, never on the length of
anyone's answer. A topic's first page stays its permalink: practice/index.json
names each question's part, and the page script forwards a link to a question on a later part.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urlencode

from qbank.bank import DIFFICULTIES, Bank, Question

TOPIC_PAGES = "topics"
PRINT_PAGES = "print"
# The printable view's list of topics (docs/print.md, hand-written around a macro).
PRINT_INDEX = f"{PRINT_PAGES}.md"
PRACTICE_PAGE = "practice.md"
PRACTICE_URL = "practice/"
MOCK_PAGE = "mock.md"
MOCK_URL = "mock/"
NUMBERS_PAGE = "numbers.md"
NUMBERS_URL = "numbers/"
PLANS_FOLDER = "plans"
# plans.md is plans/ on the site: one entry in the sidebar (a plans/ folder would make a section).
PLANS_INDEX = f"{PLANS_FOLDER}.md"
PLANS_URL = f"{PLANS_FOLDER}/"
# What the build writes for the browser (qbank/exports.py). The practice cards with their answers:
CARDS_PATH = f"{PRACTICE_URL}cards.json"
# The cards without their answers (a fifteenth of the size): the practice page shows its first
# question from this while the answers, in CARDS_PATH, are still on their way.
DECK_PATH = f"{PRACTICE_URL}deck.json"
# Small enough for every page: which topic each question is in (topic pages and the home page
# need only this to show progress; the practice page loads the full cards).
INDEX_PATH = f"{PRACTICE_URL}index.json"
# The mock interview page's questions: each with its rubric, example answer and follow-ups.
MOCK_PATH = f"{PRACTICE_URL}mock.json"
# The Anki deck, CSV and JSON bank; and the study plans, for the browser (plan progress, practice
# and mock interview from a plan) and as a download.
DOWNLOADS = "downloads"
PLANS_DATA_URL = f"{DOWNLOADS}/plans.json"
TAG_PAGES = "tags"
# The index of all tags: tags.md is tags/ on the site, and a tag's page is tags/<tag>/index.md, so
# no tag (not even one named "index") can land on the index's URL.
TAGS_INDEX = f"{TAG_PAGES}.md"
# At most 20 questions a page. The GPUs topic's 28 answers made a page of 344 KB of HTML (86 KB
# gzip-compressed) and 3,800 elements; under Lighthouse's mobile preset its main-thread work was 1.7
# to 2 times a 14-question topic's and its blocking time 272 against 118 ms. Its two parts of 14 are
# 185 and 183 KB.
PART_SIZE = 20
# A printable page is read on paper, where one document per topic is what a reader wants: its parts
# are cut at 30 questions (every topic of the bank prints whole), which keeps it under 400 KB with
# every answer open.
PRINT_PART_SIZE = 30


@dataclass(frozen=True)
class TopicPart:
    """One page of a topic: the questions it shows, and where it stands among the topic's parts."""

    number: int  # 1-based
    count: int
    first: int  # 1-based position of its first question in the topic
    questions: tuple[Question, ...]


def learning_order(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """Questions ordered for learning: foundational, intermediate, advanced; bank order within a level."""
    return tuple(sorted(questions, key=lambda q: DIFFICULTIES.index(q.difficulty)))  # sorted() is stable


def paginate(questions: tuple[Question, ...], size: int = PART_SIZE) -> tuple[TopicPart, ...]:
    """A topic's questions, in the order given, in the fewest parts of at most `size` questions,
    balanced: the parts differ by at most one question, the longer ones first (28 questions in parts
    of 20 are 14 and 14, not 20 and 8)."""
    count = max(1, -(-len(questions) // size))
    base, extra = divmod(len(questions), count)
    parts, start = [], 0
    for n in range(1, count + 1):
        length = base + (1 if n <= extra else 0)
        parts.append(TopicPart(n, count, start + 1, questions[start:start + length]))
        start += length
    return tuple(parts)


def part_source(folder: str, slug: str, number: int) -> str:
    """The page file of a topic part (generated: no file of docs/ holds it)."""
    return f"{folder}/{slug}.md" if number == 1 else f"{folder}/{slug}/{number}.md"


def part_url(folder: str, slug: str, number: int) -> str:
    """The site-relative URL of a topic part (directory URLs)."""
    return f"{folder}/{slug}/" if number == 1 else f"{folder}/{slug}/{number}/"


def topic_source(slug: str) -> str:
    """The page file of a topic's first page (for Markdown links MkDocs resolves)."""
    return part_source(TOPIC_PAGES, slug, 1)


def question_permalink(topic: str, question_id: str) -> str:
    """A question's lasting link, relative to the site root: its topic's first page, with its anchor
    (the page forwards to the part that holds it)."""
    return f"{part_url(TOPIC_PAGES, topic, 1)}#{question_id}"


def plan_source(slug: str) -> str:
    """The generated page file of a study plan (no file of docs/ holds it)."""
    return f"{PLANS_FOLDER}/{slug}.md"


def part_link(folder: str, slug: str, here: int, there: int) -> str:
    """A relative Markdown link from one part's page file to another's (MkDocs resolves it)."""
    source = part_source(folder, slug, here)
    return posixpath.relpath(part_source(folder, slug, there), posixpath.dirname(source))


def practice_link(slug: str, here: int) -> str:
    """A relative Markdown link from a topic part's page file to the practice page, filtered to the
    topic (MkDocs resolves it and keeps the query, so it works under any site subpath)."""
    source = part_source(TOPIC_PAGES, slug, here)
    return f"{posixpath.relpath(PRACTICE_PAGE, posixpath.dirname(source))}?{urlencode({'topic': slug})}"


def mock_link(slug: str, here: int) -> str:
    """A relative Markdown link from a topic part's page file to the mock interview page, set up
    for the topic."""
    source = part_source(TOPIC_PAGES, slug, here)
    return f"{posixpath.relpath(MOCK_PAGE, posixpath.dirname(source))}?{urlencode({'topic': slug})}"


def tag_source(tag: str) -> str:
    """The page file of a tag's page (generated). The tag is a path segment: quoted, though the
    bank's tags are slugs already."""
    return f"{TAG_PAGES}/{quote(tag, safe='')}/index.md"


def tag_url(tag: str) -> str:
    """The site-relative URL of a tag's page."""
    return f"{TAG_PAGES}/{quote(tag, safe='')}/"


def tags_index_url() -> str:
    """The site-relative URL of the page listing every tag."""
    return f"{TAG_PAGES}/"


@dataclass(frozen=True)
class Routes:
    """Where every page and question of one bank lives."""

    bank: Bank
    size: int = PART_SIZE
    print_size: int = PRINT_PART_SIZE

    @cached_property
    def ordered(self) -> tuple[Question, ...]:
        """Every question as the site shows them: topics in the bank's (curriculum) order, each
        topic's questions in learning order."""
        return tuple(q for t in self.bank.topics for q in learning_order(self.bank.questions_in(t.slug)))

    def _cut(self, size: int) -> Mapping[str, tuple[TopicPart, ...]]:
        return {t.slug: paginate(learning_order(self.bank.questions_in(t.slug)), size) for t in self.bank.topics}

    @cached_property
    def parts(self) -> Mapping[str, tuple[TopicPart, ...]]:
        """Each topic's parts, in learning order, by topic slug."""
        return self._cut(self.size)

    @cached_property
    def print_parts(self) -> Mapping[str, tuple[TopicPart, ...]]:
        """Each topic's printable parts, in learning order, by topic slug."""
        return self._cut(self.print_size)

    @cached_property
    def part_of(self) -> Mapping[str, int]:
        """The part each question is on, by question id."""
        return {q.id: part.number for parts in self.parts.values() for part in parts for q in part.questions}

    def question_source(self, question: Question) -> str:
        """The page file that shows the question (for Markdown links MkDocs resolves)."""
        return part_source(TOPIC_PAGES, question.topic, self.part_of[question.id])

    def question_page(self, question: Question) -> str:
        """The site-relative URL of the page that shows the question."""
        return part_url(TOPIC_PAGES, question.topic, self.part_of[question.id])

    def question_url(self, question: Question) -> str:
        """The question's site-relative URL, with its anchor."""
        return f"{self.question_page(question)}#{question.id}"

    def permalink(self, question: Question) -> str:
        """The question's lasting link: its topic's first page, with its anchor."""
        return question_permalink(question.topic, question.id)
