"""The benchmark's hand-written reST side builds, and highlights the lines the store marks (no timing)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_codeexamples.store import read_page_file, scan_store

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
STORE = Path(__file__).parent / "roots" / "test-basic" / "store"


def benchmark_module(name: str) -> Iterator[ModuleType]:
    """Import ``benchmarks/<name>.py`` (which imports ``handwritten``); forget both afterwards."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))
        for module in (name, "handwritten"):
            sys.modules.pop(module, None)


@pytest.fixture
def handwritten() -> Iterator[ModuleType]:
    yield from benchmark_module("handwritten")


@pytest.fixture
def bench() -> Iterator[ModuleType]:
    yield from benchmark_module("bench_build")


def marked_lines(path: str) -> list[str]:
    page, _ = read_page_file(path)
    assert page is not None
    return [
        hunk.lines[index].expandtabs(8).rstrip()
        for example in page.examples
        for hunk in example.hunks
        for index in sorted(hunk.marked)
        if hunk.lines[index].strip()
    ]


def test_handwritten_rest_builds_with_the_marked_lines(handwritten, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    paths = handwritten.write_handwritten([STORE], src / "examples")
    (src / "conf.py").write_text('project = "Bench"\n', encoding="utf-8")
    (src / "index.rst").write_text(
        handwritten.INDEX_TITLE + "\n=============\n\n.. toctree::\n\n   examples/index\n"
    )

    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "_build")
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings

    index = scan_store([str(STORE)])
    assert set(paths) == set(index.by_name) == {"json.dumps", "shutil.copytree"}
    for dotted, relative in paths.items():
        html = (tmp_path / "_build" / "html" / "examples" / relative).with_suffix(".html")
        body = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        shown = [line.get_text().rstrip() for line in body.select("div.highlight span.hll")]
        shown = [line for line in shown if line]
        assert shown == marked_lines(index.by_name[dotted].path), dotted
        titles = [heading.get_text().rstrip("¶#") for heading in body.select("section section h2")]
        page, _ = read_page_file(index.by_name[dotted].path)
        assert page is not None
        assert titles == [f"Example {example.number} from {example.project}" for example in page.examples]
        assert body.select_one("a.reference.external") is not None


def test_markdown_to_rest_keeps_links_and_markup(handwritten) -> None:  # type: ignore[no-untyped-def]
    from sphinx_codeexamples.ext.markdown import LinkPolicy

    lines = handwritten.markdown_to_rst(
        "[tinylog](https://github.com/x/tinylog) writes **structured**lines as `JSON`.\n\n"
        "- one\n- 1. not a list\n\n"
        '<a href="https://example.org/a_">link_</a> and *stars*',
        LinkPolicy(),
    )
    assert lines == [
        "\\ `tinylog <https://github.com/x/tinylog>`__ writes **structured**\\ lines as ``JSON``.",
        "",
        "- one",
        "",
        "- #. not a list",
        "",
        "\\ `link_ <https://example.org/a\\_>`__ and *stars*",
    ]


def test_speedup_is_the_median_of_per_round_ratios(bench) -> None:  # type: ignore[no-untyped-def]
    walls = {1: (3.0, 2.0), 2: (6.0, 5.0), 3: (3.1, 3.0)}  # a machine slowing down in round 2
    runs = [bench.Run("full", "A", r, serial, serial, 1) for r, (serial, _) in walls.items()]
    runs += [bench.Run("parallel", "A", r, parallel, parallel, 1) for r, (_, parallel) in walls.items()]
    assert bench.parallel_speedup(runs, "A") == pytest.approx(1.2)  # ratios 1.5, 1.2, 1.03
    assert bench.parallel_speedup(runs, "B") is None


def test_written_pages_are_counted_from_the_files(bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for rel in ("src/a.rst", "src/sub/b.rst", "src/c.rst", "out/a.html", "out/sub/b.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    old = (tmp_path / "out" / "sub" / "b.html").stat().st_mtime_ns - 10**9
    os.utime(tmp_path / "out" / "sub" / "b.html", ns=(old, old))
    assert bench.count_written(tmp_path, old + 1) == 1  # a.html only; c.rst has no page


@pytest.fixture
def bench_autodoc() -> Iterator[ModuleType]:
    yield from benchmark_module("bench_autodoc")


def test_autodoc_bench_store_finds_every_documented_spelling(bench_autodoc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = bench_autodoc.make_package(tmp_path, modules=2, functions=3, classes=1, methods=2)
    assert len(names) == 2 * (3 + 1 + 2)
    written = bench_autodoc.make_store(tmp_path / "store", names, examples=2)
    index = scan_store([str(tmp_path / "store")])
    assert index.problems == ()
    assert len(index.by_name) == written == len(names[::2])
    # every other callable has a page, found by its defining (documented) name, some through an alias
    assert all(index.canonical(name) is not None for name in names[::2])
    assert all(index.canonical(name) is None for name in names[1::2])
    assert 0 < len(index.aliases) < written
    site = bench_autodoc.make_site(tmp_path, 2, "off")
    assert "codeexamples_autodoc = False" in (site / "conf.py").read_text(encoding="utf-8")
    assert ".. automodule:: benchpkg.mod1" in (site / "mod1.rst").read_text(encoding="utf-8")
