"""Examples under API entries (``codeexamples_autodoc``).

At ``object-description-transform`` every Python object description, written by
autodoc or by hand (``py:function``, ``py:class``, ``py:method``, ...), whose
name the store knows gets a compact block *inside* its entry: after the
docstring and the field lists, before the entries of its members. The names
tried are the documented full name of each signature, its ``:canonical:`` name
and, through the store index, every alias a page lists.

The block is a rubric (never a section: nothing reaches the table of contents
or the PDF outline), one line of provenance and the code of the first
``codeexamples_autodoc_max`` examples in :func:`rank` order, up to
``codeexamples_autodoc_more`` more behind a "More examples" disclosure (HTML
``<details>``, a plain list elsewhere) and a link to the callable's full example
page when the build has one. The full page links back to the API entry.

Every name an entry looked up is recorded (``note_lookup``), so adding, editing
or removing a store page re-reads exactly the documents it concerns; what each
entry showed is kept per document for the coverage report (:mod:`.coverage`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.python import ObjectEntry, PythonDomain
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..model import Example, Hunk, Page
from ..problems import ProblemCode
from ..store.index import IndexEntry as StoreEntry
from .config import Settings
from .domain import CodeExamplesDomain
from .i18n import _, format_nodes
from .links import names_by_hunk
from .logging import warn
from .markdown import LinkPolicy
from .related import quiet_xref, remove_keeping_anchors
from .render import ELISION_MARK, RenderOptions, hunk_block

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxTranslator

#: After autodoc's type-hint merge (500), which may add the entry's field list.
PRIORITY = 600
#: Object types the coverage report counts as documented callables.
CALLABLE_TYPES = frozenset(
    {
        "function",
        "class",
        "exception",
        "method",
        "classmethod",
        "staticmethod",
        "decorator",
        "decoratormethod",
    }
)
#: Forges whose file URLs take a ``#L<line>`` fragment.
_LINE_FRAGMENT_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org"})


class ApiEntry(NamedTuple):
    """One documented Python object: its first full name, the store pages with examples of it
    (shown in the entry when ``codeexamples_autodoc`` is on) and where it is written."""

    dotted: str
    objtype: str
    shown: tuple[str, ...]
    source: str
    line: int | None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line or ''}"


def _python_objects(env: BuildEnvironment) -> dict[str, ObjectEntry]:
    domain = env.domains["py"]
    assert isinstance(domain, PythonDomain)
    return domain.objects


def _domain(env: BuildEnvironment) -> CodeExamplesDomain:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    return domain


# -- names ------------------------------------------------------------------------


def documented_names(env: BuildEnvironment, desc: addnodes.desc) -> list[str]:
    """The full names of *desc*'s signatures, each followed by its ``:canonical:`` name.

    A signature that failed to parse has no ``fullname``; it is skipped. Several
    signatures (overloads) give one name once.
    """
    names: list[str] = []
    for signature in desc.children:
        if not isinstance(signature, addnodes.desc_signature):
            continue
        fullname = signature.get("fullname")
        if not fullname:
            continue
        module = signature.get("module")
        dotted = f"{module}.{fullname}" if module else str(fullname)
        spellings = [dotted, *_canonical_names(env, dotted, signature.get("ids", ()))]
        spellings += _member_spellings(env, module, str(fullname), signature.get("class"))
        for name in spellings:
            if name not in names:
                names.append(name)
    return names


def _member_spellings(env: BuildEnvironment, module: str | None, fullname: str, cls: str | None) -> list[str]:
    """A member's name under each ``:canonical:`` name of its class (the class's entry is noted
    before its members are parsed): ``pkg.Class.meth`` is also ``pkg.impl.Class.meth``."""
    if not cls or not fullname.startswith(cls + "."):
        return []
    class_dotted = f"{module}.{cls}" if module else cls
    entry = _python_objects(env).get(class_dotted)
    if entry is None or entry.docname != env.docname:
        return []
    member = fullname[len(cls) + 1 :]
    return [f"{alias}.{member}" for alias in _canonical_names(env, class_dotted, [entry.node_id])]


def member_store_spellings(names: Sequence[str], lookup: Callable[[str], StoreEntry | None]) -> list[str]:
    """A member's name under every store name of its class (``pkg.Class.meth`` when the store
    files ``pkg.Class`` as ``pkg.impl.Class``), for members the store files under that name."""
    found: list[str] = []
    for name in names:
        owner, _, member = name.rpartition(".")
        entry = lookup(owner) if owner else None
        if entry is None or entry.name is None:
            continue
        for spelling in (entry.name, *entry.aliases):
            candidate = f"{spelling}.{member}"
            if candidate not in names and candidate not in found:
                found.append(candidate)
    return found


def _canonical_names(env: BuildEnvironment, dotted: str, ids: Sequence[str]) -> list[str]:
    """The names the Python domain registered as aliases of *dotted*'s target (``:canonical:``).

    The domain keeps no link from an object to its canonical name, only a second
    entry with the same node id, noted right after the object's own. So the newest
    entries are walked back to *dotted*'s own (at most the entry's members lie in
    between), stopping at any entry of another document.
    """
    if not ids:
        return []
    objects = _python_objects(env)
    docname = env.docname
    found: list[str] = []
    for name in reversed(objects):
        entry = objects[name]
        if name == dotted or entry.docname != docname:
            break
        if entry.aliased and entry.node_id in ids:
            found.append(name)
    return found


def excluded(names: Iterable[str], patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns)


# -- order ------------------------------------------------------------------------


def _is_import(line: str) -> bool:
    text = line.strip()
    return text.startswith("import ") or (text.startswith("from ") and " import " in text)


def _use_lines(hunk: Hunk) -> list[int]:
    """The marked lines of *hunk* (0-based) that are more than an import of the callable."""
    lines = hunk.lines  # split from the hunk's text: once
    return [index for index in hunk.marked if index < len(lines) and not _is_import(lines[index])]


def used_hunk(example: Example) -> Hunk | None:
    """What an API entry shows of *example*: its first hunk that uses the callable (the
    enclosing function or class of the first use), passing over hunks that only import it."""
    hunks = example.hunks
    marked = [hunk for hunk in hunks if hunk.marked]
    return next(
        (hunk for hunk in marked if _use_lines(hunk)), marked[0] if marked else hunks[0] if hunks else None
    )


def code_lines(example: Example) -> int:
    """The size of what an API entry shows of *example*."""
    hunk = used_hunk(example)
    return hunk.size if hunk is not None else 0


def rank(examples: Iterable[Example]) -> list[Example]:
    """Examples in rank order: one per project before a second from the same project.

    Within each round, the example with fewer code lines (the smaller enclosing
    item) comes first; ties keep the store's order (example number, then project).
    """
    by_size = sorted(examples, key=lambda example: (code_lines(example), example.number, example.project))
    seen: dict[str, int] = {}
    keyed: list[tuple[int, int, Example]] = []
    for position, example in enumerate(by_size):
        project = example.project.casefold()
        keyed.append((seen.get(project, 0), position, example))
        seen[project] = seen.get(project, 0) + 1
    return [example for _, _, example in sorted(keyed, key=lambda item: item[:2])]


def _identity(example: Example) -> tuple[str, str | None, tuple[str, ...]]:
    """What makes two examples the same (two pages may carry one snippet)."""
    return example.project, example.source_url, tuple(hunk.text for hunk in example.hunks)


# -- nodes ------------------------------------------------------------------------


class more_examples(nodes.General, nodes.Element):  # type: ignore[misc]
    """A disclosure of further examples: ``<details>`` in HTML, a plain list elsewhere."""


class examples_link(nodes.General, nodes.Element):  # type: ignore[misc]
    """A link, made by :class:`ExampleLinks` when its target exists, to the full example page
    (``kind='examples'``) or to the API entry (``kind='api'``); removed when there is none."""


def visit_more_html(translator: SphinxTranslator, node: more_examples) -> None:
    body: list[str] = translator.body
    body.append(translator.starttag(node, "details", CLASS="codeexamples-more"))
    body.append(f"<summary>{translator.encode(node['summary'])}</summary>\n")


def depart_more_html(translator: SphinxTranslator, node: more_examples) -> None:
    translator.body.append("</details>\n")


def visit_skip(translator: SphinxTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def visit_children(translator: SphinxTranslator, node: nodes.Element) -> None:
    """Fallback when :func:`on_doctree_resolved` did not run: the children alone."""


def depart_nothing(translator: SphinxTranslator, node: nodes.Element) -> None:
    pass


_OTHER_FORMATS = ("latex", "text", "man", "texinfo")
#: ``app.add_node`` keyword arguments.
MORE_VISITORS: dict[str, Any] = {
    "html": (visit_more_html, depart_more_html),
    **{name: (visit_children, depart_nothing) for name in _OTHER_FORMATS},
}
LINK_VISITORS: dict[str, Any] = {name: (visit_skip, None) for name in ("html", *_OTHER_FORMATS)}


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Outside HTML, a disclosure becomes its summary as a paragraph and its examples below it."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(more_examples)):
        container = nodes.container(classes=["codeexamples-more"])
        title = nodes.paragraph(classes=["codeexamples-more-title"])
        title += nodes.strong(node["summary"], node["summary"])
        container += title
        container.extend(node.children)
        node.replace_self(container)


# -- rendering --------------------------------------------------------------------


def _first_marked_line(example: Example) -> int | None:
    hunk = used_hunk(example)
    if hunk is None or hunk.start is None or not hunk.marked:
        return None
    uses = _use_lines(hunk)
    return hunk.start + min(uses or hunk.marked)


def _file_label(example: Example) -> str:
    """``dir/file.py`` from the page's ``project / dir / file.py`` label (the project is said already)."""
    parts = [part.strip() for part in (example.source_label or "").split(" / ") if part.strip()]
    if len(parts) > 1 and parts[0].casefold() == example.project.casefold():
        parts = parts[1:]
    return "/".join(parts) or example.source_url or "source file"


def provenance(example: Example, policy: LinkPolicy) -> nodes.paragraph:
    """``From PROJECT: dir/file.py, line N (licence)``, the file and licence linked when known."""
    paragraph = nodes.paragraph(classes=["codeexamples-provenance"])
    line = _first_marked_line(example)
    label = _file_label(example)
    if line is not None:
        # Translators: a source file and the line of its first use of the callable.
        label = _("{file}, line {line}").format(file=label, line=line)
    url = policy.resolve(example.source_url) if example.source_url else None
    if url and line is not None and "#" not in url and urlsplit(url).netloc.lower() in _LINE_FRAGMENT_HOSTS:
        url = f"{url}#L{line}"
    source = nodes.reference(label, label, refuri=url) if url else nodes.Text(label)
    project = nodes.strong(example.project, example.project)
    licence = policy.resolve(example.links.license) if example.links.license else None
    if licence:
        # Translators: a link to the licence of the project an example comes from.
        word = str(_("licence"))
        # Translators: where an example comes from: {project} and {file} are links or names.
        template = _("From {project}: {file} ({licence})")
        values = {"licence": nodes.reference(word, word, refuri=licence)}
    else:
        # Translators: where an example comes from: {project} and {file} are links or names.
        template, values = _("From {project}: {file}"), {}
    paragraph.extend(format_nodes(str(template), project=project, file=source, **values))
    return paragraph


def _example_nodes(example: Example, policy: LinkPolicy, options: RenderOptions) -> list[nodes.Node]:
    """Provenance and the first use's hunk; the file's other uses are counted, not shown."""
    item = nodes.container(classes=["codeexamples-api-example"])
    item += provenance(example, policy)
    shown = used_hunk(example)
    if shown is not None:
        names = names_by_hunk(example).get(example.hunks.index(shown)) if options.link_names else None
        item += hunk_block(shown, example.language, options, names)
    others = sum(1 for hunk in example.hunks if _use_lines(hunk) and hunk is not shown)
    if others:
        note = nodes.paragraph(classes=["codeexamples-elision"])
        if others == 1:
            # Translators: a note under an example's code.
            text = _("used in one more place of this file")
        else:
            # Translators: a note under an example's code; {count} is 2 or more.
            text = _("used in {count} more places of this file").format(count=others)
        note += nodes.inline("", ELISION_MARK + text)
        item += note
    return [item]


def _policy(base_url: str, page: Page, example: Example) -> LinkPolicy:
    def on_unsafe(url: str) -> None:
        warn(ProblemCode.UNSAFE_LINK, f"unsafe link dropped: {url!r}", location=f"{page.path}:{example.line}")

    return LinkPolicy(base_url=base_url, on_unsafe=on_unsafe)


def api_block(pages: Sequence[Page], settings: Settings, docname: str) -> list[nodes.Node]:
    """The compact block for one entry, or nothing when its pages have no examples."""
    shown, more = settings.autodoc_max, settings.autodoc_more
    options = RenderOptions(search_code=settings.search_code, link_names=settings.link_names)
    owner: dict[int, Page] = {}
    unique: dict[tuple[str, str | None, tuple[str, ...]], Example] = {}
    for page in pages:
        for example in page.examples:
            if example.hunks and _identity(example) not in unique:
                unique[_identity(example)] = example
                owner[id(example)] = page
    ordered = rank(unique.values())
    if not ordered or shown + more == 0:
        return []
    block = nodes.container(classes=["codeexamples-api"])
    # Translators: the heading of the examples shown inside an API entry.
    rubric = str(_("Examples in the wild"))
    block += nodes.rubric(rubric, rubric, classes=["codeexamples-api-rubric"])

    def example_nodes(example: Example) -> list[nodes.Node]:
        policy = _policy(settings.base_url, owner[id(example)], example)
        return _example_nodes(example, policy, options)

    for example in ordered[:shown]:
        block.extend(example_nodes(example))
    extra = ordered[shown : shown + more]
    if extra:
        # Translators: the summary of a disclosure holding further examples.
        disclosure = more_examples(summary=str(_("More examples")))
        for example in extra:
            disclosure.extend(example_nodes(example))
        block += disclosure
    for page in pages:
        block += examples_link(kind="examples", target=page.dotted, count=len(page.examples), docname=docname)
    return [block]


def _insertion_index(content: addnodes.desc_content) -> int:
    """Before the first nested entry (and its index node), else at the end."""
    for position, child in enumerate(content.children):
        if isinstance(child, addnodes.desc):
            previous = content.children[position - 1] if position else None
            return position - 1 if isinstance(previous, addnodes.index) else position
    return len(content.children)


# -- the event handler ------------------------------------------------------------


def _location(desc: addnodes.desc, content: addnodes.desc_content, document: str) -> tuple[str, int | None]:
    """Where an entry is written: its signature's line in a hand-written directive; for autodoc
    (whose signatures have no source) the docstring, as Sphinx's own warnings say it."""
    signature = desc.children[0]
    if isinstance(signature, nodes.Element) and signature.source:
        return signature.source, signature.line
    for node in content.findall(nodes.Element):
        if node.source:
            return node.source, node.line
    return document, None


def _pages_for(env: BuildEnvironment, ours: CodeExamplesDomain, names: list[str]) -> list[Page]:
    """The store pages of an entry's *names* (and its members' other spellings), each once.

    Every name asked for is noted, found or not: a page for it, added later,
    re-reads this document.
    """
    docname = env.docname
    patterns = ours.settings.autodoc_exclude

    def lookup(name: str) -> StoreEntry | None:
        ours.note_lookup(docname, name)
        return ours.lookup(name)

    pages: list[Page] = []
    for name in [*names, *member_store_spellings(names, lookup)]:
        entry = lookup(name)
        if entry is None or entry.name is None or any(page.dotted == entry.name for page in pages):
            continue
        env.note_dependency(entry.path)
        page = entry.load()
        if page is not None and not excluded(page.names, patterns):
            pages.append(page)
    return pages


def on_object_description_transform(
    app: Sphinx, domain: str, objtype: str, contentnode: addnodes.desc_content
) -> None:
    if domain != "py":
        return
    env = app.env
    ours = _domain(env)
    settings = ours.settings
    desc = contentnode.parent
    if not (settings.autodoc or settings.coverage) or not isinstance(desc, addnodes.desc):
        return
    if desc.get("no-index") or desc.get("noindex") or desc.get("no-typesetting"):
        return
    names = documented_names(env, desc)
    if not names or excluded(names, settings.autodoc_exclude):
        return
    docname = env.docname
    pages = _pages_for(env, ours, names)
    with_examples = tuple(page.dotted for page in pages if any(example.hunks for example in page.examples))
    source, line = _location(desc, contentnode, str(env.doc2path(docname)))
    ours.note_api_entry(docname, ApiEntry(names[0], objtype, with_examples, source, line))
    if not settings.autodoc:
        return
    block = api_block(pages, settings, docname)
    if not block:
        return
    for page in pages:
        ours.note_reference(docname, page.dotted)
    for node in block:  # warnings about a node take the location of its nearest located parent
        if isinstance(node, nodes.Element):
            node.source, node.line = source, line
    contentnode.insert(_insertion_index(contentnode), block)


# -- links, made when the build has their target ---------------------------------


def api_target(env: BuildEnvironment, names: Iterable[str]) -> tuple[str, str, str] | None:
    """``(name, docname, node id)`` of the Python entry documenting any of *names*; own names first."""
    objects = _python_objects(env)
    aliased: tuple[str, str, str] | None = None
    for name in names:
        entry = objects.get(name)
        if entry is None:
            continue
        if not entry.aliased:
            return name, entry.docname, entry.node_id
        aliased = aliased or (name, entry.docname, entry.node_id)
    return aliased


class ExampleLinks(SphinxPostTransform):
    """Turn each :class:`examples_link` into a paragraph with a ``pending_xref``, or drop it."""

    default_priority = 5  # before the reference resolver (10)

    def run(self, **kwargs: Any) -> None:
        ours = _domain(self.env)
        for node in list(self.document.findall(examples_link)):
            replacement = self._link(ours, node)
            if replacement is None:
                remove_keeping_anchors(node)
            else:
                node.replace_self(replacement)

    def _link(self, ours: CodeExamplesDomain, node: examples_link) -> nodes.paragraph | None:
        docname = node["docname"]
        if node["kind"] == "examples":
            target = node["target"]
            if ours.find(target) is None:
                return None
            paragraph = nodes.paragraph(classes=["codeexamples-api-all"])
            count = node["count"]
            link = quiet_xref("codeexamples", "callable", target, target, docname)
            if count > 1:
                # Translators: a link to the page with all {count} examples of a callable.
                template = _("All {count} examples: {link}").format(count=count, link="{link}")
            else:
                # Translators: a link to the example page of a callable.
                template = _("Example page: {link}")
            paragraph.extend(format_nodes(str(template), link=link))
            return paragraph
        found = api_target(self.env, node["names"])
        if found is None:
            return None
        paragraph = nodes.paragraph(classes=["codeexamples-api-backlink"])
        # Translators: on an example page, a link to the callable's entry in the API reference.
        template = _("API reference: {link}")
        paragraph.extend(
            format_nodes(str(template), link=quiet_xref("py", "obj", found[0], found[0], docname))
        )
        return paragraph


def backlink_placeholder(page: Page, docname: str) -> examples_link:
    """Where the full example page links back to the callable's API entry."""
    return examples_link(kind="api", names=list(page.names), docname=docname)


def api_targets(env: BuildEnvironment) -> dict[str, tuple[str, str, str] | None]:
    """Shown callable -> its API entry, to re-write example pages whose back-link changed."""
    ours = _domain(env)
    targets: dict[str, tuple[str, str, str] | None] = {}
    for record in ours.iter_shown():
        if record.dotted not in targets:
            entry = ours.lookup(record.dotted)
            names = (entry.name, *entry.aliases) if entry is not None and entry.name else (record.dotted,)
            targets[record.dotted] = api_target(env, names)
    return targets
