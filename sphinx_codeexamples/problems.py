"""Problems found in stores, directives and configuration: one Enum of subtypes.

Every warning the extension emits has ``type='codeexamples'`` and one of these
values as its ``subtype``; the documentation renders this Enum, so code and docs
never drift apart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class ProblemCode(str, enum.Enum):
    """Warning subtypes, with their severity and what they mean."""

    description: str
    severity: Severity

    def __new__(cls, value: str, severity: Severity, description: str) -> ProblemCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.description = description
        return member

    UNREADABLE = (
        "unreadable",
        Severity.ERROR,
        "A store file could not be read: a missing file, a binary file or an I/O error.",
    )
    ENCODING = (
        "encoding",
        Severity.WARNING,
        "A store file is not valid UTF-8; the bad bytes are replaced and the page still loads.",
    )
    FRONT_MATTER = (
        "front-matter",
        Severity.WARNING,
        "A front-matter key is missing, repeated or malformed.",
    )
    NO_CALLABLE = (
        "no-callable",
        Severity.ERROR,
        "No dotted callable name can be derived from the page's sidebartitle or title.",
    )
    NO_EXAMPLES = (
        "no-examples",
        Severity.ERROR,
        "A page that names a callable has no example sections (hub pages are skipped silently).",
    )
    EXAMPLE = (
        "example",
        Severity.WARNING,
        "An example section is malformed: no code block, a repeated number, or an empty project name.",
    )
    SOURCE_LINK = (
        "source-link",
        Severity.WARNING,
        "An example has no source-file link line, or the link has no usable URL.",
    )
    FENCE = (
        "fence",
        Severity.WARNING,
        "A code fence is not closed (the page ends inside it) or a second block follows the first.",
    )
    MARKER = (
        "marker",
        Severity.WARNING,
        "A line looks like a malformed marker (e.g. a backtick and one ``~``), or a block marks no line.",
    )
    DUPLICATE = (
        "duplicate",
        Severity.WARNING,
        "Two store pages describe the same callable; the first in store order is used.",
    )
    UNSAFE_LINK = (
        "unsafe-link",
        Severity.WARNING,
        "A link with a scheme other than http, https, mailto or a relative URL was dropped. The warning "
        "points at the store file: the first line of the intro, or the heading of the example.",
    )
    STORE = (
        "store",
        Severity.ERROR,
        "A configured store directory does not exist or is not a directory.",
    )
    CONFIG = (
        "config",
        Severity.ERROR,
        "A configuration value has the wrong type or an invalid value.",
    )
    UNKNOWN_CALLABLE = (
        "unknown-callable",
        Severity.ERROR,
        "A directive or role names a callable that no store page describes.",
    )
    OPTION = (
        "option",
        Severity.ERROR,
        "A directive argument or option is invalid.",
    )
    UNSHOWN_CALLABLE = (
        "unshown-callable",
        Severity.WARNING,
        "A ``:callable-example:`` role names a callable that a store page describes but no page of "
        "this build shows (add a ``callable-example`` directive or turn on generated pages).",
    )
    GENERATE = (
        "generate",
        Severity.WARNING,
        "A generated page could not be written or removed: an unsafe ``codeexamples_generate_dir``, a "
        "hand-written file in the way, or an I/O error.",
    )
    TOO_LARGE = (
        "too-large",
        Severity.ERROR,
        "A store file is larger than 10 MB (about 70 times the largest real page) and is skipped "
        "without being read; the rest of the store still loads.",
    )
    LONG_TEXT = (
        "long-text",
        Severity.WARNING,
        "A store page has a line, or a blurb or intro, longer than 100,000 characters (real pages stay "
        "far below); the page still loads, but such a blurb or intro is shown as plain text instead of "
        "being parsed as Markdown. Reported at the first such line or at the example's heading.",
    )
    OUTSIDE_STORE = (
        "outside-store",
        Severity.ERROR,
        "A store file is a symbolic link that resolves outside its store directory; it is not read.",
    )


@dataclass(frozen=True)
class Problem:
    """A located problem: ``path:line: message``."""

    path: str
    line: int
    code: ProblemCode
    message: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        return f"{self.location}: {self.code.severity.value}: {self.message} [{self.code.value}]"
