"""What a re-run of ``extract`` need not do again to a page: read it back, merge and render it.

Updating a page reads it, merges the examples found into it
(:func:`.pages.update_page`) and renders it. The result depends only on the
page's bytes and on the page's *inputs*: the examples found for its callable
(code, links, blurbs, in rank order), which of the projects already on the page
were scanned, and what a library says about the callable. Updating is nearly
always idempotent: a page written from some inputs, updated again from the same
inputs, comes out the same. Not always (two releases of one project in one run,
with different blurbs, give a page that the next update makes uniform), so it is
checked when a page is written, and a page that would change again gets no
inputs recorded.

So after writing (or finding unchanged) a page, the cache records, under the
SHA-256 of the page's bytes, a :class:`PageFacts`: its callable, its sortorder,
the projects of its examples, and a digest of the inputs it was made from. On a
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

from ..model import Hunk, Page
from .cache import ResultCache, key
from .library import LibraryCallable
from .pages import FoundExample, project_key


@dataclass(frozen=True)
class PageFacts:
    """What a page file holds, as far as choosing and updating pages needs: its callable (None
    for a file that is not a page of one), its sortorder, the projects (keys) of its examples,
    and the digest of the inputs it is known to come out of unchanged ("" when none is known)."""

    dotted: str | None
    sortorder: str = ""
    projects: frozenset[str] = frozenset()
    made_from: str = ""

    @classmethod
    def of(cls, page: Page | None, made_from: str = "") -> PageFacts:
        if page is None:
            return cls(None)
        projects = frozenset(project_key(example.project) for example in page.examples)
        dotted = page.dotted if page.callable is not None else None
        return cls(dotted, page.meta.sortorder, projects, made_from)


def inputs_digest(
    found: Sequence[FoundExample], scanned: Iterable[str], known: LibraryCallable | None
) -> str:
    """A digest of everything a page's update depends on besides its bytes.

    *scanned* holds the scanned projects among those already on the page: only
    they are replaced (the others stay as they are). The values are pickled
    without the memo, so that equal values always give the same bytes.
    """
    examples = [
        (
            item.project,
            item.path,
            item.url,
            item.blurb,
            item.item_lines,
            [
                (part.start, part.lines, sorted(part.marked)) if isinstance(part, Hunk) else part.text
                for part in item.code
            ],
        )
        for item in found
    ]
    described = (known.canonical, known.kind.value, known.public) if known is not None else None
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values only, not on which objects are shared
    pickler.dump((examples, sorted(scanned), described))
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PageCache:
    """:class:`PageFacts` by the SHA-256 of a page file's bytes, in ``CACHE_DIR/pages``."""

    def __init__(self, directory: str) -> None:
        self._entries = ResultCache(directory, "pages")

    def get(self, digest: str) -> PageFacts | None:
        value = self._entries.get(key("page", digest))
        if not (isinstance(value, tuple) and len(value) == 4):
            return None
        dotted, sortorder, projects, made_from = value
        if not (
            (dotted is None or isinstance(dotted, str))
            and isinstance(sortorder, str)
            and isinstance(projects, tuple)
            and all(isinstance(project, str) for project in projects)
            and isinstance(made_from, str)
        ):
            return None
        return PageFacts(dotted, sortorder, frozenset(projects), made_from)

    def put(self, digest: str, facts: PageFacts) -> None:
        value = (facts.dotted, facts.sortorder, tuple(sorted(facts.projects)), facts.made_from)
        self._entries.put(key("page", digest), value)
