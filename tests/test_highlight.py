"""The linking Pygments formatter, and the private Pygments API it relies on (pinned here)."""

from __future__ import annotations

import inspect

import pygments
import pytest
from bs4 import BeautifulSoup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from sphinx_codeexamples.ext.highlight import Link, LinkingHtmlFormatter

CODE = 'import json\nx = json.dumps(y)  # json.dumps\nprint("json.dumps")\n'
DUMPS: Link = (2, 9, 14, "dumps", "json.dumps", "https://docs.python.org/3/library/json.html#json.dumps")
JSON: Link = (2, 4, 8, "json", "json", "https://docs.python.org/3/library/json.html")


def render(links: list[Link], **options: object) -> BeautifulSoup:
    formatter = LinkingHtmlFormatter(code_links=links, **options)
    lexer = PythonLexer(stripnl=False)  # as Sphinx's PygmentsBridge makes it
    return BeautifulSoup(highlight(CODE, lexer, formatter), "html.parser")


def test_private_pygments_api_is_there() -> None:
    """Fails loudly when Pygments changes what the formatter overrides."""
    assert callable(getattr(HtmlFormatter, "_translate_parts", None)), pygments.__version__
    parameters = list(inspect.signature(HtmlFormatter.format_unencoded).parameters)
    assert parameters == ["self", "tokensource", "outfile"], pygments.__version__
    assert list(inspect.signature(HtmlFormatter._translate_parts).parameters) == ["self", "value"]


def test_links_wrap_the_tokens_at_their_positions() -> None:
    page = render([JSON, DUMPS])
    links = page.select("a.codeexamples-name")
    assert [(a.get_text(), a["href"], a["title"]) for a in links] == [
        ("json", JSON[5], "json"),
        ("dumps", DUMPS[5], "json.dumps"),
    ]
    # Each link sits inside the token's own span: the highlighting is unchanged.
    assert [a.parent["class"] for a in links] == [["n"], ["n"]]  # type: ignore[index]
    plain = BeautifulSoup(highlight(CODE, PythonLexer(stripnl=False), HtmlFormatter()), "html.parser")
    assert page.get_text() == plain.get_text()


def test_without_links_the_output_is_pygments_own() -> None:
    formatter = LinkingHtmlFormatter(code_links=[])
    lexer = PythonLexer(stripnl=False)
    assert highlight(CODE, lexer, formatter) == highlight(CODE, lexer, HtmlFormatter())


def test_a_token_whose_text_differs_is_not_linked() -> None:
    wrong = (2, 9, 14, "loads", "json.loads", "#loads")
    shifted = (2, 8, 13, ".dump", "json.dumps", "#x")
    assert render([wrong, shifted]).select("a") == []


def test_comments_and_strings_are_never_linked() -> None:
    in_comment = (2, 25, 30, "dumps", "json.dumps", "#c")
    in_string = (3, 12, 17, "dumps", "json.dumps", "#s")
    assert render([in_comment, in_string]).select("a") == []


def test_a_name_inside_a_longer_token_is_split_out() -> None:
    code = "from a.b import c\n"
    links: list[Link] = [(1, 5, 6, "a", "a", "#a"), (1, 7, 8, "b", "a.b", "#b")]
    html = highlight(code, PythonLexer(stripnl=False), LinkingHtmlFormatter(code_links=links))
    page = BeautifulSoup(html, "html.parser")
    assert [a.get_text() for a in page.select("a")] == ["a", "b"]
    assert (
        page.get_text()
        == BeautifulSoup(highlight(code, PythonLexer(), HtmlFormatter()), "html.parser").get_text()
    )


@pytest.mark.parametrize("linenos", ["inline", "table"])
def test_marked_lines_and_line_numbers(linenos: str) -> None:
    page = render([DUMPS], hl_lines=[2], linenos=linenos, linenostart=40)
    (marked,) = page.select("span.hll")
    assert [a.get_text() for a in marked.select("a")] == ["dumps"]
    numbers = [span.get_text().strip() for span in page.select("span.linenos, .linenodiv pre span")]
    numbers = numbers or page.select_one(".linenodiv pre").get_text().split()  # type: ignore[union-attr]
    assert numbers == ["40", "41", "42"]


def test_href_and_title_are_escaped() -> None:
    link = (2, 9, 14, "dumps", 'a"b<c', 'x.html?a=1&b="2"#y')
    (a,) = render([link]).select("a")
    assert a["href"] == 'x.html?a=1&b="2"#y'
    assert a["title"] == 'a"b<c'


def test_cached_parts_are_not_changed() -> None:
    """``_translate_parts`` is cached by value: a linked token must not leak into plain ones."""
    render([DUMPS])
    formatter = LinkingHtmlFormatter(code_links=[])
    assert "<a" not in highlight("dumps\n", PythonLexer(), formatter)
