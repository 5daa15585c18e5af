"""The site's own search index: built from the bank's typed questions, read by
docs/javascripts/search.js in the browser. No MkDocs, no theme internals.

What the reader gets, and how the index makes it cheap:

- **One result per question**, ranked by BM25 over the question's text, with a match in the
  question itself outranking any number of matches in the answer. Scores are computed here, once
  per build: each posting is a (question, score) pair, so a query only adds numbers.
- **The field's vocabulary.** Words are runs of ASCII letters and digits (a decimal like `1.5`
  stays one word), lower-cased, with a plural `s` removed; nothing is a stop word, so `all`,
  `p99` and `int8` are searchable. Words joined by `-`, `_` or `.` are also indexed joined
  (`all-reduce` -> `allreduce`), and two words written apart are indexed joined when the bank
  writes them joined anywhere (`all reduce` -> `allreduce`), so every spelling finds every other.
  Synonym groups from data/search-synonyms.json index each member wherever one occurs.
- **Small downloads.** Terms are sorted and cut into chunks of about CHUNK_BYTES; the manifest
  names each chunk's first term, so a query fetches only the chunks its words fall in. The text a
  result shows comes from one small file per question, fetched only for the results on screen,
  and is the question's real text: the excerpt is a run of its words, never a bag of them.

The word rules exist twice, here and in search.js; tests/test_search.py runs both on the same
text and requires the same words.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qbank.bank import DIFFICULTIES as LEVELS
from qbank.bank import Bank, Question
from qbank.labels import ANSWER_LABEL, EXAMPLE_LABEL, FOLLOW_UPS_LABEL, HOW_LABEL, RUBRIC_LABEL

# Bump when the files' shape changes; search.js refuses a manifest of another version.
FORMAT = 1
FOLDER = "search"
CHUNK_BYTES = 40_000
K1, B = 1.2, 0.75
QUESTION_WEIGHT = 3.0  # in units of idf: more than the answer's saturated maximum, K1 + 1 = 2.2
TAG_WEIGHT = 1.0
SCORE_SCALE = 100  # scores are stored as integers, in hundredths

WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
# A chain of words joined by -, _ or . (no spaces): indexed joined as well.
COMPOUND = re.compile(r"(?<![a-z0-9])[a-z0-9]+(?:[-_.][a-z0-9]+)+")
# Two words with only spaces between them, the first possibly ending a chain.
_PAIR = re.compile(r"(?<![a-z0-9])([a-z0-9]+)[ \t]+(?=([a-z0-9]+))")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|pre|table|thead|tbody|tr|td|th|div|br|h[1-6]|blockquote|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def stem(word: str) -> str:
    """A word's indexed form: a trailing plural `s` removed (gpus -> gpu, queries -> query,
    caches -> cache); words of three letters or fewer, with digits, or ending in ss or is stay, and
    so do words of five letters or more ending in us (status, corpus)."""
    if (len(word) <= 3 or word[-1] != "s" or word.endswith(("ss", "is")) or (word.endswith("us") and len(word) >= 5)
            or not word.isalpha()):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def words(text: str) -> list[str]:
    """The text's words, in order, as they are indexed (lower-cased, stemmed)."""
    return [stem(w) for w in WORD.findall(text.lower())]


def compounds(text: str) -> list[str]:
    """Each chain of words joined by -, _ or . in the text, joined (all-reduce -> allreduce)."""
    return [stem(re.sub(r"[-_.]", "", chain)) for chain in COMPOUND.findall(text.lower())]


def spaced_pairs(text: str) -> list[str]:
    """Every two words with only spaces between them, joined (all reduce -> allreduce)."""
    return [a + b for a, b in _PAIR.findall(text.lower())]


def html_text(fragment: str) -> str:
    """The readable text of sanitized HTML: tags dropped (block tags leave a space), entities decoded."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", fragment)))).strip()


@dataclass(frozen=True)
class Synonyms:
    """Groups of words that find each other (data/search-synonyms.json), each word in its indexed
    form."""

    groups: tuple[tuple[str, ...], ...] = ()


class SynonymError(ValueError):
    """data/search-synonyms.json is not usable; the message says what to fix."""


def load_synonyms(path: Path, display: str = "data/search-synonyms.json") -> Synonyms:
    """Read and check the synonym file: {"groups": [["k8s", "kubernetes"], ...]}; each entry one
    word (letters and digits, or words joined by -, _ or .), each word in one group only.
    `display` names the file in messages."""
    name = display
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SynonymError(f"{name}: cannot read it: {error}") from None
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise SynonymError(f'{name}: expected {{"groups": [["k8s", "kubernetes"], ...]}}')
    seen: dict[str, int] = {}
    result = []
    for number, group in enumerate(groups, 1):
        if not (isinstance(group, list) and len(group) >= 2 and all(isinstance(w, str) for w in group)):
            raise SynonymError(f"{name}: group {number} must be a list of two or more words, got {group!r}")
        forms = []
        for entry in group:
            form = _one_term(entry)
            if form is None:
                raise SynonymError(f"{name}: group {number}: {entry!r} is not one word; write letters and digits, "
                                   "or words joined by - (all-reduce)")
            if form in seen and seen[form] != number:
                raise SynonymError(f"{name}: {entry!r} is in groups {seen[form]} and {number}; merge them")
            seen[form] = number
            forms.append(form)
        result.append(tuple(dict.fromkeys(forms)))
    return Synonyms(tuple(result))


def _one_term(entry: str) -> str | None:
    lowered = entry.strip().lower()
    if WORD.fullmatch(lowered):
        return stem(lowered)
    if COMPOUND.fullmatch(lowered):
        return compounds(lowered)[0]
    return None


@dataclass(frozen=True)
class Document:
    """What search knows of one question: where it is, what it shows and what it is found by."""

    id: str
    url: str  # site-relative, with the question's #anchor
    question: str
    topic: int
    level: int
    tags: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (label, readable text), in page order


def documents(bank: Bank, url_of: Callable[[Question], str], to_html: Callable[[object], str]) -> list[Document]:
    """One search document per question, in bank order. to_html converts a Markdown field."""
    topics = {t.slug: n for n, t in enumerate(bank.topics)}
    result = []
    for q in bank.questions:
        # Labelled as on the page (the answer block's section headings).
        sections = [(ANSWER_LABEL, html_text(to_html(q.answer))),
                    (HOW_LABEL, html_text(to_html(q.how_to_answer)))]
        if q.rubric:
            sections.append((RUBRIC_LABEL, " ".join(p.value for p in q.rubric)))
        sections.append((EXAMPLE_LABEL, html_text(to_html(q.example_answer))))
        if q.follow_ups:
            sections.append((FOLLOW_UPS_LABEL, " ".join(f.question.value for f in q.follow_ups)))
        result.append(Document(q.id, url_of(q), q.question.value, topics[q.topic], LEVELS.index(q.difficulty),
                               tuple(q.tags), tuple(sections)))
    return result


def _counted(texts: Iterable[str], joined_forms: set[str] | frozenset[str] = frozenset()) -> Counter[str]:
    """Indexed terms of the texts with their counts: words, joined chains, and spaced pairs that
    the bank writes joined somewhere. Each distinct spelling is stemmed once."""
    raw: Counter[str] = Counter()
    for text in texts:
        lowered = text.lower()
        raw.update(WORD.findall(lowered))
        raw.update(re.sub(r"[-_.]", "", chain) for chain in COMPOUND.findall(lowered))
        if joined_forms:
            raw.update(pair for pair in spaced_pairs(lowered)
                       if pair in joined_forms or (pair[-1] == "s" and stem(pair) in joined_forms))
    counted: Counter[str] = Counter()
    for word, count in raw.items():
        counted[stem(word)] += count
    return counted


def _texts(doc: Document) -> Iterator[str]:
    yield doc.question
    for _, text in doc.sections:
        yield text


@dataclass(frozen=True)
class Index:
    """The built index: term -> postings, a flat array of question number and integer score pairs
    in question order (an array, not tuples: a 10,000-question bank has millions of postings)."""

    postings: Mapping[str, array]
    documents: Sequence[Document]

    def scores(self, term: str) -> dict[int, int]:
        """Question number -> score, for the questions the term is indexed in."""
        flat = self.postings.get(term, ())
        return dict(zip(flat[::2], flat[1::2], strict=True))


def build_index(docs: Sequence[Document], synonyms: Synonyms = Synonyms()) -> Index:
    """Score every term of every question (BM25 with the question's own words weighted above the
    answer's) and invert."""
    # Spellings written joined anywhere (all-reduce, allreduce, a tag model-registry, a synonym
    # tensor-parallelism) are also indexed where written apart.
    joined_forms = {w for doc in docs for text in (*_texts(doc), *doc.tags) for w in compounds(text)}
    synonym_of = {word: group for group in synonyms.groups for word in group}
    joined_forms.update(synonym_of)
    per_doc: list[tuple[Counter[str], set[str], set[str], int]] = []
    total_length = 0
    for doc in docs:
        body = _counted((text for _, text in doc.sections), joined_forms)
        title = set(_counted([doc.question], joined_forms))
        tags = set(_counted(doc.tags))
        for term in [t for t in (*body, *title, *tags) if t in synonym_of]:
            for other in synonym_of[term]:
                body[other] = max(body[other], body.get(term, 0)) or 1
                if term in title:
                    title.add(other)
        length = sum(body.values())
        total_length += length
        per_doc.append((body, title, tags, length))
    average = total_length / max(1, len(docs))
    frequency: Counter[str] = Counter()
    for body, title, tags, _ in per_doc:
        frequency.update(set(body) | title | tags)
    count = len(docs)
    postings: dict[str, array] = {}
    for number, (body, title, tags, length) in enumerate(per_doc):
        norm = K1 * (1 - B + B * length / average) if average else K1
        for term in set(body) | title | tags:
            df = frequency[term]
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            tf = body.get(term, 0)
            weight = tf * (K1 + 1) / (tf + norm) if tf else 0.0
            weight += QUESTION_WEIGHT * (term in title) + TAG_WEIGHT * (term in tags)
            flat = postings.get(term)
            if flat is None:
                flat = postings[term] = array("l")
            flat.append(number)
            flat.append(max(1, round(idf * weight * SCORE_SCALE)))
    return Index(postings, docs)


def _encoded(postings: array) -> list[int]:
    """Postings as written: question-number gaps and scores, alternating."""
    flat = postings.tolist()
    numbers = flat[::2]
    flat[2::2] = [b - a for a, b in itertools.pairwise(numbers)]
    return flat


def chunks(index: Index, budget: int = CHUNK_BYTES) -> list[dict[str, list[int]]]:
    """The sorted terms cut into chunks of about `budget` bytes of JSON each."""
    result: list[dict[str, list[int]]] = [{}]
    size = 0
    for term in sorted(index.postings):
        encoded = _encoded(index.postings[term])
        weight = len(term) + 6 + len(json.dumps(encoded, separators=(",", ":")))
        if result[-1] and size + weight > budget:
            result.append({})
            size = 0
        result[-1][term] = encoded
        size += weight
    return result


def document_file(doc: Document, topic_titles: Sequence[str]) -> dict:
    """What one result shows: its question, topic, level, link and the text excerpts come from."""
    return {"id": doc.id, "url": doc.url, "q": doc.question, "topic": topic_titles[doc.topic],
            "level": LEVELS[doc.level], "sections": [list(s) for s in doc.sections]}


def write_index(index: Index, topics: Sequence[tuple[str, str]], synonyms: Synonyms, site_dir: Path) -> None:
    """Write the manifest, the term chunks and one file per question under site_dir/search/."""
    folder = site_dir / FOLDER
    (folder / "q").mkdir(parents=True, exist_ok=True)
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    parts = chunks(index)
    for number, chunk in enumerate(parts):
        (folder / f"t{number}.json").write_text(json.dumps(chunk, **compact), encoding="utf-8")
    titles = [title for _, title in topics]
    for number, doc in enumerate(index.documents):
        (folder / "q" / f"{number}.json").write_text(json.dumps(document_file(doc, titles), **compact),
                                                     encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "count": len(index.documents),
        "topics": [list(t) for t in topics],
        "levels": list(LEVELS),
        # Each question's topic and level as one number (topic * 3 + level), for the filters.
        "facets": [doc.topic * len(LEVELS) + doc.level for doc in index.documents],
        "chunks": [next(iter(chunk), "") for chunk in parts],
        "synonyms": [list(group) for group in synonyms.groups],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, **compact), encoding="utf-8")
