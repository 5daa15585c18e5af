"""Numbers to know (data/numbers.json): validated with located messages, rendered as one page with
every figure's source and date, and linked both ways with the answers that use them."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qbank import numbers, routes
from qbank.bank import Bank
from qbank.routes import NUMBERS_URL
from tests.conftest import ROOT, copy_project, run_mkdocs_build


@pytest.fixture(scope="module")
def table() -> numbers.Numbers:
    return numbers.load_numbers(ROOT / "data" / "numbers.json")


def test_every_figure_has_a_specific_source_and_a_date(table: numbers.Numbers) -> None:
    entries = [e for s in table.sections for e in s.entries]
    assert len(entries) >= 30
    for entry in entries:
        assert re.fullmatch(r"https://[^/\s]+/\S+", entry.source_url.value), entry.id
        assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", entry.as_of.value), entry.id


def _broken(tmp_path: Path, change: callable) -> str:
    data = json.loads((ROOT / "data" / "numbers.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    (tmp_path / "numbers.schema.json").write_text((ROOT / "data" / "numbers.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(numbers.NumbersError) as error:
        numbers.load_numbers(path)
    return str(error.value)


def test_a_homepage_source_is_refused_at_its_line(tmp_path: Path) -> None:
    def homepage(data: dict) -> None:
        data["sections"][0]["entries"][1]["source"]["url"] = "https://www.nvidia.com/"
    message = _broken(tmp_path, homepage)
    entry = json.loads((ROOT / "data" / "numbers.json").read_text(encoding="utf-8"))["sections"][0]["entries"][1]["id"]
    assert re.match(rf"data/numbers.json:\d+: entry '{entry}': source.url: 'https://www.nvidia.com/' does not match", message)


def test_a_figure_without_a_date_or_a_repeated_id_is_refused(tmp_path: Path) -> None:
    def undated(data: dict) -> None:
        del data["sections"][1]["entries"][0]["as_of"]
    assert "'as_of' is a required property" in _broken(tmp_path, undated)

    def repeated(data: dict) -> None:
        data["sections"][1]["entries"][1]["id"] = data["sections"][1]["entries"][0]["id"]
    assert "the id is used twice" in _broken(tmp_path, repeated)


def test_check_refuses_a_question_naming_an_unknown_figure(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    bank_path = project / "data" / "questions.json"
    document = json.loads(bank_path.read_text(encoding="utf-8"))
    document["questions"][0]["numbers"] = ["h100-sxm-hbm", "h900-imaginary"]
    bank_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "qbank", "check", "--bank", str(bank_path)], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1
    assert (f"question '{document['questions'][0]['id']}': 'numbers' names 'h900-imaginary', which "
            "data/numbers.json does not have") in result.stderr.replace(str(project) + "/", "")


def test_the_page_lists_every_figure_and_links_back_to_the_answers(built_site: Path, real_bank: Bank,
                                                                   table: numbers.Numbers) -> None:
    page = (built_site / "numbers" / "index.html").read_text(encoding="utf-8")
    for section in table.sections:
        for entry in section.entries:
            row = re.search(rf'<tr id="{entry.id}">(.*?)</tr>', page, re.S)
            assert row, entry.id
            assert f'href="{entry.source_url.html()}"' in row.group(1)
            assert f"as of {entry.as_of.value}" in row.group(1)
    users = [q for q in real_bank.questions if q.numbers]
    assert users, "some answers name the figures they use"
    on_site = routes.Routes(real_bank)
    for question in users:
        page_url = on_site.question_page(question)
        topic_page = (built_site / page_url / "index.html").read_text(encoding="utf-8")
        block = topic_page[topic_page.index(f'<details class="qa" data-question="{question.id}"'):]
        block = block[:block.index("</details>")]
        to_numbers = posixpath.relpath(NUMBERS_URL, page_url)  # ../../numbers, or ../../../ from a later part
        for entry in question.numbers:
            assert f'href="{to_numbers}/#{entry}"' in block, (question.id, entry)
            row = re.search(rf'<tr id="{entry}">(.*?)</tr>', page, re.S).group(1)
            assert f"#{question.id}" in row, f"{entry} does not link back to {question.id}"


def test_a_project_without_a_numbers_file_builds_without_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    bank_path = project / "data" / "questions.json"
    document = json.loads(bank_path.read_text(encoding="utf-8"))
    for question in document["questions"]:
        question.pop("numbers", None)
    bank_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (project / "data" / "numbers.json").unlink()
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "numbers").exists()
