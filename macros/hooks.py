"""MkDocs hooks (mkdocs.yml `hooks:`): add the pages the bank needs, put the deferred answer blocks
into converted pages, and shape the search index before it is written.

MkDocs imports this file by path before the macros plugin has put the project on sys.path, so
the project's modules are imported when a hook runs, not at import time.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:  # noqa: ARG001 - MkDocs signature
    """Replace answer placeholders with the answer blocks, before search indexes the page."""
    from macros.site import fill_answers

    return fill_answers(html, config)


def on_files(files: Any, config: Any) -> Any:
    """Add the pages the bank needs beyond docs/: later parts of long topics and the printable pages."""
    from mkdocs.structure.files import File, InclusionLevel

    from macros.site import generated_pages

    for path, content in generated_pages(config):
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


@event_priority(100)  # before the search plugin writes its index
def on_post_build(config: Any) -> None:
    """Give every question its own, condensed search entry."""
    from macros.site import prepare_search_index

    prepare_search_index(config)
