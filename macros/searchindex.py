"""Post-processing of Material's search index: one search result per question, and no text that
only repeats what the entry already holds.

Material groups search hits by the part of their location before "#", and heads each group with
the entry that has no "#": the page itself. So the first result for a word inside an answer
would link to the top of the topic page. Giving each question a location of its own without "#"
(its topic page with ``?qid=<id>``) makes it the head of its own result; the page script turns
``?qid=`` into the question's ``#<id>`` anchor and opens its answer.

A question's entry keeps its meta line and the answer's opening word for word (the result
preview); the rest of the block mostly restates it, so of the rest the entry keeps only the words
it does not hold yet, less the stop words that search drops anyway. Every word a reader can find
stays searchable, and the index is about half the size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from macros.render import ANSWER_LABEL, LATER_LABELS, SUMMARY

# Read by docs/javascripts/questions.js; not "q", which Material's search sharing uses.
QUERY_PARAMETER = "qid"

# Material's text for the block starts with the summary and the first label (see render.py).
_BOILERPLATE = re.compile(rf"\s*{SUMMARY} {ANSWER_LABEL}\s*(?=<)")
_LATER_SECTIONS = re.compile(r"(?:^|(?<=>))\s*(?:" + "|".join(LATER_LABELS) + r")\s*(?=<|$)")
_TAG = re.compile(r"<[^>]*>")
# The answer is kept word for word up to the end of the first block past this many characters.
PREVIEW_CHARACTERS = 200
_BLOCK_END = re.compile(r"</(?:p|ul|ol|pre|table|blockquote)>")
# lunr's English stop words, which Material's search pipeline (stopWordFilter) never indexes.
STOP_WORDS = frozenset("""a able about across after all almost also am among an and any are as at be because been but
by can cannot could dear did do does either else ever every for from get got had has have he her hers him his how
however i if in into is it its just least let like likely may me might most must my neither no nor not of off often
on only or other our own rather said say says she should since so some than that the their them then there these
they this tis to too twas us wants was we were what when where which while who whom why will with would yet you
your""".split())


def question_location(page_url: str, question_id: str) -> str:
    """Where a question's search entry links: its topic page (part), naming the question."""
    return f"{page_url}?{QUERY_PARAMETER}={question_id}"


def _words(text: str, separator: re.Pattern[str]) -> list[str]:
    return [w for w in separator.split(_TAG.sub(" ", text).lower()) if w]


def condense(text: str, separator: re.Pattern[str]) -> str:
    """A question entry's text: no boilerplate labels; the meta line and the answer's opening (its
    blocks up to PREVIEW_CHARACTERS) as they are, then only the words of the rest that are new and
    not stop words."""
    text = _BOILERPLATE.sub(" ", text, count=1)
    block_end = _BLOCK_END.search(text, text.find("</p>") + PREVIEW_CHARACTERS)
    head, rest = (text[:block_end.end()], text[block_end.end():]) if block_end else (text, "")
    seen = set(_words(head, separator)) | STOP_WORDS
    new: list[str] = []
    for word in _words(_LATER_SECTIONS.sub(" ", rest), separator):
        if word not in seen:
            seen.add(word)
            new.append(word)
    return head.strip() + (" " + " ".join(new) if new else "")


def question_sections(pages: Mapping[str, str]) -> dict[str, str]:
    """Each question's section location as Material writes it (``<page>#<id>``; pages: question id
    -> its page URL), mapped to the location of its own search entry."""
    return {f"{url}#{qid}": question_location(url, qid) for qid, url in pages.items()}


def split_questions(entries: list[dict], sections: Mapping[str, str], separator: re.Pattern[str]) -> None:
    """Move every question section (see question_sections) to a location of its own and condense
    its text, in place in the search plugin's entries, before it writes its index."""
    for entry in entries:
        location = sections.get(entry["location"])
        if location:
            entry["location"] = location
            entry["text"] = condense(entry["text"], separator)
