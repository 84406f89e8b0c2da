"""Example code blocks: lexed while reading, links put in while Pygments formats them (HTML).

Every example's code is a :class:`linked_literal_block`, a ``literal_block``
that may also carry the names found in its code (``codeexamples_names``, set
while reading; not ``names``, a docutils attribute of every element) and, once
they are resolved for the page being written, their links (``links``); and,
for builders that highlight, its tokens (see :mod:`.lexing`). Its HTML visitor
lends the builder's highlighter a :class:`LinkingHtmlFormatter` for the one
block: the formatter splits the token stream at the known (line, column)
positions and wraps a token in ``<a>`` only when its text is the expected name
(and it is not a string or a comment). Everything else (marked lines, line
numbers, the ``<div class="highlight-...">`` around the block) is Sphinx's and
Pygments' own. Other builders never see a link: the LaTeX visitor only lends the
kept tokens, and other translators find no visitor for the subclass and use
``visit_literal_block``.

Two private parts of Pygments' ``HtmlFormatter`` are relied upon, and pinned by
``tests/test_highlight.py``: ``format_unencoded(tokensource, outfile)`` formats a
token stream, and ``_translate_parts(value)`` turns one token's text into its
escaped lines.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any, TypeAlias

from docutils import nodes
from pygments.formatters import HtmlFormatter
from pygments.token import Comment, String

from .lexing import LEXED, lexed, replaying

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.highlighting import PygmentsBridge
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

#: A name found in the code: (line, column, end column, text, dotted name); line 1-based.
Name = tuple[int, int, int, str, str]
#: A resolved name: (line, column, end column, text, dotted name, URI).
Link = tuple[int, int, int, str, str, str]


#: The attribute of a :class:`linked_literal_block` that holds its names (:data:`PackedNames`).
NAMES = "codeexamples_names"
#: Names packed as every document keeps them until it is written: the (line, column, end
#: column) of each in one array, then their texts, then their dotted names.
PackedNames: TypeAlias = "tuple[array[int], tuple[str, ...], tuple[str, ...]]"


class linked_literal_block(nodes.literal_block):  # type: ignore[misc]
    """A literal block whose names link (:data:`NAMES`: :data:`PackedNames`, ``links``: :data:`Link` list)."""


def pack_names(names: Iterable[Name]) -> PackedNames:
    """*names* as a block keeps them (see :func:`block_names`)."""
    positions: array[int] = array("I")
    texts: list[str] = []
    dotted: list[str] = []
    for line, column, end, text, name in names:
        positions.extend((line, column, end))
        texts.append(text)
        dotted.append(name)
    return positions, tuple(texts), tuple(dotted)


def block_names(block: nodes.Element) -> Iterator[Name]:
    """The names of *block* (none when it has none)."""
    packed: PackedNames | None = block.get(NAMES)
    if packed is None:
        return iter(())
    positions, texts, dotted = packed
    return zip(positions[0::3], positions[1::3], positions[2::3], texts, dotted, strict=True)


class _LinkedText(str):
    """A token's text that links to ``href`` (the dotted name it stands for: ``dotted``)."""

    href: str
    dotted: str

    def __new__(cls, text: str, href: str, dotted: str) -> _LinkedText:
        value = super().__new__(cls, text)
        value.href = href
        value.dotted = dotted
        return value


class LinkingHtmlFormatter(HtmlFormatter):  # type: ignore[misc]
    """An ``HtmlFormatter`` that wraps the tokens at given positions in ``<a href>``."""

    def __init__(self, *, code_links: Sequence[Link] = (), **options: Any) -> None:
        super().__init__(**options)
        by_line: dict[int, list[Link]] = {}
        for link in sorted(code_links):
            by_line.setdefault(link[0], []).append(link)
        self.code_links = by_line

    def format_unencoded(self, tokensource: Iterable[tuple[Any, str]], outfile: Any) -> None:
        super().format_unencoded(self._linked(tokensource), outfile)

    def _translate_parts(self, value: str) -> list[str]:
        parts: list[str] = super()._translate_parts(value)
        if isinstance(value, _LinkedText) and len(parts) == 1:
            href, title = escape(value.href, quote=True), escape(value.dotted, quote=True)
            return [f'<a class="codeexamples-name" href="{href}" title="{title}">{parts[0]}</a>']
        return parts  # the cached list: never changed in place

    def _linked(self, tokens: Iterable[tuple[Any, str]]) -> Iterator[tuple[Any, str]]:
        """The tokens, split so that each linked name is one token of :class:`_LinkedText`."""
        links, line, column = self.code_links, 1, 0
        for ttype, value in tokens:
            if "\n" in value:
                yield ttype, value
                line += value.count("\n")
                column = len(value) - value.rfind("\n") - 1
                continue
            end = column + len(value)
            here = links.get(line)
            if here and ttype not in Comment and ttype not in String:
                yield from _split(ttype, value, column, end, here)
            else:
                yield ttype, value
            column = end


def _split(ttype: Any, value: str, start: int, end: int, links: list[Link]) -> Iterator[tuple[Any, str]]:
    """*value* (columns ``[start, end)``) cut around the links that lie inside it and match its text."""
    position = start
    for _, column, stop, text, dotted, uri in links:
        if column < position or stop > end:
            continue
        if value[column - start : stop - start] != text:
            continue  # the code is not what the names were found in: no link
        if column > position:
            yield ttype, value[position - start : column - start]
        yield ttype, _LinkedText(text, uri, dotted)
        position = stop
    if position < end:
        yield ttype, value[position - start :]


@contextmanager
def _linking(highlighter: PygmentsBridge, links: list[Link]) -> Iterator[None]:
    """While in the block, *highlighter* formats with a formatter that knows its links."""
    if not links:
        yield
        return
    original = highlighter.formatter
    # PygmentsBridge.get_formatter() calls self.formatter(**options): a partial does.
    highlighter.formatter = partial(LinkingHtmlFormatter, code_links=links)  # type: ignore[assignment]
    try:
        yield
    finally:
        highlighter.formatter = original


def visit_html(self: HTML5Translator, node: linked_literal_block) -> None:
    """Highlight the block as Sphinx does, from its kept tokens, with a formatter that knows its links."""
    with replaying(self.highlighter, node), _linking(self.highlighter, node.get("links") or []):
        self.visit_literal_block(node)


def visit_latex(self: LaTeXTranslator, node: linked_literal_block) -> None:
    """Highlight the block as Sphinx does, from its kept tokens."""
    with replaying(self.highlighter, node):
        self.visit_literal_block(node)


def depart(self: HTML5Translator | LaTeXTranslator, node: linked_literal_block) -> None:
    self.depart_literal_block(node)


VISITORS: dict[str, Any] = {"html": (visit_html, depart), "latex": (visit_latex, depart)}


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Lex the document's example code blocks now, when the builder highlights (see :mod:`.lexing`)."""
    highlighter: PygmentsBridge | None = getattr(app.builder, "highlighter", None)
    if highlighter is None:
        return
    for block in doctree.findall(linked_literal_block):
        kept = lexed(highlighter, block, app.config)
        if kept is not None:
            block[LEXED] = kept
