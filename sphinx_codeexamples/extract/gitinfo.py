"""What git knows about a checkout, and the pinned web links to its files.

Only ``git`` itself is run (``rev-parse``, ``config``, ``ls-files``,
``status``), never anything from the checkout. Credentials in a remote URL are
dropped before the URL is used.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class GitInfo:
    """A checkout's commit, its origin as an https URL, and where the scanned directory sits in it."""

    commit: str
    repository: str | None
    prefix: str
    dirty: bool


def _git(directory: str, *arguments: str) -> str | None:
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        completed = subprocess.run(
            ["git", "-C", directory, *arguments],
            capture_output=True,
            check=False,
            timeout=60,
            env=environment,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.decode("utf-8", "replace")


def git_info(directory: str) -> GitInfo | None:
    """The git facts of *directory*, or None when it is not inside a git checkout (or git is missing)."""
    commit = (_git(directory, "rev-parse", "HEAD") or "").strip()
    if not _COMMIT.match(commit):
        return None
    prefix = (_git(directory, "rev-parse", "--show-prefix") or "").strip()
    remote = (_git(directory, "config", "--get", "remote.origin.url") or "").strip()
    status = _git(directory, "status", "--porcelain", "--untracked-files=no", "--", ".")
    return GitInfo(
        commit, repository_url(remote) if remote else None, prefix, bool(status and status.strip())
    )


def tracked_files(directory: str) -> list[str] | None:
    """The files git tracks below *directory*, relative to it and sorted, or None when git fails."""
    output = _git(directory, "ls-files", "-z", "--cached", "--", ".")
    if output is None:
        return None
    return sorted(path for path in output.split("\0") if path)


def repository_url(remote: str) -> str | None:
    """``git@github.com:o/r.git``, ``ssh://…``, ``https://user:token@host/o/r`` -> ``https://host/o/r``."""
    remote = remote.strip()
    scp = _SCP_LIKE.match(remote)
    if scp and "://" not in remote:
        host, path = scp["host"], scp["path"]
    else:
        parts = urlsplit(remote)
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git"):
            return None
        host, path = parts.hostname or "", parts.path
    path = path.strip("/").removesuffix(".git").strip("/")
    if not host or not path or ".." in path.split("/"):
        return None
    return f"https://{host.lower()}/{path}"


def normalize_repository(url: str) -> str | None:
    """An https repository URL on a known forge, cut to ``https://host/owner/repo``; else None."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.scheme not in ("https", "http") or host not in _BLOB or len(segments) < 2:
        return None
    owner, name = segments[0], segments[1].removesuffix(".git")
    return f"https://{host}/{owner}/{name}"


_BLOB = {
    "github.com": "{repository}/blob/{ref}/{path}",
    "gitlab.com": "{repository}/-/blob/{ref}/{path}",
    "codeberg.org": "{repository}/src/commit/{ref}/{path}",
    "bitbucket.org": "{repository}/src/{ref}/{path}",
}


def file_url(repository: str, ref: str, path: str) -> str | None:
    """The web page of *path* at *ref* in *repository* (a known forge), or None."""
    normalized = normalize_repository(repository)
    if normalized is None:
        return None
    host = urlsplit(normalized).hostname or ""
    template = _BLOB[host]
    if host == "codeberg.org" and not _COMMIT.match(ref):
        template = "{repository}/src/tag/{ref}/{path}"
    return template.format(repository=normalized, ref=quote(ref, safe="/"), path=quote(path, safe="/"))
