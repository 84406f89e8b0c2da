"""Turning the line spans a window shows into hunks and elisions.

:mod:`sphinx_codeexamples.extract.windows` chooses which lines to show; here
each span becomes a hunk (without blank lines at its edges, keeping its
original first line number) and one elision line, from the templates of
:mod:`sphinx_codeexamples.store.elision`, goes between two hunks, before the
first unless only blank lines precede it (*abbreviated*) and after the last
unless only blank lines follow (*continues*). Spans that touch are joined;
the window decides which spans are one hunk.

Source lines that the store reader would misread inside a code block (a line of
backticks that would close the fence, an unmarked line starting with a marker,
a comment that reads like an elision) are never copied: they are skipped like
any other source, with an elision in their place.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from ..model import CodePart, Elision, Hunk
from ..store.elision import ABBREVIATED, CONTINUES, is_elision

#: A code part as plain values: an elision's text, or a hunk's first line number, lines and marked
#: lines (indexes into its lines).
PlainPart = str | tuple[int | None, tuple[str, ...], tuple[int, ...]]


def build_code(
    lines: Sequence[str], spans: Iterable[tuple[int, int]], marked: Iterable[int], name: str
) -> tuple[CodePart, ...]:
    """The hunks and elisions showing the 1-based line *spans* of *lines*, *marked* lines marked.

    *name* goes into the elisions. A marked line outside every span is not
    shown (the window always covers them).
    """
    marks = sorted({line for line in marked if 1 <= line <= len(lines)})
    count = len(lines)
    clipped = sorted(
        (max(1, first), min(count, last)) for first, last in spans if first <= count and last >= 1
    )
    if not marks or not clipped:
        return ()
    pieces: list[tuple[int, int]] = []
    for first, last in _join(clipped, lines):
        pieces.extend(_safe_pieces(first, last, lines, marks))
    return _parts(pieces, lines, marks, name)


def _blank(lines: Sequence[str], first: int, last: int) -> bool:
    """True when the 1-based lines *first*..*last* are all blank (or there are none)."""
    return all(not lines[number - 1].strip() for number in range(first, last + 1))


def _join(regions: list[tuple[int, int]], lines: Sequence[str]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for first, last in regions:
        if joined:
            previous_first, previous_last = joined[-1]
            if first <= previous_last + 1:
                joined[-1] = (previous_first, max(previous_last, last))
                continue
        joined.append((first, last))
    return joined


def is_unsafe(line: str) -> bool:
    """True for an unmarked line the store reader would not read back as code."""
    if line.startswith(("~~", " ~~", "`~")):
        return True
    if "`" in line:
        stripped = line.strip()
        if stripped.startswith("```") and not stripped.strip("`"):
            return True
    return "#" in line and is_elision(line)


def _safe_pieces(first: int, last: int, lines: Sequence[str], marks: list[int]) -> list[tuple[int, int]]:
    """*first*..*last* split around unsafe lines, each piece without blank edges."""
    marked = set(marks)
    pieces: list[tuple[int, int]] = []
    start = first
    for number in range(first, last + 2):
        if number > last or (number not in marked and is_unsafe(lines[number - 1])):
            piece = _trim(start, number - 1, lines, marked)
            if piece is not None:
                pieces.append(piece)
            start = number + 1
    return pieces


def _trim(first: int, last: int, lines: Sequence[str], marked: set[int]) -> tuple[int, int] | None:
    while first <= last and first not in marked and not lines[first - 1].strip():
        first += 1
    while last >= first and last not in marked and not lines[last - 1].strip():
        last -= 1
    return (first, last) if first <= last else None


def _parts(
    pieces: list[tuple[int, int]], lines: Sequence[str], marks: list[int], name: str
) -> tuple[CodePart, ...]:
    parts: list[CodePart] = []
    position = 1
    skipped = Elision(ABBREVIATED.format(name=name))  # one object for all: they are equal and frozen
    for first, last in pieces:
        if parts or not _blank(lines, position, first - 1):
            parts.append(skipped)
        inside = marks[bisect_left(marks, first) : bisect_right(marks, last)]
        marked = frozenset(number - first for number in inside)
        parts.append(Hunk(lines=tuple(lines[first - 1 : last]), marked=marked, start=first))
        position = last + 1
    if not _blank(lines, position, len(lines)):
        parts.append(Elision(CONTINUES.format(name=name)))
    return tuple(parts)


def as_plain(code: Iterable[CodePart]) -> tuple[PlainPart, ...]:
    """*code* as tuples of strings and numbers. Results are held so until their pages are written:
    the garbage collector stops tracking such tuples, while it would walk tens of thousands of hunk
    objects again at every full collection that parsing the next files triggers."""
    return tuple(
        part.text if isinstance(part, Elision) else (part.start, part.lines, tuple(sorted(part.marked)))
        for part in code
    )


def from_plain(plain: Iterable[PlainPart]) -> tuple[CodePart, ...]:
    """The code parts that :func:`as_plain` gave *plain* for."""
    return tuple(
        Elision(part) if isinstance(part, str) else Hunk(part[1], frozenset(part[2]), part[0])
        for part in plain
    )
