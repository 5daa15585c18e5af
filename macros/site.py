"""Thin glue between mkdocs-macros and the bank: load once per build, register named macros."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from macros import exports, hardening, render, rendercache, searchindex
from macros.bank import BANK_PATH, ROOT, TOPIC_PAGES, BankError, load_bank
from macros.text import PlainText

BANK_EDIT_PATH = BANK_PATH.relative_to(ROOT).as_posix()


def define_env(env: Any) -> None:
    """Load the bank (failing the build on any problem) and register the macros pages call."""
    # The policy comes from the theme's templates and our own files, before any bank text is read.
    env.question_scripts = hardening.theme_script_hashes(env.conf["site_url"], env.conf.get("extra"))
    env.question_policy = hardening.content_security_policy(env.question_scripts)
    env.question_findings = []
    env.question_scanned = set()
    try:
        bank = load_bank()
    except BankError as error:
        raise PluginError(str(error)) from None
    env.question_bank = bank
    render.start_build()
    rendercache.load()
    env.question_parts = parts = {t.slug: render.paginate(bank.questions_in(t.slug)) for t in bank.topics}
    env.question_on_part = on_part = render.question_parts(parts)
    env.question_sections = searchindex.question_sections(
        {q.id: render.part_url(TOPIC_PAGES, q.topic, on_part[q.id]) for q in bank.questions})
    env.question_links = links = render.SiteLinks(env.conf["repo_url"], env.conf["site_url"], BANK_EDIT_PATH)

    @env.macro
    def topic_page(slug: str, part: int = 1) -> str:
        """The content of one topic page (one part of the topic, when it is split)."""
        return render.render_topic_page(bank.topic(slug), bank.questions_in(slug), links, bank.lines,
                                        defer_answers=True, part=parts[slug][part - 1])

    @env.macro
    def topic_cards() -> str:
        """The home page's card per topic, with question counts."""
        return render.render_topic_cards(bank)

    @env.macro
    def bank_stats() -> str:
        """Question counts per topic and difficulty."""
        return render.render_bank_stats(bank)

    @env.macro
    def print_index() -> str:
        """The printable view's list of topic pages to print."""
        return render.render_print_index(bank, parts)

    @env.macro
    def print_page(slug: str, part: int = 1) -> str:
        """One topic (or part of it) with every answer open."""
        return render.render_print_page(bank.topic(slug), bank.questions_in(slug), parts[slug][part - 1],
                                        defer_answers=True)

    @env.macro
    def downloads_table() -> str:
        """The Downloads page's list of exports with their question counts."""
        return render.render_downloads(exports.DOWNLOAD_FILES, exports.DOWNLOADS, len(bank.questions))

    @env.macro
    def question_count() -> int:
        """How many questions the bank holds."""
        return len(bank.questions)


def fill_answers(page_html: str, config: Any) -> str:
    """Put the answer blocks into a converted page (called by macros/hooks.py)."""
    macros = config.plugins["macros"]
    return render.fill_answer_blocks(page_html, macros.question_bank.by_id, macros.question_links,
                                     macros.question_bank.lines)


@dataclass(frozen=True)
class GeneratedPage:
    """A page the bank adds: its file, the macro that renders it, and its title (plain text, set as
    page metadata by macros/hooks.py, never written into the page file)."""

    path: str
    macro_call: str
    title: PlainText
    in_nav: bool
    searchable: bool = True


def generated_pages(config: Any) -> list[GeneratedPage]:
    """The pages the bank adds to docs/: every part of every topic, and a printable page per topic
    part. Called by macros/hooks.py."""
    macros = config.plugins["macros"]
    pages = []
    for topic in macros.question_bank.topics:
        for part in macros.question_parts[topic.slug]:
            suffix = f" (part {part.number} of {part.count})" if part.count > 1 else ""
            pages.append(GeneratedPage(render.part_source(TOPIC_PAGES, topic.slug, part.number),
                                       f'topic_page("{topic.slug}", {part.number})',
                                       PlainText(topic.title.value + suffix), in_nav=part.number == 1))
            pages.append(GeneratedPage(render.part_source(render.PRINT_PAGES, topic.slug, part.number),
                                       f'print_page("{topic.slug}", {part.number})',
                                       PlainText(f"Print: {topic.title.value}{suffix}"), in_nav=False,
                                       searchable=False))
    macros.question_pages = {page.path: page for page in pages}
    return pages


def topic_order(config: Any) -> dict[str, int]:
    """Each topic page's place in the bank's topic order, by its page file."""
    bank = config.plugins["macros"].question_bank
    return {render.part_source(TOPIC_PAGES, topic.slug, 1): n for n, topic in enumerate(bank.topics)}


def page_metadata(page: Any, config: Any) -> None:
    """Give a generated page its title and search setting (called by macros/hooks.py)."""
    generated = config.plugins["macros"].question_pages.get(page.file.src_uri)
    if generated:
        page.meta["title"] = generated.title.page_title()
        if not generated.searchable:
            page.meta["search"] = {"exclude": True}


# Pages whose content comes from the bank: their page file is a one-line macro call.
BANK_PAGES = ("topics/", "print.md", "print/")


def on_post_page_macros(env: Any) -> None:
    """Point the "edit" button of a page rendered from the bank at the bank itself."""
    page = env.page
    repo_url = env.conf.get("repo_url")
    if repo_url and page.file.src_uri.startswith(BANK_PAGES):
        page.edit_url = f"{repo_url.rstrip('/')}/edit/main/{BANK_EDIT_PATH}"


def _serving() -> bool:
    # `mkdocs serve` injects an inline live-reload script that no policy hash can allow.
    return len(sys.argv) > 1 and sys.argv[1] == "serve"


def _search_entries(config: Any) -> list[dict]:
    return config.plugins["material/search"].search_index.entries


def begin_page(page: Any, config: Any) -> None:
    """Before the page is indexed and written: fill in its answers, keeping its placeholders to
    restore afterwards, and note where its search entries will start (called by macros/hooks.py)."""
    page.deferred_content = page.content
    page.content = fill_answers(page.content, config)
    page.search_start = len(_search_entries(config))


def end_page(page: Any, config: Any) -> None:
    """After the page is written: give each of its questions its own, condensed search entry and
    drop its answers from memory (called by macros/hooks.py)."""
    macros = config.plugins["macros"]
    search = config.plugins["material/search"]
    searchindex.split_questions(_search_entries(config)[page.search_start:], macros.question_sections,
                                re.compile(search.config.separator))
    page.content = page.deferred_content


def finish_page(html: str, page_path: str, config: Any) -> str:
    """Scan one written page (all of it) and add the security policy; findings fail the build in
    on_post_build. Called by macros/hooks.py for every page and for the error page."""
    macros = config.plugins["macros"]
    macros.question_scanned.add(page_path)
    macros.question_findings += hardening.scan_page(page_path, html, macros.question_scripts)
    return html if _serving() else hardening.add_policy(html, macros.question_policy)


def _located(finding: hardening.Finding, bank: Any) -> str:
    """A finding as a line that names the bank line of the question it sits in, when it has one."""
    line = bank.lines.get(finding.question) if finding.question else None
    if line is None:
        return str(finding)
    return f"{BANK_EDIT_PATH}:{line}: question {finding.question!r}: {finding.page}: {finding.what}"


def on_post_build(env: Any) -> None:
    """Write the exports, then fail the build on anything the page scan found, or on a page it did
    not see."""
    site_dir = Path(env.conf["site_dir"])
    exports.write_exports(env.question_bank, BANK_PATH, site_dir, env.conf["site_url"], env.question_on_part)
    rendercache.save()
    unscanned = [path.relative_to(site_dir).as_posix() for path in sorted(site_dir.rglob("*.html"))
                 if path.relative_to(site_dir).as_posix() not in env.question_scanned]
    problems = [_located(f, env.question_bank) for f in env.question_findings]
    problems += [f"{page}: a page that was not scanned (not written by MkDocs)" for page in unscanned]
    if problems:
        raise PluginError("unsafe markup in the built site:\n" + "\n".join(problems))
