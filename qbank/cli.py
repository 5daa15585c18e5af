"""The contributor command line, `python -m qbank`: check, fmt, new and stats.

`check` and `stats` never write. `fmt` and `new` write through edit.py: atomically, and only a
bank that `new` has validated in full.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from qbank import draft, edit, numbers, plans, search
from qbank.bank import (
    BANK_PATH,
    DIFFICULTIES,
    MARKDOWN_FIELDS,
    NEAR_DUPLICATE_THRESHOLD,
    Bank,
    BankError,
    Problem,
    counts,
    display_name,
    load_bank,
    question_tokens,
    read_document,
    similarity,
)
from qbank.routes import question_permalink

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
    synonyms = path.with_name("search-synonyms.json")
    if synonyms.exists():
        try:
            groups = search.load_synonyms(synonyms, display_name(synonyms)).groups
        except search.SynonymError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"{display_name(synonyms)}: OK, {len(groups)} synonym groups.")
    figures = path.with_name("numbers.json")
    if figures.exists():
        try:
            table = numbers.load_numbers(figures, display_name(figures))
        except numbers.NumbersError as error:
            print(error, file=sys.stderr)
            return 1
        unknown = numbers.unknown_numbers(((q.id, q.numbers) for q in bank.questions), table)
        for qid, entry in unknown:
            print(f"{display_name(path)}:{bank.lines.get(qid, 1)}: question {qid!r}: 'numbers' names {entry!r}, "
                  f"which {display_name(figures)} does not have; use one of its entry ids", file=sys.stderr)
        if unknown:
            return 1
        print(f"{display_name(figures)}: OK, {len(table.ids)} figures in {len(table.sections)} sections.")
    plan_file = path.with_name("plans.json")
    if plan_file.exists():
        try:
            loaded = plans.load_plans(plan_file, bank.by_id, display_name(plan_file))
        except plans.PlansError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"{display_name(plan_file)}: OK, {len(loaded.plans)} study plans.")
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
            message = "not in canonical form from this line on; run `.venv/bin/python -m qbank fmt` to fix it"
            _report([Problem(display_name(path), line, 1, "", message)], output_format)
            return 1
        edit.write_atomic(path, wanted)
    except BankError as error:
        _report(error.problems, output_format)
        print(f"{display_name(path)} was not changed.", file=sys.stderr)
        return 1
    print(f"{display_name(path)}: rewritten in canonical form.")
    return 0


def stale_reviews(bank: Bank, today: datetime.date) -> list[str]:
    """Ids of the questions never reviewed, or last reviewed 12 or more months before `today`."""
    now = today.year * 12 + today.month - 1
    stale = []
    for q in bank.questions:
        if q.reviewed is None:
            stale.append(q.id)
            continue
        year, month = map(int, q.reviewed.value.split("-"))
        if now - (year * 12 + month - 1) >= 12:
            stale.append(q.id)
    return stale


def stats(path: Path, today: datetime.date | None = None) -> int:
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
    stale = stale_reviews(bank, today or datetime.date.today())
    print(f"not reviewed in the last 12 months (check the claims, then set 'reviewed'): {len(stale)}"
          + (", in " + ", ".join(stale) if stale else "") + "\n")
    tags = counts(tag for question in bank.questions for tag in question.tags)
    print("tags: " + ", ".join(f"{tag} {n}" for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))))
    return 0


def _reference(value: str) -> dict[str, str]:
    """One --reference flag, TITLE|URL, as a reference object."""
    title, bar, url = value.rpartition("|")
    if not bar:
        raise argparse.ArgumentTypeError(
            f"{value!r} has no '|' between title and URL; write it as TITLE|URL, "
            "e.g. 'vLLM documentation|https://docs.vllm.ai/'"
        )
    return {"title": title.strip(), "url": url.strip()}


RESUME = ".venv/bin/python -m qbank new --from {path}"
REQUIRED_FLAGS = ("topic", "question", "difficulty", "tags", "answer", "how_to_answer", "example_answer", "rubric")


def read_line(prompt: str) -> str:
    """One line typed at the terminal, as `input()` reads it, but a Ctrl-C while it waits stops it.

    `input()` prints the prompt and then blocks in read(); a Ctrl-C that lands between the two only
    sets Python's signal flag, so the read waits on and the interrupt is lost (a pexpect loop that
    pressed Ctrl-C at the third prompt of `new` on a loaded machine hung 2 times in 60). Waiting in
    short select() slices returns to Python often enough for the KeyboardInterrupt to be raised. The
    terminal is in line mode, so stdin is readable only once a whole line (or end of input) is
    there, and readline() then does not block. The prompt goes to stdout, with the rest of `new`'s
    output (`input()` writes it to stderr when both are terminals).
    """
    if os.name == "nt":  # select() takes only sockets on Windows; input() is the best there is
        return input(prompt)
    sys.stdout.write(prompt)
    sys.stdout.flush()
    while not select.select([sys.stdin], [], [], 0.2)[0]:
        pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.removesuffix("\n")


@dataclass
class Terminal:
    """How `new` talks to a person: one line at a time, and an editor for long text when $EDITOR is set."""

    ask: Callable[[str], str] = read_line
    editor: str | None = None

    def text(self, name: str, initial: str) -> str:
        """A multi-line field: in $EDITOR (a Markdown file with guidance), or typed up to a lone '.'."""
        if self.editor:
            with tempfile.NamedTemporaryFile("w+", suffix=".md", encoding="utf-8", delete=False) as handle:
                handle.write(f"<!-- {name}: {draft.GUIDANCE[name]}\n     Save and close the editor when done. -->\n"
                             + initial)
            path = Path(handle.name)
            try:
                subprocess.run([*shlex.split(self.editor), str(path)], check=False)
                return re.sub(r"<!--.*?-->\n?", "", path.read_text(encoding="utf-8"), flags=re.S).strip()
            finally:
                path.unlink(missing_ok=True)
        print(f"{name.replace('_', ' ')}: {draft.GUIDANCE[name]}")
        print("  Type it line by line; an empty line separates paragraphs; a line with only . ends it.")
        lines = []
        while (line := self.ask("  > ")) != ".":
            lines.append(line.rstrip())
        return "\n".join(lines).strip()


def _until_valid(name: str, read: Callable[[], object], values: dict[str, object]) -> object:
    """Ask for one field until its value passes the field's own checks; keep it in the draft."""
    while True:
        value = read()
        problems = draft.field_problems(name, value)
        if not problems:
            values[name] = value
            return value
        for problem in problems:
            print(f"  {problem}")


def _items(terminal: Terminal, name: str, parse: Callable[[str], object], at_least: int = 0) -> list:
    """One-line items, each checked as it is typed, until an empty line (refused before `at_least`)."""
    what = {"follow_ups": "questions an interviewer asks next (one the bank answers: Question | its-id)",
            "references": "sources, each as: Title | https://...",
            "rubric": "3 to 6 points the interviewer ticks while listening, drawn from how to answer"}
    need = f"at least {at_least}" if at_least else "optional"
    print(f"{name.replace('_', ' ')} ({need}): {what[name]}, one per line; an empty line ends the list.")
    items: list = []
    while len(items) < 6:
        line = terminal.ask(f"  {len(items) + 1}. ").strip()
        if not line and len(items) >= at_least:
            break
        if not line:
            print(f"  {name.replace('_', ' ')} needs at least {at_least}; type point {len(items) + 1}")
            continue
        try:
            item = parse(line)
        except argparse.ArgumentTypeError as error:
            print(f"  {error}")
            continue
        problems = [p for p in draft.field_problems(name, [item]) if "at least" not in p]
        if problems:
            print("\n".join(f"  {p}" for p in problems))
            continue
        items.append(item)
    return items


def _interview(terminal: Terminal, topics: list[str], ids: set[str], values: dict[str, object]) -> None:
    """Ask for every field in turn, each checked at its own prompt (what is in `values` is kept)."""
    print("A new question: each answer is checked as you go. Ctrl-C keeps what you typed in a draft file.")
    ask = terminal.ask
    _until_valid("question", lambda: ask("question: ").strip(), values)
    listing = ", ".join(f"{n}) {t}" for n, t in enumerate(topics, 1))
    while (choice := _topic_choice(ask(f"topic [{listing}]: "), topics)) not in topics:
        print(f"  {choice!r} is not a topic of the bank; type its number or its slug")
    values["topic"] = choice
    _until_valid("difficulty", lambda: draft.difficulty_choice(
        ask(f"difficulty [{', '.join(f'{n}) {d}' for n, d in enumerate(DIFFICULTIES, 1))}]: ")), values)
    _until_valid("tags", lambda: [t.strip() for t in ask(f"tags ({draft.GUIDANCE['tags']}): ").split(",")
                                  if t.strip()], values)
    for name in MARKDOWN_FIELDS:
        _until_valid(name, lambda name=name: terminal.text(name, str(values.get(name, ""))), values)
    values["follow_ups"] = _items(terminal, "follow_ups", draft.follow_up_item)
    values["references"] = _items(terminal, "references", lambda line: _reference(line))
    values["rubric"] = _items(terminal, "rubric", str, at_least=3)
    derived = draft.derive_id(str(values["question"]))
    while True:
        typed = ask(f"id, the permanent link #{derived} (Enter keeps it, or type another): ").strip() or derived
        problems = draft.field_problems("id", typed) + ([f"id {typed!r} is already used; choose another"]
                                                         if typed in ids else [])
        if not problems:
            values["id"] = typed
            return
        print("\n".join(f"  {p}" for p in problems))


def _topic_choice(answer: str, topics: list[str]) -> str:
    answer = answer.strip()
    return topics[int(answer) - 1] if answer.isdigit() and 1 <= int(answer) <= len(topics) else answer


def _from_flags(args: argparse.Namespace) -> tuple[dict[str, object], list[str]]:
    """The fields given as flags, and the flags still missing (all of them, at once)."""
    values: dict[str, object] = {name: getattr(args, name) for name in REQUIRED_FLAGS if getattr(args, name)}
    if isinstance(values.get("tags"), str):
        values["tags"] = [t.strip() for t in str(values["tags"]).split(",") if t.strip()]
    follow_ups = [draft.follow_up_item(line) for line in args.follow_up or ()]
    values.update({k: v for k, v in (("id", args.id), ("follow_ups", follow_ups),
                                     ("references", args.reference)) if v})
    return values, [f"--{name.replace('_', '-')}" for name in REQUIRED_FLAGS if name not in values]


def _entry_problems(values: dict[str, object], topics: list[str], ids: set[str],
                    questions: list[dict]) -> dict[str, list[str]]:
    """Every field's problems, by field."""
    problems = {name: draft.field_problems(name, values.get(name))
                for name in ("id", "topic", "question", "difficulty", "tags", *draft.LONG_FIELDS)}
    if values.get("topic") and values["topic"] not in topics:
        close = difflib.get_close_matches(str(values["topic"]), topics, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(topics)}"
        problems["topic"].append(f"unknown topic {values['topic']!r}; {hint}")
    if values.get("id") in ids:
        problems["id"].append(f"id {values['id']!r} is already used; choose another")
    for item in values.get("follow_ups") or ():
        target = item.get("answered_by") if isinstance(item, dict) else None
        if target and target not in ids:
            close = difflib.get_close_matches(str(target), sorted(ids), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "use the id of the bank question that answers it"
            problems["follow_ups"].append(f"'answered_by' names {target!r}, which is no question's id; {hint}")
    if values.get("question") and not problems.get("question"):
        # Reported on the new question, naming the existing one (the bank-wide check names the later).
        words = question_tokens(str(values["question"]))
        for existing in questions:
            score = similarity(words, question_tokens(str(existing["question"])))
            if score >= NEAR_DUPLICATE_THRESHOLD:
                problems["question"].append(
                    f"asks nearly the same as the existing question {existing['id']!r} (similarity {score:.2f}); "
                    "make the difference explicit, or improve that question instead")
                break
    return {name: found for name, found in problems.items() if found}


def new(args: argparse.Namespace, terminal: Terminal | None) -> int:
    """Add a question from flags, a draft file or prompts: check each field, then the whole bank,
    then write. Whatever fails or is interrupted is kept in a draft file that `--from` resumes."""
    try:
        # The whole bank first: nothing is asked, and nothing inserted, into a bank that is not valid.
        load_bank(args.path)
        document = read_document(args.path)
    except BankError as error:
        _report(error.problems, "text")
        print(f"{display_name(args.path)} was not changed; fix the problems above first, then run `new` again.",
              file=sys.stderr)
        return 1
    topics = [str(t["slug"]) for t in cast(list[dict], document["topics"])]
    ids = {str(q["id"]) for q in cast(list[dict], document["questions"])}
    values, missing = _from_flags(args)
    source: Path | None = None
    if args.file:
        path = draft.Draft(values).save(topics, args.file)
        print(f"Wrote {path}. Fill it in, then add the question with:\n  {RESUME.format(path=path)}")
        return 0
    if args.from_draft:
        source = args.from_draft
        try:
            values = draft.parse(source.read_text(encoding="utf-8"), display_name(source)).values
        except (OSError, draft.DraftError) as error:
            print(error, file=sys.stderr)
            return 1
    elif terminal is not None and missing:
        try:
            _interview(terminal, topics, ids, values)
        except (KeyboardInterrupt, EOFError):
            path = draft.Draft(values).save(topics, draft.drafts_for(args.path))
            print(f"\nStopped. {display_name(args.path)} was not changed; what you typed is in {display_name(path)}."
                  f"\nFinish it there, then run:\n  {RESUME.format(path=display_name(path))}", file=sys.stderr)
            return 130
    elif missing:
        print(f"missing {', '.join(missing)} (run in a terminal to be asked, or use --file for a draft to fill in)",
              file=sys.stderr)
        return 2
    if not values.get("id"):  # derived from the question, as the prompt would have offered
        values["id"] = draft.derive_id(str(values.get("question") or ""))
    problems = _entry_problems(values, topics, ids, cast(list[dict], document["questions"]))
    if problems:
        kept = source or draft.Draft(values).save(topics, draft.drafts_for(args.path))
        lines = draft.section_lines(kept.read_text(encoding="utf-8"))
        for name, found in problems.items():
            for problem in found:
                print(f"{display_name(kept)}:{lines.get(name, 1)}: {name}: {problem}")
        print(f"{display_name(args.path)} was not changed; your question is kept in {display_name(kept)}. "
              f"Fix it there, then run:\n  {RESUME.format(path=display_name(kept))}", file=sys.stderr)
        return 1
    entry = draft.Draft(values).entry()
    try:
        edit.write_validated(args.path, edit.dumps(edit.insert_question(document, entry)))
    except BankError as error:
        kept = source or draft.Draft(values).save(topics, draft.drafts_for(args.path))
        for problem in error.problems:
            print(f"{problem.subject}: {problem.message}" if problem.subject else problem.message)
        print(f"{display_name(args.path)} was not changed; your question is kept in {display_name(kept)}. "
              f"Fix it there, then run:\n  {RESUME.format(path=display_name(kept))}", file=sys.stderr)
        return 1
    print(f"Added question {entry['id']!r} to topic {entry['topic']!r}: its link is "
          f"{question_permalink(entry['topic'], entry['id'])}.")
    if source and source.resolve().parent == draft.drafts_for(args.path).resolve():
        source.unlink()
    return check(args.path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qbank", description="Work with the question bank.")
    commands = parser.add_subparsers(dest="command", required=True)

    check_parser = commands.add_parser("check", help="validate the bank; never writes")
    check_parser.add_argument("--format", choices=FORMATS, default="text", help="github: workflow annotations")

    fmt_parser = commands.add_parser("fmt", help="rewrite the bank in canonical form (lossless)")
    fmt_parser.add_argument("--check", action="store_true", help="only report whether it is canonical")
    fmt_parser.add_argument("--format", choices=FORMATS, default="text")

    commands.add_parser("stats", help="counts per topic, difficulty and tag; never writes")

    new_parser = commands.add_parser("new", help="add a question (asks for each field, or takes flags or a draft)")
    new_parser.add_argument("--id", help="default: derived from the question text")
    new_parser.add_argument("--file", type=Path, metavar="DRAFT.md",
                            help="write a draft file to fill in (with any fields given as flags), then stop")
    new_parser.add_argument("--from", dest="from_draft", type=Path, metavar="DRAFT.md",
                            help="add the question from a filled-in draft file")
    for flag in ("topic", "question", "difficulty", "tags", "answer", "how-to-answer", "example-answer"):
        new_parser.add_argument(f"--{flag}", dest=flag.replace("-", "_"))
    new_parser.add_argument("--follow-up", action="append",
                            help="repeat for several; 'Question | id' when that bank question answers it")
    new_parser.add_argument("--reference", action="append", type=_reference, metavar="TITLE|URL",
                            help="repeat for several")
    new_parser.add_argument("--rubric", action="append", metavar="POINT",
                            help="a point the interviewer ticks; give 3 to 6, one flag each")

    for sub in (check_parser, fmt_parser, new_parser, commands.choices["stats"]):
        sub.add_argument("--bank", dest="path", type=Path, default=BANK_PATH, help="default: data/questions.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m qbank`."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return check(args.path, args.format)
    if args.command == "fmt":
        return fmt(args.path, args.check, args.format)
    if args.command == "stats":
        return stats(args.path)
    terminal = Terminal(read_line, os.environ.get("EDITOR") or os.environ.get("VISUAL")) if sys.stdin.isatty() else None
    if terminal is not None:
        # The prompts promise that Ctrl-C keeps what was typed. A process started in the background
        # of a non-interactive shell (`cmd &`, as CI runners do) inherits SIGINT ignored, and Python
        # then leaves it ignored: Ctrl-C did nothing and the prompt waited forever. Take it back.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    return new(args, terminal)
