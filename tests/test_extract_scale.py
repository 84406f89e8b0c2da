"""``extract`` at scale: workers give the same store, the result cache, --pypi, hostile archives, Dask."""

from __future__ import annotations

import io
import os
import pickle
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.extract import cache as cache_module
from sphinx_codeexamples.extract import runner as runner_module
from sphinx_codeexamples.extract import sources as sources_module
from sphinx_codeexamples.extract.cache import ResultCache
from sphinx_codeexamples.extract.executor import ExecutorError, InlineExecutor, ProcessExecutor, make_executor
from sphinx_codeexamples.extract.pipeline import scan, write_store
from sphinx_codeexamples.extract.pypi import fetch, read_requirements, release_of
from sphinx_codeexamples.extract.sources import Source
from sphinx_codeexamples.model import CallableName

CALLABLES = ["mylib.connect", "mylib.Engine"]


def consumer_files(number: int) -> dict[str, str]:
    """A consumer package with files that use the library, files that do not, and a broken one."""
    files = {
        "PKG-INFO": f"Metadata-Version: 2.1\nName: consumer{number}\nVersion: 1.{number}\n",
        f"consumer{number}/broken.py": "def oops(:\n    mylib.connect()\n",
    }
    for index in range(12):
        files[f"consumer{number}/use{index}.py"] = textwrap.dedent(
            f"""\
            import mylib
            from mylib import connect as open_{index}


            def start(url):
                return open_{index}(url + "{number}")


            class Service{index}(mylib.Engine):
                pass
            """
        )
        files[f"consumer{number}/other{index}.py"] = f"def helper_{index}():\n    return {index}\n"
    return files


def make_sdist(path: Path, files: dict[str, str | bytes], top: str | None = None) -> Path:
    top = top or path.name.removesuffix(".tar.gz")
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text if isinstance(text, bytes) else text.encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def make_wheel(path: Path, files: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    name, version = path.name.split("-")[:2]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            f"{name}-{version}.dist-info/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        )
        archive.writestr(f"{name}-{version}.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n")
        for member, data in files.items():
            archive.writestr(member, data)
        for member, target in (links or {}).items():
            info = zipfile.ZipInfo(member)
            info.external_attr = 0o120777 << 16  # a symbolic link
            archive.writestr(info, target)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sdists"
    folder.mkdir()
    return [make_sdist(folder / f"consumer{n}-1.{n}.tar.gz", consumer_files(n)) for n in range(4)]


def extract(*arguments: object) -> int:
    return main(["extract", *(str(argument) for argument in arguments)])


def store_bytes(store: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(store.iterdir())}


def callables(*names: str) -> list[str]:
    return [part for name in names for part in ("--callable", name)]


def test_jobs_and_cache_give_the_same_store_byte_for_byte(
    tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    stores = {}
    for label, options in {
        "inline": ["--jobs", "1", "--no-cache"],
        "pool": ["--jobs", "2", "--no-cache"],
        "cold": ["--jobs", "2", "--cache-dir", tmp_path / "cache"],
        "warm": ["--jobs", "1", "--cache-dir", tmp_path / "cache"],
    }.items():
        store = tmp_path / label
        assert extract(*callables(*CALLABLES), *corpus, "-o", store, "-q", *options) == 0
        stores[label] = store_bytes(store)
        out = capsys.readouterr().out
        assert out.startswith("100 files scanned, 4 skipped, 144 uses found in 48 files; 2 pages written")
    assert stores["inline"] == stores["pool"] == stores["cold"] == stores["warm"]
    assert len(stores["inline"]) == 2


def test_batches_from_many_sources_keep_their_order_in_a_pool(corpus: list[Path]) -> None:
    names = [CallableName.parse(name) for name in CALLABLES]
    sources = [Source.open(str(path)) for path in corpus]
    pool = ProcessExecutor(2)
    try:
        parallel = scan(names, sources, executor=pool)
    finally:
        pool.close()
    inline = scan(names, sources, executor=InlineExecutor())
    assert parallel.results == inline.results
    for name in CALLABLES:
        assert list(parallel.hits.of(name)) == list(inline.hits.of(name))
    parallel.close()
    inline.close()
    assert parallel.warnings == inline.warnings and parallel.counts == inline.counts


class _LazyExecutor:
    """Runs a task only when its result is asked for; counts the tasks waiting at most."""

    workers = 1

    def __init__(self) -> None:
        self.waiting = 0
        self.most = 0

    def submit(self, function: Any, argument: Any) -> Any:
        executor = self

        class Lazy:
            def done(self) -> bool:
                return False

            def result(self) -> Any:
                executor.waiting -= 1
                return function(argument)

        self.waiting += 1
        self.most = max(self.most, self.waiting)
        return Lazy()

    def close(self) -> None:
        pass


def test_files_in_flight_are_bounded_however_many_sources(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "BATCH_FILES", 1)  # one file per task: 52 tasks
    names = [CallableName.parse(name) for name in CALLABLES]
    lazy = _LazyExecutor()
    found = scan(names, [Source.open(str(path)) for path in corpus], executor=lazy)
    assert found.counts.parsed == 48 and lazy.waiting == 0
    assert lazy.most == runner_module.IN_FLIGHT_PER_WORKER  # never more tasks (and file texts) held


def _die(batch: object) -> None:
    os._exit(3)  # a worker killed, as by the out-of-memory killer


def test_a_worker_that_dies_is_an_error_not_a_traceback(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner_module, "scan_batch", _die)
    assert extract(*callables("mylib.connect"), corpus[0], "-o", tmp_path / "s", "--jobs", "2", "-q") == 1
    assert "error: a worker stopped:" in capsys.readouterr().err


def test_cache_reuses_archives_and_parses_only_what_is_new(
    tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cache = ["--cache-dir", tmp_path / "cache", "-q", "-o", tmp_path / "store"]
    assert extract(*callables("mylib.connect"), *corpus[:3], *cache) == 0
    assert "cache: 0 results reused, 42 computed" in capsys.readouterr().out  # 3 archives, 13 files each
    assert extract(*callables("mylib.connect"), *corpus[:3], *cache) == 0
    assert "cache: 3 results reused, 0 computed" in capsys.readouterr().out  # one entry per archive
    assert extract(*callables("mylib.connect"), *corpus, *cache) == 0
    assert "cache: 3 results reused, 14 computed" in capsys.readouterr().out  # the new archive alone
    # A new target set: archives miss; files are reused unless they may use the new target.
    assert extract(*callables("mylib.connect", "mylib.helper_3"), *corpus, *cache) == 0
    out = capsys.readouterr().out
    # other3.py spells helper_3 but never mylib, so it is not parsed: the 4 archives alone are computed
    assert "cache: 52 results reused, 4 computed" in out
    # The per-file entries that were reused give what a run without cache gives.
    assert (
        extract(*callables("mylib.connect", "mylib.helper_3"), *corpus, "-o", tmp_path / "plain", "-q") == 0
    )
    assert store_bytes(tmp_path / "store") == store_bytes(tmp_path / "plain")


def test_cache_entries_build_result_classes_only(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path))
    cache.put("ab" * 32, os.system)  # pickled as a reference to os.system
    assert cache.get("ab" * 32) is None
    with pytest.raises(pickle.UnpicklingError):
        cache_module.loads(pickle.dumps(os.system))
    (tmp_path / "results" / "cd").mkdir(parents=True)
    (tmp_path / "results" / "cd" / ("cd" * 31)).write_bytes(b"garbage")
    assert cache.get("cd" * 32) is None and cache.misses == 2


def test_hostile_archives_are_skipped_or_cut_with_a_note(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt-1.0.tar.gz"
    corrupt.write_bytes(b"\x1f\x8b not really gzip")
    truncated = tmp_path / "truncated-1.0.tar.gz"
    truncated.write_bytes(corpus[0].read_bytes()[:600])
    deep = "/".join(["d"] * 60)
    wheel = make_wheel(
        tmp_path / "odd-1.0-py3-none-any.whl",
        {
            "odd/use.py": b"import mylib\nmylib.connect()\n",
            f"odd/{deep}/x.py": b"import mylib\nmylib.connect()\n",
            "odd/ctl\x07.py": b"import mylib\nmylib.connect()\n",
        },
        links={"odd/link.py": "/etc/passwd"},
    )
    many = make_sdist(tmp_path / "many-1.0.tar.gz", {f"m/f{index}.py": "x = 1\n" for index in range(30)})
    monkeypatch.setattr(sources_module, "MAX_MEMBERS", 20)
    store = tmp_path / "store"
    arguments = [*callables("mylib.connect"), corrupt, truncated, wheel, many, corpus[1], "-o", store]
    assert extract(*arguments, "--jobs", "1", "--no-cache") == 0
    captured = capsys.readouterr()
    assert f"warning: {corrupt}: skipped: cannot read:" in captured.err
    assert f"warning: {truncated}: " in captured.err
    assert f"warning: {wheel}: odd/{deep}/x.py: skipped: nested deeper than 48 folders" in captured.err
    assert f"warning: {wheel}: odd/ctl\\x07.py: skipped: the name has control characters" in captured.err
    assert f"warning: {many}: cut: more than 20 members" in captured.err
    assert "link.py" not in captured.err + captured.out
    page = (store / "mylib-connect-examples.markdown").read_text()
    assert "odd / use.py" in page and "use0.py" in page and "/etc/passwd" not in page
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [corrupt.name, truncated.name, wheel.name, many.name, "sdists", "store"]
    )


def test_an_unreadable_archive_keeps_its_project_examples(
    tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert extract(*callables("mylib.connect"), *corpus[:2], "-o", store, "-q") == 0
    before = store_bytes(store)
    assert b"consumer1" in before["mylib-connect-examples.markdown"]
    corpus[1].write_bytes(b"damaged")
    assert extract(*callables("mylib.connect"), *corpus[:2], "-o", store) == 0
    assert f"warning: {corpus[1]}: skipped: cannot read" in capsys.readouterr().err
    # Every example stays (the fresh ones of the readable project take the place of its old ones).
    after = store_bytes(store)["mylib-connect-examples.markdown"]
    assert _source_links(after) == _source_links(before["mylib-connect-examples.markdown"])


def _source_links(page: bytes) -> list[bytes]:
    return sorted(line for line in page.splitlines() if line.startswith(b"[**"))


def test_tar_member_names_that_are_not_utf8_are_skipped(tmp_path: Path) -> None:
    sdist = tmp_path / "enc-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz", format=tarfile.GNU_FORMAT, encoding="latin-1") as archive:
        for name in ("enc-1.0/caf\xe9.py", "enc-1.0/ok.py"):
            info = tarfile.TarInfo(name)
            info.size = 2
            archive.addfile(info, io.BytesIO(b"x\n"))
    files = {file.path: file for file in Source.open(str(sdist)).files()}
    assert files["ok.py"].data == b"x\n"
    [odd] = [file for path, file in files.items() if path != "ok.py"]
    assert odd.data is None and odd.problem == "the name is not valid UTF-8" and odd.path == "caf\\xe9.py"


# -- --pypi, served by a local folder (no network) -------------------------------------------

BACKEND = """\
import os


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name = "usesdist-1.0.dist-info"
    os.makedirs(os.path.join(metadata_directory, name))
    with open(os.path.join(metadata_directory, name, "METADATA"), "w") as stream:
        stream.write("Metadata-Version: 2.1\\nName: usesdist\\nVersion: 1.0\\n")
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    raise NotImplementedError
"""


PYPROJECT = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A find-links folder: an sdist (built with a do-nothing in-tree backend) and a wheel with a link."""
    folder = tmp_path / "index"
    folder.mkdir()
    make_sdist(
        folder / "usesdist-1.0.tar.gz",
        {
            "PKG-INFO": "Metadata-Version: 2.1\nName: usesdist\nVersion: 1.0\n",
            "pyproject.toml": PYPROJECT,
            "backend.py": BACKEND,
            "usesdist/__init__.py": "import mylib\n\nmylib.connect('sdist')\n",
        },
    )
    make_wheel(
        folder / "useswheel-2.0-py3-none-any.whl",
        {"useswheel/__init__.py": b"from mylib import connect\n\nconnect('wheel')\n"},
        links={"useswheel/evil.py": "/etc/passwd"},
    )
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    return folder


def test_pypi_fetches_sdist_first_then_wheels_and_reports_failures(
    tmp_path: Path, index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reqs.txt").write_text("# dependents\nuseswheel==2.0  # a wheel only\n--index-url x\n")
    cache_dir = tmp_path / "cache"
    downloads = cache_dir / "downloads"
    downloads.mkdir(parents=True)
    (downloads / "broken-1.0.tar.gz").write_bytes(b"\x1f\x8b pre-downloaded, corrupt")
    store = tmp_path / "store"
    arguments = [*callables("mylib.connect"), "-o", store, "--cache-dir", cache_dir, "--jobs", "1"]
    arguments += [
        "--pypi",
        "usesdist",
        "nothing-here",
        "broken==1.0",
        "--requirements",
        tmp_path / "reqs.txt",
    ]
    assert extract(*arguments) == 0
    captured = capsys.readouterr()
    assert "1 pages written" in captured.out
    assert "not fetched: nothing-here: " in captured.out
    assert f"not fetched: {tmp_path / 'reqs.txt'}:3: options are not supported: --index-url x" in captured.out
    assert f"warning: {downloads / 'broken-1.0.tar.gz'}: skipped: cannot read" in captured.err
    assert sorted(os.listdir(downloads)) == [
        "broken-1.0.tar.gz",
        "usesdist-1.0.tar.gz",
        "useswheel-2.0-py3-none-any.whl",
    ]
    page = (store / "mylib-connect-examples.markdown").read_text()
    assert "usesdist / __init__.py" in page and "useswheel / __init__.py" in page and "passwd" not in page
    # Nothing outside the cache, the store and what the test made.
    assert sorted(os.listdir(tmp_path)) == ["cache", "index", "reqs.txt", "store"]
    # Pinned and already downloaded: no pip at all (the index may be gone).
    for name in os.listdir(index):
        (index / name).unlink()
    assert (
        extract(
            *callables("mylib.connect"), "-o", store, "--cache-dir", cache_dir, "--pypi", "useswheel==2.0"
        )
        == 0
    )
    assert "not fetched" not in capsys.readouterr().out


def test_release_of_a_file_and_sources_carry_it(tmp_path: Path, index: Path) -> None:
    release = release_of(str(index / "useswheel-2.0-py3-none-any.whl"), "useswheel")
    assert release is not None
    assert (release.name, release.version, release.filename) == (
        "useswheel",
        "2.0",
        "useswheel-2.0-py3-none-any.whl",
    )
    assert len(release.sha256) == 64 and release.url == "https://pypi.org/project/useswheel/2.0/"
    assert release_of(str(tmp_path / "notes.txt")) is None
    (tmp_path / "r.txt").write_text("a==1\n\n  # c\nb>=2 # x\n-e .\n")
    requirements, failures = read_requirements(str(tmp_path / "r.txt"))
    assert requirements == ["a==1", "b>=2"] and [failure.reason for failure in failures] == [
        "options are not supported: -e ."
    ]


FAKE_PIP = """
import os, sys
arguments = sys.argv[1:]
name, version = arguments[-1].split("==")
with open(os.path.join(arguments[arguments.index("--dest") + 1], f"{name}-{version}.tar.gz"), "wb"):
    pass
with open(os.path.join(os.path.dirname(__file__), "calls"), "a") as calls:
    calls.write(arguments[-1] + "\\n")
"""


def test_fetch_takes_what_the_download_cache_has_and_keeps_the_order(tmp_path: Path) -> None:
    pip = tmp_path / "pip.py"
    pip.write_text(FAKE_PIP)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "cached-1.0.tar.gz").write_bytes(b"")
    requirements = ["first==2.0", "cached==1.0", "not a requirement", "last==3.0"]
    fetched, failures = fetch(requirements, str(downloads), pip=[sys.executable, str(pip)])
    assert [item.release.name for item in fetched] == ["first", "cached", "last"]
    assert [failure.requirement for failure in failures] == ["not a requirement"]
    assert sorted((tmp_path / "calls").read_text().split()) == ["first==2.0", "last==3.0"]


def test_bad_scale_arguments_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ["-o", tmp_path / "s"]
    assert extract(*callables("a.b"), *out) == 2
    assert "give a SOURCE, --pypi REQ or --requirements FILE" in capsys.readouterr().err
    assert extract(*callables("a.b"), tmp_path, *out, "--jobs", "0") == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


# -- Dask ---------------------------------------------------------------------------------------


def test_dask_without_distributed_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    with pytest.raises(ExecutorError, match=r"pip install 'sphinx-codeexamples\[dask\]'"):
        make_executor(dask="tcp://127.0.0.1:8786")
    assert extract(*callables("a.b"), tmp_path, "-o", tmp_path / "s", "--dask", "tcp://127.0.0.1:8786") == 2
    assert "--dask needs the 'distributed' package" in capsys.readouterr().err


def test_dask_cluster_gives_the_same_store(tmp_path: Path, corpus: list[Path]) -> None:
    distributed = pytest.importorskip("distributed")
    names = [CallableName.parse(name) for name in CALLABLES]
    sources = [Source.open(str(path)) for path in corpus]
    from sphinx_codeexamples.extract.executor import DaskExecutor

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        executor = DaskExecutor(cluster)
        try:
            assert executor.workers == 2
            on_dask = scan(names, sources, executor=executor)
        finally:
            executor.close()
    local = scan(names, sources)
    write_store(on_dask, str(tmp_path / "dask"))
    write_store(local, str(tmp_path / "local"))
    on_dask.close()
    local.close()
    assert store_bytes(tmp_path / "dask") == store_bytes(tmp_path / "local")
    assert on_dask.counts == local.counts


def test_files_that_spell_a_name_only_inside_longer_words_are_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "uses.py").write_text("from mylib import Engine\n\nEngine()\n", encoding="utf-8")
    (tmp_path / "near.py").write_text("EngineRoom = Engines = mylib_Engine = 1\n", encoding="utf-8")
    found = scan([CallableName.parse("mylib.Engine")], [Source.open(str(tmp_path))])
    assert (found.counts.scanned, found.counts.parsed, found.counts.uses) == (2, 1, 2)
