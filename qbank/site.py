"""The MkDocs side, and the only module that knows MkDocs: the `question-bank` plugin.

Data flows one way. When a build starts, the plugin creates one `Build`: the bank (loaded and
validated), its routes, the renderer with its conversions, the security policy and what the page
scan finds. Every later event gets what it needs from that object, through public MkDocs events
only:

    on_config        a new Build (a `mkdocs serve` rebuild keeps the renderer's conversions)
    on_files         the generated pages: every topic page and part, every printable page, a page
                     per tag and the index of tags
    on_nav           topics in the bank's (curriculum) order
    on_page_markdown a generated page's Markdown and title; the bank's pages edit the bank
    on_page_context  the answer blocks, into the converted page just before it is written
    on_post_page     the page scanned whole, the Content-Security-Policy added, and the answer
                     blocks dropped from memory again (MkDocs converts every page before it
                     writes any, so only one page holds its answers at a time)
    on_template_context the theme's static pages (the error page, the offline page) get the app's
                     head links; the offline page links by absolute paths, as the error page does
    on_post_template the same scan and policy for the static pages
    on_post_build    exports, the search index, the render cache, and (not in `mkdocs serve`) the
                     service worker, the web app manifest and its icons; the build fails on any finding

mkdocs-macros renders the few macros docs/ pages call (define_env below); they read the same Build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from qbank import exports, hardening, numbers, offline, plans, related, rendercache, search
from qbank import render as rendering
from qbank.bank import BANK_PATH, ROOT, Bank, BankError, load_bank
from qbank.routes import (
    DOWNLOADS,
    NUMBERS_PAGE,
    PLANS_DATA_URL,
    PLANS_INDEX,
    PLANS_URL,
    PRINT_INDEX,
    PRINT_PAGES,
    TAG_PAGES,
    TAGS_INDEX,
    TOPIC_PAGES,
    Routes,
    TopicPart,
    part_source,
    plan_source,
    tag_source,
)
from qbank.text import PlainText, to_browser_json

PLUGIN_NAME = "question-bank"
# The project's files, relative to its mkdocs.yml (the code is this package, installed from the
# checkout; the bank is the project's being built).
BANK_EDIT_PATH = BANK_PATH.relative_to(ROOT).as_posix()
SYNONYMS_EDIT_PATH = "data/search-synonyms.json"
# Pages whose content comes from the bank: their "edit" button opens the bank.
BANK_PAGES = (f"{TOPIC_PAGES}/", PRINT_INDEX, f"{PRINT_PAGES}/", TAGS_INDEX, f"{TAG_PAGES}/")
# The installed app's name under its icon on a phone's home screen (site_name is too long for it).
SHORT_NAME = "ML Infra"


def _part_suffix(part: TopicPart) -> str:
    """What a part adds to its topic's title: nothing for a one-part topic."""
    return f" (part {part.number} of {part.count})" if part.count > 1 else ""


@dataclass(frozen=True)
class GeneratedPage:
    """A page the bank adds: its file, its Markdown, and its title (plain text, set as page
    metadata, never written into the page)."""

    path: str
    markdown: Callable[[], str]
    title: PlainText
    in_nav: bool


class Build:
    """Everything one build knows: created when the build starts, dropped when the next starts."""

    def __init__(self, config: MkDocsConfig, serving: bool, previous: Build | None = None) -> None:
        # The policy comes from the theme's templates and our own files, before any bank text is read.
        self.script_hashes = hardening.theme_script_hashes(config["site_url"], config.get("extra"))
        self.policy = hardening.content_security_policy(self.script_hashes)
        self.serving = serving
        self.root = Path(config.config_file_path).resolve().parent
        self.bank_path = self.root / BANK_EDIT_PATH
        try:
            # Questions that passed the schema, and texts that passed the text rules, in the previous
            # build of this process stay passed.
            self.valid_questions: set[bytes] = previous.valid_questions if previous else set()
            self.clean_texts: set[bytes] = previous.clean_texts if previous else set()
            self.bank: Bank = load_bank(self.bank_path, display=BANK_EDIT_PATH, valid=self.valid_questions,
                                        clean=self.clean_texts)
            self.synonyms = search.load_synonyms(self.root / SYNONYMS_EDIT_PATH)
            figures = self.root / numbers.NUMBERS_EDIT_PATH
            self.numbers = numbers.load_numbers(figures) if figures.exists() else None
            plan_file = self.root / plans.PLANS_EDIT_PATH
            self.plans = plans.load_plans(plan_file, self.bank.by_id) if plan_file.exists() else None
        except (BankError, search.SynonymError, numbers.NumbersError, plans.PlansError) as error:
            raise PluginError(str(error)) from None
        unknown = numbers.unknown_numbers(((q.id, q.numbers) for q in self.bank.questions),
                                          self.numbers or numbers.Numbers(()))
        if unknown:
            raise PluginError("\n".join(
                f"{BANK_EDIT_PATH}:{self.bank.lines.get(qid, 1)}: question {qid!r}: 'numbers' names {entry!r}, "
                f"which {numbers.NUMBERS_EDIT_PATH} does not have; use one of its entry ids" for qid, entry in unknown))
        self.number_titles = {e.id: e.what for s in (self.numbers.sections if self.numbers else ()) for e in s.entries}
        self.routes = Routes(self.bank)
        self.question_urls = {q.id: self.routes.question_url(q) for q in self.bank.questions}
        self.related = related.related_questions(self.bank)
        self.links = rendering.SiteLinks(config["repo_url"], config["site_url"], BANK_EDIT_PATH)
        self.cache_path = rendercache.cache_path(self.root)
        self.renderer = (previous.renderer.next_build() if previous
                         else rendering.Renderer(rendercache.read(self.cache_path)))
        self.pages = {page.path: page for page in self._generated_pages()}
        self.findings: list[hardening.Finding] = []
        self.scanned: set[str] = set()
        # Each page's content without its answers, while the page with them is being written.
        self.unfilled: dict[str, str] = {}
        # Digests of pages the scan found clean under this policy; a `mkdocs serve` rebuild
        # rescans only the pages whose HTML changed.
        self.clean_pages: set[bytes] = (previous.clean_pages if previous and previous.policy == self.policy
                                        else set())

    def _generated_pages(self) -> list[GeneratedPage]:
        bank, pages = self.bank, []
        for topic in bank.topics:
            questions = bank.questions_in(topic.slug)
            for part in self.routes.parts[topic.slug]:
                suffix = _part_suffix(part)

                def page(topic=topic, questions=questions, part=part) -> str:
                    return rendering.render_topic_page(topic, questions, self.links, bank.lines,
                                                       defer_answers=True, part=part)

                pages.append(GeneratedPage(part_source(TOPIC_PAGES, topic.slug, part.number), page,
                                           PlainText(topic.title.value + suffix), in_nav=part.number == 1))
            for part in self.routes.print_parts[topic.slug]:
                suffix = _part_suffix(part)

                def printed(topic=topic, questions=questions, part=part) -> str:
                    return rendering.render_print_page(topic, questions, part, defer_answers=True)

                pages.append(GeneratedPage(part_source(PRINT_PAGES, topic.slug, part.number), printed,
                                           PlainText(f"Print: {topic.title.value}{suffix}"), in_nav=False))
        if self.numbers:
            pages.append(GeneratedPage(NUMBERS_PAGE, self._numbers_page, PlainText(numbers.TITLE), in_nav=True))
        if self.plans:
            pages.append(GeneratedPage(PLANS_INDEX, lambda: plans.render_plans_index(self.plans),
                                       PlainText(plans.TITLE), in_nav=True))
            for plan in self.plans.plans:
                pages.append(GeneratedPage(plan_source(plan.slug),
                                           lambda plan=plan: plans.render_plan_page(plan, self._plan_link),
                                           PlainText(plan.title.value), in_nav=False))
        return pages + self._tag_pages()

    def _tag_pages(self) -> list[GeneratedPage]:
        """A page per tag, listing its questions in bank order, and the index of every tag."""
        tagged: dict[str, list] = {}
        for q in self.bank.questions:
            for tag in q.tags:
                tagged.setdefault(tag, []).append(q)
        topics = {t.slug: t for t in self.bank.topics}
        sources = {q.id: self.routes.question_source(q) for q in self.bank.questions}
        pages = [GeneratedPage(TAGS_INDEX, lambda: rendering.render_tags_index(self.bank.questions),
                               PlainText("Tags"), in_nav=True)]
        for tag, questions in sorted(tagged.items()):
            def page(tag=tag, questions=tuple(questions)) -> str:
                return rendering.render_tag_page(tag, questions, topics, sources)

            pages.append(GeneratedPage(tag_source(tag), page, PlainText(f"Questions tagged #{tag}"), in_nav=False))
        return pages

    def _plan_link(self, qid: str) -> plans.QuestionLink:
        """A question as a plan page names it: linked from the plan's page (plans/<slug>/)."""
        q = self.bank.by_id[qid]
        return plans.QuestionLink(q.question, self.bank.topic(q.topic).title, rendering.LABELS[q.difficulty],
                                  "../../" + self.routes.permalink(q))

    def _numbers_page(self) -> str:
        used_by: dict[str, list[tuple[PlainText, str]]] = {}
        for q in self.bank.questions:
            for entry in q.numbers:
                used_by.setdefault(entry, []).append((q.question, self.routes.question_url(q)))
        return numbers.render_numbers_page(self.numbers, used_by)

    def topic_order(self) -> dict[str, int]:
        """Each topic page's place in the bank's topic order, by its page file."""
        return {part_source(TOPIC_PAGES, topic.slug, 1): n for n, topic in enumerate(self.bank.topics)}

    def fill_answers(self, page_html: str, page_url: str) -> str:
        """Put the answer blocks into a converted page (its site-relative URL, for relative links)."""
        base = "../" * page_url.count("/")
        links = rendering.NumberLinks(self.number_titles, base)
        question_links = rendering.QuestionLinks(self.bank.by_id, self.question_urls, self.related, base)
        return rendering.fill_answer_blocks(page_html, self.bank.by_id, self.links, self.bank.lines, self.renderer,
                                            links, question_links)

    def finish_page(self, html: str, page_path: str) -> str:
        """Scan one written page (all of it) and add the security policy; findings fail the build
        when it ends."""
        self.scanned.add(page_path)
        digest = hashlib.sha256(html.encode("utf-8", "surrogatepass")).digest()
        if digest not in self.clean_pages:
            found = hardening.scan_page(page_path, html, self.script_hashes)
            self.findings += found
            if not found:
                self.clean_pages.add(digest)
        # `mkdocs serve` injects an inline live-reload script that no policy hash can allow.
        return html if self.serving else hardening.add_policy(html, self.policy)

    def app_context(self) -> dict:
        """What the theme's head needs to link the web app manifest (overrides/main.html); nothing
        in `mkdocs serve`, which writes no manifest and no service worker."""
        if self.serving:
            return {}
        return {"qa_app": {"manifest": offline.MANIFEST, "theme_color": offline.THEME_COLOR,
                           "icon": offline.icon_path(offline.ICON_SIZES[0])}}

    def write_outputs(self, site_dir: Path, config: MkDocsConfig) -> None:
        """The exports, the search index, the render cache for the next build and, in a build (not
        `mkdocs serve`), the service worker and the web app manifest."""
        site_url = config["site_url"]
        exports.write_exports(self.bank, self.bank_path, site_dir, site_url, self.renderer, self.routes)
        docs = search.documents(self.bank, self.routes.question_url, self.renderer)
        topics = [(t.slug, t.title.value) for t in self.bank.topics]
        search.write_index(search.build_index(docs, self.synonyms), topics, self.synonyms, site_dir)
        if self.plans:
            target = site_dir / PLANS_DATA_URL
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_browser_json(plans.plans_json(self.plans)), encoding="utf-8")
        rendercache.write(self.cache_path, self.renderer.used)
        if not self.serving:
            offline.write_offline(site_dir, site_url, config["site_name"], SHORT_NAME, config["site_description"])

    def problems(self, site_dir: Path) -> list[str]:
        """What the page scan found, each located in the bank when it sits in a question, and any
        page the scan did not see."""
        unscanned = [path.relative_to(site_dir).as_posix() for path in sorted(site_dir.rglob("*.html"))
                     if path.relative_to(site_dir).as_posix() not in self.scanned]
        problems = [self._located(finding) for finding in self.findings]
        return problems + [f"{page}: a page that was not scanned (not written by MkDocs)" for page in unscanned]

    def _located(self, finding: hardening.Finding) -> str:
        line = self.bank.lines.get(finding.question) if finding.question else None
        if line is None:
            return str(finding)
        return f"{BANK_EDIT_PATH}:{line}: question {finding.question!r}: {finding.page}: {finding.what}"


class QuestionBankPlugin(BasePlugin):
    """Builds the site's pages, answers, exports and search index from data/questions.json."""

    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.build: Build | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:  # noqa: ARG002 - MkDocs signature
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.build = Build(config, serving=self.command == "serve", previous=self.build)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the bank's pages; one that would replace a file of docs/ stops the build."""
        written = {file.dest_uri: file.src_uri for file in files}
        for page in self.build.pages.values():
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.path, content="", inclusion=inclusion)
            if file.dest_uri in written:
                raise PluginError(f"the bank's page {page.path} would replace {written[file.dest_uri]} "
                                  f"({file.dest_uri}); rename the topic")
            written[file.dest_uri] = page.path
            files.append(file)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:  # noqa: ARG002
        """List the topic pages in the bank's (curriculum) order, not the alphabetical order of files."""
        order = self.build.topic_order()
        for item in nav.items:
            children = getattr(item, "children", None) or []
            if children and all(getattr(child, "file", None) and child.file.src_uri in order for child in children):
                children.sort(key=lambda child: order[child.file.src_uri])
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG002
        """A generated page's Markdown and title (typed text, never through YAML or a template)."""
        repo_url = config.get("repo_url")
        if repo_url and page.file.src_uri.startswith(BANK_PAGES):
            page.edit_url = f"{repo_url.rstrip('/')}/edit/main/{BANK_EDIT_PATH}"
        generated = self.build.pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        page.meta["title"] = generated.title.page_title()
        page.meta["render_macros"] = False  # bank text is never a template
        return generated.markdown()

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:  # noqa: ARG002
        self.build.unfilled[page.file.src_uri] = page.content
        page.content = self.build.fill_answers(page.content, page.url)
        context.update(self.build.app_context())
        return context

    def on_template_context(self, context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
        """The static pages' head links; the offline page is shown at any address it was not saved
        for, so its links start at the site's root path, as MkDocs does for the error page."""
        context.update(self.build.app_context())
        if template_name == offline.OFFLINE_PAGE:
            context["base_url"] = offline.root_path(config["site_url"])
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:  # noqa: ARG002
        page.content = self.build.unfilled.pop(page.file.src_uri, page.content)
        return self.build.finish_page(output, page.file.dest_uri)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:  # noqa: ARG002
        """Scan the theme's static pages (the error page) and add the security policy."""
        if not template_name.endswith(".html"):
            return output_content
        return self.build.finish_page(output_content, template_name)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the outputs, then fail the build on anything the page scan found."""
        site_dir = Path(config["site_dir"])
        self.build.write_outputs(site_dir, config)
        problems = self.build.problems(site_dir)
        if problems:
            raise PluginError("unsafe markup in the built site:\n" + "\n".join(problems))


def define_env(env: Any) -> None:
    """mkdocs-macros: the macros docs/ pages call, each reading the current Build."""

    def build() -> Build:
        return env.conf.plugins[PLUGIN_NAME].build

    @env.macro
    def topic_cards() -> str:
        """The home page's card per topic, with question counts."""
        return rendering.render_topic_cards(build().bank)

    @env.macro
    def bank_stats() -> str:
        """Question counts per topic and difficulty."""
        return rendering.render_bank_stats(build().bank)

    @env.macro
    def print_index() -> str:
        """The printable view's list of topic pages to print."""
        return rendering.render_print_index(build().bank, build().routes.print_parts)

    @env.macro
    def downloads_table() -> str:
        """The Downloads page's list of exports with their question counts."""
        return rendering.render_downloads(exports.DOWNLOAD_FILES, DOWNLOADS, len(build().bank.questions))

    @env.macro
    def plans_download() -> str:
        """The Downloads page's line for the study plans as JSON (none without data/plans.json)."""
        if not build().plans:
            return ""
        return (f'<p><strong>Study plans:</strong> the <a href="../{PLANS_URL}">study plans</a> as JSON, each a list '
                f'of question ids by day: <a href="../{PLANS_DATA_URL}" download><code>plans.json</code></a>.</p>')

    @env.macro
    def question_count() -> int:
        """How many questions the bank holds."""
        return len(build().bank.questions)
