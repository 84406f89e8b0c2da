"""Measure what ``extract`` writes: do its hunks parse, and are the imports it shows needed?

Reads a store (or runs ``extract`` into a temporary one first) and, for every
hunk of every example, dedents the hunk's lines and parses them with
``ast.parse``. It also checks each module-level import line shown (an
unindented ``import``/``from`` statement in a hunk): it is *needed* when it is
marked (the import of the callable is a use) or when a name it binds occurs in
the example's other code. Nothing is timed::

    python benchmarks/measure_windows.py STORE_DIR
    python benchmarks/measure_windows.py --callable itsdangerous.URLSafeTimedSerializer SOURCE... [--json OUT]

Exits 1 when a hunk does not parse or an import is not needed.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from sphinx_codeexamples.cli import main as cli_main
from sphinx_codeexamples.extract.windows import hunk_parses
from sphinx_codeexamples.model import Example, Hunk
from sphinx_codeexamples.store import read_page_file, scan_store

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Figures:
    pages: int = 0
    examples: int = 0
    hunks: int = 0
    hunks_parsing: int = 0
    import_lines: int = 0
    imports_needed: int = 0
    failures: list[str] = field(default_factory=list)


def imports_shown(example: Example) -> Iterator[tuple[Hunk, int, set[str]]]:
    """(hunk, index, names bound) for each module-level import statement that a hunk shows."""
    for hunk in example.hunks:
        for index, line in enumerate(hunk.lines):
            if not line.startswith(("import ", "from ")):
                continue
            try:
                tree = ast.parse(line.rstrip("\\ ("))
            except SyntaxError:
                tree = None  # a parenthesised multi-line import: judged by its first line's names
            names: set[str] = set()
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, ast.Import):
                    names.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    names.update(alias.asname or alias.name for alias in node.names)
            yield hunk, index, names


def measure(store: str) -> Figures:
    figures = Figures()
    for entry in scan_store([store]).entries:
        page, _ = read_page_file(entry.path)
        if page is None:
            continue
        figures.pages += 1
        for example in page.examples:
            figures.examples += 1
            for hunk in example.hunks:
                figures.hunks += 1
                if hunk_parses(hunk.lines):
                    figures.hunks_parsing += 1
                else:
                    figures.failures.append(f"{entry.path}: example {example.number}: hunk at {hunk.start}")
            imports = list(imports_shown(example))
            import_lines = {(id(hunk), index) for hunk, index, _ in imports}
            words = {
                word
                for hunk in example.hunks
                for index, line in enumerate(hunk.lines)
                if (id(hunk), index) not in import_lines
                for word in _WORD.findall(line)
            }
            for hunk, index, names in imports:
                figures.import_lines += 1
                if index in hunk.marked or not names or names & words:
                    figures.imports_needed += 1
                else:
                    figures.failures.append(
                        f"{entry.path}: example {example.number}: import not needed: {hunk.lines[index]}"
                    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="a store directory, or sources with --callable")
    parser.add_argument("--callable", dest="callables", action="append", default=[])
    parser.add_argument("--json", metavar="OUT")
    arguments = parser.parse_args(argv)
    if arguments.callables:
        store = tempfile.mkdtemp(prefix="measure-windows-")
        argv_extract = ["extract", "-q", *arguments.sources, "-o", store]
        for name in arguments.callables:
            argv_extract += ["--callable", name]
        cli_main(argv_extract)
    else:
        (store,) = arguments.sources
    figures = measure(store)
    for failure in figures.failures[:50]:
        print(failure)
    print(
        f"{figures.pages} pages, {figures.examples} examples: "
        f"{figures.hunks_parsing}/{figures.hunks} hunks parse once dedented; "
        f"{figures.imports_needed}/{figures.import_lines} import lines shown are needed"
    )
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as stream:
            json.dump(asdict(figures), stream, indent=1)
    return 0 if not figures.failures else 1


if __name__ == "__main__":
    sys.exit(main())
