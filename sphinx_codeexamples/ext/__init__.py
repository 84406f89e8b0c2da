"""The Sphinx layer: registration of the config values, domain, directive, role and events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__
from . import autodoc, config, coverage, events, highlight, links, search, sidebar
from .directive import CallableExampleDirective
from .domain import CodeExamplesDomain
from .i18n import setup_i18n
from .latex import setup_latex
from .plaintext import TRANSFORMS as PLAIN_TEXT_TRANSFORMS
from .related import VISITORS, RelatedCallables, related_placeholder
from .role import CallableExampleRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Bump when the shape of the data stored in the environment changes.
ENV_VERSION = 8


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    config.register(app)
    setup_i18n(app)
    app.add_domain(CodeExamplesDomain)
    app.add_directive("callable-example", CallableExampleDirective)
    app.add_role("callable-example", CallableExampleRole())
    app.add_node(related_placeholder, **VISITORS)
    app.add_post_transform(RelatedCallables)
    setup_latex(app)
    for transform in PLAIN_TEXT_TRANSFORMS:
        app.add_post_transform(transform)
    app.add_node(autodoc.more_examples, **autodoc.MORE_VISITORS)
    app.add_node(autodoc.examples_link, **autodoc.LINK_VISITORS)
    app.add_post_transform(autodoc.ExampleLinks)
    app.connect("object-description-transform", autodoc.on_object_description_transform, autodoc.PRIORITY)
    app.connect("doctree-resolved", autodoc.on_doctree_resolved)
    app.connect("env-check-consistency", coverage.on_env_check_consistency)
    search.setup_search(app)
    app.add_node(highlight.linked_literal_block, **highlight.VISITORS)
    app.connect("doctree-read", highlight.on_doctree_read)
    app.connect("doctree-read", links.on_doctree_read)
    app.connect("doctree-resolved", links.on_doctree_resolved)
    app.connect("env-get-updated", links.on_env_get_updated)
    app.connect("config-inited", sidebar.on_config_inited)
    app.connect("builder-inited", events.on_builder_inited)
    app.connect("env-get-outdated", events.on_env_get_outdated)
    app.connect("env-get-updated", events.on_env_get_updated)
    app.connect("env-updated", events.on_env_updated)
    app.connect("warn-missing-reference", events.on_warn_missing_reference)
    # Before themes that render sidebar templates early to drop empty ones (pydata-sphinx-theme).
    app.connect("html-page-context", sidebar.on_html_page_context, priority=400)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
