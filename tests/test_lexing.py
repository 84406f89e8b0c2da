"""Example code lexed while reading: the kept tokens are the writer's, and the output is unchanged."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pygments
import pytest
from docutils import nodes
from sphinx.highlighting import PygmentsBridge
from sphinx.testing.util import SphinxTestApp

from sphinx_codeexamples.ext import highlight, lexing
from sphinx_codeexamples.ext.highlight import linked_literal_block

ROOT = Path(__file__).parent / "roots" / "test-links"

SOURCES = {
    "plain": "import json\n\ndef load(path):\n    return json.loads(open(path).read())",
    "blank edges": "\n\n   x = 1\n\n\n",
    "tabs and CRLF": "if x:\r\n\treturn 'a\tb'\r\n",
    "non-ASCII": "naïve = '日本語'  # ünïcode\nprint(naïve)\n",
    "empty": "",
    "long token": "s = '" + "x" * 70_000 + "'\n",
    "session": ">>> import json\n>>> json.dumps(1)\n'1'\n",
}


def block(source: str, language: str = "python", force: bool = True) -> linked_literal_block:
    node = linked_literal_block(source, source)
    node["language"] = language
    node["force"] = force
    return node


def config(**highlight_options: dict[str, Any]) -> Any:
    return SimpleNamespace(highlight_options=highlight_options)


def writer_tokens(bridge: PygmentsBridge, node: nodes.literal_block, options: dict[str, Any]) -> list[Any]:
    """What Sphinx's writer lexes for *node*."""
    lexer = bridge.get_lexer(node.rawsource, node["language"], options, node["force"], node)
    return list(lexer.get_tokens(node.rawsource))


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("language", ["python", "default", "javascript", "pycon"])
def test_kept_tokens_are_the_writers(name: str, language: str) -> None:
    bridge = PygmentsBridge("html")
    node = block(SOURCES[name], language)
    kept = lexing.lexed(bridge, node, config())
    assert kept is not None
    node[lexing.LEXED] = pickle.loads(pickle.dumps(kept))  # as a doctree is stored
    assert lexing.tokens(node) == writer_tokens(bridge, node, {})


def test_lexer_options_are_applied() -> None:
    """An option that changes the text (stripall) is honoured: the tokens keep their own text."""
    bridge = PygmentsBridge("html")
    node = block("\n  x = 1  \n\n")
    options = {"python": {"stripall": True}}
    kept = lexing.lexed(bridge, node, config(**options))
    assert kept is not None
    node[lexing.LEXED] = kept
    assert lexing.tokens(node) == writer_tokens(bridge, node, options["python"])


def test_tokens_are_dropped_when_the_text_or_pygments_changed() -> None:
    bridge = PygmentsBridge("html")
    node = block("x = 1\n")
    kept = lexing.lexed(bridge, node, config())
    assert kept is not None
    node[lexing.LEXED] = kept
    assert lexing.tokens(node) is not None
    other = block("x = 2\n")
    other[lexing.LEXED] = kept
    assert lexing.tokens(other) is None
    node[lexing.LEXED] = ("0.0", *kept[1:])
    assert lexing.tokens(node) is None


def test_nothing_is_kept_where_sphinx_would_warn_or_fall_back() -> None:
    bridge = PygmentsBridge("html")
    assert lexing.lexed(bridge, block("x", "no-such-language"), config()) is None
    # Without force, a lexing error makes Sphinx fall back to plain text (and warn): let it.
    assert lexing.lexed(bridge, block("x = $", "python", force=False), config()) is None


def test_replaying_lends_the_tokens_for_the_block_only() -> None:
    bridge = PygmentsBridge("html")
    node = block("import json\njson.loads(s)\n")
    node[lexing.LEXED] = lexing.lexed(bridge, node, config())
    expected = bridge.highlight_block(node.rawsource, "python", force=True, hl_lines=[2])
    with lexing.replaying(bridge, node):
        assert bridge.highlight_block(node.rawsource, "python", force=True, hl_lines=[2]) == expected
    # Sphinx's highlight_block takes its lexer from get_lexer: tokens lent are the tokens shown.
    other = block(node.rawsource)
    other[lexing.LEXED] = lexing.lexed(bridge, block(node.rawsource, "text"), config())
    with lexing.replaying(bridge, other):
        plain = bridge.highlight_block(node.rawsource, "python", force=True)
    assert '<span class="kn">' not in plain and '<span class="kn">' in expected
    assert bridge.highlight_block(node.rawsource, "python", force=True) != plain  # lent for the block only


# -- in real builds -------------------------------------------------------------------------------

Build = Callable[..., Path]


@pytest.fixture
def build(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> Build:
    def run(name: str, buildername: str, parallel: int = 0) -> Path:
        srcdir = tmp_path / name
        shutil.copytree(ROOT, srcdir)
        app = make_app(buildername, srcdir=srcdir, parallel=parallel)
        app.build()
        return Path(app.outdir)

    return run


def files(outdir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".tex"}
    }


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.parametrize("buildername", ["html", "latex"])
def test_output_is_the_same_as_lexing_while_writing(
    build: Build, monkeypatch: pytest.MonkeyPatch, buildername: str, parallel: int
) -> None:
    kept = files(build("kept", buildername, parallel))
    monkeypatch.setattr(highlight, "lexed", lambda *args: None)
    written = files(build("written", buildername, parallel))
    assert kept == written
    assert any(b'class="highlight' in page or b"sphinxVerbatim" in page for page in kept.values())


def test_blocks_keep_tokens_for_builders_that_highlight(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    for buildername, expected in (("html", True), ("text", False)):
        srcdir = tmp_path / buildername
        shutil.copytree(ROOT, srcdir)
        app = make_app(buildername, srcdir=srcdir)
        app.build()
        blocks = [
            node
            for docname in app.env.found_docs
            for node in app.env.get_doctree(docname).findall(linked_literal_block)
        ]
        assert blocks
        assert all((lexing.LEXED in node) is expected for node in blocks)
        if expected:
            assert all(node[lexing.LEXED][0] == pygments.__version__ for node in blocks)


def test_latex_after_html_reuses_their_tokens(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
    """Builders that share a doctree directory (``sphinx-build -M``) share the kept tokens."""
    shared = tmp_path / "shared"
    shutil.copytree(ROOT, shared)
    make_app("html", srcdir=shared).build()
    latex = make_app("latex", srcdir=shared)
    latex.build()
    assert "0 added, 0 changed, 0 removed" in latex.status.getvalue()  # nothing read again
    fresh = tmp_path / "fresh"
    shutil.copytree(ROOT, fresh)
    alone = make_app("latex", srcdir=fresh)
    alone.build()
    assert files(Path(latex.outdir)) == files(Path(alone.outdir))
