"""The store index: parsed pages kept in memory for one process, never pickled."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_codeexamples.store import read_page_file, render_page, scan_store

STORE = Path(__file__).parent / "roots" / "test-basic" / "store"


def test_scan_keeps_each_parsed_page_for_showing(tmp_path: Path) -> None:
    index = scan_store([str(STORE)])
    entry = index.by_name["json.dumps"]
    assert entry.page is not None
    assert entry.load() is entry.page
    assert entry.page == read_page_file(entry.path)[0]


def test_pickled_index_drops_pages_and_reads_them_again() -> None:
    index = scan_store([str(STORE)])
    restored = pickle.loads(pickle.dumps(index))
    assert restored == index
    entry = restored.by_name["json.dumps"]
    assert entry.page is None
    assert entry.load() == index.by_name["json.dumps"].page


def test_index_without_pages_keeps_everything_else() -> None:
    index = scan_store([str(STORE)])
    light = index.without_pages()
    assert light == index and all(entry.page is None for entry in light.entries)
    assert all(light.by_name[name] in light.entries for name in light.by_name)
    assert light.lookup("json.dumps") is light.by_name["json.dumps"]
    assert light.by_name["json.dumps"].load() == index.by_name["json.dumps"].page
    assert index.by_name["json.dumps"].page is not None  # the original is left alone


def test_rescan_reuses_unchanged_entries_and_rereads_changed_ones(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    first = pickle.loads(pickle.dumps(scan_store([str(store)])))
    page_file = store / "json-dumps.markdown"
    page_file.write_text(page_file.read_text().replace("json dumps", "json loads"))
    later = os.stat(page_file).st_mtime_ns + 10**9
    os.utime(page_file, ns=(later, later))
    second = scan_store([str(store)], {entry.path: entry for entry in first.entries})
    assert "json.dumps" not in second.by_name
    changed = second.by_name["json.loads"]
    assert changed.page is not None and changed.page.dotted == "json.loads"
    unchanged = second.by_name["shutil.copytree"]
    assert unchanged is first.by_name["shutil.copytree"] and unchanged.page is None


def _with_aliases(page_file: Path, aliases: str) -> None:
    lines = page_file.read_text().split("\n")
    lines.insert(7, f"aliases: {aliases}")
    page_file.write_text("\n".join(lines))


def test_aliases_find_the_page_and_round_trip(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    _with_aliases(store / "json-dumps.markdown", "json.encoder.dumps, json.dumps, not a name")
    page, problems = read_page_file(str(store / "json-dumps.markdown"))
    assert page is not None and page.aliases == ("json.encoder.dumps",)
    assert page.names == ("json.dumps", "json.encoder.dumps")
    assert [problem.line for problem in problems] == [8]
    assert "'not a name'" in problems[0].message
    index = scan_store([str(store)])
    assert index.lookup("json.encoder.dumps") is index.by_name["json.dumps"]
    assert index.canonical("json.encoder.dumps") == "json.dumps"
    assert index.lookup("json.encoder.nothing") is None
    assert "json.encoder.dumps" not in index.by_name  # one page, one callable
    (store / "again.markdown").write_text(render_page(page))
    assert read_page_file(str(store / "again.markdown"))[0] == page.__class__(
        **{**page.__dict__, "path": str(store / "again.markdown")}
    )


def test_an_alias_taken_by_another_page_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    _with_aliases(store / "json-dumps.markdown", "shutil.copytree")
    index = scan_store([str(store)])
    assert index.lookup("shutil.copytree") is index.by_name["shutil.copytree"]
    [problem] = [problem for problem in index.problems if problem.code.value == "duplicate"]
    assert problem.path.endswith("json-dumps.markdown")
    assert "alias shutil.copytree of json.dumps" in problem.message


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_a_build_frees_the_parsed_pages_once_every_page_is_read(app: SphinxTestApp) -> None:
    app.build()
    index = app.env.domains["codeexamples"].index
    assert index.by_name and all(entry.page is None for entry in index.entries)
    assert "Example 1 from tinylog" in (app.outdir / "index.html").read_text(encoding="utf-8")
