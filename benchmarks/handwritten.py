"""The hand-written reST twin of a snippet store: the baseline side (B) of the benchmark.

For every callable of a store this writes the page a person would have written
by hand with core Sphinx only, with the same text the extension shows: the
title, the intro, and for each example its title, blurb (Markdown turned into
plain reST paragraphs with links), source link and code, each hunk as a
``code-block`` with ``:emphasize-lines:`` and each elision as a paragraph.

The pages are laid out like the extension's generated pages
(``examples/index.rst`` -> ``<package>/index.rst`` -> ``<package>/<name>.rst``),
so both sides of the benchmark have the same documents and toctrees. The same
layout with a ``callable-example`` directive as the page body is the
``--mode directive`` side.

Only the store reader (:mod:`sphinx_codeexamples.store`) and the link policy of
the extension's Markdown renderer are used: the reST itself is built by Sphinx
without the extension.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sphinx_codeexamples.ext.markdown import LinkPolicy
from sphinx_codeexamples.model import CallableName, Elision, Example, Hunk, Page
from sphinx_codeexamples.store import read_page_file, scan_store

INDEX_TITLE = "Code examples"
_MARKDOWN = MarkdownIt("commonmark")
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]  # the policy decides
_INLINE_SPECIAL = re.compile(r"([\\*`_|])")
_SAFE_START = re.compile(r"[A-Za-z][A-Za-z]+(?:[ ,;:'!?]|\Z)")
_UNSAFE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")

# -- reST text --------------------------------------------------------------------


def escape(text: str) -> str:
    """*text* as literal reST inline text (no markup, no references)."""
    return _INLINE_SPECIAL.sub(r"\\\1", text.replace(_MARK, ""))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def heading(text: str, char: str) -> list[str]:
    escaped = escape(text) or "\\ "
    return [escaped, char * max(_width(escaped), 3)]


def paragraph_line(text: str) -> str:
    """One paragraph line that cannot start a list, a block quote, a comment or a literal block."""
    text = text.replace("\n", " ").strip(" \t")
    if text.endswith("::"):
        text = text[:-1] + "\\:"
    if not _SAFE_START.match(text):
        text = "\\ " + text  # an escaped space: nothing in the output, but no block markup either
    return text


def _uri(url: str) -> str:
    url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("`", "%60")
    return url[:-1] + "\\_" if url.endswith("_") else url


_MARK = "\x00"  # where inline markup starts or ends; see _resolve_marks
_BEFORE_OK = set(" \t'\"([{<-/:")
_AFTER_OK = set(" \t'\")]}>-/:.,;!?")


def _resolve_marks(text: str) -> str:
    """Replace each mark with an escaped space where docutils needs one to see the markup, else nothing."""
    parts = text.split(_MARK)
    out = [parts[0]]
    for position, part in enumerate(parts[1:], start=1):
        before, after = "".join(out), part
        opening = position % 2 == 1
        if opening:
            needed = bool(before) and before[-1] not in _BEFORE_OK
        else:
            needed = after[0] not in _AFTER_OK if after else position < len(parts) - 1
        out.append(("\\ " if needed else "") + part)
    return "".join(out)


class _Inline:
    """Builds one reST paragraph from inline pieces; nested markup is flattened (reST cannot nest)."""

    def __init__(self, policy: LinkPolicy) -> None:
        self.policy = policy
        # Each frame: (kind, url, pieces); a piece is (reST, plain text, is it plain?).
        self.frames: list[tuple[str, str | None, list[tuple[str, str, bool]]]] = [("root", None, [])]

    def text(self, text: str) -> None:
        self.frames[-1][2].append((escape(text), text, True))

    def literal(self, code: str) -> None:
        code = " ".join(code.split())
        if code and "``" not in code and not code.endswith("`"):
            self.frames[-1][2].append((f"{_MARK}``{code}``{_MARK}", code, False))
        else:
            self.text(code)

    def open(self, kind: str, url: str | None = None) -> None:
        self.frames.append((kind, url, []))

    def close(self) -> None:
        if len(self.frames) == 1:
            return
        kind, url, pieces = self.frames.pop()
        plain = "".join(piece[1] for piece in pieces)
        rst = "".join(piece[0] for piece in pieces)
        target = self.frames[-1][2]
        if kind == "link":
            if url is None:
                target.append((rst, plain, all(piece[2] for piece in pieces)))
                return
            label = " ".join(plain.split()) or url
            label = label.replace("\\", "\\\\").replace("`", "\\`").replace("<", "\\<")
            target.append((f"{_MARK}`{label} <{_uri(url)}>`__{_MARK}", plain, False))
        elif kind in ("strong", "emphasis") and all(piece[2] for piece in pieces) and plain.strip():
            mark = "**" if kind == "strong" else "*"
            lead = plain[: len(plain) - len(plain.lstrip())]
            trail = plain[len(plain.rstrip()) :]
            target.append((f"{lead}{_MARK}{mark}{escape(plain.strip())}{mark}{_MARK}{trail}", plain, False))
        else:
            target.append((rst, plain, all(piece[2] for piece in pieces)))

    def result(self) -> str:
        while len(self.frames) > 1:
            self.close()
        return _resolve_marks("".join(piece[0] for piece in self.frames[0][2]))


class _Html(HTMLParser):
    """Raw HTML in Markdown: keep the text, turn ``<a href>`` into links, ``<img>`` into its alt text."""

    def __init__(self, inline: _Inline) -> None:
        super().__init__(convert_charrefs=True)
        self.inline = inline
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "a":
            self.inline.open("link", self.inline.policy.resolve(dict(attrs).get("href") or ""))
        elif tag == "img" and (alt := dict(attrs).get("alt")):
            self.inline.text(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.inline.frames[-1][0] == "link":
            self.inline.close()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.inline.text(data)


def _inline(tokens: Sequence[Token], policy: LinkPolicy) -> str:
    inline = _Inline(policy)
    html = _Html(inline)
    for token in tokens:
        if token.type == "text":
            inline.text(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            inline.text(" ")
        elif token.type == "code_inline":
            inline.literal(token.content)
        elif token.type in ("strong_open", "em_open"):
            inline.open("strong" if token.type == "strong_open" else "emphasis")
        elif token.type == "link_open":
            inline.open("link", policy.resolve(str(token.attrGet("href") or "")))
        elif token.type in ("strong_close", "em_close", "link_close"):
            inline.close()
        elif token.type == "image":
            inline.text("".join(child.content for child in token.children or []))
        elif token.type == "html_inline":
            html.feed(token.content)
    html.close()
    return inline.result()


def markdown_to_rst(text: str, policy: LinkPolicy) -> list[str]:
    """Markdown *text* as reST lines: paragraphs, bullet/numbered lists, rubrics, literal blocks."""
    lines: list[str] = []
    # Open containers: (item marker, indent of the items' text); a blockquote has no marker.
    containers: list[tuple[str, int]] = []
    pending: dict[int, str] = {}  # container level -> marker still to put before its item's first line
    heading_open = False

    def add(block: list[str]) -> None:
        first = "".join(pending.get(level, " " * width) for level, (_, width) in enumerate(containers))
        indent = " " * len(first)
        pending.clear()
        if lines:
            lines.append("")
        lines.extend(
            (first if number == 0 else indent) + line if line else "" for number, line in enumerate(block)
        )

    for token in _MARKDOWN.parse(text):
        kind = token.type
        if kind == "bullet_list_open":
            containers.append(("- ", 2))
        elif kind == "ordered_list_open":
            containers.append(("#. ", 3))
        elif kind == "blockquote_open":
            containers.append(("", 4))
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
            pending.pop(len(containers), None)
        elif kind == "list_item_open":
            pending[len(containers) - 1] = containers[-1][0]
        elif kind == "list_item_close" and len(containers) - 1 in pending:
            add(["\\ "])  # an empty item
        elif kind == "heading_open":
            heading_open = True
        elif kind == "heading_close":
            heading_open = False
        elif kind == "inline":
            line = _inline(token.children or [], policy)
            if line.strip():
                add([f".. rubric:: {line.strip()}"] if heading_open else [paragraph_line(line)])
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n").split("\n")
            add(["::", "", *("    " + line if line.strip() else "" for line in code)])
        elif kind == "html_block":
            line = _inline([Token("html_inline", "", 0, content=token.content)], policy)
            if line.strip():
                add([paragraph_line(line)])
    return lines


# -- one page -----------------------------------------------------------------------


def _code_block(hunk: Hunk, language: str) -> list[str]:
    """A hunk as ``code-block`` lines; docutils drops blank edge lines, so they go and marks shift."""
    lines = list(hunk.lines)
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    last = len(lines)
    while last > first and not lines[last - 1].strip():
        last -= 1
    marked = sorted(index - first + 1 for index in hunk.marked if first <= index < last)
    out = [f".. code-block:: {language}", "   :class: codeexamples-code", "   :force:"]  # as the extension
    if marked:
        out.append("   :emphasize-lines: " + ",".join(str(number) for number in marked))
    out.append("")
    out.extend(("   " + line) if line.strip() else "" for line in lines[first:last])
    return out


def _elision(elision: Elision) -> list[str]:
    text = elision.summary or "source abbreviated"
    return [paragraph_line(escape(f"\N{VERTICAL ELLIPSIS} {text}"))]


def _example(example: Example, policy: LinkPolicy) -> list[str]:
    lines = heading(f"Example {example.number} from {example.project}", "-")
    if example.blurb:
        lines += ["", *markdown_to_rst(example.blurb, policy)]
    label = example.source_label or example.source_url or "source file"
    url = policy.resolve(example.source_url) if example.source_url else None
    if url:
        label = label.replace("\\", "\\\\").replace("`", "\\`").replace("<", "\\<")
        source = f"Source: `{' '.join(label.split())} <{_uri(url)}>`__"
    else:
        source = f"Source: {escape(label)}"
    lines += ["", source]
    for part in example.code:
        lines.append("")
        lines += _elision(part) if isinstance(part, Elision) else _code_block(part, example.language)
    return lines


def page_rst(page: Page, policy: LinkPolicy | None = None) -> str:
    """The hand-written reST page of *page*: title, intro, examples."""
    assert page.callable is not None
    policy = policy or LinkPolicy()
    lines = heading(f"{page.callable.module} {page.callable.name}", "=")
    intro = page.intro_sentence() if page.generated_intro or not page.intro else ""
    intro = "\n\n".join(part for part in (intro, page.intro) if part)
    if intro:
        lines += ["", *markdown_to_rst(intro, policy)]
    for example in page.examples:
        lines += ["", *_example(example, policy)]
    return "\n".join(lines) + "\n"


def directive_rst(name: CallableName) -> str:
    """The ``--mode directive`` page: a title and the directive, like a generated page."""
    return (
        "\n".join([*heading(f"{name.module} {name.name}", "="), "", f".. callable-example:: {name.dotted}"])
        + "\n"
    )


# -- the site -----------------------------------------------------------------------


def _stems(names: Iterable[str]) -> dict[str, str]:
    """Safe file stems, distinct even where the file system folds case."""
    plain = {name: _UNSAFE_STEM.sub("_", name) for name in names}
    folded: dict[str, int] = {}
    for stem in plain.values():
        folded[stem.casefold()] = folded.get(stem.casefold(), 0) + 1
    return {
        name: f"{stem}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        if folded[stem.casefold()] > 1
        else stem
        for name, stem in plain.items()
    }


def _toctree(entries: list[str], maxdepth: int) -> list[str]:
    return [".. toctree::", f"   :maxdepth: {maxdepth}", "", *(f"   {entry}" for entry in entries)]


def store_pages(stores: Sequence[str | Path]) -> dict[str, Page]:
    """Dotted name -> page, for every callable of *stores* (the page the extension would use)."""
    index = scan_store([str(store) for store in stores])
    pages: dict[str, Page] = {}
    for dotted, entry in sorted(index.by_name.items()):
        page, _ = read_page_file(entry.path)
        if page is not None and page.callable is not None:
            pages[dotted] = page
    return pages


def plan_pages(pages: dict[str, Page], body: Callable[[Page], str]) -> tuple[dict[str, str], dict[str, str]]:
    """``index.rst``, a page per package and a page per callable: (path -> content, dotted -> path)."""
    packages: dict[str, dict[str, list[Page]]] = {}
    for page in pages.values():
        assert page.callable is not None
        module = page.callable.module
        packages.setdefault(module.split(".")[0], {}).setdefault(module, []).append(page)
    folders = _stems(packages)
    files: dict[str, str] = {}
    paths: dict[str, str] = {}
    top: list[str] = []
    for package in sorted(packages, key=lambda name: (name.casefold(), name)):
        folder = folders[package]
        top.append(f"{folder}/index")
        modules = packages[package]
        stems = _stems(page.dotted for callables in modules.values() for page in callables)
        lines = heading(package, "=")
        for module in sorted(modules, key=lambda name: (name.casefold(), name)):
            entries = []
            for page in sorted(modules[module], key=lambda page: (page.dotted.casefold(), page.dotted)):
                paths[page.dotted] = f"{folder}/{stems[page.dotted]}.rst"
                files[paths[page.dotted]] = body(page)
                entries.append(stems[page.dotted])
            lines += ["", *heading(module, "-"), "", *_toctree(entries, 1)]
        files[f"{folder}/index.rst"] = "\n".join(lines) + "\n"
    files["index.rst"] = "\n".join([*heading(INDEX_TITLE, "="), "", *_toctree(top, 2)]) + "\n"
    return files, paths


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def write_handwritten(
    stores: Sequence[str | Path], root: Path, policy: LinkPolicy | None = None
) -> dict[str, str]:
    """Write the hand-written reST of every callable of *stores* below *root*; returns dotted -> path."""
    files, paths = plan_pages(store_pages(stores), lambda page: page_rst(page, policy))
    write_files(root, files)
    return paths


def write_directive_pages(stores: Sequence[str | Path], root: Path) -> dict[str, str]:
    """The same layout, each page a title and a ``callable-example`` directive; returns dotted -> path."""
    files, paths = plan_pages(store_pages(stores), lambda page: directive_rst(_name(page)))
    write_files(root, files)
    return paths


def _name(page: Page) -> CallableName:
    assert page.callable is not None
    return page.callable
