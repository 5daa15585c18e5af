"""Loading the bank: typed objects from a valid file, and one located, actionable message per
kind of bad input (each fixture in tests/fixtures/bad/ breaks one rule)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.bank import (
    NEAR_DUPLICATE_THRESHOLD,
    BankError,
    Question,
    code_spans,
    fenced_blocks,
    load_bank,
    near_duplicate_pairs,
    question_tokens,
    similarity,
    text_problems,
)
from qbank.text import MarkdownText, PlainText
from tests.conftest import FIXTURES


def test_valid_bank_loads_typed_objects(valid_bank) -> None:
    assert [t.slug for t in valid_bank.topics] == ["alpha", "beta"]
    first = valid_bank.questions[0]
    assert isinstance(first, Question)
    assert first.id == "what-is-a-gpu"
    assert first.tags == ("gpu", "basics")
    assert first.references[0].url.value.startswith("https://")
    assert isinstance(first.question, PlainText)
    assert isinstance(first.answer, MarkdownText)
    with pytest.raises(TypeError, match="untrusted bank text"):
        f"<h2>{first.question}</h2>"
    with pytest.raises(TypeError, match="untrusted bank text"):
        str(first.answer)
    assert valid_bank.questions[1].follow_ups == ()
    linked = valid_bank.questions[0].follow_ups
    assert [f.answered_by for f in linked] == [None, None, "data-drift-basics"]
    assert linked[2].question.value == "How would you notice that live inputs drift?"
    assert [q.id for q in valid_bank.questions_in("alpha")] == ["what-is-a-gpu", "data-drift-basics"]


def test_unknown_topic_lookup_names_known_topics(valid_bank) -> None:
    with pytest.raises(KeyError, match="known topics: alpha, beta"):
        valid_bank.topic("gamma")


def test_real_bank_is_valid(real_bank) -> None:
    assert len(real_bank.questions) >= 24
    assert {q.topic for q in real_bank.questions} <= {t.slug for t in real_bank.topics}


# (fixture, line, col, subject, what the message must say)
BAD_INPUTS = [
    ("trailing-comma", 43, 29, "question 'data-drift-basics'", "invalid JSON: trailing comma before ']'; remove it"),
    ("duplicate-key", 33, 7, "question 'batch-vs-stream'", "invalid JSON: duplicate key 'difficulty' (first at line 32); keep only one"),
    ("nan", 42, 21, "question 'data-drift-basics'", "invalid JSON: NaN is not valid JSON; write a number or a string"),
    ("infinity", 32, 21, "question 'batch-vs-stream'", "invalid JSON: Infinity is not valid JSON; write a number or a string"),
    ("bom", 1, 1, "", "byte-order mark"),
    ("not-utf8", 44, 27, "question 'data-drift-basics'", "byte 0xe9 is not valid UTF-8; save the file as UTF-8"),
    ("unknown-field", 35, 7, "question 'batch-vs-stream'", "unknown field 'how_to_anwser'; did you mean 'how_to_answer'?"),
    ("wrong-type", 43, 7, "question 'data-drift-basics'", "'tags' must be of type array, not string; write it as a list in square brackets: [\"monitoring\"]"),
    ("missing-field", 28, 5, "question 'batch-vs-stream'", "missing required field 'example_answer'"),
    ("empty-text", 44, 7, "question 'data-drift-basics'", "'answer' is empty"),
    ("whitespace", 46, 7, "question 'data-drift-basics'", "'example_answer' starts or ends with whitespace"),
    ("oversized", 44, 7, "question 'data-drift-basics'", "over the limit of 8000"),
    ("unknown-topic", 30, 7, "question 'batch-vs-stream'", "unknown topic 'gamma'; use one of: alpha, beta"),
    ("duplicate-id", 39, 7, "question 'what-is-a-gpu'", "id 'what-is-a-gpu' is already used at line 17"),
    ("id-not-slug", 29, 7, "question 'Batch vs Stream'", "is not a slug; use lowercase letters, digits and single hyphens, e.g. 'batch-vs-stream'"),
    ("raw-html-script", 44, 26, "question 'data-drift-basics'", "'answer', at '<script>': raw HTML is not allowed"),
    ("raw-html-img", 44, 26, "question 'data-drift-basics'", "at '<img src=x onerror=alert(1)>': raw HTML is not allowed"),
    ("raw-html-iframe", 44, 26, "question 'data-drift-basics'", "raw HTML is not allowed"),
    ("javascript-link", 34, 115, "question 'batch-vs-stream'", "link target 'javascript:alert(1' is not an https URL"),
    ("http-link", 34, 115, "question 'batch-vs-stream'", "link target 'http://flink.apache.org/' is not an https URL"),
    ("javascript-link-reference", 44, 54, "question 'data-drift-basics'", "link target 'javascript:alert(document.domain)' is not an https URL"),
    ("data-link-reference", 44, 54, "question 'data-drift-basics'", "link target 'data:text/html;base64,PHNjcmlwdD4=' is not an https URL"),
    ("character-reference", 44, 26, "question 'data-drift-basics'", "at '&lt;': HTML character references are not allowed"),
    ("template-syntax", 44, 26, "question 'data-drift-basics'", "template syntax"),
    ("template-block", 44, 26, "question 'data-drift-basics'", "template syntax"),
    ("snippet-marker", 44, 27, "question 'data-drift-basics'", "snippet-include markers"),
    ("attribute-list", 44, 30, "question 'data-drift-basics'", "attribute-list syntax"),
    ("bidi-control", 44, 31, "question 'data-drift-basics'", "RIGHT-TO-LEFT OVERRIDE; delete it"),
    ("zero-width", 44, 30, "question 'data-drift-basics'", "ZERO WIDTH SPACE; delete it"),
    ("lone-surrogate", 44, 31, "question 'data-drift-basics'", "lone surrogate"),
    ("near-duplicate", 41, 7, "question 'data-drift-basics'", "asks nearly the same as question 'what-is-a-gpu'"),
    ("homepage-reference", 26, 60, "question 'what-is-a-gpu'", "'https://www.nvidia.com/' is a homepage; cite the documentation page"),
    ("follow-up-unknown-question", 25, 102, "question 'what-is-a-gpu'",
     "follow-up 2's 'answered_by' names 'data-drift-basic', which is no question's id; did you mean 'data-drift-basics'?"),
    ("follow-up-answers-itself", 25, 95, "question 'what-is-a-gpu'",
     "follow-up 2's 'answered_by' names this question itself"),
    ("missing-rubric", 28, 5, "question 'batch-vs-stream'",
     "missing required field 'rubric'; add 3 to 6 points an interviewer ticks while listening, drawn from 'how_to_answer'"),
    ("rubric-too-short", 36, 102, "question 'batch-vs-stream'", "'rubric' needs at least 3 item(s); add one"),
]


@pytest.mark.parametrize(("name", "line", "col", "subject", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_rejected_with_location(name: str, line: int, col: int, subject: str, message: str) -> None:
    path = FIXTURES / "bad" / f"{name}.json"
    with pytest.raises(BankError) as caught:
        load_bank(path)
    lines = str(caught.value).splitlines()[1:]
    prefix = f"tests/fixtures/bad/{name}.json:{line}:{col}:" + (f" {subject}:" if subject else "")
    matching = [entry for entry in lines if entry.startswith(f"{prefix} ") and message in entry]
    assert matching, f"no line starting {prefix!r} saying {message!r} in:\n" + "\n".join(lines)


def test_every_bad_fixture_is_tested() -> None:
    on_disk = {p.stem for p in (FIXTURES / "bad").glob("*.json")}
    assert on_disk == {b[0] for b in BAD_INPUTS}


def test_loading_never_writes(tmp_path) -> None:
    bank = tmp_path / "questions.json"
    bank.write_bytes((FIXTURES / "bad" / "raw-html-script.json").read_bytes())
    before = bank.read_bytes()
    with pytest.raises(BankError):
        load_bank(bank)
    assert bank.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        "Use `<div>` and `{: .x }` freely in code spans.",
        "Code blocks may hold HTML:\n\n```html\n<script src=\"x.js\"></script>\n```",
        "Latency < 10 ms and a & b are plain text.",
        "A [link](https://example.org/) and a [ref][r].\n\n[r]: https://example.org/r",
    ],
)
def test_text_that_is_allowed(text: str) -> None:
    assert text_problems(text) == ()


def test_near_duplicate_similarity_is_token_based() -> None:
    a = question_tokens("How do you detect data drift in production?")
    b = question_tokens("How would you detect data drift in production systems?")
    c = question_tokens("What is tensor parallelism?")
    assert similarity(a, b) >= 0.75
    assert similarity(a, c) == 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("gpu cache shard batch node queue token drift serve train".split()),
                         min_size=1, max_size=6), max_size=12))
def test_near_duplicate_search_finds_exactly_what_comparing_every_pair_finds(word_lists: list[list[str]]) -> None:
    """Each question that nearly repeats an earlier one is reported once, against the earliest."""
    texts = [" ".join(words) for words in word_lists]
    tokens = [question_tokens(text) for text in texts]
    earliest = {}
    for i in range(len(texts)):
        matches = [j for j in range(i) if similarity(tokens[i], tokens[j]) >= NEAR_DUPLICATE_THRESHOLD]
        if matches:
            earliest[i] = matches[0]
    assert {i: j for i, j, _ in near_duplicate_pairs(texts)} == earliest


def test_near_duplicate_search_stays_near_linear_on_a_crafted_bank() -> None:
    """A bank whose questions all share one small vocabulary (every pair looks alike) or repeat one
    question: the work per question is bounded, so 4,000 questions take well under a few seconds
    (the old pairwise search compared every pair; timed in bench/, not here)."""
    vocabulary = [f"w{n}" for n in range(40)]
    crafted = [" ".join(vocabulary[(n * 7 + k * 3) % 40] for k in range(8)) for n in range(4000)]
    identical = ["the same question every time"] * 4000
    assert len(near_duplicate_pairs(identical)) == 3999, "each repeat reported once, not once per pair"
    reported = near_duplicate_pairs(crafted)
    assert len({i for i, _, _ in reported}) == len(reported)


def _named_by_layout(text: str) -> dict[int, str]:
    """How messages must name each line inside a topic or question object, read off the fixture's
    layout (items open with `    {` and close with `    }`), independently of the loader."""
    names: dict[int, str] = {}
    group, start, lines = None, 0, text.splitlines()
    for number, line in enumerate(lines, 1):
        heading = re.match(r'^  "(topics|questions)": \[', line)
        if heading:
            group = heading.group(1)
        elif group and line == "    {":
            start = number
        elif group and re.fullmatch(r"    \},?", line):
            kind, key = ("question", "id") if group == "questions" else ("topic", "slug")
            body = "\n".join(lines[start - 1:number])
            name = re.search(rf'^      "{key}": "([^"]*)"', body, re.M)
            for inside in range(start, number + 1):
                names[inside] = f"{kind} '{name.group(1)}'" if name else f"{kind} #?"
    return names


BAD_FIXTURES = sorted((FIXTURES / "bad").glob("*.json"))


@pytest.mark.parametrize("path", BAD_FIXTURES, ids=[p.stem for p in BAD_FIXTURES])
def test_error_lines_match_the_documented_format(path) -> None:
    """Every problem is `FILE:LINE:COL: question 'id': what is wrong; how to fix it`, naming the
    question (or topic) whenever the location is inside one."""
    with pytest.raises(BankError) as caught:
        load_bank(path)
    names = _named_by_layout(path.read_bytes().decode("utf-8", errors="replace"))
    lines = str(caught.value).splitlines()[1:]
    assert lines
    for line in lines:
        match = re.match(r"^([\w/.-]+\.json):(\d+):(\d+):( (?:question|topic) '[^']+':)? (.+); (.+)$", line)
        assert match, f"not FILE:LINE:COL: [subject:] what is wrong; how to fix it: {line}"
        assert match.group(1) == f"tests/fixtures/bad/{path.name}"
        expected = names.get(int(match.group(2)))
        subject = (match.group(4) or "").strip().removesuffix(":")
        assert subject == (expected or ""), f"expected {expected or 'no subject'!r}: {line}"
        assert len(match.group(6).strip()) > 3, f"no fix after '; ': {line}"


def _bank_with_question_text(tmp_path, question: str):
    """The valid fixture bank with the second question's object replaced by raw text."""
    text = (FIXTURES / "valid.json").read_text(encoding="utf-8")
    start = text.index('    {\n      "id": "batch-vs-stream"')
    end = text.index("    },", start) + len("    }")
    path = tmp_path / "questions.json"
    path.write_text(text[:start] + question + text[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("question", "where", "message"),
    [
        # The error comes before the id: only a lenient second reading of the whole text finds it.
        ('    {"topic": "beta", "topic": "beta", "id": "late-id"}', "28:23: question 'late-id'", "duplicate key 'topic'"),
        ('    {"tags": [NaN], "id": "late-id"}', "28:15: question 'late-id'", "NaN is not valid JSON"),
        ('    {"tags": ["a",], "id": "late-id"}', "28:19: question 'late-id'", "trailing comma"),
        # Unrecoverable (a missing comma): what was read before the error still names the question.
        ('    {"id": "early-id" "topic": "beta"}', "28:23: question 'early-id'", "expected ',' or '}'"),
        # Nothing names it: its position in the list does.
        ('    {"topic": "beta" "id": "x"}', "28:22: question #2", "expected ',' or '}'"),
    ],
)
def test_syntax_errors_inside_a_question_name_it(tmp_path, question: str, where: str, message: str) -> None:
    path = _bank_with_question_text(tmp_path, question)
    with pytest.raises(BankError) as caught:
        load_bank(path)
    [problem] = caught.value.problems
    assert f"{problem.line}:{problem.col}: {problem.subject}" == where
    assert message in problem.message


def test_syntax_error_outside_any_question_names_none(tmp_path) -> None:
    path = tmp_path / "questions.json"
    path.write_text('{"$schema": "./questions.schema.json", "topics": [], "questions": [],}', encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:70: invalid JSON: expected a property name in double quotes; remove the trailing comma"
    ]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("questions", 0, "tags"), "gpu, basics", """'tags' must be of type array, not string; write it as a list in square brackets: ["gpu", "basics"]"""),
        (("questions", 0, "tags"), 7, """'tags' must be of type array, not integer; write it as a list in square brackets, e.g. ["first", "second"]"""),
        (("questions", 0, "answer"), 5, """'answer' must be of type string, not integer; put it in double quotes: "5\""""),
        (("questions", 0, "answer"), None, """'answer' must be of type string, not null; write the text in double quotes, e.g. "...\""""),
        (("questions", 0, "references", 0), ["x"], """'references' must be of type object, not array; write it as an object in braces: {"title": "...", "url": "https://..."}"""),
        (("topics", 1), "beta", """'topics' must be of type object, not string; write it as an object in braces: {"slug": "...", "title": "...", "description": "..."}"""),
        (("$schema",), "questions.schema.json", """'$schema' must be "./questions.schema.json", not "questions.schema.json"; set it to exactly "./questions.schema.json\""""),
        (("questions", 0, "tags"), [], "'tags' needs at least 1 item(s); add one"),
        (("questions", 0, "follow_ups"), [], "'follow_ups' needs at least 1 item(s); add one or remove the field"),
    ],
)
def test_wrong_values_get_a_fix(tmp_path, path: tuple, value: object, message: str) -> None:
    document = json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))
    *parents, last = path
    target = document
    for key in parents:
        target = target[key]
    target[last] = value
    bank = tmp_path / "questions.json"
    bank.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert message in [p.message for p in caught.value.problems]


@pytest.mark.parametrize("text", ["[`" * 4000, "``a`" * 2000, "[a](" * 2000, "![[" * 2000])
def test_text_that_would_make_markdown_slow_is_refused_at_once(text: str) -> None:
    """Conversion grows with the square of these runs; the cap refuses them before any regex runs."""
    found = text_problems(text)
    assert any("at most 64 and 400 are allowed" in message for message in found), found


def test_backtick_heavy_text_is_checked_in_linear_time() -> None:
    """Under the cap, code spans and fences are found by linear scans that agree with Markdown."""
    text = "a `b` c ``d`e`` `unclosed ```\n<b> inside a fence\n```\n<i>"
    assert code_spans("x `y` ``z`` `w") == [(2, 5), (6, 11)]
    assert fenced_blocks("p\n```py\n<b>\n```\nq") == [(2, 15)]
    assert text_problems(text) == ("raw HTML is not allowed; use Markdown, or put code in backticks",)


@pytest.mark.parametrize("follow_up", [
    {"question": "How would you notice drift?"},
    {"question": "How would you notice drift?", "answered_by": "data-drift-basics", "note": "x"},
    {"question": "How would you notice drift?", "answered_by": "Data Drift"},
])
def test_a_misshapen_follow_up_object_is_refused_at_its_line(tmp_path, follow_up) -> None:
    document = json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))
    document["questions"][0]["follow_ups"] = [follow_up]
    bank = tmp_path / "questions.json"
    bank.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(bank, display="questions.json")
    lines = str(caught.value).splitlines()[1:]
    assert lines
    assert all(line.startswith("questions.json:") and "question 'what-is-a-gpu':" in line for line in lines)
