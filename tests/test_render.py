"""Rendering: golden files of the Markdown each page gets, and what contributor text cannot do.

Regenerate the golden files after an intended change with: UPDATE_GOLDEN=1 python -m pytest tests/test_render.py
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from qbank import render
from qbank.bank import Question
from qbank.related import related_questions
from qbank.routes import Routes, TopicPart
from qbank.safety import unsafe_markup
from qbank.text import MarkdownText, PlainText, Slug

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual, f"{path} differs; see the diff above"


def test_question_golden(valid_bank) -> None:
    assert_golden("question.md", render.render_question(valid_bank.questions[0]))


def test_question_with_contribution_links_golden(valid_bank) -> None:
    links = render.SiteLinks("https://github.com/o/r", "https://o.github.io/r/")
    question = valid_bank.questions[0]
    assert_golden("question-with-links.md", render.render_question(question, links, valid_bank.lines[question.id]))


def test_topic_page_golden(valid_bank) -> None:
    topic = valid_bank.topic("alpha")
    assert_golden("topic-page.md", render.render_topic_page(topic, valid_bank.questions_in("alpha")))


def _question_links(bank, base: str = "../../") -> render.QuestionLinks:
    routes = Routes(bank)
    return render.QuestionLinks(bank.by_id, {q.id: routes.question_url(q) for q in bank.questions},
                                related_questions(bank), base)


def test_answer_block_with_question_links_golden(valid_bank) -> None:
    question = valid_bank.questions[0]
    links = _question_links(valid_bank)
    assert_golden("answer-block-with-links.md",
                  render.render_meta(question, None, None, links) + "\n"
                  + render.render_answer_block(question, links=links))


def test_tag_page_golden(valid_bank) -> None:
    routes = Routes(valid_bank)
    tagged = tuple(q for q in valid_bank.questions if "scenario" in q.tags)
    topics = {t.slug: t for t in valid_bank.topics}
    sources = {q.id: routes.question_source(q) for q in valid_bank.questions}
    assert_golden("tag-page.md", render.render_tag_page(Slug("scenario"), tagged, topics, sources))


def test_tags_index_golden(valid_bank) -> None:
    assert_golden("tags-index.md", render.render_tags_index(valid_bank.questions))


def test_each_tag_chip_links_to_its_page_from_where_the_page_is(valid_bank) -> None:
    question = valid_bank.questions[0]
    meta = render.render_meta(question, None, None, _question_links(valid_bank, "../../"))
    assert '<a class="qa-tag" href="../../tags/gpu/" title="Every question tagged gpu">#gpu</a>' in meta
    assert '<a class="qa-tag" href="../../tags/basics/"' in meta
    assert '<span class="qa-tag">' in render.render_meta(question), "without the site's links, chips stay text"


def test_a_follow_up_links_to_the_question_that_answers_it_and_only_then(valid_bank) -> None:
    block = render.render_answer_block(valid_bank.questions[0], links=_question_links(valid_bank))
    follow_ups = block[block.index('<div class="qa-follow-ups">'):]
    follow_ups = follow_ups[:follow_ups.index("</div>")]
    assert "<li>What is a warp?</li>" in follow_ups
    assert ('<li><a href="../../topics/alpha/#data-drift-basics" title="Answered in the bank: How do you notice '
            'that input data has drifted away from training data?">How would you notice that live inputs drift?'
            "</a></li>") in follow_ups
    assert follow_ups.count("<a ") == 1


def test_related_questions_close_the_answer_block_and_skip_linked_follow_ups(valid_bank) -> None:
    first, _, drift = valid_bank.questions
    drift = dataclasses.replace(drift, tags=(*drift.tags, Slug("gpu")))  # now shares #gpu with the first
    bank = dataclasses.replace(valid_bank, questions=(first, valid_bank.questions[1], drift))
    links = _question_links(bank)
    block = render.render_answer_block(drift, links=links)
    related = block[block.index('<h3 class="qa-label">Related questions</h3>'):]
    assert related == ('<h3 class="qa-label">Related questions</h3>\n<div class="qa-related">\n<ul>\n'
                       '<li><a href="../../topics/alpha/#what-is-a-gpu">What is a GPU and why does torch.compile care?'
                       "</a></li>\n</ul>\n</div>\n</details>"), "the last part of the block"
    assert ">Related questions<" not in render.render_answer_block(first, links=links), \
        "its only tag-mate already answers one of its follow-ups"


def test_topic_cards_golden(valid_bank) -> None:
    assert_golden("topic-cards.md", render.render_topic_cards(valid_bank))


def test_bank_stats_golden(valid_bank) -> None:
    assert_golden("bank-stats.md", render.render_bank_stats(valid_bank))


def test_answer_block_is_closed_and_holds_every_part(valid_bank) -> None:
    out = render.render_question(valid_bank.questions[0])
    details = out[out.index('<details class="qa" '):]
    assert details.startswith('<details class="qa" data-question="what-is-a-gpu">')
    assert " open" not in details.split(">", 1)[0]
    for label in ("Answer", "How to answer", "Example answer", "Follow-up questions", "References"):
        assert f">{label}</h3>" in details
    assert "\n\n" not in details, "a blank line would end the raw HTML block early"


def test_a_closed_answer_has_the_place_for_the_readers_own_answer_and_a_printed_one_has_none(valid_bank) -> None:
    question = valid_bank.questions[0]
    own = f'<details class="qa-own" data-question="{question.id}"'
    closed, printed = render.render_question(question), render.render_question(question, open_answer=True)
    assert own in closed
    assert closed.index(own) < closed.index('<details class="qa" ')
    assert "qa-own" not in printed


def test_optional_parts_are_left_out_when_absent(valid_bank) -> None:
    out = render.render_question(valid_bank.questions[1])
    assert "Follow-up questions" not in out
    assert "References" not in out


def _question(answer: str, question: str = "Is this safe?") -> Question:
    return Question(
        id=Slug("payload"), topic=Slug("alpha"), question=PlainText(question), difficulty="advanced",
        tags=(Slug("x"),), answer=MarkdownText(answer), how_to_answer=MarkdownText("h"),
        example_answer=MarkdownText("e"),
    )


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "[click](javascript:alert(1))",
        "[click][r]\n\n[r]: data:text/html;base64,PHNjcmlwdD4=",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        'text{: onclick="alert(1)" }',
        "<div markdown>*x*</div>",
    ],
)
def test_raw_html_from_contributor_text_never_reaches_the_page(payload: str) -> None:
    """Even if validation were bypassed, the rendered block holds no live markup from the payload."""
    out = render.render_question(_question(payload))
    block = out[out.index("<details"):]
    assert unsafe_markup(block) == [], block
    assert "<div markdown" not in block, "md_in_html must not re-enable Markdown inside the block"


def test_unsafe_markup_finds_live_markup() -> None:
    assert unsafe_markup('<p>&lt;script&gt; is text</p><a href="https://x.example">ok</a>') == []
    found = unsafe_markup('<img src=x onerror=alert(1)><a href=" JavaScript:alert(1)">x</a><iframe></iframe>')
    assert found == ["<img> element", "onerror= attribute on <img>", "javascript: URL in href= on <a>", "<iframe> element"]


def test_question_heading_is_inert_markdown() -> None:
    out = render.render_question(_question("a", question="Why *not* <b>bold</b> {: #x } [link](javascript:x)?"))
    heading = out.splitlines()[0]
    assert heading.endswith("{ #payload }")
    assert "\\*not\\*" in heading
    assert "\\<b\\>" in heading
    assert "\\{\\: \\#x \\}" in heading


@pytest.mark.parametrize("markdown", ["```{.md-dialog--active .python}\nx = 1\n```",
                                      "```{.python .md-consent__overlay data-md-state=x}\nx = 1\n```"])
def test_fence_attributes_cannot_put_theme_classes_on_the_page(markdown: str) -> None:
    html = render.Renderer()(MarkdownText(markdown))
    assert "md-" not in html
    assert "data-md" not in html
    assert "highlight" in html, "the highlighter's own classes stay"


def test_markdown_lists_tables_and_code_render() -> None:
    html = render.Renderer()(MarkdownText("Steps:\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```"))
    assert "<ul>\n<li>one</li>" in html
    assert "<table>" in html
    assert '<div class="highlight"><pre>' in html


def test_deferred_answer_blocks_fill_in_to_the_same_page(valid_bank) -> None:
    links = render.SiteLinks("https://github.com/o/r", "https://o.github.io/r/")
    for question in valid_bank.questions:
        for open_answer in (False, True):
            for shown in (None, links):
                deferred = render.render_question(question, shown, open_answer=open_answer, defer_answer=True)
                assert "<details" not in deferred
                assert "qa-meta" not in deferred, "the meta line is filled in after conversion too"
                filled = render.fill_answer_blocks(deferred, valid_bank.by_id, links, valid_bank.lines)
                direct = render.render_question(question, shown, valid_bank.lines[question.id], open_answer)
                # The same page; only the blank line Markdown drops between two HTML blocks differs.
                assert filled == direct.replace("</p>\n\n<details", "</p>\n<details")



def test_a_topic_page_links_to_practising_its_topic_and_a_printable_page_does_not(valid_bank) -> None:
    topic = valid_bank.topic("alpha")
    questions = valid_bank.questions_in("alpha")
    later = TopicPart(number=2, count=2, first=2, questions=questions[1:])
    link = "[Practise this topic](../practice.md?topic=alpha)"
    assert link in render.render_topic_page(topic, questions)
    assert "[Practise this topic](../../practice.md?topic=alpha)" in render.render_topic_page(
        topic, questions, part=later), "a later part's page file is one folder deeper"
    assert "Practise this topic" not in render.render_print_page(topic, questions, later)


def test_a_topic_page_links_to_a_mock_interview_on_its_topic_and_a_printable_page_does_not(valid_bank) -> None:
    topic = valid_bank.topic("alpha")
    questions = valid_bank.questions_in("alpha")
    later = TopicPart(number=2, count=2, first=2, questions=questions[1:])
    assert "[Mock interview](../mock.md?topic=alpha)" in render.render_topic_page(topic, questions)
    assert "[Mock interview](../../mock.md?topic=alpha)" in render.render_topic_page(topic, questions, part=later)
    assert "Mock interview" not in render.render_print_page(topic, questions, later)


def test_python_markdown_still_names_what_passes_raw_html_through() -> None:
    """qbank/render.py turns raw HTML off by these names (Python-Markdown has no option for it): an
    upgrade that renames them fails here, saying which, rather than in every build."""
    import markdown

    md = markdown.Markdown()
    assert render.RAW_HTML_PREPROCESSOR in md.preprocessors, (
        f"Python-Markdown {markdown.__version__} has no preprocessor {render.RAW_HTML_PREPROCESSOR!r}: "
        "qbank/render.py can no longer turn raw HTML blocks off")
    assert render.RAW_HTML_INLINE_PATTERN in md.inlinePatterns, (
        f"Python-Markdown {markdown.__version__} has no inline pattern {render.RAW_HTML_INLINE_PATTERN!r}: "
        "qbank/render.py can no longer turn inline raw HTML off")
    md.preprocessors.register(markdown.preprocessors.Preprocessor(md), "probe", render.BLOCK_SPACING_PRIORITY)
    assert md.preprocessors.get_index_for_name("normalize_whitespace") < md.preprocessors.get_index_for_name(
        "probe"), "block spacing must run after normalize_whitespace"


@pytest.mark.parametrize("source", ["<b>bold</b> in a line", "<div>\nblock\n</div>", "<!-- note -->"])
def test_raw_html_in_contributor_markdown_is_shown_as_text(source: str) -> None:
    html = render.Renderer()(MarkdownText(source))
    assert "&lt;" in html, html
    assert "<b>" not in html, html
    assert "<div>" not in html, html
