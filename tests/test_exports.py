"""Exports written on every build: the Anki deck, the CSV, the JSON bank and the practice cards."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

from qbank import edit, exports, plans
from qbank.bank import Bank, load_bank, read_document
from qbank.render import Renderer
from qbank.routes import PLANS_DATA_URL, Routes
from tests.conftest import ROOT


def _notes(apkg: Path, tmp_path: Path) -> list[tuple[int, str, list[str], str]]:
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        database = tmp_path / f"{apkg.stem}-{len(list(tmp_path.iterdir()))}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, guid, flds, tags FROM notes ORDER BY id").fetchall()
    return [(note_id, guid, fields.split("\x1f"), tags) for note_id, guid, fields, tags in rows]


def test_anki_deck_has_a_note_per_question_with_its_fields(built_site: Path, real_bank: Bank, tmp_path: Path) -> None:
    notes = _notes(built_site / "downloads" / exports.APKG_NAME, tmp_path)
    assert len(notes) == len(real_bank.questions)
    by_guid = {guid: (note_id, fields, tags) for note_id, guid, fields, tags in notes}
    for question in real_bank.questions:
        _note_id, fields, tags = by_guid[exports.note_guid(question.id)]
        assert len(fields) == 8
        points = re.findall(r"<li>(.*?)</li>", fields[7])
        assert [html.unescape(p) for p in points] == [p.value for p in question.rubric], "the rubric, point by point"
        words = question.question.value.split()[:4]
        assert all(word in html.unescape(fields[0]) for word in words), fields[0]
        assert "<" not in fields[0], "the question is plain text, escaped for Anki"
        assert fields[1].startswith("<p>") or fields[1].startswith("<ul>") or fields[1].startswith("<ol>")
        assert fields[6].endswith(f"/topics/{question.topic}/#{question.id}")
        assert question.topic in tags.split()


def test_two_builds_give_the_same_note_ids_and_guids(real_bank: Bank, tmp_path: Path) -> None:
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    exports.write_apkg(real_bank, first, "https://example.org/", Renderer())
    exports.write_apkg(real_bank, second, "https://example.org/", Renderer())
    ids = lambda path: [(n[0], n[1]) for n in _notes(path, tmp_path)]  # noqa: E731
    assert ids(first) == ids(second)
    assert len({guid for _, guid in ids(first)}) == len(real_bank.questions)


def test_csv_has_a_row_per_question(built_site: Path, real_bank: Bank) -> None:
    text = (built_site / "downloads" / exports.CSV_NAME).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(real_bank.questions)
    assert list(rows[0]) == list(exports.CSV_FIELDS)
    for row, question in zip(rows, real_bank.questions, strict=True):
        assert row["id"] == question.id
        assert row["answer"] == question.answer.csv()
        assert row["tags"].split(" | ") == list(question.tags)


def test_json_bank_download_is_the_bank_with_each_text_as_one_string(built_site: Path) -> None:
    download = json.loads((built_site / "downloads" / exports.JSON_NAME).read_text(encoding="utf-8"))
    bank = read_document(ROOT / "data" / "questions.json")
    assert download == edit.reader_form(bank)
    assert all(isinstance(q["answer"], str) for q in download["questions"])
    assert load_bank(built_site / "downloads" / exports.JSON_NAME).questions == load_bank().questions


def test_practice_cards_come_from_the_bank(built_site: Path, real_bank: Bank) -> None:
    deck = json.loads((built_site / exports.CARDS_PATH).read_text(encoding="utf-8"))
    shown = Routes(real_bank).ordered
    assert [c["id"] for c in deck["cards"]] == [q.id for q in shown], "the order of the topic pages"
    assert sorted(c["id"] for c in deck["cards"]) == sorted(q.id for q in real_bank.questions)
    assert [t["slug"] for t in deck["topics"]] == [t.slug for t in real_bank.topics]
    first = deck["cards"][0]
    assert first["url"] == f"topics/{shown[0].topic}/#{shown[0].id}"
    assert "<script" not in json.dumps(deck).lower()


def test_practice_deck_is_the_cards_without_their_answers(built_site: Path) -> None:
    cards = json.loads((built_site / exports.CARDS_PATH).read_text(encoding="utf-8"))
    deck = json.loads((built_site / exports.DECK_PATH).read_text(encoding="utf-8"))
    assert deck["topics"] == cards["topics"]
    assert deck["cards"] == [{k: v for k, v in c.items() if k != "answer"} for c in cards["cards"]]
    assert (built_site / exports.DECK_PATH).stat().st_size < (built_site / exports.CARDS_PATH).stat().st_size / 8


def test_progress_index_maps_every_question_to_its_topic(built_site: Path, real_bank: Bank) -> None:
    index = json.loads((built_site / exports.INDEX_PATH).read_text(encoding="utf-8"))
    assert index["questions"] == {q.id: q.topic for q in real_bank.questions}
    assert list(index["questions"]) == [q.id for q in Routes(real_bank).ordered], "the order of the topic pages"
    assert (built_site / exports.INDEX_PATH).stat().st_size < (built_site / exports.CARDS_PATH).stat().st_size / 20


def test_downloads_page_links_every_export_with_counts(built_site: Path, real_bank: Bank) -> None:
    html = (built_site / "downloads" / "index.html").read_text(encoding="utf-8")
    for download in exports.DOWNLOAD_FILES:
        assert f'href="../downloads/{download.name}"' in html
        assert (built_site / "downloads" / download.name).is_file()
    assert html.count(f"{len(real_bank.questions)} questions") == len(exports.DOWNLOAD_FILES)


def test_downloads_page_links_the_study_plans_as_the_plans_file_says(built_site: Path, real_bank: Bank) -> None:
    """The Downloads page's "Study plans" line links a plans.json that is there and holds exactly
    data/plans.json's plans as qbank.plans publishes them (slugs, titles, summaries, days of ids)."""
    page = built_site / "downloads" / "index.html"
    links = re.findall(r'<a href="([^"]+)" download><code>plans\.json</code></a>', page.read_text(encoding="utf-8"))
    assert len(links) == 1, "one download link to plans.json on the Downloads page"
    target = (page.parent / links[0]).resolve()
    assert target == (built_site / PLANS_DATA_URL).resolve()
    published = json.loads(target.read_text(encoding="utf-8"))
    expected = plans.plans_json(plans.load_plans(ROOT / plans.PLANS_EDIT_PATH, real_bank.by_id))
    assert published == expected
    assert [p["slug"] for p in published["plans"]] == [
        p["slug"] for p in json.loads((ROOT / plans.PLANS_EDIT_PATH).read_text(encoding="utf-8"))["plans"]]
    assert all(day["questions"] for p in published["plans"] for day in p["days"])


def test_mock_interview_data_has_each_question_with_rubric_example_and_follow_ups(real_bank: Bank) -> None:
    """practice/mock.json: the rubric as typed, the example answer as the topic pages' sanitized
    HTML, and a follow-up that another question answers linked to it."""
    out = io.StringIO()
    to_html = Renderer()
    shown = Routes(real_bank).ordered
    exports.write_mock(real_bank, out, to_html, shown)
    data = json.loads(out.getvalue())
    assert [q["id"] for q in data["questions"]] == [q.id for q in shown]
    assert [t["slug"] for t in data["topics"]] == [t.slug for t in real_bank.topics]
    by_id = {q.id: q for q in real_bank.questions}
    for entry in data["questions"]:
        question = by_id[entry["id"]]
        assert entry["rubric"] == [p.value for p in question.rubric]
        assert 3 <= len(entry["rubric"]) <= 6
        assert entry["example"] == str(to_html(question.example_answer))
        assert entry["question"] == question.question.value
        assert (entry["topic"], entry["difficulty"]) == (question.topic, question.difficulty)
        assert [f["question"] for f in entry["followUps"]] == [f.question.value for f in question.follow_ups]
    linked = [(q, f) for q in real_bank.questions for f in q.follow_ups if f.answered_by]
    assert linked, "the bank links some follow-ups"
    question, follow_up = linked[0]
    entry = next(e for e in data["questions"] if e["id"] == question.id)
    item = next(f for f in entry["followUps"] if f["question"] == follow_up.question.value)
    target = by_id[follow_up.answered_by]
    assert item["url"] == f"topics/{target.topic}/#{target.id}"
    assert item["title"] == target.question.value
    assert all("url" not in f for e in data["questions"] for f in e["followUps"]
               if not any(g.answered_by for g in by_id[e["id"]].follow_ups if g.question.value == f["question"]))
