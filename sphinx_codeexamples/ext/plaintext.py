"""Text, manual page and Texinfo output: marks, elisions and source URLs in plain text.

These builders show neither highlighted lines nor link targets, so
:class:`PlainTextExamples` rewrites our nodes for them only (HTML and LaTeX
never see it): each code line gets a marker column (``>`` for the lines that
use the callable; with ``:linenos:`` the line number too), an elision's mark is
plain ASCII where the output may not be Unicode, and the source link is
followed by its URL where the builder would drop it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .render import CODE_CLASS, ELISION_CLASS, ELISION_MARK, SOURCE_CLASS

#: The marker column: marked lines, then the others.
MARKED = "> "
UNMARKED = "  "
#: The elision mark for builders whose output may be read as ASCII.
ASCII_ELISION_MARK = "[...] "


def marked_text(text: str, hl_lines: list[int], linenostart: int | None) -> str:
    """*text* with a marker column (and line numbers when *linenostart* is given)."""
    lines = text.split("\n")
    marked = set(hl_lines)
    width = len(str(linenostart + len(lines) - 1)) if linenostart is not None else 0
    out = []
    for number, line in enumerate(lines, start=1):
        column = MARKED if number in marked else UNMARKED
        if linenostart is not None:
            column = f"{linenostart + number - 1:>{width}} {column}"
        out.append((column + line).rstrip())
    return "\n".join(out)


class PlainTextExamples(SphinxPostTransform):
    """Marker columns and printed source URLs for the ``text`` builder."""

    default_priority = 400
    formats: tuple[str, ...] = ("text",)
    #: Replace the elision's Unicode mark with ASCII.
    ascii_elisions = False
    #: Print the URL after the source link (the builder does not).
    print_urls = True

    def run(self, **kwargs: Any) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            if CODE_CLASS in block["classes"] and not block.get("codeexamples_marked"):
                self._mark(block)
        if self.ascii_elisions:
            for text in list(self.document.findall(nodes.Text)):
                parent = text.parent
                in_elision = isinstance(parent, nodes.inline) and _has_class(parent.parent, ELISION_CLASS)
                if in_elision and text.startswith(ELISION_MARK):
                    parent.replace(text, nodes.Text(ASCII_ELISION_MARK + text[len(ELISION_MARK) :]))
        if self.print_urls:
            for paragraph in list(self.document.findall(nodes.paragraph)):
                if SOURCE_CLASS in paragraph["classes"]:
                    _print_urls(paragraph)

    def _mark(self, block: nodes.literal_block) -> None:
        args = block.get("highlight_args", {})
        start = args.get("linenostart", 1) if block.get("linenos") else None
        text = marked_text(block.astext(), list(args.get("hl_lines", [])), start)
        block.children = []
        block += nodes.Text(text)
        block.rawsource = text
        block["codeexamples_marked"] = True


def _has_class(node: nodes.Node | None, class_name: str) -> bool:
    return isinstance(node, nodes.Element) and class_name in node["classes"]


def _print_urls(paragraph: nodes.paragraph) -> None:
    """Each link as text with its URL, whatever the writer would do with a link."""
    for reference in list(paragraph.findall(nodes.reference)):
        url = reference.get("refuri", "")
        label = reference.astext()
        if url:
            reference.replace_self(nodes.Text(label if label == url else f"{label} <{url}>"))


class ManExamples(PlainTextExamples):
    """The same for manual pages, whose readers may not show Unicode (and where links are only
    terminal hyperlinks, depending on the Sphinx and docutils versions)."""

    formats = ("man",)
    ascii_elisions = True


class TexinfoExamples(PlainTextExamples):
    """The same for Texinfo, which prints the URL of every link itself."""

    formats = ("texinfo",)
    ascii_elisions = True
    print_urls = False


TRANSFORMS = (PlainTextExamples, ManExamples, TexinfoExamples)
