"""Running an extraction over many sources: read, look up the cache, batch, submit, merge in order.

This process reads each source (streaming an archive member by member), keeps
its metadata and license files, and for each Python file decides what to do:
skip it (unreadable, or it spells no target's last name), take its outcome from
the per-file cache, or add it to a batch for the executor. Batches are
submitted as they fill; at most a few per worker are in flight, so memory holds
a bounded number of file texts however many sources there are. Outcomes are put
back in each source's file order, so the result (and the store written from it)
is the same whatever the number of workers and whatever came from the cache.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .cache import ResultCache, SourceOutcome, archive_key, file_blake2b, file_key, file_sha256
from .executor import Executor, TaskFuture
from .finder import MANY_NAMES, module_name, spells
from .memory import tune_allocator
from .metadata import project_meta
from .sources import Source, SourceError
from .spill import pack
from .tasks import Batch, FileJob, FileOutcome, scan_batch
from .windows import CONTEXT

BATCH_BYTES = 512_000
BATCH_FILES = 64
IN_FLIGHT_PER_WORKER = 3

OnRead = Callable[[int], None]
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class _Pending:
    """A source being scanned: outcomes in file order, None where a batch's result is awaited."""

    source: Source
    outcome: SourceOutcome
    archive_key: str | None = None
    slots: list[FileOutcome | None] = field(default_factory=list)
    waiting: int = 0
    done_reading: bool = False


@dataclass
class _Submitted:
    pending: _Pending
    first_slot: int
    keys: list[str | None]
    future: TaskFuture[list[FileOutcome]]


class Runner:
    """Scans *sources* for *targets* (dotted names) on *executor*, with an optional cache."""

    def __init__(
        self,
        targets: Iterable[str],
        executor: Executor,
        cache: ResultCache | None = None,
        context: int = CONTEXT,
        prefilter: bool = True,
        on_read: OnRead | None = None,
        pages: Mapping[str, str] | None = None,
    ) -> None:
        self.targets = tuple(sorted(set(targets)))
        self.pages = dict(pages or {})  # spelling -> page name, for extract --library
        self.last_names = sorted({name.rpartition(".")[2] for name in self.targets})
        self._encoded = [(name.encode("utf-8"), name) for name in self.last_names]
        self.by_last: dict[str, list[str]] = {}
        for name in self.targets:
            self.by_last.setdefault(name.rpartition(".")[2], []).append(name)
        # many names (a whole library's): one pass over the file's words beats a search per name
        many = len(self.by_last) >= MANY_NAMES and all(name.isascii() for name in self.by_last)
        self._words = frozenset(name.encode() for name in self.by_last) if many else None
        self.top_packages = frozenset(name.partition(".")[0] for name in self.targets)
        # outside the library, a use spells every part of the target's name (see _relevant)
        self._parts = {
            name: tuple(part.encode("utf-8") for part in name.split(".")[:-1]) for name in self.targets
        }
        self.executor = executor
        self.cache = cache
        self.context = context
        self.prefilter = prefilter
        self.on_read = on_read
        self._in_flight: deque[_Submitted] = deque()
        self._limit = max(2, IN_FLIGHT_PER_WORKER * executor.workers)
        tune_allocator()  # before the first worker is forked: workers inherit it

    def run(self, sources: Iterable[Source]) -> Iterator[tuple[Source, SourceOutcome]]:
        """Each source with its outcome, in the order given."""
        pending: deque[_Pending] = deque()
        for source in sources:
            pending.append(self._start(source))
            while self._in_flight and self._in_flight[0].future.done():
                self._collect_oldest()
            while pending and self._finished(pending[0]):
                yield self._finish(pending.popleft())
        while pending:
            while not self._finished(pending[0]):
                self._collect_oldest()
            yield self._finish(pending.popleft())

    # -- reading ---------------------------------------------------------------------------

    def _start(self, source: Source) -> _Pending:
        pending = _Pending(source, SourceOutcome())
        if self.cache is not None and source.kind != "directory":
            try:
                # a fetched release was hashed when fetched
                sha256 = source.release.sha256 if source.release else file_sha256(source.location)
            except OSError as error:
                pending.outcome.notes.append(f"skipped: cannot read: {error.strerror}")
                pending.outcome.unreadable = True
                pending.done_reading = True
                return pending
            pending.archive_key = archive_key(sha256, self.targets, self.context, self.prefilter)
            cached = self.cache.get(pending.archive_key)
            if isinstance(cached, SourceOutcome):
                pending.outcome = cached
                pending.archive_key = None  # nothing to store again
                pending.done_reading = True
                if self.on_read is not None:
                    self.on_read(cached.scanned)
                return pending
            # kept with the outcome: the links' addresses need it, and a re-run need not hash again
            with contextlib.suppress(OSError):  # reading the archive will say what is wrong
                pending.outcome.blake2b = file_blake2b(source.location)
        self._read(pending)
        pending.done_reading = True
        return pending

    def _read(self, pending: _Pending) -> None:
        outcome = pending.outcome
        seen: set[str] = set()
        batch: list[FileJob] = []
        keys: list[str | None] = []
        size = first = 0
        try:
            for file in pending.source.files():
                if not file.is_python:
                    if file.data is not None and file.is_metadata:
                        outcome.metadata.setdefault(file.path, file.data)
                    elif file.is_license:
                        outcome.licenses.append(file.path)
                    continue
                if file.path in seen:
                    continue
                seen.add(file.path)
                outcome.scanned += 1
                if self.on_read is not None:
                    self.on_read(1)
                if file.data is None:
                    pending.slots.append(FileOutcome(file.path, problem=file.problem))
                    continue
                module = module_name(file.path, self.top_packages)
                relevant = self._relevant(file.data, inside=module is not None)
                if not relevant:
                    continue
                pages = tuple((target, self.pages[target]) for target in relevant if target in self.pages)
                name = None
                if self.cache is not None:
                    name = file_key(file.path, file.data, module, (relevant, pages), self.context)
                    cached = self.cache.get(name)
                    if isinstance(cached, FileOutcome):
                        pending.slots.append(cached)
                        continue
                if not batch:
                    first = len(pending.slots)
                pending.slots.append(None)
                batch.append(FileJob(file.path, file.data, relevant, module, pages))
                keys.append(name)
                size += len(file.data)
                if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
                    self._submit(pending, first, batch, keys)
                    batch, keys, size = [], [], 0
        except SourceError as error:
            message = str(error)
            prefix = f"{pending.source.location}: "
            note = message[len(prefix) :] if message.startswith(prefix) else message
            outcome.unreadable = not (outcome.scanned or outcome.metadata or outcome.licenses)
            outcome.notes.append(f"skipped: {note}" if outcome.unreadable else f"cut: {note}")
        if batch:
            self._submit(pending, first, batch, keys)

    def _relevant(self, data: bytes, inside: bool) -> tuple[str, ...]:
        """The targets that *data* may use (all of them without the pre-filter).

        Every use spells the target's last name. A file outside the library also
        spells every other part of it: its absolute imports and attribute chains
        name the whole path (``from a.b import c`` then ``c.d``; ``from a import *``
        then ``b.c.d``). A file inside may reach a target by a relative import, and
        its definitions and re-exports count, so it is kept on the last name alone.
        """
        if not self.prefilter:
            return self.targets
        if self._words is not None:  # many names (a library's): the file's words against the set
            words = frozenset(_WORD.findall(data))
            candidates = [target for word in self._words & words for target in self.by_last[word.decode()]]
            if not inside:
                candidates = [target for target in candidates if words.issuperset(self._parts[target])]
            return tuple(sorted(candidates))
        candidates = [
            target
            for encoded, name in self._encoded
            if spells(data, encoded)
            for target in self.by_last[name]
        ]
        if not inside:
            parts = {part for target in candidates for part in self._parts[target]}
            spelled = {part for part in parts if spells(data, part)}
            candidates = [target for target in candidates if spelled.issuperset(self._parts[target])]
        return tuple(sorted(candidates))

    # -- running -----------------------------------------------------------------------------

    def _submit(self, pending: _Pending, first: int, batch: list[FileJob], keys: list[str | None]) -> None:
        while len(self._in_flight) >= self._limit:
            self._collect_oldest()
        future = self.executor.submit(scan_batch, Batch(tuple(batch), self.context))
        pending.waiting += 1
        self._in_flight.append(_Submitted(pending, first, keys, future))

    def _collect_oldest(self) -> None:
        submitted = self._in_flight.popleft()
        outcomes = submitted.future.result()
        for index, (outcome, name) in enumerate(zip(outcomes, submitted.keys, strict=True)):
            submitted.pending.slots[submitted.first_slot + index] = outcome
            if name is not None and self.cache is not None:
                self.cache.put(name, outcome)
        submitted.pending.waiting -= 1

    def _finished(self, pending: _Pending) -> bool:
        return pending.done_reading and pending.waiting == 0

    def _finish(self, pending: _Pending) -> tuple[Source, SourceOutcome]:
        outcome = pending.outcome
        if pending.slots:
            outcome.files, outcome.hits = pack(slot for slot in pending.slots if slot is not None)
        if outcome.metadata:  # parsed once, kept parsed (and small) in the cache
            outcome.meta = project_meta(outcome.metadata)
            outcome.metadata = {}
        if pending.archive_key is not None and self.cache is not None and not outcome.notes:
            self.cache.put(pending.archive_key, outcome)  # not a cut one: the cause may pass
        return pending.source, outcome
