"""The hits of a scan, kept in a temporary file until the pages are written.

What the sources give is written out source by source as it comes, and read
back one callable at a time when its page is written: memory holds a small index
(a few numbers per source and callable), not the code of every hit, so it does not
grow with the number of sources. The file is an unnamed temporary file (where
the system allows it), removed when closed; its records are read back with the
cache's restricted unpickler.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..model import CodePart
from .cache import loads


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
        self._index: dict[str, list[tuple[int, int, int]]] = {}  # callable -> (source, offset, length)

    def add(self, source: int, hits: Mapping[str, Sequence[FileHit]]) -> None:
        """Write the *hits* of one source, by callable."""
        for target, found in hits.items():
            data = pickle.dumps(
                [(hit.path, hit.code, hit.item_lines) for hit in found], protocol=pickle.HIGHEST_PROTOCOL
            )
            self._file.seek(self._size)
            self._file.write(data)
            self._index.setdefault(target, []).append((source, self._size, len(data)))
            self._size += len(data)

    def of(self, target: str) -> Iterator[tuple[int, list[FileHit]]]:
        """The hits of *target*, source by source, in the order they were added."""
        for source, offset, length in self._index.get(target, ()):
            self._file.seek(offset)
            records = loads(self._file.read(length))
            yield source, [FileHit(path, code, item_lines) for path, code, item_lines in records]

    def close(self) -> None:
        self._file.close()
