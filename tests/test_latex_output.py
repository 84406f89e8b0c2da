"""The LaTeX builder's output, without TeX: our package, wrapped blocks, engine warnings.

(tests/test_pdf.py compiles the PDFs when TeX is installed.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.sphinx("latex", testroot="pdf", freshenv=True)
def test_latex_source(app: SphinxTestApp, parallel: int) -> None:
    app.parallel = parallel
    app.build()
    outdir = Path(app.outdir)
    tex = (outdir / "pdf.tex").read_text(encoding="utf-8")
    assert (outdir / "sphinxcodeexamples.sty").is_file()
    assert r"\usepackage{sphinxcodeexamples}" in tex
    # Every code block of the root is ours, and each is wrapped for the package to style.
    assert (
        tex.count(r"\begin{sphinxuseclass}{codeexamples-code}") == tex.count(r"\begin{sphinxVerbatim}") == 13
    )
    assert r"\codeexamplesElisionMark{}source file abbreviated to get to count\_words examples" in tex
    assert "\N{VERTICAL ELLIPSIS}" not in tex
    # The example inside the py:function entry: an unnumbered heading, never a \section.
    entry = tex[tex.index(r"\begin{fulllineitems}") : tex.index(r"\end{fulllineitems}")]
    assert r"\subsubsection*{Example 1 from wordsmith}" in entry
    assert r"\section{" not in entry and r"\subsection{" not in entry
    assert "latex-engine" not in app.warning.getvalue()


@pytest.mark.sphinx(
    "latex", testroot="pdf-unicode", freshenv=True, confoverrides={"latex_engine": "pdflatex"}
)
def test_pdflatex_with_cjk_and_cyrillic_store_content_warns(app: SphinxTestApp) -> None:
    app.build()
    warnings = [line for line in app.warning.getvalue().splitlines() if "[codeexamples.latex-engine]" in line]
    assert len(warnings) == 2  # one per example
    assert (
        "index.rst:4: WARNING: pdflatex cannot typeset '\N{CYRILLIC SMALL LETTER GHE}' (U+0433)"
        in warnings[0]
    )
    assert "'用' (U+7528)" in warnings[1]


@pytest.mark.sphinx(
    "latex",
    testroot="pdf-unicode",
    freshenv=True,
    confoverrides={"latex_engine": "pdflatex", "language": "ru", "codeexamples_store": "store"},
)
def test_cyrillic_is_fine_for_pdflatex_in_a_russian_document(app: SphinxTestApp) -> None:
    app.build()
    warnings = [line for line in app.warning.getvalue().splitlines() if "[codeexamples.latex-engine]" in line]
    assert len(warnings) == 1 and "'用'" in warnings[0]
