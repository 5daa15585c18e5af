"""The render cache on disk: contributor Markdown already converted by an earlier build.

Keyed by a hash of the text and of the renderer's code, version and libraries (render.render_key),
so an edited question, a changed renderer or a library upgrade converts afresh. Each build stores what it
used, so the file holds the current bank's texts only. A missing, unreadable or foreign file is
ignored: the cache can only save time, never change a page. It lives in the user's cache folder,
one file per checkout, never in the repository. qbank/site.py reads it when a build starts and
writes it when the build ends.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from qbank import render


# Outside the checkout, so a cache file committed in a pull request is never read: an entry's key
# names its text, but only converting the text again could prove that the entry matches it.
def cache_path(root: Path) -> Path:
    """Where the render cache of the checkout at `root` lives: the user's cache folder."""
    return (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ml-infra-interviews"
            / hashlib.sha256(str(root).encode()).hexdigest()[:16] / "rendered.json")


def read(path: Path) -> dict[str, str]:
    """The stored conversions, by render key; empty when the file is missing, unreadable, foreign or
    from another renderer. The renderer sanitizes them again before use."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("salt") != render.RENDER_SALT:
        return {}
    entries = stored.get("entries")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        return {}
    return entries


def write(path: Path, entries: dict[str, str]) -> None:
    """Store a build's conversions (written to a temporary file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"salt": render.RENDER_SALT, "entries": entries}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rendered-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
