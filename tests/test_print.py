"""The printable view: a front page linking one printable page per topic (part), each with every
answer open, printed to PDF by Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from qbank.bank import Bank

pytestmark = pytest.mark.browser


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", text).lower())


def test_print_index_links_every_topic(page: Page, site_url: str, real_bank: Bank) -> None:
    page.goto(f"{site_url}print/")
    for topic in real_bank.topics:
        link = page.locator("article").get_by_role("link", name=topic.title.value, exact=True)
        expect(link).to_have_attribute("href", re.compile(rf"(^|/)print/{topic.slug}/$"))


def test_every_printable_page_opens_all_its_questions(page: Page, site_url: str, real_bank: Bank) -> None:
    page.emulate_media(media="print")
    for topic in real_bank.topics:
        page.goto(f"{site_url}print/{topic.slug}/")
        expect(page.locator("details.qa[open]")).to_have_count(len(real_bank.questions_in(topic.slug)))
        expect(page.locator("details.qa:not([open])")).to_have_count(0)


def test_a_printed_topic_has_every_question_and_answer_and_no_navigation(page: Page, site_url: str,
                                                                         real_bank: Bank, tmp_path: Path) -> None:
    """Chromium's PDF of the largest topic, read back as text. (The print pages share one template
    and one stylesheet; the test above opens every one of them. Reading a PDF's text back takes
    about 9 s per 100 pages, so one topic is printed.)"""
    topic = max(real_bank.topics, key=lambda t: len(real_bank.questions_in(t.slug)))
    questions = real_bank.questions_in(topic.slug)
    page.emulate_media(media="print")
    page.goto(f"{site_url}print/{topic.slug}/")
    expect(page.locator("details.qa[open]")).to_have_count(len(questions))
    pdf = tmp_path / f"{topic.slug}.pdf"
    page.pdf(path=str(pdf), format="A4")

    reader = PdfReader(pdf)
    pages = [p.extract_text() for p in reader.pages]
    words = _plain(" ".join(pages))
    assert _plain(pages[0]).lstrip().startswith(_plain(topic.title.value)), "the printout starts with the topic title"
    for question in questions:
        start = " ".join(_plain(question.question.value).split()[:6])
        assert start in words, question.id
        assert " ".join(_plain(question.example_answer.source).split()[:6]) in words, f"{question.id}: answer printed"
    text = " ".join(pages)
    assert "Suggest an edit" not in text, "contribution links are not printed"
    for label in ("Printable view", "Downloads"):
        assert label not in text, "navigation is not printed"
