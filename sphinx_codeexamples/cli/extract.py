"""``sphinx-codeexamples extract``: find the uses of callables in sources and write store pages."""

from __future__ import annotations

import argparse
import keyword
import os
import sys
from concurrent.futures import BrokenExecutor
from typing import Any

from ..extract.cache import ResultCache
from ..extract.executor import ExecutorError
from ..extract.library import Library, LibraryCallable, read_library
from ..extract.memory import tune_allocator
from ..extract.metadata import ProjectMeta
from ..extract.pipeline import Scan, scan, write_store
from ..extract.pypi import FetchFailure
from ..extract.rank import PathFilter
from ..extract.refs import RefError, RefOptions
from ..extract.sources import Source, SourceError
from ..extract.summary import as_json
from ..extract.windows import CONTEXT
from ..model import CallableName
from . import scale
from .progress import make_progress

PROG = "sphinx-codeexamples extract"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "extract",
        help="find the uses of callables in source trees, sdists or wheels and write store pages",
        description=(
            "Scan Python files (without importing or running them) for uses of each --callable and "
            "write one example page per callable into STORE_DIR. Pages already there are updated: "
            "hand-written intro prose and project blurbs are kept. With --library, the library's "
            "source gives the callables (all its public ones unless --callable names some), their "
            "kinds and every name they are imported by: a use through any of them counts for the one "
            "page, filed under the shortest public name, with the others as aliases."
        ),
    )
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a directory (a git checkout or not), an sdist (.tar.gz, .zip) or a wheel (.whl)",
    )
    parser.add_argument(
        "--callable",
        dest="callables",
        action="append",
        default=[],
        metavar="DOTTED.NAME",
        help="the dotted name of a callable to find, e.g. sqlalchemy.orm.object_session (repeatable); "
        "with --library, any of its names",
    )
    parser.add_argument(
        "--library",
        dest="libraries",
        action="append",
        default=[],
        metavar="PATH",
        help="a library whose callables are looked for: its package directory, sdist or wheel, or a "
        "module's .py file (read, never imported; repeatable)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="STORE_DIR", help="the store directory")
    parser.add_argument(
        "--ref",
        dest="refs",
        action="append",
        default=[],
        metavar="[SOURCE=]REF",
        help="pin the links of SOURCE (as given, or its file name) to the tag or commit REF (repeatable); "
        "a bare REF is allowed with one source only (default: a checkout's commit, else --ref-template, "
        "else the archive's own files on inspector.pypi.io)",
    )
    parser.add_argument(
        "--ref-template",
        metavar="TEMPLATE",
        help="the tag of an sdist's or wheel's release, from its {name} and {version}, e.g. 'v{version}'; "
        "a guess, never checked",
    )
    parser.add_argument(
        "--context",
        type=int,
        default=CONTEXT,
        metavar="N",
        help="inside an item too long to show whole, also show the whole statements that lie within "
        f"N lines of a shown use (default {CONTEXT})",
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        metavar="N",
        help="at most N examples per callable from these sources, taken in turn from each project "
        "(default: every file that uses it)",
    )
    parser.add_argument(
        "--exclude",
        dest="excludes",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out the files whose project-relative path matches GLOB ('*' matches '/' too), "
        "e.g. 'docs/*' (repeatable)",
    )
    parser.add_argument(
        "--no-tests",
        action="store_true",
        help="leave out test files (under a test, tests or testing directory; test_*.py, *_test.py, "
        "conftest.py)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="the summary on stdout: lines for a person (default) or one JSON object for scripts",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print neither progress nor a warning per skipped file"
    )
    scale.add_arguments(parser)
    parser.set_defaults(run=run)


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _callables(values: list[str], library: bool = False) -> list[CallableName] | str:
    """The parsed --callable values, or an error message."""
    if not values and not library:
        return "give at least one --callable DOTTED.NAME, or --library PATH"
    names: list[CallableName] = []
    for value in values:
        name = CallableName.parse(value)
        parts = value.strip().split(".")
        if not name.module or not name.is_valid() or any(keyword.iskeyword(part) for part in parts):
            return f"--callable {value!r} is not a dotted name like package.module.name"
        if name not in names:
            names.append(name)
    return names


def _library_targets(
    libraries: list[Library], names: list[CallableName]
) -> tuple[list[CallableName], list[LibraryCallable], list[str]]:
    """The targets, the libraries' callables among them, and the names no library knows.

    No *names*: every public callable. Otherwise each name, in whatever spelling,
    becomes its callable's page name; a name no library knows stays as given.
    """
    if not names:
        known = [item for library in libraries for item in library.public()]
        return [CallableName.parse(item.name) for item in known], known, []
    targets: list[CallableName] = []
    known = []
    unknown = []
    for name in names:
        item = next(filter(None, (library.find(name.dotted) for library in libraries)), None)
        if item is None:
            unknown.append(name.dotted)
            target = name
        else:
            target = CallableName.parse(item.name)
            if item not in known:
                known.append(item)
        if target not in targets:
            targets.append(target)
    return targets, known, unknown


def run(arguments: argparse.Namespace) -> int:
    tune_allocator()  # before anything large is allocated and freed (see extract.memory)
    names = _callables(arguments.callables, library=bool(arguments.libraries))
    if isinstance(names, str):
        return _error(names)
    known: list[LibraryCallable] = []
    if arguments.libraries:
        libraries = []
        for location in arguments.libraries:
            try:
                library = read_library(location)
            except SourceError as error:
                return _error(f"--library {error}")
            if not library.modules:
                return _error(f"--library {location}: no Python package found")
            libraries.append(library)
        names, known, unknown = _library_targets(libraries, names)
        packages = ", ".join(package for library in libraries for package in library.packages)
        for dotted in unknown:
            print(
                f"warning: {dotted} is not a callable of {packages}; looked for as spelled", file=sys.stderr
            )
    if arguments.context < 0:
        return _error("--context must be 0 or more")
    if arguments.max_examples is not None and arguments.max_examples < 1:
        return _error("--max-examples must be 1 or more")
    if os.path.exists(arguments.output) and not os.path.isdir(arguments.output):
        return _error(f"{arguments.output}: the output exists and is not a directory")
    if (problem := scale.check(arguments)) is not None:
        return _error(problem)
    sources = []
    for location in arguments.sources:
        try:
            sources.append(Source.open(location))
        except SourceError as error:
            return _error(str(error))
    fetched, not_fetched = scale.fetched_sources(arguments)
    sources += fetched
    try:
        refs = RefOptions.parse(arguments.refs, arguments.ref_template, sources)
    except RefError as error:
        return _error(str(error))
    try:
        executor = scale.executor(arguments)
    except ExecutorError as error:
        return _error(str(error))
    try:  # made now: the hits found wait there, in a temporary file, until the pages are written
        os.makedirs(arguments.output, exist_ok=True)
    except OSError as error:
        executor.close()
        return _error(f"{arguments.output}: cannot make the output directory: {error.strerror}")
    cache = scale.result_cache(arguments)
    progress = make_progress(sys.stderr, len(sources), arguments.quiet)
    try:
        found = scan(
            names,
            sources,
            context=arguments.context,
            progress=progress,
            library=known,
            executor=executor,
            cache=cache,
            spill_dir=arguments.output,
        )
    except BrokenExecutor as error:  # a worker killed (out of memory, say)
        print(f"{PROG}: error: a worker stopped: {error}", file=sys.stderr)
        return 1
    finally:
        executor.close()
        if progress is not None:
            progress.close()
    for source in sources:
        if source.git is not None and source.git.dirty and refs.ref_for(source, ProjectMeta())[1] == "commit":
            print(f"warning: {source.location}: uncommitted changes; links point at HEAD", file=sys.stderr)
    if not arguments.quiet:
        for warning in found.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    try:
        return _write(arguments, found, refs, not_fetched, cache)
    finally:
        found.close()


def _write(
    arguments: argparse.Namespace,
    found: Scan,
    refs: RefOptions,
    not_fetched: list[FetchFailure],
    cache: ResultCache | None,
) -> int:
    """Write the store, then the summary."""
    paths = PathFilter(tuple(arguments.excludes), arguments.no_tests)
    pages = scale.page_cache(arguments)
    written = write_store(found, arguments.output, refs, arguments.max_examples, paths, pages)
    links = written.linkers
    if arguments.format == "json":
        print(
            as_json(
                found.counts,
                arguments.output,
                written.callables,
                [link.as_dict() for link in links],
                found.warnings,
                [{"requirement": item.requirement, "reason": item.reason} for item in not_fetched],
            )
        )
        return 0
    counts = found.counts
    print(
        f"{counts.scanned} files scanned, {counts.skipped} skipped, {counts.uses} uses found "
        f"in {counts.files_with_uses} files; {len(written.written)} pages written, "
        f"{len(written.unchanged)} unchanged, in {arguments.output}"
    )
    for summary in written.callables:
        print(summary.line())
    if written.without_uses:
        print("no uses found of: " + ", ".join(written.without_uses))
    for link in links:
        print("links: " + link.describe())
    if cache is not None and (cache.hits or cache.misses):
        print(f"cache: {cache.hits} results reused, {cache.misses} computed, in {scale.cache_dir(arguments)}")
    for failure in not_fetched:
        print(f"not fetched: {failure.requirement}: {failure.reason}")
    return 0
