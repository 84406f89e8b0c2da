"""Linked names in example code: found while reading, resolved for each page written.

While reading, :func:`names_by_hunk` finds the names of an example's code
(:mod:`sphinx_codeexamples.extract.names`, static) and the rendered blocks carry
them; :func:`on_doctree_read` notes, per document, which dotted names its blocks
want. When a page is written (``doctree-resolved``, in the main process, also
under ``-j``), :class:`NameResolver` asks Sphinx where each name is documented:

1. the Python domain (``py:obj``, exact name), for the name and the other names
   of the same callable that the store knows (its page's name and aliases);
2. the ``missing-reference`` event, which intersphinx answers from inventories;
3. the ``codeexamples`` domain: the callable's example page, unless it is the
   page being written.

A name that resolves nowhere stays text, without a warning. The URIs come from
the builder, so they are right in html, dirhtml, singlehtml and epub.

:func:`on_env_get_updated` re-writes the pages whose names now resolve elsewhere
(a target moved, appeared or vanished), also when those pages were not re-read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.errors import NoUri

from ..extract.names import names_in
from ..model import Example
from .domain import CodeExamplesDomain
from .highlight import Link, Name, PackedNames, block_names, linked_literal_block, pack_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The languages whose code is read as Python (``pycon`` sessions are not).
PYTHON = frozenset({"python", "python3", "py", "py3"})


def names_by_hunk(example: Example) -> Mapping[int, PackedNames]:
    """The names found in each hunk of *example* (by the hunk's index among the hunks)."""
    hunks = tuple(hunk.text for hunk in example.hunks)
    if example.language.lower() not in PYTHON or not hunks or hunks[0].lstrip().startswith(">>>"):
        return {}
    return _names(hunks)


@lru_cache(maxsize=256)
def _names(hunks: tuple[str, ...]) -> dict[int, PackedNames]:
    """The names of some code, once per process (an example may be shown on several pages).

    They are packed and their texts interned: Sphinx keeps every document's tree in
    memory between reading and writing, and the same few names recur in every block.
    """
    found: dict[int, list[Name]] = {}
    for use in names_in(hunks):
        name = (use.line, use.column, use.end, sys.intern(use.text), sys.intern(use.dotted))
        found.setdefault(use.hunk, []).append(name)
    return {index: pack_names(names) for index, names in found.items()}


def clear_cache() -> None:
    """Forget the memoised names (once every page is read, before writing)."""
    _names.cache_clear()


def _domain(env: BuildEnvironment) -> CodeExamplesDomain:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    return domain


def _enabled(app: Sphinx) -> bool:
    return app.builder.format == "html" and bool(app.config.codeexamples_link_names)


class NameResolver:
    """Dotted names -> URIs relative to the page *docname*, through Sphinx's own resolution.

    Which resolver answers for a name, and under which spelling, does not depend on
    the page (the Python domain is asked without a module context), only the URI
    does. So the first page that resolves a name notes the answer in the domain's
    :attr:`~.CodeExamplesDomain.resolved_by` for the rest of the build, and other
    pages ask that resolver alone; a name that resolves nowhere (a variable's
    attribute, an undocumented library) is noted as ``None`` and not asked about again.
    """

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.app = app
        self.env = app.env
        self.docname = docname
        self.ours = _domain(app.env)
        self.cache: dict[str, str | None] = {}
        self.resolvers = {
            "py": self._python,
            "missing-reference": self._missing_reference,
            "codeexamples": self._example_page,
        }

    def uri(self, dotted: str) -> str | None:
        if dotted not in self.cache:
            self.cache[dotted] = self._resolve(dotted)
        return self.cache[dotted]

    def _resolve(self, dotted: str) -> str | None:
        known = self.ours.resolved_by
        if dotted in known:
            how = known[dotted]
            return self.resolvers[how[0]](how[1]) if how is not None else None
        candidates = self._candidates(dotted)
        for how in candidates:
            uri = self.resolvers[how[0]](how[1])
            if uri:
                known[dotted] = how
                return uri
        if all(resolver != "codeexamples" for resolver, _ in candidates):
            known[dotted] = None  # nowhere, from any page (an example page links from all but its own)
        return None

    def _candidates(self, dotted: str) -> list[tuple[str, str]]:
        """(resolver, spelling) pairs in the order they are tried."""
        entry = self.ours.index.lookup(dotted)
        spellings = [dotted]
        if entry is not None and entry.name is not None:
            spellings.extend(name for name in (entry.name, *entry.aliases) if name != dotted)
        found = [(resolver, name) for resolver in ("py", "missing-reference") for name in spellings]
        shown = entry.name if entry is not None and entry.name else dotted
        if self.ours.find(shown) is not None:
            found.append(("codeexamples", shown))
        return found

    def _xref(self, name: str) -> tuple[pending_xref, nodes.literal]:
        contnode = nodes.literal(name, name)
        node = pending_xref(
            "",
            contnode,
            refdomain="py",
            reftype="obj",
            reftarget=name,
            refexplicit=True,
            refwarn=False,
            refdoc=self.docname,
        )
        return node, contnode

    def _python(self, name: str) -> str | None:
        node, contnode = self._xref(name)
        domain = self.env.domains["py"]
        try:
            found = domain.resolve_xref(self.env, self.docname, self.app.builder, "obj", name, node, contnode)
        except NoUri:
            return None
        return _uri_of(found)

    def _missing_reference(self, name: str) -> str | None:
        node, contnode = self._xref(name)
        try:
            found = self.app.emit_firstresult(
                "missing-reference", self.env, node, contnode, allowed_exceptions=(NoUri,)
            )
        except NoUri:
            return None
        return _uri_of(found)

    def _example_page(self, dotted: str) -> str | None:
        record = self.ours.find(dotted)
        if record is None or record.docname == self.docname:
            return None
        contnode = nodes.literal(dotted, dotted)
        try:
            found = self.ours.reference(self.app.builder, self.docname, record, contnode, dotted)
        except NoUri:
            return None
        return _uri_of(found)


def _uri_of(node: Any) -> str | None:
    """The URI of a resolved reference; singlehtml's ``#document-x#anchor`` keeps its last part."""
    if not isinstance(node, nodes.reference):
        return None
    uri = node.get("refuri") or (f"#{node['refid']}" if node.get("refid") else "")
    if uri.count("#") > 1:
        uri = "#" + uri.rpartition("#")[2]
    return uri or None


def resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each linked block of *doctree* the links of its names, for the page *docname*."""
    resolver: NameResolver | None = None
    for block in doctree.findall(linked_literal_block):
        resolver = resolver or NameResolver(app, docname)
        links: list[Link] = []
        for line, column, end, text, dotted in block_names(block):
            uri = resolver.uri(dotted)
            if uri:
                links.append((line, column, end, text, dotted, uri))
        block["links"] = links


def linked_names(blocks: Iterable[linked_literal_block]) -> set[str]:
    """The dotted names of the names in *blocks*."""
    return {name[4] for block in blocks for name in block_names(block)}


# -- events ---------------------------------------------------------------------------------------


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Note which dotted names the document's code blocks link (for :func:`on_env_get_updated`)."""
    wanted = linked_names(doctree.findall(linked_literal_block))
    if wanted:
        _domain(app.env).note_linked(app.env.docname, wanted)


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if _enabled(app):
        resolve_links(app, doctree, docname)


def on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to re-write because one of their names now resolves to another place (or none).

    Names resolve to what documents describe: when no document was read or removed
    since the last build, they resolve as they did, and are not asked about again
    (as for Sphinx's own cross-references, a refreshed intersphinx inventory alone
    re-writes nothing).
    """
    domain = _domain(env)
    domain.resolved_by = {}  # what resolves is known once reading is over
    if not _enabled(app):
        return []
    read = dict(env.all_docs)  # docname -> when it was read
    if domain.data.get("links_read") == read and "link_targets" in domain.data:
        return []
    domain.data["links_read"] = read
    names = set().union(*domain.linked.values()) if domain.linked else set()
    resolver = NameResolver(app, app.config.root_doc)
    new = {name: resolver.uri(name) for name in names}
    old: dict[str, str | None] = domain.data.get("link_targets", {})
    domain.data["link_targets"] = new
    changed = {name for name in names if old.get(name, "") != new[name]}
    return sorted(domain.docs_linking(changed) & env.found_docs)
