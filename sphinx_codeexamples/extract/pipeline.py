"""Extraction from sources to store pages: scan file by file, then write one page per callable.

The files are read and analysed by :class:`.runner.Runner` (on every core, or a
cluster, with a cache). The hunks of the files that use a callable go to a
temporary file (:mod:`.spill`) as each source is done, and come back one
callable at a time when its page is written: besides the files in flight, memory
holds the metadata of each source and a few small maps, however many sources
there are. With a cache, pages whose inputs did not change since they were
written are left as they are without being read (:mod:`.pagecache`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..model import CallableName, Hunk, Kind, Page
from ..store import iter_page_files, read_page_file, render_page
from ..store.index import is_inside
from ..store.reader import parse_page_bytes, read_page_bytes
from .cache import ResultCache, SourceOutcome
from .executor import Executor, InlineExecutor
from .library import LibraryCallable
from .metadata import ProjectMeta
from .pagecache import PageCache, PageFacts, bytes_digest, inputs_digest
from .pages import FoundExample, blurb, new_page, project_key, refresh_names, slug, update_page
from .rank import PathFilter, rank
from .refs import Linker, RefOptions, first_use
from .runner import Runner
from .sources import Source
from .spill import HitSpill
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
class SourceResult:
    """What one source gave: its project and what its links need (its hits are in :attr:`Scan.hits`)."""

    source: Source
    meta: ProjectMeta
    project: str
    license_path: str = ""
    blake2b: str = ""  # the archive's digest, when the cache knows it

    def blurb(self, linker: Linker) -> str:
        """The project's blurb; its license links to the LICENSE file when links are pinned."""
        license_url = linker.url(self.license_path) if self.license_path and linker.pinned else None
        return blurb(self.meta, self.project, license_url)


@dataclass
class Scan:
    """Everything found in all sources; :meth:`close` it when done (it holds a temporary file).

    ``hits`` holds the hits of each result (by its index) and callable.
    ``library`` holds what a library's source says about some targets (by page
    name); ``spellings`` maps each of their names to the page name, so that a
    use through any spelling counts for the one callable.
    """

    targets: list[CallableName]
    hits: HitSpill
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

    def close(self) -> None:
        self.hits.close()


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
    spill_dir: str | None = None,
) -> Scan:
    """Find the uses of *targets* in every Python file of *sources*.

    *library* describes targets (by their page name, :attr:`LibraryCallable.name`):
    every spelling of theirs is looked for and counts for the target. The files
    are analysed on *executor* (in this process by default) and their outcomes
    taken from *cache* when it has them; the result is the same either way. The
    hits wait in a temporary file in *spill_dir* (the system's default when None).
    """
    result = Scan(list(targets), HitSpill(spill_dir))
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
            result.hits.add(len(result.results), outcome.hits)
            result.results.append(merged)
        counts.sources_done += 1
        if progress is not None:
            progress(counts)
    return result


def _merge(source: Source, outcome: SourceOutcome, scan: Scan) -> SourceResult:
    """Add what one source gave to *scan*'s totals, definitions and warnings; its result."""
    counts = scan.counts
    counts.scanned += outcome.scanned
    scan.warnings.extend(f"{source.location}: {note}" for note in outcome.notes)
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
    meta = outcome.meta
    return SourceResult(
        source=source,
        meta=meta,
        project=meta.name or source.fallback_name,
        license_path=min(outcome.licenses, default=""),
        blake2b=outcome.blake2b,
    )


# -- writing ------------------------------------------------------------------------------------


@dataclass
class Written:
    """What writing the store did, and how each result's files were linked (in result order)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_uses: list[str] = field(default_factory=list)
    callables: list[CallableSummary] = field(default_factory=list)
    linkers: list[Linker] = field(default_factory=list)


@dataclass
class Ranked:
    """The examples of a callable in rank order; only the first *kept* carry their code."""

    examples: list[FoundExample]
    kept: int
    uses: int  # lines that use the callable, in all the examples

    def summary(self, name: str) -> CallableSummary:
        projects = len({example.key for example in self.examples})
        return CallableSummary(name, self.uses, len(self.examples), projects, self.kept)


def found_examples(
    scan: Scan,
    target: str,
    linkers: Sequence[Linker],
    paths: PathFilter | None = None,
    blurbs: dict[int, str] | None = None,
    keep: int | None = None,
) -> Ranked:
    """The examples of *target*, one per (project, file), ranked; a file seen twice counts once.

    Each links to its file at the line of its first use, as the linker of its
    result (*linkers* has one per result) says; files that *paths* excludes give
    none. *blurbs* keeps the blurb of each result made, for the next callable.
    With *keep*, the examples are ranked without their code, and only the first
    *keep* get it: memory holds that many examples' code, however many files use
    the callable.
    """
    paths = paths or PathFilter()
    blurbs = {} if blurbs is None else blurbs
    examples: list[FoundExample] = []
    origins: dict[tuple[str, str], int] = {}  # (project, path) -> the result it was found in
    uses = 0
    for index, hits in scan.hits.of(target):
        result, linker = scan.results[index], linkers[index]
        if index not in blurbs:
            blurbs[index] = result.blurb(linker)
        text = blurbs[index]
        key = project_key(result.project)
        for hit in hits:
            if (key, hit.path) in origins or paths.excluded(hit.path):
                continue
            origins[key, hit.path] = index
            uses += sum(len(part.marked) for part in hit.code if isinstance(part, Hunk))
            url = linker.url(hit.path, first_use(hit.code))
            code = hit.code if keep is None else ()
            examples.append(FoundExample(result.project, hit.path, url, text, code, hit.item_lines))
    ranked = rank(examples)
    if keep is None:
        return Ranked(ranked, len(ranked), uses)
    kept = ranked[:keep]
    wanted = {(example.key, example.path): number for number, example in enumerate(kept)}
    sources = {origins[found] for found in wanted}
    for index, hits in scan.hits.of(target, sources):
        key = project_key(scan.results[index].project)
        for hit in hits:
            number = wanted.get((key, hit.path))
            if number is not None and origins[key, hit.path] == index:
                kept[number] = replace(kept[number], code=hit.code)
    ranked[: len(kept)] = kept
    return Ranked(ranked, len(kept), uses)


def write_store(
    scan: Scan,
    store: str,
    refs: RefOptions | None = None,
    max_examples: int | None = None,
    paths: PathFilter | None = None,
    cache: PageCache | None = None,
) -> Written:
    """Write or update one page per callable with uses in *store*; unchanged files are not touched.

    *max_examples* keeps the first examples of the rank (:mod:`~sphinx_codeexamples.extract.rank`)
    that each callable gets from this scan; examples of projects not scanned stay as they are.
    With a *cache*, a page whose bytes and inputs are those it was last written with is
    left as it is, unread (see :mod:`.pagecache`); the store is the same either way.
    """
    os.makedirs(store, exist_ok=True)
    refs = refs or RefOptions()
    wanted = {name.dotted for name in scan.targets} | set(scan.spellings)
    pages, taken, next_order = _read_store(store, wanted, cache)
    # a page filed under another spelling of a callable is its page, unless one has its name
    existing = dict(pages)
    for dotted, file in pages.items():
        existing.setdefault(scan.spellings.get(dotted, dotted), file)
    outcome = Written(linkers=[refs.linker(r.source, r.meta, r.blake2b) for r in scan.results])
    writer = _PageWriter(scan, store, outcome.linkers, paths, max_examples, cache, taken, next_order)
    for name in sorted(scan.targets):
        writer.write(name, existing.get(name.dotted), outcome)
    return outcome


@dataclass
class _PageWriter:
    """Writes the page of one callable after another (see :func:`write_store`)."""

    scan: Scan
    store: str
    linkers: list[Linker]
    paths: PathFilter | None
    max_examples: int | None
    cache: PageCache | None
    taken: set[str]
    next_order: int
    blurbs: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scanned = {project_key(result.project) for result in self.scan.results}
        self.options = repr((self.paths or PathFilter(), self.max_examples))

    def write(self, name: CallableName, stored: _Stored | None, outcome: Written) -> None:
        """Write the page of *name* (*stored*: its file in the store), and say so in *outcome*."""
        dotted = name.dotted
        known = self.scan.library.get(dotted)
        summary = self._unchanged(dotted, stored.facts, known) if stored is not None else None
        if stored is not None and summary is not None:  # left as it is, unread
            outcome.callables.append(summary)
            if not summary.examples:
                outcome.without_uses.append(dotted)
            outcome.unchanged.append(stored.path)
            summary.page, summary.page_status = stored.path, "unchanged"
            return
        ranked = found_examples(self.scan, dotted, self.linkers, self.paths, self.blurbs, self.max_examples)
        found = ranked.examples[: ranked.kept]
        summary = ranked.summary(dotted)
        outcome.callables.append(summary)
        before = stored.load() if stored is not None else None
        page = _merged(before, found, self.scanned, known) if before is not None else None
        if page is None:
            if not found:
                outcome.without_uses.append(dotted)
                return
            path = _new_path(self.store, name, self.taken)
            aliases = known.aliases if known else ()
            page = new_page(path, name, self.scan.kind(dotted), found, str(self.next_order), aliases)
            self.next_order += SORTORDER_STEP
        if not page.examples:
            outcome.without_uses.append(dotted)
            return
        text = render_page(page)
        changed = _write(page.path, text)
        if self.cache is not None:
            self._remember(page, text, found, known, summary)
        if not found:
            outcome.without_uses.append(dotted)
        (outcome.written if changed else outcome.unchanged).append(page.path)
        summary.page, summary.page_status = page.path, "written" if changed else "unchanged"

    def _unchanged(
        self, dotted: str, facts: PageFacts, known: LibraryCallable | None
    ) -> CallableSummary | None:
        """The callable's summary when updating its page is known to give the page's bytes back
        (it was written from these inputs, or, one of ours, it gets nothing to merge in); else None."""
        if not facts.made_from:
            return None
        if not self.scan.hits.digests(dotted) and known is None and not self.scanned & facts.projects:
            return CallableSummary(dotted, 0, 0, 0, 0)  # nothing found, none of its projects scanned
        if len(facts.summary) == 4 and facts.made_from == self._inputs(dotted, facts.projects, known):
            return CallableSummary(dotted, *facts.summary)
        return None

    def _inputs(self, dotted: str, projects: frozenset[str], known: LibraryCallable | None) -> str:
        """The digest of the inputs of *dotted*'s page, whose examples are of *projects* (see
        :mod:`.pagecache`); "" when an archive's links depend on more than its linker says."""
        records = []
        for index, digest in self.scan.hits.digests(dotted):
            result, linker = self.scan.results[index], self.linkers[index]
            if result.source.kind != "directory" and not linker.known_digest:
                return ""  # its links would be made from the archive as it is read then
            if index not in self.blurbs:
                self.blurbs[index] = result.blurb(linker)
            records.append((result.project, self.blurbs[index], repr(linker), digest))
        return inputs_digest(records, self.options, self.scanned & projects, known)

    def _remember(
        self,
        page: Page,
        text: str,
        found: Sequence[FoundExample],
        known: LibraryCallable | None,
        summary: CallableSummary,
    ) -> None:
        """Record the facts of the page just written, with the inputs it comes out of unchanged.

        Updating is meant to be idempotent, but it is checked here (merging the same
        inputs again, without reading the file back) rather than assumed: when the
        check fails, no inputs are recorded and the next run takes the normal path.
        """
        assert self.cache is not None
        facts = PageFacts.of(page)
        if render_page(_merged(page, found, self.scanned, known)) == text:
            numbers = (summary.uses, summary.files, summary.projects, summary.examples)
            facts = replace(
                facts, made_from=self._inputs(page.dotted, facts.projects, known), summary=numbers
            )
        self.cache.put(bytes_digest(text.encode("utf-8")), facts)


def _merged(
    page: Page, found: Sequence[FoundExample], scanned: set[str], known: LibraryCallable | None
) -> Page:
    """*page* with the *found* examples merged in, and what the library says about its callable."""
    page = update_page(page, found, scanned)
    return refresh_names(page, known.kind, known.spellings) if known is not None else page


@dataclass
class _Stored:
    """A page file of the store: its path, the digest of its bytes, its facts, and its page
    when it was parsed to learn its facts."""

    path: str
    digest: str
    facts: PageFacts
    page: Page | None = None

    def load(self) -> Page | None:
        """The page (read again when it was not parsed yet); None when it is no longer a page."""
        if self.page is None:
            self.page, _ = read_page_file(self.path)
        return self.page


def _read_store(
    store: str, wanted: set[str], cache: PageCache | None
) -> tuple[dict[str, _Stored], set[str], int]:
    """Read and hash every page file of *store* once; parse those the *cache* does not know.

    Returns the page files of the *wanted* callables (the first in store order, as
    the index picks them), the paths taken, and the sortorder for the next new
    page: ten more than the highest nine-digit one (500000010 in an empty store).
    """
    pages: dict[str, _Stored] = {}
    taken: set[str] = set()
    highest = FIRST_SORTORDER
    for path in iter_page_files(store):
        taken.add(os.path.normcase(os.path.abspath(path)))
        if not is_inside(store, path):
            continue
        data, _ = read_page_bytes(path)
        if data is None:
            continue
        digest = bytes_digest(data)
        facts = cache.get(digest) if cache is not None else None
        page = None
        if facts is None:
            page, _ = parse_page_bytes(data, path)
            facts = PageFacts.of(page)
            if cache is not None:
                cache.put(digest, facts)
        if facts.sortorder.isdigit() and len(facts.sortorder) == 9:
            highest = max(highest, int(facts.sortorder))
        if facts.dotted is not None and facts.dotted in wanted and facts.dotted not in pages:
            pages[facts.dotted] = _Stored(path, digest, facts, page)
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
