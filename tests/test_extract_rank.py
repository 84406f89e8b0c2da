"""Choosing and ranking examples, --exclude/--no-tests, the summary and --format json, file modes."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.extract.pages import FoundExample
from sphinx_codeexamples.extract.pipeline import found_examples, scan
from sphinx_codeexamples.extract.rank import PathFilter, is_test_path, rank
from sphinx_codeexamples.extract.refs import RefOptions
from sphinx_codeexamples.extract.sources import Source
from sphinx_codeexamples.model import CallableName, Hunk
from sphinx_codeexamples.store import read_page_file


def found(project: str, path: str, item_lines: int) -> FoundExample:
    return FoundExample(project, path, None, "", (Hunk(("x",), frozenset({0}), 1),), item_lines)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_app.py", True),
        ("src/pkg/testing/helpers.py", True),
        ("pkg/test_utils.py", True),
        ("pkg/utils_test.py", True),
        ("conftest.py", True),
        ("src/pkg/contest.py", False),
        ("src/pkg/attestation.py", False),
        ("pkg/tests.py", False),
    ],
)
def test_is_test_path(path: str, expected: bool) -> None:
    assert is_test_path(path) is expected


def test_rank_library_first_then_one_per_project_then_smaller_items() -> None:
    examples = [
        found("alpha", "alpha/big.py", 200),
        found("alpha", "alpha/small.py", 3),
        found("alpha", "tests/test_a.py", 1),
        found("beta", "beta/mid.py", 20),
        found("beta", "beta/other.py", 5),
        found("gamma", "tests/test_g.py", 2),
    ]
    assert [(example.project, example.path) for example in rank(examples)] == [
        ("alpha", "alpha/small.py"),  # round 1 of library code: 3 lines
        ("beta", "beta/other.py"),  # round 1: 5 lines
        ("beta", "beta/mid.py"),  # round 2: 20 lines
        ("alpha", "alpha/big.py"),  # round 2: 200 lines
        ("alpha", "tests/test_a.py"),  # tests last, again one per project first
        ("gamma", "tests/test_g.py"),
    ]
    assert rank(reversed(examples)) == rank(examples)


def test_path_filter() -> None:
    paths = PathFilter(("docs/*", "*/migrations/*"), no_tests=True)
    assert paths.excluded("docs/conf.py")
    assert paths.excluded("app/migrations/0001_initial.py")
    assert paths.excluded("tests/test_views.py")
    assert not paths.excluded("app/views.py")
    assert not PathFilter().excluded("tests/test_views.py")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


PROJECT = {
    "setup.cfg": "[metadata]\nname = proj\n",
    "proj/long.py": "import lib\n\n\ndef big():\n"
    + "".join(f"    a{n} = {n}\n" for n in range(40))
    + ("    return lib.f()\n"),
    "proj/short.py": "import lib\n\n\ndef g():\n    return lib.f()\n",
    "tests/test_proj.py": "import lib\n\n\ndef test_f():\n    assert lib.f()\n",
    "docs/example.py": "import lib\nlib.f()\n",
}


def test_extract_ranks_excludes_and_summarises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "proj", PROJECT)
    store = tmp_path / "store"
    base = ["extract", "--callable", "lib.f", "--callable", "lib.unused", str(source), "-o", str(store)]
    assert main(base) == 0
    out = capsys.readouterr().out.splitlines()
    page_path = store / "lib-f-examples.markdown"
    assert f"lib.f: 4 uses in 4 files of 1 project, 4 examples; {page_path} written" in out
    assert "lib.unused: no uses" in out
    assert "no uses found of: lib.unused" in out
    page, _ = read_page_file(str(page_path))
    assert page is not None
    # items of 1 (a module-level statement), 2 (a short function) and 42 lines (a long one), then tests
    assert [example.source_label for example in page.examples] == [
        "proj / docs / example.py",
        "proj / proj / short.py",
        "proj / proj / long.py",
        "proj / tests / test_proj.py",
    ]

    assert main([*base, "--exclude", "docs/*", "--no-tests", "--max-examples", "1"]) == 0
    capsys.readouterr()
    page, _ = read_page_file(str(page_path))
    assert page is not None
    assert [example.source_label for example in page.examples] == ["proj / proj / short.py"]

    assert main([*base, "--exclude", "docs/*", "--no-tests", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["callables"] == [
        {
            "name": "lib.f",
            "uses": 2,
            "files": 2,
            "projects": 1,
            "examples": 2,
            "page": str(page_path),
            "page_status": "written",
        },
        {
            "name": "lib.unused",
            "uses": 0,
            "files": 0,
            "projects": 0,
            "examples": 0,
            "page": "",
            "page_status": "",
        },
    ]
    assert data["without_uses"] == ["lib.unused"]
    assert data["pages"] == {"written": [str(page_path)], "unchanged": []}
    assert data["files"]["scanned"] == 4
    assert data["links"][0]["links_to"] == "project-page"
    assert data["links"][0]["pinned"] is False


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_pages_are_written_with_the_umask_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: int
) -> None:
    from sphinx_codeexamples.extract import pipeline

    pipeline._new_file_mode.cache_clear()
    source = write(tmp_path / "proj", {"m.py": "import lib\nlib.f()\n"})
    previous = os.umask(mask)
    try:
        assert main(["extract", "--callable", "lib.f", str(source), "-o", str(tmp_path / "store")]) == 0
    finally:
        os.umask(previous)
        pipeline._new_file_mode.cache_clear()
    mode = stat.S_IMODE((tmp_path / "store" / "lib-f-examples.markdown").stat().st_mode)
    assert mode == 0o666 & ~mask


def test_examples_past_the_kept_ones_are_ranked_without_their_code(tmp_path: Path) -> None:

    other = {"setup.cfg": "[metadata]\nname = other\n", "other/x.py": "import lib\nlib.f()\nlib.f()\n"}
    sources = [
        Source(str(write(tmp_path / "proj", PROJECT)), "directory"),
        Source(str(write(tmp_path / "other", other)), "directory"),
    ]
    found = scan([CallableName.parse("lib.f")], sources)
    try:
        linkers = [RefOptions().linker(r.source, r.meta, r.blake2b) for r in found.results]
        everything = found_examples(found, "lib.f", linkers)
        kept = found_examples(found, "lib.f", linkers, keep=2)
    finally:
        found.close()
    assert len(everything.examples) == everything.kept == 5
    assert [(e.project, e.path) for e in kept.examples] == [(e.project, e.path) for e in everything.examples]
    assert kept.examples[:2] == everything.examples[:2]  # with their code
    assert all(example.code for example in kept.examples[:2])
    assert not any(example.code for example in kept.examples[2:])
    assert kept.summary("lib.f") == replace(everything.summary("lib.f"), examples=2)
    assert kept.uses == everything.uses == 6
