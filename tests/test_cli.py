"""The contributor command line: check, fmt, new and stats, and that nothing can lose the bank."""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbank import cli, edit
from qbank.bank import MARKDOWN_FIELDS, BankError, load_bank, read_document
from qbank.text import PlainText
from tests.conftest import FIXTURES, ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qbank", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A copy of the real bank in a scratch directory (with the real docs beside it for checks)."""
    path = tmp_path / "questions.json"
    shutil.copy2(ROOT / "data" / "questions.json", path)
    return path


def test_check_passes_on_the_real_bank() -> None:
    result = _run("check")
    assert result.returncode == 0, result.stdout
    assert "data/questions.json: OK" in result.stdout


def test_check_prints_located_problems_and_never_writes(tmp_path: Path) -> None:
    bad = tmp_path / "questions.json"
    original = (FIXTURES / "bad" / "unknown-topic.json").read_bytes()
    bad.write_bytes(original)
    result = _run("check", "--bank", str(bad))
    assert result.returncode == 1
    assert f"{bad}:30:7: question 'batch-vs-stream': unknown topic 'gamma'" in result.stdout
    assert bad.read_bytes() == original


def test_check_github_format_annotates_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "questions.json"
    bad.write_bytes((FIXTURES / "bad" / "raw-html-script.json").read_bytes())
    result = _run("check", "--format", "github", "--bank", str(bad))
    assert result.returncode == 1
    assert f"::error file={bad},line=44,col=26::question 'data-drift-basics': 'answer', at '<script>': raw HTML" in result.stdout


def test_real_bank_is_in_canonical_form() -> None:
    result = _run("fmt", "--check")
    assert result.returncode == 0, result.stdout


def test_a_one_word_fix_is_one_short_changed_line(tmp_path: Path) -> None:
    """Markdown fields are stored a line per sentence, so a diff shows only the sentence changed."""
    path = tmp_path / "questions.json"
    original = (ROOT / "data" / "questions.json").read_text(encoding="utf-8")
    edited = original.replace("learns a mapping from inputs to targets", "learns a function from inputs to targets", 1)
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    assert cli.fmt(path, only_check=True) == 0, "a hand edit of one line stays canonical"
    changed = [(a, b) for a, b in zip(original.splitlines(), edited.splitlines(), strict=True) if a != b]
    assert len(changed) == 1
    assert len(changed[0][1]) < 300


def test_fmt_turns_a_string_answer_into_lines_and_back_losslessly(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))
    text = "First paragraph.\n\n- a list item\n- another\n\n```python\nx = 1\n```"
    document["questions"][0]["answer"] = text
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli.fmt(path) == 0
    stored = read_document(path)["questions"][0]["answer"]
    assert stored == text.split("\n")
    assert edit.reader_form(read_document(path))["questions"][0]["answer"] == text


def test_fmt_check_reports_and_fmt_fixes(bank_copy: Path) -> None:
    document = json.loads(bank_copy.read_text())
    bank_copy.write_text(json.dumps(document, indent=4) + "\n")  # same content, other indentation
    before = bank_copy.read_bytes()

    reported = cli.fmt(bank_copy, only_check=True)
    assert reported == 1
    assert bank_copy.read_bytes() == before, "fmt --check must not write"

    assert cli.fmt(bank_copy) == 0
    assert json.loads(bank_copy.read_text()) == document
    assert bank_copy.read_text() == (ROOT / "data" / "questions.json").read_text()


@pytest.mark.parametrize("fixture", ["trailing-comma", "duplicate-key", "nan", "bom", "not-utf8"])
def test_fmt_refuses_unreadable_json_and_leaves_it_byte_for_byte(tmp_path: Path, fixture: str) -> None:
    path = tmp_path / "questions.json"
    original = (FIXTURES / "bad" / f"{fixture}.json").read_bytes()
    path.write_bytes(original)
    assert cli.fmt(path) == 1
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["questions.json"], "no temporary file left behind"


_slug = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}\Z")
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@st.composite
def _banks(draw: st.DrawFn) -> dict:
    topics = draw(st.lists(st.fixed_dictionaries({"slug": _slug, "title": _text, "description": _text}),
                           min_size=1, max_size=3, unique_by=lambda t: t["slug"]))
    question = st.fixed_dictionaries(
        {
            "id": _slug, "topic": st.sampled_from([t["slug"] for t in topics]), "question": _text,
            "difficulty": st.sampled_from(["foundational", "intermediate", "advanced"]),
            "tags": st.lists(_slug, min_size=1, max_size=3, unique=True),
            "answer": _text, "how_to_answer": _text, "example_answer": _text,
        },
        optional={
            "follow_ups": st.lists(st.one_of(_text, st.fixed_dictionaries({"answered_by": _slug, "question": _text})),
                                   min_size=1, max_size=2),
            "references": st.lists(st.fixed_dictionaries({"url": st.just("https://example.org/x"), "title": _text}),
                                   min_size=1, max_size=2),
        },
    )
    questions = draw(st.lists(question, max_size=6, unique_by=lambda q: q["id"]))
    order = draw(st.permutations(["$schema", "topics", "questions"]))
    values = {"$schema": "./questions.schema.json", "topics": topics, "questions": questions}
    return {key: values[key] for key in order}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_banks(), indent=st.sampled_from([None, 1, 2, 4, "\t"]))
def test_fmt_is_lossless_and_idempotent(tmp_path: Path, document: dict, indent: object) -> None:
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=bool(indent is None)), encoding="utf-8")

    assert cli.fmt(path) == 0
    once = path.read_bytes()
    after = read_document(path)
    assert list(after) == ["$schema", "topics", "questions"]
    assert after["topics"] == document["topics"]
    by_id = sorted(document["questions"], key=lambda q: q["id"])
    back = edit.reader_form(after)["questions"]
    assert sorted(back, key=lambda q: q["id"]) == by_id, "every question survives with every value"
    for question in after["questions"]:
        assert all(isinstance(question[k], list) for k in MARKDOWN_FIELDS), "Markdown fields as lines"
        linked = [f for f in question.get("follow_ups", ()) if isinstance(f, dict)]
        assert all(list(f) == ["question", "answered_by"] for f in linked), "a follow-up's keys in schema order"
    assert cli.fmt(path) == 0
    assert path.read_bytes() == once, "formatting canonical text changes nothing"


def _new_args(bank: Path, **overrides: str) -> list[str]:
    values = {
        "--topic": "gpus",
        "--question": "What does NVLink give a multi-GPU training job that PCIe does not?",
        "--difficulty": "intermediate",
        "--tags": "interconnect, nvlink",
        "--answer": "NVLink links GPUs directly with far more bandwidth than PCIe, so all-reduce finishes sooner.",
        "--how-to-answer": "They listen for bandwidth numbers and for when the interconnect is the bottleneck.",
        "--example-answer": "I'd say NVLink matters once gradient all-reduce dominates the step time.",
        **overrides,
    }
    rubric = ["Gives NVLink's bandwidth against PCIe's", "Ties it to all-reduce time",
              "Says when the interconnect is not the bottleneck"]
    return ["new", "--bank", str(bank), *[x for pair in values.items() for x in pair],
            *[x for point in rubric for x in ("--rubric", point)]]


def test_new_adds_a_question_in_its_topic_and_keeps_every_entry(bank_copy: Path) -> None:
    before = read_document(bank_copy)
    assert cli.main(_new_args(bank_copy, **{"--reference": "NVIDIA NVLink|https://www.nvidia.com/en-us/data-center/nvlink/"})) == 0

    after = read_document(bank_copy)
    added = [q for q in after["questions"] if q not in before["questions"]]
    assert [q["id"] for q in added] == ["nvlink-give-multi-gpu-training-job-pcie"]
    assert [q for q in after["questions"] if q in before["questions"]] == before["questions"]
    gpus = [q["id"] for q in after["questions"] if q["topic"] == "gpus"]
    assert gpus[-1] == added[0]["id"], "inserted after the last question of its topic"
    assert added[0]["tags"] == ["interconnect", "nvlink"]
    assert added[0]["references"] == [{"title": "NVIDIA NVLink", "url": "https://www.nvidia.com/en-us/data-center/nvlink/"}]
    assert cli.fmt(bank_copy, only_check=True) == 0


def test_new_refuses_a_duplicate_id_and_changes_nothing(bank_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = bank_copy.read_bytes()
    existing = read_document(bank_copy)["questions"][0]["id"]
    assert cli.main(_new_args(bank_copy, **{"--id": existing})) == 1
    assert "is already used; choose another" in capsys.readouterr().out
    assert bank_copy.read_bytes() == original


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"--answer": "Use <script>alert(1)</script>"}, "raw HTML is not allowed"),
        ({"--topic": "gpu"}, "unknown topic 'gpu'; did you mean 'gpus'?"),
        ({"--difficulty": "hard"}, "'difficulty' is 'hard'; use one of"),
        ({"--question": "How does PSI measure drift, and which thresholds are used?"}, "asks nearly the same"),
    ],
)
def test_new_that_fails_validation_leaves_the_bank_unchanged(bank_copy: Path, capsys: pytest.CaptureFixture[str],
                                                             override: dict[str, str], message: str) -> None:
    original = bank_copy.read_bytes()
    if "asks nearly" in message:
        existing = read_document(bank_copy)["questions"][5]["question"]
        override = {"--question": existing.rstrip("?") + " in practice?"}
    assert cli.main(_new_args(bank_copy, **override)) == 1
    output = capsys.readouterr()
    assert message in output.out
    assert f"{bank_copy.name}" in output.err
    assert "was not changed" in output.err
    assert bank_copy.read_bytes() == original
    assert sorted(p.name for p in bank_copy.parent.iterdir()) == [".drafts", "questions.json"]
    kept = next((bank_copy.parent / ".drafts").iterdir())
    assert f"new --from {kept}" in output.err or f"new --from .drafts/{kept.name}" in output.err
    assert "What does NVLink give" in kept.read_text(encoding="utf-8") or "nearly" in message, "nothing typed is lost"


def test_new_without_a_terminal_names_every_missing_flag_at_once(bank_copy: Path) -> None:
    result = _run("new", "--bank", str(bank_copy), "--question", "What is a feature store?")
    assert result.returncode == 2
    assert "missing --topic, --difficulty, --tags, --answer, --how-to-answer, --example-answer" in result.stderr


def test_stats_counts_topics_difficulties_and_tags() -> None:
    result = _run("stats")
    bank = load_bank()
    assert result.returncode == 0
    assert f"{len(bank.questions)} questions in {len(bank.topics)} topics" in result.stdout
    gpus = bank.questions_in("gpus")
    row = next(line for line in result.stdout.splitlines() if line.startswith("gpus "))
    assert row.split()[1:] == [str(sum(q.difficulty == d for q in gpus)) for d in ("foundational", "intermediate", "advanced")] + [str(len(gpus))]
    assert f"scenario {sum('scenario' in q.tags for q in bank.questions)}" in result.stdout


def test_write_validated_names_the_real_file_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "questions.json"
    path.write_bytes((FIXTURES / "valid.json").read_bytes())
    bad = (FIXTURES / "bad" / "unknown-topic.json").read_text()
    with pytest.raises(Exception, match=r"questions\.json:30:7: question 'batch-vs-stream'") as caught:
        edit.write_validated(path, bad)
    assert ".tmp" not in str(caught.value)
    assert path.read_bytes() == (FIXTURES / "valid.json").read_bytes()


@settings(max_examples=60, deadline=None)
@given(document=_banks(), data=st.data())
def test_inserting_a_question_keeps_every_existing_entry(document: dict, data: st.DataObject) -> None:
    entry = {"id": "zz-new-question", "topic": data.draw(st.sampled_from([t["slug"] for t in document["topics"]])),
             "question": data.draw(_text), "difficulty": "advanced", "tags": ["x"], "answer": "a",
             "how_to_answer": "h", "example_answer": "e"}
    result = json.loads(edit.dumps(edit.insert_question(document, entry)))
    assert len(result["questions"]) == len(document["questions"]) + 1
    kept = edit.reader_form(result)["questions"]
    for question in document["questions"]:
        assert question in kept
    same_topic = [q["id"] for q in result["questions"] if q["topic"] == entry["topic"]]
    assert same_topic[-1] == entry["id"], "the new question goes after the last one of its topic"


def test_fmt_refuses_a_lone_surrogate_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "questions.json"
    original = (FIXTURES / "bad" / "lone-surrogate.json").read_bytes()
    path.write_bytes(original)
    result = _run("fmt", "--bank", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        f"{path}:44:7: question 'data-drift-basics': 'answer' contains a lone surrogate (broken UTF-16 escape); "
        "retype the character"
    ]
    assert f"{path} was not changed." in result.stderr
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["questions.json"]


@pytest.mark.parametrize(
    ("fixture", "location"),
    [
        ("trailing-comma", ":43:29: question 'data-drift-basics': invalid JSON: trailing comma"),
        ("duplicate-key", ":33:7: question 'batch-vs-stream': invalid JSON: duplicate key 'difficulty'"),
        ("not-utf8", ":44:27: question 'data-drift-basics': byte 0xe9 is not valid UTF-8"),
        ("lone-surrogate", ":44:31: question 'data-drift-basics': 'answer': contains a lone surrogate"),
    ],
)
def test_new_on_a_broken_bank_reports_it_and_changes_nothing(tmp_path: Path, fixture: str, location: str) -> None:
    path = tmp_path / "questions.json"
    original = (FIXTURES / "bad" / f"{fixture}.json").read_bytes()
    path.write_bytes(original)
    result = _run(*_new_args(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}{location}" in result.stdout
    assert f"{path} was not changed" in result.stderr
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["questions.json"]


def test_new_reference_without_a_bar_is_refused_before_anything_is_written(bank_copy: Path) -> None:
    original = bank_copy.read_bytes()
    result = _run(*_new_args(bank_copy, **{"--reference": "https://docs.vllm.ai/"}))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "argument --reference: 'https://docs.vllm.ai/' has no '|' between title and URL; write it as TITLE|URL" in result.stderr
    assert bank_copy.read_bytes() == original


def test_new_with_text_that_is_not_unicode_is_refused_with_its_location(bank_copy: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    original = bank_copy.read_bytes()
    # A byte that is not UTF-8 on the command line reaches Python as a lone surrogate.
    assert cli.main(_new_args(bank_copy, **{"--answer": "NVLink is faster \udcff than PCIe for all-reduce."})) == 1
    output = capsys.readouterr()
    kept = bank_copy.parent / ".drafts" / "nvlink-give-multi-gpu-training-job-pcie.md"
    assert f"{kept}:18: answer: contains a lone surrogate" in output.out, "located in the draft that keeps it"
    assert "was not changed" in output.err
    assert bank_copy.read_bytes() == original
    assert "NVLink is faster \\udcff than PCIe" in kept.read_text(encoding="utf-8"), "kept, visibly escaped"


def test_write_atomic_refuses_text_utf8_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "questions.json"
    path.write_bytes(b"{}\n")
    with pytest.raises(BankError, match=r"questions\.json:3:11: 'x' contains a lone surrogate"):
        edit.write_atomic(path, '{\n  "a": {\n    "x": "\ud800"\n  }\n}\n')
    assert path.read_bytes() == b"{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["questions.json"]


def _shaped(tmp_path: Path, change) -> tuple[Path, bytes]:
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path, path.read_bytes()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(topics={t["slug"]: t for t in d["topics"]}), ": 'topics' must be of type array, not object"),
        (lambda d: d.update(questions={"q": d["questions"][0]}), ": 'questions' must be of type array, not object"),
        (lambda d: d["questions"][2].update(topic=["gpus"]), ": question 'model-interpretability': 'topic' must be of type string, not array"),
        (lambda d: d["questions"][2].update(topic={"slug": "gpus"}), ": question 'model-interpretability': 'topic' must be of type string, not object"),
        (lambda d: d["questions"][2].update(tags=[["gpu"]]), ": question 'model-interpretability': 'tags' must be of type string, not array"),
        (lambda d: d["questions"][2].update(tags=[{"gpu": 1}]), ": question 'model-interpretability': 'tags' must be of type string, not object"),
    ],
    ids=["topics-object", "questions-object", "topic-list", "topic-object", "tag-list", "tag-object"],
)
def test_fmt_refuses_a_bank_of_the_wrong_shape_and_writes_nothing(tmp_path: Path, change, message: str) -> None:
    path, before = _shaped(tmp_path, change)
    result = _run("fmt", "--bank", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stdout
    assert result.stdout.startswith(f"{path}:")
    assert path.read_bytes() == before


def test_deeply_nested_json_gets_a_located_message_not_a_crash(tmp_path: Path) -> None:
    path, _ = _shaped(tmp_path, lambda d: d["questions"][3].update(tags="DEEP"))
    path.write_text(path.read_text(encoding="utf-8").replace('"DEEP"', "[" * 5000 + "]" * 5000), encoding="utf-8")
    before = path.read_bytes()
    for command in ("check", "fmt", "stats", "new"):
        result = _run(command, "--bank", str(path))
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr + result.stdout, command
        assert "question 'regularization-against-overfitting': invalid JSON: values are nested more than 32" \
            in result.stdout, command
    assert path.read_bytes() == before


def test_fmt_writes_through_a_symlinked_bank(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    document = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    real.write_text(json.dumps(document, indent=4), encoding="utf-8")
    link = tmp_path / "questions.json"
    link.symlink_to(real)
    result = _run("fmt", "--bank", str(link))
    assert result.returncode == 0, result.stdout + result.stderr
    assert link.is_symlink(), "the link is kept"
    assert real.read_text(encoding="utf-8") == (ROOT / "data" / "questions.json").read_text(encoding="utf-8")


def test_the_commands_never_load_mkdocs() -> None:
    """check, fmt, new and stats are plain Python: they start without MkDocs, its theme or genanki."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "qbank", "check"], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert {"mkdocs", "material", "genanki", "markdown", "nh3"} & imported == set()


def test_stats_lists_questions_not_reviewed_in_the_last_twelve_months() -> None:
    bank = load_bank(FIXTURES / "valid.json")
    first, second, *rest = bank.questions
    dated = dataclasses.replace(bank, questions=(
        dataclasses.replace(first, reviewed=PlainText("2025-12")),
        dataclasses.replace(second, reviewed=PlainText("2026-01")), *rest))
    stale = cli.stale_reviews(dated, datetime.date(2026, 12, 3))
    assert first.id in stale, "reviewed twelve months ago"
    assert second.id not in stale, "reviewed eleven months ago"
    assert all(q.id in stale for q in rest if q.reviewed is None), "never reviewed"
    result = _run("stats")
    assert "not reviewed in the last 12 months (check the claims, then set 'reviewed'): " in result.stdout
