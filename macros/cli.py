"""The contributor command line, `python -m macros`: check, fmt, new and stats.

`check` and `stats` never write. `fmt` and `new` write through edit.py: atomically, and only a
bank that `new` has validated in full.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from macros import edit
from macros.bank import (
    BANK_PATH,
    DIFFICULTIES,
    BankError,
    Problem,
    counts,
    display_name,
    load_bank,
    read_document,
)

FORMATS = ("text", "github")


def _report(problems: list[Problem], output_format: str) -> None:
    for problem in problems:
        if output_format == "github":
            # A GitHub Actions workflow command: an annotation on that line of the pull request.
            message = f"{problem.subject}: {problem.message}" if problem.subject else problem.message
            print(f"::error file={problem.file},line={problem.line},col={problem.col}::{message}")
        else:
            print(problem)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=sys.stderr)


def check(path: Path, output_format: str = "text") -> int:
    """Validate the bank and print each problem on one line; never writes."""
    try:
        bank = load_bank(path)
    except BankError as error:
        _report(error.problems, output_format)
        return 1
    print(f"{display_name(path)}: OK, {len(bank.questions)} questions in {len(bank.topics)} topics.")
    return 0


def fmt(path: Path, only_check: bool = False, output_format: str = "text") -> int:
    """Rewrite the bank in canonical form (lossless), or with only_check report whether it is."""
    try:
        document = read_document(path)
        current = path.read_text(encoding="utf-8")
        wanted = edit.dumps(document)
        if current == wanted:
            print(f"{display_name(path)}: already in canonical form.")
            return 0
        if only_check:
            line = next(
                (n for n, (a, b) in enumerate(zip(current.splitlines(), wanted.splitlines(), strict=False), 1)
                 if a != b),
                min(len(current.splitlines()), len(wanted.splitlines())) + 1,
            )
            message = "not in canonical form from this line on; run `python -m macros fmt` to fix it"
            _report([Problem(display_name(path), line, 1, "", message)], output_format)
            return 1
        edit.write_atomic(path, wanted)
    except BankError as error:
        _report(error.problems, output_format)
        print(f"{display_name(path)} was not changed.", file=sys.stderr)
        return 1
    print(f"{display_name(path)}: rewritten in canonical form.")
    return 0


def stats(path: Path) -> int:
    """Print question counts per topic, difficulty and tag; never writes."""
    try:
        bank = load_bank(path)
    except BankError as error:
        _report(error.problems, "text")
        return 1
    print(f"{len(bank.questions)} questions in {len(bank.topics)} topics\n")
    width = max(len(t.slug) for t in bank.topics)
    print(f"{'topic':<{width}}  " + "  ".join(f"{d:>12}" for d in DIFFICULTIES) + "  total")
    for topic in bank.topics:
        questions = bank.questions_in(topic.slug)
        cells = "  ".join(f"{sum(q.difficulty == d for q in questions):>12}" for d in DIFFICULTIES)
        print(f"{topic.slug:<{width}}  {cells}  {len(questions):>5}")
    cells = "  ".join(f"{sum(q.difficulty == d for q in bank.questions):>12}" for d in DIFFICULTIES)
    print(f"{'all':<{width}}  {cells}  {len(bank.questions):>5}\n")
    tags = counts(tag for question in bank.questions for tag in question.tags)
    print("tags: " + ", ".join(f"{tag} {n}" for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))))
    return 0


def _ask(label: str, given: str | None, ask: Callable[[str], str] | None, required: bool = True) -> str | None:
    if given is not None:
        return given
    if ask is None:
        if required:
            raise SystemExit(f"missing --{label.replace('_', '-')} (or run in a terminal to be asked)")
        return None
    answer = ask(f"{label.replace('_', ' ')}: ").strip()
    return answer or None


def _reference(value: str) -> dict[str, str]:
    """One --reference flag, TITLE|URL, as a reference object."""
    title, bar, url = value.rpartition("|")
    if not bar:
        raise argparse.ArgumentTypeError(
            f"{value!r} has no '|' between title and URL; write it as TITLE|URL, "
            "e.g. 'vLLM documentation|https://docs.vllm.ai/'"
        )
    return {"title": title, "url": url}


def new(args: argparse.Namespace, ask: Callable[[str], str] | None) -> int:
    """Scaffold a question from flags (or prompts), insert it in canonical position, validate, write."""
    try:
        # The whole bank first: nothing is asked, and nothing inserted, into a bank that is not valid.
        load_bank(args.path)
        document = read_document(args.path)
    except BankError as error:
        _report(error.problems, "text")
        print(f"{display_name(args.path)} was not changed; fix the problems above first, then run `new` again.",
              file=sys.stderr)
        return 1
    topics = [t.get("slug") for t in document.get("topics", []) if isinstance(t, dict)]
    entry: dict[str, object] = {}
    question = _ask("question", args.question, ask)
    entry["id"] = args.id or edit.slugify(question or "")
    entry["topic"] = _ask(f"topic ({', '.join(topics)})" if ask else "topic", args.topic, ask)
    entry["question"] = question
    entry["difficulty"] = _ask(f"difficulty ({', '.join(DIFFICULTIES)})" if ask else "difficulty", args.difficulty, ask)
    tags = _ask("tags (comma-separated)" if ask else "tags", args.tags, ask)
    entry["tags"] = [t.strip() for t in (tags or "").split(",") if t.strip()]
    for field in ("answer", "how_to_answer", "example_answer"):
        entry[field] = _ask(field, getattr(args, field), ask)
    if args.follow_up:
        entry["follow_ups"] = args.follow_up
    if args.reference:
        entry["references"] = args.reference
    ids = [q.get("id") for q in document.get("questions", []) if isinstance(q, dict)]
    if entry["id"] in ids:
        message = f"question {entry['id']!r} already exists; choose another --id"
        print(f"{display_name(args.path)}: {message}", file=sys.stderr)
        return 1
    text = edit.dumps(edit.insert_question(document, entry))
    try:
        edit.write_validated(args.path, text)
    except BankError as error:
        _report(error.problems, "text")
        print(f"{display_name(args.path)} was not changed.", file=sys.stderr)
        return 1
    print(f"Added question {entry['id']!r} to topic {entry['topic']!r}.")
    return check(args.path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m macros", description="Work with the question bank.")
    commands = parser.add_subparsers(dest="command", required=True)

    check_parser = commands.add_parser("check", help="validate the bank; never writes")
    check_parser.add_argument("--format", choices=FORMATS, default="text", help="github: workflow annotations")

    fmt_parser = commands.add_parser("fmt", help="rewrite the bank in canonical form (lossless)")
    fmt_parser.add_argument("--check", action="store_true", help="only report whether it is canonical")
    fmt_parser.add_argument("--format", choices=FORMATS, default="text")

    commands.add_parser("stats", help="counts per topic, difficulty and tag; never writes")

    new_parser = commands.add_parser("new", help="add a question (asks for what flags leave out)")
    new_parser.add_argument("--id", help="default: derived from the question text")
    for flag in ("topic", "question", "difficulty", "tags", "answer", "how-to-answer", "example-answer"):
        new_parser.add_argument(f"--{flag}", dest=flag.replace("-", "_"))
    new_parser.add_argument("--follow-up", action="append", help="repeat for several")
    new_parser.add_argument("--reference", action="append", type=_reference, metavar="TITLE|URL",
                            help="repeat for several")

    for sub in (check_parser, fmt_parser, new_parser, commands.choices["stats"]):
        sub.add_argument("--bank", dest="path", type=Path, default=BANK_PATH, help="default: data/questions.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m macros`."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return check(args.path, args.format)
    if args.command == "fmt":
        return fmt(args.path, args.check, args.format)
    if args.command == "stats":
        return stats(args.path)
    return new(args, input if sys.stdin.isatty() else None)
