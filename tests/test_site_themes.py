"""The ``codeexamples/related.html`` sidebar under the four common themes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_site import OBJECT_SESSION, MakeApp, build, copy_site, generated_name, page, warnings

# theme -> (extra config, CSS selector of the theme's sidebar that must hold ours)
THEMES: dict[str, tuple[dict[str, Any], str]] = {
    "alabaster": (
        {"html_sidebars": {"**": ["localtoc.html", "codeexamples/related.html"]}},
        "div.sphinxsidebar",
    ),
    "furo": (
        {"html_sidebars": {"**": ["sidebar/brand.html", "sidebar/search.html", "codeexamples/related.html"]}},
        "aside.sidebar-drawer",
    ),
    # sphinx_rtd_theme ignores html_sidebars: the root's _templates/layout.html includes the template
    "sphinx_rtd_theme": ({"templates_path": ["_templates"]}, "nav.wy-nav-side"),
    "pydata_sphinx_theme": (
        {"html_sidebars": {"**": ["sidebar-nav-bs.html", "codeexamples/related.html"]}},
        "#pst-primary-sidebar",
    ),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_sidebar_lists_module_siblings(make_app: MakeApp, site: Path, theme: str) -> None:
    overrides, container = THEMES[theme]
    app = build(make_app, site, confoverrides={"html_theme": theme, **overrides})
    assert warnings(app) == []
    html = page(app, OBJECT_SESSION)
    sidebars = html.select(f"{container} div.codeexamples-sidebar")
    assert len(sidebars) == 1
    sidebar = sidebars[0]
    assert sidebar.select_one(".codeexamples-sidebar-title").get_text(strip=True) == "sqlalchemy.orm"
    items = [li.get_text(strip=True) for li in sidebar.select("li")]
    assert items == ["object_session", "relationship", "Session", "session"]
    assert sidebar.select("li.current a") == []  # the current callable is not a link
    links = [(a.get_text(), a["href"]) for a in sidebar.select("li a")]
    upper = generated_name(site, "sqlalchemy.orm.Session").rpartition("/")[2]
    lower = generated_name(site, "sqlalchemy.orm.session").rpartition("/")[2]
    assert links == [
        ("relationship", "sqlalchemy.orm.relationship.html#codeexamples-sqlalchemy-orm-relationship"),
        ("Session", f"{upper}.html#codeexamples-sqlalchemy-orm-session"),
        ("session", f"{lower}.html#codeexamples-sqlalchemy-orm-session"),
    ]
    # pages that show no callable, or one alone in its module, have no sidebar list
    assert page(app, "index").select("div.codeexamples-sidebar") == []
    assert page(app, "examples/sqlalchemy/sqlalchemy.create_engine").select("div.codeexamples-sidebar") == []
    # the hand-written page shows select, whose module also has text
    guide = page(app, "guide").select(f"{container} div.codeexamples-sidebar li a")
    assert [(a.get_text(), a["href"]) for a in guide] == [
        ("text", "examples/sqlalchemy/sqlalchemy.sql.text.html#codeexamples-sqlalchemy-sql-text")
    ]
