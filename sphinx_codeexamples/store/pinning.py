"""Is a source link pinned? A file at a fixed revision: a commit, or a release archive's digest.

``check --pinned`` uses this to flag examples whose links may change under
them: a branch (``blob/main/...``), a tag or other name (which may move, or
may have been guessed and not exist), a project page instead of the file.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_COMMIT = re.compile(r"[0-9a-f]{7,64}\Z")
_DIGEST_PATH = re.compile(r"/packages/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{60}/[^/]+")
# host -> (pattern of the path up to the ref, kind of page)
_FORGES = {
    "github.com": re.compile(r"/[^/]+/[^/]+/(?:blob|tree)/(?P<ref>[^/]+)"),
    "raw.githubusercontent.com": re.compile(r"/[^/]+/[^/]+/(?P<ref>[^/]+)/"),
    "gitlab.com": re.compile(r"/.+?/-/(?:blob|tree)/(?P<ref>[^/]+)"),
    "codeberg.org": re.compile(r"/[^/]+/[^/]+/src/(?:commit|tag|branch)/(?P<ref>[^/]+)"),
    "bitbucket.org": re.compile(r"/[^/]+/[^/]+/src/(?P<ref>[^/]+)"),
}


def unpinned_reason(url: str | None) -> str | None:
    """Why *url* is not pinned to a fixed revision of a file, or None when it is (or is missing)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path
    if host == "inspector.pypi.io":
        if re.match(r"/project/[^/]+/[^/]+" + _DIGEST_PATH.pattern + "/.", path):
            return None
        return "an inspector.pypi.io page that is not a file of a release archive"
    if host == "files.pythonhosted.org" and _DIGEST_PATH.match(path):
        return None
    pattern = _FORGES.get(host)
    match = pattern.match(path) if pattern else None
    if match is None:
        if host == "pypi.org":
            return "a PyPI project page, not the file"
        return "not a file at a commit or in a release archive on a known host"
    ref = unquote(match["ref"])
    if _COMMIT.match(ref):
        return None
    return f"{ref!r} is a tag or branch name, not a commit: it may move, or not exist"
