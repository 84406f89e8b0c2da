"""Linked names in example code, in real builds: every HTML builder, intersphinx, -j, rebuilds."""

from __future__ import annotations

import os
import posixpath
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-links"
PYTHON_DOCS = "https://docs.python.org/3/"

#: (name, domain:role, uri) of the intersphinx inventory the tests write.
INVENTORY = [
    ("json", "py:module", "library/json.html#module-json"),
    ("json.loads", "py:function", "library/json.html#json.loads"),
    ("json.dumps", "py:function", "library/json.html#json.dumps"),
]


def inventory_bytes() -> bytes:
    """An ``objects.inv`` (version 2) for a few names of Python's docs."""
    header = "# Sphinx inventory version 2\n# Project: Python\n# Version: 3\n"
    header += "# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in INVENTORY)
    return header.encode() + zlib.compress(body.encode())


@pytest.fixture
def links_root(tmp_path: Path) -> Path:
    srcdir = tmp_path / "links"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "python.inv").write_bytes(inventory_bytes())
    return srcdir


Build = Callable[..., SphinxTestApp]


@pytest.fixture
def build(make_app: Callable[..., SphinxTestApp], links_root: Path) -> Build:
    def run(buildername: str = "html", parallel: int = 0, **overrides: Any) -> SphinxTestApp:
        app = make_app(buildername, srcdir=links_root, confoverrides=overrides, parallel=parallel)
        app.build()
        return app

    return run


def test_inventory_fixture_loads() -> None:
    """The inventory the tests write is one Sphinx reads (guards the fixture itself)."""
    from sphinx.util.inventory import InventoryFile

    data = inventory_bytes()
    if hasattr(InventoryFile, "loads"):  # Sphinx 8.2+
        inventory: Any = InventoryFile.loads(data, uri=PYTHON_DOCS)
    else:  # Sphinx 8.1
        import io

        inventory = InventoryFile.load(io.BytesIO(data), PYTHON_DOCS, posixpath.join)
    found = inventory.data if hasattr(inventory, "data") else inventory
    assert "json.loads" in found["py:function"]


def html_files(outdir: Path) -> dict[str, BeautifulSoup]:
    pages = {}
    for path in sorted(outdir.rglob("*")):
        if path.suffix in (".html", ".xhtml") and "_static" not in path.parts:
            pages[path.relative_to(outdir).as_posix()] = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    return pages


def name_links(page: BeautifulSoup) -> list[Tag]:
    return [a for a in page.select("a.codeexamples-name") if isinstance(a, Tag)]


def check_targets(outdir: Path) -> list[tuple[str, str, str, str]]:
    """Every name link of the build as (page, text, title, href); each local one hits an id."""
    pages = html_files(outdir)
    ids = {name: {str(tag["id"]) for tag in page.select("[id]")} for name, page in pages.items()}
    found = []
    for name, page in pages.items():
        for link in name_links(page):
            href = str(link["href"])
            found.append((name, link.get_text(), str(link["title"]), href))
            if href.startswith(PYTHON_DOCS):
                assert href in {PYTHON_DOCS + uri for _, _, uri in INVENTORY}, href
                continue
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, href
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
                if parts.path
                else name
            )
            if target not in pages and posixpath.join(target, "index.html") in pages:
                target = posixpath.join(target, "index.html")  # dirhtml: "../api/"
            assert target in pages, (name, href)
            assert parts.fragment in ids[target], (name, href)
    return found


EXPECTED = {
    ("json", "json"),
    ("loads", "json.loads"),
    ("connect", "tinylib.connect"),
    ("Session", "tinylib.session.Session"),
    ("execute", "tinylib.session.Session.execute"),
    ("slugify", "tinylib.helpers.slugify"),
    ("tinylib", "tinylib"),
    ("tinylib", "tinylib"),
    ("session", "tinylib.session"),
    ("tl", "tinylib"),
}


def usage_links(found: list[tuple[str, str, str, str]], page: str) -> set[tuple[str, str]]:
    return {(text, title) for name, text, title, _ in found if name == page}


@pytest.mark.parametrize("parallel", [0, 2])
def test_html_links_point_at_existing_anchors(build: Build, parallel: int) -> None:
    app = build("html", parallel=parallel)
    found = check_targets(Path(app.outdir))
    assert usage_links(found, "guide/usage.html") == EXPECTED
    hrefs = {title: href for name, _, title, href in found if name == "guide/usage.html"}
    assert hrefs["tinylib.connect"] == "../api.html#tinylib.connect"
    assert hrefs["json.loads"] == PYTHON_DOCS + "library/json.html#json.loads"
    # Documented only by its example page (on another page of the build).
    assert hrefs["tinylib.helpers.slugify"].startswith("other.html#codeexamples-tinylib-helpers-slugify")
    # On the callable's own example page, its name does not link to the page itself.
    assert usage_links(found, "guide/other.html") == {("tinylib", "tinylib")}
    warnings = app.warning.getvalue()
    assert "codeexamples" not in warnings
    assert "undocumented" not in warnings


def test_shadowed_and_unresolved_names_stay_text(build: Build) -> None:
    app = build("html")
    page = BeautifulSoup((Path(app.outdir) / "guide" / "usage.html").read_text("utf-8"), "html.parser")
    (code,) = [pre for pre in page.select("div.codeexamples-code pre") if "def shadowed" in pre.get_text()]
    texts = [link.get_text() for link in code.select("a.codeexamples-name")]
    # tl.connect in open_session links; in shadowed() tl is the parameter: no link.
    assert texts.count("connect") == 1
    assert texts.count("tl") == 2  # tl.connect and tl.undocumented in open_session
    assert "undocumented" not in texts  # resolves nowhere: plain text, no warning
    # Names in comments and strings are never linked.
    for link in code.select("a.codeexamples-name"):
        assert link.find_parent(class_=["c1", "s1", "s2", "sa"]) is None
    # The code reads exactly as written.
    assert "session.execute(\"select 'tl.connect'\")" in code.get_text()


@pytest.mark.parametrize("buildername", ["dirhtml", "singlehtml", "epub"])
def test_other_html_builders(build: Build, buildername: str) -> None:
    app = build(buildername)
    found = check_targets(Path(app.outdir))
    page = {"dirhtml": "guide/usage/index.html", "singlehtml": "index.html", "epub": "guide/usage.xhtml"}
    assert usage_links(found, page[buildername]) >= EXPECTED
    hrefs = {title: href for name, _, title, href in found if name == page[buildername]}
    expected_connect = {
        "dirhtml": "../../api/#tinylib.connect",
        "singlehtml": "#tinylib.connect",
        "epub": "../api.xhtml#tinylib.connect",
    }
    assert hrefs["tinylib.connect"] == expected_connect[buildername]
    assert "codeexamples" not in app.warning.getvalue()


def test_linenos_and_marked_lines_are_intact(build: Build) -> None:
    app = build("html")
    page = BeautifulSoup((Path(app.outdir) / "guide" / "linenos.html").read_text("utf-8"), "html.parser")
    blocks = page.select("div.codeexamples-code")
    assert len(blocks) == 2
    code = blocks[1]
    numbers = [span.get_text().strip() for span in code.select("span.linenos")]
    text = code.get_text()
    assert numbers == [str(number) for number in range(1, text.rstrip("\n").count("\n") + 2)]
    marked = code.select("span.hll")
    assert len(marked) == 2
    first = marked[0]
    assert [a.get_text() for a in first.select("a.codeexamples-name")] == ["tl", "connect", "json", "loads"]
    for number in first.select("span.linenos"):
        number.extract()
    assert first.get_text().strip() == "engine = tl.connect(url, options=json.loads(json_text))  # tl.connect"
    assert [a.get_text() for a in marked[1].select("a")] == []  # tl is the parameter there


def test_other_builders_get_plain_code(build: Build) -> None:
    app = build("text")
    text = (Path(app.outdir) / "guide" / "usage.txt").read_text("utf-8")
    assert "engine = tl.connect(url, options=json.loads(json_text))" in text
    assert "codeexamples" not in app.warning.getvalue()


def test_latex_builder(build: Build) -> None:
    app = build("latex")
    (tex,) = Path(app.outdir).glob("*.tex")
    content = tex.read_text("utf-8")
    assert "connect" in content
    assert "codeexamples-name" not in content
    assert "codeexamples" not in app.warning.getvalue()


def test_config_turns_links_off(build: Build) -> None:
    app = build("html", codeexamples_link_names=False)
    assert all(not name_links(page) for page in html_files(Path(app.outdir)).values())
    assert not app.env.domains["codeexamples"].data.get("linked")


def test_bad_config_value_warns(build: Build, links_root: Path) -> None:
    with (links_root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('codeexamples_link_names = "yes"\n')
    app = build("html")
    assert "codeexamples_link_names must be True or False" in app.warning.getvalue()
    page = BeautifulSoup((Path(app.outdir) / "guide" / "usage.html").read_text("utf-8"), "html.parser")
    assert name_links(page)  # the default (on) is used


@pytest.mark.parametrize("parallel", [0, 2])
def test_moved_target_rewrites_pages_that_were_not_reread(
    make_app: Callable[..., SphinxTestApp], links_root: Path, parallel: int
) -> None:
    app = make_app("html", srcdir=links_root, parallel=parallel)
    app.build()
    usage = Path(app.outdir) / "guide" / "usage.html"
    before = BeautifulSoup(usage.read_text("utf-8"), "html.parser")
    assert {str(a["href"]) for a in name_links(before) if a["title"] == "tinylib.connect"} == {
        "../api.html#tinylib.connect"
    }
    api = links_root / "api.rst"
    api.write_text(
        api.read_text("utf-8").replace(
            ".. py:function:: connect(url, options=None)\n\n   Open a connection.\n", ""
        )
    )
    other = links_root / "guide" / "other.rst"
    other.write_text(
        other.read_text("utf-8") + "\n.. py:function:: tinylib.connect(url)\n\n   Moved here.\n",
        encoding="utf-8",
    )
    for path in (api, other):
        os.utime(path, (path.stat().st_atime + 5, path.stat().st_mtime + 5))
    second = make_app("html", srcdir=links_root, parallel=parallel)
    second.build()
    after = BeautifulSoup(usage.read_text("utf-8"), "html.parser")
    assert {str(a["href"]) for a in name_links(after) if a["title"] == "tinylib.connect"} == {
        "other.html#tinylib.connect"
    }
    check_targets(Path(second.outdir))


def test_corpus_links_hit_existing_anchors(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, shared_dir: Path
) -> None:
    """Real example code (40 store pages of the shared corpus) under an API page documenting its
    callables: many names link, and every link lands on an anchor that exists."""
    from sphinx_codeexamples.store import iter_page_files, read_page_file

    corpus = shared_dir / "corpus" / "fsp-sqlalchemy"
    store = tmp_path / "store"
    store.mkdir()
    names = []
    for path in sorted(iter_page_files(str(corpus)))[:40]:
        shutil.copy(path, store)
        page, _ = read_page_file(path)
        if page is not None and page.callable is not None:
            names.append(page.dotted)
    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text(
        f"extensions = ['sphinx_codeexamples']\ncodeexamples_store = {str(store)!r}\n"
        "codeexamples_generate_pages = True\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Corpus\n======\n\n.. toctree::\n\n   api\n   examples/index\n", encoding="utf-8"
    )
    entries = [f".. py:function:: {name}(*args)\n\n   Documented.\n" for name in sorted(set(names))]
    (src / "api.rst").write_text("API\n===\n\n" + "\n".join(entries), encoding="utf-8")
    app = make_app("dirhtml", srcdir=src)
    app.build()
    found = check_targets(Path(app.outdir))
    assert len(found) > 200
    linked = {title for _, _, title, _ in found}
    assert len(linked & set(names)) > len(set(names)) // 2  # most callables link from their examples
    assert all(title in set(names) or "#" in href for _, _, title, href in found)
