"""Sources by requirement: releases fetched with pip into a download cache.

Each requirement (``click``, ``attrs==23.2.0``, ``requests>=2``) is fetched with
``python -m pip download --no-deps``: the sdist first (``--no-binary :all:``),
a wheel when there is none (``--only-binary :all:``). pip's own configuration
applies (``pip.conf``, ``PIP_INDEX_URL``, ``PIP_FIND_LINKS``, ``PIP_NO_INDEX``,
proxies, certificates): there is no HTTP client here. A requirement pinned to
one version (``name==1.2``) whose file is already in the download cache is not
fetched again, so a warm re-run of pinned requirements needs no network.

Up to :data:`PARALLEL_FETCHES` pip processes run at once (fetching is mostly
waiting). Each fetched file becomes a :class:`Release`: project name, version, file name
and SHA-256, so pages can link to the exact release. A requirement that cannot
be fetched gives a :class:`FetchFailure` and the others go on.

Note that to fetch an sdist, pip prepares its metadata, which runs the
project's build backend (``setup.py``) in an isolated environment: run
extractions of packages you do not trust in a container.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from .cache import file_sha256

PIP_TIMEOUT = 600
PARALLEL_FETCHES = 4


@dataclass(frozen=True)
class Release:
    """The exact release file a source was read from."""

    name: str
    version: str
    filename: str
    sha256: str
    requirement: str = ""

    @property
    def url(self) -> str:
        """The release's page on PyPI."""
        return f"https://pypi.org/project/{self.name}/{self.version}/"

    @property
    def file_url(self) -> str:
        """The release's files on PyPI, with this file's hash to check against."""
        return f"{self.url}#files"


@dataclass(frozen=True)
class Fetched:
    """A requirement fetched: the file on disk and its release."""

    path: str
    release: Release


@dataclass(frozen=True)
class FetchFailure:
    requirement: str
    reason: str


def read_requirements(path: str) -> tuple[list[str], list[FetchFailure]]:
    """The requirements of a requirements file; options and unparsable lines are failures."""
    requirements: list[str] = []
    failures: list[FetchFailure] = []
    with open(path, encoding="utf-8", errors="replace") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("-"):
                failures.append(FetchFailure(f"{path}:{number}", f"options are not supported: {line}"))
                continue
            requirements.append(line)
    return requirements, failures


def fetch(
    requirements: Iterable[str],
    download_dir: str,
    pip: Sequence[str] | None = None,
    parallel: int = PARALLEL_FETCHES,
    sha256: Callable[[str], str] = file_sha256,
) -> tuple[list[Fetched], list[FetchFailure]]:
    """Fetch each requirement into *download_dir*, up to *parallel* pip processes at once.

    Returns what was fetched and what could not be, each in the order of *requirements*;
    *sha256* gives the digest of a file (:meth:`.cache.DigestMemo.sha256` remembers them).
    """
    os.makedirs(download_dir, exist_ok=True)
    command = list(pip) if pip is not None else [sys.executable, "-m", "pip"]
    there = _downloaded(download_dir)
    # what the download cache has is taken here; pip runs (in threads) only for the rest
    outcomes = [_from_cache(requirement, download_dir, there, sha256) for requirement in requirements]
    wanted = [outcome for outcome in outcomes if isinstance(outcome, str)]

    def fetch_one(requirement: str) -> Fetched | FetchFailure:
        path = _download(command, requirement, download_dir)
        return path if isinstance(path, FetchFailure) else _fetched(path, requirement, sha256)

    if wanted:
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            downloaded = iter(list(pool.map(fetch_one, wanted)))
        outcomes = [next(downloaded) if isinstance(outcome, str) else outcome for outcome in outcomes]
    fetched = [outcome for outcome in outcomes if isinstance(outcome, Fetched)]
    failures = [outcome for outcome in outcomes if isinstance(outcome, FetchFailure)]
    return fetched, failures


def _from_cache(
    requirement: str, download_dir: str, there: list[tuple[str, str, str]], sha256: Callable[[str], str]
) -> Fetched | FetchFailure | str:
    """*requirement*'s release when the download cache has it, why it cannot be fetched, or the
    requirement itself when pip must fetch it."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement as error:
        return FetchFailure(requirement, f"not a requirement: {error}")
    if parsed.url:
        return FetchFailure(requirement, "direct references (name @ url) are not supported")
    path = _cached(parsed, download_dir, there)
    return requirement if path is None else _fetched(path, requirement, sha256)


def _fetched(path: str, requirement: str, sha256: Callable[[str], str]) -> Fetched | FetchFailure:
    release = release_of(path, requirement, sha256)
    if release is None:
        return FetchFailure(requirement, f"pip gave an unknown kind of file: {path}")
    return Fetched(path, release)


def release_of(
    path: str, requirement: str = "", sha256: Callable[[str], str] = file_sha256
) -> Release | None:
    """The release of an sdist or wheel file, from its name; None for other files."""
    filename = os.path.basename(path)
    version = _name_version(filename)
    if version is None:
        return None
    return Release(version[0], version[1], filename, sha256(path), requirement)


def _name_version(filename: str) -> tuple[str, str] | None:
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except (InvalidSdistFilename, InvalidWheelFilename):
        return None
    return str(name), str(version)


def _downloaded(download_dir: str) -> list[tuple[str, str, str]]:
    """The releases in the download cache: (canonical name, version, file name)."""
    there: list[tuple[str, str, str]] = []
    for filename in os.listdir(download_dir):
        version = _name_version(filename)
        if version is not None:
            there.append((canonicalize_name(version[0]), version[1], filename))
    return there


def _cached(requirement: Requirement, download_dir: str, there: list[tuple[str, str, str]]) -> str | None:
    """The file of a requirement pinned to one version, when the download cache has it (sdist first)."""
    specifiers = list(requirement.specifier)
    if len(specifiers) != 1 or specifiers[0].operator not in ("==", "===") or "*" in specifiers[0].version:
        return None
    wanted = canonicalize_name(requirement.name)
    found = [
        (filename.endswith(".whl"), filename)
        for name, version, filename in there
        if name == wanted and requirement.specifier.contains(version, prereleases=True)
    ]
    return os.path.join(download_dir, min(found)[1]) if found else None


def _download(command: list[str], requirement: str, download_dir: str) -> str | FetchFailure:
    """pip download the sdist, else a wheel, into a fresh folder, then move the file into *download_dir*."""
    reasons = []
    for kind in ("--no-binary", "--only-binary"):
        with tempfile.TemporaryDirectory(prefix=".fetch-", dir=download_dir) as folder:
            arguments = [*command, "download", "--no-deps", kind, ":all:", "--dest", folder]
            arguments += ["--progress-bar", "off", "--disable-pip-version-check", "--", requirement]
            try:
                done = subprocess.run(
                    arguments, capture_output=True, text=True, timeout=PIP_TIMEOUT, stdin=subprocess.DEVNULL
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                reasons.append(str(error))
                continue
            files = [name for name in os.listdir(folder) if not name.startswith(".")]
            if done.returncode == 0 and len(files) == 1:
                target = os.path.join(download_dir, files[0])
                shutil.move(os.path.join(folder, files[0]), target)
                return target
            reasons.append(_last_error(done.stderr) or f"pip exited with status {done.returncode}")
    return FetchFailure(requirement, "; ".join(dict.fromkeys(reasons)))


def _last_error(stderr: str) -> str:
    """The line of pip's output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("ERROR:"):
            return line[len("ERROR:") :].strip()
    return lines[-1] if lines else ""
