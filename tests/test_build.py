"""Sphinx builds of the directive: HTML structure, highlighting, warnings, builders, MyST, rebuilds."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp

BASIC = Path(__file__).parent / "roots" / "test-basic"


def soup(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def section(page: BeautifulSoup, anchor: str) -> Tag:
    found = page.find("section", id=anchor)
    assert isinstance(found, Tag), anchor
    return found


def highlighted(block: Tag) -> list[str]:
    """The text of the highlighted lines, line numbers left out."""
    for number in block.select("span.linenos"):
        number.extract()
    return [line.get_text().rstrip("\n") for line in block.select("span.hll")]


def warnings(app: SphinxTestApp) -> str:
    return app.warning.getvalue()


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_html_example_page(app: SphinxTestApp, parallel: int) -> None:
    app.parallel = parallel
    app.build()
    page = soup(app, "index.html")
    intro = page.select_one(".codeexamples-intro")
    assert intro is not None
    assert (
        intro.get_text(" ", strip=True)
        == "dumps is a callable within the json module of the Python standard library project."
    )

    first = section(page, "json-dumps-example-1")
    assert first.h2 is not None or first.h3 is not None
    assert first.find(["h2", "h3"]).get_text().rstrip("¶#") == "Example 1 from tinylog"  # type: ignore[union-attr]
    blurb_links = {a.get_text(): a["href"] for a in first.select(".codeexamples-blurb a")}
    assert blurb_links["logging guide"] == "https://example.org/logging.html"
    assert blurb_links["PyPI page"] == "https://pypi.org/project/tinylog/"
    assert first.select_one(".codeexamples-blurb strong").get_text() == "structured"  # type: ignore[union-attr]
    source = first.select_one(".codeexamples-source a")
    assert source is not None
    assert source["href"] == "https://github.com/example/tinylog/blob/4f2a9c1/tinylog/handlers.py"
    assert source.get_text() == "tinylog / tinylog / handlers.py"

    blocks = first.select("div.highlight-python")
    assert [highlighted(block) for block in blocks] == [
        ["import json"],
        ["        line = json.dumps(record, sort_keys=True)"],
    ]
    elisions = [p.get_text(strip=True) for p in first.select(".codeexamples-elision")]
    assert elisions == [
        "\N{VERTICAL ELLIPSIS} source file abbreviated to get to dumps examples",
        "\N{VERTICAL ELLIPSIS} source file continues with no further dumps examples",
    ]
    code_text = first.get_text()
    assert "~~" not in code_text and "## ..." not in code_text

    second = section(page, "json-dumps-example-2")
    assert [highlighted(block) for block in second.select("div.highlight-python")] == [
        ["        handle.write(to_json(data))"]
    ]
    assert warnings(app).count("WARNING") == 3  # the unknown name, the bad option, the URL-less link


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_options(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "tasks.html")
    filtered = section(page, "filtered")
    assert filtered.select_one(".codeexamples-intro") is None
    titles = [h.get_text().rstrip("¶#") for h in filtered.select("section h3")]
    assert titles == ["Example 2 from dotfiles-sync"]
    assert filtered.select_one(".codeexamples-source code").get_text() == "dotfiles-sync / sync.py"  # type: ignore[union-attr]

    limited = section(page, "limited")
    assert limited.select_one(".codeexamples-intro") is not None
    assert [h.get_text().rstrip("¶#") for h in limited.select("section h3")] == ["Example 1 from sitebuild"]
    linenos = [
        [span.get_text().strip() for span in block.select("span.linenos")]
        for block in limited.select("div.highlight")
    ]
    assert linenos == [["10", "11"], ["40", "41", "42"]]
    assert [highlighted(block) for block in limited.select("div.highlight")] == [
        ["    shutil.copytree(source, target, dirs_exist_ok=True)"],
        ["    shutil.copytree(TEMPLATE, target)"],
    ]


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_links_to_a_shown_callable_arrive_without_an_intro(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, builder: str
) -> None:
    """``:no-intro:`` with no related callables: the anchor that docutils moved onto a placeholder
    survives the placeholder's removal, so the indexes' links to that use of the callable arrive."""
    srcdir = tmp_path / "src"
    shutil.copytree(BASIC, srcdir)
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    app.build()
    if builder == "html":
        ids = {tag["id"] for tag in soup(app, "tasks.html").select("[id]")}
        links = {
            link["href"].partition("#")[2]
            for name in ("genindex.html", "codeexamples-callables.html")
            for link in soup(app, name).select('a[href^="tasks.html#codeexamples-"]')
        }
        assert links == {"codeexamples-shutil-copytree", "codeexamples-shutil-copytree-2"}
    else:
        tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
        ids = set(re.findall(r"\\label\{\\detokenize\{tasks:([^}]*)\}\}", tex))
        links = set(
            re.findall(r"\\sphinxstyleindexpageref\{tasks:\\detokenize\{(codeexamples-[^}]*)\}\}", tex)
        )
        assert links
    assert links <= ids


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_located_warnings(app: SphinxTestApp) -> None:
    app.build()
    text = warnings(app)
    unknown = os.path.join(app.srcdir, "unknown.rst")
    assert (
        f"{unknown}:4: WARNING: no store page describes json.dump; did you mean json.dumps? "
        "[codeexamples.unknown-callable]"
    ) in text
    assert (
        f"{unknown}:6: WARNING: :max-examples: must be a whole number >= 0, not '-3' [codeexamples.option]"
        in text
    )
    store_page = os.path.join(app.srcdir, "store", "shutil-copytree.md")
    assert f"{store_page}:35: WARNING: source-file link has no URL [codeexamples.source-link]" in text


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    freshenv=True,
    confoverrides={"suppress_warnings": ["codeexamples.unknown-callable"]},
)
def test_warnings_can_be_suppressed_by_subtype(app: SphinxTestApp) -> None:
    app.build()
    assert "unknown-callable" not in warnings(app)
    assert "codeexamples.option" in warnings(app)


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, confoverrides={"codeexamples_base_url": ""})
def test_site_relative_links_are_text_without_base_url(app: SphinxTestApp) -> None:
    app.build()
    blurb = section(soup(app, "index.html"), "json-dumps-example-1").select_one(".codeexamples-blurb")
    assert blurb is not None
    assert "logging guide" in blurb.get_text()
    assert all(a.get_text() != "logging guide" for a in blurb.select("a"))


@pytest.mark.parametrize(
    "builder, output, check",
    [
        ("dirhtml", "index.html", lambda text: 'class="hll"' in text),
        (
            "singlehtml",
            "index.html",
            lambda text: 'class="hll"' in text and "Example 2 from dotfiles-sync" in text,
        ),
        ("text", "index.txt", lambda text: "Example 1 from tinylog" in text and "~~" not in text),
        ("latex", "*.tex", lambda text: "hllines" in text and "Example 1 from tinylog" in text),
        ("epub", "index.xhtml", lambda text: 'class="hll"' in text),
    ],
)
def test_other_builders(
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
    builder: str,
    output: str,
    check: Callable[[str], bool],
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(BASIC, srcdir)
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    app.build()
    candidates = list(Path(app.outdir).rglob(output))
    assert candidates, f"no {output} in {app.outdir}"
    assert check(candidates[0].read_text(encoding="utf-8"))
    assert "Traceback" not in warnings(app)


@pytest.mark.sphinx("html", testroot="myst", freshenv=True)
def test_myst_directive(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "index.html")
    assert [
        highlighted(block) for block in section(page, "json-dumps-example-1").select("div.highlight")
    ] == [
        ["import json"],
        ["        line = json.dumps(record, sort_keys=True)"],
    ]
    assert page.find("section", id="json-dumps-example-2") is None
    assert warnings(app) == ""


def rebuild(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, read: list[str], **kwargs: Any
) -> SphinxTestApp:
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(sorted(docnames)))
    app.build()
    return app


def touch(path: Path, text: str) -> None:
    """Write *path* now: after the last build read it, never in the future."""
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("parallel", [0, 2])
def test_incremental_rebuild_after_store_changes(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, parallel: int
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(BASIC, srcdir)
    read: list[str] = []
    rebuild(make_app, srcdir, read, freshenv=True, parallel=parallel)
    assert read == ["index", "tasks", "unknown"]

    read.clear()
    rebuild(make_app, srcdir, read, parallel=parallel)
    assert read == []  # nothing changed, nothing re-read

    store_page = srcdir / "store" / "json-dumps.markdown"
    touch(store_page, store_page.read_text().replace("writes **structured** log", "writes **tidy** log"))
    read.clear()
    app = rebuild(make_app, srcdir, read, parallel=parallel)
    assert read == ["index"]  # the only document that shows json.dumps
    assert "tidy" in section(soup(app, "index.html"), "json-dumps-example-1").get_text()

    new_page = srcdir / "store" / "json-dump.markdown"
    touch(new_page, store_page.read_text().replace("json dumps", "json dump").replace("`dumps`", "`dump`"))
    read.clear()
    app = rebuild(make_app, srcdir, read, parallel=parallel)
    assert read == ["unknown"]  # it asked for json.dump, which now exists
    assert "no store page describes json.dump" not in warnings(app)
    assert soup(app, "unknown.html").find("section", id="json-dump-example-1") is not None


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"codeexamples_store": ["store", "gone"]}
)
def test_config_warnings_point_at_conf_py(app: SphinxTestApp) -> None:
    app.build()
    conf_py = os.path.join(app.confdir, "conf.py")
    gone = os.path.join(app.confdir, "gone")
    assert (
        f"{conf_py}:2: WARNING: codeexamples_store names {gone}, which is not a directory "
        "[codeexamples.store]"
    ) in warnings(app)
    assert "configuration has changed" not in app.status.getvalue()
