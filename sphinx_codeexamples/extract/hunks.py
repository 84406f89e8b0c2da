"""Cutting a source file down to the parts around its uses: hunks and elisions.

Each marked line brings its context: the whole enclosing top-level function or
class when it is at most ``max_block`` lines long, else ``context`` lines on
each side. Regions closer than ``GAP`` lines (or separated only by blank lines)
are joined. Skipped source becomes one elision line, from the templates of
:mod:`sphinx_codeexamples.store.elision`: *abbreviated* before and between hunks,
*continues* after the last one.

Source lines that the store reader would misread inside a code block (a line of
backticks that would close the fence, an unmarked line starting with a marker,
a comment that reads like an elision) are never copied: they are skipped like
any other source, with an elision in their place.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ..model import CodePart, Elision, Hunk
from ..store.elision import ABBREVIATED, CONTINUES, is_elision

CONTEXT = 6
MAX_BLOCK = 40
GAP = 3


def build_code(
    lines: Sequence[str],
    marked: Iterable[int],
    name: str,
    blocks: Sequence[tuple[int, int]] = (),
    context: int = CONTEXT,
    max_block: int = MAX_BLOCK,
) -> tuple[CodePart, ...]:
    """The hunks and elisions showing the 1-based *marked* lines of *lines*.

    *blocks* are the ``(first, last)`` lines of the file's top-level functions
    and classes (decorators included), sorted; *name* goes into the elisions.
    """
    marks = sorted({line for line in marked if 1 <= line <= len(lines)})
    if not marks:
        return ()
    regions = [_region(line, len(lines), blocks, context, max_block) for line in marks]
    pieces: list[tuple[int, int]] = []
    for first, last in _join(sorted(regions), lines):
        pieces.extend(_safe_pieces(first, last, lines, marks))
    return _parts(pieces, lines, marks, name)


def _region(
    line: int, count: int, blocks: Sequence[tuple[int, int]], context: int, max_block: int
) -> tuple[int, int]:
    index = bisect_right(blocks, (line, count + 1)) - 1
    if index >= 0:
        first, last = blocks[index]
        if first <= line <= last and last - first + 1 <= max_block:
            return first, last
    return max(1, line - context), min(count, line + context)


def _blank(lines: Sequence[str], first: int, last: int) -> bool:
    """True when the 1-based lines *first*..*last* are all blank (or there are none)."""
    return all(not lines[number - 1].strip() for number in range(first, last + 1))


def _join(regions: list[tuple[int, int]], lines: Sequence[str]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for first, last in regions:
        if joined:
            previous_first, previous_last = joined[-1]
            if first <= previous_last + GAP + 1 or _blank(lines, previous_last + 1, first - 1):
                joined[-1] = (previous_first, max(previous_last, last))
                continue
        joined.append((first, last))
    return joined


def is_unsafe(line: str) -> bool:
    """True for an unmarked line the store reader would not read back as code."""
    stripped = line.strip()
    if len(stripped) >= 3 and set(stripped) == {"`"}:
        return True
    return line.startswith(("~~", " ~~", "`~")) or ("#" in line and is_elision(line))


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
    marked = set(marks)
    for first, last in pieces:
        if not _blank(lines, position, first - 1):
            parts.append(Elision(ABBREVIATED.format(name=name)))
        parts.append(
            Hunk(
                lines=tuple(lines[first - 1 : last]),
                marked=frozenset(number - first for number in range(first, last + 1) if number in marked),
                start=first,
            )
        )
        position = last + 1
    if not _blank(lines, position, len(lines)):
        parts.append(Elision(CONTINUES.format(name=name)))
    return tuple(parts)
