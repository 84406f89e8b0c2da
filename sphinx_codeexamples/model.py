"""The data model of an example page: plain frozen dataclasses, no Sphinx."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Kind(str, enum.Enum):
    """What the documented object is, as the page's intro names it."""

    CALLABLE = "callable"
    CLASS = "class"
    FUNCTION = "function"
    EXCEPTION = "exception"
    CONSTANT = "constant"
    MODULE = "module"


@dataclass(frozen=True, order=True)
class CallableName:
    """A dotted name split into its module and its last part."""

    module: str
    name: str

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name

    @classmethod
    def parse(cls, dotted: str) -> CallableName:
        """Split ``a.b.c`` into module ``a.b`` and name ``c``."""
        module, _, name = dotted.strip().rpartition(".")
        return cls(module, name)

    def is_valid(self) -> bool:
        """True when every part is a Python identifier."""
        parts = [*self.module.split("."), self.name] if self.module else [self.name]
        return all(_IDENTIFIER.match(part) for part in parts)

    def __str__(self) -> str:
        return self.dotted


@dataclass(frozen=True)
class ProjectLinks:
    """Links found in an example's blurb; any of them may be missing."""

    repository: str | None = None
    docs: str | None = None
    pypi: str | None = None
    license: str | None = None


@dataclass(frozen=True, init=False)
class Hunk:
    """A run of consecutive source lines.

    ``marked`` holds 0-based indexes into ``lines`` of the lines that use the
    callable; ``start`` is the original line number of the first line, when known.
    The lines are kept as one string (``text``): a store's pages stay in memory
    while a build reads, and a string per line costs twice the text.
    """

    text: str
    marked: frozenset[int]
    start: int | None
    size: int  # the number of lines (0 for none: ``text`` is "" for no line and for one empty line)

    def __init__(self, lines: Sequence[str], marked: frozenset[int] = frozenset(), start: int | None = None):
        object.__setattr__(self, "text", "\n".join(lines))
        object.__setattr__(self, "marked", marked)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "size", len(lines))

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n")) if self.size else ()

    def marked_linenos(self) -> list[int]:
        """1-based line numbers within the hunk, as Pygments' ``hl_lines`` wants."""
        return sorted(index + 1 for index in self.marked)


@dataclass(frozen=True)
class Elision:
    """A comment line standing for skipped source, kept as written."""

    text: str

    @property
    def summary(self) -> str:
        """The words of the comment without the ``#`` and the dots."""
        return re.sub(r"^[#\s.…]+|[\s.…]+$", "", self.text)


CodePart = Hunk | Elision


@dataclass(frozen=True)
class Example:
    """One snippet from one project, with the blurb that introduces it."""

    number: int
    project: str
    blurb: str
    source_label: str
    source_url: str | None
    code: tuple[CodePart, ...]
    language: str = "python"
    links: ProjectLinks = field(default_factory=ProjectLinks)
    line: int = field(default=0, compare=False)  # the heading's line in the store file

    @property
    def hunks(self) -> tuple[Hunk, ...]:
        return tuple(part for part in self.code if isinstance(part, Hunk))

    @property
    def marked_count(self) -> int:
        return sum(len(hunk.marked) for hunk in self.hunks)


@dataclass(frozen=True)
class PageMeta:
    """The front matter of a page, in its fixed key order, plus unknown keys."""

    title: str = ""
    category: str = "page"
    slug: str = ""
    sortorder: str = ""
    toc: str = "False"
    sidebartitle: str = ""
    meta: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    KEYS = ("title", "category", "slug", "sortorder", "toc", "sidebartitle", "meta")


@dataclass(frozen=True)
class RelatedLink:
    """One entry of a stored related block (derived data, kept for round trips)."""

    href: str
    name: str


@dataclass(frozen=True)
class Page:
    """One example page: a callable and the examples that use it.

    A *hub* page (``callable`` is None) describes projects, not a callable.
    ``generated_intro`` says the page opened with the one-line generated intro
    (:meth:`intro_sentence` rebuilds it); ``intro`` is any hand-written Markdown
    prose of the preamble, which starts at line ``intro_line`` of the file.
    ``aliases`` are the other dotted names of the same object (the front matter's
    optional ``aliases`` line): where it is defined, and other public re-exports.
    """

    path: str
    meta: PageMeta
    callable: CallableName | None
    kind: Kind = Kind.CALLABLE
    project: str = ""
    generated_intro: bool = False
    intro: str = ""
    related: tuple[RelatedLink, ...] = ()
    related_closing: str = ""
    examples: tuple[Example, ...] = ()
    intro_line: int = field(default=0, compare=False)
    aliases: tuple[str, ...] = ()

    @property
    def is_hub(self) -> bool:
        return self.callable is None

    @property
    def dotted(self) -> str:
        return self.callable.dotted if self.callable else ""

    @property
    def names(self) -> tuple[str, ...]:
        """The page's name, then its aliases: every spelling that finds it."""
        return (self.dotted, *self.aliases) if self.callable else ()

    def intro_sentence(self) -> str:
        """The generated intro, as Markdown."""
        assert self.callable is not None
        project = f" of the {self.project} project" if self.project else ""
        article = "an" if self.kind.value[0] in "aeiou" else "a"
        return (
            f"`{self.callable.name}` is {article} {self.kind.value} within the "
            f"`{self.callable.module}` module{project}."
        )
