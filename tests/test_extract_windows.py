"""Windows from the syntax tree: items, trimming, imports, and hunks that parse."""

from __future__ import annotations

import argparse
import ast
import textwrap
from pathlib import Path

import pytest

from sphinx_codeexamples.extract.hunks import build_code
from sphinx_codeexamples.extract.windows import Outline, hunk_parses, span
from sphinx_codeexamples.model import Elision, Hunk


def outline(source: str) -> tuple[Outline, list[str]]:
    text = textwrap.dedent(source).lstrip("\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return Outline(ast.parse(text), lines), lines


def line_of(lines: list[str], needle: str, occurrence: int = 1) -> int:
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence - 1]


def shown(source: str, *needles: str) -> tuple[list[str], tuple[Hunk | Elision, ...]]:
    """The shown lines (blank ones left out) and the code parts for uses on the lines holding *needles*."""
    tree, lines = outline(source)
    marked = [line_of(lines, needle) for needle in needles]
    window = tree.window(marked)
    code = build_code(lines, window.spans, marked, "use")
    hunk_lines = [line for part in code if isinstance(part, Hunk) for line in part.lines if line.strip()]
    return hunk_lines, code


def test_a_method_is_shown_without_its_class_or_other_methods() -> None:
    lines, code = shown(
        """
        import os
        from lib import use, other

        class Big:
            def first(self):
                return other()

            def second(self):
                return use(os.sep)

            def third(self):
                return 3
        """,
        "return use(",
    )
    assert lines == [
        "import os",
        "from lib import use, other",
        "    def second(self):",
        "        return use(os.sep)",
    ]
    assert [part.start for part in code if isinstance(part, Hunk)] == [1, 8]
    assert isinstance(code[1], Elision) and isinstance(code[-1], Elision)


def test_a_class_body_statement_is_its_own_item_but_a_nested_class_is_kept_whole() -> None:
    lines, _ = shown(
        """
        from lib import Serializer

        class Session:
            name = "s"
            serializer: Serializer
            other = 2

            class Meta:
                model = Serializer
                ordering = ()
        """,
        "serializer: Serializer",
        "model = Serializer",
    )
    assert lines == [
        "from lib import Serializer",
        "    serializer: Serializer",
        "    class Meta:",
        "        model = Serializer",
        "        ordering = ()",
    ]


def test_a_module_level_statement_is_shown_whole_however_it_is_spread() -> None:
    lines, code = shown(
        """
        from lib import use

        urlpatterns = [
            path("a", view),
            use("b"),
        ]
        x = 1
        """,
        'use("b")',
    )
    assert lines[1:] == ["urlpatterns = [", '    path("a", view),', '    use("b"),', "]"]
    assert all(hunk_parses(part.lines) for part in code if isinstance(part, Hunk))


def long_function(uses_at: int, length: int = 40) -> str:
    body = [f"    step{number} = {number}" for number in range(length)]
    body[uses_at] = "    result = use(step1)"
    return (
        "from lib import use\n\n\ndef long():\n    '''Doc.'''\n" + "\n".join(body) + "\n    return result\n"
    )


def test_a_long_function_is_trimmed_to_whole_statements_around_the_use() -> None:
    tree, lines = outline(long_function(20))
    use = line_of(lines, "use(step1)")
    window = tree.window([use], context=1)
    code = build_code(lines, window.spans, [use], "use")
    hunks = [part for part in code if isinstance(part, Hunk)]
    assert [hunk.lines for hunk in hunks] == [
        ("from lib import use", "", "", "def long():", "    '''Doc.'''", "    step0 = 0"),
        ("    step19 = 19", "    result = use(step1)", "    step21 = 21"),
    ]
    assert [hunk.start for hunk in hunks] == [1, use - 1]
    assert hunks[-1].marked == frozenset({1})
    assert sum(isinstance(part, Elision) for part in code) == 2  # between, after


def test_a_use_in_the_last_statement_of_a_trimmed_item_before_another_item() -> None:
    """The last hunk of a trimmed method ends deeper than the next method starts: they stay apart."""
    source = long_function(39, length=40).replace("\n    return result\n", "\n") + (
        "\ndef after():\n    return use()\n"
    )
    tree, lines = outline(source)
    marked = [line_of(lines, "use(step1)"), line_of(lines, "return use()")]
    window = tree.window(marked)
    code = build_code(lines, window.spans, marked, "use")
    hunks = [part for part in code if isinstance(part, Hunk)]
    assert all(hunk_parses(hunk.lines) for hunk in hunks)
    assert hunks[-1].lines == ("def after():", "    return use()")
    assert isinstance(code[code.index(hunks[-1]) - 1], Elision)


def test_an_else_branch_pulls_in_its_if() -> None:
    body = "\n".join(f"        a{number} = {number}" for number in range(12))
    source = (
        "def f(x):\n    '''Doc.'''\n"
        + "\n".join(f"    b{number} = {number}" for number in range(30))
        + f"\n    if x:\n{body}\n    else:\n        y = use(x)\n    return y\n"
    )
    tree, lines = outline(source)
    use = line_of(lines, "use(x)")
    code = build_code(lines, tree.window([use]).spans, [use], "use")
    hunks = [part for part in code if isinstance(part, Hunk)]
    assert all(hunk_parses(hunk.lines) for hunk in hunks)
    assert any("    if x:" in hunk.lines and "    else:" in hunk.lines for hunk in hunks)


def test_a_long_try_shows_its_statements_without_the_clause_headers() -> None:
    inner = "\n".join(f"    s{number} = {number}" for number in range(40))
    source = f"try:\n{inner}\n    x = use()\nexcept ImportError:\n    x = None\n"
    tree, lines = outline(source)
    use = line_of(lines, "use()")
    code = build_code(lines, tree.window([use], context=0).spans, [use], "use")
    assert [part.lines for part in code if isinstance(part, Hunk)] == [("    x = use()",)]


def test_only_the_imports_the_shown_code_needs() -> None:
    lines, _ = shown(
        """
        from __future__ import annotations

        import os
        import sys
        import typing as t
        from lib import use

        if t.TYPE_CHECKING:
            from lib import Thing

        def unrelated():
            return sys.argv

        def f(thing: Thing):
            return use(os.sep)
        """,
        "return use(",
    )
    assert lines == [
        "import os",
        "import typing as t",
        "from lib import use",
        "if t.TYPE_CHECKING:",
        "    from lib import Thing",
        "def f(thing: Thing):",
        "    return use(os.sep)",
    ]


def test_an_import_that_is_a_use_is_always_shown() -> None:
    lines, code = shown(
        """
        import os
        from lib import use
        """,
        "from lib import use",
    )
    assert lines == ["from lib import use"]
    assert code[-1] == Hunk(("from lib import use",), frozenset({0}), 2)


def test_every_use_is_marked_and_every_hunk_parses_over_real_modules() -> None:
    """Over stdlib modules, a use on any line with a name gives hunks that parse and mark it."""
    failures = []
    for module in (textwrap, ast, pytest):
        path = Path(module.__file__ or "")
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines = text.split("\n")
        names = sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.Name)})
        shape = Outline(tree, lines)
        for use in names[::5]:
            code = build_code(lines, shape.window([use, names[0]]).spans, [use, names[0]], "use")
            hunks = [part for part in code if isinstance(part, Hunk)]
            marked = {hunk.start + index for hunk in hunks if hunk.start for index in hunk.marked}
            if marked != {use, names[0]} or not all(hunk_parses(hunk.lines) for hunk in hunks):
                failures.append(f"{path.name}:{use}")
    assert failures == []


def test_hunk_parses_reads_strings_at_column_zero_like_python() -> None:
    assert hunk_parses(["    x = '''", "at column zero", "'''", "    y = 1"])
    assert not hunk_parses(["    x = 1", "y = 2"])
    assert not hunk_parses(["try:", "    x = 1"])


def test_names_in_strings_and_comments_need_no_import_but_f_strings_do() -> None:
    lines, _ = shown(
        """
        import json
        import os
        import sys
        from lib import use

        def f():
            '''Uses json, says the docstring.'''
            # sys is mentioned here only
            return use(f"{os.sep}")
        """,
        "return use(",
    )
    assert [line for line in lines if line.startswith(("import", "from"))] == [
        "import os",
        "from lib import use",
    ]


def test_an_import_that_is_a_use_does_not_pull_in_the_package_import() -> None:
    lines, _ = shown(
        """
        import django
        from django.core.exceptions import Improper

        def f():
            raise Improper()
        """,
        "import Improper",
        "raise Improper()",
    )
    assert "import django" not in lines


WHOLE_CASES = {
    # name: (source, first line, last line, known by the tree to parse)
    "a whole function": ("def f():\n    x = 1\n    return x\n", 1, 3, True),
    "a header with its first statement": ("def f():\n    x = 1\n    return x\n", 1, 2, True),
    "a header alone": ("def f(\n    a,\n):\n    return a\n", 1, 3, False),
    "statements of a body": ("def f():\n    x = 1\n    y = 2\n    return x\n", 2, 3, True),
    "from a body out of it": ("def f():\n    x = 1\ny = 2\n", 2, 3, False),
    "an if cut in its else": ("if a:\n    x = 1\nelse:\n    y = 2\n    z = 3\n", 1, 4, True),
    "ending on an else line": ("if a:\n    x = 1\nelse:\n    y = 2\n", 1, 3, False),
    "starting at an elif": ("if a:\n    x = 1\nelif b:\n    y = 2\n", 3, 4, False),
    "starting after else:": ("if a:\n    x = 1\nelse: y = 2\n", 3, 3, False),
    "a try without its except": ("try:\n    x = 1\n    y = 2\nexcept E:\n    pass\n", 1, 2, False),
    "a try cut in its except": ("try:\n    x = 1\nexcept E:\n    y = 2\n    z = 3\n", 1, 4, True),
    "a second statement on the line": ("x = 1; y = 2\n", 1, 1, True),
    "a statement that goes on": ("x = 1; y = (\n    2)\n", 1, 1, False),
    "a string line at column 0": ("def f():\n    x = '''\nat zero\n'''\n    return x\n", 2, 5, False),
    "a comment at column 0": ("def f():\n    x = 1\n# note\n    return x\n", 2, 4, False),
    "tabs after spaces": ("if a:\n    if b:\n    \tx = 1\n", 2, 3, False),
    "a decorated function": ("@dec\ndef f():\n    return 1\n", 1, 3, True),
    "a match cut in a case": (
        "match x:\n    case 1:\n        a = 1\n    case _:\n        b = 2\n        c = 3\n",
        1,
        5,
        True,
    ),
}


@pytest.mark.parametrize("name", WHOLE_CASES)
def test_hunks_known_to_parse_by_the_tree(name: str) -> None:
    source, first, last, whole = WHOLE_CASES[name]
    tree, lines = outline(source)
    assert tree._whole((first, last)) is whole
    if whole:
        assert hunk_parses(lines[first - 1 : last])


def test_what_the_tree_says_parses_does_parse_over_real_modules() -> None:
    """From each statement's first line to the end of a later one (or a line near it): whenever the
    tree says the lines parse, they do; and it says so for most whole runs of statements."""
    unsound, known, runs = [], 0, 0
    for module in (textwrap, ast, pytest, argparse):
        path = Path(module.__file__ or "")
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines = text.split("\n")
        shape = Outline(tree, lines)
        statements = [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]
        for index, statement in enumerate(statements[::7]):
            first = span(statement)[0]
            for other in statements[index * 7 : index * 7 + 12 : 3]:
                for last in (span(other)[1], span(other)[1] - 1, span(other)[1] + 2):
                    if last < first or last > len(lines):
                        continue
                    if shape._whole((first, last)):
                        known += 1
                        if not hunk_parses(lines[first - 1 : last]):
                            unsound.append(f"{path.name}:{first}-{last}")
            runs += 1
    assert unsound == []
    assert known > runs  # not a check that always says "unsure"
