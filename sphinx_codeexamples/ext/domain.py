"""The ``codeexamples`` domain: which document shows which callable.

Per-document data are small records keyed by docname, cleared per docname and
merged only for the docnames a parallel reader hands over. The store index is
set by the main process before reading (see :mod:`.events`) and never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from sphinx.domains import Domain, ObjType
from sphinx.util.nodes import make_refnode

from ..store import StoreIndex
from .config import Settings

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class ShownCallable(NamedTuple):
    """A callable shown by a ``callable-example`` directive in one document."""

    dotted: str
    docname: str
    anchor: str
    store_path: str


class CodeExamplesDomain(Domain):
    name = "codeexamples"
    label = "Code examples"
    object_types: ClassVar[dict[str, ObjType]] = {"callable": ObjType("callable example", "callable")}
    initial_data: ClassVar[dict[str, Any]] = {
        "shown": {},  # docname -> list[ShownCallable]
        "lookups": {},  # docname -> set of dotted names the document asked for
        "settings": Settings(),
        "index": StoreIndex((), {}, ()),
    }

    @property
    def shown(self) -> dict[str, list[ShownCallable]]:
        return self.data["shown"]  # type: ignore[no-any-return]

    @property
    def lookups(self) -> dict[str, set[str]]:
        return self.data["lookups"]  # type: ignore[no-any-return]

    @property
    def settings(self) -> Settings:
        return self.data["settings"]  # type: ignore[no-any-return]

    @property
    def index(self) -> StoreIndex:
        return self.data["index"]  # type: ignore[no-any-return]

    def note_lookup(self, docname: str, dotted: str) -> None:
        self.lookups.setdefault(docname, set()).add(dotted)

    def note_shown(self, record: ShownCallable) -> None:
        self.shown.setdefault(record.docname, []).append(record)

    def docs_looking_up(self, names: Set[str]) -> set[str]:
        """Documents that asked for any of *names*."""
        return {docname for docname, asked in self.lookups.items() if asked & names}

    def iter_shown(self) -> Iterator[ShownCallable]:
        """Every shown callable, sorted by docname then order of appearance."""
        for docname in sorted(self.shown):
            yield from self.shown[docname]

    def find(self, dotted: str) -> ShownCallable | None:
        """The first document (by docname) that shows *dotted*."""
        return next((record for record in self.iter_shown() if record.dotted == dotted), None)

    def clear_doc(self, docname: str) -> None:
        self.shown.pop(docname, None)
        self.lookups.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["shown"]:
                self.shown[docname] = otherdata["shown"][docname]
            if docname in otherdata["lookups"]:
                self.lookups[docname] = otherdata["lookups"][docname]

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for record in self.iter_shown():
            yield record.dotted, record.dotted, "callable", record.docname, record.anchor, 1

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        record = self.find(target)
        if record is None:
            return None
        return make_refnode(builder, fromdocname, record.docname, record.anchor, contnode, target)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, Element]]:
        found = self.resolve_xref(env, fromdocname, builder, "callable", target, node, contnode)
        return [("codeexamples:callable", found)] if found is not None else []
