"""The ``codeexamples`` domain: which document shows which callable.

Per-document data are small records keyed by docname, cleared per docname and
merged only for the docnames a parallel reader hands over. The store index is
set by the main process before reading (see :mod:`.events`) and never merged.

The cross-page maps (dotted name -> record, module -> sorted records) are
derived from the records on demand, cached on the domain object and dropped
whenever the records change; they are never stored or merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.util.nodes import make_refnode

from ..store import StoreIndex
from ..store.index import IndexEntry as StoreEntry
from .config import Settings
from .i18n import _
from .role import CallableExampleRole

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

    @property
    def module_name(self) -> str:
        """``a.b`` of ``a.b.c`` (store names are dotted identifiers, so this is exact)."""
        return self.dotted.rpartition(".")[0]

    @property
    def short_name(self) -> str:
        return self.dotted.rpartition(".")[2]


#: What other pages see of one shown callable: (module, docname, anchor).
Target = tuple[str, str, str]


def sort_key(record: ShownCallable) -> tuple[str, str]:
    """Case-insensitive order that still keeps ``Session`` and ``session`` apart (and stable)."""
    return record.short_name.casefold(), record.short_name


def parent_module(module: str) -> str:
    return module.rpartition(".")[0]


@dataclass(frozen=True)
class _Derived:
    by_dotted: dict[str, ShownCallable]
    by_module: dict[str, tuple[ShownCallable, ...]]


class CallablesIndex(Index):
    """Every documented callable, one heading per module (``codeexamples-callables``)."""

    name = "callables"
    localname = _("Code examples by module")
    shortname = _("code examples")

    def generate(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain = cast("CodeExamplesDomain", self.domain)
        wanted = set(docnames) if docnames is not None else None
        content: list[tuple[str, list[IndexEntry]]] = []
        by_module = domain.by_module()
        for module in sorted(by_module, key=lambda name: (name.casefold(), name)):
            entries = [
                IndexEntry(record.short_name, 0, record.docname, record.anchor, "", "", "")
                for record in by_module[module]
                if wanted is None or record.docname in wanted
            ]
            if entries:
                content.append((module, entries))
        return content, False


class CodeExamplesDomain(Domain):
    name = "codeexamples"
    label = _("Code examples")
    object_types: ClassVar[dict[str, ObjType]] = {"callable": ObjType(_("callable example"), "callable")}
    roles: ClassVar[dict[str, Any]] = {"callable": CallableExampleRole()}
    indices: ClassVar[list[type[Index]]] = [CallablesIndex]
    initial_data: ClassVar[dict[str, Any]] = {
        "shown": {},  # docname -> list[ShownCallable]
        "lookups": {},  # docname -> set of dotted names the document asked for
        "references": {},  # docname -> set of dotted names its roles link to
        "api": {},  # docname -> list of autodoc.ApiEntry (Python entries and what they showed)
        "linked": {},  # docname -> set of dotted names named in its code (see .links)
        "settings": Settings(),
        "index": StoreIndex((), {}, ()),
        "targets": {},  # dotted -> Target as the last build saw them (main process only)
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._derived: _Derived | None = None
        #: Dotted names in code -> how they resolve in this build: (resolver, spelling), or
        #: None for nowhere (main process, see .links).
        self.resolved_by: dict[str, tuple[str, str] | None] = {}

    @property
    def shown(self) -> dict[str, list[ShownCallable]]:
        return self.data["shown"]  # type: ignore[no-any-return]

    @property
    def lookups(self) -> dict[str, set[str]]:
        return self.data["lookups"]  # type: ignore[no-any-return]

    @property
    def references(self) -> dict[str, set[str]]:
        return self.data.setdefault("references", {})  # type: ignore[no-any-return]

    @property
    def api_entries(self) -> dict[str, list[Any]]:
        """docname -> the Python entries it documents (:class:`.autodoc.ApiEntry`)."""
        return self.data.setdefault("api", {})  # type: ignore[no-any-return]

    @property
    def linked(self) -> dict[str, set[str]]:
        return self.data.setdefault("linked", {})  # type: ignore[no-any-return]

    @property
    def settings(self) -> Settings:
        return self.data["settings"]  # type: ignore[no-any-return]

    @property
    def index(self) -> StoreIndex:
        return self.data["index"]  # type: ignore[no-any-return]

    # -- the store, by any name ----------------------------------------------------

    def lookup(self, dotted: str) -> StoreEntry | None:
        """The store page for *dotted*, spelled any way the build knows.

        ``codeexamples_aliases`` first (its target may itself be any name the
        store knows), then the page names and the pages' own aliases. The one
        lookup for everything that finds a page by a name a writer spelled.
        """
        configured = self.settings.alias_map.get(dotted)
        if configured is not None:
            entry = self.index.lookup(configured)
            if entry is not None:
                return entry
        return self.index.lookup(dotted)

    def canonical(self, dotted: str) -> str | None:
        """The name *dotted*'s page is filed under, or None when no page knows it."""
        entry = self.lookup(dotted)
        return entry.name if entry is not None else None

    def known_names(self) -> set[str]:
        """Every name a lookup can find (for "did you mean" hints)."""
        return {*self.index.by_name, *self.index.aliases, *self.settings.alias_map}

    # -- recording (while reading) ------------------------------------------------

    def note_lookup(self, docname: str, dotted: str) -> None:
        self.lookups.setdefault(docname, set()).add(dotted)

    def note_reference(self, docname: str, dotted: str) -> None:
        self.references.setdefault(docname, set()).add(dotted)

    def note_api_entry(self, docname: str, entry: Any) -> None:
        self.api_entries.setdefault(docname, []).append(entry)

    def note_linked(self, docname: str, names: set[str]) -> None:
        self.linked[docname] = names

    def note_shown(self, record: ShownCallable) -> None:
        self.shown.setdefault(record.docname, []).append(record)
        self._derived = None

    def clear_doc(self, docname: str) -> None:
        if self.shown.pop(docname, None) is not None:
            self._derived = None
        self.lookups.pop(docname, None)
        self.references.pop(docname, None)
        self.api_entries.pop(docname, None)
        self.linked.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["shown"]:
                self.shown[docname] = otherdata["shown"][docname]
            if docname in otherdata["lookups"]:
                self.lookups[docname] = otherdata["lookups"][docname]
            if docname in otherdata.get("references", {}):
                self.references[docname] = otherdata["references"][docname]
            if docname in otherdata.get("api", {}):
                self.api_entries[docname] = otherdata["api"][docname]
            if docname in otherdata.get("linked", {}):
                self.linked[docname] = otherdata["linked"][docname]
        self._derived = None

    # -- derived maps (computed once, dropped when the records change) ------------

    def _maps(self) -> _Derived:
        if self._derived is None:
            by_dotted: dict[str, ShownCallable] = {}
            for record in self.iter_shown():
                by_dotted.setdefault(record.dotted, record)
            grouped: dict[str, list[ShownCallable]] = {}
            for record in by_dotted.values():
                grouped.setdefault(record.module_name, []).append(record)
            by_module = {module: tuple(sorted(records, key=sort_key)) for module, records in grouped.items()}
            self._derived = _Derived(by_dotted, by_module)
        return self._derived

    def docs_looking_up(self, names: Set[str]) -> set[str]:
        """Documents that asked for any of *names*."""
        return {docname for docname, asked in self.lookups.items() if asked & names}

    def docs_referencing(self, names: Set[str]) -> set[str]:
        """Documents whose roles link to any of *names*."""
        return {docname for docname, linked in self.references.items() if linked & names}

    def docs_linking(self, names: Set[str]) -> set[str]:
        """Documents whose code links any of *names*."""
        return {docname for docname, linked in self.linked.items() if linked & names}

    def iter_shown(self) -> Iterator[ShownCallable]:
        """Every shown callable, sorted by docname then order of appearance."""
        for docname in sorted(self.shown):
            yield from self.shown[docname]

    def find(self, dotted: str) -> ShownCallable | None:
        """The first document (by docname) that shows *dotted*."""
        return self._maps().by_dotted.get(dotted)

    def by_module(self) -> dict[str, tuple[ShownCallable, ...]]:
        """Module -> the callables of that module the build documents, sorted, one per name."""
        return self._maps().by_module

    def siblings(self, module: str) -> tuple[ShownCallable, ...]:
        return self._maps().by_module.get(module, ())

    def related(self, dotted: str, module: str, parent: bool) -> list[tuple[str, list[ShownCallable]]]:
        """``(module, callables)`` groups to list beside *dotted*: its module, then its parent package."""
        groups: list[tuple[str, list[ShownCallable]]] = []
        modules = [module, parent_module(module)] if parent else [module]
        for name in modules:
            records = [record for record in self.siblings(name) if record.dotted != dotted]
            if name and records:
                groups.append((name, records))
        return groups

    def targets(self) -> dict[str, Target]:
        """What other pages can see of every shown callable, for change detection."""
        return {
            dotted: (record.module_name, record.docname, record.anchor)
            for dotted, record in self._maps().by_dotted.items()
        }

    def docs_showing(self, modules: Set[str], children: bool) -> set[str]:
        """Documents showing a callable of *modules* (or, with *children*, of a module directly below)."""
        found: set[str] = set()
        for docname, records in self.shown.items():
            for record in records:
                module = record.module_name
                if module in modules or (children and parent_module(module) in modules):
                    found.add(docname)
                    break
        return found

    # -- cross-references, objects.inv and the search index ------------------------

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for dotted, record in sorted(self._maps().by_dotted.items()):
            yield dotted, dotted, "callable", record.docname, record.anchor, 1

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
        record = self.find(target) or self.find(self.canonical(target) or "")
        if record is None:
            return None
        return self.reference(builder, fromdocname, record, contnode, target)

    def reference(
        self, builder: Builder, fromdocname: str, record: ShownCallable, contnode: Element, title: str
    ) -> Element:
        """A reference from *fromdocname* to where *record* is shown (raises ``NoUri`` where the
        builder has no URI for it)."""
        refnode = make_refnode(builder, fromdocname, record.docname, record.anchor, contnode, title)
        uri = refnode.get("refuri", "")
        if uri.count("#") > 1:  # singlehtml: "#document-x#anchor" is one page, so just "#anchor"
            refnode["refuri"] = "#" + uri.rpartition("#")[2]
        return refnode

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
