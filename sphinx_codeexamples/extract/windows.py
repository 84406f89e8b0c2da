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
import textwrap
from bisect import bisect_right
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
        self._imports: dict[Span, tuple[frozenset[str], ast.stmt]] | None = None

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
            bodies = clauses(statement)
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
            inside = [line for line in uses if item_span[0] <= line <= item_span[1]]
            shown.extend(_show(items[item_span], inside, max_lines, context))
        groups = [(item_span, _merge(spans)) for item_span, spans in _by_item(outer, shown)]
        lines_shown = _line_set(self._repair(groups))
        used_names = self._names_used([items[item_span] for item_span in outer], lines_shown)
        imports: list[Span] = []
        for _ in range(2):  # imports needed by the shown imports (``if t.TYPE_CHECKING:``)
            imports = [
                import_span
                for import_span, (names, _node) in self._import_blocks().items()
                if names & used_names and not any(first <= import_span[0] <= last for first, last in outer)
            ]
            blocks = [self._import_blocks()[import_span][1] for import_span in imports]
            used_names |= self._names_used(blocks, _line_set(imports))
        groups.extend((import_span, [import_span]) for import_span in imports)
        groups.sort()
        smallest = min((last - first + 1 for first, last in items), default=0)
        return Window(self._repair(groups), smallest)

    # -- imports ---------------------------------------------------------------------------

    def _import_blocks(self) -> dict[Span, tuple[frozenset[str], ast.stmt]]:
        """Module-level import statements (and try/if blocks of imports) with the names they bind."""
        if self._imports is None:
            self._imports = {}
            for statement in self.tree.body:
                names = _import_names(statement)
                if names:
                    first, last = span(statement)
                    if last - first + 1 <= STATEMENT_LINES or isinstance(statement, ast.ImportFrom):
                        self._imports[(first, last)] = (frozenset(names), statement)
        return self._imports

    @staticmethod
    def _names_used(nodes: Iterable[ast.AST], shown: set[int]) -> set[str]:
        """The names read or written on the *shown* lines of *nodes*."""
        names: set[str] = set()
        for root in nodes:
            for node in ast.walk(root):
                if isinstance(node, ast.Name) and node.lineno in shown:
                    names.add(node.id)
        return names

    # -- repair ----------------------------------------------------------------------------

    def _repair(self, groups: list[tuple[Span, list[Span]]]) -> list[Span]:
        """Join the spans into hunks; fill the gap between two hunks of one item while one of them
        does not parse (it starts at an ``else:``, or ends deeper than it starts)."""
        hunks: list[tuple[Span, Span, Span]] = []  # (first item, last item, lines)
        for item_span, spans in groups:
            for piece in spans:
                if hunks and self._joinable(hunks[-1][2], piece, hunks[-1][1] == item_span):
                    first_item, _, lines = hunks[-1]
                    hunks[-1] = (first_item, item_span, (lines[0], max(lines[1], piece[1])))
                else:
                    hunks.append((item_span, item_span, piece))
        position = 0
        while position < len(hunks):
            first_item, last_item, piece = hunks[position]
            if self._parses(piece):
                position += 1
            elif position > 0 and hunks[position - 1][1] == first_item:
                before = hunks.pop(position - 1)
                position -= 1
                hunks[position] = (before[0], last_item, (before[2][0], piece[1]))
            elif position + 1 < len(hunks) and hunks[position + 1][0] == last_item:
                after = hunks.pop(position + 1)
                hunks[position] = (first_item, after[1], (piece[0], after[2][1]))
            else:
                position += 1  # cannot be mended (a hunk that is one whole item never fails)
        return [piece for _, _, piece in hunks]

    def _joinable(self, previous: Span, piece: Span, same_item: bool) -> bool:
        """True when *piece* continues the hunk *previous*: only blank lines between them, or
        (inside one item) at most ``GAP`` lines whose showing keeps the hunk parsing."""
        gap = range(previous[1] + 1, piece[0])
        if len(gap) <= 0:
            return True
        if all(not self.lines[number - 1].strip() for number in gap):
            return same_item or self._parses((previous[0], piece[1]))
        return same_item and len(gap) <= GAP and self._parses((previous[0], piece[1]))

    def _parses(self, piece: Span) -> bool:
        return hunk_parses(self.lines[piece[0] - 1 : piece[1]])


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


def _by_item(items: list[Span], shown: list[Span]) -> list[tuple[Span, list[Span]]]:
    grouped: list[tuple[Span, list[Span]]] = [(item, []) for item in items]
    for piece in shown:
        for item, pieces in grouped:
            if item[0] <= piece[0] <= item[1]:
                pieces.append(piece)
                break
    return grouped


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _line_set(spans: Iterable[Span]) -> set[int]:
    return {line for first, last in spans for line in range(first, last + 1)}


def _show(node: ast.stmt, uses: list[int], limit: int, context: int) -> list[Span]:
    """The spans that show *node* with its *uses*: whole when short, else trimmed."""
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
        chosen: set[int] = set()
        if index == 0 or any(header[0] <= line <= header[1] for line in uses):
            chosen.add(0)
        spans = [span(statement) for statement in body]
        for position, (start, end) in enumerate(spans):
            if any(start <= line <= end for line in uses):
                chosen.add(position)
        for position in sorted(chosen):
            start, end = spans[position]
            for other, (other_start, other_end) in enumerate(spans):
                if other_start >= start - context and other_end <= end + context:
                    chosen.add(other)
        if chosen and index > 0:
            chosen.add(0)
            if header[0] <= header[1]:
                shown.append(header)
        for position in sorted(chosen):
            start, end = spans[position]
            inside = [line for line in uses if start <= line <= end]
            shown.extend(_show(body[position], inside, STATEMENT_LINES, context))
        previous_end = spans[-1][1]
    return shown


def _show_try(node: ast.stmt, bodies: list[list[ast.stmt]], uses: list[int], context: int) -> list[Span]:
    """A long ``try`` statement: a hunk with ``try:`` must reach an ``except``, so either the
    statements with uses alone, without the clause headers, or (a use in an ``except`` line) all."""
    statements = [statement for body in bodies for statement in body]
    shown: list[Span] = []
    for line in uses:
        holder = next((item for item in statements if span(item)[0] <= line <= span(item)[1]), None)
        if holder is None:
            return [span(node)]
    for statement in statements:
        start, end = span(statement)
        inside = [line for line in uses if start <= line <= end]
        if inside:
            shown.extend(_show(statement, inside, STATEMENT_LINES, context))
    return shown
