"""Iterating the files of a source: a directory, an sdist or a wheel.

Archives are read in memory, member by member (``tarfile`` streams, ``zipfile``
reads one entry at a time): nothing is extracted to disk. Members whose path is
absolute or contains ``..``, links and special files are skipped; so are files
larger than :data:`MAX_BYTES`, nested deeper than :data:`MAX_DEPTH` folders or
with names that are not UTF-8 or hold control characters (each with a note). An
archive with more than :data:`MAX_MEMBERS` members or :data:`MAX_ARCHIVE_BYTES`
unpacked bytes is cut there (:class:`ArchiveLimit`). In a git checkout only the files git tracks are
read (so virtual environments and build directories are left out); elsewhere
hidden directories, ``__pycache__``, ``node_modules`` and virtual environments
are skipped.
"""

from __future__ import annotations

import os
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gitinfo import GitInfo, git_info, tracked_files

if TYPE_CHECKING:
    from .pypi import Release

MAX_BYTES = 4_000_000
MAX_MEMBERS = 200_000
MAX_ARCHIVE_BYTES = 2_000_000_000
MAX_DEPTH = 48
METADATA_NAMES = frozenset({"PKG-INFO", "pyproject.toml", "setup.cfg"})
LICENSE_PREFIXES = ("LICENSE", "LICENCE", "COPYING")
_TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar")
_ZIP_SUFFIXES = (".whl", ".zip")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


@dataclass(frozen=True)
class SourceFile:
    """One file of a source: its project-relative POSIX path and its bytes (None when skipped)."""

    path: str
    data: bytes | None
    problem: str = ""

    @property
    def is_python(self) -> bool:
        return self.path.endswith(".py")

    @property
    def is_metadata(self) -> bool:
        """PKG-INFO, pyproject.toml, setup.cfg at the top, or a wheel's METADATA."""
        if self.path in METADATA_NAMES:
            return True
        head, _, tail = self.path.partition("/")
        return tail == "METADATA" and head.endswith(".dist-info")

    @property
    def is_license(self) -> bool:
        return "/" not in self.path and self.path.upper().startswith(LICENSE_PREFIXES)


class SourceError(Exception):
    """A source that cannot be read at all (missing, unknown kind, corrupt archive)."""


@dataclass(frozen=True)
class Source:
    """A project's files, as given on the command line."""

    location: str
    kind: str  # "directory", "sdist" or "wheel"
    git: GitInfo | None = None
    release: Release | None = None  # the exact release file, for sources fetched by requirement

    @classmethod
    def open(cls, location: str) -> Source:
        """Classify *location*; raises :class:`SourceError` when it is not usable."""
        if os.path.isdir(location):
            return cls(location, "directory", git_info(location))
        if not os.path.isfile(location):
            raise SourceError(f"{location}: no such file or directory")
        lowered = location.lower()
        if lowered.endswith(_TAR_SUFFIXES):
            return cls(location, "sdist")
        if lowered.endswith(_ZIP_SUFFIXES):
            return cls(location, "wheel" if lowered.endswith(".whl") else "sdist")
        raise SourceError(f"{location}: not a directory, an sdist (.tar.gz, .zip) or a wheel (.whl)")

    @property
    def fallback_name(self) -> str:
        """A project name from the location, for sources without metadata."""
        base = os.path.basename(os.path.normpath(os.path.abspath(self.location)))
        for suffix in (*_TAR_SUFFIXES, *_ZIP_SUFFIXES):
            if base.lower().endswith(suffix):
                base = base[: -len(suffix)]
                break
        if self.kind == "directory":
            return base
        name, _, _ = base.partition("-")  # name-version[-tags]
        return name or base

    def files(self) -> Iterator[SourceFile]:
        """Every Python, metadata and license file of the source (order: the source's own)."""
        try:
            if self.kind == "directory":
                yield from self._directory_files()
            elif self.location.lower().endswith(_ZIP_SUFFIXES):
                yield from self._zip_files()
            else:
                yield from self._tar_files()
        except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, ValueError, RuntimeError) as error:
            # ValueError, RuntimeError: an odd zip entry (bad compression method, encryption)
            raise SourceError(f"{self.location}: cannot read: {error}") from error

    # -- directories ---------------------------------------------------------------------

    def _directory_files(self) -> Iterator[SourceFile]:
        root = self.location
        paths = tracked_files(root) if self.git is not None else None
        for path in paths if paths is not None else _walk(root):
            if not _wanted(path):
                continue
            full = os.path.join(root, *path.split("/"))
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            try:
                size = os.path.getsize(full)
                if size > MAX_BYTES:
                    yield SourceFile(path, None, f"larger than {MAX_BYTES} bytes")
                    continue
                with open(full, "rb") as stream:
                    yield SourceFile(path, stream.read())
            except OSError as error:
                yield SourceFile(path, None, f"cannot read: {error.strerror}")

    # -- archives ------------------------------------------------------------------------

    def _tar_files(self) -> Iterator[SourceFile]:
        # as a stream ("r|"): read once, front to back, without seeking back (a little faster)
        with tarfile.open(self.location, mode="r|*") as archive:
            count = 0
            while (member := archive.next()) is not None:
                # tarfile keeps every header it reads (an undocumented list): drop them, memory stays flat
                archive.members = []  # type: ignore[attr-defined]
                count += 1
                _check_limits(self.location, count, member.offset_data + max(member.size, 0))
                if not member.isfile() or not _may_want(member.name):
                    continue
                path = _member_path(member.name, strip_top=True)
                if path is None or not _wanted(path):
                    continue
                if (problem := _odd_path(path)) is not None:
                    yield SourceFile(_printable(path), None, problem)
                    continue
                if member.size > MAX_BYTES:
                    yield SourceFile(path, None, f"larger than {MAX_BYTES} bytes")
                    continue
                stream = archive.extractfile(member)
                if stream is not None:
                    yield SourceFile(path, stream.read(MAX_BYTES + 1))

    def _zip_files(self) -> Iterator[SourceFile]:
        strip = self.kind == "sdist"
        with zipfile.ZipFile(self.location) as archive:
            total = 0
            for count, info in enumerate(archive.infolist(), start=1):
                total += max(info.file_size, 0)
                _check_limits(self.location, count, total)
                path = _member_path(info.filename, strip_top=strip)
                if path is None or info.is_dir() or _is_zip_link(info):
                    continue
                if not strip:
                    path = _wheel_path(path)
                if not _wanted(path):
                    continue
                if (problem := _odd_path(path)) is not None:
                    yield SourceFile(_printable(path), None, problem)
                    continue
                if info.file_size > MAX_BYTES:
                    yield SourceFile(path, None, f"larger than {MAX_BYTES} bytes")
                    continue
                with archive.open(info) as stream:
                    yield SourceFile(path, stream.read(MAX_BYTES + 1))


class ArchiveLimit(SourceError):
    """An archive cut short: too many members, or too many bytes once unpacked."""


def _check_limits(location: str, members: int, unpacked: int) -> None:
    if members > MAX_MEMBERS:
        raise ArchiveLimit(f"{location}: more than {MAX_MEMBERS} members")
    if unpacked > MAX_ARCHIVE_BYTES:
        raise ArchiveLimit(f"{location}: more than {MAX_ARCHIVE_BYTES} bytes unpacked")


def _is_zip_link(info: zipfile.ZipInfo) -> bool:
    """A symbolic link stored in a zip file (its Unix mode says so)."""
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _odd_path(path: str) -> str | None:
    """Why a member's path is not used (too deep, not UTF-8, control characters), or None."""
    if path.count("/") >= MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} folders"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8"
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "the name has control characters"
    return None


def _printable(path: str) -> str:
    """*path* with undecodable bytes and control characters escaped, for a note."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(char if 32 <= ord(char) != 127 else f"\\x{ord(char):02x}" for char in text)


def _may_want(name: str) -> bool:
    """A cheap first look at a member's raw name: False when :func:`_wanted` cannot hold for it."""
    if name.endswith((".py", "/", "\\", ".")):  # what these end with is for the full check to say
        return True
    base = name.rpartition("/")[2].rpartition("\\")[2]
    return base in METADATA_NAMES or base == "METADATA" or base.upper().startswith(LICENSE_PREFIXES)


def _wanted(path: str) -> bool:
    if path.endswith(".py"):
        return True
    probe = SourceFile(path, None)
    return probe.is_metadata or probe.is_license


def _member_path(name: str, strip_top: bool) -> str | None:
    """The safe project-relative path of an archive member, or None to skip it."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    if strip_top and len(parts) > 1:
        parts = parts[1:]
    return posixpath.join(*parts)


def _wheel_path(path: str) -> str:
    """``pkg-1.0.data/purelib/pkg/x.py`` -> ``pkg/x.py``; other paths unchanged."""
    parts = path.split("/")
    if len(parts) > 2 and parts[0].endswith(".data") and parts[1] in ("purelib", "platlib"):
        return "/".join(parts[2:])
    return path


def _walk(root: str) -> Iterator[str]:
    """Relative POSIX paths below *root*, sorted, without hidden dirs, caches and virtualenvs."""
    for current, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".")
            and name not in _SKIPPED_DIRS
            and not os.path.isfile(os.path.join(current, name, "pyvenv.cfg"))
        )
        relative = os.path.relpath(current, root)
        for filename in sorted(filenames):
            path = filename if relative == "." else f"{relative}/{filename}".replace(os.sep, "/")
            yield path
