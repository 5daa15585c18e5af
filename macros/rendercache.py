"""The render cache on disk: contributor Markdown already converted by an earlier build.

Keyed by a hash of the text and of the renderer's code, version and libraries (render.render_key),
so an edited question, a changed renderer or a library upgrade converts afresh. Each build stores what it
used, so the file holds the current bank's texts only. A missing, unreadable or foreign file is
ignored: the cache can only save time, never change a page. It lives in the user's cache folder,
one file per checkout, never in the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from macros import render
from macros.bank import ROOT


# Outside the checkout, so a cache file committed in a pull request is never read: an entry's key
# names its text, but only converting the text again could prove that the entry matches it.
def cache_path(root: Path) -> Path:
    """Where the render cache of the checkout at `root` lives: the user's cache folder."""
    return (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ml-infra-interviews"
            / hashlib.sha256(str(root).encode()).hexdigest()[:16] / "rendered.json")


CACHE_PATH = cache_path(ROOT)
# Files already offered in this process: `mkdocs serve` rebuilds in one process, and its renderer
# holds every conversion already.
_loaded: set[Path] = set()


def load(path: Path = CACHE_PATH) -> int:
    """Offer the stored conversions to the renderer, once per process; returns how many there were."""
    if path in _loaded:
        return 0
    _loaded.add(path)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    if not isinstance(stored, dict) or stored.get("salt") != render.RENDER_SALT:
        return 0
    entries = stored.get("entries")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        return 0
    render.store_renders(entries)
    return len(entries)


def save(path: Path = CACHE_PATH) -> None:
    """Store the conversions this build used (written to a temporary file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"salt": render.RENDER_SALT, "entries": render.used_renders()}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rendered-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
