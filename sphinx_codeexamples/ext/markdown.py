"""Untrusted Markdown (blurbs, intros) to docutils nodes, parsed by markdown-it-py.

Raw HTML never passes through: ``<a href>`` becomes a link when its URL is safe,
every other tag is dropped and its text kept. Links are kept for ``http``,
``https``, ``mailto`` and relative URLs; site-relative ones (``/flask.html``)
are resolved against a base URL or shown as plain text when there is none.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..store.reader import MAX_MARKDOWN_CHARS

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_BROWSER_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark")
    # Every URL reaches LinkPolicy, which decides and warns.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


@dataclass
class LinkPolicy:
    """Decides what a link's URL becomes; reports the unsafe ones through *on_unsafe*."""

    base_url: str = ""
    on_unsafe: Callable[[str], None] = lambda url: None

    def resolve(self, url: str) -> str | None:
        """The URL to link to, or None to show the text alone.

        Browsers ignore tabs and newlines inside a URL and control characters
        around it (a tab inside ``javascript:`` still runs it), so those are
        removed before the scheme is read; a relative URL must stay safe once
        joined to the base URL; a URL that cannot be parsed (``http://[x``) is
        shown as text.
        """
        url = _BROWSER_IGNORED.sub("", url).strip(_C0_AND_SPACE)
        if url.startswith("git@") and ":" in url:
            host, _, path = url[4:].partition(":")
            url = f"https://{host}/{path}"
        try:
            scheme = urlsplit(url).scheme.lower()
            if scheme:
                if scheme in SAFE_SCHEMES:
                    return url
                self.on_unsafe(url)
                return None
            if url.startswith("//"):
                return "https:" + url
            if not url or url.startswith("#") or not self.base_url:
                return None
            joined = urljoin(self.base_url.rstrip("/") + "/", url.lstrip("/"))
            if urlsplit(joined).scheme.lower() not in SAFE_SCHEMES:
                self.on_unsafe(joined)
                return None
            return joined
        except ValueError:
            return None


#: Texts up to this size have their tokens memoised: blurbs repeat on every page
#: quoting the same project (23 distinct blurbs for 226 examples in the SQLAlchemy corpus).
CACHED_TEXT_CHARS = 4_000


@functools.lru_cache(maxsize=1024)
def _cached_tokens(text: str) -> tuple[Token, ...]:
    return tuple(_PARSER.parse(text))


def _tokens(text: str) -> Sequence[Token]:
    """The parsed tokens of *text*; shared between calls, so they are only ever read."""
    return _cached_tokens(text) if len(text) <= CACHED_TEXT_CHARS else _PARSER.parse(text)


def markdown_to_nodes(text: str, policy: LinkPolicy) -> list[nodes.Node]:
    """Block-level docutils nodes for the Markdown *text*.

    Text longer than :data:`~sphinx_codeexamples.store.reader.MAX_MARKDOWN_CHARS`
    (the reader warns about it) is one plain paragraph: the parser is linear
    but slow, and no real blurb comes near that size.
    """
    if len(text) > MAX_MARKDOWN_CHARS:
        return [nodes.paragraph(text, text)]
    root = nodes.container()
    _Builder(policy).build(_tokens(text), root)
    return list(root.children)


def _add_text(parent: nodes.Element, text: str) -> None:
    """Append *text* to *parent*, joined to its last child when that is text: one
    Text node per run keeps doctrees small (Markdown splits text at every line break)."""
    if parent.children and isinstance(parent[-1], nodes.Text):
        parent[-1] = nodes.Text(parent[-1] + text)
    else:
        parent += nodes.Text(text)


def _open_link(parent: nodes.Element, url: str | None) -> nodes.Element:
    """Where a link's text goes: a new reference in *parent*, or *parent* itself when the
    link is dropped (its text then reads as the text around it)."""
    if not url:
        return parent
    reference = nodes.reference(refuri=url)
    parent += reference
    return reference


@dataclass
class _Builder:
    policy: LinkPolicy
    stack: list[nodes.Element] = field(default_factory=list)

    def build(self, tokens: Sequence[Token], root: nodes.Element) -> None:
        self.stack = [root]
        for token in tokens:
            self._block(token)

    @property
    def top(self) -> nodes.Element:
        return self.stack[-1]

    def _push(self, node: nodes.Element) -> None:
        self.top.append(node)
        self.stack.append(node)

    def _pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def _block(self, token: Token) -> None:
        opening = {
            "paragraph_open": nodes.paragraph,
            "bullet_list_open": nodes.bullet_list,
            "ordered_list_open": nodes.enumerated_list,
            "list_item_open": nodes.list_item,
            "blockquote_open": nodes.block_quote,
            "heading_open": nodes.rubric,
        }
        if token.type in opening:
            node = opening[token.type]()
            if token.type == "paragraph_open" and token.map:
                node.line = token.map[0] + 1  # in the text; made absolute by whoever knows the file
            self._push(node)
        elif token.type.endswith("_close"):
            self._pop()
        elif token.type == "inline":
            if isinstance(self.top, nodes.paragraph):
                # The paragraph's own Markdown, without list markers or indentation: the message
                # that Sphinx's gettext builder extracts and ext/i18n.py translates.
                self.top.rawsource = token.content
            self._inline(token.children or [], self.top)
        elif token.type in ("fence", "code_block"):
            self.top.append(nodes.literal_block(token.content, token.content))
        elif token.type == "html_block":
            paragraph = nodes.paragraph()
            _HtmlToNodes(self.policy, paragraph).feed(token.content)
            if paragraph.astext().strip() or paragraph.children:
                self.top.append(paragraph)

    def _inline(self, tokens: list[Token], parent: nodes.Element) -> None:
        stack = [parent]
        html = _HtmlToNodes(self.policy, parent, stack)
        for token in tokens:
            top = stack[-1]
            if token.type == "text":
                _add_text(top, token.content)
            elif token.type == "softbreak" or token.type == "hardbreak":
                _add_text(top, "\n")
            elif token.type == "code_inline":
                top += nodes.literal(token.content, token.content)
            elif token.type in ("strong_open", "em_open"):
                node = nodes.strong() if token.type == "strong_open" else nodes.emphasis()
                top += node
                stack.append(node)
            elif token.type == "link_open":
                url = self.policy.resolve(str(token.attrGet("href") or ""))
                stack.append(_open_link(top, url))
            elif token.type in ("strong_close", "em_close", "link_close"):
                if len(stack) > 1:
                    stack.pop()
            elif token.type == "image":
                alt = "".join(child.content for child in token.children or [])
                if alt:
                    _add_text(top, alt)
            elif token.type == "html_inline":
                html.feed(token.content)


class _HtmlToNodes(HTMLParser):
    """Keeps the text of raw HTML and turns safe ``<a href>`` into references."""

    def __init__(
        self, policy: LinkPolicy, parent: nodes.Element, stack: list[nodes.Element] | None = None
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.stack = stack if stack is not None else [parent]
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip_depth += 1
        elif tag == "a":
            url = self.policy.resolve(dict(attrs).get("href") or "")
            self.stack.append(_open_link(self.stack[-1], url))
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                _add_text(self.stack[-1], alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "a" and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            _add_text(self.stack[-1], data)
