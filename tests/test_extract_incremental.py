"""Re-runs of ``extract``: pages whose inputs did not change are left unread, hits wait on disk."""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_extract_scale import CALLABLES, callables, consumer_files, extract, make_sdist, store_bytes

from sphinx_codeexamples.extract import cache as cache_module
from sphinx_codeexamples.extract import pipeline
from sphinx_codeexamples.extract.cache import DigestMemo
from sphinx_codeexamples.extract.hunks import as_plain
from sphinx_codeexamples.extract.pagecache import PageCache, PageFacts
from sphinx_codeexamples.extract.pipeline import scan
from sphinx_codeexamples.extract.sources import Source
from sphinx_codeexamples.extract.spill import FileHit, HitSpill, pack
from sphinx_codeexamples.extract.tasks import FileOutcome, FileUse
from sphinx_codeexamples.model import CallableName, Hunk

CONNECT_PAGE = "mylib-connect-examples.markdown"


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sdists"
    folder.mkdir()
    return [make_sdist(folder / f"consumer{n}-1.{n}.tar.gz", consumer_files(n)) for n in range(4)]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the store files that ``write_store`` parses, in order."""
    names: list[str] = []

    def parse_bytes(data: bytes, path: str) -> Any:
        names.append(os.path.basename(path))
        return parse_page_bytes(data, path)

    def read_file(path: str) -> Any:
        names.append(os.path.basename(path))
        return read_page_file(path)

    parse_page_bytes, read_page_file = pipeline.parse_page_bytes, pipeline.read_page_file
    monkeypatch.setattr(pipeline, "parse_page_bytes", parse_bytes)
    monkeypatch.setattr(pipeline, "read_page_file", read_file)
    return names


def add_intro(page: Path, prose: str) -> None:
    sentence = "`connect` is a callable within the `mylib` module of the mylib project."
    text = page.read_text()
    assert sentence in text
    page.write_text(text.replace(sentence, f"{sentence}\n\n{prose}"))


def test_a_rerun_reads_no_page_and_a_page_edited_by_hand_alone(
    tmp_path: Path, corpus: list[Path], parsed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    store, cache = tmp_path / "store", tmp_path / "cache"
    arguments = [*callables(*CALLABLES), *corpus, "-o", store, "--cache-dir", cache, "-q"]
    assert extract(*arguments) == 0
    assert "2 pages written" in capsys.readouterr().out
    first = store_bytes(store)
    assert extract(*arguments) == 0
    assert "0 pages written, 2 unchanged" in capsys.readouterr().out
    assert parsed == [] and store_bytes(store) == first
    # An edit by hand: that page alone is read again, and the edit stays.
    add_intro(store / CONNECT_PAGE, "Hand-written intro prose.")
    assert extract(*arguments) == 0
    assert parsed == [CONNECT_PAGE]
    assert "Hand-written intro prose." in (store / CONNECT_PAGE).read_text()
    parsed.clear()
    assert extract(*arguments) == 0
    assert parsed == []
    # The entries are made from the pages' bytes: a copy of the store is known too.
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, data in store_bytes(store).items():
        (copy / name).write_bytes(data)
    assert extract(*arguments[:-5], "-o", copy, "--cache-dir", cache, "-q") == 0
    assert parsed == [] and store_bytes(copy) == store_bytes(store)


def test_a_new_source_updates_only_the_pages_it_changes(
    tmp_path: Path, corpus: list[Path], parsed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    store, cache = tmp_path / "store", tmp_path / "cache"
    (extra := tmp_path / "extra").mkdir()
    engine_only = make_sdist(
        extra / "engines-1.0.tar.gz",
        {
            "PKG-INFO": "Metadata-Version: 2.1\nName: engines\nVersion: 1.0\n",
            "e.py": "import mylib\nmylib.Engine()\n",
        },
    )
    common = [*callables(*CALLABLES), "-o", store, "--cache-dir", cache, "-q"]
    assert extract(*common, *corpus) == 0
    assert extract(*common, *corpus, engine_only) == 0
    assert "1 pages written, 1 unchanged" in capsys.readouterr().out
    assert parsed == ["mylib-engine-examples.markdown"]  # read to merge the new examples in
    assert extract(*common, *corpus, engine_only, "--no-cache") == 0
    assert "0 pages written, 2 unchanged" in capsys.readouterr().out
    # A source alone that uses nothing: no page gets anything to merge in, none is read.
    parsed.clear()
    unused = make_sdist(extra / "unused-1.0.tar.gz", {"u.py": "import mylib\n"})
    assert extract(*common, unused) == 0
    assert "0 pages written, 2 unchanged" in capsys.readouterr().out
    assert parsed == []


def _same_project_twice(folder: Path) -> list[Path]:
    """Two releases of one project whose blurbs differ: merging them into a page is not idempotent."""
    folder.mkdir()
    releases = []
    for number, version, summary in ((7, "1.0", "The old one."), (8, "2.0", "The new one.")):
        files: dict[str, str | bytes] = dict(consumer_files(number))  # other paths, one project
        files["PKG-INFO"] = (
            f"Metadata-Version: 2.1\nName: consumer7\nVersion: {version}\nSummary: {summary}\n"
        )
        releases.append(make_sdist(folder / f"consumer7-{version}.tar.gz", files))
    return releases


def test_with_or_without_the_cache_the_store_is_the_same(
    tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    twice = _same_project_twice(tmp_path / "twice")
    gone = make_sdist(  # a new release of consumer0 that uses nothing any more
        tmp_path / "consumer0-2.0.tar.gz",
        {"PKG-INFO": "Metadata-Version: 2.1\nName: consumer0\nVersion: 2.0\n", "c.py": "x = 1\n"},
    )
    renamed = tmp_path / "renamed-1.1.tar.gz"  # consumer1's sdist under another name
    renamed.write_bytes(corpus[1].read_bytes())
    steps: list[list[Any]] = [
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), *corpus],
        [*callables(*CALLABLES), *corpus[1:], "--max-examples", "3"],
        [*callables("mylib.connect"), *corpus, "--exclude", "*/use1*.py"],
        [*callables(*CALLABLES), *twice, *corpus[:1]],
        [*callables(*CALLABLES), *twice, *corpus[:1]],
        [*callables(*CALLABLES), *twice, *corpus[:1]],
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), *corpus[1:2]],  # consumer0 not scanned: its examples stay
        [*callables(*CALLABLES), gone, *corpus[1:2]],  # scanned, no uses: its examples go
        [*callables(*CALLABLES), *corpus[2:3]],
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), gone],  # nothing found, and a project of the pages scanned
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), *corpus[:2], "--max-examples", "2"],  # the same hits, fewer kept
        [*callables(*CALLABLES), *corpus[:2], "--max-examples", "2", "--no-tests"],
        [*callables(*CALLABLES), *corpus[:2]],
        [*callables(*CALLABLES), corpus[0], renamed],  # the same hits, other links
    ]
    cached, plain = tmp_path / "cached", tmp_path / "plain"
    for number, arguments in enumerate(steps):
        if number == 3:  # the same edit by hand on both sides
            add_intro(cached / CONNECT_PAGE, "Kept.")
            add_intro(plain / CONNECT_PAGE, "Kept.")
        assert extract(*arguments, "-o", cached, "--cache-dir", tmp_path / "cache", "--format", "json") == 0
        with_cache = json.loads(capsys.readouterr().out)
        assert extract(*arguments, "-o", plain, "--no-cache", "--format", "json") == 0
        without = json.loads(capsys.readouterr().out)
        assert store_bytes(cached) == store_bytes(plain), f"step {number}"
        assert _summary(with_cache, cached) == _summary(without, plain), f"step {number}"


def _summary(data: dict[str, Any], store: Path) -> list[dict[str, Any]]:
    """The callables of a JSON summary, with the pages named relative to *store*."""
    return [
        {**item, "page": os.path.relpath(item["page"], store) if item["page"] else ""}
        for item in data["callables"]
    ]


def test_damaged_page_entries_are_misses(
    tmp_path: Path, corpus: list[Path], parsed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    store, cache = tmp_path / "store", tmp_path / "cache"
    arguments = [*callables(*CALLABLES), *corpus, "-o", store, "--cache-dir", cache, "-q"]
    assert extract(*arguments) == 0
    first = store_bytes(store)
    entries = [path for path in (cache / "pages").rglob("*") if path.is_file()]
    assert len(entries) == 2
    for number, path in enumerate(entries):
        path.write_bytes(b"garbage" if number else b"\x80\x05N.")  # not a pickle; a pickled None
    assert extract(*arguments) == 0
    assert sorted(parsed) == sorted(first) and store_bytes(store) == first
    pages = PageCache(str(tmp_path / "other"))
    pages.put("ab" * 32, PageFacts("a.b", "500000010", frozenset({"x"}), "cd" * 32))
    assert pages.get("ab" * 32) == PageFacts("a.b", "500000010", frozenset({"x"}), "cd" * 32)
    capsys.readouterr()


def test_a_rerun_from_the_cache_starts_no_worker(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [*callables(*CALLABLES), *corpus, "-o", tmp_path / "s", "--cache-dir", tmp_path / "c", "-q"]
    assert extract(*arguments, "--jobs", "2") == 0

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert extract(*arguments, "--jobs", "2") == 0
    assert "cache: 4 results reused, 0 computed" in capsys.readouterr().out


def test_hits_wait_on_disk_in_source_order(tmp_path: Path, corpus: list[Path]) -> None:
    names = [CallableName.parse(name) for name in CALLABLES]
    with contextlib.closing(
        scan(names, [Source.open(str(path)) for path in corpus], spill_dir=str(tmp_path))
    ) as found:
        assert not any(hasattr(result, "hits") for result in found.results)
        connect = list(found.hits.of("mylib.connect"))
        assert [index for index, _ in connect] == [0, 1, 2, 3]
        assert [hit.path for hit in connect[1][1]][:2] == ["consumer1/use0.py", "consumer1/use1.py"]
        assert list(found.hits.of("mylib.nothing")) == []
    assert os.listdir(tmp_path) == ["sdists"]  # the temporary file is gone (or never had a name)
    code = (Hunk(("x()",), frozenset({0}), 3),)
    plain = as_plain(code)
    files = [
        FileOutcome("a.py", parsed=True, uses=(FileUse("t", 1, plain, 1), FileUse("u", 1, plain, 2))),
        FileOutcome("b.py", parsed=True),
        FileOutcome("c.py", parsed=True, uses=(FileUse("t", 2, plain, 4),)),
    ]
    bare, hits = pack(files)
    assert [file.path for file in bare] == ["a.py", "b.py", "c.py"] and bare[1] is files[1]
    assert [(use.target, use.lines, use.code) for use in bare[2].uses] == [("t", 2, ())]
    spill = HitSpill(str(tmp_path))
    spill.add(5, hits)
    spill.add(2, {"t": hits["t"]})
    first = [FileHit("a.py", code, 1), FileHit("c.py", code, 4)]
    assert list(spill.of("t")) == [(5, first), (2, first)]
    assert list(spill.of("u")) == [(5, [FileHit("a.py", code, 2)])]
    spill.close()


def test_digests_of_downloads_are_remembered_once_the_files_are_steady(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []

    def sha256(path: str) -> str:
        hashed.append(os.path.basename(path))
        return file_sha256(path)

    file_sha256 = cache_module.file_sha256
    monkeypatch.setattr(cache_module, "file_sha256", sha256)
    archive = tmp_path / "a-1.0.tar.gz"
    archive.write_bytes(b"first")
    memo = DigestMemo(str(tmp_path / "cache"))
    digest = hashlib.sha256(b"first").hexdigest()
    assert memo.sha256(str(archive)) == memo.sha256(str(archive)) == digest
    assert hashed == ["a-1.0.tar.gz"] * 2  # just written: not remembered yet
    monkeypatch.setattr(DigestMemo, "STEADY_NS", 0)
    assert [memo.sha256(str(archive)) for _ in range(3)] == [digest] * 3
    assert len(hashed) == 3  # remembered after the first
    before = archive.stat()
    archive.write_bytes(b"other")  # the same size, and the same modification time as before
    os.utime(archive, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert archive.stat().st_mtime_ns == before.st_mtime_ns
    assert memo.sha256(str(archive)) == hashlib.sha256(b"other").hexdigest() and len(hashed) == 4
