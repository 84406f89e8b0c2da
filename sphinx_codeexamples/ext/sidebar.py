"""The ``codeexamples/related.html`` sidebar: the current callable's module, as links.

The template ships in ``templates/``, which is added to ``templates_path`` at
``config-inited``; users list it in ``html_sidebars``. Its context is filled in
``html-page-context`` from domain data only, for HTML builders only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import CodeExamplesDomain
from .generate import generated_prefix

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TEMPLATES = Path(__file__).parent.parent / "templates"
TEMPLATE = "codeexamples/related.html"
CONTEXT_KEY = "codeexamples_related"
#: Sidebar templates that render the whole global table of contents.
GLOBAL_NAVIGATION = frozenset({"navigation.html", "globaltoc.html"})


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Make ``codeexamples/related.html`` findable; the user's own folders still come first."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html":
        return
    domain = app.env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    prefix = generated_prefix(app.srcdir, domain.settings)
    if domain.settings.light_navigation and prefix and pagename.startswith(prefix):
        context["sidebars"] = _light(context.get("sidebars"))
    records = domain.shown.get(pagename)
    if not records:
        return
    current = records[0]
    siblings = domain.siblings(current.module_name)
    if not any(record.dotted != current.dotted for record in siblings):
        return
    items = []
    for record in siblings:
        url = app.builder.get_relative_uri(pagename, record.docname)
        items.append(
            {
                "name": record.short_name,
                "dotted": record.dotted,
                "url": f"{url}#{record.anchor}",
                "current": record.dotted == current.dotted or record.docname == pagename,
            }
        )
    context[CONTEXT_KEY] = {"module": current.module_name, "label": current.module_name, "items": items}


def _light(sidebars: list[str] | None) -> list[str] | None:
    """*sidebars* with the global navigation replaced by the module's siblings (once)."""
    if not sidebars or GLOBAL_NAVIGATION.isdisjoint(sidebars):
        return sidebars
    light: list[str] = []
    for name in sidebars:
        name = TEMPLATE if name in GLOBAL_NAVIGATION else name
        if name not in light:
            light.append(name)
    return light
