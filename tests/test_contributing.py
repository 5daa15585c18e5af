"""CONTRIBUTING.md stays true: its example entry passes the same checks as a real contribution."""

from __future__ import annotations

import json
import re

from macros.bank import DOCS_DIR, load_bank
from tests.conftest import ROOT


def test_contributing_example_entry_is_valid(tmp_path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"### A complete example\n\n```json\n(.*?)\n```", text, re.S).group(1))
    bank = json.loads((ROOT / "data" / "questions.json").read_text(encoding="utf-8"))
    bank["questions"] = [q for q in bank["questions"] if q["id"] != example["id"]] + [example]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(bank, indent=2, ensure_ascii=False), encoding="utf-8")
    loaded = load_bank(path, DOCS_DIR)
    assert loaded.questions[-1].id == example["id"]
