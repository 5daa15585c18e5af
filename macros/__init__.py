"""The site's Python side: the bank (bank, text, jsonpos, edit, draft), rendering (render), exports,
the contributor CLI (cli) and the MkDocs glue (site, hooks).

mkdocs-macros looks up define_env and its event functions on this package; they live in site.py
and are imported only when asked for, so `python -m macros check` never loads MkDocs or genanki.
"""

from __future__ import annotations

from typing import Any

_SITE_FUNCTIONS = ("define_env",)


def __getattr__(name: str) -> Any:
    if name in _SITE_FUNCTIONS:
        from macros import site

        return getattr(site, name)
    raise AttributeError(f"module 'macros' has no attribute {name!r}")
