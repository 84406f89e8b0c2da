"""Examples inside Python API entries (``codeexamples_autodoc``): placement, names, order,
every builder, coverage, and incremental builds.

The ``test-autodoc`` root documents a small package of ours, ``shapes``, with autodoc and with
hand-written ``py`` directives; its store files pages under every spelling: the public re-export
(``shapes.area``, documented as ``shapes.geometry.area``), the defining module
(``shapes.geometry.Polygon``, documented as ``shapes.Polygon`` whose ``:canonical:`` autodoc
adds), a method reached through its class's canonical name, and hand-written aliases.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from test_site import MakeApp, build, soup, warnings

from sphinx_codeexamples.ext.autodoc import rank
from sphinx_codeexamples.model import Example, Hunk

ROOT = Path(__file__).parent / "roots" / "test-autodoc"
STORE = "store"


@pytest.fixture
def src(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the root (incremental tests change it), its package imported afresh."""
    target = tmp_path / "src"
    shutil.copytree(ROOT, target)
    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py inserts the copy's directory
    forget_shapes()
    yield target
    forget_shapes()


def forget_shapes() -> None:
    for name in [name for name in sys.modules if name == "shapes" or name.startswith("shapes.")]:
        del sys.modules[name]


def ours(app: SphinxTestApp) -> list[str]:
    """Warnings, without the ones epub always gives for a project with no version or copyright."""
    return [line for line in warnings(app) if "EPUB3" not in line]


def entry(html: BeautifulSoup, anchor: str) -> Tag:
    """The ``<dd>`` of the entry whose signature has id *anchor*."""
    signature = html.find(id=anchor)
    assert signature is not None, anchor
    dd = signature.find_parent("dl").find("dd", recursive=False)
    assert isinstance(dd, Tag)
    return dd


def block(dd: Tag) -> Tag | None:
    found = dd.find("div", class_="codeexamples-api", recursive=False)
    return found if isinstance(found, Tag) else None


def projects(tag: Tag) -> list[str]:
    return [strong.get_text() for strong in tag.select("p.codeexamples-provenance strong")]


def child_kinds(dd: Tag) -> list[str]:
    """What a ``<dd>`` holds, in order: ``text``, ``fields``, ``examples``, ``member``."""
    kinds = []
    for child in dd.find_all(recursive=False):
        classes = child.get("class") or []
        if "field-list" in classes:
            kinds.append("fields")
        elif "codeexamples-api" in classes:
            kinds.append("examples")
        elif child.name == "dl" and "py" in classes:
            kinds.append("member")
        else:
            kinds.append("text")
    return kinds


# -- placement, names, order -------------------------------------------------------


@pytest.mark.parametrize("parallel", [0, 2])
def test_examples_inside_entries(make_app: MakeApp, src: Path, parallel: int) -> None:
    app = build(make_app, src, parallel=parallel)
    assert ours(app) == []
    api = soup(Path(app.outdir) / "api.html")

    area = entry(api, "shapes.geometry.area")  # autodoc's defining path; the page is shapes.area
    assert child_kinds(area) == ["text", "fields", "examples"]
    polygon = entry(api, "shapes.Polygon")  # the page is filed under the canonical name
    assert child_kinds(polygon) == ["text", "fields", "examples", "member", "member"]
    scale = entry(api, "shapes.Polygon.scale")  # through the class's canonical name
    assert child_kinds(scale) == ["text", "fields", "examples"]
    assert block(entry(api, "shapes.Polygon.perimeter")) is None  # codeexamples_autodoc_exclude
    for dd in api.select("dl.py > dd"):
        assert dd.find(["h1", "h2", "h3", "h4", "h5", "h6", "section"]) is None

    hand = soup(Path(app.outdir) / "hand.html")
    error = block(entry(hand, "shapes.errors.ShapeError"))  # alias and :canonical: find one page
    assert error is not None and projects(error) == ["epsilon"]
    outline = entry(hand, "shapes.draw_outline")  # default domain, two signatures, store alias
    assert len(outline.find_previous_siblings("dt")) == 2
    outline_block = block(outline)
    assert outline_block is not None and projects(outline_block) == ["zeta"]
    # the :no-index: entry and the one whose signature does not parse: no anchor, no examples
    unnamed = [dl for dl in hand.select("dl.py.function") if dl.dt.get("id") is None]
    assert [dl.dt.get_text().strip()[:6] for dl in unnamed] == ["shapes", "???"]
    assert [block(dl.dd) for dl in unnamed] == [None, None]

    render = soup(Path(app.outdir) / "render.html")
    assert render.select("div.codeexamples-api") == []  # no page: nothing, not an empty block
    myst = soup(Path(app.outdir) / "myst.html")
    assert child_kinds(entry(myst, "shapes.geometry.centroid")) == ["text", "examples"]
    assert child_kinds(entry(myst, "shapes.geometry.bounds")) == ["text", "examples"]


def test_compact_rendering_and_rank(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src)
    area = block(entry(soup(Path(app.outdir) / "api.html"), "shapes.geometry.area"))
    assert area is not None
    assert area.find("p", class_="rubric").get_text() == "Examples in the wild"
    details = area.find("details", recursive=False)
    assert isinstance(details, Tag) and details.summary.get_text() == "More examples"
    shown = [child for child in area.find_all("div", class_="codeexamples-api-example", recursive=False)]
    assert [projects(item) for item in shown] == [["alpha"]]
    # one per project (smallest first) before a second from the same project
    assert projects(details) == ["beta", "gamma", "alpha"]
    # an API entry shows the enclosing item of the first use; the file's other uses are counted
    # a hunk that only imports the callable is passed over (and not counted as a use)
    gamma = details.find_all("div", class_="codeexamples-api-example")[1]
    assert (
        gamma.find("p", class_="codeexamples-provenance").get_text() == "From gamma: gamma/paint.py, line 8"
    )
    assert "import" not in gamma.get_text() and gamma.find("p", class_="codeexamples-elision") is None
    beta = details.find("div", class_="codeexamples-api-example")
    assert len(beta.select("div.highlight")) == 1
    assert "# beta tiles" not in beta.get_text()
    assert (
        beta.find("p", class_="codeexamples-elision").get_text()
        == "\N{VERTICAL ELLIPSIS} used in 1 more place of this file"
    )
    first = shown[0].find("p", class_="codeexamples-provenance")
    assert first.get_text() == "From alpha: alpha/quick.py, line 4 (licence)"
    links = [a["href"] for a in first.find_all("a")]
    assert links == [
        "https://github.com/example/alpha/blob/main/alpha/quick.py#L4",
        "https://github.com/example/alpha/blob/main/LICENSE",
    ]
    marked = shown[0].select("div.highlight span.hll")
    assert [line.get_text().strip() for line in marked] == ["return area(shape)  # alpha quick"]
    assert area.select("div.codeexamples-intro, div.codeexamples-blurb") == []
    full = area.find("p", class_="codeexamples-api-all")
    assert full.get_text() == "All 4 examples: shapes.area"
    assert full.a["href"].startswith("examples.html#")
    # the full page links back to the API entry
    back = soup(Path(app.outdir) / "examples.html").find_all("p", class_="codeexamples-api-backlink")[0]
    assert back.get_text() == "API reference: shapes.geometry.area"
    assert back.a["href"] == "api.html#shapes.geometry.area"
    bounds = block(entry(soup(Path(app.outdir) / "myst.html"), "shapes.geometry.bounds"))
    assert bounds is not None
    assert (
        bounds.find("p", class_="codeexamples-api-all").get_text() == "Example page: shapes.geometry.bounds"
    )
    # no full page for the other callables: no link, no dangling text
    polygon = block(entry(soup(Path(app.outdir) / "api.html"), "shapes.Polygon"))
    assert polygon is not None and polygon.find("p", class_="codeexamples-api-all") is None


def test_max_and_more(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src, confoverrides={"codeexamples_autodoc_max": 2, "codeexamples_autodoc_more": 0})
    area = block(entry(soup(Path(app.outdir) / "api.html"), "shapes.geometry.area"))
    assert area is not None and area.find("details") is None
    assert projects(area) == ["alpha", "beta"]


def test_off_by_default(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src, confoverrides={"codeexamples_autodoc": False})
    assert ours(app) == []
    for name in ("api", "hand", "myst", "examples"):
        html = soup(Path(app.outdir) / f"{name}.html")
        assert html.select("div.codeexamples-api, p.codeexamples-api-backlink") == []
    assert "documented callables" not in strip_colors(app.status.getvalue())


def test_bad_settings_warn(make_app: MakeApp, src: Path) -> None:
    app = build(
        make_app,
        src,
        confoverrides={"codeexamples_autodoc_max": -1, "codeexamples_autodoc_exclude": [3]},
    )
    found = "\n".join(ours(app))
    assert "codeexamples_autodoc_max must be a whole number >= 0, not -1" in found
    assert "codeexamples_autodoc_exclude must be a list of patterns" in found
    assert found.count("[codeexamples.config]") == 2


def example(number: int, project: str, lines: int) -> Example:
    hunk = Hunk(tuple(f"line {n}" for n in range(lines)), frozenset({0}))
    return Example(number, project, "", "", None, (hunk,))


def test_rank_order() -> None:
    examples = [
        example(1, "a", 9),
        example(2, "a", 2),
        example(3, "b", 5),
        example(4, "c", 5),
        example(5, "A", 1),
    ]
    # round one: each project's smallest (a/A fold together), by size then number; round two: the rest
    assert [(e.project, e.number) for e in rank(examples)] == [
        ("A", 5),
        ("b", 3),
        ("c", 4),
        ("a", 2),
        ("a", 1),
    ]
    assert rank(reversed(examples)) == rank(examples)


# -- every builder -----------------------------------------------------------------


@pytest.mark.parametrize("buildername", ["dirhtml", "singlehtml", "epub"])
def test_html_like_builders(make_app: MakeApp, src: Path, buildername: str) -> None:
    app = build(make_app, src, buildername=buildername)
    assert ours(app) == []
    outdir = Path(app.outdir)
    path = {
        "dirhtml": outdir / "api" / "index.html",
        "singlehtml": outdir / "index.html",
        "epub": outdir / "api.xhtml",
    }[buildername]
    html = soup(path)
    area = entry(html, "shapes.geometry.area")
    assert child_kinds(area) == ["text", "fields", "examples"]
    assert child_kinds(entry(html, "shapes.Polygon")) == ["text", "fields", "examples", "member", "member"]
    assert area.find("details") is not None
    if buildername != "epub":  # epub's pages are the documents themselves; the link is checked there
        href = area.find("p", class_="codeexamples-api-all").a["href"]
        assert href.rpartition("#")[2].startswith("codeexamples-shapes")
        assert href.count("#") == 1


def test_latex(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src, buildername="latex")
    assert ours(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    api = tex[tex.index(r"\sphinxbfcode{\sphinxupquote{area}}") : tex.index("Example 1 from alpha")]
    assert api.count(r"\subsubsection*{Examples in the wild}") == 7
    # no numbered heading (outline, TOC) inside any entry: only the chapters of the documents
    headings = re.findall(r"\\(?:chapter|section|subsection|subsubsection|paragraph)\{([^}]*)\}", api)
    assert [heading.partition("\\")[0] for heading in headings] == [
        "Rendering",
        "Hand",
        "MyST",
        "Example pages",
    ]
    assert r"\sphinxstylestrong{More examples}" in api
    assert "alpha quick" in api


def test_text(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src, buildername="text")
    assert ours(app) == []
    text = (Path(app.outdir) / "api.txt").read_text(encoding="utf-8")
    area = text[text.index("shapes.geometry.area(polygon)") : text.index("class shapes.Polygon")]
    assert area.index("Returns:") < area.index("-[ Examples in the wild ]-")
    assert "return area(shape)  # alpha quick" in area
    assert area.index("**More examples**") < area.index("# gamma paint")


# -- coverage ----------------------------------------------------------------------


def coverage_warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in ours(app) if line.endswith("[codeexamples.coverage]")]


@pytest.mark.parametrize("parallel", [0, 2])
def test_coverage_report(make_app: MakeApp, src: Path, parallel: int) -> None:
    app = build(make_app, src, parallel=parallel, confoverrides={"codeexamples_coverage": True})
    found = coverage_warnings(app)
    assert len(found) == 3, found
    docstring = f"{src / 'shapes' / 'render.py'}:docstring of shapes.render.draw:1"
    assert found[0].startswith(f"{docstring}: WARNING: no store page has examples of shapes.render.draw")
    assert found[1].startswith(
        f"{src / STORE / 'shapes-geometry-polygon-perimeter.markdown'}:1: WARNING: no API"
    )
    assert "shows the examples of shapes.geometry.Polygon.perimeter" in found[1]
    assert found[2].startswith(f"{src / STORE / 'shapes-render-unused.markdown'}:1: WARNING:")
    status = strip_colors(app.status.getvalue())
    assert (
        "codeexamples: 7 of 8 documented callables have examples; 2 store callables are shown nowhere"
        in status
    )


def test_coverage_is_off_unless_asked(make_app: MakeApp, src: Path) -> None:
    app = build(make_app, src)
    assert coverage_warnings(app) == []
    assert "codeexamples: 7 of 8 documented callables" in strip_colors(app.status.getvalue())


# -- incremental builds ------------------------------------------------------------

DRAW = """\
title: shapes.render draw Example Code
category: page
slug: shapes-render-draw-examples
sortorder: 500000002
toc: False
sidebartitle: shapes.render draw
meta: Python example code for the draw callable from the shapes.render module.


## Example 1 from kappa
[**kappa / kappa / show.py**](https://github.com/example/kappa/blob/main/kappa/show.py)

```python
~~print(draw(room))  # kappa show
```
"""


def later(path: Path) -> None:
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def rebuild(make_app: MakeApp, srcdir: Path, **kwargs: Any) -> tuple[SphinxTestApp, list[str]]:
    """A second build on the same directories; returns the app and the documents it read."""
    read: list[str] = []
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()
    return app, sorted(read)


@pytest.mark.parametrize("parallel", [0, 2])
def test_incremental_store_changes(make_app: MakeApp, src: Path, parallel: int) -> None:
    first = build(make_app, src, parallel=parallel)
    assert ours(first) == []
    store = src / STORE
    (store / "shapes-render-draw.markdown").write_text(DRAW, encoding="utf-8")  # a new page
    later(store / "shapes-render-draw.markdown")
    error = store / "shapes-shapeerror.markdown"  # an edited page
    error.write_text(error.read_text(encoding="utf-8").replace("# epsilon check", "# epsilon edited"))
    later(error)
    (store / "shapes-geometry-centroid.markdown").unlink()  # a removed page

    second, read = rebuild(make_app, src, parallel=parallel)
    assert ours(second) == []
    assert read == ["hand", "myst", "render"]
    outdir = Path(second.outdir)
    draw = block(entry(soup(outdir / "render.html"), "shapes.render.draw"))
    assert draw is not None and projects(draw) == ["kappa"]
    hand = block(entry(soup(outdir / "hand.html"), "shapes.errors.ShapeError"))
    assert hand is not None and "# epsilon edited" in hand.get_text()
    myst = soup(outdir / "myst.html")
    assert block(entry(myst, "shapes.geometry.centroid")) is None
    assert block(entry(myst, "shapes.geometry.bounds")) is not None
    # the documents not read are still right
    api = soup(outdir / "api.html")
    area = block(entry(api, "shapes.geometry.area"))
    assert area is not None and projects(area) == ["alpha", "beta", "gamma", "alpha"]


def backlinks(app: SphinxTestApp) -> list[str]:
    examples = soup(Path(app.outdir) / "examples.html")
    return [p.get_text() for p in examples.find_all("p", class_="codeexamples-api-backlink")]


def test_incremental_api_entry_moves_the_backlink(make_app: MakeApp, src: Path) -> None:
    first = build(make_app, src)
    assert backlinks(first) == [
        "API reference: shapes.geometry.area",
        "API reference: shapes.geometry.bounds",
    ]
    api = src / "api.rst"
    api.write_text(api.read_text(encoding="utf-8").replace(".. autofunction:: shapes.geometry.area\n", ""))
    later(api)
    second, read = rebuild(make_app, src)
    assert read == ["api"]
    # examples.html, not read, is re-written: it lost the link to the removed entry, kept the other
    assert backlinks(second) == ["API reference: shapes.geometry.bounds"]


def test_coverage_without_injection(make_app: MakeApp, src: Path) -> None:
    """Entries are still matched (nothing is shown in them); only directive pages show store callables."""
    overrides = {"codeexamples_autodoc": False, "codeexamples_coverage": True}
    app = build(make_app, src, confoverrides=overrides)
    found = coverage_warnings(app)
    missing = [line.partition(": WARNING: ")[2] for line in found if "no store page" in line]
    assert missing == ["no store page has examples of shapes.render.draw [codeexamples.coverage]"]
    unshown = [
        line.partition(": WARNING: ")[0].rpartition("/")[2] for line in found if "no API entry" in line
    ]
    assert len(unshown) == 7 and "shapes-area.markdown:1" not in unshown
    assert "shapes-geometry-bounds.markdown:1" not in unshown
    status = strip_colors(app.status.getvalue())
    assert (
        "codeexamples: 7 of 8 documented callables have examples; 7 store callables are shown nowhere"
        in status
    )
    assert soup(Path(app.outdir) / "api.html").select("div.codeexamples-api") == []
