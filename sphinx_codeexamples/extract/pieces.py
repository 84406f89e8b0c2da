"""Parsing a large module in pieces: the tree of ``ast.parse``, at about half its peak.

While ``ast.parse`` builds the Python tree of a file it also holds the parser's
own tree of the whole file, so its peak is about twice the tree it returns
(black's 165 kB ``tests/test_black.py``: a 6.5 MiB tree, a 13.9 MiB peak), and
the peak of an extraction is the parse of its largest file. A block's statements
each start on a line of their own at the block's indentation, so
:func:`parse_module` parses runs of them (about :data:`PIECE_CHARS` characters,
or one longer statement) and puts the statements together; a long class or
function is parsed as its first lines, then its body cut the same way. Each run
is parsed at its own lines and columns (after blank lines; an indented run
inside ``if 1:``), so every node has the position it has in the whole file: the
tree is the same, and the peak of that file is 6.9 MiB.

Cuts are made only at lines that look like the start of a statement. One that
only looks like it (inside a string or brackets) leaves a run that does not
parse: it is parsed again with the next run. A body run that parses to more
than its block, or does not parse to its end, makes its class or function parsed
whole. When a run does not parse even so, the file is parsed whole, so a syntax
error is the one ``ast.parse`` reports. Files with tabs, form feeds or carriage
returns (whose indentation is harder to compare) are parsed whole, as are small ones.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from functools import cache

#: About the most characters parsed at once (about 400 lines), unless one statement is longer.
PIECE_CHARS = 16_000
_TRIPLE_QUOTES = re.compile("\"\"\"|'''")
_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")
_DEFINES = re.compile(r"(?:async[ \t]+def|def|class)\b")
_CODE_LINE = re.compile(r"\n( *)([^ #\n])")
_Definition = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef


class _Misfit(Exception):
    """A run that parsed to something other than one block."""


def parse_module(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text, filename)``, parsed in pieces when *text* is large (see the module's docstring)."""
    if len(text) < 2 * PIECE_CHARS or "\t" in text or "\f" in text or "\r" in text:
        return ast.parse(text, filename=filename)
    source = _Source("\n" + text)  # every line follows a newline, the first one too
    try:
        return ast.Module(body=source.block(1, len(source.text), 0, indented=False), type_ignores=[])
    except SyntaxError:  # a _Misfit is only raised, and caught, inside a definition
        return ast.parse(text, filename=filename)


class _Source:
    """The text being parsed (after a newline), where triple-quoted strings seem to be, and the runs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.strings = _triple_quoted(text)

    def block(self, head: int, tail: int, indent: int, indented: bool) -> list[ast.stmt]:
        """The statements of a block's text ``[head, tail)`` (offsets of lines), parsed run by run.

        A run that does not parse most likely ends inside a string or brackets: it is
        parsed again with the next run, and so on (the error is raised at the block's end).
        """
        body: list[ast.stmt] = []
        runs = iter(_runs(self.starts(head, tail, indent), head, tail))
        for begin, end in runs:
            if end - begin > PIECE_CHARS and (definition := self.definition(begin, end, indent, indented)):
                body.append(definition)
                continue
            while True:
                try:
                    body.extend(self.parse(begin, end, indented))
                    break
                except SyntaxError:
                    following = next(runs, None)
                    if following is None:
                        raise
                    end = following[1]
        return body

    def starts(self, head: int, tail: int, indent: int) -> list[int]:
        """The lines of ``[head, tail)`` that may start a statement at *indent* (more is harmless)."""
        starts = []
        decorated = False
        # from the newline before *head*: a pattern that starts with one is searched for quickly
        for match in _code_at(indent).finditer(self.text, head - 1, tail):
            code, first = match.start(1), match[1]
            if first in ")]}" or bisect_right(self.strings, code) % 2:
                continue  # closing brackets opened on an earlier line; or in a string
            if not decorated and not _CONTINUES.match(self.text, code):
                starts.append(match.start() + 1)  # the line, after its newline
            decorated = first == "@"  # the next line continues the decorated statement
        return starts

    def parse(self, head: int, tail: int, indented: bool) -> list[ast.stmt]:
        """The statements of ``[head, tail)``, at their places in the file."""
        number = self.text.count("\n", 0, head)  # the line at *head*
        if not indented:
            return ast.parse("\n" * (number - 1) + self.text[head:tail]).body
        tree = ast.parse("\n" * (number - 2) + "if 1:\n" + self.text[head:tail])
        if len(tree.body) != 1:  # a line dedented out of the block: not a run of it
            raise _Misfit
        block: ast.If = tree.body[0]  # type: ignore[assignment]
        return block.body

    def definition(self, head: int, tail: int, indent: int, indented: bool) -> ast.stmt | None:
        """A long class or function, parsed as its first lines then the rest of its body; None if it
        is not one (or is not parsed so)."""
        lines = _code_at(indent).finditer(self.text, head - 1, tail)
        header = next((line for line in lines if line[1] not in "@)]}"), None)  # after the decorators
        if header is None or not _DEFINES.match(self.text, header.start(1)):
            return None
        inside = _CODE_LINE.search(self.text, header.end(), tail)
        inner = len(inside[1]) if inside is not None else 0
        starts = self.starts(inside.start(1), tail, inner) if inside is not None and inner > indent else []
        if len(starts) < 2:
            return None
        try:
            opening = _runs(starts, starts[0], tail)[0][1]
            parsed = self.parse(head, opening, indented)
            if len(parsed) != 1 or not isinstance(parsed[0], _Definition):
                return None
            definition = parsed[0]
            definition.body.extend(self.block(opening, tail, inner, indented=True))
        except (SyntaxError, _Misfit):
            return None
        last = definition.body[-1]
        definition.end_lineno, definition.end_col_offset = last.end_lineno, last.end_col_offset
        return definition


@cache
def _code_at(indent: int) -> re.Pattern[str]:
    """Lines with code (not a comment) indented by exactly *indent* spaces; group 1: the first character."""
    return re.compile(f"\n {{{indent}}}([^ #\n])")


def _runs(starts: list[int], head: int, tail: int) -> list[tuple[int, int]]:
    """``[head, tail)`` cut at *starts* into runs of at most :data:`PIECE_CHARS`, or of one statement."""
    if not starts:
        return [(head, tail)]
    runs = []
    begin = head
    for start, end in zip(starts, [*starts[1:], tail], strict=True):
        if start > begin and end - begin > PIECE_CHARS:
            runs.append((begin, start))
            begin = start
        if end - start > PIECE_CHARS:
            runs.append((begin, end))
            begin = end
    if begin < tail:
        runs.append((begin, tail))
    return runs


def _triple_quoted(text: str) -> list[int]:
    """The offsets just after the quotes that seem to open and close triple-quoted strings, in turn.

    A guess: quotes in comments or in other strings mislead it, which costs a parse, never a wrong tree.
    """
    bounds = []
    closing = ""
    for match in _TRIPLE_QUOTES.finditer(text):
        if not closing:
            closing = match[0]
            bounds.append(match.end())
        elif match[0] == closing and not _escaped(text, match.start()):
            closing = ""
            bounds.append(match.end())
    return bounds


def _escaped(text: str, offset: int) -> bool:
    """Whether the character at *offset* follows an odd number of backslashes."""
    start = offset
    while start and text[start - 1] == "\\":
        start -= 1
    return (offset - start) % 2 == 1
