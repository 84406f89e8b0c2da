"""The result cache: what a file or an archive gave, keyed by a hash of everything it depends on.

Two kinds of entries, each a file named by its key under ``CACHE_DIR/results``:

- *per file*: the :class:`.tasks.FileOutcome` of a Python file, keyed by the
  tool's digest, the file's bytes, its path, its module name and its relevant
  targets (those whose last name the file spells) and the options. A new target
  set re-parses a file only when its relevant targets change: adding
  ``requests.get`` re-parses the files that spell ``get``, no others.
- *per archive*: the whole :class:`SourceOutcome` of an sdist or a wheel, keyed
  by the tool's digest, the archive's SHA-256, the whole target set and the
  options. A warm re-run only hashes each archive and reads one entry.

The same mechanism keeps, under ``CACHE_DIR/pages``, what
:mod:`.pagecache` knows about the pages it wrote (keyed by their bytes), so that
a re-run need not read them back.

The tool's digest is the hash of the package version and of the source of the
modules that may decide a result or a page (``model.py`` and every module of
``extract`` and ``store``), so a new version (or an edited checkout) never reads
stale entries. Entries are pickles read back with an unpickler that
only builds the few classes they are made of; an entry that cannot be read is a
miss. Writes are atomic (a temporary file renamed into place), so concurrent
runs sharing a cache do no harm.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import __version__
from .metadata import ProjectMeta
from .tasks import FileOutcome


@dataclass
class SourceOutcome:
    """What one source gave, ready to merge: file outcomes (in the source's order), the code of
    their uses pickled by callable (see :func:`.spill.pack`), and its notes."""

    files: list[FileOutcome] = field(default_factory=list)
    hits: dict[str, bytes] = field(default_factory=dict)
    scanned: int = 0
    blake2b: str = ""  # the archive's BLAKE2b-256 digest, when it was hashed for the cache
    metadata: dict[str, bytes] = field(default_factory=dict)  # while reading; then *meta*
    meta: ProjectMeta = field(default_factory=ProjectMeta)
    licenses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: bool = False  # nothing could be read: the source does not count as scanned


@cache
def tool_digest() -> str:
    """A hash of this version and of the code that computes results and pages (``model.py``,
    ``extract/*.py``, ``store/*.py``)."""
    digest = hashlib.sha256(__version__.encode())
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    names = ["model.py"]
    for folder in ("extract", "store"):
        with contextlib.suppress(OSError):  # no sources beside the code (a zipped install)
            names += sorted(f"{folder}/{name}" for name in os.listdir(os.path.join(package, folder)))
    for name in names:
        if name.endswith(".py"):
            digest.update(name.encode())
            with contextlib.suppress(OSError), open(os.path.join(package, name), "rb") as stream:
                digest.update(stream.read())
    return digest.hexdigest()


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/sphinx-codeexamples`` (``~/.cache/...``), or the platform's cache folder."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "sphinx-codeexamples")


def key(*parts: object) -> str:
    """A hex digest of *parts* (their ``repr``), prefixed with the tool's digest."""
    digest = hashlib.sha256(tool_digest().encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8", "backslashreplace"))
        digest.update(b"\0")
    return digest.hexdigest()


def file_key(path: str, data: bytes, module: object, targets: object, context: int) -> str:
    """The key of one file's outcome; *targets* are its relevant targets (and their page names)."""
    return key("file", path, hashlib.sha256(data).hexdigest(), module, targets, context)


def archive_key(sha256: str, targets: Iterable[str], context: int, prefilter: bool) -> str:
    return key("archive", sha256, tuple(sorted(targets)), context, prefilter)


def file_sha256(path: str) -> str:
    return _file_digest(path, hashlib.sha256())


def file_blake2b(path: str) -> str:
    """The BLAKE2b-256 of a file: PyPI files its archives by it."""
    return _file_digest(path, hashlib.blake2b(digest_size=32))


def _file_digest(path: str, digest: Any) -> str:
    """*digest* of the file, read into one small buffer (no new chunk for every read: a large
    archive would leave memory behind in each hashing thread's allocator)."""
    buffer = bytearray(1 << 16)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as stream:
        while size := stream.readinto(buffer):
            digest.update(view[:size])
    return str(digest.hexdigest())


class DigestMemo:
    """The SHA-256 of files, remembered in *directory*/digests by path, size, times and inode.

    A re-run over the same downloads need not hash them again. A file is
    remembered only once it has not changed for ``STEADY_NS``: any later change of
    its bytes gives it a later change time (``st_ctime``, which only the system
    clock sets), so an entry cannot stand for other bytes, unless the clock is set
    back. Entries are read like results (a damaged one is a miss).
    """

    STEADY_NS = 2_000_000_000

    def __init__(self, directory: str) -> None:
        self._entries = ResultCache(directory, "digests")

    def sha256(self, path: str) -> str:
        stamp = _stamp(path)
        name = key("sha256", stamp)
        known = self._entries.get(name)
        if isinstance(known, str):
            return known
        digest = file_sha256(path)
        if time.time_ns() - stamp[3] > self.STEADY_NS and _stamp(path) == stamp:
            self._entries.put(name, digest)
        return digest


def _stamp(path: str) -> tuple[str, int, int, int, int, int]:
    status = os.stat(path)
    return (
        os.path.realpath(path),
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    )


class ResultCache:
    """Entries under *directory*/*folder*, two hex digits of the key as a sub-folder."""

    def __init__(self, directory: str, folder: str = "results") -> None:
        self.directory = os.path.join(directory, folder)
        self.hits = 0
        self.misses = 0

    def _path(self, name: str) -> str:
        return os.path.join(self.directory, name[:2], name[2:])

    def get(self, name: str) -> Any:
        try:
            with open(self._path(name), "rb") as stream:
                value = _Unpickler(stream).load()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, name: str, value: object) -> None:
        """Store *value*; a cache that cannot be written is no cache (the run goes on)."""
        path = self._path(name)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=os.path.dirname(path))
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            pass


_ALLOWED = {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("sphinx_codeexamples.model", "Kind"),
    ("sphinx_codeexamples.extract.tasks", "FileOutcome"),
    ("sphinx_codeexamples.extract.tasks", "FileUse"),
    ("sphinx_codeexamples.extract.cache", "SourceOutcome"),
    ("sphinx_codeexamples.extract.metadata", "ProjectMeta"),
}


class _Unpickler(pickle.Unpickler):
    """Builds only the classes results are made of: a tampered entry cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a result class")
        return super().find_class(module, name)


def loads(data: bytes) -> Any:
    """Unpickle *data* with the restricted unpickler (for tests)."""
    return _Unpickler(io.BytesIO(data)).load()
