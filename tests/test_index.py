"""The store index: parsed pages kept in memory for one process, never pickled."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

from sphinx_codeexamples.store import read_page_file, scan_store

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
