"""``sphinx-codeexamples extract`` end to end: pages written, read back, checked, re-run."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.model import Kind, Page
from sphinx_codeexamples.store import read_page_file

LIBRARY = {
    "pyproject.toml": """\
        [project]
        name = "mylib"
        version = "2.0"
        description = "A library to be used."
        license = "MIT"
        [project.urls]
        Repository = "https://github.com/owner/mylib"
        """,
    "mylib/__init__.py": """\
        from .core import Engine, connect
        """,
    "mylib/core.py": """\
        class Engine:
            pass


        def connect(url):
            return Engine()
        """,
    "mylib/helpers.py": """\
        from . import core
        from .core import connect


        def default():
            return connect("default")


        def other():
            return core.connect("other")
        """,
}

CONSUMER = {
    "PKG-INFO": """\
        Metadata-Version: 2.1
        Name: consumer
        Version: 0.5
        Summary: Uses mylib.
        Project-URL: Source, https://github.com/someone/consumer
        """,
    "consumer/app.py": """\
        import mylib
        from mylib import connect as open_connection


        def start(url):
            engine = open_connection(url)
            return engine


        def shadowed(open_connection):
            return open_connection("x")


        class Service(mylib.Engine):
            def connect(self):
                return self.connect()

            def run(self):
                return mylib.connect(
                    "y"
                )
        """,
    "consumer/broken.py": """\
        def oops(:
            mylib.connect()
        """,
    "consumer/lookalike.py": """\
        def not_parsed_as_it_never_names_mylib(:
            connect()
        """,
    "consumer/unrelated.py": """\
        def not_parsed_as_it_never_names_a_callable(:
            pass
        """,
    "consumer/star.py": """\
        from mylib import *

        connect("z")
        """,
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def make_sdist(path: Path, top: str, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in sorted(files.items()):
            data = textwrap.dedent(text).encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def marked_lines(page: Page, label_end: str) -> set[int]:
    """Original line numbers marked in the example whose source label ends with *label_end*."""
    [example] = [example for example in page.examples if example.source_label.endswith(label_end)]
    return {hunk.start + index for hunk in example.hunks for index in hunk.marked if hunk.start}


def read(path: Path) -> Page:
    page, problems = read_page_file(str(path))
    assert problems == []
    assert page is not None
    return page


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    library = write_tree(tmp_path / "mylib-src", LIBRARY)
    consumer = make_sdist(tmp_path / "consumer-0.5.tar.gz", "consumer-0.5", CONSUMER)
    return library, consumer


def run_extract(*arguments: str) -> int:
    return main(["extract", *arguments])


def test_extract_writes_checkable_pages_with_exact_marks(
    tmp_path: Path, sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    library, consumer = sources
    store = tmp_path / "store"
    code = run_extract(
        "--callable",
        "mylib.connect",
        "--callable",
        "mylib.Engine",
        str(library),
        str(consumer),
        "-o",
        str(store),
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "consumer/broken.py:1: skipped: does not parse" in captured.err
    assert "lookalike" not in captured.err  # outside mylib, it never spells mylib: not parsed
    assert "\r" not in captured.err  # no progress bar when stderr is not a terminal
    assert captured.out.splitlines()[0] == (
        f"8 files scanned, 1 skipped, 5 uses found in 2 files; 2 pages written, 0 unchanged, in {store}"
    )
    assert sorted(path.name for path in store.iterdir()) == [
        "mylib-connect-examples.markdown",
        "mylib-engine-examples.markdown",
    ]

    connect = read(store / "mylib-connect-examples.markdown")
    assert connect.dotted == "mylib.connect"
    assert connect.kind is Kind.FUNCTION  # found through the re-export in mylib/__init__.py
    assert connect.project == "mylib"
    assert connect.generated_intro
    assert connect.meta.title == "mylib connect Example Code"
    assert connect.meta.slug == "mylib-connect-examples"
    assert connect.meta.sidebartitle == "mylib connect"
    assert [(example.number, example.project, example.source_label) for example in connect.examples] == [
        (1, "consumer", "consumer / consumer / app.py"),
        (2, "consumer", "consumer / consumer / star.py"),
    ]
    assert marked_lines(connect, "app.py") == {2, 6, 19}
    assert marked_lines(connect, "star.py") == {3}
    app = connect.examples[0]
    digest = hashlib.blake2b(consumer.read_bytes(), digest_size=32).hexdigest()
    assert app.source_url == (
        f"https://inspector.pypi.io/project/consumer/0.5/packages/{digest[:2]}/{digest[2:4]}/{digest[4:]}"
        "/consumer-0.5.tar.gz/consumer-0.5/consumer/app.py#line.2"
    )
    assert app.links.repository == "https://github.com/someone/consumer"
    assert app.links.pypi == "https://pypi.org/project/consumer/"
    assert "is described by its authors as: Uses mylib." in app.blurb

    engine = read(store / "mylib-engine-examples.markdown")
    assert engine.kind is Kind.CLASS
    assert marked_lines(engine, "app.py") == {14}

    assert main(["check", "--strict", str(store)]) == 0
    assert capsys.readouterr().out.strip().endswith("2 pages, 2 callables, 3 examples: 0 errors, 0 warnings")


def test_relative_imports_count_when_scanning_the_defining_package(
    tmp_path: Path, sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    library, _ = sources
    store = tmp_path / "store"
    assert run_extract("--callable", "mylib.core.connect", str(library), "-o", str(store)) == 0
    page = read(store / "mylib-core-connect-examples.markdown")
    assert [example.source_label for example in page.examples] == [
        "mylib / mylib / __init__.py",
        "mylib / mylib / helpers.py",
    ]
    assert marked_lines(page, "__init__.py") == {1}
    assert marked_lines(page, "helpers.py") == {2, 6, 10}
    assert page.kind is Kind.FUNCTION


def test_rerun_is_byte_identical_and_writes_nothing(
    tmp_path: Path, sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    library, consumer = sources
    store = tmp_path / "store"
    arguments = ["--callable", "mylib.connect", str(consumer), str(library), "-o", str(store)]
    assert run_extract(*arguments) == 0
    first = {path.name: path.read_bytes() for path in store.iterdir()}
    capsys.readouterr()
    assert run_extract(*arguments) == 0
    assert "0 pages written, 1 unchanged" in capsys.readouterr().out
    assert {path.name: path.read_bytes() for path in store.iterdir()} == first
    # The same input into a fresh store gives the same bytes too.
    other = tmp_path / "other"
    assert run_extract(*arguments[:-1], str(other)) == 0
    assert {path.name: path.read_bytes() for path in other.iterdir()} == first


def test_rerun_keeps_hand_edits_and_other_projects(
    tmp_path: Path, sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, consumer = sources
    store = tmp_path / "store"
    assert run_extract("--callable", "mylib.connect", str(consumer), "-o", str(store)) == 0
    path = store / "mylib-connect-examples.markdown"
    text = path.read_text()
    old_blurb = read(path).examples[0].blurb
    text = text.replace(
        old_blurb, "A hand-written blurb about [consumer](https://github.com/someone/consumer)."
    )
    sentence = "`connect` is a callable within the `mylib` module of the mylib project."
    assert sentence in text
    text = text.replace(sentence, sentence + "\n\nHand-written intro prose.")
    text = text.replace("## Example 2 from consumer", "## Example 3 from consumer")
    text = text.replace(
        "## Example 1 from consumer",
        "## Example 1 from elsewhere\nKept as is.\n\n[**elsewhere / x.py**](https://github.com/e/e/blob/v1/x.py)\n\n"
        "```python\n~~connect()\n```\n\n\n## Example 2 from consumer",
    )
    path.write_text(text)
    edited = read(path)
    assert edited.intro.startswith("Hand-written intro prose.")

    # The consumer changes: app.py loses its uses, a new file gains one.
    changed = dict(CONSUMER)
    changed["consumer/app.py"] = "x = 1\n"
    changed["consumer/new.py"] = "import mylib\n\nmylib.connect('n')\n"
    consumer_v2 = make_sdist(tmp_path / "consumer-0.6.tar.gz", "consumer-0.6", changed)
    capsys.readouterr()
    assert run_extract("--callable", "mylib.connect", str(consumer_v2), "-o", str(store)) == 0
    page = read(path)
    assert page.intro == edited.intro
    assert page.meta == edited.meta
    assert [(example.number, example.project, example.source_label) for example in page.examples] == [
        (1, "elsewhere", "elsewhere / x.py"),
        (2, "consumer", "consumer / consumer / new.py"),
        (3, "consumer", "consumer / consumer / star.py"),
    ]
    assert page.examples[0] == edited.examples[0].__class__(**{**edited.examples[0].__dict__, "line": 0})
    assert all(example.blurb.startswith("A hand-written blurb") for example in page.examples[1:])
    assert marked_lines(page, "new.py") == {3}
    assert main(["check", "--strict", str(store)]) == 0


def test_git_checkout_links_are_pinned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repository = write_tree(tmp_path / "repo", {"app.py": "from mylib import connect\nconnect()\n"})

    def git(*arguments: str) -> str:
        command = ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@e", *arguments]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    git("remote", "add", "origin", "git@github.com:owner/repo.git")
    commit = git("rev-parse", "HEAD")
    store = tmp_path / "store"
    assert run_extract("--callable", "mylib.connect", str(repository), "-o", str(store)) == 0
    [example] = read(store / "mylib-connect-examples.markdown").examples
    assert example.source_url == f"https://github.com/owner/repo/blob/{commit}/app.py#L1"
    assert run_extract("--callable", "mylib.connect", str(repository), "-o", str(store), "--ref", "v1.0") == 0
    [example] = read(store / "mylib-connect-examples.markdown").examples
    assert example.source_url == "https://github.com/owner/repo/blob/v1.0/app.py#L1"


def test_wheel_with_ref_links_to_the_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = tmp_path / "consumer-0.5-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("consumer/app.py", "from mylib import connect\n")
        archive.writestr("consumer-0.5.dist-info/METADATA", textwrap.dedent(CONSUMER["PKG-INFO"]))
    store = tmp_path / "store"
    assert run_extract("--callable", "mylib.connect", str(wheel), "-o", str(store), "--ref", "v0.5") == 0
    [example] = read(store / "mylib-connect-examples.markdown").examples
    assert example.source_url == "https://github.com/someone/consumer/blob/v0.5/consumer/app.py#L1"


def test_max_examples_takes_projects_in_turn(
    tmp_path: Path, sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, consumer = sources
    other = write_tree(
        tmp_path / "other",
        {
            "setup.cfg": "[metadata]\nname = other\n",
            "other/a.py": "import mylib\n\nmylib.connect('a')\n",
            "other/b.py": "import mylib\n\nmylib.connect('b')\n",
        },
    )
    store = tmp_path / "store"
    arguments = ["--callable", "mylib.connect", str(consumer), str(other), "-o", str(store)]
    assert run_extract(*arguments) == 0
    assert len(read(store / "mylib-connect-examples.markdown").examples) == 4
    assert run_extract(*arguments, "--max-examples", "2") == 0
    page = read(store / "mylib-connect-examples.markdown")
    # One from each project, not consumer's first two files.
    assert [example.source_label.rpartition(" / ")[2] for example in page.examples] == ["app.py", "a.py"]


def test_callable_without_uses_writes_no_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "src", {"a.py": "import os\n"})
    store = tmp_path / "store"
    assert run_extract("--callable", "mylib.connect", str(source), "-o", str(store)) == 0
    out = capsys.readouterr().out
    assert "0 pages written" in out
    assert "no uses found of: mylib.connect" in out
    assert list(store.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give at least one --callable"),
        (["--callable", "connect"], "is not a dotted name"),
        (["--callable", "mylib.2connect"], "is not a dotted name"),
        (["--callable", "mylib.class"], "is not a dotted name"),
        (["--callable", "mylib.connect", "--context", "-1"], "--context must be 0 or more"),
        (["--callable", "mylib.connect", "--max-examples", "0"], "--max-examples must be 1 or more"),
        (["--callable", "mylib.connect", "--ref-template", "v{tag}"], "only {name} and {version}"),
        (["--callable", "mylib.connect", "--ref", "elsewhere=v1"], "is not one of the sources given"),
        (["--callable", "mylib.connect", "--ref", "v1", "."], "would pin all 2 sources to one ref"),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_extract(*arguments, str(tmp_path), "-o", str(tmp_path / "store")) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "store").exists()


def test_missing_source_and_bad_output_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_extract("--callable", "a.b", str(tmp_path / "missing"), "-o", str(tmp_path / "s")) == 2
    assert "missing: no such file or directory" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert run_extract("--callable", "a.b", str(tmp_path), "-o", str(tmp_path / "file")) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert run_extract("--callable", "a.b", str(tmp_path), "-o", str(tmp_path / "file" / "s")) == 2
    assert "file/s: cannot make the output directory: Not a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        run_extract("--callable", "a.b", str(tmp_path))
    assert raised.value.code == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_lines_elsewhere_nothing_when_quiet(
    tmp_path: Path,
    sources: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    library, consumer = sources
    arguments = ["--callable", "mylib.connect", str(library), str(consumer), "-o", str(tmp_path / "store")]
    terminal = _Terminal()
    with monkeypatch.context() as patch:  # undo this patch alone (the cache folder stays in tmp)
        patch.setattr("sys.stderr", terminal)
        assert run_extract(*arguments) == 0
    shown = terminal.getvalue()
    assert "0/2" in shown and "source/s" in shown  # tqdm's bar: count, rate (the ETA once known)
    assert shown.partition("warning:")[0].endswith("\r")  # and cleared before the warnings
    capsys.readouterr()
    assert run_extract(*arguments) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert lines == [
        f"[1/2] {library}: 3 files scanned, 0 uses found",
        f"[2/2] {consumer}: 8 files scanned, 4 uses found",
    ]
    assert run_extract(*arguments, "--quiet") == 0
    assert capsys.readouterr().err == ""
