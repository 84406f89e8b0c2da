"""The ``:callable-example:`` role: a link to the page that shows a callable's examples.

It produces a ``pending_xref`` (domain ``codeexamples``, type ``callable``) that
the domain resolves; an unresolved one is reported by
:func:`.events.on_warn_missing_reference` with a ``codeexamples`` warning, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole

if TYPE_CHECKING:
    from docutils.nodes import Element, system_message
    from sphinx.environment import BuildEnvironment


class CallableExampleRole(XRefRole):
    """``:callable-example:`sqlalchemy.orm.object_session``` (also ``:codeexamples:callable:``)."""

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.literal, warn_dangling=True)

    def run(self) -> tuple[list[nodes.Node], list[system_message]]:
        # Registered both as a standard role and in the domain: always the domain's type.
        self.refdomain, self.reftype = "codeexamples", "callable"
        self.classes = ["xref", "codeexamples", "codeexamples-callable"]
        if self.disabled:
            return self.create_non_xref_node()
        return self.create_xref_node()

    def process_link(
        self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        title, target = super().process_link(env, refnode, has_explicit_title, title, target.strip())
        from .domain import CodeExamplesDomain  # the domain module imports this one

        domain = env.domains["codeexamples"]
        if isinstance(domain, CodeExamplesDomain):
            domain.note_reference(env.docname, target)
        return title, target
