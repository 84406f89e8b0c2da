"""Finding the uses of dotted names in one module's syntax tree, scope by scope.

Nothing is imported or executed: names are resolved from the ``import``
statements of the file, by the dotted name *as written*. A use is a reference
to a name bound by an import whose dotted name, followed along an attribute
chain, is one of the targets::

    import sqlalchemy as sa          # binds sa -> sqlalchemy
    sa.orm.object_session(obj)       # sqlalchemy.orm.object_session: a use

    from sqlalchemy.orm import object_session as os_   # the import line is a use
    os_(obj)                                           # and so is this

Re-exports are not known without importing: ``from sqlalchemy.orm import
object_session`` is not a use of ``sqlalchemy.orm.session.object_session``.

Scopes follow Python's rules. Module and class bodies are read in order (a
later rebinding hides the import from the code after it, branches are merged);
function and lambda bodies are read after their enclosing scope is complete, as
they run later, and a name bound anywhere in a function (parameter, assignment,
``for`` or ``with`` target, ``except ... as``, a nested ``def``) is local to it
everywhere in it; comprehension variables are local to the comprehension. A
name that *may* refer to the import (bound to it on one branch, to something
else on another, as in ``try: from x import f`` / ``except ImportError: f =
None``) counts as a use.

Relative imports are resolved when the file's own module name is known, that is
when it lies in a directory named after the top-level package of a target (the
scanned tree is that package); elsewhere they bind names to something unknown.

Star imports: after ``from a.b import *`` a bare name ``c`` is a use of
``a.b.c`` only when ``c`` is bound nowhere else in the module (neither at module
level nor in the enclosing functions), since what ``*`` brings is unknown.

String annotations (``"Session"``) and ``getattr``/``importlib`` lookups are
not followed.

For speed, only names bound by a relevant import are followed, and statements
whose lines never spell one of them are skipped without being walked: such a
statement can neither use nor rebind them.
"""

from __future__ import annotations

import ast
import functools
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..model import Kind

UNBOUND = "<unbound>"
OTHER = "<other>"
STAR = "<star>"
_UNBOUND_SET = frozenset({UNBOUND})
_OTHER_SET = frozenset({OTHER})

#: From this many distinct last names on, :meth:`Targets.might_occur` compares the file's words with
#: the set of names instead of searching for each name.
MANY_NAMES = 64
_ASCII_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRY = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))


@dataclass(frozen=True)
class Targets:
    """The dotted names looked for, with what the finder derives from them."""

    names: frozenset[str]
    prefixes: frozenset[str]
    last_names: tuple[str, ...]
    top_packages: frozenset[str]

    @classmethod
    def of(cls, dotted: Iterable[str]) -> Targets:
        names = frozenset(dotted)
        prefixes: set[str] = set()
        for name in names:
            parts = name.split(".")
            prefixes.update(".".join(parts[: index + 1]) for index in range(len(parts)))
        return cls(
            names=names,
            prefixes=frozenset(prefixes),
            last_names=tuple(sorted({name.rpartition(".")[2] for name in names})),
            top_packages=frozenset(name.partition(".")[0] for name in names),
        )

    @cached_property
    def _encoded(self) -> tuple[bytes, ...]:
        return tuple(name.encode("utf-8") for name in self.last_names)

    @cached_property
    def _word_set(self) -> frozenset[bytes] | None:
        """The last names, for many ASCII names (a whole library's): one pass over the words
        of a file then beats one substring search per name."""
        if len(self.last_names) < MANY_NAMES or not all(name.isascii() for name in self.last_names):
            return None
        return frozenset(self._encoded)

    def might_occur(self, data: bytes) -> bool:
        """False when *data* cannot use any target: it never spells a target's last name.

        Sound because every use, through any alias, spells that name somewhere in
        the file, as a whole identifier: in the import that binds it or in the
        attribute chain. With few names, a search for each as a whole word (see
        :func:`spells`); with many, the file's ASCII words against the set of names.
        """
        words = self._word_set
        if words is not None:
            return not words.isdisjoint(_ASCII_WORD.findall(data))
        return any(spells(data, name) for name in self._encoded)


@dataclass
class FileUses:
    """What one file holds: lines using each target, and definitions seen."""

    uses: dict[str, set[int]] = field(default_factory=dict)
    definitions: dict[str, Kind] = field(default_factory=dict)
    reexports: dict[str, str] = field(default_factory=dict)

    def add(self, target: str, line: int) -> None:
        self.uses.setdefault(target, set()).add(line)


@functools.lru_cache(maxsize=1024)
def _whole_word(name: bytes) -> re.Pattern[bytes]:
    # the look-behind follows the name, so that the search jumps from one occurrence to the next
    escaped = re.escape(name)
    return re.compile(escaped + rb"(?<![A-Za-z0-9_]" + escaped + rb")(?![A-Za-z0-9_])")


def spells(data: bytes, name: bytes) -> bool:
    """True when *data* holds *name* as a whole word: no ASCII letter, digit or ``_`` on either side
    (so ``F`` is not spelled by ``False``; a non-ASCII neighbour does not count, to be safe)."""
    return name in data and _whole_word(name).search(data) is not None


def module_name(path: str, top_packages: Iterable[str]) -> tuple[str, bool] | None:
    """The module a file defines (and whether it is a package), when it lies under a target's package.

    ``lib/sqlalchemy/orm/__init__.py`` gives ``("sqlalchemy.orm", True)`` when
    ``sqlalchemy`` is a target's top-level package.
    """
    if not path.endswith(".py"):
        return None
    parts = path[:-3].split("/")
    tops = set(top_packages)
    for index, part in enumerate(parts[:-1] if len(parts) > 1 else parts):
        if part in tops:
            module = parts[index:]
            is_package = module[-1] == "__init__"
            if is_package:
                module = module[:-1]
            if module and all(piece.isidentifier() for piece in module):
                return ".".join(module), is_package
            return None
    if len(parts) == 1 and parts[0] in tops:
        return parts[0], False
    return None


def absolute_module(module: str | None, is_package: bool, level: int, name: str | None) -> str | None:
    """The absolute module of ``from <level dots><name> import ...`` in *module*, if it can be known."""
    if level == 0:
        return name
    if module is None:
        return None
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def lines_mentioning(text: str, names: Iterable[str]) -> list[int]:
    """Sorted 1-based numbers of the lines of *text* where one of *names* occurs as a whole word."""
    positions = []
    size = len(text)
    for name in names:
        position = text.find(name)
        while position >= 0:
            end = position + len(name)
            if (position == 0 or not _is_word_char(text[position - 1])) and (
                end >= size or not _is_word_char(text[end])
            ):
                positions.append(position)
            position = text.find(name, end)
    positions.sort()
    found: list[int] = []
    line, previous = 1, 0
    for position in positions:
        line += text.count("\n", previous, position)
        previous = position
        if not found or found[-1] != line:
            found.append(line)
    return found


def first_line(node: ast.stmt) -> int:
    """The first line of a statement, its decorators included."""
    decorators = getattr(node, "decorator_list", None)
    return min(node.lineno, decorators[0].lineno) if decorators else node.lineno


class _Scope:
    """One scope's names: their meanings now, those bound anywhere, declarations."""

    __slots__ = ("bound", "declared_global", "declared_nonlocal", "kind", "parent", "refs", "state")

    def __init__(self, kind: str, parent: _Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.state: dict[str, frozenset[str]] = {}
        self.bound: set[str] = set()
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()
        self.refs: list[_Ref] = []

    def bind(self, name: str, meanings: frozenset[str] = _OTHER_SET) -> None:
        self.bound.add(name)
        self.state[name] = meanings


@dataclass(frozen=True)
class _Ref:
    """A load of a tracked name, with its meanings when it ran and the attributes after it."""

    name: str
    line: int
    snapshot: frozenset[str]
    chain: tuple[tuple[str, int], ...]
    statement: tuple[int, int]
    node: ast.expr | None = None  # the Name or outermost Attribute, for column positions


class _Bind:
    """A marker on the expression stack: bind *name* once the value before it is walked."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def find_uses(
    tree: ast.Module, text: str, targets: Targets, module: str | None, is_package: bool
) -> FileUses:
    """Every line of *text* (parsed as *tree*) that uses one of *targets*."""
    return _Finder(tree, text, targets, module, is_package).run()


class _Finder:
    def __init__(self, tree: ast.Module, text: str, targets: Targets, module: str | None, is_package: bool):
        self.tree = tree
        self.text = text
        self.targets = targets
        self.module = module
        self.is_package = is_package
        self.last_names = frozenset(targets.last_names)
        self.result = FileUses()
        self.tracked: set[str] = set()
        self.star_modules: list[str] = []
        self.lines: list[int] = []
        self.statement = (0, 0)
        self.deferred: deque[Callable[[], None]] = deque()
        self.resolved: list[tuple[_Ref, frozenset[str]]] = []
        self.module_scope = _Scope("module", None)
        self._split: list[str] | None = None

    # -- the pre-scan: which names can matter at all -----------------------------------------

    def run(self) -> FileUses:
        if self.module is not None:
            self._definitions(self.tree.body, depth=0)
        self.lines = lines_mentioning(self.text, ("import",))
        self._prescan(self.tree.body, top=True)
        if not self.tracked:
            return self.result
        self.lines = lines_mentioning(self.text, self.tracked)
        self._body(self.tree.body, self.module_scope)
        self._finish(self.module_scope)
        while self.deferred:
            self.deferred.popleft()()
        self._match()
        return self.result

    def _relevant(self, node: ast.stmt) -> bool:
        """True when one of the lines in :attr:`lines` lies within *node*."""
        lines = self.lines
        index = bisect_left(lines, first_line(node))
        return index < len(lines) and lines[index] <= (node.end_lineno or node.lineno)

    def _definitions(self, body: Sequence[ast.stmt], depth: int) -> None:
        """Note the top-level functions and classes named like a target (also under ``if``/``try``)."""
        names = self.last_names
        for node in body:
            if isinstance(node, _FUNCTIONS) and node.name in names:
                self.result.definitions.setdefault(f"{self.module}.{node.name}", Kind.FUNCTION)
            elif isinstance(node, ast.ClassDef) and node.name in names:
                self.result.definitions.setdefault(f"{self.module}.{node.name}", Kind.CLASS)
            elif depth == 0 and isinstance(node, (ast.If, *_TRY)):
                for child in _child_bodies(node):
                    self._definitions(child, depth + 1)

    def _prescan(self, body: Sequence[ast.stmt], top: bool) -> None:
        """Track the names that imports bind to a target or a prefix of one (statements with imports only)."""
        for node in body:
            if not self._relevant(node):
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound, qualified = self._import_binding(alias)
                    if qualified in self.targets.prefixes:
                        self.tracked.add(bound)
            elif isinstance(node, ast.ImportFrom):
                self._prescan_from(node, top)
            else:
                for child in _child_bodies(node):
                    self._prescan(child, top=top and isinstance(node, (ast.If, *_TRY)))

    def _prescan_from(self, node: ast.ImportFrom, top: bool) -> None:
        base = absolute_module(self.module, self.is_package, node.level, node.module)
        if base is None:
            return
        for alias in node.names:
            if alias.name == "*":
                self._note_star(base)
                continue
            qualified = f"{base}.{alias.name}"
            bound = alias.asname or alias.name
            if qualified in self.targets.prefixes:
                self.tracked.add(bound)
            if top and self.module is not None and bound in self.last_names:
                self.result.reexports[f"{self.module}.{bound}"] = qualified

    def _note_star(self, base: str) -> None:
        names = {
            target[len(base) + 1 :].partition(".")[0]
            for target in self.targets.names
            if target.startswith(base + ".")
        }
        if names:
            self.star_modules.append(base)
            self.tracked.update(names)

    def _import_binding(self, alias: ast.alias) -> tuple[str, str]:
        if alias.asname:
            return alias.asname, alias.name
        top = alias.name.partition(".")[0]
        return top, top

    # -- statements ----------------------------------------------------------------------------

    def _body(self, body: Sequence[ast.stmt], scope: _Scope) -> None:
        for node in body:
            if self._relevant(node):
                self.statement = (first_line(node), node.end_lineno or node.lineno)
                self._stmt(node, scope)

    def _stmt(self, node: ast.stmt, scope: _Scope) -> None:
        if isinstance(node, _FUNCTIONS):
            self._function(node, scope)
        elif isinstance(node, ast.ClassDef):
            self._class(node, scope)
        elif isinstance(node, ast.Assign):
            self._expr(node.value, scope)
            for target in node.targets:
                self._expr(target, scope)
        elif isinstance(node, ast.AugAssign):
            self._expr(node.value, scope)
            if isinstance(node.target, ast.Name) and node.target.id in self.tracked:
                self._reference(node.target.id, node.target.lineno, (), scope)
            self._expr(node.target, scope)
        elif isinstance(node, ast.AnnAssign):
            self._expr(node.annotation, scope)
            if node.value is not None:
                self._expr(node.value, scope)
                self._expr(node.target, scope)
            elif isinstance(node.target, ast.Name):
                if node.target.id in self.tracked and scope.kind == "function":
                    scope.bound.add(node.target.id)
            else:
                self._expr(node.target, scope)
        elif isinstance(node, ast.Import):
            self._import(node, scope)
        elif isinstance(node, ast.ImportFrom):
            self._import_from(node, scope)
        elif isinstance(node, ast.If):
            self._expr(node.test, scope)
            self._branches(scope, [node.body, node.orelse])
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._expr(node.iter, scope)
            before = dict(scope.state)
            self._expr(node.target, scope)
            self._body(node.body, scope)
            scope.state = _merge([before, scope.state])
            self._body(node.orelse, scope)
        elif isinstance(node, ast.While):
            self._expr(node.test, scope)
            before = dict(scope.state)
            self._body(node.body, scope)
            scope.state = _merge([before, scope.state])
            self._body(node.orelse, scope)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self._expr(item.context_expr, scope)
                if item.optional_vars is not None:
                    self._expr(item.optional_vars, scope)
            self._body(node.body, scope)
        elif isinstance(node, _TRY):
            self._try(node, scope)
        elif isinstance(node, ast.Match):
            self._match_statement(node, scope)
        elif isinstance(node, ast.Global):
            scope.declared_global.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.declared_nonlocal.update(node.names)
        else:
            self._expr(node, scope)

    def _branches(self, scope: _Scope, bodies: list[list[ast.stmt]]) -> None:
        before = scope.state
        ends = []
        for body in bodies:
            scope.state = dict(before)
            self._body(body, scope)
            ends.append(scope.state)
        scope.state = _merge(ends)

    def _try(self, node: ast.stmt, scope: _Scope) -> None:
        before = dict(scope.state)
        self._body(node.body, scope)  # type: ignore[attr-defined]
        after_body = scope.state
        entry = _merge([before, after_body])
        ends = []
        scope.state = dict(after_body)
        self._body(node.orelse, scope)  # type: ignore[attr-defined]
        ends.append(scope.state)
        for handler in node.handlers:  # type: ignore[attr-defined]
            scope.state = dict(entry)
            if handler.type is not None:
                self._expr(handler.type, scope)
            if handler.name and handler.name in self.tracked:
                scope.bind(handler.name)
            self._body(handler.body, scope)
            if handler.name and handler.name in self.tracked:
                scope.state[handler.name] = _UNBOUND_SET
            ends.append(scope.state)
        scope.state = _merge(ends)
        self._body(node.finalbody, scope)  # type: ignore[attr-defined]

    def _match_statement(self, node: ast.Match, scope: _Scope) -> None:
        self._expr(node.subject, scope)
        before = scope.state
        ends = [dict(before)]
        for case in node.cases:
            scope.state = dict(before)
            self._expr(case.pattern, scope)
            if case.guard is not None:
                self._expr(case.guard, scope)
            self._body(case.body, scope)
            ends.append(scope.state)
        scope.state = _merge(ends)

    def _import(self, node: ast.Import, scope: _Scope) -> None:
        for alias in node.names:
            if alias.name in self.targets.names:
                self.result.add(alias.name, alias.lineno)
            bound, qualified = self._import_binding(alias)
            if bound in self.tracked:
                self._bind(scope, bound, qualified)

    def _import_from(self, node: ast.ImportFrom, scope: _Scope) -> None:
        base = absolute_module(self.module, self.is_package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                continue
            bound = alias.asname or alias.name
            if base is None:
                if bound in self.tracked:
                    scope.bind(bound)
                continue
            qualified = f"{base}.{alias.name}"
            if qualified in self.targets.names:
                self.result.add(qualified, alias.lineno)
            if bound in self.tracked:
                self._bind(scope, bound, qualified)

    def _bind(self, scope: _Scope, name: str, qualified: str) -> None:
        scope.bind(name, frozenset({qualified}) if qualified in self.targets.prefixes else _OTHER_SET)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        for decorator in node.decorator_list:
            self._expr(decorator, scope)
        self._arguments(node.args, scope, annotations=True)
        if node.returns is not None:
            self._expr(node.returns, scope)
        if node.name in self.tracked:
            scope.bind(node.name)
        self._defer_body(node.args, scope, lambda inner: self._body(node.body, inner))

    def _lambda(self, node: ast.Lambda, scope: _Scope) -> None:
        self._arguments(node.args, scope, annotations=False)
        self._defer_body(node.args, scope, lambda inner: self._expr(node.body, inner))

    def _defer_body(self, args: ast.arguments, scope: _Scope, visit: Callable[[_Scope], None]) -> None:
        """Visit a function's body in its own scope once the enclosing scope is complete
        (names bound after the ``def`` are visible in the body when it runs)."""
        inner = _Scope("function", scope)
        self._parameters(args, inner)
        statement = self.statement

        def walk() -> None:
            self.statement = statement
            visit(inner)
            self._finish(inner)

        self.deferred.append(walk)

    def _arguments(self, args: ast.arguments, scope: _Scope, annotations: bool) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self._expr(default, scope)
        if annotations:
            for arg in _all_args(args):
                if arg.annotation is not None:
                    self._expr(arg.annotation, scope)

    def _parameters(self, args: ast.arguments, inner: _Scope) -> None:
        for arg in _all_args(args):
            if arg.arg in self.tracked:
                inner.bind(arg.arg)

    def _class(self, node: ast.ClassDef, scope: _Scope) -> None:
        for expression in [*node.decorator_list, *node.bases, *(keyword.value for keyword in node.keywords)]:
            self._expr(expression, scope)
        inner = _Scope("class", scope)
        self._body(node.body, inner)
        self._finish(inner)
        if node.name in self.tracked:
            scope.bind(node.name)

    # -- expressions ---------------------------------------------------------------------------

    def _expr(self, root: ast.AST, scope: _Scope) -> None:
        """Walk an expression (iteratively: deep operator chains do not recurse)."""
        tracked = self.tracked
        stack: list[ast.AST | _Bind] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, _Bind):
                self._walrus(node.name, scope)
            elif isinstance(node, ast.Name):
                if node.id in tracked:
                    if isinstance(node.ctx, ast.Load):
                        self._reference(node.id, node.lineno, (), scope, node)
                    elif isinstance(node.ctx, ast.Store):
                        self._store(scope, node.id)
                    else:
                        scope.bound.add(node.id)
                        scope.state[node.id] = _UNBOUND_SET
            elif isinstance(node, ast.Attribute):
                chain = []
                base: ast.expr = node
                while isinstance(base, ast.Attribute):
                    chain.append((base.attr, base.end_lineno or base.lineno))
                    base = base.value
                if isinstance(base, ast.Name):
                    if base.id in tracked:
                        self._reference(base.id, base.lineno, tuple(reversed(chain)), scope, node)
                else:
                    stack.append(base)
            elif isinstance(node, ast.Constant):
                continue
            elif isinstance(node, _COMPREHENSIONS):
                self._comprehension(node, scope)
            elif isinstance(node, ast.Lambda):
                self._lambda(node, scope)
            elif isinstance(node, ast.NamedExpr):
                if node.target.id in tracked:
                    stack.append(_Bind(node.target.id))
                stack.append(node.value)
            else:
                if isinstance(node, (ast.MatchAs, ast.MatchStar)):
                    if node.name in tracked:
                        scope.bind(node.name)
                elif isinstance(node, ast.MatchMapping) and node.rest in tracked:
                    scope.bind(node.rest)
                children: list[ast.AST] = []
                for name in node._fields:
                    value = getattr(node, name, None)
                    if isinstance(value, ast.AST):
                        children.append(value)
                    elif isinstance(value, list):
                        children.extend(item for item in value if isinstance(item, ast.AST))
                children.reverse()
                stack.extend(children)

    def _store(self, scope: _Scope, name: str) -> None:
        if name in scope.declared_global and scope is not self.module_scope:
            module = self.module_scope
            module.bound.add(name)
            module.state[name] = module.state.get(name, _UNBOUND_SET) | _OTHER_SET
        else:
            scope.bind(name)

    def _walrus(self, name: str, scope: _Scope) -> None:
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        self._store(scope, name)

    def _comprehension(self, node: ast.AST, scope: _Scope) -> None:
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        self._expr(generators[0].iter, scope)
        inner = _Scope("comprehension", scope)
        for index, generator in enumerate(generators):
            if index:
                self._expr(generator.iter, inner)
            self._expr(generator.target, inner)
            for condition in generator.ifs:
                self._expr(condition, inner)
        if isinstance(node, ast.DictComp):
            self._expr(node.key, inner)
            self._expr(node.value, inner)
        else:
            self._expr(node.elt, inner)  # type: ignore[attr-defined]
        self._finish(inner)

    def _reference(
        self,
        name: str,
        line: int,
        chain: tuple[tuple[str, int], ...],
        scope: _Scope,
        node: ast.expr | None = None,
    ) -> None:
        snapshot = scope.state.get(name, _UNBOUND_SET)
        scope.refs.append(_Ref(name, line, snapshot, chain, self.statement, node))

    # -- resolution ----------------------------------------------------------------------------

    def _finish(self, scope: _Scope) -> None:
        """Resolve the references of a scope whose body has been walked."""
        for ref in scope.refs:
            self.resolved.append((ref, self._meanings(scope, ref)))
        scope.refs = []

    def _meanings(self, scope: _Scope, ref: _Ref) -> frozenset[str]:
        name = ref.name
        if scope.kind in ("function", "comprehension"):
            if name in scope.declared_global:
                return self._module_meanings(name)
            if name in scope.declared_nonlocal:
                return self._enclosing(scope.parent, name)
            if name in scope.bound:
                return ref.snapshot - _UNBOUND_SET
            return self._enclosing(scope.parent, name)
        meanings = ref.snapshot - _UNBOUND_SET
        if UNBOUND in ref.snapshot:
            meanings |= self._enclosing(scope.parent, name) if scope.kind == "class" else {STAR}
        return meanings

    def _enclosing(self, scope: _Scope | None, name: str) -> frozenset[str]:
        while scope is not None:
            if scope.kind == "module":
                return self._module_meanings(name)
            if scope.kind != "class" and name in scope.bound and name not in scope.declared_global:
                return scope.state.get(name, _UNBOUND_SET) - _UNBOUND_SET
            scope = scope.parent
        return frozenset()

    def _module_meanings(self, name: str) -> frozenset[str]:
        current = self.module_scope.state.get(name, _UNBOUND_SET)
        return (current - _UNBOUND_SET) | ({STAR} if UNBOUND in current else frozenset())

    def _match(self) -> None:
        """Turn resolved references into uses; star imports count for names bound nowhere."""
        targets, prefixes = self.targets.names, self.targets.prefixes
        star_bound = self.module_scope.bound
        for ref, meanings in self.resolved:
            for meaning in meanings:
                if meaning == STAR:
                    if ref.name in star_bound:
                        continue
                    qualified_names = [f"{module}.{ref.name}" for module in self.star_modules]
                elif meaning in (OTHER, UNBOUND):
                    continue
                else:
                    qualified_names = [meaning]
                for qualified in qualified_names:
                    self._follow(qualified, ref, targets, prefixes)

    def _follow(self, qualified: str, ref: _Ref, targets: frozenset[str], prefixes: frozenset[str]) -> None:
        if qualified not in prefixes:
            return
        if qualified in targets:
            self.result.add(qualified, self._line(ref.line, ref.name, ref.statement))
        for attr, line in ref.chain:
            qualified = f"{qualified}.{attr}"
            if qualified not in prefixes:
                return
            if qualified in targets:
                self.result.add(qualified, self._line(line, attr, ref.statement))

    def _line(self, line: int, word: str, statement: tuple[int, int]) -> int:
        """*line*, or the statement's first line naming *word* when *line* does not (old f-strings)."""
        lines = self._text_lines()
        if 0 < line <= len(lines) and word in lines[line - 1]:
            return line
        for number in range(statement[0], min(statement[1], len(lines)) + 1):
            if re.search(rf"\b{re.escape(word)}\b", lines[number - 1]):
                return number
        return line

    def _text_lines(self) -> list[str]:
        if self._split is None:
            self._split = self.text.split("\n")
        return self._split


def _child_bodies(node: ast.stmt) -> list[list[ast.stmt]]:
    bodies = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
    result = [body for body in bodies if isinstance(body, list)]
    result.extend(handler.body for handler in getattr(node, "handlers", ()))
    result.extend(case.body for case in getattr(node, "cases", ()))
    return result


def _all_args(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every.extend(arg for arg in (args.vararg, args.kwarg) if arg is not None)
    return every


def _merge(states: list[dict[str, frozenset[str]]]) -> dict[str, frozenset[str]]:
    """The state after branches: each name may mean what it means on any branch."""
    merged: dict[str, frozenset[str]] = {}
    keys = set().union(*states) if states else set()
    for key in keys:
        merged[key] = frozenset().union(*(state.get(key, _UNBOUND_SET) for state in states))
    return merged
