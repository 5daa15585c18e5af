"""The vendored browser build of ts-fsrs is exactly the file of the version package-lock.json pins:
its SHA-256 is the one docs/javascripts/vendor/manifest.json records, and node_modules' copy of
that version (installed by `npm ci`, which checks the lock file's integrity hash) has it too."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import ROOT

VENDOR = ROOT / "docs" / "javascripts" / "vendor"
MANIFEST = VENDOR / "manifest.json"
PACKAGE = ROOT / "node_modules" / "ts-fsrs"
FIX = "run `npm ci`, then scripts/vendor-ts-fsrs"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["ts-fsrs"]


def test_vendored_file_has_the_checksum_the_manifest_records() -> None:
    entry = _entry()
    assert _sha256(VENDOR / entry["file"]) == entry["sha256"], f"{entry['file']} was changed by hand: {FIX}"


def test_manifest_names_the_version_package_json_and_the_lock_file_pin() -> None:
    version = _entry()["version"]
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["ts-fsrs"] == version, f"package.json pins another ts-fsrs: {FIX}"
    assert lock["packages"]["node_modules/ts-fsrs"]["version"] == version, f"the lock file pins another ts-fsrs: {FIX}"


def test_vendored_file_is_node_modules_copy_of_that_version() -> None:
    entry = _entry()
    installed = PACKAGE / "package.json"
    assert installed.exists(), f"{installed} is missing: run `npm ci` (make test does)"
    assert json.loads(installed.read_text(encoding="utf-8"))["version"] == entry["version"], f"node_modules is stale: {FIX}"
    assert _sha256(PACKAGE / "dist" / "index.umd.js") == entry["sha256"], f"not the published build: {FIX}"
    assert (VENDOR / entry["license"]).read_bytes() == (PACKAGE / "LICENSE").read_bytes(), "ship its MIT licence with it"
