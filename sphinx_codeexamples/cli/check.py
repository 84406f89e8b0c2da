"""``sphinx-codeexamples check STORE...``: read stores, print every problem."""

from __future__ import annotations

import argparse
from typing import Any

from ..problems import Severity
from ..store import scan_store


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="read stores and print every problem as path:line: message",
        description=(
            "Read every page of the given store directories and print each problem as "
            "'path:line: severity: message [subtype]'. Exits 1 when there are errors."
        ),
    )
    parser.add_argument("stores", nargs="+", metavar="STORE", help="a store directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too, not only on errors")
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    index = scan_store(arguments.stores)
    problems = list(index.problems)
    examples = 0
    for entry in index.entries:
        page = entry.load() if entry.name else None
        examples += len(page.examples) if page else 0
    problems.sort(key=lambda problem: (problem.path, problem.line))
    for problem in problems:
        print(problem.format())
    errors = sum(problem.code.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    counts = [(len(index.entries), "page"), (len(index.by_name), "callable")]
    if index.aliases:
        counts.append((len(index.aliases), "alias"))
    counts.append((examples, "example"))
    found = ", ".join(_count(number, noun) for number, noun in counts)
    print(f"{found}: {_count(errors, 'error')}, {_count(warnings, 'warning')}")
    failing = errors or (arguments.strict and warnings)
    return 1 if failing else 0


def _count(number: int, noun: str) -> str:
    plural = "es" if noun.endswith("s") else "s"
    return f"{number} {noun}{'' if number == 1 else plural}"
