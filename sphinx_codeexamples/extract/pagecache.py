"""What a re-run of ``extract`` need not do again to a page: read it back, merge and render it.

Updating a page reads it, merges the examples found into it
(:func:`.pages.update_page`) and renders it. The result depends only on the
page's bytes and on the page's *inputs*: the examples found for its callable,
which of the projects already on the page were scanned, and what a library says
about the callable. The examples found are themselves made, in a fixed way, from
the callable's hits as the scan keeps them (:mod:`.spill`: one record per source,
in order), from each source's project, blurb and linker (its ``repr`` holds
everything its links are made from: the source, its metadata, its ref, the
archive's digest), and from ``--exclude``, ``--no-tests`` and ``--max-examples``:
that is what the digest of a page's inputs is made of, so a re-run need not
read the hits back to compare. Updating is nearly
always idempotent: a page written from some inputs, updated again from the same
inputs, comes out the same. Not always (two releases of one project in one run,
with different blurbs, give a page that the next update makes uniform), so it is
checked when a page is written, and a page that would change again gets no
inputs recorded.

So after writing (or finding unchanged) a page, the cache records, under the
SHA-256 of the page's bytes, a :class:`PageFacts`: its callable, its sortorder,
the projects of its examples, the digest of the inputs it was made from, and
the callable's line of the summary. On a
re-run the store's files are only read and hashed: a file whose bytes the cache
knows needs no parsing to find its callable, and its page is left as it is, not
read, merged nor rendered, when its inputs are the same again, or when it gets
nothing to merge in (no example found, none of its projects scanned, no library
read: the update would only renumber its examples, already numbered). A page
edited by hand has other bytes, so it takes the normal path (its hand-written
text is kept as always); so does every page when there is no cache.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Page
from .cache import ResultCache, key
from .library import LibraryCallable
from .pages import project_key


@dataclass(frozen=True)
class PageFacts:
    """What a page file holds, as far as choosing and updating pages needs: its callable (None
    for a file that is not a page of one), its sortorder, the projects (keys) of its examples,
    the digest of the inputs it is known to come out of unchanged ("" when none is known), and
    what those inputs give the summary (uses, files, projects, examples)."""

    dotted: str | None
    sortorder: str = ""
    projects: frozenset[str] = frozenset()
    made_from: str = ""
    summary: tuple[int, ...] = ()

    @classmethod
    def of(cls, page: Page | None, made_from: str = "") -> PageFacts:
        if page is None:
            return cls(None)
        projects = frozenset(project_key(example.project) for example in page.examples)
        dotted = page.dotted if page.callable is not None else None
        return cls(dotted, page.meta.sortorder, projects, made_from)


def inputs_digest(
    records: Sequence[tuple[str, str, str, str]],
    options: str,
    scanned: Iterable[str],
    known: LibraryCallable | None,
) -> str:
    """A digest of everything a page's update depends on besides its bytes.

    *records* has, for each record of the callable's hits in order, its source's
    project, blurb and linker (``repr``) and the record's digest; *options* says
    which examples are kept; *scanned* holds the scanned projects among those
    already on the page: only they are replaced (the others stay as they are). The
    values are pickled without the memo, so that equal values give equal bytes.
    """
    described = (known.canonical, known.kind.value, known.public) if known is not None else None
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values only, not on which objects are shared
    pickler.dump((list(records), options, sorted(scanned), described))
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PageCache:
    """:class:`PageFacts` by the SHA-256 of a page file's bytes, in ``CACHE_DIR/pages``."""

    def __init__(self, directory: str) -> None:
        self._entries = ResultCache(directory, "pages")

    def get(self, digest: str) -> PageFacts | None:
        value = self._entries.get(key("page", digest))
        if not (isinstance(value, tuple) and len(value) == 5):
            return None
        dotted, sortorder, projects, made_from, summary = value
        if not (
            (dotted is None or isinstance(dotted, str))
            and isinstance(sortorder, str)
            and isinstance(projects, tuple)
            and all(isinstance(project, str) for project in projects)
            and isinstance(made_from, str)
            and isinstance(summary, tuple)
            and len(summary) in (0, 4)
            and all(isinstance(number, int) for number in summary)
        ):
            return None
        return PageFacts(dotted, sortorder, frozenset(projects), made_from, summary)

    def put(self, digest: str, facts: PageFacts) -> None:
        projects = tuple(sorted(facts.projects))
        value = (facts.dotted, facts.sortorder, projects, facts.made_from, facts.summary)
        self._entries.put(key("page", digest), value)
