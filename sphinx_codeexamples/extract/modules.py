"""One module of a library, read statically: what it defines, what its names are bound to.

Read by :mod:`.library`, which follows the names from module to module. A
module gives its top-level definitions (``def``, ``class``, also under a
top-level ``if``/``try``), the names its imports bind (``from .session import
Session``, ``import a.b as c``), its star imports, plain aliases (``Alias =
Name``, ``Alias = module.Name``) and ``__all__`` in its literal forms (``=``,
``+=``, ``.extend``, ``.append``, lists and tuples with ``*``, ``__all__``,
``other.__all__``, and ``+`` of those).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..model import Kind


@dataclass(frozen=True)
class Binding:
    """A name bound to ``module.name`` (``name`` None: to the module itself)."""

    module: str
    name: str | None
    explicit: bool = False  # ``import x as x`` / ``from a import x as x``


@dataclass
class ModuleInfo:
    """What one module defines (with kinds, and bases of classes) and binds, and its ``__all__``."""

    name: str
    is_package: bool
    definitions: dict[str, Kind] = field(default_factory=dict)
    bases: dict[str, tuple[ast.expr, ...]] = field(default_factory=dict)
    imports: dict[str, Binding] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)
    all: list[str | Binding] | None = None  # names, or another module's __all__

    @property
    def is_private(self) -> bool:
        return any(part.startswith("_") for part in self.name.split("."))


def read_module(tree: ast.Module, name: str, is_package: bool) -> ModuleInfo:
    """The module *name* (a package's ``__init__`` when *is_package*), parsed as *tree*."""
    module = ModuleInfo(name, is_package)
    for node in _top_level(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.definitions.setdefault(node.name, Kind.FUNCTION)
        elif isinstance(node, ast.ClassDef):
            module.definitions.setdefault(node.name, Kind.CLASS)
            module.bases.setdefault(node.name, tuple(node.bases))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    module.imports[alias.asname] = Binding(alias.name, None, alias.asname == alias.name)
        elif isinstance(node, ast.ImportFrom):
            _read_from(module, node)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
            _read_assignment(module, node)
    return module


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module body, those under a top-level ``if`` or ``try`` included."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _top_level([*node.body, *node.orelse])
        elif isinstance(node, ast.Try):
            handlers = [statement for handler in node.handlers for statement in handler.body]
            yield from _top_level([*node.body, *handlers, *node.orelse, *node.finalbody])


def _read_from(module: ModuleInfo, node: ast.ImportFrom) -> None:
    base = _absolute(module, node.level, node.module)
    if base is None:
        return
    for alias in node.names:
        if alias.name == "*":
            module.stars.append(base)
        else:
            bound = alias.asname or alias.name
            module.imports[bound] = Binding(base, alias.name, alias.asname == alias.name)


def _absolute(module: ModuleInfo, level: int, name: str | None) -> str | None:
    if level == 0:
        return name
    parts = module.name.split(".")
    if not module.is_package:
        parts = parts[:-1]
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _read_assignment(module: ModuleInfo, node: ast.stmt) -> None:
    """``__all__`` in its literal forms, and ``Alias = Name`` / ``Alias = module.Name``."""
    if isinstance(node, ast.Expr):  # __all__.extend([...]) / __all__.append("x")
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and _is_all(call.func.value)
            and call.func.attr in ("extend", "append")
            and len(call.args) == 1
        ):
            argument = call.args[0]
            items = (
                _names_of(module, argument)
                if call.func.attr == "extend"
                else _names_of(module, ast.List(elts=[argument]))
            )
            module.all = [*(module.all or []), *items]
        return
    if isinstance(node, ast.AugAssign):
        if _is_all(node.target) and isinstance(node.op, ast.Add):
            module.all = [*(module.all or []), *_names_of(module, node.value)]
        return
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
        return
    value = node.value
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if _is_all(target):
            module.all = _names_of(module, value)
        elif isinstance(target, ast.Name):
            alias = _alias_of(module, value)
            if alias is not None:
                module.imports[target.id] = replace(alias, explicit=True)  # an assignment defines a name
            elif target.id not in module.definitions:
                module.imports.pop(target.id, None)  # rebound to something else


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _names_of(module: ModuleInfo, node: ast.expr) -> list[str | Binding]:
    """The names of an ``__all__`` value: string lists and tuples (``*`` included), ``__all__``,
    ``m.__all__``, and sums of those."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        names: list[str | Binding] = []
        for item in node.elts:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                names.append(item.value)
            elif isinstance(item, ast.Starred):
                names.extend(_names_of(module, item.value))
        return names
    if _is_all(node):
        return list(module.all or [])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_names_of(module, node.left), *_names_of(module, node.right)]
    if isinstance(node, ast.Attribute) and node.attr == "__all__" and isinstance(node.value, ast.Name):
        bound = module.imports.get(node.value.id)
        if bound is not None:
            target = bound.module if bound.name is None else f"{bound.module}.{bound.name}"
            return [Binding(target, None)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple"):
        return _names_of(module, node.args[0]) if len(node.args) == 1 else []
    return []


def _alias_of(module: ModuleInfo, value: ast.expr) -> Binding | None:
    """What ``X = value`` binds X to when *value* is a name or ``module.name``."""
    if isinstance(value, ast.Name):
        if value.id in module.definitions:
            return Binding(module.name, value.id)
        return module.imports.get(value.id)
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
        bound = module.imports.get(value.value.id)
        if bound is not None:
            target = bound.module if bound.name is None else f"{bound.module}.{bound.name}"
            return Binding(target, value.attr)
    return None
