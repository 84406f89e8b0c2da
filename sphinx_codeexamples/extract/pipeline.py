"""Extraction from sources to store pages: scan file by file, then write one page per callable.

The files are read and analysed by :class:`.runner.Runner` (on every core, or a
cluster, with a cache); memory holds, besides the files in flight, only the hunks
of the files that use a callable, the metadata files of each source and a few
small maps.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import CallableName, CodePart, Kind, Page
from ..store import iter_page_files, read_page_file, render_page
from ..store.index import is_inside
from .cache import ResultCache, SourceOutcome
from .executor import Executor, InlineExecutor
from .library import LibraryCallable
from .metadata import ProjectMeta
from .pages import FoundExample, blurb, new_page, project_key, refresh_names, slug, update_page
from .rank import PathFilter, limit, rank
from .refs import Linker, RefOptions, first_use
from .runner import Runner
from .sources import Source
from .summary import CallableSummary
from .windows import CONTEXT

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
    read: int = 0
    sources_done: int = 0
    sources_total: int = 0


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
    executor: Executor | None = None,
    cache: ResultCache | None = None,
) -> Scan:
    """Find the uses of *targets* in every Python file of *sources*.

    *library* describes targets (by their page name, :attr:`LibraryCallable.name`):
    every spelling of theirs is looked for and counts for the target. The files
    are analysed on *executor* (in this process by default) and their outcomes
    taken from *cache* when it has them; the result is the same either way.
    """
    result = Scan(list(targets))
    wanted = {name.dotted for name in targets}
    for item in library:
        if item.name in wanted:
            result.library[item.name] = item
            for spelling in item.spellings:
                result.spellings.setdefault(spelling, item.name)
    counts = result.counts
    counts.sources_total = len(sources)

    def on_read(files: int) -> None:
        counts.read += files
        if progress is not None:
            progress(counts)

    runner = Runner(
        wanted | set(result.spellings),
        executor or InlineExecutor(),
        cache,
        context=context,
        prefilter=prefilter,
        on_read=on_read,
        pages=result.spellings,
    )
    for source, outcome in runner.run(sources):
        counts.source = source.location
        merged = _merge(source, outcome, result)
        if not outcome.unreadable:  # its project's examples already in the store stay
            result.results.append(merged)
        counts.sources_done += 1
        if progress is not None:
            progress(counts)
    return result


def _merge(source: Source, outcome: SourceOutcome, scan: Scan) -> SourceResult:
    """Add what one source gave to *scan*'s totals, definitions and warnings; its hits per callable."""
    counts = scan.counts
    counts.scanned += outcome.scanned
    scan.warnings.extend(f"{source.location}: {note}" for note in outcome.notes)
    hits: dict[str, list[_FileHit]] = {}
    for file in outcome.files:
        if file.parsed:
            counts.parsed += 1
        if file.skipped:
            counts.skipped += 1
            line = f":{file.line}" if file.line else ""
            scan.warnings.append(f"{source.location}: {file.path}{line}: skipped: {file.problem}")
        scan.definitions.update(file.definitions)
        for name, origin in file.reexports:
            scan.reexports.setdefault(name, origin)
        if file.uses:
            counts.files_with_uses += 1
        for use in file.uses:
            counts.uses += use.lines
            hits.setdefault(use.target, []).append(_FileHit(file.path, use.code, use.item_lines))
    meta = outcome.meta
    return SourceResult(
        source=source,
        meta=meta,
        project=meta.name or source.fallback_name,
        hits=hits,
        license_path=min(outcome.licenses, default=""),
    )


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
