"""Where each example links: the file, at a fixed revision, at the line of its first use.

Each source gets its own ref, in this order:

1. ``--ref SOURCE=REF`` for that source (or a bare ``--ref REF``, which is
   allowed with one source only): *given* by the user;
2. a git checkout's ``HEAD`` commit: *read* from git;
3. for an sdist or wheel, ``--ref-template`` filled with the release's name and
   version (``v{version}`` -> ``v3.1.3``): *guessed*, never checked.

With a ref and a repository on a known forge, the link is the forge's file
view at that ref with a line anchor. An sdist or wheel without a ref (or
without a known repository) links to its own file at an immutable address, the
PyPI inspector, built from the archive's BLAKE2b-256 digest (PyPI stores each
file under ``packages/h[0:2]/h[2:4]/h[4:]/FILENAME``): it is right when the
archive is the file PyPI serves (as ``pip download`` gets it); nothing is
checked online. Anything else (a directory outside git, without a ref) links
to the project's PyPI release page or its repository, which is not pinned.
"""

from __future__ import annotations

import os
import string
import tarfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlsplit

from ..model import CodePart, Hunk
from .cache import file_blake2b
from .gitinfo import file_url, normalize_repository
from .metadata import ProjectMeta
from .sources import Source, _member_path, _wheel_path

INSPECTOR = "https://inspector.pypi.io/project/{name}/{version}/packages/{a}/{b}/{rest}/{filename}/{member}"
TEMPLATE_FIELDS = frozenset({"name", "version"})

_LINE_ANCHORS = {
    "github.com": "#L{line}",
    "gitlab.com": "#L{line}",
    "codeberg.org": "#L{line}",
    "bitbucket.org": "#lines-{line}",
}


class RefError(ValueError):
    """A --ref or --ref-template value that cannot be used."""


@dataclass(frozen=True)
class RefOptions:
    """The ref options of a run: per-source refs, one ref for every source, a template."""

    per_source: Mapping[str, str] = field(default_factory=dict)
    every: str | None = None
    template: str | None = None

    @classmethod
    def parse(cls, refs: Sequence[str], template: str | None, sources: Sequence[Source]) -> RefOptions:
        """Read ``--ref`` values (``SRC=REF`` or one bare ``REF``) against the *sources* given."""
        per_source: dict[str, str] = {}
        every = None
        for value in refs:
            location, equals, ref = value.rpartition("=")
            if not equals:
                if len(sources) > 1:
                    raise RefError(
                        f"--ref {value!r} would pin all {len(sources)} sources to one ref; "
                        "give --ref SOURCE=REF for each source, or --ref-template"
                    )
                every = value.strip()
                continue
            matches = [source for source in sources if _same_source(location, source.location)]
            if not matches or not ref.strip():
                raise RefError(f"--ref {value!r}: {location!r} is not one of the sources given")
            for source in matches:
                per_source[source.location] = ref.strip()
        if template is not None:
            check_template(template)
        return cls(per_source, every, template)

    def linker(self, source: Source, meta: ProjectMeta, blake2b: str = "") -> Linker:
        """How the files of *source* are linked; *blake2b* is the archive's digest, when known."""
        ref, how = self.ref_for(source, meta)
        return Linker(source, meta, ref, how, self.template, blake2b)

    def ref_for(self, source: Source, meta: ProjectMeta) -> tuple[str | None, str]:
        """The ref of *source* and how it was found: ``given``, ``commit``, ``template`` or ``none``."""
        given = self.per_source.get(source.location) or self.every
        if given:
            return given, "given"
        if source.git is not None:
            return source.git.commit, "commit"
        if self.template and source.kind != "directory" and meta.version:
            return self.template.format(name=meta.name, version=meta.version), "template"
        return None, "none"


def check_template(template: str) -> None:
    """Raise :class:`RefError` unless *template* only uses ``{name}`` and ``{version}``."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise RefError(f"--ref-template {template!r}: {error}") from error
    unknown = fields - TEMPLATE_FIELDS
    if unknown or not template.strip():
        raise RefError(f"--ref-template {template!r}: only {{name}} and {{version}} may be used")


def _same_source(given: str, location: str) -> bool:
    if given == location:
        return True
    if os.path.abspath(given) == os.path.abspath(location):
        return True
    return os.path.basename(os.path.normpath(location)) == given


def first_use(code: Sequence[CodePart]) -> int | None:
    """The original line number of the first marked line of *code*, when the hunks know it."""
    lines = [
        part.start + index for part in code if isinstance(part, Hunk) and part.start for index in part.marked
    ]
    return min(lines, default=None)


@dataclass
class Linker:
    """How the files of one source are linked."""

    source: Source
    meta: ProjectMeta
    ref: str | None
    how: str  # "given", "commit", "template" or "none"
    template: str | None = None
    known_digest: str = ""  # the archive's digest, when already known

    @property
    def repository(self) -> str | None:
        git = self.source.git
        found = (git.repository if git else None) or self.meta.repository
        return normalize_repository(found) if found else None

    @property
    def forge(self) -> bool:
        return bool(self.ref and self.repository)

    @property
    def inspector(self) -> bool:
        return (
            not self.forge
            and self.source.kind in ("sdist", "wheel")
            and bool(self.meta.name and self.meta.version)
        )

    @property
    def pinned(self) -> bool:
        """True when links point at a fixed revision (whether that revision was checked or not)."""
        return self.forge or self.inspector

    def url(self, path: str, line: int | None = None) -> str | None:
        """The link to *path* (at *line*), or the project's page when the file cannot be linked."""
        if self.forge:
            assert self.ref is not None and self.repository is not None
            prefix = self.source.git.prefix if self.source.git else ""
            url = file_url(self.repository, self.ref, prefix + path)
            if url is not None:
                host = urlsplit(url).hostname or ""
                return url + (_LINE_ANCHORS[host].format(line=line) if line else "")
        if self.inspector:
            return self._inspector_url(path, line)
        if self.meta.name:
            version = f"{self.meta.version}/" if self.meta.version and self.source.kind != "directory" else ""
            return f"{self.meta.pypi}{version}"
        return self.meta.repository or self.meta.home or None

    def _inspector_url(self, path: str, line: int | None) -> str:
        url = self._inspector_prefix + quote(self.member(path), safe="/")
        return url + (f"#line.{line}" if line else "")

    @cached_property
    def _inspector_prefix(self) -> str:
        """The inspector's address of the archive: a member's path comes after it."""
        digest = self.digest
        return INSPECTOR.format(
            name=quote(self.meta.name, safe=""),
            version=quote(self.meta.version, safe=""),
            a=digest[:2],
            b=digest[2:4],
            rest=digest[4:],
            filename=quote(os.path.basename(self.source.location), safe=""),
            member="",
        )

    @cached_property
    def digest(self) -> str:
        """The hex BLAKE2b-256 digest of the archive, as PyPI files it."""
        return self.known_digest or file_blake2b(self.source.location)

    def member(self, path: str) -> str:
        """The archive member name of *path*: with an sdist's top directory, or a wheel's
        ``.data/purelib/`` part put back."""
        top, names = self._layout
        return names.get(path, path) if top is None else f"{top}/{path}" if top else path

    @cached_property
    def _layout(self) -> tuple[str | None, dict[str, str]]:
        """A tar sdist's top directory (from its first member), else a zip's names by path."""
        location = self.source.location
        names: dict[str, str] = {}
        try:
            if not location.lower().endswith((".whl", ".zip")):
                with tarfile.open(location, mode="r|*") as archive:  # one read, no seeking
                    first = archive.next()
                return (first.name.replace("\\", "/").split("/")[0] if first else ""), names
            with zipfile.ZipFile(location) as archive:
                listed = archive.namelist()
        except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError):
            return "", names
        strip = self.source.kind == "sdist"
        for name in listed:
            path = _member_path(name, strip_top=strip)
            if path is not None:
                names.setdefault(path if strip else _wheel_path(path), name)
        return None, names

    def as_dict(self) -> dict[str, object]:
        """For ``--format json``: the source, its ref and how it was found, where links go."""
        target = "forge" if self.forge else "inspector" if self.inspector else "project-page"
        return {
            "source": self.source.location,
            "ref": self.ref,
            "how": self.how,
            "repository": self.repository,
            "links_to": target,
            "pinned": self.pinned,
            "checked": self.how == "commit" and self.forge,
            "archive_blake2b_256": self.digest if self.inspector else None,
        }

    def describe(self) -> str:
        """What the links of this source point at and how the ref was found, for the summary."""
        where = self.source.location
        if self.forge:
            origin = {
                "given": "given with --ref, not checked",
                "commit": "the checkout's HEAD",
                "template": f"guessed from --ref-template {self.template!r}, not checked",
            }[self.how]
            return f"{where}: {self.repository} at {self.ref} ({origin})"
        if self.inspector:
            why = "no repository known" if self.ref else "no ref"
            return (
                f"{where}: the file in this archive on inspector.pypi.io, by its BLAKE2b-256 digest "
                f"{self.digest[:12]}... ({why}; right if PyPI serves this very archive; not checked online)"
            )
        return f"{where}: not pinned, links go to the project's page (no ref or no repository known)"
