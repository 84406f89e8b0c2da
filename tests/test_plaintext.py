"""Text, manual page and Texinfo output: marked lines, elisions and source URLs survive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_codeexamples.ext.plaintext import marked_text

CLI_URL = "https://github.com/example/wordsmith/blob/0123abc/wordsmith/cli.py"


def test_marked_text_columns() -> None:
    assert marked_text("a\nb\nc", [2], None) == "  a\n> b\n  c"
    assert marked_text("a\n\nb", [3], 9) == " 9   a\n10\n11 > b"


@pytest.mark.sphinx("text", testroot="pdf", freshenv=True)
def test_text_builder(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "guide.txt").read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.splitlines()]
    # :linenos: gives the line number, then the marker column.
    assert "   3 >     total = count_words(text)" in lines
    assert "   2       text = sys.stdin.read()" in lines
    assert "   > counter = Counter()" in lines
    assert "     from tally.counters import Counter" in lines
    assert "\N{VERTICAL ELLIPSIS} source file abbreviated to get to count_words examples" in lines
    assert "\N{VERTICAL ELLIPSIS} some of source file skipped here for brevity" in lines
    joined = " ".join(text.split())
    assert f"Source: wordsmith / wordsmith / cli.py <{CLI_URL}>" in joined
    assert 'Source: "tinytext / tinytext / stats.py"' in joined  # no URL in the store: the label alone


@pytest.mark.sphinx("man", testroot="pdf", freshenv=True)
def test_man_builder(app: SphinxTestApp) -> None:
    app.build()
    page = (Path(app.outdir) / "pdf.1").read_text(encoding="utf-8")
    assert "[...] source file abbreviated to get to count_words examples" in page
    assert "\N{VERTICAL ELLIPSIS}" not in page
    assert re.search(r"^3 >     total = count_words\(text\)$", page, re.M)
    sources = [line for line in page.splitlines() if line.startswith("Source:") and "cli.py" in line]
    assert sources and set(sources) == {f"Source: wordsmith / wordsmith / cli.py <{CLI_URL}>"}


@pytest.mark.sphinx("texinfo", testroot="pdf", freshenv=True)
def test_texinfo_builder(app: SphinxTestApp) -> None:
    app.build()
    (texi,) = Path(app.outdir).glob("*.texi")
    source = texi.read_text(encoding="utf-8")
    assert "[...] some of source file skipped here for brevity" in source
    assert "> counter = Counter()" in source
    assert f"@footnote{{{CLI_URL}}}" in source
    assert f"<{CLI_URL}>" not in source


@pytest.mark.sphinx("html", testroot="pdf", freshenv=True)
def test_html_keeps_its_code_and_marks(app: SphinxTestApp) -> None:
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "guide.html").read_text(encoding="utf-8"), "html.parser")
    code = "\n".join(pre.get_text() for pre in page.select("div.codeexamples-code pre"))
    assert "> " not in code
    for number in page.select("span.linenos"):
        number.extract()
    assert [line.get_text().strip() for line in page.select("span.hll")][:2] == [
        "total = count_words(text)",
        'print(count_words(text, ignore=("the", "a", "an", "and", "or", "but", "if", "then", "else", '
        '"when", "at", "by", "for", "with", "about")))',
    ]
    elision = page.select_one("p.codeexamples-elision")
    assert elision is not None
    expected = "\N{VERTICAL ELLIPSIS} source file abbreviated to get to count_words examples"
    assert elision.get_text() == expected


@pytest.mark.sphinx("html", testroot="pdf", freshenv=True)
def test_examples_inside_an_api_entry_are_headed_by_a_rubric(app: SphinxTestApp) -> None:
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "api.html").read_text(encoding="utf-8"), "html.parser")
    entry = page.select_one("dl.py.function dd")
    assert entry is not None
    assert not entry.select("section")
    example = entry.select_one("div.codeexamples-example")
    assert example is not None and example.get("id") == "tally-counters-count-words-example-1"
    rubric = example.select_one("p.rubric.codeexamples-example-title")
    assert rubric is not None and rubric.get_text() == "Example 1 from wordsmith"
