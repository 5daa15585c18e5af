"""qbank: the question bank and everything made from it.

The bank (bank, text, jsonpos, edit, draft), its URLs (routes), rendering (render, rendercache),
search (search), figures (numbers), exports, the security policy and page scan (hardening) and the
contributor CLI (cli, `python -m qbank`) run without MkDocs. site.py is the only module that
imports MkDocs: the question-bank plugin, and the macros docs/ pages call (mkdocs-macros loads it
by name from mkdocs.yml).
"""
