"""``extract --library``: a library's callables, found through any of their names, one page each."""

from __future__ import annotations

import io
import tarfile
import textwrap
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.model import Kind, Page
from sphinx_codeexamples.store import read_page_file

RELIB = Path(__file__).parent / "packages" / "relib" / "relib"

CONSUMER = {
    "PKG-INFO": """\
        Metadata-Version: 2.1
        Name: consumer
        Version: 1.0
        """,
    "consumer/app.py": """\
        import relib
        from relib.sub.widgets import Widget
        from relib.errors import ReError as Oops
        from relib import make_engine


        def build():
            return Widget(), relib.sub.Widget(), relib.Widget()


        def start():
            try:
                make_engine()
            except Oops:
                pass
        """,
    "consumer/deep.py": """\
        from relib.sub.deep import deep_function

        deep_function()
        """,
}


def make_sdist(path: Path, top: str, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in sorted(files.items()):
            data = textwrap.dedent(text).encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def read(path: Path) -> Page:
    page, problems = read_page_file(str(path))
    assert problems == [] and page is not None
    return page


def marked_lines(page: Page, label_end: str) -> set[int]:
    [example] = [example for example in page.examples if example.source_label.endswith(label_end)]
    return {hunk.start + index for hunk in example.hunks for index in hunk.marked if hunk.start}


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    return make_sdist(tmp_path / "consumer-1.0.tar.gz", "consumer-1.0", CONSUMER)


def extract(store: Path, *arguments: str) -> int:
    return main(["extract", "--library", str(RELIB), *arguments, "-o", str(store)])


def test_all_public_callables_one_page_each_whatever_the_spelling(
    tmp_path: Path, consumer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert extract(store, str(consumer)) == 0
    out = capsys.readouterr().out
    assert "4 pages written" in out
    assert "relib.Engine" in out.splitlines()[1]  # no uses: listed, no page
    assert sorted(path.name for path in store.iterdir()) == [
        "relib-deep-function-examples.markdown",
        "relib-make-engine-examples.markdown",
        "relib-reerror-examples.markdown",
        "relib-widget-examples.markdown",
    ]
    widget = read(store / "relib-widget-examples.markdown")
    assert widget.dotted == "relib.Widget"
    assert widget.aliases == ("relib.sub.Widget", "relib.sub.widgets.Widget")
    assert widget.kind is Kind.CLASS
    assert len(widget.examples) == 1  # three spellings in one file: one example
    assert marked_lines(widget, "app.py") == {2, 8}
    error = read(store / "relib-reerror-examples.markdown")
    assert error.kind is Kind.EXCEPTION and error.aliases == ("relib.errors.ReError",)
    assert "`ReError` is an exception within the `relib` module" in error.intro_sentence()
    assert "the ReError exception from" in error.meta.meta
    assert marked_lines(error, "app.py") == {3, 14}
    deep = read(store / "relib-deep-function-examples.markdown")
    assert deep.aliases == (
        "relib.sub.deep_function",
        "relib.sub.deep.deep_function",
        "relib.sub.deep.deeper.deep_function",
    )
    assert main(["check", "--strict", str(store)]) == 0


def test_callable_in_any_spelling(tmp_path: Path, consumer: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    arguments = [
        "--callable",
        "relib.sub.widgets.Widget",
        "--callable",
        "relib.sub.Widget",
        "--callable",
        "json.dumps",
    ]
    assert extract(store, *arguments, str(consumer)) == 0
    captured = capsys.readouterr()
    assert "warning: json.dumps is not a callable of relib; looked for as spelled" in captured.err
    assert [path.name for path in store.iterdir()] == ["relib-widget-examples.markdown"]
    assert "no uses found of: json.dumps" in captured.out


def test_a_rerun_with_the_library_refreshes_generated_wording_and_keeps_hand_written_text(
    tmp_path: Path, consumer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    plain = ["extract", "--callable", "relib.errors.ReError", "--callable", "relib.make_engine"]
    assert main([*plain, str(consumer), "-o", str(store)]) == 0
    error_path = store / "relib-errors-reerror-examples.markdown"
    engine_path = store / "relib-make-engine-examples.markdown"
    assert read(error_path).kind is Kind.CALLABLE  # the consumer alone cannot tell
    text = engine_path.read_text()
    engine_meta = "meta: Written by a person about make_engine."
    engine_path.write_text(
        "\n".join(engine_meta if line.startswith("meta:") else line for line in text.split("\n"))
    )

    assert extract(store, str(consumer)) == 0
    capsys.readouterr()
    assert sorted(path.name for path in store.glob("relib-*")) == [
        "relib-deep-function-examples.markdown",
        "relib-errors-reerror-examples.markdown",  # the page of another spelling is the callable's page
        "relib-make-engine-examples.markdown",
        "relib-widget-examples.markdown",
    ]
    error = read(error_path)
    assert error.dotted == "relib.errors.ReError"  # its name stays; the other names become aliases
    assert error.aliases == ("relib.ReError",)
    assert error.kind is Kind.EXCEPTION and "the ReError exception from" in error.meta.meta
    assert "is an exception" in error_path.read_text()
    engine = read(engine_path)
    assert engine.kind is Kind.FUNCTION and engine.meta.meta == engine_meta.removeprefix("meta: ")
    assert main(["check", "--strict", str(store)]) == 0
    assert extract(store, str(consumer)) == 0  # a third run changes nothing
    assert "0 pages written, 4 unchanged" in capsys.readouterr().out


def test_a_library_that_is_not_one_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["extract", "--library", str(empty), str(empty), "-o", str(tmp_path / "s")]) == 2
    assert "no Python package found" in capsys.readouterr().err
    assert main(["extract", "--library", str(tmp_path / "nope"), str(empty), "-o", str(tmp_path / "s")]) == 2
    assert main(["extract", str(empty), "-o", str(tmp_path / "s")]) == 2
    assert "--library PATH" in capsys.readouterr().err


def test_check_counts_aliases_and_reports_a_taken_one(
    tmp_path: Path, consumer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert extract(store, str(consumer)) == 0
    capsys.readouterr()
    assert main(["check", "--strict", str(store)]) == 0
    # Widget 2, ReError 1, make_engine 2 (relib.core.make_engine, relib.api.create), deep_function 3
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "4 pages, 4 callables, 8 aliases, 4 examples: 0 errors, 0 warnings"
    )
    engine = store / "relib-make-engine-examples.markdown"
    engine.write_text(engine.read_text().replace("aliases: ", "aliases: relib.sub.Widget, "))
    assert main(["check", "--strict", str(store)]) == 1
    lines = capsys.readouterr().out.splitlines()
    widget = store / "relib-widget-examples.markdown"
    assert lines[0] == (  # the first page in store order keeps the name
        f"{widget}:1: warning: alias relib.sub.Widget of relib.Widget is already taken by {engine}; "
        "ignored here [duplicate]"
    )
    assert lines[-1] == "4 pages, 4 callables, 8 aliases, 4 examples: 0 errors, 1 warning"
