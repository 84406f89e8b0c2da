"""PDFs that compile: every node the extension emits, with pdflatex, xelatex and lualatex.

These tests run TeX (``pytest -m latex``) and skip when ``latexmk`` or ``pdftotext``
is missing; ``.ci/run`` installs Debian's TeX Live so that CI runs them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"

pytestmark = [
    pytest.mark.latex,
    pytest.mark.skipif(
        not (shutil.which("latexmk") and shutil.which("pdftotext")), reason="needs latexmk and pdftotext"
    ),
]


def build_pdf(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, root: str, engine: str
) -> tuple[SphinxTestApp, str, str]:
    """Build the LaTeX of test root *root*, compile it; the app, the PDF's text and the .tex."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    # xindy is not installed by .ci/run; makeindex is enough for ASCII index entries.
    app = make_app(
        "latex",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={"latex_engine": engine, "latex_use_xindy": False},
    )
    app.build()
    outdir = Path(app.outdir)
    (tex,) = outdir.glob("*.tex")
    result = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=outdir,
        capture_output=True,
        text=True,
        check=False,
    )
    log = tex.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, "\n".join(line for line in log.splitlines() if line.startswith("!"))
    assert "Missing character" not in log
    text = subprocess.run(
        ["pdftotext", "-layout", str(tex.with_suffix(".pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return app, text, tex.read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    """Lines with runs of spaces made one (pdftotext spaces out italic corrections: "Counter .")."""
    return [" ".join(line.split()).replace(" .", ".") for line in text.splitlines()]


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_every_node_compiles(make_app: Callable[..., SphinxTestApp], tmp_path: Path, engine: str) -> None:
    app, text, tex = build_pdf(make_app, tmp_path, "pdf", engine)
    lines = lines_of(text)
    # Marked lines carry the marker; the others do not.
    assert any(re.fullmatch(r"(\d+ )?> total = count_words\(text\)", line) for line in lines)
    assert any(re.fullmatch(r"(\d+ )?> counter = Counter\(\)", line) for line in lines)
    assert not any(re.fullmatch(r"(\d+ )?> text = sys.stdin.read\(\)", line) for line in lines)
    # Elisions read as elisions (the mark is a typeset \vdots, its text follows).
    assert "source file abbreviated to get to count_words examples" in text
    assert "source file continues with no further count_words examples" in text
    assert r"\codeexamplesElisionMark" in tex and "\N{VERTICAL ELLIPSIS}" not in tex
    # Long lines wrap instead of running off the page.
    assert "forever/and/ever.html" in text
    assert "Overfull \\hbox" not in (Path(app.outdir) / "pdf.log").read_text(
        encoding="utf-8", errors="replace"
    )
    # Related lists, the domain index and generated pages made it.
    assert "More code examples from tally.counters: Counter." in lines
    assert "Code examples by module" in text
    assert "tally render" in text
    # Other projects' code may hold characters the engine cannot typeset: a mark, not a failed PDF.
    backs = [line for line in lines if line.startswith("BACK = ")]
    assert backs and (engine != "pdflatex" or backs[0].startswith('BACK = "?"'))


def test_examples_in_an_api_entry_are_not_numbered_sections(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    app, text, _ = build_pdf(make_app, tmp_path, "pdf", "pdflatex")
    toc = (Path(app.outdir) / "pdf.toc").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = {}
    chapter = ""
    for line in toc.splitlines():
        if line.startswith(r"\contentsline {chapter}"):
            chapter = line
        entries.setdefault(chapter, []).append(line)
    (guide,) = (lines for chapter, lines in entries.items() if "Guide}" in chapter)
    (api,) = (lines for chapter, lines in entries.items() if "API}" in chapter)
    assert any(r"{\numberline {1.1.1}Example 1 from wordsmith}" in line for line in guide)  # full pages
    assert not any("Example" in line for line in api)  # in the py:function entry: an unnumbered rubric
    api_text = text[text.index("Count the words of") : text.index("After the entry")]
    assert "Example 1 from wordsmith" in api_text
    assert not re.search(r"\d+\.\d+(\.\d+)* Example 1 from wordsmith", api_text)


@pytest.mark.parametrize("engine", ["xelatex"])
def test_cyrillic_and_cjk_store_content(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, engine: str
) -> None:
    _, text, _ = build_pdf(make_app, tmp_path, "pdf-unicode", engine)
    lines = lines_of(text)
    assert '> print(greet("Мир")) # Здравствуй, мир!' in lines
    assert any(line.startswith('> message = greet("世界")') for line in lines)
    assert "用中文问候" in text and "«здравствуйте»" in text


def test_generated_site_over_real_pages_compiles_with_pdflatex(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, shared_dir: Path
) -> None:
    """A slice of the real corpus (every 8th page: the whole of it takes minutes of TeX)."""
    corpus = sorted((shared_dir / "corpus" / "fsp-sqlalchemy").glob("*.markdown"))
    src = tmp_path / "src"
    (src / "store").mkdir(parents=True)
    for path in corpus[::8]:
        shutil.copy(path, src / "store" / path.name)
    (src / "conf.py").write_text(
        "extensions = ['sphinx_codeexamples']\n"
        "project = 'Corpus'\n"
        "codeexamples_store = 'store'\n"
        "codeexamples_generate_pages = True\n"
        "latex_documents = [('index', 'corpus.tex', 'Corpus', 'Tests', 'manual')]\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text("Corpus\n======\n\n.. toctree::\n\n   examples/index\n", encoding="utf-8")
    app = make_app("latex", srcdir=src, freshenv=True)
    app.build()
    outdir = Path(app.outdir)
    result = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", "corpus.tex"],
        cwd=outdir,
        capture_output=True,
        text=True,
        check=False,
    )
    log = (outdir / "corpus.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, "\n".join(line for line in log.splitlines() if line.startswith("!"))
    assert "Overfull \\hbox" not in log
    text = subprocess.run(
        ["pdftotext", "-layout", str(outdir / "corpus.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert any(line.lstrip().startswith(">") for line in text.splitlines())
    assert "source file abbreviated to get to" in text
