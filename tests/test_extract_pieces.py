"""Parsing a large module in pieces gives the tree of ``ast.parse``, at a lower peak."""

from __future__ import annotations

import ast
import sysconfig
import textwrap
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_codeexamples.extract.pieces import PIECE_CHARS, parse_module


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


REAL_PARSE = ast.parse


def assert_same_tree(text: str) -> None:
    assert dump(parse_module(text)) == dump(ast.parse(text))


def whole_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the large texts parsed from the first line on (not a piece): whole files."""
    wholes: list[int] = []
    real = ast.parse

    def counting(source: str, filename: str = "<unknown>") -> ast.Module:
        if not source.startswith(("\n", "if 1:")) and len(source) > 2 * PIECE_CHARS:
            wholes.append(len(source))
        return real(source, filename=filename)

    monkeypatch.setattr(ast, "parse", counting)
    return wholes


FUNCTION = '''\
def function_{n}(argument, *rest, key=None):
    """A docstring
with a line at column 0 that looks like code:
value = 1
"""
    total = [item for item in rest if item]  # a comment
    if argument:
        return (
            argument,
            total,
        )
    elif key:
        pass
    else:
        raise ValueError(f"no {{argument!r}}")
'''

CLASS_HEAD = '''\
@decorator(
    "with arguments",
)
@another
class Long{n}(Base, metaclass=Meta):
    """A long class: its body is cut too."""

'''

METHOD = """\
    @property
    def method_{n}(self) -> int:
        try:
            value = self.compute(
    "a continuation line at the body's indentation",
            )
        except KeyError:
            value = 0
        finally:
            self.done = True
        return value

"""

TOP_LEVEL = '''\
x_{n} = """
a string with lines at column 0
def not_a_function():
"""
if x_{n}:
    y = 1
else:
    y = 2
try:
    z = y
except Exception:
    z = None
'''


def long_module(parts: int = 80, methods: int = 150) -> str:
    text = "import os\nfrom typing import *\n\n"
    for number in range(parts):
        text += FUNCTION.format(n=number) + "\n" + TOP_LEVEL.format(n=number) + "\n"
    text += CLASS_HEAD.format(n=0) + "".join(METHOD.format(n=number) for number in range(methods))
    return text + "\nafter = Long0()\n"


def test_a_long_module_gives_the_same_tree_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    text = long_module()
    assert len(text) > 4 * PIECE_CHARS
    wholes = whole_parses(monkeypatch)
    assert dump(parse_module(text)) == dump(REAL_PARSE(text))
    assert wholes == []  # parsed in pieces, the class's body too: never as a whole


def test_the_pieces_lower_the_peak() -> None:
    text = long_module(parts=200, methods=400)

    def overhead(parse: Callable[[str], ast.Module]) -> int:
        """The peak of *parse* beyond the tree it returns."""
        tracemalloc.start()
        try:
            tree = parse(text)
            size, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        del tree
        return peak - size

    assert overhead(parse_module) < overhead(REAL_PARSE) / 4


def test_quotes_that_mislead_the_string_guess_never_change_the_tree() -> None:
    # Three quotes inside a one-line string make the lines after them look like the lines of a
    # string: the statements after the long class are not cut off from it, so its last run holds
    # more than its body; that run is not taken as the body, and the class is parsed whole.
    methods = "".join(METHOD.format(n=number) for number in range(150))
    text = "class Long:\n" + methods + '    marker = \'"""\'\nafter = 1\nlast = \'"""\'\n'
    assert len(text) > 2 * PIECE_CHARS
    tree = parse_module(text)
    assert dump(tree) == dump(REAL_PARSE(text))
    assert [type(statement).__name__ for statement in tree.body] == ["ClassDef", "Assign", "Assign"]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("def broken(:\n    pass\n", "invalid syntax"),
        ('s = """never closed\n', "unterminated triple-quoted string literal"),
        ("class Open(\n", "was never closed"),
    ],
)
def test_a_syntax_error_is_the_one_of_the_whole_file(breakage: str, expected: str) -> None:
    text = long_module()
    middle = text.index("def function_30")
    text = text[:middle] + breakage + text[middle:]
    with pytest.raises(SyntaxError) as whole:
        ast.parse(text, filename="big.py")
    with pytest.raises(SyntaxError) as in_pieces:
        parse_module(text, filename="big.py")
    assert expected in str(in_pieces.value)
    assert (in_pieces.value.msg, in_pieces.value.lineno, in_pieces.value.filename) == (
        whole.value.msg,
        whole.value.lineno,
        "big.py",
    )


@pytest.mark.parametrize(
    "odd",
    [
        lambda text: text + "if True:\n\tpass\n",
        lambda text: text + "\f\nvalue = 2\n",
        lambda text: text.replace("\n", "\r\n"),
    ],
    ids=["tab", "form feed", "carriage return"],
)
def test_tabs_form_feeds_and_carriage_returns_parse_whole(
    monkeypatch: pytest.MonkeyPatch, odd: Callable[[str], str]
) -> None:
    text = odd(long_module())
    wholes = whole_parses(monkeypatch)
    assert_same_tree(text)
    assert len(wholes) == 2  # parse_module's and the test's own


def test_a_small_module_is_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    text = FUNCTION.format(n=1) * 3
    seen: list[str] = []

    def recording(source: str, filename: str = "<unknown>") -> ast.Module:
        seen.append(source)
        return REAL_PARSE(source, filename=filename)

    monkeypatch.setattr(ast, "parse", recording)
    assert dump(parse_module(text)) == dump(REAL_PARSE(text))
    assert seen == [text]


# Blocks of code that a cut could fall inside of: strings and brackets with lines at any indentation.
_SNIPPETS = st.sampled_from(
    [
        "value = 1\n",
        "@decorator\ndef f():\n    return 1\n",
        'text = """\nclass NotAClass:\n    pass\n"""\n',
        "text = '''\n    indented = 'inside'\n'''\n",
        "call(\n    1,\n)\n",
        "call(\n1,\n)\n",
        "total = 1 + \\\n2\n",
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
        "try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n",
        "class C:\n    x = 1\n\n    def m(self):\n        return '''\n    def fake(self):\n'''\n",
        "# a comment\n",
        "\n",
        'escaped = "\\"\\"\\"" + """ closes"""\n',
        "match command:\n    case [x]:\n        pass\n",
        "async def g():\n    await h()\n",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_SNIPPETS, min_size=1, max_size=40), st.integers(min_value=40, max_value=400))
def test_any_mix_of_statements_gives_the_same_tree(snippets: list[str], repeat: int) -> None:
    body = "".join(snippets)
    indented = "class Holder:\n" + textwrap.indent(body, "    ") * (repeat // 4 + 1)
    text = body * repeat + indented
    try:
        expected = dump(ast.parse(text))
    except SyntaxError:
        with pytest.raises(SyntaxError):
            parse_module(text)
        return
    assert dump(parse_module(text)) == expected


def large_standard_library_modules() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    found = sorted(path for path in root.glob("*.py") if path.stat().st_size > 2 * PIECE_CHARS)
    return found[:: max(1, len(found) // 40)]


@pytest.mark.parametrize("path", large_standard_library_modules(), ids=lambda path: path.name)
def test_real_modules_give_the_same_tree(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes in old modules
        assert_same_tree(text)
