"""Cutting files into hunks and elisions, and reading them back through the store format."""

from __future__ import annotations

from sphinx_codeexamples.extract.hunks import as_plain, build_code, from_plain, is_unsafe
from sphinx_codeexamples.model import CallableName, Elision, Example, Hunk, Page, PageMeta
from sphinx_codeexamples.store import parse_page, render_page
from sphinx_codeexamples.store.elision import ABBREVIATED, CONTINUES

ABBR = ABBREVIATED.format(name="f")
CONT = CONTINUES.format(name="f")


def numbered(count: int) -> list[str]:
    return [f"line{number}" for number in range(1, count + 1)]


def round_trip(code: tuple[Hunk | Elision, ...]) -> tuple[Hunk | Elision, ...]:
    page = Page(
        path="p.md",
        meta=PageMeta(
            title="m f Example Code",
            slug="m-f-examples",
            sortorder="500000010",
            sidebartitle="m f",
            meta="m.",
        ),
        callable=CallableName("m", "f"),
        examples=(Example(1, "proj", "", "proj / a.py", "https://example.org/a.py", code),),
    )
    parsed, problems = parse_page(render_page(page), "p.md")
    assert problems == []
    assert parsed is not None
    return parsed.examples[0].code


def test_spans_with_elisions_before_between_and_after() -> None:
    lines = numbered(60)
    code = build_code(lines, [(8, 12), (38, 42)], [10, 40], "f")
    assert code == (
        Elision(ABBR),
        Hunk(tuple(lines[7:12]), frozenset({2}), 8),
        Elision(ABBR),
        Hunk(tuple(lines[37:42]), frozenset({2}), 38),
        Elision(CONT),
    )
    assert round_trip(code) == code


def test_no_elisions_when_the_whole_file_is_shown() -> None:
    lines = numbered(5)
    assert build_code(lines, [(1, 5)], [1, 5], "f") == (Hunk(tuple(lines), frozenset({0, 4}), 1),)


def test_touching_spans_are_joined() -> None:
    lines = numbered(40)
    code = build_code(lines, [(8, 12), (13, 20)], [10, 18], "f")
    assert [(part.start, len(part.lines)) for part in code if isinstance(part, Hunk)] == [(8, 13)]


def test_blank_edges_are_trimmed_and_blank_separated_spans_keep_an_elision() -> None:
    """The window joins spans that read well together; two spans it kept apart stay apart."""
    lines = ["", "use", "", "", "b", "", "", "use2", ""]
    code = build_code(lines, [(1, 3), (6, 9)], [2, 8], "f")
    assert code == (
        Hunk(("use",), frozenset({0}), 2),
        Elision(ABBR),
        Hunk(("use2",), frozenset({0}), 8),
    )
    assert round_trip(code) == code


def test_unsafe_lines_are_replaced_by_elisions() -> None:
    lines = [
        "def f():",
        '    """Example::',
        "```",
        "~~not a marker",
        " ~~nor this",
        "`~ nor this",
        "# ... source file continues with more ...",
        '    """',
        "    return use()",
    ]
    code = build_code(lines, [(1, 9)], [9], "f")
    assert code == (
        Hunk(tuple(lines[:2]), frozenset(), 1),
        Elision(ABBR),
        Hunk(tuple(lines[7:]), frozenset({1}), 8),
    )
    assert round_trip(code) == code


def test_marked_lines_are_kept_even_when_they_look_odd() -> None:
    lines = ["~~x = use()", "y"]
    code = build_code(lines, [(1, 2)], [1], "f")
    assert code == (Hunk(tuple(lines), frozenset({0}), 1),)
    assert round_trip(code) == code


def test_is_unsafe() -> None:
    assert is_unsafe("   ````  ")
    assert not is_unsafe("```python")
    assert not is_unsafe("x = 1  # normal comment")
    assert is_unsafe("## ... source file abbreviated to get to x examples ...")


def test_dotless_elision_lines_in_source_are_not_copied_but_ordinary_comments_are() -> None:
    lines = [
        "def f():",
        "    # code continues on from here without further examples",
        "    # continue from here",
        "    return use()",
    ]
    assert is_unsafe(lines[1]) and not is_unsafe(lines[2])
    code = build_code(lines, [(1, 4)], [4], "f")
    assert code == (
        Hunk(tuple(lines[:1]), frozenset(), 1),
        Elision(ABBR),
        Hunk(tuple(lines[2:]), frozenset({1}), 3),
    )
    assert round_trip(code) == code


def test_nothing_marked_or_shown_gives_nothing() -> None:
    assert build_code(["a"], [(1, 1)], [], "f") == ()
    assert build_code(["a"], [(1, 1)], [5], "f") == ()
    assert build_code(["a"], [], [1], "f") == ()
    assert build_code(["a"], [(3, 9)], [1], "f") == ()


def plain(value: object) -> bool:
    """True for strings, numbers, None and tuples of those: values the garbage collector lets go of."""
    if isinstance(value, tuple):
        return all(plain(item) for item in value)
    return value is None or isinstance(value, (str, int))


def test_code_is_held_as_plain_values_and_comes_back_the_same() -> None:
    lines = numbered(60)
    code = build_code(lines, [(8, 12), (38, 42)], [9, 10, 40], "f")
    assert plain(as_plain(code))
    assert from_plain(as_plain(code)) == code
    assert from_plain(as_plain(())) == ()
