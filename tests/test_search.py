"""The HTML search index: example code left out by default, titles, prose and objects kept.

The ranking checks run the built ``searchindex.js`` through :func:`search`, a
Python transcription of the scoring in Sphinx's ``searchtools.js`` (Sphinx 9.0:
``Search._performSearch``, ``performObjectSearch`` and ``performTermsSearch``),
so "first" means first in the list a reader of the built site would see.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.search.en import SearchEnglish
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-search"
FLUSH = "examples/quill/quill.ink.flush"
WRITE = "examples/quill/quill.ink.write"

# searchtools.js's Scorer defaults
OBJ_NAME_MATCH, OBJ_PARTIAL_MATCH, OBJ_PRIO, OBJ_PRIO_DEFAULT = 11, 6, {0: 15, 1: 5, 2: -5}, 0
TITLE, PARTIAL_TITLE, TERM, PARTIAL_TERM = 15, 7, 5, 2

_ENGLISH = SearchEnglish({})

BuildSite = Callable[..., SphinxTestApp]


@dataclass(frozen=True)
class Result:
    docname: str
    title: str
    anchor: str
    descr: str | None
    score: int
    filename: str
    kind: str


def _split(query: str) -> list[str]:
    """``splitQuery``: runs of word characters."""
    return [word for word in re.split(r"\W+", query) if word]


def _round(value: float) -> int:
    """JavaScript's ``Math.round`` (halves go up)."""
    return math.floor(value + 0.5)


def _result(
    index: dict[str, Any], file: int, title: str, anchor: str | None, descr: str | None, score: int, kind: str
) -> Result:
    """A result row, as ``searchtools.js`` builds it (``#anchor`` or nothing)."""
    fragment = f"#{anchor}" if anchor else ""
    return Result(index["docnames"][file], title, fragment, descr, score, index["filenames"][file], kind)


def _files(value: int | list[int] | None) -> list[int]:
    return [] if value is None else [value] if isinstance(value, int) else list(value)


def search(index: dict[str, Any], query: str) -> list[Result]:
    """The results of *query*, best first, as ``searchtools.js`` orders them."""
    titles = index["titles"]
    object_terms = set(_split(query.lower().strip()))
    search_terms = {
        _ENGLISH.stem(word.lower()).lower()
        for word in _split(query.strip())
        if word.lower() not in _ENGLISH.stopwords and not word.isdigit()
    }
    query_lower = query.lower().strip()
    normal: list[Result] = []
    non_main: list[Result] = []
    for title, found in index["alltitles"].items():
        if query_lower in title.lower().strip() and len(query_lower) >= len(title) / 2:
            for file, anchor in found:
                score = _round(TITLE * len(query_lower) / len(title)) + (titles[file] == title)
                shown = title if titles[file] == title else f"{titles[file]} > {title}"
                normal.append(_result(index, file, shown, anchor, None, score, "title"))
    for entry, found in index["indexentries"].items():
        if query_lower in entry and len(query_lower) >= len(entry) / 2:
            for file, anchor, is_main in found:
                score = _round(100 * len(query_lower) / len(entry))
                result = _result(index, file, titles[file], anchor, None, score, "index")
                (normal if is_main else non_main).append(result)
    for term in object_terms:
        normal.extend(_objects(index, term, object_terms))
    normal.extend(_terms(index, search_terms))

    def display_order(results: list[Result]) -> list[Result]:
        return sorted(results, key=lambda result: (-result.score, result.title.lower()))

    ordered, seen = [], set()
    for result in display_order(normal) + display_order(non_main):
        key = (result.docname, result.title, result.anchor, result.descr, result.filename)
        if key not in seen:
            seen.add(key)
            ordered.append(result)
    return ordered


def _objects(index: dict[str, Any], term: str, object_terms: set[str]) -> Iterable[Result]:
    titles, objnames = index["titles"], index["objnames"]
    for prefix, entries in index["objects"].items():
        for file, objtype, priority, anchor, name in entries:
            fullname = f"{prefix}.{name}" if prefix else name
            lower = fullname.lower()
            if term not in lower:
                continue
            last = lower.split(".")[-1]
            score = OBJ_NAME_MATCH if term in (lower, last) else OBJ_PARTIAL_MATCH if term in last else 0
            objname = objnames[str(objtype)][2]
            haystack = f"{prefix} {name} {objname} {titles[file]}".lower()
            if any(other not in haystack for other in object_terms - {term}):
                continue
            if anchor in ("", "-"):
                anchor = fullname if anchor == "" else f"{objnames[str(objtype)][1]}-{fullname}"
            score += OBJ_PRIO.get(priority, OBJ_PRIO_DEFAULT)
            descr = f"{objname}, in {titles[file]}"
            yield _result(index, file, fullname, anchor, descr, score, "object")


def _terms(index: dict[str, Any], search_terms: set[str]) -> Iterable[Result]:
    terms, title_terms = index["terms"], index["titleterms"]
    scores: dict[int, dict[str, int]] = {}
    matched: dict[int, list[str]] = {}
    for word in search_terms:
        records = [(terms.get(word), TERM), (title_terms.get(word), TITLE)]
        if len(word) > 2:
            if word not in terms:
                records += [(files, PARTIAL_TERM) for term, files in terms.items() if word in term]
            if word not in title_terms:
                records += [(files, PARTIAL_TITLE) for term, files in title_terms.items() if word in term]
        if all(files is None for files, _ in records):
            continue
        for files, score in records:
            for file in _files(files):
                scores.setdefault(file, {})[word] = score  # a later record wins, as in the JS
                if word not in matched.setdefault(file, []):
                    matched[file].append(word)
    required = {len(search_terms), len([term for term in search_terms if len(term) > 2])}
    for file, words in matched.items():
        if len(words) in required:
            score = max(scores[file][word] for word in words)
            yield _result(index, file, index["titles"][file], None, None, score, "text")


def load_index(outdir: Path) -> dict[str, Any]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    prefix = "Search.setIndex("
    assert text.startswith(prefix) and text.rstrip().endswith(")")
    return json.loads(text[len(prefix) : text.rstrip().rindex(")")])  # type: ignore[no-any-return]


def docs_found(index: dict[str, Any], query: str) -> list[str]:
    """Docnames in the order of their first result."""
    found: list[str] = []
    for result in search(index, query):
        if result.docname not in found:
            found.append(result.docname)
    return found


@pytest.fixture
def build_site(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> BuildSite:
    def build(**confoverrides: Any) -> SphinxTestApp:
        srcdir = tmp_path / "site"
        shutil.copytree(ROOT, srcdir)
        parallel = confoverrides.pop("parallel", 0)
        app = make_app("html", srcdir=srcdir, confoverrides=confoverrides, parallel=parallel)
        try:
            app.build()
        finally:
            app.cleanup()
        assert "WARNING" not in app.warning.getvalue(), app.warning.getvalue()
        return app

    return build


def test_the_transcription_ranks_like_searchtools() -> None:
    """A hand-made index: an object match beats a title term, which beats a body term."""
    index = {
        "docnames": ["a", "b", "c"],
        "filenames": ["a.rst", "b.rst", "c.rst"],
        "titles": ["Alpha", "Beta", "Gamma"],
        "alltitles": {"Alpha": [[0, None]], "Beta": [[1, None]], "Gamma": [[2, None]]},
        "indexentries": {},
        "objects": {"pkg": [[2, 0, 1, "", "spline"]]},
        "objnames": {"0": ["py", "function", "Python function"]},
        "terms": {"spline": [0, 1]},
        "titleterms": {"spline": 1},
    }
    assert docs_found(index, "spline") == ["c", "b", "a"]  # object 11 + 5, title 15, term 5
    assert [result.score for result in search(index, "spline")] == [16, 15, 5]
    assert docs_found(index, "splin") == ["c", "b", "a"]  # partial: object 6 + 5, title 7, term 2
    assert docs_found(index, "nothing") == []


@pytest.mark.parametrize("parallel", [0, 2])
def test_code_is_left_out_of_the_search_index(build_site: BuildSite, parallel: int) -> None:
    app = build_site(parallel=parallel)
    index = load_index(app.outdir)
    # Code-only words (a name, a loop variable, an elision comment) find nothing.
    for word in ("zanzibar_counter", "xylophone_buffer", "continues", "finish"):
        assert search(index, word) == [], word
    # Titles, blurbs and intros are searchable.
    assert docs_found(index, "kumquat") == [FLUSH]  # a blurb
    assert docs_found(index, "marmalade") == [FLUSH]  # a hand-written intro
    # An example title ("Example 1 from scrivener"), also in the table of contents of the root page.
    assert docs_found(index, "scrivener")[0] == WRITE
    # A callable's name finds its own page first, as a callable object.
    for name, page in (("flush", FLUSH), ("write", WRITE), ("quill.ink.flush", FLUSH)):
        results = search(index, name)
        assert results[0].docname == page, (name, results)
        assert results[0].kind == "object"
    # The write page calls flush() three times, in code only, and lists it as related: not a hit.
    assert WRITE not in docs_found(index, "flush")
    # The code blocks are still on the page, marked for Sphinx's indexer.
    html = BeautifulSoup((app.outdir / f"{WRITE}.html").read_text(encoding="utf-8"), "html.parser")
    code = html.select("div.codeexamples-code")
    assert code and all("no-search" in block["class"] for block in code)
    assert "xylophone_buffer" in code[0].get_text()


@pytest.mark.parametrize("parallel", [0, 2])
def test_search_code_puts_code_back(build_site: BuildSite, parallel: int) -> None:
    app = build_site(parallel=parallel, codeexamples_search_code=True)
    index = load_index(app.outdir)
    assert docs_found(index, "zanzibar_counter") == [FLUSH]
    assert docs_found(index, "xylophone_buffer") == [WRITE]
    assert docs_found(index, "continues") == [WRITE]  # the elision comment
    # Now the write page matches flush through its code, but the flush page still comes first.
    found = docs_found(index, "flush")
    assert found[0] == FLUSH and WRITE in found
    html = BeautifulSoup((app.outdir / f"{WRITE}.html").read_text(encoding="utf-8"), "html.parser")
    assert not any("no-search" in block["class"] for block in html.select("div.codeexamples-code"))
