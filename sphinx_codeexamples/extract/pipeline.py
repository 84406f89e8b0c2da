"""Extraction from sources to store pages: scan file by file, then write one page per callable.

The files are read and analysed by :class:`.runner.Runner` (on every core, or a
cluster, with a cache); memory holds, besides the files in flight, only the hunks
of the files that use a callable, the metadata files of each source and a few
small maps.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import CallableName, CodePart, Kind, Page
from ..store import iter_page_files, read_page_file, render_page
from ..store.index import is_inside
from .cache import ResultCache, SourceOutcome
from .executor import Executor, InlineExecutor
from .gitinfo import file_url
from .hunks import CONTEXT
from .library import LibraryCallable
from .metadata import ProjectMeta
from .pages import FoundExample, blurb, new_page, project_key, refresh_names, slug, update_page
from .runner import Runner
from .sources import Source

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


@dataclass
class SourceResult:
    """What one source gave: its project, how to link its files, and the hits per callable."""

    source: Source
    meta: ProjectMeta
    project: str
    hits: dict[str, list[_FileHit]] = field(default_factory=dict)
    license_path: str = ""

    def ref(self, override: str | None) -> str | None:
        """The ref links are pinned to: ``--ref``, else the checkout's commit."""
        if override:
            return override
        return self.source.git.commit if self.source.git else None

    def pinned_url(self, path: str, override: str | None) -> str | None:
        """The web page of *path* at a fixed ref (``--ref`` or the checkout's commit), if known."""
        ref = self.ref(override)
        git = self.source.git
        repository = (git.repository if git else None) or self.meta.repository
        if not ref or not repository:
            return None
        return file_url(repository, ref, (git.prefix if git else "") + path)

    def url(self, path: str, override: str | None) -> str | None:
        """The pinned web page of *path*, else the project's PyPI page, else its repository."""
        pinned = self.pinned_url(path, override)
        if pinned:
            return pinned
        if self.meta.name:
            version = f"{self.meta.version}/" if self.meta.version and self.source.kind != "directory" else ""
            return f"{self.meta.pypi}{version}"
        return self.meta.repository or self.meta.home or None

    def blurb(self, override: str | None) -> str:
        license_url = self.pinned_url(self.license_path, override) if self.license_path else None
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
            hits.setdefault(use.target, []).append(_FileHit(file.path, use.code))
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


def found_examples(scan: Scan, ref: str | None) -> dict[str, list[FoundExample]]:
    """The examples of each callable, one per (project, file); a file seen twice counts once."""
    examples: dict[str, list[FoundExample]] = {}
    seen: set[tuple[str, str, str]] = set()
    for result in scan.results:
        text = result.blurb(ref)
        key = project_key(result.project)
        for target, hits in result.hits.items():
            for hit in hits:
                if (target, key, hit.path) in seen:
                    continue
                seen.add((target, key, hit.path))
                found = FoundExample(result.project, hit.path, result.url(hit.path, ref), text, hit.code)
                examples.setdefault(target, []).append(found)
    return examples


def limit_examples(found: Sequence[FoundExample], limit: int | None) -> list[FoundExample]:
    """At most *limit* of *found*: taken in turn from each project, so that one large project
    does not crowd out the others, and within a project in path order."""
    if limit is None or len(found) <= limit:
        return list(found)
    by_project: dict[str, list[FoundExample]] = {}
    for example in sorted(found, key=lambda example: (example.key, example.path)):
        by_project.setdefault(example.key, []).append(example)
    rounds = itertools.zip_longest(*by_project.values())
    return [example for round_ in rounds for example in round_ if example is not None][:limit]


def write_store(scan: Scan, store: str, ref: str | None = None, max_examples: int | None = None) -> Written:
    """Write or update one page per callable with uses in *store*; unchanged files are not touched.

    *max_examples* caps the examples each callable gets from this scan (see
    :func:`limit_examples`); examples of projects not scanned stay as they are.
    """
    os.makedirs(store, exist_ok=True)
    wanted = {name.dotted for name in scan.targets} | set(scan.spellings)
    pages, taken, next_order = _read_store(store, wanted)
    # a page filed under another spelling of a callable is its page, unless one has its name
    existing = dict(pages)
    for dotted, stored in pages.items():
        existing.setdefault(scan.spellings.get(dotted, dotted), stored)
    examples = found_examples(scan, ref)
    scanned = {project_key(result.project) for result in scan.results}
    outcome = Written()
    for name in sorted(scan.targets):
        dotted = name.dotted
        found = limit_examples(examples.get(dotted, []), max_examples)
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
        (outcome.written if _write(page.path, render_page(page)) else outcome.unchanged).append(page.path)
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
    handle, temporary = tempfile.mkstemp(prefix=".extract-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return True
