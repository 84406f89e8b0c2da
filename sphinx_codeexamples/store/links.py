"""Finding a project's links (repository, docs, PyPI, license) in a blurb."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..model import ProjectLinks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht")


@functools.cache
def _parser() -> MarkdownIt:
    """The parser, made on first use: a rescan that finds no changed page never imports markdown-it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def iter_links(markdown: str) -> Iterator[tuple[str, str]]:
    """Yield ``(text, url)`` for every Markdown link in *markdown*."""
    for block in _parser().parse(markdown):
        children = block.children or []
        for index, token in enumerate(children):
            if token.type != "link_open":
                continue
            text = []
            for inner in children[index + 1 :]:
                if inner.type == "link_close":
                    break
                text.append(inner.content)
            yield "".join(text), str(token.attrGet("href") or "")


def _is_repository(url: str) -> bool:
    parts = urlsplit(url)
    path = [segment for segment in parts.path.split("/") if segment]
    if url.startswith("git@"):
        return True
    return parts.netloc.lower().removeprefix("www.") in _FORGES and len(path) == 2


#: Blurbs up to this size are memoised: a project's blurb repeats on every page that
#: quotes the project, and a build reads each page twice (index, then directive).
CACHED_BLURB_CHARS = 4_000


def find_links(blurb: str) -> ProjectLinks:
    """Classify the links of *blurb*; the first link of each kind wins."""
    return _find_links_cached(blurb) if len(blurb) <= CACHED_BLURB_CHARS else _find_links(blurb)


@functools.lru_cache(maxsize=2048)
def _find_links_cached(blurb: str) -> ProjectLinks:
    return _find_links(blurb)  # ProjectLinks is frozen: sharing one result is safe


def _find_links(blurb: str) -> ProjectLinks:
    found: dict[str, str] = {}
    if "[" not in blurb and "<" not in blurb:  # no link can be there; skip the parser
        return ProjectLinks()
    for text, url in iter_links(blurb):
        lowered_text, lowered_url = text.lower(), url.lower()
        host = urlsplit(url).netloc.lower()
        if host.endswith(("pypi.org", "pypi.python.org")):
            kind = "pypi"
        elif "license" in lowered_text or "licence" in lowered_text or "/license" in lowered_url:
            kind = "license"
        elif "documentation" in lowered_text or "docs" in lowered_text:
            kind = "docs"
        elif _is_repository(url):
            kind = "repository"
        else:
            continue
        found.setdefault(kind, url)
    return ProjectLinks(**found)
