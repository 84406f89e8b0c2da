"""Warnings with a location, ``type='codeexamples'`` and a subtype from :class:`ProblemCode`."""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

from ..problems import Problem, ProblemCode

logger = logging.getLogger("sphinx_codeexamples")


def warn(code: ProblemCode, message: str, location: Any = None) -> None:
    """Emit one warning; *location* is a node, ``(docname, line)`` or ``'path:line'``."""
    logger.warning(message, location=location, type="codeexamples", subtype=code.value)


def warn_problem(problem: Problem) -> None:
    """Emit a store problem at its own ``path:line`` (``path:`` without a line, as Sphinx does)."""
    warn(problem.code, problem.message, location=problem.location if problem.line else f"{problem.path}:")
