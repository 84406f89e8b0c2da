"""Whole sites: generated pages, related callables, the role, objects.inv, indices, every builder.

The ``test-site`` root generates its pages into the source directory, so every
test builds a private copy of it (the ``site`` fixture), never the root itself.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.inventory import InventoryFile

from sphinx_codeexamples.ext.related import related_placeholder

ROOT = Path(__file__).parent / "roots" / "test-site"
EX = "examples/sqlalchemy"
OBJECT_SESSION = f"{EX}/sqlalchemy.orm.object_session"
NAMES = [
    "json.dumps",
    "sqlalchemy.create_engine",
    "sqlalchemy.orm.Session",
    "sqlalchemy.orm.object_session",
    "sqlalchemy.orm.relationship",
    "sqlalchemy.orm.session",
    "sqlalchemy.sql.select",
    "sqlalchemy.sql.text",
]

MakeApp = Callable[..., SphinxTestApp]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A private copy of the ``test-site`` root."""
    return copy_site(tmp_path / "site")


def copy_site(target: Path) -> Path:
    shutil.copytree(ROOT, target)
    return target


def build(make_app: MakeApp, srcdir: Path, buildername: str = "html", **kwargs: Any) -> SphinxTestApp:
    app = make_app(buildername, srcdir=srcdir, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()  # so that a second app in the same test registers its nodes afresh
    return app


def warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if "WARNING" in line]


def inventory_uri(item: Any) -> str:
    """An inventory item's URI: an attribute since Sphinx 8.2, a tuple field before."""
    return str(item.uri if hasattr(item, "uri") else item[2])


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return soup(Path(app.outdir) / f"{docname}.html")


def related(html: BeautifulSoup) -> list[tuple[str, str]]:
    """``(text, href)`` of every link of the related-callables list."""
    return [(a.get_text(), a["href"]) for a in html.select("div.codeexamples-related a")]


def generated_name(srcdir: Path, dotted: str) -> str:
    """The docname generated for *dotted* (file names may carry a hash)."""
    manifest = json.loads((srcdir / "examples" / ".codeexamples-manifest.json").read_text())
    matches = [
        rel.removesuffix(".rst")
        for rel in manifest["files"]
        if re.fullmatch(re.escape(dotted) + r"(-[0-9a-f]{8})?\.rst", rel.rpartition("/")[2])
    ]
    assert len(matches) == 1, matches
    return f"examples/{matches[0]}"


# -- HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize("parallel", [0, 2])
def test_related_lists(make_app: MakeApp, site: Path, parallel: int) -> None:
    app = build(make_app, site, parallel=parallel)
    assert warnings(app) == []
    session_upper = generated_name(site, "sqlalchemy.orm.Session")
    session_lower = generated_name(site, "sqlalchemy.orm.session")
    assert session_upper.casefold() != session_lower.casefold()
    links = related(page(app, OBJECT_SESSION))
    # sorted, no self-link, Session and session kept apart, each linked to its own page
    assert [text for text, _ in links] == ["relationship", "Session", "session"]
    hrefs = [href.partition("#")[0] for _, href in links]
    assert hrefs == [
        "sqlalchemy.orm.relationship.html",
        session_upper.rpartition("/")[2] + ".html",
        session_lower.rpartition("/")[2] + ".html",
    ]
    assert [text for text, _ in related(page(app, session_upper))] == [
        "object_session",
        "relationship",
        "session",
    ]
    assert [text for text, _ in related(page(app, f"{EX}/sqlalchemy.sql.select"))] == ["text"]
    # the only documented callable of its module: no list at all
    assert page(app, f"{EX}/sqlalchemy.create_engine").select("div.codeexamples-related") == []
    assert page(app, "examples/json/json.dumps").select("div.codeexamples-related") == []
    # :no-related: on the hand-written directive
    assert page(app, "guide").select("div.codeexamples-related") == []


def test_related_parent_package(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site, confoverrides={"codeexamples_related_parent": True})
    assert warnings(app) == []
    groups = page(app, OBJECT_SESSION).select("p.codeexamples-related-module")
    assert [group.code.get_text() for group in groups] == ["sqlalchemy.orm", "sqlalchemy"]
    assert [a.get_text() for a in groups[1].select("a")] == ["create_engine"]
    # the parent package's page does not list its children
    assert page(app, f"{EX}/sqlalchemy.create_engine").select("div.codeexamples-related") == []


def test_related_off(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site, confoverrides={"codeexamples_related": False})
    assert warnings(app) == []
    assert page(app, OBJECT_SESSION).select("div.codeexamples-related") == []


def test_generated_pages_and_titles(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site)
    assert sorted(
        docname for docname in app.env.found_docs if docname.count("/") == 2 and "index" not in docname
    ) == sorted(generated_name(site, name) for name in NAMES)
    top = page(app, "examples/index")
    assert [a.get_text() for a in top.select("div.body div.toctree-wrapper > ul > li > a")] == [
        "json",
        "sqlalchemy",
    ]
    package = page(app, f"{EX}/index")
    sections = package.select("div.body section section")
    assert [section.h2.get_text().rstrip("¶") for section in sections] == [
        "sqlalchemy",
        "sqlalchemy.orm",
        "sqlalchemy.sql",
    ]
    orm = [a.get_text() for a in sections[1].select("div.toctree-wrapper a")]
    assert orm == [
        "sqlalchemy.orm object_session",
        "sqlalchemy.orm relationship",
        "sqlalchemy.orm Session",
        "sqlalchemy.orm session",
    ]
    assert page(app, OBJECT_SESSION).h1.get_text().rstrip("¶") == "sqlalchemy.orm object_session"
    # the root's toctree reaches the generated index
    assert "examples/index" in app.env.toctree_includes["index"]


def test_objects_inv_and_search_index(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site)
    outdir = Path(app.outdir)
    with (outdir / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org", posixpath.join)
    callables = inventory["codeexamples:callable"]
    assert sorted(callables) == NAMES
    item = callables["sqlalchemy.orm.object_session"]
    assert (
        inventory_uri(item)
        == f"https://example.org/{OBJECT_SESSION}.html#codeexamples-sqlalchemy-orm-object-session"
    )
    upper = inventory_uri(callables["sqlalchemy.orm.Session"])
    assert upper.startswith(f"https://example.org/{generated_name(site, 'sqlalchemy.orm.Session')}.html")
    assert upper != inventory_uri(callables["sqlalchemy.orm.session"])
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert "codeexamples:callable" in index["objtypes"].values()
    assert [entry[4] for entry in index["objects"]["sqlalchemy.orm"]] == [
        "Session",
        "object_session",
        "relationship",
        "session",
    ]


def test_domain_index_and_general_index(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site)
    index = page(app, "codeexamples-callables")
    headings = [row.get_text(strip=True) for row in index.select("table.indextable tr.cap")]
    assert headings == ["json", "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.sql"]
    links = {a.get_text(): a["href"] for a in index.select("table.indextable a")}
    assert links["object_session"] == f"{OBJECT_SESSION}.html#codeexamples-sqlalchemy-orm-object-session"
    assert {"Session", "session", "dumps", "create_engine", "select", "text"} <= set(links)
    genindex = page(app, "genindex").get_text()
    assert "object_session (sqlalchemy.orm code examples)" in genindex
    assert "Session (sqlalchemy.orm code examples)" in genindex
    assert "session (sqlalchemy.orm code examples)" in genindex


def test_role_links(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site)
    links = page(app, "guide").select("a.reference.internal code.codeexamples-callable")
    targets = [(code.get_text(" ", strip=True), code.parent["href"]) for code in links]
    assert targets == [
        (
            "sqlalchemy.orm.object_session",
            f"{OBJECT_SESSION}.html#codeexamples-sqlalchemy-orm-object-session",
        ),
        (
            "the Session class",
            f"{generated_name(site, 'sqlalchemy.orm.Session')}.html#codeexamples-sqlalchemy-orm-session",
        ),
        (
            "sqlalchemy.orm.session",
            f"{generated_name(site, 'sqlalchemy.orm.session')}.html#codeexamples-sqlalchemy-orm-session",
        ),
    ]


@pytest.mark.parametrize("nitpicky", [False, True])
def test_role_unknown_callable_warns_once(make_app: MakeApp, site: Path, nitpicky: bool) -> None:
    overrides = {"exclude_patterns": ["_build"], "nitpicky": nitpicky}
    app = build(make_app, site, confoverrides=overrides)
    found = warnings(app)
    assert len(found) == 2, found
    assert all("broken.rst" in line and "[codeexamples.unknown-callable]" in line for line in found)
    assert "sqlalchemy.orm.object_sesion; did you mean sqlalchemy.orm.object_session" in found[0]
    assert "json.loads" in found[1]
    # degraded to text, not a broken link
    assert page(app, "broken").select("a.reference.internal code.codeexamples-callable") == []


def test_role_callable_not_shown(make_app: MakeApp, site: Path) -> None:
    app = build(make_app, site, confoverrides={"codeexamples_generate_pages": False})
    assert not (site / "examples").exists()
    found = warnings(app)
    # the three role targets are in the store, but no page shows them; the toctree entry is missing
    unshown = [line for line in found if "[codeexamples.unshown-callable]" in line]
    assert len(unshown) == 3, found
    assert all("guide.rst" in line for line in unshown)


def test_related_links_made_by_the_writer(make_app: MakeApp, site: Path) -> None:
    """A resolved tree keeps the placeholder (a few bytes where the list has a link per sibling):
    under ``-j``, Sphinx holds every resolved document until its writer is done. The translator
    makes the links; a list with none was removed when resolving, its anchor kept."""
    app = make_app("html", srcdir=site)
    try:
        app.build()
        resolved = app.env.get_doctree(OBJECT_SESSION)
        app.env.apply_post_transforms(resolved, OBJECT_SESSION)
        assert len(list(resolved.findall(related_placeholder))) == 1
        assert not [
            node for node in resolved.findall(nodes.container) if "codeexamples-related" in node["classes"]
        ]
        alone = app.env.get_doctree(f"{EX}/sqlalchemy.create_engine")
        app.env.apply_post_transforms(alone, f"{EX}/sqlalchemy.create_engine")
        assert not list(alone.findall(related_placeholder))
    finally:
        app.cleanup()
    assert [text for text, _ in related(page(app, OBJECT_SESSION))] == ["relationship", "Session", "session"]


class _other_node(nodes.Element):
    """A node another extension registers for one builder by name."""


def test_related_links_when_a_builder_has_handlers_of_its_own(make_app: MakeApp, site: Path) -> None:
    """Sphinx gives a builder's translators the handlers registered for its name, if any, instead
    of those for its format: then ours are not there, and the post-transform makes the links."""
    app = make_app("dirhtml", srcdir=site)
    try:
        app.add_node(_other_node, dirhtml=(lambda self, node: None, None))
        app.build()
    finally:
        app.cleanup()
    assert warnings(app) == []
    html = soup(Path(app.outdir) / OBJECT_SESSION / "index.html")
    assert [text for text, _ in related(html)] == ["relationship", "Session", "session"]


@pytest.mark.parametrize("buildername", ["man", "texinfo", "pseudoxml"])
def test_related_lists_other_builders(make_app: MakeApp, site: Path, buildername: str) -> None:
    """Formats without a translator of ours (pseudo-XML) get the links from the post-transform."""
    app = build(make_app, site, buildername)
    assert warnings(app) == []
    written = "\n".join(
        path.read_text(encoding="utf-8")
        for path in Path(app.outdir).rglob("*")
        if path.suffix in (".1", ".texi", ".pseudoxml")
    )
    assert written.count("More code examples from") == 6
    if buildername == "pseudoxml":
        assert 'refuri="sqlalchemy.orm.relationship#codeexamples-sqlalchemy-orm-relationship"' in written
        assert "related_placeholder" not in written


# -- every builder ------------------------------------------------------------------------


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.parametrize("buildername", ["dirhtml", "singlehtml", "latex", "text", "epub"])
def test_builders(make_app: MakeApp, site: Path, buildername: str, parallel: int) -> None:
    app = build(make_app, site, buildername, parallel=parallel)
    assert warnings(app) == []
    outdir = Path(app.outdir)
    if buildername == "dirhtml":
        html = soup(outdir / OBJECT_SESSION / "index.html")
        hrefs = [href for _, href in related(html)]
        assert hrefs[0] == "../sqlalchemy.orm.relationship/#codeexamples-sqlalchemy-orm-relationship"
        assert len(hrefs) == 3
        assert html.select("div.codeexamples-sidebar li a")
    elif buildername == "singlehtml":
        html = soup(outdir / "index.html")
        lists = html.select("div.codeexamples-related")
        assert len(lists) == 6  # 8 generated pages but 2 alone in their module; none in the guide
        for _, href in related(html):
            assert href.count("#") == 1 and html.find(id=href[1:]) is not None
    elif buildername == "latex":
        tex = (outdir / "site.tex").read_text(encoding="utf-8")
        assert "More code examples from" in tex
        assert (
            r"\hyperref[\detokenize{examples/sqlalchemy/sqlalchemy.orm.relationship:"
            "codeexamples-sqlalchemy-orm-relationship}]"
        ) in tex
        assert "Code examples by module" in tex  # the domain index
    elif buildername == "text":
        text = (outdir / f"{OBJECT_SESSION}.txt").read_text(encoding="utf-8")
        assert 'More code examples from "sqlalchemy.orm": "relationship", "Session",\n"session".' in text
    else:
        html = soup(outdir / f"{OBJECT_SESSION}.xhtml")
        assert [text for text, _ in related(html)] == ["relationship", "Session", "session"]


# -- -j 2 gives the same output ----------------------------------------------------------------


def _outputs(outdir: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(outdir.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".inv") and "_static" not in path.parts:
            data = path.read_bytes()
            if path.suffix == ".inv":  # compare the decompressed inventory
                header, _, body = data.partition(b"zlib.\n")
                data = header + zlib.decompress(body)
            files[path.relative_to(outdir).as_posix()] = data
    return files


def test_parallel_output_equals_serial(make_app: MakeApp, tmp_path: Path) -> None:
    serial = build(make_app, copy_site(tmp_path / "serial"))
    parallel = build(make_app, copy_site(tmp_path / "parallel"), parallel=2)
    assert warnings(serial) == warnings(parallel) == []
    expected, actual = _outputs(Path(serial.outdir)), _outputs(Path(parallel.outdir))
    assert sorted(expected) == sorted(actual)
    differing = [name for name in expected if expected[name] != actual[name]]
    assert differing == [], [(expected[name], actual[name]) for name in differing[:1]]
