"""Generated pages: safe distinct file names, the site plan, write-only-what-changed, the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from test_site import MakeApp, build, copy_site, warnings

from sphinx_codeexamples.ext.generate import (
    MANIFEST,
    assign_stems,
    generate_root,
    plan_site,
    rst_escape,
    safe_stem,
    sync_files,
)


@pytest.mark.parametrize(
    "text",
    ["../../etc/passwd", "a/b\\c", "..", ".hidden", "a..b", "con.x", "x.rst", "m.md", "", "名前.関数"],
)
def test_safe_stem_has_no_separators_or_dot_dot(text: str) -> None:
    stem = safe_stem(text)
    assert stem and "/" not in stem and "\\" not in stem and ".." not in stem
    assert not stem.startswith(".")
    assert stem.rpartition(".")[2] not in ("rst", "md")
    assert stem.split(".")[0].casefold() != "con"


def test_stems_are_distinct_when_case_folds() -> None:
    names = [
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session",
        "sqlalchemy.orm.object_session",
        "a.b-c",
        "a.b_c",
    ]
    stems = assign_stems(names)
    assert len({stem.casefold() for stem in stems.values()}) == len(names)
    assert stems["sqlalchemy.orm.object_session"] == "sqlalchemy.orm.object_session"
    assert stems["sqlalchemy.orm.Session"].startswith("sqlalchemy.orm.Session-")
    # independent of the order the names come in
    assert assign_stems(reversed(names)) == stems


def test_rst_escape_keeps_trailing_underscore_literal() -> None:
    assert rst_escape("sqlalchemy.orm object_") == r"sqlalchemy.orm object\_"
    assert rst_escape("a *b* `c` |d|") == r"a \*b\* \`c\` \|d\|"


def test_plan_site_layout() -> None:
    sessions = assign_stems(["sqlalchemy.orm.Session", "sqlalchemy.orm.session"])
    files = plan_site([*sessions, "sqlalchemy.create_engine", "json.dumps"])
    assert sorted(files) == sorted(
        [
            "index.rst",
            "json/index.rst",
            "json/json.dumps.rst",
            "sqlalchemy/index.rst",
            "sqlalchemy/sqlalchemy.create_engine.rst",
            *(f"sqlalchemy/{stem}.rst" for stem in sessions.values()),
        ]
    )
    page = files["json/json.dumps.rst"]
    assert "json dumps\n==========\n" in page and ".. callable-example:: json.dumps\n" in page
    assert "   json/index\n   sqlalchemy/index\n" in files["index.rst"]
    package = files["sqlalchemy/index.rst"]
    assert package.index("sqlalchemy\n----------") < package.index("sqlalchemy.orm\n--------------")


def test_sync_writes_only_changes_and_removes_vanished(tmp_path: Path) -> None:
    root = tmp_path / "examples"
    first = sync_files(root, {"index.rst": "a\n", "pkg/x.rst": "x\n", "pkg/y.rst": "y\n"})
    assert first.written == ["index.rst", "pkg/x.rst", "pkg/y.rst"] and first.problems == []
    stamp = (root / "pkg" / "x.rst").stat().st_mtime_ns
    second = sync_files(root, {"index.rst": "b\n", "pkg/x.rst": "x\n"})
    assert second.written == ["index.rst"] and second.removed == ["pkg/y.rst"]
    assert (root / "pkg" / "x.rst").stat().st_mtime_ns == stamp
    assert not (root / "pkg" / "y.rst").exists()
    assert json.loads((root / MANIFEST).read_text())["files"] == ["index.rst", "pkg/x.rst"]
    third = sync_files(root, {"index.rst": "b\n"})
    assert third.removed == ["pkg/x.rst"] and not (root / "pkg").exists()


def test_sync_leaves_files_it_did_not_write(tmp_path: Path) -> None:
    root = tmp_path / "examples"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mine.rst").write_text("hand-written\n")
    (root / "notes.rst").write_text("notes\n")
    report = sync_files(root, {"pkg/mine.rst": "generated\n", "index.rst": "i\n"})
    assert (root / "pkg" / "mine.rst").read_text() == "hand-written\n"
    assert [message for _, message in report.problems] == ["a file the extension did not write is in the way"]
    sync_files(root, {})
    assert (root / "notes.rst").exists() and (root / "pkg" / "mine.rst").exists()


def test_sync_ignores_unsafe_manifest_entries(tmp_path: Path) -> None:
    root = tmp_path / "examples"
    root.mkdir()
    victim = tmp_path / "victim.rst"
    victim.write_text("keep\n")
    (root / MANIFEST).write_text(json.dumps({"files": ["../victim.rst", "/etc/hostname"]}))
    sync_files(root, {})
    assert victim.exists()


@pytest.mark.parametrize("folder", ["..", "../outside", "/absolute", ".", "a/../.."])
def test_generate_root_must_be_inside_srcdir(tmp_path: Path, folder: str) -> None:
    assert generate_root(tmp_path, folder) is None


def test_generate_dir_option(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_site(tmp_path / "site")
    (src / "index.rst").write_text("Site\n====\n\n.. toctree::\n\n   guide\n   api/gen/index\n")
    app = build(make_app, src, confoverrides={"codeexamples_generate_dir": "api/gen"})
    assert warnings(app) == []
    assert not (src / "examples").exists()
    assert "api/gen/sqlalchemy/sqlalchemy.orm.object_session" in app.env.found_docs


def test_unsafe_generate_dir_warns(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_site(tmp_path / "site")
    app = build(make_app, src, confoverrides={"codeexamples_generate_dir": "../outside"})
    assert not (tmp_path / "outside").exists()
    assert any("[codeexamples.generate]" in line for line in warnings(app))


def test_a_hand_written_file_in_the_way_is_kept_and_located(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_site(tmp_path / "site")
    mine = src / "examples" / "sqlalchemy" / "sqlalchemy.orm.object_session.rst"
    mine.parent.mkdir(parents=True)
    mine.write_text("Mine\n====\n")
    app = build(make_app, src)
    (in_the_way,) = [line for line in warnings(app) if "[codeexamples.generate]" in line]
    assert in_the_way.startswith(f"{mine}:: WARNING: a file the extension did not write is in the way")
    assert mine.read_text() == "Mine\n====\n"


def test_pages_left_by_an_earlier_build_are_reported_not_deleted(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_site(tmp_path / "site")
    build(make_app, src)
    page = src / "examples" / "sqlalchemy" / "sqlalchemy.orm.object_session.rst"
    assert page.is_file()
    app = build(make_app, src, confoverrides={"codeexamples_generate_pages": False})
    manifest = src / "examples" / MANIFEST
    (left_over,) = [line for line in warnings(app) if "[codeexamples.generate]" in line]
    assert left_over.startswith(f"{manifest}:: WARNING: ") and "generated by an earlier build" in left_over
    assert page.is_file()  # maybe adopted by hand: never deleted while generation is off
    manifest.unlink()  # adopted: no more warning
    app = build(make_app, src, confoverrides={"codeexamples_generate_pages": False})
    assert not any("[codeexamples.generate]" in line for line in warnings(app))
    assert page.is_file()


@pytest.mark.parametrize("light", [True, False])
def test_light_navigation_on_generated_pages(make_app: MakeApp, tmp_path: Path, light: bool) -> None:
    sidebars = {"**": ["globaltoc.html", "searchbox.html"]}
    overrides = {"html_sidebars": sidebars, "codeexamples_light_navigation": light}
    app = build(make_app, copy_site(tmp_path / "site"), confoverrides=overrides)
    out = Path(app.outdir)

    def sidebar(path: Path) -> Tag:
        found = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("div.sphinxsidebar")
        assert found is not None, path
        return found

    generated = sidebar(next((out / "examples").rglob("sqlalchemy.sql.select.html")))
    assert (generated.select_one(".codeexamples-sidebar") is not None) is light
    assert (generated.select_one(".toctree-l1") is None) is light
    assert generated.select_one("#searchbox") is not None
    hand_written = sidebar(out / "index.html")
    assert hand_written.select_one(".toctree-l1") is not None
