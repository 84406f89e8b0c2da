"""LaTeX output: our package, and the wrapping that lets it style our blocks.

``sphinxcodeexamples.sty`` (in ``texinputs/``) is added with
``app.add_latex_package`` and copied next to the ``.tex`` files. It only styles
environments named after our classes, which Sphinx's LaTeX writer opens for
containers (``sphinxuseclass``); :class:`LatexExamples` wraps our code blocks
and elisions in such containers and gives the elision a vertical ellipsis that
every engine can typeset (U+22EE is not set up for pdflatex).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset_file

from .render import CODE_CLASS, ELISION_CLASS, ELISION_MARK

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "sphinxcodeexamples"
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


def _wrapped(node: nodes.Element, class_name: str) -> bool:
    parent = node.parent
    return isinstance(parent, nodes.container) and class_name in parent["classes"]


def setup_latex(app: Sphinx) -> None:
    app.add_latex_package(PACKAGE)
    app.add_post_transform(LatexExamples)
    app.connect("builder-inited", on_builder_inited)
