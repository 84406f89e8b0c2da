"""The hits of a scan, kept in a temporary file until the pages are written.

When a source is done, :func:`pack` takes the code out of its files' outcomes
and pickles it, callable by callable: that is what the source's cache entry keeps
and what is written to the temporary file, source by source as they come, to be
read back one callable at a time when its page is written. Memory holds a small
index (a few numbers per source and callable), not the code of every hit, so it
does not grow with the number of sources; and a source taken from the cache is
copied to the file without being unpickled. The file is an unnamed temporary file
(where the system allows it), removed when closed; its records are read back with
the cache's restricted unpickler.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from ..model import CodePart
from .cache import loads
from .hunks import PlainPart, from_plain
from .tasks import FileOutcome


@dataclass(frozen=True)
class FileHit:
    """The uses of one callable in one file: the code shown and the size of the smallest item shown."""

    path: str
    code: tuple[CodePart, ...]
    item_lines: int = 0


class HitSpill:
    """Hits by source (its index in the scan's results) and callable, in a file under *directory*."""

    def __init__(self, directory: str | None = None) -> None:
        # open for the life of the object, closed by close()
        self._file = tempfile.TemporaryFile(prefix=".extract-hits-", dir=directory)  # noqa: SIM115
        self._size = 0
        # callable -> (source, offset, length, SHA-256 of the record)
        self._index: dict[str, list[tuple[int, int, int, str]]] = {}

    def add(self, source: int, hits: Mapping[str, bytes]) -> None:
        """Write the *hits* of one source, by callable, as :func:`pack` gives them."""
        for target, data in hits.items():
            self._file.seek(self._size)
            self._file.write(data)
            record = (source, self._size, len(data), hashlib.sha256(data).hexdigest())
            self._index.setdefault(target, []).append(record)
            self._size += len(data)

    def digests(self, target: str) -> list[tuple[int, str]]:
        """The sources of *target*'s hits, in order, each with the SHA-256 of its record: equal
        digests, equal hits (without reading them back)."""
        return [(source, digest) for source, _, _, digest in self._index.get(target, ())]

    def of(self, target: str, sources: Container[int] | None = None) -> Iterator[tuple[int, list[FileHit]]]:
        """The hits of *target*, source by source, as added (only those of *sources*, if given)."""
        for source, offset, length, _ in self._index.get(target, ()):
            if sources is not None and source not in sources:
                continue
            self._file.seek(offset)
            records = loads(self._file.read(length))
            yield source, [FileHit(path, from_plain(code), item_lines) for path, code, item_lines in records]

    def close(self) -> None:
        self._file.close()


def pack(files: Iterable[FileOutcome]) -> tuple[list[FileOutcome], dict[str, bytes]]:
    """*files* without the code of their uses, and that code pickled by callable (file order kept)."""
    hits: dict[str, list[tuple[str, tuple[PlainPart, ...], int]]] = {}
    bare = []
    for file in files:
        for use in file.uses:
            hits.setdefault(use.target, []).append((file.path, use.code, use.item_lines))
        if file.uses:
            file = replace(file, uses=tuple(replace(use, code=()) for use in file.uses))
        bare.append(file)
    return bare, {
        target: pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL) for target, found in hits.items()
    }
