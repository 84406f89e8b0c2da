"""The names in an example's code that can link to documentation, found statically.

An example is a few *hunks*, pieces of one source file. Every name the code
imports, and every use of such a name (with the attribute chain written after
it), is an occurrence of a dotted name::

    import sqlalchemy as sa        # "sqlalchemy" -> sqlalchemy
    sa.orm.object_session(obj)     # "sa" -> sqlalchemy, "orm" -> sqlalchemy.orm,
                                   # "object_session" -> sqlalchemy.orm.object_session

Nothing is imported or executed. Uses are resolved with the scope rules of the
finder (:mod:`.finder`): a name shadowed by a parameter or an assignment is not
an occurrence, nor is a name that may mean two different things. A wrong link is
worse than a missing one, so every doubt drops the occurrence.

What parses is parsed: the hunks joined (they are pieces of one file), else each
hunk on its own (dedented, cut at its syntax errors) after the module-level
imports of the hunks before it. Lines that still do not parse only contribute
what their import statements name; and in this fallback a name that any other
piece of the code might bind (a parameter of a function whose ``def`` line did
not parse, say) is not followed at all. What the skipped parts of the file bind
is unknowable; a hunk from inside a function whose ``def`` line was skipped is
read as if the function's parameters did not shadow the module's imports.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .finder import (
    _TRY,
    OTHER,
    STAR,
    UNBOUND,
    Targets,
    _child_bodies,
    _Finder,
    _Ref,
    _Scope,
    absolute_module,
    lines_mentioning,
)

#: How many times a hunk that does not parse is cut at its syntax error before giving up.
MAX_TRIM = 6
_BUILTINS = frozenset(dir(builtins))
_COMPOUND = (
    *(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While),
    *(ast.With, ast.AsyncWith, ast.Match, *_TRY),
)
_FROM_MODULE = re.compile(r"from\s+(\.*)\s*([A-Za-z_][\w.]*)?")


@dataclass(frozen=True, order=True)
class NameUse:
    """One occurrence: *text* at ``line`` (1-based, within hunk *hunk*), columns ``[column, end)``."""

    hunk: int
    line: int
    column: int
    end: int
    text: str
    dotted: str


class _AnyName(frozenset[str]):
    """A set that holds every name: the finder then follows every import, not only targets."""

    def __contains__(self, item: object) -> bool:
        return True


#: Every import is followed (every name is a prefix of a target); no name is a target, so that
#: the finder does not record the uses of targets, which only :func:`.finder.find_uses` reports.
_EVERY_NAME = Targets(names=frozenset(), prefixes=_AnyName(), last_names=(), top_packages=frozenset())


@dataclass(frozen=True)
class _Piece:
    """Code to parse: lines ``first..first+len(lines)-1`` of the joined text, dedented by ``indent``.

    *text* is the lines after *opened* lines that open the blocks the code starts inside (see
    :func:`_openers`): line ``n`` of its tree is line ``n - opened`` of *lines*.
    """

    first: int
    lines: Sequence[str]
    indent: int
    text: str
    opened: int = 0


def names_in(hunks: Sequence[str], module: str | None = None, is_package: bool = False) -> list[NameUse]:
    """Every linkable name in the code of one example, sorted.

    *module* (with *is_package*) is the module the code comes from, when known:
    relative imports are resolved against it, and are not followed otherwise.
    """
    source = _Source(hunks)
    with warnings.catch_warnings():  # once here: entering it is not free, and there are many parses
        warnings.simplefilter("ignore")  # SyntaxWarning on invalid escapes in old code
        whole = source.parsed(0, len(source.lines))
        if whole is not None:
            found: set[_Found] | list[_Found] = _occurrences(whole[1], whole[0], module, is_package, {})
        else:
            found = _fallback(source, module, is_package)
    result: set[tuple[int, int, int, int, str, str]] = set()  # tuples: cheaper to hash and sort
    starts = source.starts
    for item in found:
        hunk = bisect_right(starts, item.line - 1) - 1
        number = item.line - starts[hunk]
        if source.lines[item.line - 1][item.column : item.end] == item.text:  # positions agree with it
            result.add((hunk, number, item.column, item.end, item.text, item.dotted))
    return [NameUse(*use) for use in sorted(result)]


# -- parsing ---------------------------------------------------------------------------------

_BLANK = sys.maxsize  # the indent of a blank line: it never counts for the common indent


class _Source:
    """The hunks' lines joined, what dedenting any run of them needs, and the parses done so far.

    Runs are given by 0-based indexes into :attr:`lines`, ``[head, tail)``.
    """

    def __init__(self, hunks: Sequence[str]) -> None:
        self.lines: list[str] = []
        self.starts: list[int] = []  # the index of each hunk's first line
        for code in hunks:
            self.starts.append(len(self.lines))
            self.lines.extend(code.split("\n"))
        #: Each line, or "" when it is blank.
        self.kept = [line if line.strip() else "" for line in self.lines]
        #: The width of each line's leading spaces and tabs (_BLANK for a blank line).
        self.indents = [len(line) - len(line.lstrip(" \t")) if line else _BLANK for line in self.kept]
        self.tabs = any("\t" in code for code in hunks)
        self._parses: dict[str, tuple[ast.Module | None, int]] = {}

    def hunk_runs(self) -> Iterator[tuple[int, int]]:
        """Each hunk's run of lines."""
        ends = [*self.starts[1:], len(self.lines)] if self.starts else []
        return zip(self.starts, ends, strict=True)

    def dedented(self, head: int, tail: int) -> _Piece:
        """The run without its lines' common leading whitespace (blank lines become empty)."""
        lines = self.kept[head:tail]
        prefix = min(self.indents[head:tail], default=_BLANK)
        if prefix == _BLANK:
            prefix = 0
        elif prefix and self.tabs:  # without tabs, the first *prefix* characters are spaces on every line
            heads = {line[:prefix] for line in lines if line}
            if len(heads) != 1:  # tabs and spaces mixed: no common prefix
                prefix = 0
        if prefix:
            lines = [line[prefix:] for line in lines]
        openers = "" if self.tabs else _openers(indent - prefix for indent in self.indents[head:tail])
        return _Piece(head + 1, lines, prefix, openers + "\n".join(lines), openers.count("\n"))

    def parse(self, text: str) -> tuple[ast.Module | None, int]:
        """The tree of *text*, or None and the line a syntax error points at (0: unknown).

        A text is parsed once (a lone hunk that does not parse joined is the same text
        on its own). The caller ignores warnings (:func:`names_in`).
        """
        parsed = self._parses.get(text)
        if parsed is None:
            parsed = self._parses[text] = _parse_or_error(text)
        return parsed

    def parsed(self, head: int, tail: int) -> tuple[_Piece, ast.Module] | None:
        """The run, dedented and parsed, if it parses."""
        piece = self.dedented(head, tail)
        tree = self.parse(piece.text)[0]
        return (piece, tree) if tree is not None else None

    def trimmed(self, head: int, tail: int) -> tuple[_Piece, ast.Module] | None:
        """A part of the run that parses, cut at the syntax errors' lines (a few attempts).

        An error in the first half of the run drops the lines up to it (a hunk that
        starts inside a statement), one in the second half drops it and the lines after
        it (a hunk that stops inside one).
        """
        kept = self.kept
        for _ in range(MAX_TRIM):
            while head < tail and not kept[head]:
                head += 1
            if head >= tail:
                return None
            piece = self.dedented(head, tail)
            tree, error = self.parse(piece.text)
            if tree is not None:
                return piece, tree
            error = max(error - piece.opened, 1) if error else 0
            size = tail - head
            if error <= 0 or error > size:
                error = size
            if error <= size // 2 or error == 1:
                head += error
            else:
                tail = head + error - 1
        return None


def _openers(indents: Iterable[int]) -> str:
    """``if 1:`` lines that open the blocks a run of code starts inside, or "".

    A hunk often starts inside a function and goes on after it: its first lines are
    indented more than later ones, which Python calls an unexpected indent. Each
    level the run later dedents to gets a block whose body is at the next level.
    What those lines bind then counts as bound at module level, which at worst
    makes a name doubtful (no link).
    """
    levels: list[int] = []
    for indent in indents:  # blank lines are _BLANK: never lower
        if indent < (levels[-1] if levels else _BLANK):
            levels.append(indent)
    return "".join(" " * level + "if 1:\n" for level in reversed(levels[1:]))


def _parse_or_error(text: str) -> tuple[ast.Module | None, int]:
    try:
        return ast.parse(text), 0
    except SyntaxError as error:
        return None, error.lineno or 0
    except (ValueError, RecursionError, MemoryError):
        return None, 0


# -- the fallback: hunks parsed one by one -----------------------------------------------------


def _fallback(source: _Source, module: str | None, is_package: bool) -> set[_Found]:
    """Occurrences when the joined hunks do not parse: each hunk's parsable run, imports elsewhere."""
    texts = source.lines
    pieces: list[tuple[_Piece, ast.Module]] = []
    for head, tail in source.hunk_runs():
        found = source.trimmed(head, tail)
        if found is not None:
            pieces.append(found)
    loose: list[int] = []  # the numbers of the lines outside the pieces (which are in file order)
    position = 1
    for piece, _ in pieces:
        loose.extend(range(position, piece.first))
        position = piece.first + len(piece.lines)
    loose.extend(range(position, len(texts) + 1))
    import_lines = [
        (number, tree)
        for number in loose
        if "import" in texts[number - 1] and (tree := _import_line(source, texts[number - 1]))
    ]
    import_numbers = {number for number, _ in import_lines}
    found_names: set[_Found] = set()
    # Module-level imports in file order: (line, names they bind).
    module_imports: list[tuple[int, dict[str, str]]] = []
    for number, tree in import_lines:
        line = texts[number - 1]
        indent = len(line) - len(line.lstrip())
        stripped = line.lstrip()
        piece = _Piece(number, (stripped,), indent, stripped)
        found_names.update(_occurrences(tree, piece, module, is_package, {}))
        if indent == 0:
            module_imports.append((number, _bindings(tree.body[0], module, is_package)))
    for piece, tree in pieces:
        if piece.indent == 0:
            module_imports.extend(
                (piece.first + statement.lineno - piece.opened - 1, _bindings(statement, module, is_package))
                for statement in tree.body
                if isinstance(statement, (ast.Import, ast.ImportFrom))
            )
    module_imports.sort(key=lambda item: item[0])
    loose_bound: set[str] | None = None
    bound_in: dict[int, set[str]] = {}
    for index, (piece, tree) in enumerate(pieces):
        prebound: dict[str, str] = {}
        for position, bindings in module_imports:
            if position < piece.first:
                prebound.update(bindings)
        occurrences = _occurrences(tree, piece, module, is_package, prebound)
        if not occurrences:
            continue
        if loose_bound is None:
            loose_bound = _loose_names(texts[number - 1] for number in loose if number not in import_numbers)
        # The names uses start from that nothing else might bind.
        sure = {item.head for item in occurrences if item.head is not None} - loose_bound
        for other, (other_piece, other_tree) in enumerate(pieces):
            if other != index and sure and _may_spell(other_piece.text, sure):
                if other not in bound_in:
                    bound_in[other] = _bound_names(other_tree)
                sure -= bound_in[other]
        found_names.update(item for item in occurrences if item.head is None or item.head in sure)
    return found_names


def _may_spell(text: str, names: set[str]) -> bool:
    """False when no name of *names* can be bound in *text*: none is written in it.

    Outside ASCII, an identifier may be written otherwise (NFKC): then True.
    """
    return not text.isascii() or any(name in text for name in names)


def _bindings(statement: ast.stmt, module: str | None, is_package: bool) -> dict[str, str]:
    """What an import statement binds: name -> dotted name (relative imports only when resolvable)."""
    bound: dict[str, str] = {}
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname:
                bound[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                bound[top] = top
    elif isinstance(statement, ast.ImportFrom):
        base = absolute_module(module, is_package, statement.level, statement.module)
        if base is not None:
            for alias in statement.names:
                if alias.name != "*":
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    return bound


def _import_line(source: _Source, line: str) -> ast.Module | None:
    """The statement of a line that is one complete ``import`` or ``from ... import``, alone."""
    stripped = line.strip()
    if not stripped.startswith(("import ", "from ")):
        return None
    tree = source.parse(stripped)[0]
    if tree is None or len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
        return None
    return tree


def _bound_names(tree: ast.Module) -> set[str]:
    """Every name that something other than an import binds in *tree*."""
    bound: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:  # what ast.walk does, without its generators
        node = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            continue  # its only child is its context
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)):
            if node.name:
                bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend([item for item in value if isinstance(item, ast.AST)])
    return bound


_WORD = re.compile(r"(?<![\w.])([A-Za-z_]\w*)(?!\w)([^\S\n]*[.(])?")  # within a line


def _loose_names(lines: Iterable[str]) -> set[str]:
    """Names that lines which did not parse might bind: any word not followed by ``.`` or ``(``."""
    return {name for name, after in _WORD.findall("\n".join(lines)) if not after}


# -- occurrences in one parsed piece ------------------------------------------------------------


class _Found(NamedTuple):  # a tuple: cheaper to make and hash than a dataclass
    """An occurrence in joined-text lines; *head* is the name a use starts from (None: an import)."""

    line: int
    column: int
    end: int
    text: str
    dotted: str
    head: str | None


def _occurrences(
    tree: ast.Module, piece: _Piece, module: str | None, is_package: bool, prebound: dict[str, str]
) -> list[_Found]:
    """The occurrences in *piece* (parsed as *tree*), where *prebound* names are imported already."""
    lines = piece.lines
    result = []
    finder = _NameFinder(tree, piece.text, module, is_package, prebound)
    for tree_line, start, end, word, dotted, head in finder.occurrences():
        line = tree_line - piece.opened
        if not 0 < line <= len(lines):
            continue
        text = lines[line - 1]
        if text.isascii():  # byte offsets are character offsets
            column = len(text[:start]) + piece.indent
            end_column = len(text[:end]) + piece.indent
        else:
            encoded = text.encode("utf-8")
            try:
                column = len(encoded[:start].decode("utf-8")) + piece.indent
                end_column = len(encoded[:end].decode("utf-8")) + piece.indent
            except UnicodeDecodeError:
                continue
        result.append(_Found(piece.first + line - 1, column, end_column, word, dotted, head))
    return result


_Raw = tuple[int, int, int, str, str, str | None]


class _NameFinder(_Finder):
    """The finder, following every imported name and reporting positions."""

    def __init__(
        self, tree: ast.Module, text: str, module: str | None, is_package: bool, prebound: dict[str, str]
    ) -> None:
        super().__init__(tree, text, _EVERY_NAME, module, is_package)
        self.found: list[_Raw] = []
        self.ascii = text.isascii()
        for name, dotted in prebound.items():  # imports before this piece of the file
            self.tracked.add(name)
            self.module_scope.bind(name, frozenset({dotted}))

    def occurrences(self) -> list[_Raw]:
        self.run()
        if not self.ascii:  # a name may be bound as it is normalized (NFKC), not as it is written
            self.lines = lines_mentioning(self.text, ("import",))  # for _relevant: imports only
            self._imports(self.tree.body)
        return self.found

    def _note_star(self, base: str) -> None:
        self.star_modules.append(base)
        self.tracked.update(
            node.id for node in ast.walk(self.tree) if isinstance(node, ast.Name) and node.id not in _BUILTINS
        )

    def _match(self) -> None:
        star_bound = self.module_scope.bound
        for ref, meanings in self.resolved:
            if ref.node is None or len(meanings) != 1:
                continue  # may mean two things: no link
            (meaning,) = meanings
            if meaning == STAR:
                if ref.name in star_bound or len(self.star_modules) != 1 or ref.name in _BUILTINS:
                    continue
                meaning = f"{self.star_modules[0]}.{ref.name}"
            elif meaning in (OTHER, UNBOUND):
                continue
            self._chain(ref, meaning)

    def _chain(self, ref: _Ref, qualified: str) -> None:
        attributes: list[ast.Attribute] = []
        node = ref.node
        while isinstance(node, ast.Attribute):
            attributes.append(node)
            node = node.value
        if not isinstance(node, ast.Name) or node.end_col_offset is None:
            return
        self.found.append((node.lineno, node.col_offset, node.end_col_offset, node.id, qualified, ref.name))
        for attribute in reversed(attributes):
            qualified = f"{qualified}.{attribute.attr}"
            end = attribute.end_col_offset
            line = attribute.end_lineno
            if end is None or line is None:
                return
            start = end - len(attribute.attr.encode("utf-8"))
            self.found.append((line, start, end, attribute.attr, qualified, ref.name))

    # Import statements name what they import, whatever happens to the names later. The
    # pre-scan sees every ``from ... import``. The walk sees every ``import`` that spells the
    # name it binds: always in ASCII code, else :meth:`_imports` looks for them.

    def _prescan_from(self, node: ast.ImportFrom, top: bool) -> None:
        self._import_from_names(node)
        super()._prescan_from(node, top)

    def _import(self, node: ast.Import, scope: _Scope) -> None:
        if self.ascii:
            self._import_names(node)
        super()._import(node, scope)

    def _imports(self, body: list[ast.stmt]) -> None:
        """The names of the ``import`` statements of *body*, at any depth (those of :attr:`lines`)."""
        for node in body:
            if not self._relevant(node):
                continue
            if isinstance(node, _COMPOUND):
                for child in _child_bodies(node):
                    self._imports(child)
            elif isinstance(node, ast.Import):
                self._import_names(node)

    def _import_names(self, node: ast.Import) -> None:
        for alias in node.names:
            self._dotted(alias.lineno, alias.col_offset, alias.name)

    def _import_from_names(self, node: ast.ImportFrom) -> None:
        base = absolute_module(self.module, self.is_package, node.level, node.module)
        if base is None:
            return
        lines = self._text_lines()
        encoded = lines[node.lineno - 1].encode("utf-8") if node.lineno <= len(lines) else b""
        match = _FROM_MODULE.match(encoded[node.col_offset :].decode("utf-8", "replace"))
        if node.level == 0 and node.module and match and match[2] == node.module:
            start = node.col_offset + len(match.string[: match.start(2)].encode("utf-8"))
            self._dotted(node.lineno, start, node.module)
        for alias in node.names:
            if alias.name != "*":
                start = alias.col_offset
                end = start + len(alias.name.encode("utf-8"))
                self.found.append((alias.lineno, start, end, alias.name, f"{base}.{alias.name}", None))

    def _dotted(self, line: int, start: int, dotted: str) -> None:
        """Each part of a module name written at byte *start*: ``a``, then ``b`` (``a.b``), ..."""
        prefix = ""
        for part in dotted.split("."):
            prefix = f"{prefix}.{part}" if prefix else part
            end = start + len(part.encode("utf-8"))
            self.found.append((line, start, end, part, prefix, None))
            start = end + 1
