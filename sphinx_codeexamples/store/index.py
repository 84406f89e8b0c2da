"""The store index: which file describes which callable, across store directories.

Scanning reads each page once and remembers ``(mtime, size)`` so a rescan only
re-reads changed files; the parsed page stays in memory for whoever shows it
next in the same process, or in a process forked from it (pickling an entry, or
:meth:`StoreIndex.without_pages`, drops it). Two pages for one
callable: the first in store order (store directories in the order given, then
file paths sorted) wins, and the other gets a ``duplicate`` problem naming both
files.

A store never makes the build read outside its directories: a page file that is
a symbolic link is read only when it resolves inside its store directory (else
an ``outside-store`` problem), and linked subdirectories are not walked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..model import Page
from ..problems import Problem, ProblemCode
from .reader import read_page_file

PAGE_SUFFIXES = (".markdown", ".md", ".txt")


@dataclass(frozen=True)
class IndexEntry:
    """One store file: its stamp, the callable it names (None for hubs) and its problems.

    ``page`` is the page as the scan parsed it. It is not pickled: an index saved
    between builds (Sphinx's environment) keeps stamps and names, not page text.
    """

    path: str
    stamp: tuple[int, int]
    name: str | None
    problems: tuple[Problem, ...] = ()
    page: Page | None = field(default=None, compare=False, repr=False)
    aliases: tuple[str, ...] = ()

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "page": None}

    def load(self) -> Page | None:
        """The page: the one parsed by the scan when this process made it, else read again."""
        return self.page if self.page is not None else read_page_file(self.path)[0]


@dataclass(frozen=True)
class StoreIndex:
    """Every store file in store order, the winning file for each callable, and the aliases.

    ``aliases`` maps each other spelling of a callable (a page's ``aliases``) to
    the name its page is filed under in ``by_name``.
    """

    entries: tuple[IndexEntry, ...]
    by_name: Mapping[str, IndexEntry]
    problems: tuple[Problem, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def lookup(self, dotted: str) -> IndexEntry | None:
        """The page for *dotted*, spelled as its page's name or as one of its aliases."""
        entry = self.by_name.get(dotted)
        if entry is None and dotted in self.aliases:
            entry = self.by_name[self.aliases[dotted]]
        return entry

    def canonical(self, dotted: str) -> str | None:
        """The name *dotted*'s page is filed under, or None when no page knows it."""
        entry = self.lookup(dotted)
        return entry.name if entry is not None else None

    def without_pages(self) -> StoreIndex:
        """The same index without the parsed pages (as a pickled index is): they can be freed."""
        entries = tuple(replace(entry, page=None) for entry in self.entries)
        new = {id(old): entry for old, entry in zip(self.entries, entries)}
        by_name = {name: new[id(entry)] for name, entry in self.by_name.items()}
        return StoreIndex(entries, by_name, self.problems, self.aliases)


def iter_page_files(directory: str) -> Iterator[str]:
    """Page files below *directory* in sorted order, skipping hidden names."""
    for current, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for filename in sorted(filenames):
            if not filename.startswith(".") and filename.endswith(PAGE_SUFFIXES):
                yield os.path.join(current, filename)


def is_inside(directory: str, path: str) -> bool:
    """True when *path*, links resolved, stays inside *directory*."""
    return _resolves_under(os.path.realpath(directory), path)


def _resolves_under(root: str, path: str) -> bool:
    """True when *path*, links resolved, stays under the already resolved *root*."""
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def _stamp(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def _entry(path: str) -> IndexEntry:
    stamp = _stamp(path)  # before reading: a change made meanwhile is seen by the next scan
    page, problems = read_page_file(path)
    name = None if page is None or page.is_hub else page.dotted
    aliases = page.aliases if page is not None else ()
    return IndexEntry(path, stamp, name, tuple(problems), page, aliases)


def scan_store(directories: Sequence[str], cache: Mapping[str, IndexEntry] | None = None) -> StoreIndex:
    """Index every page of *directories*; unchanged files are taken from *cache*."""
    cache = cache or {}
    entries: list[IndexEntry] = []
    problems: list[Problem] = []
    for directory in directories:
        if not os.path.isdir(directory):
            problems.append(Problem(directory, 0, ProblemCode.STORE, "store directory does not exist"))
            continue
        root = os.path.realpath(directory)
        for path in iter_page_files(directory):
            if not _resolves_under(root, path):
                message = f"symbolic link resolves outside the store ({os.path.realpath(path)}); not read"
                problems.append(Problem(path, 0, ProblemCode.OUTSIDE_STORE, message))
                continue
            try:
                cached = cache.get(path)
                entries.append(cached if cached and cached.stamp == _stamp(path) else _entry(path))
            except OSError as error:
                problems.append(Problem(path, 0, ProblemCode.UNREADABLE, f"cannot read: {error.strerror}"))
    by_name: dict[str, IndexEntry] = {}
    for entry in entries:
        problems.extend(entry.problems)
        if entry.name is None:
            continue
        winner = by_name.setdefault(entry.name, entry)
        if winner is not entry:
            message = f"another page describes {entry.name}: {winner.path} is used, this page is ignored"
            problems.append(Problem(entry.path, 1, ProblemCode.DUPLICATE, message))
    aliases: dict[str, str] = {}
    for entry in by_name.values():
        assert entry.name is not None
        for alias in entry.aliases:
            owner = by_name.get(alias) or by_name.get(aliases.get(alias, ""))
            if owner is None:
                aliases[alias] = entry.name
            elif owner is not entry:
                message = f"alias {alias} of {entry.name} is already taken by {owner.path}; ignored here"
                problems.append(Problem(entry.path, 1, ProblemCode.DUPLICATE, message))
    return StoreIndex(tuple(entries), by_name, tuple(problems), aliases)
