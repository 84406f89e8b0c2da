"""What the HTML search index leaves out: nodes with the ``no-search`` class.

Example code and related-callables lists carry the class. Sphinx's indexer skips
such nodes from Sphinx 8.2 on; for Sphinx 8.1, :func:`on_doctree_resolved` wraps
the HTML builder's indexer so that it is fed each document with those nodes
emptied for the time of the call (the page itself is written unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sphinx
from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The class Sphinx's search indexer skips (from Sphinx 8.2).
NO_SEARCH = "no-search"
#: True when this Sphinx skips :data:`NO_SEARCH` nodes itself.
NATIVE = sphinx.version_info[:2] >= (8, 2)

Feed = Callable[[str, Any, str, nodes.document], None]


def _marked(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and NO_SEARCH in node["classes"]


class FeedWithoutMarked:
    """An indexer's ``feed`` that does not see the children of :data:`NO_SEARCH` nodes."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed

    def __call__(self, docname: str, filename: Any, title: str, doctree: nodes.document) -> None:
        hidden = [(node, node.children) for node in doctree.findall(_marked)]
        for node, _ in hidden:
            node.children = []
        try:
            self.feed(docname, filename, title, doctree)
        finally:
            for node, children in hidden:
                node.children = children


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Sphinx 8.1: wrap the indexer's ``feed`` once it exists (it is made before writing starts)."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None and not isinstance(indexer.feed, FeedWithoutMarked):
        indexer.feed = FeedWithoutMarked(indexer.feed)


def setup_search(app: Sphinx) -> None:
    if not NATIVE:
        app.connect("doctree-resolved", on_doctree_resolved)
