"""The coverage report: documented callables without examples, store callables shown nowhere.

Computed in the main process once reading is done (``env-check-consistency``,
which Sphinx runs whenever a document was read), from the per-document records
of :mod:`.autodoc` and of the ``callable-example`` directives. Warnings
(subtype ``coverage``) only with ``codeexamples_coverage = True``; one summary
line whenever ``codeexamples_autodoc`` or ``codeexamples_coverage`` is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..problems import ProblemCode
from .autodoc import CALLABLE_TYPES, ApiEntry
from .domain import CodeExamplesDomain
from .logging import logger, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class Coverage:
    documented: int
    without_examples: list[ApiEntry]
    unshown: list[tuple[str, str]]  # (store name, store file)


def coverage_of(domain: CodeExamplesDomain) -> Coverage:
    entries = [
        entry
        for docname in sorted(domain.api_entries)
        for entry in domain.api_entries[docname]
        if entry.objtype in CALLABLE_TYPES
    ]
    shown = {record.dotted for record in domain.iter_shown()}
    if domain.settings.autodoc:
        shown.update(
            name for entries in domain.api_entries.values() for entry in entries for name in entry.shown
        )
    unshown = [
        (name, entry.path) for name, entry in sorted(domain.index.by_name.items()) if name not in shown
    ]
    return Coverage(len(entries), [entry for entry in entries if not entry.shown], unshown)


def on_env_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    domain = env.domains["codeexamples"]
    assert isinstance(domain, CodeExamplesDomain)
    settings = domain.settings
    if not (settings.autodoc or settings.coverage):
        return
    report = coverage_of(domain)
    if settings.coverage:
        for entry in report.without_examples:
            warn(
                ProblemCode.COVERAGE, f"no store page has examples of {entry.dotted}", location=entry.location
            )
        for name, path in report.unshown:
            message = f"no API entry or page of this build shows the examples of {name}"
            warn(ProblemCode.COVERAGE, message, location=f"{path}:1")
    covered = report.documented - len(report.without_examples)
    logger.info(
        "codeexamples: %d of %d documented callables have examples; %d store callables are shown nowhere",
        covered,
        report.documented,
        len(report.unshown),
    )
