"""Related callables: a placeholder at read time, links at write time.

The directive inserts a :class:`related_placeholder`. The links it stands for
(to the other callables of the same module that the build shows, made with
``make_refnode`` through the domain, so they are right in every builder) are
made as late as the builder allows: by the translator, as it reaches the
placeholder, for the builders whose formats have one (:data:`VISITORS`); else
by :class:`RelatedCallables`, a post-transform. A list has a link to every other
callable of its module, so a module of *n* callables gives *n* - 1 links on each
of *n* pages: under ``-j``, Sphinx resolves every document before its writers
are done with them, and a placeholder holds that many links in a few bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import CodeExamplesDomain, ShownCallable
from .i18n import _, format_nodes
from .search import NO_SEARCH

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxTranslator

    from ..model import CallableName


class related_placeholder(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where a related-callables list goes; replaced before any builder writes."""


def make_placeholder(dotted: str, module: str, docname: str) -> related_placeholder:
    return related_placeholder("", dotted=dotted, module=module, docname=docname)


def index_node(callable_name: CallableName, anchor: str) -> addnodes.index:
    """The general-index entry of a shown callable.

    A single top-level entry: Sphinx orders sub-entries case-insensitively with no
    tie-break, so ``module; Session`` and ``module; session`` would swap places
    between serial and parallel builds. Grouping by module is the domain index's job.
    """
    name, module = callable_name.name, callable_name.module
    entries: list[tuple[str, str, str, str, str | None]] = [
        # Translators: an entry of the general index: a callable's name and its module.
        ("single", _("{name} ({module} code examples)").format(name=name, module=module), anchor, "", None),
    ]
    return addnodes.index(entries=entries, inline=False)


def remove_keeping_anchors(node: Element) -> None:
    """Remove a placeholder that turned out empty, keeping the anchors it holds.

    Docutils moves the ids of a target onto the next element: the directive's
    anchor lands on a placeholder when no intro follows it (``:no-intro:``). They
    go on to the next element, else to a target in the placeholder's place, so
    the links to the shown callable (indexes, related lists) still arrive.
    """
    parent = node.parent
    following = node.next_node(descend=False, siblings=True)
    if not node["ids"]:
        parent.remove(node)
    elif isinstance(following, nodes.Element) and not isinstance(following, nodes.Invisible):
        following["ids"].extend(node["ids"])
        following["names"].extend(node["names"])
        parent.remove(node)
    else:
        node.replace_self(nodes.target("", "", ids=node["ids"], names=node["names"]))


def visit_placeholder(translator: SphinxTranslator, node: Element) -> None:
    """Put the links in the placeholder's place and translate them; the placeholder itself is skipped."""
    replacement = related_list(node, translator.builder)
    if replacement:
        node.replace_self(replacement)  # in the tree: translators look at a node's parent
        for new in replacement:
            new.walkabout(translator)
    raise nodes.SkipNode


#: ``app.add_node`` keyword arguments: the formats whose translators make the links.
VISITORS: dict[str, Any] = {
    format_name: (visit_placeholder, None) for format_name in ("html", "latex", "text", "man", "texinfo")
}


def quiet_xref(domain: str, reftype: str, target: str, text: str, docname: str) -> addnodes.pending_xref:
    """A cross-reference shown as *text* in code style, that stays text (no warning) when unresolved."""
    xref = addnodes.pending_xref(
        "",
        refdomain=domain,
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        refwarn=False,
        refdoc=docname,
    )
    xref += nodes.literal(text, text, classes=["xref", domain])
    return cast("addnodes.pending_xref", xref)


def related_nodes(
    groups: list[tuple[str, list[ShownCallable]]], link: Callable[[ShownCallable], nodes.Node]
) -> list[nodes.Node]:
    """One paragraph per module group: ``More examples from module: a, b, c``."""
    if not groups:
        return []
    # Navigation, like a sidebar: out of the search index, or every sibling's name would find every page.
    container = nodes.container(classes=["codeexamples-related", NO_SEARCH])
    for module, records in groups:
        paragraph = nodes.paragraph(classes=["codeexamples-related-module"])
        links: list[nodes.Node] = []
        for position, record in enumerate(records):
            if position:
                # Translators: between two links of a related list.
                links.append(nodes.Text(_(", ")))
            links.append(link(record))
        # Translators: {module} is a module name (shown as code), {links} the links to its callables.
        template = _("More code examples from {module}: {links}.")
        paragraph.extend(format_nodes(template, module=nodes.literal(module, module), links=links))
        container += paragraph
    return [container]


class RelatedCallables(SphinxPostTransform):
    """Expand each :class:`related_placeholder` into links, or remove it when it has none.

    Where the builder's translators have :func:`visit_placeholder` (:data:`VISITORS`),
    a placeholder with links is left to them; one without is removed either way.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        builder = _builder(self.env)
        late = _translator_makes_links(self.env, builder)
        for node in list(self.document.findall(related_placeholder)):
            if late:
                if not related_groups(node, self.env):
                    remove_keeping_anchors(node)
                continue
            replacement = related_list(node, builder)
            if replacement:
                node.replace_self(replacement)
            else:
                remove_keeping_anchors(node)


def related_groups(node: Element, env: BuildEnvironment) -> list[tuple[str, list[ShownCallable]]]:
    """The module groups of the related list that *node* stands for (none when lists are off)."""
    domain = _domain(env)
    if not domain.settings.related:
        return []
    return domain.related(node["dotted"], node["module"], domain.settings.related_parent)


def related_list(node: Element, builder: Builder) -> list[nodes.Node]:
    """The nodes of the related list that *node* stands for, linked for *builder*."""
    groups = related_groups(node, builder.env)
    return related_nodes(groups, partial(_link, _domain(builder.env), builder, node["docname"]))


def _link(domain: CodeExamplesDomain, builder: Builder, docname: str, record: ShownCallable) -> nodes.Node:
    text = record.short_name
    contnode = nodes.literal(text, text, classes=["xref", "codeexamples"])
    try:
        return domain.reference(builder, docname, record, contnode, record.dotted)
    except NoUri:
        return contnode


def _domain(env: BuildEnvironment) -> CodeExamplesDomain:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    return domain


def _translator_makes_links(env: BuildEnvironment, builder: Builder) -> bool:
    """Whether *builder*'s translators get :func:`visit_placeholder`: Sphinx gives them the handlers
    registered for the builder's name if any, else those for its format (read, never changed)."""
    handlers = _app(env).registry.translation_handlers
    chosen = handlers.get(builder.name)
    if chosen is None:
        chosen = handlers.get(builder.format, {})
    return related_placeholder.__name__ in chosen


def _builder(env: BuildEnvironment) -> Builder:
    return _app(env).builder


def _app(env: BuildEnvironment) -> Sphinx:
    """*env*'s application: Sphinx 9 deprecates ``SphinxTransform.app`` and its own post-transforms
    read ``env._app`` (``env.app`` before 8.2); pinned by the related-list tests."""
    app: Sphinx = getattr(env, "_app", None) or env.app
    return app
