"""Which lines of a file an example shows: windows cut from the syntax tree.

Each use is shown within the smallest *item* that encloses it: the function or
method it is in, else the statement of a class body it is in (a class nested
in a class body, such as Django's ``class Meta``, counts as one statement),
else the module-level statement. An item of at most ``max_lines`` lines is
shown whole. A longer one is trimmed: its header (decorators, signature) and
first body statement, then only the body statements that hold a use (each
shown whole up to ``STATEMENT_LINES`` lines, else trimmed the same way), plus
the whole sibling statements within ``context`` lines of them. A window thus
always starts and ends at statement boundaries.

Above the items come the module-level imports that bind a name the shown code
uses (whole import statements, or whole ``try``/``if`` blocks of imports);
the other imports are left out.

After the cut, each run of consecutive lines (a hunk) must parse as Python
once dedented; when one does not (it starts at an ``else:`` or ends deeper
than it starts), the gap before it inside the same item is filled in.
"""

from __future__ import annotations

import ast
import re
import textwrap
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .finder import first_line

MAX_LINES = 30
STATEMENT_LINES = 10
CONTEXT = 2
GAP = 2

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRY = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
_IMPORT_BLOCK_PARTS = (ast.Import, ast.ImportFrom, ast.Pass, ast.Assign, ast.Expr)

Span = tuple[int, int]

# A name not after a dot or a word character; the look-behind comes after the first character
# so that the search skips quickly to a letter.
_IDENTIFIER = re.compile(r"[A-Za-z_](?<![.\w].)\w*")
_STRING_OR_COMMENT = re.compile(
    r"(?=[rRbBuUfF\"'#])"  # only to skip quickly to where a match can start
    r"(?:(?P<prefix>\b[rRbBuUfF]{1,2})?"
    r"(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
    r"|#[^\n]*)"
)


def _keep_fstring(match: re.Match[str]) -> str:
    """An f-string stays (its expressions use names), any other string or comment goes."""
    return match[0] if "f" in (match["prefix"] or "").lower() else " "


def span(node: ast.stmt) -> Span:
    """The 1-based first (decorators included) and last line of a statement."""
    return first_line(node), node.end_lineno or node.lineno


def clauses(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement, in source order (empty ones left out)."""
    bodies: list[list[ast.stmt]]
    if isinstance(node, _TRY):
        bodies = [node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody]
    elif isinstance(node, ast.Match):
        bodies = [case.body for case in node.cases]
    else:
        bodies = [getattr(node, "body", None) or [], getattr(node, "orelse", None) or []]
    return [body for body in bodies if body]


@dataclass(frozen=True)
class Window:
    """What an example shows: sorted, disjoint line spans, and the size of its smallest item."""

    spans: list[Span]
    smallest_item: int


@dataclass
class _Body:
    """A statement list with its first lines, for bisecting."""

    statements: list[ast.stmt]
    firsts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.firsts = [first_line(statement) for statement in self.statements]

    def containing(self, line: int) -> ast.stmt | None:
        index = bisect_right(self.firsts, line) - 1
        if index < 0:
            return None
        statement = self.statements[index]
        return statement if line <= (statement.end_lineno or statement.lineno) else None


class Outline:
    """One parsed file, ready to give the lines to show for any set of used lines.

    Built once per file; :meth:`window` is called once per target.
    """

    def __init__(self, tree: ast.Module, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines
        self._bodies: dict[int, _Body] = {}
        self._imports: dict[Span, tuple[frozenset[str], bool]] | None = None
        self._clauses: dict[int, list[list[ast.stmt]]] = {}
        self._parsed: dict[Span, bool] = {}
        self._span_words: dict[Span, frozenset[str]] = {}
        self._imported: frozenset[str] | None = None

    def _body(self, statements: list[ast.stmt]) -> _Body:
        body = self._bodies.get(id(statements))
        if body is None:
            body = self._bodies[id(statements)] = _Body(statements)
        return body

    def chain(self, line: int) -> list[ast.stmt]:
        """The statements enclosing *line*, outermost first."""
        found: list[ast.stmt] = []
        bodies = [self.tree.body]
        while bodies:
            statement = None
            for statements in bodies:
                statement = self._body(statements).containing(line)
                if statement is not None:
                    break
            if statement is None:
                break
            found.append(statement)
            bodies = self._clauses_of(statement)
        return found

    def item(self, line: int) -> ast.stmt | None:
        """The smallest item enclosing *line* (see the module docstring)."""
        chain = self.chain(line)
        for depth in range(len(chain) - 1, -1, -1):
            node = chain[depth]
            if isinstance(node, _FUNCTIONS) or depth == 0:
                return node
            if isinstance(chain[depth - 1], ast.ClassDef):
                if depth >= 2 and isinstance(chain[depth - 2], ast.ClassDef):
                    return chain[depth - 1]  # a statement of a nested class: the nested class
                return node
        return None

    def window(self, marked: Iterable[int], context: int = CONTEXT, max_lines: int = MAX_LINES) -> Window:
        """The line spans to show for the used lines *marked*.

        Items come with the imports they need; each span is a whole number of
        statements (or a compound statement's header with its first statement).
        """
        uses = sorted(set(marked))
        items: dict[Span, ast.stmt] = {}
        for line in uses:
            node = self.item(line)
            if node is not None:
                items.setdefault(span(node), node)
        outer = _outermost(sorted(items))
        shown: list[Span] = []
        for item_span in outer:
            shown.extend(_show(items[item_span], _inside(uses, *item_span), max_lines, context))
        groups = [(item_span, _merge(spans)) for item_span, spans in _by_item(outer, shown)]
        starts = [first for first, _ in outer]
        blocks = {
            import_span: names
            for import_span, (names, _) in self._import_blocks().items()
            if _holder(outer, starts, import_span[0]) is None
        }
        imports: list[Span] = []
        if blocks:
            import_items = [item for item in outer if isinstance(items[item], (ast.Import, ast.ImportFrom))]
            used_names = self._names_used(_without(self._repair(groups), import_items), blocks)
            imports = [import_span for import_span, names in blocks.items() if names & used_names]
            # and those the shown import blocks need (``import typing as t`` for ``if t.TYPE_CHECKING:``)
            compound = [import_span for import_span in imports if not self._import_blocks()[import_span][1]]
            if compound:
                used_names |= self._names_used(compound, blocks)
                imports = [import_span for import_span, names in blocks.items() if names & used_names]
        groups.extend((import_span, [import_span]) for import_span in imports)
        groups.sort()
        smallest = min((last - first + 1 for first, last in items), default=0)
        return Window(self._repair(groups), smallest)

    # -- imports ---------------------------------------------------------------------------

    def _import_blocks(self) -> dict[Span, tuple[frozenset[str], bool]]:
        """Module-level import statements (and try/if blocks of imports): the names they bind, and
        whether they are plain ``import``/``from`` statements."""
        if self._imports is None:
            self._imports = {}
            for statement in self.tree.body:
                names = _import_names(statement)
                if names:
                    first, last = span(statement)
                    plain = isinstance(statement, (ast.Import, ast.ImportFrom))
                    if last - first + 1 <= STATEMENT_LINES or plain:
                        self._imports[(first, last)] = (frozenset(names), plain)
        return self._imports

    def _names_used(self, spans: Iterable[Span], blocks: dict[Span, frozenset[str]]) -> set[str]:
        """Which names bound by the import *blocks* the code of the shown *spans* mentions, strings
        (but for f-strings) and comments left out. Attribute names (``x.name``) do not count;
        keyword argument names do (a harmless extra import, when one binds the same word)."""
        wanted = frozenset().union(*blocks.values())
        names: set[str] = set()
        for piece in spans:
            names |= wanted & self._words(piece)
        return names

    def _words(self, piece: Span) -> frozenset[str]:
        """The names bound by module-level imports that the code of the lines *piece* mentions."""
        words = self._span_words.get(piece)
        if words is None:
            text = "\n".join(self.lines[piece[0] - 1 : piece[1]])
            if "#" in text or "'" in text or '"' in text:
                text = _STRING_OR_COMMENT.sub(_keep_fstring, text)
            if self._imported is None:
                self._imported = frozenset().union(*(names for names, _ in self._import_blocks().values()))
            words = self._span_words[piece] = self._imported.intersection(_IDENTIFIER.findall(text))
        return words

    # -- repair ----------------------------------------------------------------------------

    def _repair(self, groups: list[tuple[Span, list[Span]]]) -> list[Span]:
        """Join the spans into hunks; fill the gap between two hunks of one item while one of them
        does not parse (it starts at an ``else:``, or ends deeper than it starts).

        A hunk made of whole items at one indentation always parses, so only the
        others (with a part of a trimmed item) are checked: by the tree when it
        tells (:meth:`_whole`), else by parsing them.
        """
        hunks: list[_Hunk] = []
        for item_span, spans in groups:
            for piece in spans:
                whole = piece == item_span
                if hunks and self._joinable(hunks[-1], piece, item_span):
                    last = hunks[-1]
                    last.lines = (last.lines[0], max(last.lines[1], piece[1]))
                    last.last_item = item_span
                    last.checked = last.checked and whole
                else:
                    hunks.append(_Hunk(piece, item_span, item_span, whole))
        position = 0
        while position < len(hunks):
            hunk = hunks[position]
            if hunk.checked or self._parses(hunk.lines):
                position += 1
            elif position > 0 and hunks[position - 1].last_item == hunk.first_item:
                before = hunks.pop(position - 1)
                position -= 1
                hunk.lines, hunk.first_item = (before.lines[0], hunk.lines[1]), before.first_item
            elif position + 1 < len(hunks) and hunks[position + 1].first_item == hunk.last_item:
                after = hunks.pop(position + 1)
                hunk.lines, hunk.last_item = (hunk.lines[0], after.lines[1]), after.last_item
            else:
                position += 1  # cannot be mended (does not happen: an item alone always parses)
        return [hunk.lines for hunk in hunks]

    def _joinable(self, hunk: _Hunk, piece: Span, item_span: Span) -> bool:
        """True when *piece* continues *hunk*: inside one item, with only blank lines between them
        or at most ``GAP`` lines whose showing keeps the hunk parsing; between items, with only
        blank lines between them and the same indentation (statements of one block)."""
        previous = hunk.lines
        gap = range(previous[1] + 1, piece[0])
        blank = all(not self.lines[number - 1].strip() for number in gap)
        if hunk.last_item != item_span:
            return blank and _indent(self.lines[previous[0] - 1]) == _indent(self.lines[piece[0] - 1])
        return blank or (len(gap) <= GAP and self._parses((previous[0], piece[1])))

    def _parses(self, piece: Span) -> bool:
        known = self._parsed.get(piece)
        if known is None:
            known = self._whole(piece) or hunk_parses(self.lines[piece[0] - 1 : piece[1]])
            self._parsed[piece] = known
        return known

    def _whole(self, piece: Span) -> bool:
        """True when the tree tells that *piece* parses once dedented, without parsing it.

        That is when its lines are whole statements of one body, the last one
        possibly cut after whole clauses and statements of its own (``def f():``
        with its first statements; never a ``try:`` without its ``except``), and
        every line is indented like the first or more (so dedenting shifts them
        all alike). False when unsure: the caller then parses.
        """
        first, last = piece
        chunk = self.lines[first - 1 : last]
        indent = _indent(chunk[0])
        if chunk[-1].endswith("\\") or (indent.strip(" ") and indent.strip("\t")):
            return False
        if indent and (
            (indent[0] == " " and any("\t" in line for line in chunk))  # tabs could change the columns
            or not all(line.startswith(indent) or not line.strip(" \t") for line in chunk)
        ):
            return False
        body = self.tree.body
        while True:  # down to the statement that starts the piece
            index = bisect_left(self._body(body).firsts, first)
            if index < len(body) and self._body(body).firsts[index] == first:
                break
            if index == 0 or span(body[index - 1])[1] < first or span(body[index - 1])[1] < last:
                return False  # starts between statements, or inside one and ends after it
            inner = self._body_holding(body[index - 1], first)
            if inner is None:
                return False  # starts on a clause header (``else:``)
            body = inner
        statement = body[index]
        if getattr(statement, "decorator_list", None):
            if not chunk[0].startswith("@", len(indent)):
                return False
        elif statement.col_offset != len(indent) or (
            isinstance(statement, ast.If) and chunk[0].startswith("elif", len(indent))
        ):
            return False  # not the line's first statement, or an ``elif``
        reached = self._reaches(body, index, last)
        return reached if reached is not None else body is self.tree.body

    def _reaches(self, body: list[ast.stmt], index: int, last: int) -> bool | None:
        """Whether ``body[index:]`` up to line *last* is whole statements, the last one possibly cut
        as :meth:`_whole` allows; None when *last* lies after the body."""
        for statement in body[index:]:
            first, end = span(statement)
            if first > last:
                return True
            if end > last:
                return self._cut(statement, last)
        return True if span(body[-1])[1] == last else None

    def _cut(self, statement: ast.stmt, last: int) -> bool:
        """Whether *statement* from its first line to *last* (before its end) parses."""
        for position, body in enumerate(self._clauses_of(statement)):
            if first_line(body[0]) > last:
                return False  # ends in a header
            if last <= span(body[-1])[1]:
                if position == 0 and isinstance(statement, _TRY):
                    return False  # ``try:`` without ``except``
                return self._reaches(body, 0, last) is True
        return False

    def _clauses_of(self, statement: ast.stmt) -> list[list[ast.stmt]]:
        found = self._clauses.get(id(statement))
        if found is None:
            found = self._clauses[id(statement)] = clauses(statement)
        return found

    def _body_holding(self, statement: ast.stmt, line: int) -> list[ast.stmt] | None:
        """The statement list of *statement* that holds *line*, if any."""
        for body in self._clauses_of(statement):
            if first_line(body[0]) <= line <= span(body[-1])[1]:
                return body
        return None


@dataclass
class _Hunk:
    """A hunk being built: its lines, the items it starts and ends in, and whether it is known to
    parse (whole items only)."""

    lines: Span
    first_item: Span
    last_item: Span
    checked: bool


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def hunk_parses(lines: Sequence[str]) -> bool:
    """True when *lines*, dedented, parse as Python.

    Dedenting is ``textwrap.dedent``, or, when a multi-line string holds lines
    at column 0 (which ``dedent`` cannot remove), reading the lines as the body
    of an ``if True:`` block, which is how Python's tokenizer dedents.
    """
    text = "\n".join(lines)
    try:
        ast.parse(textwrap.dedent(text))
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    if not text[:1].isspace():
        return False
    try:
        tree = ast.parse("if True:\n" + text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return len(tree.body) == 1  # nothing dedented out of the block


def _import_names(statement: ast.stmt) -> set[str] | None:
    """The names an import statement (or a try/if block of only imports) binds; None if it is not one."""
    if isinstance(statement, ast.Import):
        return {alias.asname or alias.name.partition(".")[0] for alias in statement.names}
    if isinstance(statement, ast.ImportFrom):
        return {alias.asname or alias.name for alias in statement.names if alias.name != "*"}
    if isinstance(statement, (*_TRY, ast.If)):
        names: set[str] = set()
        has_import = False
        for nested in ast.walk(statement):
            if nested is statement or not isinstance(nested, ast.stmt):
                continue
            if not isinstance(nested, _IMPORT_BLOCK_PARTS):
                return None
            if isinstance(nested, ast.Assign):
                names.update(target.id for target in nested.targets if isinstance(target, ast.Name))
                continue
            inner = _import_names(nested)
            if inner is not None:
                has_import = has_import or not isinstance(nested, (ast.Pass, ast.Expr))
                names.update(inner)
        return names if has_import else None
    return None


def _outermost(spans: list[Span]) -> list[Span]:
    """*spans* (sorted) without those inside another one."""
    kept: list[Span] = []
    for first, last in spans:
        if kept and first <= kept[-1][1]:
            if last > kept[-1][1]:  # cannot happen for statements; keep the union to be safe
                kept[-1] = (kept[-1][0], last)
            continue
        kept.append((first, last))
    return kept


def _holder(spans: list[Span], starts: list[int], line: int) -> int | None:
    """The index of the span of *spans* (sorted, disjoint, with their *starts*) holding *line*."""
    index = bisect_right(starts, line) - 1
    return index if index >= 0 and line <= spans[index][1] else None


def _by_item(items: list[Span], shown: list[Span]) -> list[tuple[Span, list[Span]]]:
    grouped: list[tuple[Span, list[Span]]] = [(item, []) for item in items]
    starts = [first for first, _ in items]
    for piece in shown:
        index = _holder(items, starts, piece[0])
        if index is not None:
            grouped[index][1].append(piece)
    return grouped


def _without(spans: list[Span], removed: list[Span]) -> list[Span]:
    """*spans* less the lines of the *removed* spans (each inside one of *spans*)."""
    result = []
    for first, last in spans:
        for cut_first, cut_last in removed:
            if first <= cut_first <= last:
                if cut_first > first:
                    result.append((first, cut_first - 1))
                first = cut_last + 1
        if first <= last:
            result.append((first, last))
    return result


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _inside(uses: list[int], first: int, last: int) -> list[int]:
    """The lines of *uses* (sorted) from *first* to *last*."""
    return uses[bisect_left(uses, first) : bisect_right(uses, last)]


def _show(node: ast.stmt, uses: list[int], limit: int, context: int) -> list[Span]:
    """The spans that show *node* with its *uses* (sorted): whole when short, else trimmed."""
    first, last = span(node)
    bodies = clauses(node)
    if last - first + 1 <= limit or not bodies:
        return [(first, last)]
    if isinstance(node, _TRY):
        return _show_try(node, bodies, uses, context)
    shown: list[Span] = [(first, first_line(bodies[0][0]) - 1)]
    previous_end = first_line(bodies[0][0]) - 1
    for index, body in enumerate(bodies):
        header = (previous_end + 1, first_line(body[0]) - 1)
        spans = [span(statement) for statement in body]
        starts = [start for start, _ in spans]
        ends = [end for _, end in spans]  # sorted too: statements of a body follow each other
        chosen: set[int] = set()
        if index == 0 or _inside(uses, *header):
            chosen.add(0)
        for line in uses:
            position = bisect_right(starts, line) - 1
            if position >= 0 and line <= ends[position]:
                chosen.add(position)
        for position in sorted(chosen):  # and the statements within *context* lines of them
            start, end = spans[position]
            chosen.update(range(bisect_left(starts, start - context), bisect_right(ends, end + context)))
        if chosen and index > 0:
            chosen.add(0)
            if header[0] <= header[1]:
                shown.append(header)
        for position in sorted(chosen):
            start, end = spans[position]
            shown.extend(_show(body[position], _inside(uses, start, end), STATEMENT_LINES, context))
        previous_end = spans[-1][1]
    return shown


def _show_try(node: ast.stmt, bodies: list[list[ast.stmt]], uses: list[int], context: int) -> list[Span]:
    """A long ``try`` statement: a hunk with ``try:`` must reach an ``except``, so either the
    statements with uses alone, without the clause headers, or (a use in an ``except`` line) all."""
    statements = [statement for body in bodies for statement in body]
    spans = [span(statement) for statement in statements]
    starts = [start for start, _ in spans]
    for line in uses:
        position = bisect_right(starts, line) - 1
        if position < 0 or line > spans[position][1]:
            return [span(node)]
    shown: list[Span] = []
    for statement, (start, end) in zip(statements, spans, strict=True):
        inside = _inside(uses, start, end)
        if inside:
            shown.extend(_show(statement, inside, STATEMENT_LINES, context))
    return shown
