"""MkDocs hooks (mkdocs.yml `hooks:`): put the deferred answer blocks into converted pages.

MkDocs imports this file by path before the macros plugin has put the project on sys.path, so
the project's modules are imported when a hook runs, not at import time.
"""

from __future__ import annotations

from typing import Any


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:  # noqa: ARG001 - MkDocs signature
    """Replace answer placeholders with the answer blocks, before search indexes the page."""
    from macros.site import fill_answers

    return fill_answers(html, config)
