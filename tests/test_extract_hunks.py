"""Cutting files into hunks and elisions, and reading them back through the store format."""

from __future__ import annotations

from sphinx_codeexamples.extract.hunks import build_code, is_unsafe
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


def test_window_with_elisions_before_between_and_after() -> None:
    lines = numbered(60)
    code = build_code(lines, [10, 40], "f", context=2)
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
    assert build_code(lines, [1, 5], "f", context=3) == (Hunk(tuple(lines), frozenset({0, 4}), 1),)


def test_close_regions_are_joined() -> None:
    lines = numbered(40)
    code = build_code(lines, [10, 18], "f", context=2)
    assert [part.start for part in code if isinstance(part, Hunk)] == [8]


def test_enclosing_short_top_level_block_is_shown_whole() -> None:
    lines = numbered(100)
    code = build_code(lines, [30], "f", blocks=[(20, 35), (50, 99)], context=1)
    hunks = [part for part in code if isinstance(part, Hunk)]
    assert [(hunk.start, len(hunk.lines)) for hunk in hunks] == [(20, 16)]
    # A block longer than max_block falls back to the window.
    code = build_code(lines, [60], "f", blocks=[(20, 35), (50, 99)], context=1, max_block=40)
    assert [(part.start, len(part.lines)) for part in code if isinstance(part, Hunk)] == [(59, 3)]


def test_blank_edges_are_trimmed_and_blank_gaps_joined() -> None:
    lines = ["a", "", "", "use", "", "", "b", "", "", "", "", "", "", "", "", "use2", ""]
    code = build_code(lines, [4, 16], "f", context=2)
    assert code == (
        Elision(ABBR),
        Hunk(("use",), frozenset({0}), 4),
        Elision(ABBR),
        Hunk(("use2",), frozenset({0}), 16),
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
    code = build_code(lines, [9], "f", context=10)
    assert code == (
        Hunk(tuple(lines[:2]), frozenset(), 1),
        Elision(ABBR),
        Hunk(tuple(lines[7:]), frozenset({1}), 8),
    )
    assert round_trip(code) == code


def test_marked_lines_are_kept_even_when_they_look_odd() -> None:
    lines = ["~~x = use()", "y"]
    code = build_code(lines, [1], "f", context=1)
    assert code == (Hunk(tuple(lines), frozenset({0}), 1),)
    assert round_trip(code) == code


def test_is_unsafe() -> None:
    assert is_unsafe("   ````  ")
    assert not is_unsafe("```python")
    assert not is_unsafe("x = 1  # normal comment")
    assert is_unsafe("## ... source file abbreviated to get to x examples ...")


def test_nothing_marked_gives_nothing() -> None:
    assert build_code(["a"], [], "f") == ()
    assert build_code(["a"], [5], "f") == ()


def test_dotless_elision_lines_in_source_are_not_copied_but_ordinary_comments_are() -> None:
    lines = [
        "def f():",
        "    # code continues on from here without further examples",
        "    # continue from here",
        "    return use()",
    ]
    assert is_unsafe(lines[1]) and not is_unsafe(lines[2])
    code = build_code(lines, [4], "f", context=10)
    assert code == (
        Hunk(tuple(lines[:1]), frozenset(), 1),
        Elision(ABBR),
        Hunk(tuple(lines[2:]), frozenset({1}), 3),
    )
    assert round_trip(code) == code
