"""LaTeX output: our package, and the wrapping that lets it style our blocks.

``sphinxcodeexamples.sty`` (in ``texinputs/``) is added with
``app.add_latex_package`` and copied next to the ``.tex`` files. It only styles
environments named after our classes, which Sphinx's LaTeX writer opens for
containers (``sphinxuseclass``); :class:`LatexExamples` wraps our code blocks
and elisions in such containers and gives the elision a vertical ellipsis that
every engine can typeset (U+22EE is not set up for pdflatex).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset_file

from ..problems import ProblemCode
from .logging import warn
from .render import CODE_CLASS, ELISION_CLASS, ELISION_MARK

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "sphinxcodeexamples"
#: Scripts that pdflatex can typeset when the document's language is one of these.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk"})
#: Characters pdflatex (T1, textcomp, Sphinx's set-up) never has: other scripts, CJK, emoji.
_NEVER = re.compile(
    r"[\u0500-\u1dff\u2e80-\ua4ff\ua960-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U0001f000-\U0010ffff]"
)
TEXINPUTS = Path(__file__).parent.parent / "texinputs"


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.format == "latex":
        copy_asset_file(TEXINPUTS / f"{PACKAGE}.sty", app.outdir, force=True)


def _wrap(node: nodes.Element, class_name: str) -> None:
    container = nodes.container(classes=[class_name])
    node.replace_self(container)
    container += node


class LatexExamples(SphinxPostTransform):
    """Wrap code blocks and elisions in class containers; the elision mark becomes ``\\vdots``."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if self.config.latex_engine == "pdflatex":
            self._check_characters()
        for block in list(self.document.findall(nodes.literal_block)):
            if CODE_CLASS in block["classes"] and not _wrapped(block, CODE_CLASS):
                _wrap(block, CODE_CLASS)
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if ELISION_CLASS in paragraph["classes"] and not _wrapped(paragraph, ELISION_CLASS):
                for text in list(paragraph.findall(nodes.Text)):
                    if text.startswith(ELISION_MARK):
                        mark = nodes.raw("", r"\codeexamplesElisionMark{}", format="latex")
                        text.parent.replace(text, [mark, nodes.Text(text[len(ELISION_MARK) :])])
                        break
                _wrap(paragraph, ELISION_CLASS)

    def _check_characters(self) -> None:
        """One warning per example whose text pdflatex cannot typeset (the PDF would not compile)."""
        language = (self.config.language or "en").split("_")[0]
        for section in self.document.findall(nodes.Element):
            if not {"codeexamples-example", "codeexamples-api-example"} & set(section["classes"]):
                continue
            text = section.astext()
            found = _NEVER.search(text)
            if found is None and language not in _CYRILLIC_LANGUAGES:
                found = _CYRILLIC.search(text)
            if found is None and language != "el":
                found = _GREEK.search(text)
            if found is not None:
                message = (
                    f"pdflatex cannot typeset {found[0]!r} (U+{ord(found[0]):04X}) in this example; "
                    f"set latex_engine = 'xelatex' or 'lualatex'"
                )
                warn(ProblemCode.LATEX_ENGINE, message, location=section)


def _wrapped(node: nodes.Element, class_name: str) -> bool:
    parent = node.parent
    return isinstance(parent, nodes.container) and class_name in parent["classes"]


def setup_latex(app: Sphinx) -> None:
    app.add_latex_package(PACKAGE)
    app.add_post_transform(LatexExamples)
    app.connect("builder-inited", on_builder_inited)
