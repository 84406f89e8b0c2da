"""Any name of a callable finds its page: the pages' aliases and ``codeexamples_aliases``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-aliases"
ANCHOR = "codeexamples-tinylib-widget"


def soup(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def links(app: SphinxTestApp) -> dict[str, str]:
    """The role's links of links.html: target name -> href."""
    found = soup(app, "links.html").select("a.reference.internal[title]")
    return {str(a["title"]): str(a["href"]) for a in found if str(a["title"]).startswith("tinylib.")}


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.sphinx("html", testroot="aliases", freshenv=True)
def test_the_directive_and_the_role_accept_any_spelling(app: SphinxTestApp, parallel: int) -> None:
    app.parallel = parallel
    app.build()
    index = soup(app, "index.html")
    assert index.find(id=ANCHOR) is not None  # the page is shown under its own name
    assert index.select(".codeexamples-intro")[0].get_text(" ", strip=True).startswith("Widget is a class")
    assert links(app) == {
        "tinylib.Widget": f"index.html#{ANCHOR}",
        "tinylib.core.Widget": f"index.html#{ANCHOR}",
        "tinylib.widgets.Widget": f"index.html#{ANCHOR}",
        "tinylib.api.Widget": f"index.html#{ANCHOR}",  # codeexamples_aliases
    }
    warnings = app.warning.getvalue()
    assert "later.rst:4: WARNING: no store page describes tinylib.later.Widget; did you mean" in warnings
    conf_py = os.path.join(app.confdir, "conf.py")
    assert (
        f"{conf_py}:3: WARNING: codeexamples_aliases has 'bad name': 'tinylib.Widget', which are not two "
        "dotted names; ignored [codeexamples.config]"
    ) in warnings
    assert warnings.count("WARNING") == 2


def rebuild(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, read: list[str], **kwargs: Any
) -> SphinxTestApp:
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(sorted(docnames)))
    app.build()
    return app


@pytest.mark.parametrize("parallel", [0, 2])
def test_a_new_alias_rereads_the_documents_that_asked_for_it(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, parallel: int
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    read: list[str] = []
    none = {"codeexamples_aliases": {}}
    app = rebuild(make_app, srcdir, read, freshenv=True, parallel=parallel, confoverrides=none)
    assert read == ["index", "later", "links"]
    assert "tinylib.api.Widget" not in links(app)  # not a link: no page knows that name yet

    read.clear()
    configured = {
        "codeexamples_aliases": {
            "tinylib.api.Widget": "tinylib.Widget",
            "tinylib.later.Widget": "tinylib.core.Widget",
        }
    }
    app = rebuild(make_app, srcdir, read, parallel=parallel, confoverrides=configured)
    assert read == ["later"]  # the only document that asked for a name that now finds a page
    assert soup(app, "later.html").find(id=ANCHOR) is not None
    assert links(app)["tinylib.api.Widget"] == f"index.html#{ANCHOR}"  # links.html was written again

    read.clear()
    app = rebuild(make_app, srcdir, read, parallel=parallel, confoverrides=none)
    assert read == ["later"]
    assert soup(app, "later.html").find(id=ANCHOR) is None

    page = srcdir / "store" / "tinylib-widget.markdown"
    page.write_text(
        page.read_text().replace("tinylib.core.Widget\n", "tinylib.core.Widget, tinylib.later.Widget\n")
    )
    read.clear()
    app = rebuild(make_app, srcdir, read, parallel=parallel, confoverrides=none)
    assert read == [
        "index",
        "later",
    ]  # index shows the page (its file changed); later asked for the new alias
    assert soup(app, "later.html").find(id=ANCHOR) is not None
