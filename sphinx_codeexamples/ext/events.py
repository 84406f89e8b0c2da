"""Build-event handlers: settings, the store index, incremental re-reads, CSS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..store import scan_store
from .domain import CodeExamplesDomain
from .logging import warn_problem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STATIC = Path(__file__).parent.parent / "static"


def _domain(env: BuildEnvironment) -> CodeExamplesDomain:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    return domain


def on_builder_inited(app: Sphinx) -> None:
    """Add the stylesheet for HTML builders."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("codeexamples.css")


def on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Rescan the store; re-read documents that asked for a callable whose page changed."""
    domain = _domain(env)
    old = domain.index
    cache = {entry.path: entry for entry in old.entries}
    new = scan_store(app.config.codeexamples_store, cache)
    domain.data["index"] = new
    for problem in new.problems:
        warn_problem(problem)
    names = set(old.by_name) | set(new.by_name)
    moved = {name for name in names if old.by_name.get(name) != new.by_name.get(name)}
    return sorted(domain.docs_looking_up(moved) - removed)
