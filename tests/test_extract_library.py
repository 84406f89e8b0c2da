"""Reading a library's public callables and their names statically (tests/packages/relib)."""

from __future__ import annotations

import io
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from sphinx_codeexamples.extract.library import Library, read_library
from sphinx_codeexamples.model import CallableName, Kind, Page, PageMeta
from sphinx_codeexamples.store import render_page
from sphinx_codeexamples.store.reader import parse_page

RELIB = Path(__file__).parent / "packages" / "relib" / "relib"


@pytest.fixture(scope="module")
def relib() -> Library:
    return read_library(str(RELIB))


def _names(library: Library, canonical: str) -> tuple[str, ...]:
    return library.callables[canonical].spellings


def test_a_class_reexported_at_two_levels_is_one_callable_named_by_its_shortest_path(relib: Library) -> None:
    assert _names(relib, "relib.sub.widgets.Widget") == (
        "relib.Widget",
        "relib.sub.Widget",
        "relib.sub.widgets.Widget",
    )
    for spelling in _names(relib, "relib.sub.widgets.Widget"):
        assert relib.find(spelling) is relib.callables["relib.sub.widgets.Widget"]


def test_a_chain_across_subpackages_is_followed(relib: Library) -> None:
    found = relib.callables["relib.sub.deep.deeper.deep_function"]
    assert found.kind is Kind.FUNCTION  # async def too
    assert found.spellings == (
        "relib.deep_function",
        "relib.sub.deep_function",
        "relib.sub.deep.deep_function",
        "relib.sub.deep.deeper.deep_function",
    )


def test_all_in_its_literal_forms(relib: Library) -> None:
    top = {found.name for found in relib.public() if found.name.count(".") == 1}
    # = (list), += , .extend, .append; Widget comes through a star import of sub, whose __all__
    # is widgets.__all__ + [...]
    assert top == {
        "relib.Engine",
        "relib.make_engine",
        "relib.ReError",
        "relib.connect",
        "relib.Widget",
        "relib.deep_function",
        "relib.Token",
    }


def test_a_name_left_out_of_all_is_not_public_there(relib: Library) -> None:
    assert not relib.callables["relib.core.not_listed"].public
    assert not relib.callables[
        "relib.sub.widgets.Gadget"
    ].public  # star-imported module's __all__ leaves it out
    assert relib.find("relib.Gadget") is None


def test_private_modules_define_but_only_public_reexports_make_names_public(relib: Library) -> None:
    assert _names(relib, "relib._impl.connect") == ("relib.connect", "relib._impl.connect")
    assert not relib.callables["relib._impl.hidden"].public
    assert not relib.callables["relib.core._private"].public
    assert "relib._impl.hidden" not in {found.canonical for found in relib.public()}
    assert relib.find("relib._impl.hidden") is relib.callables["relib._impl.hidden"]  # asked for by name


def test_explicit_reexports_and_assignments_in_plain_modules(relib: Library) -> None:
    # `from .core import helper as helper` re-exports; `from .core import Engine` does not;
    # `create = core.make_engine` defines a public name through `import relib.core as core`.
    assert _names(relib, "relib.core.helper") == (
        "relib.core.helper",
        "relib.api.helper",
    )  # defining module wins a tie
    assert "relib.api.Engine" not in _names(relib, "relib.core.Engine")
    assert relib.find("relib.api.Engine") is relib.callables["relib.core.Engine"]  # still resolves when asked
    assert "relib.api.create" in _names(relib, "relib.core.make_engine")


def test_star_import_cycles_end(relib: Library) -> None:
    assert _names(relib, "relib.loop_a.a_function") == ("relib.loop_a.a_function", "relib.loop_b.a_function")
    assert _names(relib, "relib.loop_b.b_function") == ("relib.loop_b.b_function", "relib.loop_a.b_function")
    assert relib.find("relib.loop_a.looping") is None  # a re-export of each other, defined nowhere


def test_kinds_come_from_the_source(relib: Library) -> None:
    kinds = {canonical: found.kind for canonical, found in relib.callables.items()}
    assert kinds["relib.core.Engine"] is Kind.CLASS
    assert kinds["relib.core.make_engine"] is Kind.FUNCTION
    assert kinds["relib.errors.ReError"] is Kind.EXCEPTION  # Exception
    assert kinds["relib.errors.NotFound"] is Kind.EXCEPTION  # through the library's ReError
    assert kinds["relib.errors.Timeout"] is Kind.EXCEPTION  # a builtin exception
    assert kinds["relib.errors.Remote"] is Kind.EXCEPTION  # a foreign base named like one
    assert kinds["relib.errors.Plain"] is Kind.CLASS


def _files() -> dict[str, bytes]:
    return {str(path.relative_to(RELIB.parent)): path.read_bytes() for path in sorted(RELIB.rglob("*.py"))}


def test_an_sdist_with_a_src_layout_and_tests(tmp_path: Path) -> None:
    archive_path = tmp_path / "relib-1.0.tar.gz"
    members = {f"relib-1.0/src/{path}": data for path, data in _files().items()}
    members["relib-1.0/tests/__init__.py"] = b""
    members["relib-1.0/tests/test_it.py"] = b"def test_it():\n    pass\n"
    members["relib-1.0/setup.py"] = b"def setup():\n    pass\n"
    with tarfile.open(archive_path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    library = read_library(str(archive_path))
    assert library.packages == ("relib",)
    assert library.find("relib.sub.widgets.Widget") is library.find("relib.Widget")


def test_a_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "relib-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in _files().items():
            archive.writestr(path, data)
        archive.writestr("relib-1.0.dist-info/METADATA", "Name: relib\nVersion: 1.0\n")
    library = read_library(str(wheel))
    assert {found.name for found in library.public()} == {
        found.name for found in read_library(str(RELIB)).public()
    }


def test_a_file_that_does_not_parse_is_left_out(tmp_path: Path) -> None:
    package = tmp_path / "broken"
    package.mkdir()
    (package / "__init__.py").write_text("from .good import ok\nfrom .bad import nope\n")
    (package / "good.py").write_text("def ok():\n    pass\n")
    (package / "bad.py").write_text("def nope(:\n")
    library = read_library(str(package))
    assert [found.name for found in library.public()] == ["broken.ok"]


def test_an_exception_page_reads_right_and_round_trips() -> None:
    page = Page(
        path="x.markdown",
        meta=PageMeta(title="relib ReError Example Code", meta="how to use the ReError exception from relib"),
        callable=CallableName("relib", "ReError"),
        kind=Kind.EXCEPTION,
        project="relib",
        generated_intro=True,
        aliases=("relib.errors.ReError",),
    )
    assert (
        page.intro_sentence() == "`ReError` is an exception within the `relib` module of the relib project."
    )
    again, _ = parse_page(render_page(page), "x.markdown")  # no slug nor examples: not the point here
    assert again is not None and again.kind is Kind.EXCEPTION and again.aliases == page.aliases


def test_a_single_module_file(tmp_path: Path) -> None:
    module = tmp_path / "solo.py"
    module.write_text("class Thing:\n    pass\n\n\ndef _hidden():\n    pass\n\n\nmake = Thing\n")
    library = read_library(str(module))
    assert [(found.name, found.kind, found.aliases) for found in library.public()] == [
        ("solo.Thing", Kind.CLASS, ("solo.make",))
    ]


def test_a_package_folder_that_its_git_checkout_does_not_track(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "tracked.py").write_text("x = 1\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "tracked.py"], check=True)
    package = tmp_path / "lib" / "untracked"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("def hello():\n    pass\n")
    assert [found.name for found in read_library(str(package)).public()] == ["untracked.hello"]
