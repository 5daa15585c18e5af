"""Pure rendering: typed bank objects in, page Markdown (with sanitized HTML blocks) out.

Bank text reaches a page only through its type's escape (qbank/text.py): plain text is escaped
for HTML or, in page Markdown, fully backslash-escaped; contributor Markdown is converted by a
Markdown instance with raw HTML, attribute lists and includes switched off, then cleaned by an
allow-list sanitizer (nh3) that also keeps only the classes the code highlighter writes.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

import markdown
import nh3
from markdown.preprocessors import Preprocessor
from markupsafe import Markup, escape
from pygments.token import STANDARD_TYPES

from qbank import diagrams
from qbank.bank import SCENARIO_TAG, Bank, FollowUp, Question, Topic, counts
from qbank.labels import (
    ANSWER_LABEL,
    DIAGRAM_LABEL,
    EXAMPLE_LABEL,
    FOLLOW_UPS_LABEL,
    HOW_LABEL,
    NUMBERS_LABEL,
    REFERENCES_LABEL,
    RELATED_LABEL,
    RUBRIC_LABEL,
    SUMMARY,
)
from qbank.routes import (
    NUMBERS_URL,
    PRINT_PAGES,
    TAGS_INDEX,
    TOPIC_PAGES,
    TopicPart,
    mock_link,
    part_link,
    part_source,
    practice_link,
    question_permalink,
    tag_source,
    tag_url,
    topic_source,
)
from qbank.text import MarkdownText, PlainText, Slug

# Bump when the HTML this module produces changes shape (golden files show the difference).
RENDERER_VERSION = 1


LABELS = {"foundational": "Foundational", "intermediate": "Intermediate", "advanced": "Advanced"}

_ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "strong", "em", "code", "pre", "span", "div", "table", "thead", "tbody",
    "tr", "th", "td", "a", "blockquote", "br", "hr", "del", "sub", "sup",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
}
# The only classes contributor Markdown may put on the page: those of highlighted code (Pygments'
# token classes, the block's "highlight" and its "language-*"). A fence's {.class} could otherwise
# name one of the theme's own classes (md-dialog--active, md-consent__overlay, ...) and restyle it.
_CODE_CLASSES = frozenset({*STANDARD_TYPES.values(), "highlight"}) - {""}
_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9_+-]{1,40}")


def _allowed_classes(element: str, attribute: str, value: str) -> str | None:  # noqa: ARG001 - nh3 signature
    """nh3's attribute filter: keep only allow-listed classes."""
    if attribute != "class":
        return value
    kept = [c for c in value.split() if c in _CODE_CLASSES or _LANGUAGE_CLASS.fullmatch(c)]
    return " ".join(kept) or None


_LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s+\S")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")


class _BlockSpacing(Preprocessor):
    """Let lists, tables and code fences start right after a paragraph line, as on GitHub.

    Python-Markdown needs a blank line around these blocks; contributors rarely write one.
    """

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        fence = ""
        after_fence = False
        for line in lines:
            marker = _FENCE_LINE.match(line)
            opens = bool(marker) and not fence
            closes = bool(marker) and bool(fence) and marker.group(1).startswith(fence)
            if after_fence and line.strip():
                result.append("")
            after_fence = False
            starts_block = opens or (not fence and self._starts_block(line, result))
            if starts_block and result and result[-1].strip():
                result.append("")
            result.append(line)
            if opens:
                fence = marker.group(1)[:3]
            elif closes:
                fence, after_fence = "", True
        return result

    @staticmethod
    def _starts_block(line: str, result: list[str]) -> bool:
        if not result:
            return False
        previous = result[-1]
        if _LIST_ITEM.match(line):
            return not (_LIST_ITEM.match(previous) or previous.startswith((" ", "\t")))
        return line.lstrip().startswith("|") and not previous.lstrip().startswith("|")


# Python-Markdown has no option to turn raw HTML off: its documented way (the 2.6 release notes on
# safe_mode; the extension API lists these default processors by name and priority) is to deregister,
# by name, the block preprocessor and the inline pattern that pass raw HTML through. Then the
# serializer escapes it. If an upgrade renames them, deregister raises and the build stops with
# the message below; tests/test_render.py checks the names and that raw HTML comes out as text.
RAW_HTML_PREPROCESSOR = "html_block"
RAW_HTML_INLINE_PATTERN = "html"
# The blank lines _BlockSpacing adds are needed after normalize_whitespace (priority 30) has run and
# before the block parser reads the lines.
BLOCK_SPACING_PRIORITY = 29


def _contributor_markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"anchor_linenums": False}},
        output_format="html",
    )
    # Raw HTML in contributor text is shown as text, never passed through.
    try:
        md.preprocessors.deregister(RAW_HTML_PREPROCESSOR)
        md.inlinePatterns.deregister(RAW_HTML_INLINE_PATTERN)
    except ValueError:
        raise RuntimeError(
            f"Python-Markdown {markdown.__version__} has no preprocessor {RAW_HTML_PREPROCESSOR!r} or inline "
            f"pattern {RAW_HTML_INLINE_PATTERN!r}: find what passes raw HTML through now and deregister "
            "that in qbank/render.py, or pin the previous Markdown") from None
    md.preprocessors.register(_BlockSpacing(md), "block_spacing", BLOCK_SPACING_PRIORITY)
    return md


def _clean(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"https"},
        link_rel="noopener",
        attribute_filter=_allowed_classes,
    )


# What a stored conversion depends on besides the text: this module's code (so any change to the
# renderer, even one that forgets RENDERER_VERSION, converts afresh) and the libraries it runs.
RENDER_SALT = (f"renderer {RENDERER_VERSION} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}; "
               + ", ".join(f"{name} {metadata.version(name)}" for name in ("markdown", "pymdown-extensions", "nh3")))


def render_key(text: str) -> str:
    """The key of a text's conversion: a hash of the text and of what converts it."""
    return hashlib.sha256(f"{RENDER_SALT}\0{text}".encode()).hexdigest()


class Renderer:
    """Contributor Markdown to sanitized HTML, remembering its conversions.

    One per build (qbank/site.py's Build holds it). A build renders each text for several outputs
    (topic page, printable view, practice cards, Anki deck, search), so each text is converted
    once, remembered by a digest of the text; conversions stored by an earlier build (see
    qbank/rendercache.py) are offered through `stored` and sanitized again, so a tampered store
    cannot bring in live markup. `used` is what this build converted or reused: what the next
    build needs stored.
    """

    def __init__(self, stored: Mapping[str, str] | None = None) -> None:
        self._md = _contributor_markdown()
        self._converted: dict[str, str] = {key: _clean(value) for key, value in (stored or {}).items()}
        self.used: dict[str, str] = {}

    def __call__(self, text: MarkdownText) -> Markup:
        """The text as sanitized HTML."""
        source = text.source
        key = render_key(source)
        if key not in self._converted:
            self._md.reset()
            try:
                self._converted[key] = _clean(self._md.convert(source))
            except RecursionError:  # the checks refuse such nesting; this holds if they were bypassed
                raise ValueError("Markdown nested too deeply to convert: " + source[:80]) from None
        self.used[key] = self._converted[key]
        return Markup(self._converted[key])

    def next_build(self) -> Renderer:
        """A renderer for the next build in the same process (`mkdocs serve`): it keeps every
        conversion made so far, already sanitized, and starts a new record of what is used."""
        successor = Renderer()
        successor._converted = self._converted
        return successor


@dataclass(frozen=True)
class NumberLinks:
    """What an answer block needs to link the figures it uses: each entry's title by id, and the
    relative path from the page to the site root."""

    titles: Mapping[str, PlainText]
    base: str = ""


@dataclass(frozen=True)
class QuestionLinks:
    """What a page needs to link to other questions and to tag pages: every question by id with its
    site-relative URL, each question's related questions, and the relative path from the page to
    the site root."""

    questions: Mapping[str, Question]
    urls: Mapping[str, str]
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    base: str = ""

    def question(self, question_id: str) -> Markup:
        """The link to a question, for an href."""
        return escape(self.base + self.urls[question_id])

    def tag(self, tag: Slug) -> Markup:
        """The link to a tag's page, for an href."""
        return escape(self.base + tag_url(tag))


@dataclass(frozen=True)
class SiteLinks:
    """Where each question's "Suggest an edit" and "Report a problem" links lead."""

    repo_url: str
    site_url: str
    bank_path: str = "data/questions.json"
    branch: str = "main"

    def edit(self, line: int | None) -> str:
        """The bank on GitHub, at the question's line when known."""
        anchor = f"#L{line}" if line else ""
        return f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{self.bank_path}{anchor}"

    def report(self, question: Question) -> str:
        """The "wrong or unclear answer" issue form, prefilled with the question's id and link."""
        link = f"{self.site_url.rstrip('/')}/{question_permalink(question.topic, question.id)}"
        query = urlencode({
            "template": "report-answer.yml",
            "title": f"Answer problem: {question.id}",
            "question-id": question.id,
            "question-link": link,
        })
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


def _contribution_links(question: Question, links: SiteLinks, line: int | None) -> str:
    # data-search-exclude: Material leaves these labels out of the search index.
    edit = html.escape(links.edit(line))
    report = html.escape(links.report(question))
    return (
        f' <span class="qa-actions" data-search-exclude>'
        f'<a href="{edit}" title="Open this question in the bank on GitHub to propose a change">Suggest an edit</a>'
        f' · <a href="{report}" title="Open an issue about this answer">Report a problem</a></span>'
    )


def _section(label: str, body: str, css: str) -> str:
    return f'<h3 class="qa-label">{label}</h3>\n<div class="{css}">\n{body}\n</div>'


def _follow_up_item(follow_up: FollowUp, links: QuestionLinks | None) -> str:
    """A follow-up, linked to the bank question that answers it when there is one."""
    target = follow_up.answered_by
    if links is None or target is None or target not in links.urls:
        return f"<li>{follow_up.question.html()}</li>"
    answer = links.questions[target].question.html()
    return (f'<li><a href="{links.question(target)}" title="Answered in the bank: {answer}">'
            f"{follow_up.question.html()}</a></li>")


def render_answer_block(question: Question, open_answer: bool = False, to_html: Renderer | None = None,
                        numbers: NumberLinks | None = None, links: QuestionLinks | None = None) -> str:
    """The collapsible block: answer, how to answer, example answer, follow-ups (linked to the
    questions that answer them, with `links`), the figures it uses (with `numbers`), references, and
    related questions (with `links`)."""
    to_html = to_html or Renderer()
    sections = [
        _section(ANSWER_LABEL, to_html(question.answer), "qa-answer"),
        *([_section(DIAGRAM_LABEL, diagrams.render_figure(question.diagram, question.id), "qa-diagram-section")]
          if question.diagram else []),
        _section(HOW_LABEL, to_html(question.how_to_answer), "qa-how"),
    ]
    if question.rubric:
        items = "\n".join(f"<li>{point.html()}</li>" for point in question.rubric)
        sections.append(_section(RUBRIC_LABEL, f"<ul>\n{items}\n</ul>", "qa-rubric"))
    sections.append(_section(EXAMPLE_LABEL, to_html(question.example_answer), "qa-example"))
    if question.follow_ups:
        items = "\n".join(_follow_up_item(f, links) for f in question.follow_ups)
        sections.append(_section(FOLLOW_UPS_LABEL, f"<ul>\n{items}\n</ul>", "qa-follow-ups"))
    if question.numbers and numbers:
        items = "\n".join(f'<li><a href="{numbers.base}{NUMBERS_URL}#{n}">{numbers.titles[n].html()}</a></li>'
                          for n in question.numbers if n in numbers.titles)
        sections.append(_section(NUMBERS_LABEL, f"<ul>\n{items}\n</ul>", "qa-numbers-used"))
    if question.references:
        items = "\n".join(
            f'<li><a href="{r.url.html()}" rel="noopener">{r.title.html()}</a></li>'
            for r in question.references
        )
        cleaned = _clean(f"<ul>\n{items}\n</ul>")
        sections.append(_section(REFERENCES_LABEL, cleaned, "qa-references"))
    related = links.related.get(question.id, ()) if links else ()
    if related:
        items = "\n".join(f'<li><a href="{links.question(r)}">{links.questions[r].question.html()}</a></li>'
                           for r in related)
        sections.append(_section(RELATED_LABEL, f"<ul>\n{items}\n</ul>", "qa-related"))
    body = "\n".join(sections)
    details = (
        f'<details class="qa" data-question="{question.id}"{" open" if open_answer else ""}>\n'
        f'<summary>{SUMMARY}</summary>\n{body}\n</details>'
    )
    # Raw HTML blocks end at a blank line; the block is kept free of them.
    return re.sub(r"\n\s*\n", "\n", details)


# Study controls that take room on the page are in it from the start, so nothing moves when
# study.js comes in and makes them work (without script, stylesheets/noscript.css hides them): the
# box where a reader writes their own answer before opening ours, and the random question.
OWN_ANSWER_PROMPT = "Write your answer first"
# An element in a button's role, since the page content holds no <button> (qbank/hardening.py).
RANDOM_ROW = ('<p class="qa-random-row" data-search-exclude><span class="md-button qa-practice__button qa-random" '
              'role="button" tabindex="0">Random question from this topic</span></p>')


def render_own_answer_place(question: Question) -> str:
    """The folded box for the reader's own answer, before a closed answer block."""
    return (f'<details class="qa-own" data-question="{question.id}" data-search-exclude>'
            f'<summary class="qa-own__summary">{OWN_ANSWER_PROMPT}</summary></details>\n')


# A deferred question body: a one-line comment in the page's Markdown, replaced by the meta line
# and answer block after the page is converted (fill_answer_blocks), so Python-Markdown never has
# to parse those large blocks of HTML. The result is the same page.
_PLACEHOLDER_START = "<!-- qa-answer "
_PLACEHOLDER = _PLACEHOLDER_START + "{id} {state} {links} -->"
PLACEHOLDER_PATTERN = re.compile(r"<!-- qa-answer ([a-z0-9-]+) (open|closed) (linked|plain) -->")


def fill_answer_blocks(page_html: str, questions: Mapping[str, Question], links: SiteLinks | None = None,
                       lines: Mapping[str, int] | None = None, to_html: Renderer | None = None,
                       numbers: NumberLinks | None = None, question_links: QuestionLinks | None = None) -> str:
    """Replace every deferred placeholder in converted page HTML with its meta line and answer block."""
    if _PLACEHOLDER_START not in page_html:
        return page_html
    lines = lines or {}
    to_html = to_html or Renderer()

    def body(match: re.Match[str]) -> str:
        question = questions[match.group(1)]
        shown = links if match.group(3) == "linked" else None
        open_answer = match.group(2) == "open"
        return (render_meta(question, shown, lines.get(question.id), question_links) + "\n"
                + ("" if open_answer else render_own_answer_place(question))
                + render_answer_block(question, open_answer, to_html, numbers, question_links))

    return PLACEHOLDER_PATTERN.sub(body, page_html)


def _tag_chip(tag: Slug, links: QuestionLinks | None) -> str:
    if links is None:
        return f'<span class="qa-tag">#{escape(tag)}</span>'
    return f'<a class="qa-tag" href="{links.tag(tag)}" title="Every question tagged {escape(tag)}">#{escape(tag)}</a>'


def render_meta(question: Question, links: SiteLinks | None = None, line: int | None = None,
                question_links: QuestionLinks | None = None) -> str:
    """The line under a question's heading: difficulty, tags (linked to their pages, with
    question_links) and (with links) the contribution links."""
    difficulty = question.difficulty
    tags = " ".join(_tag_chip(tag, question_links) for tag in question.tags)
    actions = _contribution_links(question, links, line) if links else ""
    reviewed = (f' <span class="qa-reviewed" title="When this answer was last checked for accuracy">'
                f"reviewed {question.reviewed.html()}</span>") if question.reviewed else ""
    return (
        f'<p class="qa-meta"><span class="qa-difficulty qa-difficulty--{difficulty}">'
        f"{LABELS[difficulty]}</span> {tags}{reviewed}{actions}</p>"
    )


def render_question(question: Question, links: SiteLinks | None = None, line: int | None = None,
                    open_answer: bool = False, defer_answer: bool = False, to_html: Renderer | None = None) -> str:
    """One question: its heading (anchor = id), meta line and answer block (closed unless open_answer).

    With defer_answer the meta line and block are a placeholder for fill_answer_blocks to replace
    after conversion.
    """
    heading = f"## {question.question.markdown()} {{ #{question.id} }}\n\n"
    if defer_answer:
        state = "open" if open_answer else "closed"
        return heading + _PLACEHOLDER.format(id=question.id, state=state, links="linked" if links else "plain") + "\n"
    own = "" if open_answer else render_own_answer_place(question)
    block = render_answer_block(question, open_answer, to_html)
    return f"{heading}{render_meta(question, links, line)}\n\n{own}{block}\n"


def render_part_nav(slug: str, part: TopicPart, folder: str = TOPIC_PAGES, closing: bool = False) -> str:
    """Links to every part of a topic, the current one marked; empty for a one-part topic. The one
    that closes a part also leads on to the next part, where a reader who finished this one goes."""
    if part.count == 1:
        return ""
    items = " ".join(
        f"**{n}**" if n == part.number else f'[{n}]({part_link(folder, slug, part.number, n)}){{ data-part="{n}" }}'
        for n in range(1, part.count + 1)
    )
    last = part.first + len(part.questions) - 1
    onward = (f" [Next: part {part.number + 1}, from question {last + 1}]"
              f"({part_link(folder, slug, part.number, part.number + 1)}){{ .qa-parts__next }}"
              if closing and part.number < part.count else "")
    label = "Parts of this topic, end of page" if closing else "Parts of this topic"
    return (f'<nav class="qa-parts" aria-label="{label}" data-search-exclude markdown="span">'
            f"Part {part.number} of {part.count} (questions {part.first} to {last}): {items}{onward}</nav>\n")


def render_topic_page(topic: Topic, questions: tuple[Question, ...], links: SiteLinks | None = None,
                      lines: Mapping[str, int] | None = None, open_answers: bool = False,
                      defer_answers: bool = False, part: TopicPart | None = None,
                      folder: str = TOPIC_PAGES) -> str:
    """A topic page: title, description, counts, a link to practise the topic (not on printable
    pages), and its questions (all of them, or one part's, in the order given)."""
    lines = lines or {}
    by_level = counts(q.difficulty for q in questions)
    summary = ", ".join(f"{by_level[d]} {LABELS[d].lower()}" for d in LABELS if d in by_level)
    noun = "question" if len(questions) == 1 else "questions"
    title = topic.title.markdown()
    if part and part.count > 1:
        title += f" \\(part {part.number} of {part.count}\\)"
    intro = (
        f"# {title} {{ #topic-{topic.slug} }}\n\n{topic.description.markdown()}\n\n"
        f'<p class="qa-topic-count">{len(questions)} {noun}'
        f"{': ' + summary if summary else ''}. Answers stay hidden until you open them.</p>\n"
    )
    if folder == TOPIC_PAGES:
        here = part.number if part else 1
        intro += (f"{RANDOM_ROW}\n"  # study.js makes it pick a question
                  f"\n[Practise this topic]({practice_link(topic.slug, here)})"
                  "{ .md-button .md-button--primary .qa-practise } "
                  f"[Mock interview]({mock_link(topic.slug, here)}){{ .md-button .qa-practise .qa-mock-link }}\n"
                  "{: .qa-practise-row }\n")
    nav = render_part_nav(topic.slug, part, folder) if part else ""
    closing = render_part_nav(topic.slug, part, folder, closing=True) if part else ""
    shown = part.questions if part else questions
    rendered = (render_question(q, links, lines.get(q.id), open_answers, defer_answers) for q in shown)
    return "\n".join([intro + (f"\n{nav}" if nav else ""), *rendered, *([closing] if closing else [])])


def render_print_page(topic: Topic, questions: tuple[Question, ...], part: TopicPart,
                      defer_answers: bool = False) -> str:
    """One topic (or one part of it) with every answer open, for printing."""
    return '<div class="qa-print-marker"></div>\n\n' + render_topic_page(
        topic, questions, open_answers=True, defer_answers=defer_answers, part=part, folder=PRINT_PAGES)


def render_print_index(bank: Bank, parts: Mapping[str, tuple[TopicPart, ...]]) -> str:
    """The printable view's front page: a link per topic (and per part of a long topic)."""
    items = []
    for topic in bank.topics:
        topic_parts = parts[topic.slug]
        count = len(bank.questions_in(topic.slug))
        line = (f"- [{topic.title.markdown()}]({part_source(PRINT_PAGES, topic.slug, 1)}): "
                f"{count} question{'' if count == 1 else 's'}")
        if len(topic_parts) > 1:
            line += ", in parts " + ", ".join(
                f"[{p.number}]({part_source(PRINT_PAGES, topic.slug, p.number)})" for p in topic_parts)
        items.append(line)
    return "\n".join(items) + "\n"


def _difficulty_counts(questions: tuple[Question, ...]) -> dict[str, int]:
    by_level = counts(q.difficulty for q in questions)
    return {level: by_level.get(level, 0) for level in LABELS}


def render_topic_cards(bank: Bank) -> str:
    """The home page's grid of topic cards (Material grid cards), each with its question count."""
    cards = []
    for topic in bank.topics:
        questions = bank.questions_in(topic.slug)
        noun = "question" if len(questions) == 1 else "questions"
        levels = ", ".join(f"{n} {LABELS[d].lower()}" for d, n in _difficulty_counts(questions).items() if n)
        cards.append(
            f"-   **[{topic.title.markdown()}]({topic_source(topic.slug)})**\n\n"
            f"    {len(questions)} {noun}{': ' + levels if levels else ''}\n\n"
            f"    {topic.description.markdown()}\n"
        )
    return '<div class="grid cards qa-cards" markdown>\n\n' + "\n".join(cards) + "\n</div>\n"


def render_bank_stats(bank: Bank) -> str:
    """A table of question counts per topic and difficulty, with totals, computed from the bank."""
    header = "| Topic | " + " | ".join(LABELS.values()) + " | Total |"
    # No ":" alignment: it becomes a style attribute, which the Content-Security-Policy forbids.
    rule = "|---|" + "---|" * (len(LABELS) + 1)
    rows = []
    for topic in bank.topics:
        questions = bank.questions_in(topic.slug)
        cells = " | ".join(str(n) for n in _difficulty_counts(questions).values())
        rows.append(f"| [{topic.title.markdown()}]({topic_source(topic.slug)}) | {cells} | {len(questions)} |")
    totals = " | ".join(f"**{n}**" for n in _difficulty_counts(bank.questions).values())
    rows.append(f"| **All topics** | {totals} | **{len(bank.questions)}** |")
    scenarios = sum(SCENARIO_TAG in q.tags for q in bank.questions)
    table = "\n".join([header, rule, *rows])
    return f'<div class="qa-stats" markdown>\n\n{table}\n\n</div>\n' + (
        f"\n\n{scenarios} of the questions are scenarios (tagged *scenario*): the open-ended "
        "\"what would you do\" prompts of real interview loops.\n"
    )


def render_downloads(files: tuple, folder: str, question_count: int) -> str:
    """The Downloads page's list: a link per export with what it holds."""
    items = "\n".join(
        f'<li><a href="../{folder}/{html.escape(f.name)}" download><strong>{html.escape(f.title)}</strong></a> '
        f"(<code>{html.escape(f.name)}</code>): {question_count} questions; {html.escape(f.description)}.</li>"
        for f in files
    )
    return f'<ul class="qa-downloads">\n{items}\n</ul>\n'


def _relative(source: str, target: str) -> str:
    """A Markdown link from one page file to another (MkDocs resolves and checks it)."""
    return posixpath.relpath(target, posixpath.dirname(source))


def render_tag_page(tag: Slug, questions: tuple[Question, ...], topics: Mapping[str, Topic],
                    sources: Mapping[str, str]) -> str:
    """A tag's page: every question with the tag, in bank order, each linked (`sources`: the page
    file of each question) with its topic and level."""
    here = tag_source(tag)
    noun = "question" if len(questions) == 1 else "questions"
    items = "\n".join(
        f"- [{q.question.markdown()}]({_relative(here, sources[q.id])}#{q.id})  \n"
        f'  <span class="qa-tag-page__meta">{topics[q.topic].title.markdown()} · '
        f'<span class="qa-difficulty qa-difficulty--{q.difficulty}">{LABELS[q.difficulty]}</span></span>'
        for q in questions
    )
    tag_text = PlainText(tag).markdown()
    return (f"# Questions tagged \\#{tag_text}\n\n"
            f'<p class="qa-topic-count" markdown="span">{len(questions)} {noun} tagged \\#{tag_text}. '
            f"[All tags]({_relative(here, TAGS_INDEX)})</p>\n\n"
            f'<div class="qa-tag-page" markdown>\n\n{items}\n\n</div>\n')


TAGS_MOST_USED = 24


def render_tags_index(questions: tuple[Question, ...]) -> str:
    """The page of every tag: the most used first, then all of them from A to Z, each with its count."""
    used = counts(tag for q in questions for tag in q.tags)

    def chip(tag: str) -> str:
        return f"- [#{PlainText(tag).markdown()}]({_relative(TAGS_INDEX, tag_source(tag))}) {used[tag]}"

    top = sorted(used, key=lambda t: (-used[t], t))[:TAGS_MOST_USED]
    letters: dict[str, list[str]] = {}
    for tag in sorted(used):
        letters.setdefault(tag[0].upper() if tag[0].isalpha() else "0-9", []).append(tag)
    groups = "\n".join(f"## {letter}\n\n" + '<div class="qa-tag-index" markdown>\n\n'
                       + "\n".join(map(chip, tags)) + "\n\n</div>\n" for letter, tags in sorted(letters.items()))
    return (f"# Tags\n\n<p class=\"qa-topic-count\">{len(used)} tags on {len(questions)} questions; "
            "each leads to every question that carries it.</p>\n\n"
            "## Most used\n\n" + '<div class="qa-tag-index" markdown>\n\n' + "\n".join(map(chip, top))
            + "\n\n</div>\n\n" + groups)
