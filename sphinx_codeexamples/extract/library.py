"""A library's public callables and every public name they go by, read statically.

The library (a package directory, an sdist, a wheel, or one module's ``.py``
file) is parsed with :mod:`ast`, never imported; :mod:`.modules` reads each
module's definitions, imports, star imports and ``__all__``, and this module
follows the names from module to module.

A callable's identity is where it is defined: ``<defining module>.<name>``, its
*canonical* name. Its *public* names are ``<module>.<name>`` for every public
module (no dotted part starts with ``_``) whose public names include one that
resolves to it, following imports and star imports across modules (a cycle
ends the chain). A module's public names are its ``__all__`` when it has one,
else its own definitions without a leading ``_`` plus, in a package's
``__init__``, every name without a leading ``_`` that it imports from the
library, and in a plain module the explicit re-exports ``import x as x`` and
``from a import x as x``. A star import brings the target's ``__all__``, else
its names without a leading ``_``.

The name a page is filed under (:attr:`LibraryCallable.name`) is the public
name with the fewest dots; among equals, the one whose module contains the
defining module (the nearest package), then the one that keeps the name it
is defined by, then the alphabetically first. A callable without a public name
(defined in a private module and never re-exported) is not public; it can
still be asked for by name.

Not seen: names bound by code that runs (``globals()``, lazy PEP 562
``__getattr__``), stubs (``.pyi``) and methods; ``codeexamples_aliases``
covers what is missing in the docs.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib.util
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Kind
from .modules import ModuleInfo, read_module
from .sources import Source, SourceError

_EXCLUDED_TOPS = frozenset({"tests", "test", "testing", "docs", "doc", "examples", "benchmarks", "scripts"})
_BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning")


@dataclass(frozen=True)
class LibraryCallable:
    """One callable of the library: where it is defined, what it is, and its public names.

    ``public`` is sorted by preference (see the module docstring); ``name`` is the
    first of them, the name a page is filed under.
    """

    canonical: str
    kind: Kind
    public: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.public[0] if self.public else self.canonical

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name of the callable: the page's name first, then its aliases."""
        return (self.name, *self.aliases)

    @property
    def aliases(self) -> tuple[str, ...]:
        """The other names: the remaining public ones, then the canonical one."""
        rest = [name for name in self.public if name != self.name]
        if self.canonical != self.name and self.canonical not in rest:
            rest.append(self.canonical)
        return tuple(rest)


@dataclass
class Library:
    """The modules of a library and its callables, indexed by every spelling."""

    packages: tuple[str, ...]
    modules: dict[str, ModuleInfo]
    callables: dict[str, LibraryCallable] = field(default_factory=dict)  # by canonical name
    by_spelling: dict[str, LibraryCallable] = field(default_factory=dict)

    def public(self) -> list[LibraryCallable]:
        """The callables with a public name, sorted by that name."""
        return sorted((item for item in self.callables.values() if item.public), key=lambda item: item.name)

    def find(self, dotted: str) -> LibraryCallable | None:
        """The callable *dotted* names, spelled any way the library's imports allow."""
        found = self.by_spelling.get(dotted)
        if found is not None:
            return found
        module, _, name = dotted.rpartition(".")
        canonical = _Resolver(self.modules).resolve(module, name) if module in self.modules else None
        return self.callables.get(canonical) if canonical else None


def read_library(location: str) -> Library:
    """Read the packages of a package directory, an sdist or a wheel, or one module's ``.py`` file.

    Raises :class:`~.sources.SourceError` when *location* cannot be read.
    """
    if location.endswith(".py") and os.path.isfile(location):
        try:
            with open(location, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise SourceError(f"{location}: cannot read: {error.strerror}") from error
        stem = os.path.basename(location)[:-3]
        return _read({f"{stem}.py": data}, {f"{stem}.py": (stem, False)})
    source = Source.open(location)
    files = _python_files(source)
    if not files and source.git is not None:  # a folder that its enclosing git checkout does not track
        files = _python_files(Source(location, "directory"))
    return _read(files, _module_names(files, source.fallback_name if source.kind == "directory" else ""))


def _python_files(source: Source) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for file in source.files():
        if file.is_python and file.data is not None:
            files.setdefault(file.path, file.data)
    return files


def _read(files: Mapping[str, bytes], named: Mapping[str, tuple[str, bool]]) -> Library:
    modules: dict[str, ModuleInfo] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path, (module, is_package) in named.items():
            if module in modules:
                continue
            try:
                tree = ast.parse(importlib.util.decode_source(files[path]), filename=path)
            except (SyntaxError, ValueError, LookupError, RecursionError, MemoryError):
                continue
            modules[module] = read_module(tree, module, is_package)
    packages = tuple(sorted({name.partition(".")[0] for name in modules}))
    return _index(Library(packages, modules))


def _module_names(files: Iterable[str], root_name: str) -> dict[str, tuple[str, bool]]:
    """The module of each file inside a package (a chain of directories with ``__init__.py``).

    Files of the source's top directory are the package *root_name* when that
    directory has an ``__init__.py``; top-level packages named like tests or
    docs or inside such a directory, and files outside any package, are left out.
    """
    packages = {path.rpartition("/")[0] for path in files if path.rpartition("/")[2] == "__init__.py"}
    named: dict[str, tuple[str, bool]] = {}
    for path in sorted(files):
        directory, _, filename = path.rpartition("/")
        if directory not in packages:
            continue
        top = directory
        while top and top.rpartition("/")[0] in packages:
            top = top.rpartition("/")[0]
        if _EXCLUDED_TOPS.intersection(top.split("/")):
            continue
        if top:
            module = [top.rpartition("/")[2], *directory[len(top) + 1 :].split("/")]
        elif root_name:
            module = [root_name, *directory.split("/")]
        else:
            continue
        module = [part for part in module if part]
        is_package = filename == "__init__.py"
        if not is_package:
            module.append(filename[:-3])
        if not all(part.isidentifier() for part in module):
            continue
        named[path] = (".".join(module), is_package)
    return named


# -- across modules -------------------------------------------------------------------------------


class _Resolver:
    """Follows names from module to module; every chain ends at a cycle or an unknown module."""

    def __init__(self, modules: Mapping[str, ModuleInfo]) -> None:
        self.modules = modules
        self._exported: dict[str, frozenset[str]] = {}

    def resolve(self, module: str, name: str, seen: set[tuple[str, str]] | None = None) -> str | None:
        """The canonical name of the callable ``module.name`` is bound to, or None."""
        seen = set() if seen is None else seen
        info = self.modules.get(module)
        if info is None or (module, name) in seen:
            return None
        seen.add((module, name))
        if name in info.definitions:
            return f"{module}.{name}"
        bound = info.imports.get(name)
        if bound is not None:
            return self.resolve(bound.module, bound.name, seen) if bound.name is not None else None
        for star in info.stars:
            if name in self.exported(star):
                found = self.resolve(star, name, seen)
                if found is not None:
                    return found
        return None

    def module_of(self, module: str, name: str) -> str | None:
        """The library module ``module.name`` is bound to (``from . import exc``), or None."""
        info = self.modules.get(module)
        bound = info.imports.get(name) if info is not None else None
        if bound is None:
            return f"{module}.{name}" if f"{module}.{name}" in self.modules else None
        target = bound.module if bound.name is None else f"{bound.module}.{bound.name}"
        return target if target in self.modules else None

    def exported(self, module: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The names ``from module import *`` brings: ``__all__``, else those without a leading ``_``."""
        if module in self._exported:
            return self._exported[module]
        info = self.modules.get(module)
        if info is None or module in seen:
            return frozenset()
        seen = seen | {module}
        if info.all is not None:
            names = self._all(info, seen)
        else:
            names = {*info.definitions, *info.imports}
            for star in info.stars:
                names.update(self.exported(star, seen))
            names = {name for name in names if not name.startswith("_")}
        self._exported[module] = frozenset(names)
        return self._exported[module]

    def _all(self, info: ModuleInfo, seen: frozenset[str]) -> set[str]:
        names: set[str] = set()
        for item in info.all or ():
            if isinstance(item, str):
                names.add(item)
            else:
                names.update(self.exported(item.module, seen))
        return names

    def public_names(self, module: str) -> set[str]:
        """The names *module* offers: ``__all__``, else its definitions and re-exports."""
        info = self.modules[module]
        if info.all is not None:
            return self._all(info, frozenset({module}))
        names = set(info.definitions)
        for name, bound in info.imports.items():
            inside = bound.module.partition(".")[0] in self.modules or bound.module in self.modules
            if bound.explicit or (info.is_package and inside):
                names.add(name)
        for star in info.stars:
            names.update(self.exported(star))
        return {name for name in names if not name.startswith("_")}

    def kind(self, canonical: str, seen: frozenset[str] = frozenset()) -> Kind:
        """Function, class, or exception: a class whose base is one, by name or through the library."""
        module, _, name = canonical.rpartition(".")
        info = self.modules[module]
        kind = info.definitions[name]
        if kind is not Kind.CLASS or canonical in seen:
            return kind
        for base in info.bases.get(name, ()):
            if self._is_exception(info, base, seen | {canonical}):
                return Kind.EXCEPTION
        return kind

    def _is_exception(self, info: ModuleInfo, base: ast.expr, seen: frozenset[str]) -> bool:
        if isinstance(base, ast.Name):
            resolved = self.resolve(info.name, base.id)
            if resolved is None and base.id not in info.imports and base.id in _BUILTIN_EXCEPTIONS:
                return True
            last = base.id
        elif isinstance(base, ast.Attribute):
            owner = self.module_of(info.name, base.value.id) if isinstance(base.value, ast.Name) else None
            resolved = self.resolve(owner, base.attr) if owner is not None else None
            last = base.attr
        else:
            return False
        if resolved is not None:
            return self.kind(resolved, seen) is Kind.EXCEPTION
        return last.endswith(_EXCEPTION_SUFFIXES)


def _index(library: Library) -> Library:
    resolver = _Resolver(library.modules)
    public: dict[str, set[str]] = {}
    for module in sorted(library.modules):
        if library.modules[module].is_private:
            continue
        for name in resolver.public_names(module):
            canonical = resolver.resolve(module, name)
            if canonical is not None:
                public.setdefault(canonical, set()).add(f"{module}.{name}")
    for module, info in library.modules.items():
        for name in info.definitions:
            canonical = f"{module}.{name}"
            paths = public.get(canonical, set())
            ranked = tuple(sorted(paths, key=functools.partial(_rank, canonical=canonical)))
            found = LibraryCallable(canonical, resolver.kind(canonical), ranked)
            library.callables[canonical] = found
    for found in library.callables.values():
        for spelling in found.spellings:
            library.by_spelling.setdefault(spelling, found)
    return library


def _rank(path: str, canonical: str) -> tuple[int, bool, bool, str]:
    """Fewest dots first; then a module that contains the defining one; then the name it is
    defined by (not a renaming); then alphabetical."""
    module, _, name = path.rpartition(".")
    home, _, defined = canonical.rpartition(".")
    contains = home == module or home.startswith(module + ".")
    return path.count("."), not contains, name != defined, path
