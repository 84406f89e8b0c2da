"""The ``callable-example`` directive: one store page rendered where it is written."""

from __future__ import annotations

import difflib
import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from ..model import Page
from ..problems import ProblemCode
from .autodoc import backlink_placeholder
from .domain import CodeExamplesDomain, ShownCallable
from .logging import warn
from .markdown import LinkPolicy
from .related import index_node, make_placeholder
from .render import RenderOptions, render_example, render_intro, selected_examples

_DOTTED = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+\Z")


def set_unique_id(document: nodes.document, node: nodes.Element, base: str) -> str:
    """Give *node* the id *base*, numbered when the document already has it."""
    candidate = first = str(nodes.make_id(base))
    number = 1
    while candidate in document.ids:
        number += 1
        candidate = f"{first}-{number}"
    node["ids"] = [candidate]
    document.ids[candidate] = node
    return candidate


class CallableExampleDirective(SphinxDirective):
    """``.. callable-example:: DOTTED.NAME``: the intro and examples of a store page."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "max-examples": directives.unchanged_required,
        "projects": directives.unchanged_required,
        "no-intro": directives.flag,
        "linenos": directives.flag,
        "no-related": directives.flag,
    }

    @property
    def domain(self) -> CodeExamplesDomain:
        domain = self.env.domains["codeexamples"]
        assert isinstance(domain, CodeExamplesDomain)
        return domain

    def run(self) -> list[nodes.Node]:
        dotted = self.arguments[0].strip()
        if not _DOTTED.match(dotted):
            self._warn(ProblemCode.OPTION, f"not a dotted name: {dotted!r}")
            return []
        options = self._options()
        if options is None:
            return []
        self.domain.note_lookup(self.env.docname, dotted)
        page = self._load(dotted)
        if page is None:
            return []
        return self._render(page, options)

    def _warn(self, code: ProblemCode, message: str) -> None:
        warn(code, message, location=self.get_location())

    def _options(self) -> RenderOptions | None:
        max_examples = None
        if "max-examples" in self.options:
            raw = self.options["max-examples"].strip()
            if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True, int("²") raises
                self._warn(ProblemCode.OPTION, f":max-examples: must be a whole number >= 0, not {raw!r}")
                return None
            max_examples = int(raw)
        projects = None
        if "projects" in self.options:
            projects = frozenset(filter(None, (p.strip() for p in self.options["projects"].split(","))))
        return RenderOptions(
            max_examples=max_examples,
            projects=projects,
            intro="no-intro" not in self.options,
            linenos="linenos" in self.options,
            nested=not self._at_section_level(),
        )

    def _at_section_level(self) -> bool:
        """True when sections may go here (not inside an API entry, a list, an admonition...)."""
        try:
            parent = self.state.parent
        except Exception:  # MyST's mock state has no parent: its directives sit at section level
            return True
        return parent is None or isinstance(parent, nodes.section | nodes.document)

    def _load(self, dotted: str) -> Page | None:
        entry = self.domain.lookup(dotted)
        if entry is None:
            known = sorted(self.domain.known_names())
            close = difflib.get_close_matches(dotted, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            self._warn(ProblemCode.UNKNOWN_CALLABLE, f"no store page describes {dotted}{hint}")
            return None
        self.env.note_dependency(entry.path)
        # The page's own problems were reported once, when the store was indexed.
        return entry.load()

    def _links_at(self, path: str, line: int) -> LinkPolicy:
        """The link policy for text from line *line* of the store file *path*, where it warns."""

        def on_unsafe(url: str) -> None:
            warn(ProblemCode.UNSAFE_LINK, f"unsafe link dropped: {url!r}", location=f"{path}:{line}")

        return LinkPolicy(base_url=self.config.codeexamples_base_url, on_unsafe=on_unsafe)

    def _render(self, page: Page, options: RenderOptions) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        target = nodes.target()
        anchor = set_unique_id(self.state.document, target, f"codeexamples-{page.dotted}")
        result.append(target)
        if page.callable is not None:
            result.append(index_node(page.callable, anchor))
        if options.intro:
            result.extend(render_intro(page, self._links_at(page.path, page.intro_line)))
        if page.callable is not None and self.domain.settings.autodoc:
            result.append(backlink_placeholder(page, self.env.docname))
        if page.callable is not None and "no-related" not in self.options:
            result.append(make_placeholder(page.dotted, page.callable.module, self.env.docname))
        examples = selected_examples(page, options)
        if options.projects is not None and page.examples and not examples:
            known = ", ".join(sorted({example.project for example in page.examples}))
            message = f":projects: matches no example of {page.dotted} (it has: {known})"
            self._warn(ProblemCode.OPTION, message)
        for example in examples:
            section = render_example(page, example, self._links_at(page.path, example.line), options)
            set_unique_id(self.state.document, section, section["ids"][0])
            self.set_source_info(section)
            result.append(section)
        self.domain.note_shown(ShownCallable(page.dotted, self.env.docname, anchor))
        return result
