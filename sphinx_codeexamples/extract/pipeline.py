"""Extraction from sources to store pages: scan file by file, then write one page per callable.

Memory holds, besides the file being read, only the hunks of the files that
use a callable, the metadata files of the current source and a few small
maps; parse trees and file texts are dropped as soon as a file is done.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import os
import stat
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import CallableName, CodePart, Kind, Page
from ..store import iter_page_files, read_page_file, render_page
from ..store.index import is_inside
from .finder import FileUses, Targets, find_uses, module_name
from .hunks import build_code
from .library import LibraryCallable
from .metadata import ProjectMeta, project_meta
from .pages import FoundExample, blurb, new_page, project_key, refresh_names, slug, update_page
from .rank import PathFilter, limit, rank
from .refs import Linker, RefOptions, first_use
from .sources import Source, SourceFile
from .summary import CallableSummary
from .windows import CONTEXT, Outline

FIRST_SORTORDER = 500_000_000
SORTORDER_STEP = 10


@dataclass
class Counts:
    """Running totals, for the progress line and the summary."""

    scanned: int = 0
    skipped: int = 0
    parsed: int = 0
    uses: int = 0
    files_with_uses: int = 0
    source: str = ""


@dataclass
class _FileHit:
    path: str
    code: tuple[CodePart, ...]
    item_lines: int = 0


@dataclass
class SourceResult:
    """What one source gave: its project, how to link its files, and the hits per callable."""

    source: Source
    meta: ProjectMeta
    project: str
    hits: dict[str, list[_FileHit]] = field(default_factory=dict)
    license_path: str = ""

    def blurb(self, linker: Linker) -> str:
        """The project's blurb; its license links to the LICENSE file when links are pinned."""
        license_url = linker.url(self.license_path) if self.license_path and linker.pinned else None
        return blurb(self.meta, self.project, license_url)


@dataclass
class Scan:
    """Everything found in all sources.

    ``library`` holds what a library's source says about some targets (by page
    name); ``spellings`` maps each of their names to the page name, so that a
    use through any spelling counts for the one callable.
    """

    targets: list[CallableName]
    results: list[SourceResult] = field(default_factory=list)
    definitions: dict[str, Kind] = field(default_factory=dict)
    reexports: dict[str, str] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)
    warnings: list[str] = field(default_factory=list)
    library: dict[str, LibraryCallable] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)

    def kind(self, dotted: str) -> Kind:
        """The library's kind; else class or function when the definition was seen in a scanned
        source (following re-exports); else callable."""
        if dotted in self.library:
            return self.library[dotted].kind
        seen: set[str] = set()
        current: str | None = dotted
        while current is not None and current not in seen:
            if current in self.definitions:
                return self.definitions[current]
            seen.add(current)
            current = self.reexports.get(current)
        return Kind.CALLABLE


Progress = Callable[[Counts], None]


def scan(
    targets: Sequence[CallableName],
    sources: Sequence[Source],
    context: int = CONTEXT,
    prefilter: bool = True,
    progress: Progress | None = None,
    library: Sequence[LibraryCallable] = (),
) -> Scan:
    """Find the uses of *targets* in every Python file of *sources*.

    *library* describes targets (by their page name, :attr:`LibraryCallable.name`):
    every spelling of theirs is looked for and counts for the target.
    """
    result = Scan(list(targets))
    wanted = {name.dotted for name in targets}
    for item in library:
        if item.name in wanted:
            result.library[item.name] = item
            for spelling in item.spellings:
                result.spellings.setdefault(spelling, item.name)
    finder_targets = Targets.of(wanted | set(result.spellings))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like in scanned code
        for source in sources:
            result.counts.source = source.location
            result.results.append(_scan_source(source, finder_targets, result, context, prefilter, progress))
    return result


def _scan_source(
    source: Source, targets: Targets, scan: Scan, context: int, prefilter: bool, progress: Progress | None
) -> SourceResult:
    metadata: dict[str, bytes] = {}
    licenses: list[str] = []
    hits: dict[str, list[_FileHit]] = {}
    seen: set[str] = set()
    counts = scan.counts
    for file in source.files():
        if not file.is_python:
            if file.data is not None and file.is_metadata:
                metadata.setdefault(file.path, file.data)
            elif file.is_license:
                licenses.append(file.path)
            continue
        if file.path in seen:
            continue
        seen.add(file.path)
        counts.scanned += 1
        uses = _scan_file(file, source, targets, scan, prefilter, context)
        if uses is None:
            counts.skipped += 1
        elif uses:
            counts.files_with_uses += 1
            for target, (lines, code, item_lines) in uses.items():
                counts.uses += len(lines)
                hits.setdefault(target, []).append(_FileHit(file.path, code, item_lines))
        if progress is not None:
            progress(counts)
    meta = project_meta(metadata)
    return SourceResult(
        source=source,
        meta=meta,
        project=meta.name or source.fallback_name,
        hits=hits,
        license_path=min(licenses, default=""),
    )


def _scan_file(
    file: SourceFile, source: Source, targets: Targets, scan: Scan, prefilter: bool, context: int
) -> dict[str, tuple[set[int], tuple[CodePart, ...], int]] | None:
    """The uses in one file with their code and the size of their smallest item, or None (and a
    warning) when the file is skipped."""
    where = f"{source.location}: {file.path}"
    if file.data is None:
        scan.warnings.append(f"{where}: skipped: {file.problem}")
        return None
    if prefilter and not targets.might_occur(file.data):
        return {}
    try:
        text = importlib.util.decode_source(file.data)
        tree = ast.parse(text, filename=file.path)
    except (SyntaxError, ValueError, LookupError) as error:  # UnicodeDecodeError is a ValueError
        message = getattr(error, "msg", None) or str(error)
        line = getattr(error, "lineno", None)
        scan.warnings.append(f"{where}{f':{line}' if line else ''}: skipped: does not parse: {message}")
        return None
    except (RecursionError, MemoryError):
        scan.warnings.append(f"{where}: skipped: too deeply nested to parse")
        return None
    scan.counts.parsed += 1
    module = module_name(file.path, targets.top_packages)
    try:
        found: FileUses = find_uses(tree, text, targets, *(module or (None, False)))
    except RecursionError:
        scan.warnings.append(f"{where}: skipped: too deeply nested to analyse")
        return None
    scan.definitions.update(found.definitions)
    for name, origin in found.reexports.items():
        scan.reexports.setdefault(name, origin)
    if not found.uses:
        return {}
    uses: dict[str, set[int]] = {}
    for target, marked in found.uses.items():  # every spelling of a callable counts for its page
        uses.setdefault(scan.spellings.get(target, target), set()).update(marked)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    outline = Outline(tree, lines)
    result = {}
    for target, marked in uses.items():
        name = target.rpartition(".")[2]
        window = outline.window(marked, context=context)
        result[target] = (marked, build_code(lines, window.spans, marked, name), window.smallest_item)
    return result


# -- writing ------------------------------------------------------------------------------------


@dataclass
class Written:
    """What writing the store did."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_uses: list[str] = field(default_factory=list)
    callables: list[CallableSummary] = field(default_factory=list)


def found_examples(
    scan: Scan, refs: RefOptions | None = None, paths: PathFilter | None = None
) -> dict[str, list[FoundExample]]:
    """The examples of each callable, one per (project, file), ranked; a file seen twice counts once.

    Each links to its file at the line of its first use, as *refs* says (see
    :mod:`~sphinx_codeexamples.extract.refs`); files that *paths* excludes give none.
    """
    refs = refs or RefOptions()
    paths = paths or PathFilter()
    examples: dict[str, list[FoundExample]] = {}
    seen: set[tuple[str, str, str]] = set()
    for result in scan.results:
        linker = refs.linker(result.source, result.meta)
        text = result.blurb(linker)
        key = project_key(result.project)
        for target, hits in result.hits.items():
            for hit in hits:
                if (target, key, hit.path) in seen or paths.excluded(hit.path):
                    continue
                seen.add((target, key, hit.path))
                url = linker.url(hit.path, first_use(hit.code))
                found = FoundExample(result.project, hit.path, url, text, hit.code, hit.item_lines)
                examples.setdefault(target, []).append(found)
    return {target: rank(found) for target, found in examples.items()}


def write_store(
    scan: Scan,
    store: str,
    refs: RefOptions | None = None,
    max_examples: int | None = None,
    paths: PathFilter | None = None,
) -> Written:
    """Write or update one page per callable with uses in *store*; unchanged files are not touched.

    *max_examples* keeps the first examples of the rank (:mod:`~sphinx_codeexamples.extract.rank`)
    that each callable gets from this scan; examples of projects not scanned stay as they are.
    """
    os.makedirs(store, exist_ok=True)
    wanted = {name.dotted for name in scan.targets} | set(scan.spellings)
    pages, taken, next_order = _read_store(store, wanted)
    # a page filed under another spelling of a callable is its page, unless one has its name
    existing = dict(pages)
    for dotted, stored in pages.items():
        existing.setdefault(scan.spellings.get(dotted, dotted), stored)
    examples = found_examples(scan, refs, paths)
    scanned = {project_key(result.project) for result in scan.results}
    outcome = Written()
    for name in sorted(scan.targets):
        dotted = name.dotted
        ranked = examples.get(dotted, [])
        found = limit(ranked, max_examples)
        summary = CallableSummary.of(dotted, ranked, len(found))
        outcome.callables.append(summary)
        known = scan.library.get(dotted)
        page = update_page(existing[dotted], found, scanned) if dotted in existing else None
        if page is None:
            if not found:
                outcome.without_uses.append(dotted)
                continue
            path = _new_path(store, name, taken)
            aliases = known.aliases if known else ()
            page = new_page(path, name, scan.kind(dotted), found, str(next_order), aliases)
            next_order += SORTORDER_STEP
        elif known is not None:
            page = refresh_names(page, known.kind, known.spellings)
        if not page.examples:
            outcome.without_uses.append(dotted)
            continue
        if not found:
            outcome.without_uses.append(dotted)
        changed = _write(page.path, render_page(page))
        (outcome.written if changed else outcome.unchanged).append(page.path)
        summary.page, summary.page_status = page.path, "written" if changed else "unchanged"
    return outcome


def _read_store(store: str, wanted: set[str]) -> tuple[dict[str, Page], set[str], int]:
    """Read every page of *store* once.

    Returns the pages of the *wanted* callables (the first in store order, as
    the index picks them), the paths taken, and the sortorder for the next new
    page: ten more than the highest nine-digit one (500000010 in an empty store).
    """
    pages: dict[str, Page] = {}
    taken: set[str] = set()
    highest = FIRST_SORTORDER
    for path in iter_page_files(store):
        taken.add(os.path.normcase(os.path.abspath(path)))
        if not is_inside(store, path):
            continue
        page, _ = read_page_file(path)
        if page is None:
            continue
        if page.meta.sortorder.isdigit() and len(page.meta.sortorder) == 9:
            highest = max(highest, int(page.meta.sortorder))
        if page.callable is not None and page.dotted in wanted:
            pages.setdefault(page.dotted, page)
    return pages, taken, highest + SORTORDER_STEP


def _new_path(store: str, name: CallableName, taken: set[str]) -> str:
    """``STORE/slug.markdown``, or a name with a hash of the dotted name when the slug is taken."""
    path = os.path.join(store, slug(name) + ".markdown")
    if os.path.normcase(os.path.abspath(path)) in taken or os.path.exists(path):
        digest = hashlib.sha1(name.dotted.encode("utf-8")).hexdigest()[:8]
        path = os.path.join(store, f"{slug(name)}-{digest}.markdown")
    taken.add(os.path.normcase(os.path.abspath(path)))
    return path


@functools.cache
def _new_file_mode() -> int:
    """0666 less the umask, as ``open()`` would create a file (``mkstemp`` makes 0600 files).

    Read once (``os.umask`` can only be read by setting it), before any worker thread runs.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _write(path: str, text: str) -> bool:
    """Write *text* to *path* atomically unless it already holds it; True when written."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as stream:
            if stream.read() == data:
                return False
    except OSError:
        pass
    directory = os.path.dirname(path) or "."
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # a page rewritten keeps its mode
    except OSError:
        mode = _new_file_mode()
    handle, temporary = tempfile.mkstemp(prefix=".extract-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return True
