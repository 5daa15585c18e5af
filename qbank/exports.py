"""Exports built from the bank on every build: the practice page's cards, an Anki deck, a CSV and
the JSON bank itself. Output depends only on the bank, so two builds give the same files' content
(Anki note ids and GUIDs derive from question ids, so re-importing a newer deck updates notes)."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import genanki

from qbank import edit
from qbank.bank import Bank, Question
from qbank.render import LABELS, Renderer
from qbank.routes import CARDS_PATH, DECK_PATH, DOWNLOADS, INDEX_PATH, MOCK_PATH, Routes, question_permalink
from qbank.text import neutralize_cell, to_browser_json

# Where the files go is qbank/routes.py's: DOWNLOADS, CARDS_PATH, DECK_PATH, INDEX_PATH, MOCK_PATH.
DECK_NAME = "ML Infra Interviews"
APKG_NAME = "ml-infra-interviews.apkg"
CSV_NAME = "ml-infra-interviews.csv"
JSON_NAME = "questions.json"
# Fixed ids: Anki recognises the deck and note type across versions of the export.
DECK_ID = 1_740_000_000_001
# A new id whenever the note type's fields change (Anki keeps a note type's fields by its id):
# ...002 had seven fields; ...003 adds "What the interviewer checks" (the rubric) after them.
MODEL_ID = 1_740_000_000_003
# Used as the modification time in the deck unless SOURCE_DATE_EPOCH sets one (reproducible builds).
DEFAULT_TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z
CSV_FIELDS = ("id", "topic", "difficulty", "tags", "question", "answer", "how_to_answer", "example_answer",
              "follow_ups", "references")


@dataclass(frozen=True)
class Download:
    """One file on the Downloads page."""

    name: str
    title: str
    description: str


DOWNLOAD_FILES = (
    Download(APKG_NAME, "Anki deck", "every question as a flashcard; re-importing a newer deck updates your cards"),
    Download(CSV_NAME, "CSV", "one row per question, Markdown text, for spreadsheets and other flashcard apps"),
    Download(JSON_NAME, "JSON bank", "the source file itself, with its schema at questions.schema.json"),
)


def question_url(question: Question) -> str:
    """A question's permalink, relative to the site root."""
    return question_permalink(question.topic, question.id)


def write_cards(bank: Bank, out: TextIO, to_html: Renderer | None, order: tuple[Question, ...]) -> None:
    """The practice page's data: every question (in `order`, the site's) with its answer rendered to
    sanitized HTML (none without `to_html`: the deck), written card by card (a large bank is never
    one string in memory)."""
    titles = {t.slug: t.title.browser() for t in bank.topics}
    topics = [{"slug": t.slug, "title": t.title.browser()} for t in bank.topics]
    out.write('{"topics":' + to_browser_json(topics) + ',"cards":[')
    for n, q in enumerate(order):
        card = {
            "id": q.id,
            "topic": q.topic,
            "topicTitle": titles[q.topic],
            "difficulty": q.difficulty,
            "tags": list(q.tags),
            "question": q.question.browser(),
            "url": question_url(q),
        }
        if to_html is not None:
            card["answer"] = str(to_html(q.answer))  # sanitized HTML: the one field shown as HTML
        out.write(("," if n else "") + to_browser_json(card))
    out.write("]}")


def write_mock(bank: Bank, out: TextIO, to_html: Renderer, order: tuple[Question, ...]) -> None:
    """The mock interview page's data: every question (in `order`, the site's) with its rubric
    points, its example answer as sanitized HTML and its follow-ups (linked to the bank question
    that answers one, if any), written question by question."""
    by_id = {q.id: q for q in bank.questions}
    topics = [{"slug": t.slug, "title": t.title.browser()} for t in bank.topics]
    out.write('{"topics":' + to_browser_json(topics) + ',"questions":[')
    for n, q in enumerate(order):
        follow_ups = []
        for f in q.follow_ups:
            item = {"question": f.question.browser()}
            target = by_id.get(f.answered_by) if f.answered_by else None
            if target is not None:
                item["url"] = question_url(target)
                item["title"] = target.question.browser()
            follow_ups.append(item)
        entry = {
            "id": q.id,
            "topic": q.topic,
            "difficulty": q.difficulty,
            "question": q.question.browser(),
            "url": question_url(q),
            "rubric": [point.browser() for point in q.rubric],
            "example": str(to_html(q.example_answer)),  # sanitized HTML: the one field shown as HTML
            "followUps": follow_ups,
        }
        out.write(("," if n else "") + to_browser_json(entry))
    out.write("]}")


def index_json(routes: Routes) -> str:
    """Each question id with its topic, in the site's order, for progress on topic pages and the home
    page, and the part of its topic each question past a split is on, so a permalink to the topic
    can be forwarded."""
    parts = {q.id: routes.part_of[q.id] for q in routes.ordered if routes.part_of[q.id] > 1}
    return json.dumps({"questions": {q.id: q.topic for q in routes.ordered}, "parts": parts}, separators=(",", ":"))


def write_csv(bank: Bank, out: TextIO) -> None:
    """The bank as CSV: one row per question, lists joined by ' | '. A cell that a spreadsheet would
    read as a formula (it starts with =, +, -, @, tab or CR) starts with a ' instead (OWASP)."""
    # Every cell quoted: read with ; or tab as the separator, as some spreadsheets do, a cell still
    # cannot split into one that starts with a formula.
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_FIELDS)
    for q in bank.questions:
        writer.writerow([
            q.id, q.topic, q.difficulty, " | ".join(q.tags), q.question.csv(), q.answer.csv(),
            q.how_to_answer.csv(), q.example_answer.csv(),
            neutralize_cell(" | ".join(f.question.value for f in q.follow_ups)),
            neutralize_cell(" | ".join(r.url.value for r in q.references)),
        ])


def note_guid(question_id: str) -> str:
    """The Anki GUID of a question's note: how Anki recognises it on re-import."""
    return genanki.guid_for("ml-infra-interviews", question_id)


_MODEL = genanki.Model(
    MODEL_ID,
    "ML Infra Interviews question",
    fields=[{"name": n} for n in ("Question", "Answer", "How to answer", "Example answer", "Topic", "Difficulty",
                                  "Link", "What the interviewer checks")],
    templates=[{
        "name": "Question to answer",
        # tex2jax_ignore: MathJax leaves the text alone (the checks refuse its delimiters anyway).
        "qfmt": '<div class="tex2jax_ignore"><div class="topic">{{Topic}} · {{Difficulty}}</div>'
                '<div class="question">{{Question}}</div></div>',
        "afmt": '{{FrontSide}}<hr id=answer><div class="tex2jax_ignore">{{Answer}}<h3>How to answer</h3>'
                "{{How to answer}}{{#What the interviewer checks}}<h3>What the interviewer checks</h3>"
                "{{What the interviewer checks}}{{/What the interviewer checks}}"
                "<h3>Example answer</h3>{{Example answer}}</div>"
                '<p><a href="{{Link}}">On the site</a></p>',
    }],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n"
        ".topic { color: #666; font-size: 14px; }",
)


def anki_field(html_text: str) -> str:
    """An HTML field as Anki should store it: media and LaTeX tags broken, so Anki never plays or
    compiles anything from the bank (the checks refuse them; this holds even if they were bypassed)."""
    return _ANKI_TAG.sub("&#91;", html_text)


_ANKI_TAG = re.compile(r"\[(?=sound:|/?latex\]|/?\$\$?\])", re.I)


def write_apkg(bank: Bank, path: Path, site_url: str, to_html: Renderer) -> None:
    """Write the Anki deck: one note per question, ids and GUIDs derived from question ids."""
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    # Anki fields are HTML and Anki runs scripts in cards: plain text is escaped, Markdown sanitized.
    titles = {t.slug: t.title.html() for t in bank.topics}
    link = html.escape(site_url.rstrip("/"))
    for q in bank.questions:
        fields = [anki_field(str(field)) for field in (
            q.question.html(), to_html(q.answer), to_html(q.how_to_answer),
            to_html(q.example_answer), titles[q.topic], LABELS[q.difficulty],
            f"{link}/{question_url(q)}",
            # The rubric: plain-text points, escaped, as a list (empty for a question without one).
            "<ul>" + "".join(f"<li>{p.html()}</li>" for p in q.rubric) + "</ul>" if q.rubric else "",
        )]
        # Anki recognises a note by its GUID, derived from the question id; the public API is enough.
        deck.add_note(genanki.Note(model=_MODEL, fields=fields, tags=[q.topic, q.difficulty, *q.tags],
                                   guid=note_guid(q.id)))
    timestamp = float(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_TIMESTAMP))
    genanki.Package(deck).write_to_file(str(path), timestamp=timestamp)


def write_exports(bank: Bank, bank_path: Path, site_dir: Path, site_url: str, to_html: Renderer,
                  routes: Routes) -> None:
    """Write every export into the built site (the practice files in the order the site shows)."""
    downloads = site_dir / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    write_apkg(bank, downloads / APKG_NAME, site_url, to_html)
    with (downloads / CSV_NAME).open("w", encoding="utf-8", newline="") as out:
        write_csv(bank, out)
    # For readers, each Markdown field is one string again (the file keeps them as lines for diffs).
    # The build validated this file already: parse it without checking its shape a second time.
    document = edit.reader_form(json.loads(bank_path.read_text(encoding="utf-8")))
    (downloads / JSON_NAME).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(bank_path.with_name("questions.schema.json"), downloads / "questions.schema.json")
    cards = site_dir / CARDS_PATH
    cards.parent.mkdir(parents=True, exist_ok=True)
    with cards.open("w", encoding="utf-8") as out:
        write_cards(bank, out, to_html, routes.ordered)
    with (site_dir / DECK_PATH).open("w", encoding="utf-8") as out:
        write_cards(bank, out, None, routes.ordered)
    with (site_dir / MOCK_PATH).open("w", encoding="utf-8") as out:
        write_mock(bank, out, to_html, routes.ordered)
    (site_dir / INDEX_PATH).write_text(index_json(routes), encoding="utf-8")
