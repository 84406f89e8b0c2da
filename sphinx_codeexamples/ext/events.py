"""Build-event handlers: settings, the store index, generated pages, incremental re-reads and
re-writes, CSS, and the warning for unresolved ``:callable-example:`` roles."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..problems import ProblemCode
from ..store import scan_store
from . import links, markdown
from .autodoc import api_targets
from .config import Settings
from .domain import CodeExamplesDomain
from .generate import generate_pages, generated_prefix
from .logging import warn, warn_problem

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment


def _domain(env: BuildEnvironment) -> CodeExamplesDomain:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    return domain


def _rescan(domain: CodeExamplesDomain, settings: Settings) -> None:
    """Rescan the store (unchanged files come from the cache) and take the new *settings*;
    note which names now find another page (or none), ``codeexamples_aliases`` included."""
    names = domain.known_names()
    before = {name: domain.lookup(name) for name in names}
    new = scan_store(settings.stores, {entry.path: entry for entry in domain.index.entries})
    domain.data["index"] = new
    domain.data["settings"] = settings
    names |= domain.known_names()
    moved = {name for name in names if before.get(name) != domain.lookup(name)}
    domain.data["moved"] = moved
    domain.data["moved_names"] = moved  # for the pages whose roles link to them


def on_builder_inited(app: Sphinx) -> None:
    """Scan the store once per build; generate pages from it; add the stylesheet for HTML builders."""
    domain = _domain(app.env)
    _rescan(domain, Settings.of(app.config))
    generate_pages(app, domain.settings, domain.index)
    if app.builder.format == "html":
        app.add_css_file("codeexamples.css")


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every document is read: free the parsed store pages, Markdown tokens and code names before writing."""
    domain = _domain(env)
    domain.data["index"] = domain.index.without_pages()
    markdown.clear_cache()
    links.clear_cache()
    return []


def on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Report the store's problems; re-read documents that asked for a callable whose page changed."""
    domain = _domain(env)
    for problem in domain.index.problems:
        warn_problem(problem)
    moved: set[str] = domain.data.pop("moved", set())
    prefix = generated_prefix(app.srcdir, domain.settings)
    if prefix and any(docname.startswith(prefix) for docname in added | removed):
        # Generated pages came or went: every page's navigation (toctree) changes.
        domain.data["rewrite_all"] = True
    return sorted(domain.docs_looking_up(moved) - removed)


def on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to re-write because what they show of *other* pages changed.

    Compares what each shown callable looks like from elsewhere (module, page,
    anchor) with the previous build; the pages listing a changed module (related
    lists, sidebars) and the pages linking to a changed callable are returned.
    """
    domain = _domain(env)
    old: dict[str, tuple[str, str, str]] = domain.data.get("targets", {})
    new = domain.targets()
    domain.data["targets"] = new
    old_api = domain.data.get("api_targets", {})
    new_api = api_targets(env) if domain.settings.autodoc else {}
    domain.data["api_targets"] = new_api
    if domain.data.pop("rewrite_all", False):
        return sorted(env.found_docs)
    changed = {dotted for dotted in old.keys() | new.keys() if old.get(dotted) != new.get(dotted)}
    relinked = domain.docs_referencing(domain.data.pop("moved_names", set()))
    # Example pages whose back-link to the API entry appeared, moved or went.
    api_moved = {
        dotted for dotted in old_api.keys() | new_api.keys() if old_api.get(dotted) != new_api.get(dotted)
    }
    if not changed and not api_moved:
        return sorted(relinked & env.found_docs)
    modules = {(new.get(dotted) or old[dotted])[0] for dotted in changed}
    modules |= {old[dotted][0] for dotted in changed if dotted in old}
    docs = domain.docs_showing(modules, children=domain.settings.related_parent)
    docs |= domain.docs_referencing(changed) | relinked
    docs |= {record.docname for record in domain.iter_shown() if record.dotted in api_moved}
    return sorted(docs & env.found_docs)


def on_warn_missing_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """One ``codeexamples`` warning for an unresolved ``:callable-example:`` (instead of Sphinx's)."""
    if domain is None or domain.name != "codeexamples":
        return None
    ours = _domain(app.env)
    target = node.get("reftarget", "")
    if ours.lookup(target) is not None:
        code = ProblemCode.UNSHOWN_CALLABLE
        message = (
            f"no page of this build shows {target}: add a callable-example directive "
            f"or set codeexamples_generate_pages = True"
        )
    else:
        code = ProblemCode.UNKNOWN_CALLABLE
        shown = {record.dotted for record in ours.iter_shown()}
        known = shown | ours.known_names()
        close = difflib.get_close_matches(target, sorted(known), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        message = f"no store page describes {target}{hint}"
    warn(code, message, location=node)
    return True
