"""MkDocs hooks (mkdocs.yml `hooks:`): add the pages the bank needs, put the deferred answer blocks
into converted pages, and shape each page's search entries.

MkDocs imports this file by path before the macros plugin has put the project on sys.path, so
the project's modules are imported when a hook runs, not at import time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

_CODE = Path(__file__).resolve().parent
_code_seen: tuple[tuple[str, int], ...] | None = None


@event_priority(100)  # before the macros plugin imports the project's modules in its on_config
def on_config(config: Any) -> Any:
    """Forget the project's modules when their code changed, so a `mkdocs serve` rebuild runs the
    code as it is now (mkdocs-macros imports them once per process). Unchanged code keeps its
    modules, and with them the renderer's conversions."""
    global _code_seen
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(_CODE.glob("*.py")))
    if _code_seen is not None and stamp != _code_seen:
        for name in [m for m in sys.modules if m == _CODE.name or m.startswith(f"{_CODE.name}.")]:
            del sys.modules[name]
    _code_seen = stamp
    return config


# MkDocs converts every page before it writes any, so the answer blocks go in one page at a time,
# just before the page is indexed and written, and come out again once it is written: only one
# page with its answers is in memory at once. Its search entries are condensed right away too.


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:  # noqa: ARG001 - MkDocs signature
    """Fill in the page's answer blocks."""
    from macros.site import begin_page

    begin_page(page, config)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Shape the written page's search entries, drop its answer blocks from memory, scan the page
    and add the security policy."""
    from macros.site import end_page, finish_page

    end_page(page, config)
    return finish_page(output, page.file.dest_uri, config)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Scan the theme's static pages (the error page) and add the security policy."""
    from macros.site import finish_page

    return finish_page(output_content, template_name, config) if template_name.endswith(".html") else output_content


def on_files(files: Any, config: Any) -> Any:
    """Add the pages the bank needs: every topic page (and its later parts) and the printable pages.
    A page that would replace a file of docs/ stops the build."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, InclusionLevel

    from macros.site import generated_pages

    written = {file.dest_uri: file.src_uri for file in files}
    for page in generated_pages(config):
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, page.path, content=f"{{{{ {page.macro_call} }}}}\n", inclusion=inclusion)
        if file.dest_uri in written:
            raise PluginError(f"the bank's page {page.path} would replace {written[file.dest_uri]} "
                              f"({file.dest_uri}); rename the topic")
        written[file.dest_uri] = page.path
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:  # noqa: ARG001 - MkDocs signature
    """Set a generated page's title from the bank's typed text (never through YAML)."""
    from macros.site import page_metadata

    page_metadata(page, config)
    return markdown


def on_nav(nav: Any, config: Any, files: Any) -> Any:  # noqa: ARG001 - MkDocs signature
    """List the topic pages in the bank's (curriculum) order, not the alphabetical order of files."""
    from macros.site import topic_order

    order = topic_order(config)
    for item in nav.items:
        children = getattr(item, "children", None) or []
        if children and all(getattr(child, "file", None) and child.file.src_uri.startswith("topics/")
                            for child in children):
            children.sort(key=lambda child: order.get(child.file.src_uri, len(order)))
    return nav
