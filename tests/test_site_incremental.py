"""Incremental builds: a second app on the same srcdir/outdir after a change to the store or a
directive updates the related lists, sidebars and indices of OTHER pages, and the result equals a
clean build's output."""

from __future__ import annotations

import os
import time
import zlib
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from test_site import (
    OBJECT_SESSION,
    MakeApp,
    build,
    copy_site,
    generated_name,
    page,
    related,
    soup,
    warnings,
)

JOINEDLOAD = """\
title: sqlalchemy.orm joinedload Example Code
category: page
slug: sqlalchemy-orm-joinedload-examples
sortorder: 500031075
toc: False
sidebartitle: sqlalchemy.orm joinedload
meta: Python example code for the joinedload callable from the sqlalchemy.orm module.


`joinedload` is a callable within the `sqlalchemy.orm` module of the SQLAlchemy project.

## Example 1 from demo-app
[demo-app](https://github.com/example/demo-app) loads eagerly.

[**demo-app / app / queries.py**](https://github.com/example/demo-app/blob/main/app/queries.py)

```python
~~query.options(joinedload(User.addresses))
```
"""


def touch_later(path: Path) -> None:
    """Make *path* look newer than anything the first build saw."""
    later = time.time() + 5
    os.utime(path, (later, later))


def add_joinedload(srcdir: Path) -> None:
    path = srcdir / "store" / "orm" / "sqlalchemy-orm-joinedload.markdown"
    path.write_text(JOINEDLOAD, encoding="utf-8")
    touch_later(path)


def remove_session_class(srcdir: Path) -> None:
    (srcdir / "store" / "orm" / "sqlalchemy-orm-session-class.markdown").unlink()


def outputs(app: SphinxTestApp) -> dict[str, bytes]:
    """Every page of the current project as written, plus the indices and objects.inv."""
    outdir = Path(app.outdir)
    names = [f"{docname}.html" for docname in sorted(app.env.found_docs)]
    names += ["genindex.html", "codeexamples-callables.html"]
    files = {name: (outdir / name).read_bytes() for name in names}
    header, _, body = (outdir / "objects.inv").read_bytes().partition(b"zlib.\n")
    files["objects.inv"] = header + zlib.decompress(body)
    return files


def assert_same_as_clean(make_app: MakeApp, incremental: SphinxTestApp, clean_src: Path) -> None:
    clean = build(make_app, clean_src)
    expected, actual = outputs(clean), outputs(incremental)
    assert sorted(expected) == sorted(actual)
    differing = [name for name in expected if expected[name] != actual[name]]
    if differing:
        import difflib

        first = differing[0]
        diff = difflib.unified_diff(
            expected[first].decode().splitlines(), actual[first].decode().splitlines(), lineterm="", n=1
        )
        raise AssertionError(f"{differing}:\n" + "\n".join(list(diff)[:40]))


@pytest.mark.parametrize("parallel", [0, 2])
def test_added_store_page_updates_other_pages(make_app: MakeApp, tmp_path: Path, parallel: int) -> None:
    src = copy_site(tmp_path / "incremental")
    first = build(make_app, src, parallel=parallel)
    assert "joinedload" not in [text for text, _ in related(page(first, OBJECT_SESSION))]

    add_joinedload(src)
    second = build(make_app, src, parallel=parallel)
    assert warnings(second) == []
    new_doc = generated_name(src, "sqlalchemy.orm.joinedload")
    assert new_doc in second.env.found_docs
    # object_session's page was not re-read (its source did not change) but re-written
    html = page(second, OBJECT_SESSION)
    assert [text for text, _ in related(html)] == ["joinedload", "relationship", "Session", "session"]
    sidebar = [li.get_text(strip=True) for li in html.select("div.codeexamples-sidebar li")]
    assert sidebar == ["joinedload", "object_session", "relationship", "Session", "session"]
    assert [text for text, _ in related(page(second, new_doc))] == [
        "object_session",
        "relationship",
        "Session",
        "session",
    ]
    index = page(second, "codeexamples-callables")
    assert "joinedload" in [a.get_text() for a in index.select("table.indextable a")]
    package = page(second, "examples/sqlalchemy/index").get_text()
    assert "sqlalchemy.orm joinedload" in package

    clean = copy_site(tmp_path / "clean")
    add_joinedload(clean)
    assert_same_as_clean(make_app, second, clean)


@pytest.mark.parametrize("parallel", [0, 2])
def test_removed_store_page_updates_other_pages(make_app: MakeApp, tmp_path: Path, parallel: int) -> None:
    src = copy_site(tmp_path / "incremental")
    build(make_app, src, parallel=parallel)
    removed_doc = generated_name(src, "sqlalchemy.orm.Session")

    remove_session_class(src)
    second = build(make_app, src, parallel=parallel)
    assert not (src / f"{removed_doc}.rst").exists()
    assert removed_doc not in second.env.found_docs
    # "session" no longer collides with "Session": still distinct, but its file keeps working
    assert [text for text, _ in related(page(second, OBJECT_SESSION))] == ["relationship", "session"]
    # the guide's role to Session now has nothing to link to: a warning, and text instead of a link
    found = warnings(second)
    assert len(found) == 1 and "[codeexamples.unknown-callable]" in found[0] and "guide.rst" in found[0]
    guide = page(second, "guide")
    assert "the Session class" not in [a.get_text(" ", strip=True) for a in guide.select("a.reference")]

    clean = copy_site(tmp_path / "clean")
    remove_session_class(clean)
    assert_same_as_clean(make_app, second, clean)


HAND_CONF = """\
extensions = ["sphinx_codeexamples"]
codeexamples_store = "store"
html_sidebars = {"**": ["codeexamples/related.html"]}
"""


def hand_written_site(root: Path, b_shows: str) -> Path:
    """Two hand-written pages (no generated pages): a shows object_session, b shows *b_shows*."""
    copy_site(root)
    (root / "conf.py").write_text(HAND_CONF, encoding="utf-8")
    (root / "guide.rst").unlink()
    (root / "broken.rst").unlink()
    (root / "index.rst").write_text("Hand\n====\n\n.. toctree::\n\n   a\n   b\n", encoding="utf-8")
    (root / "a.rst").write_text("A\n=\n\n.. callable-example:: sqlalchemy.orm.object_session\n")
    (root / "b.rst").write_text(f"B\n=\n\n.. callable-example:: {b_shows}\n")
    return root


@pytest.mark.parametrize("parallel", [0, 2])
def test_changed_directive_updates_other_pages(make_app: MakeApp, tmp_path: Path, parallel: int) -> None:
    src = hand_written_site(tmp_path / "incremental", "sqlalchemy.orm.Session")
    first = build(make_app, src, parallel=parallel)
    assert warnings(first) == []
    assert related(page(first, "a")) == [("Session", "b.html#codeexamples-sqlalchemy-orm-session")]

    (src / "b.rst").write_text("B\n=\n\n.. callable-example:: sqlalchemy.orm.relationship\n")
    touch_later(src / "b.rst")
    second = build(make_app, src, parallel=parallel)
    assert warnings(second) == []
    a_html = page(second, "a")
    assert related(a_html) == [("relationship", "b.html#codeexamples-sqlalchemy-orm-relationship")]
    assert [a.get_text() for a in a_html.select("div.codeexamples-sidebar a")] == ["relationship"]
    assert_same_as_clean(
        make_app, second, hand_written_site(tmp_path / "clean", "sqlalchemy.orm.relationship")
    )


def test_unchanged_rebuild_rewrites_nothing_generated(make_app: MakeApp, tmp_path: Path) -> None:
    src = copy_site(tmp_path / "incremental")
    build(make_app, src)
    generated = sorted((src / "examples").rglob("*.rst"))
    stamps = [path.stat().st_mtime_ns for path in generated]
    second = build(make_app, src)
    assert [path.stat().st_mtime_ns for path in generated] == stamps
    assert "0 added, 0 changed, 0 removed" in second.status.getvalue()
    html = soup(Path(second.outdir) / f"{OBJECT_SESSION}.html")
    assert [text for text, _ in related(html)] == ["relationship", "Session", "session"]
