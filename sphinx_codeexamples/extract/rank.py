"""Choosing and ordering the examples of a callable across files and projects.

The rank, best first:

1. library code before tests (a path with a ``test``, ``tests`` or ``testing``
   directory, or a ``test_*.py``, ``*_test.py`` or ``conftest.py`` file);
2. one example per project before a second from the same project: within
   library code (then within tests), each project's best example comes first,
   then each project's second best, and so on;
3. within such a round, smaller enclosing items first (the lines of the
   smallest item that holds a use: a three-line function before a 200-line
   class), then the project's name, then the path.

``--max-examples`` keeps the first N of this order; ``--exclude`` and
``--no-tests`` leave paths out before ranking.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from .pages import FoundExample

_TEST_DIRECTORIES = frozenset({"test", "tests", "testing"})


def is_test_path(path: str) -> bool:
    """True for a project-relative path that holds tests."""
    *directories, name = path.split("/")
    if any(directory.lower() in _TEST_DIRECTORIES for directory in directories):
        return True
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")


@dataclass(frozen=True)
class PathFilter:
    """``--exclude GLOB`` (matched with :func:`fnmatch.fnmatchcase` against the project-relative
    path, where ``*`` also matches ``/``) and ``--no-tests``."""

    excludes: tuple[str, ...] = ()
    no_tests: bool = False

    def excluded(self, path: str) -> bool:
        if self.no_tests and is_test_path(path):
            return True
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.excludes)


def rank(found: Iterable[FoundExample]) -> list[FoundExample]:
    """*found* in rank order (see the module docstring)."""
    groups: dict[tuple[bool, str], list[FoundExample]] = {}
    for example in found:
        groups.setdefault((is_test_path(example.path), example.key), []).append(example)
    keyed = []
    for (is_test, _), examples in groups.items():
        examples.sort(key=_within_project)
        for round_, example in enumerate(examples):
            keyed.append(
                ((is_test, round_, *_within_project(example)[:1], example.key, example.path), example)
            )
    keyed.sort(key=lambda pair: pair[0])
    return [example for _, example in keyed]


def _within_project(example: FoundExample) -> tuple[int, str]:
    return example.item_lines or 1 << 30, example.path
