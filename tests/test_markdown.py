"""Markdown blurbs to docutils nodes: structure, safety and compact text."""

from __future__ import annotations

from docutils import nodes

from sphinx_codeexamples.ext.markdown import LinkPolicy, markdown_to_nodes


def render(text: str, base_url: str = "") -> nodes.paragraph:
    (paragraph,) = markdown_to_nodes(text, LinkPolicy(base_url=base_url))
    assert isinstance(paragraph, nodes.paragraph)
    return paragraph


def test_text_runs_are_one_node_across_line_breaks_and_inline_html() -> None:
    paragraph = render("A web app\nthat is <b>powered</b> by\n![the](x.png) SQLAlchemy.")
    assert [type(child) for child in paragraph.children] == [nodes.Text]
    assert paragraph.astext() == "A web app\nthat is powered by\nthe SQLAlchemy."


def test_links_and_markup_split_the_runs() -> None:
    paragraph = render(
        "[Flask](/flask.html) and\n**Django** [x](javascript:alert(1)) y", "https://fsp.example"
    )
    kinds = [type(child).__name__ for child in paragraph.children]
    assert kinds == ["reference", "Text", "strong", "Text"]
    assert paragraph[0]["refuri"] == "https://fsp.example/flask.html"
    assert paragraph[1] == " and\n"
    assert paragraph[3] == " x y"  # a dropped link's text joins the text around it


def test_dropped_links_keep_their_markup_without_a_wrapper() -> None:
    paragraph = render('see <a href="/f.html">the <em>Flask</em> page</a> and [**Django**](/d.html).')
    assert paragraph.astext() == "see the Flask page and Django."
    kinds = [type(child).__name__ for child in paragraph.children]
    assert kinds == ["Text", "strong", "Text"]  # raw <em> keeps only its text
