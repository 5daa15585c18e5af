"""Command line: `python -m macros check` validates the bank and prints each problem on one line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.bank import BANK_PATH, DOCS_DIR, BankError, load_bank


def check(path: Path) -> int:
    """Validate the bank; print FILE:LINE:COL: problems and return the exit code. Never writes."""
    try:
        bank = load_bank(path, DOCS_DIR)
    except BankError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"{path.name}: OK, {len(bank.questions)} questions in {len(bank.topics)} topics.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m macros`."""
    parser = argparse.ArgumentParser(prog="python -m macros", description="Work with the question bank.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate data/questions.json; never writes")
    check_parser.add_argument("path", nargs="?", type=Path, default=BANK_PATH)
    args = parser.parse_args(argv)
    return check(args.path)


if __name__ == "__main__":
    sys.exit(main())
