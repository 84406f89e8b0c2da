"""Building example pages from what was found, and merging them into pages already in the store.

Re-running keeps what a person wrote and replaces what extraction derives:

* **kept** from an existing page: the whole front matter (title, slug,
  sortorder, sidebartitle, meta and unknown keys), the preamble (generated-intro
  flag, kind, project, hand-written intro prose, related block), every example
  from a project *not* scanned in this run (code, link, blurb as they are), and,
  for each scanned project, the blurb of its first example that has one and the
  spelling of its name in the headings;
* **refreshed** when the library was read (``extract --library``): the kind
  (the generated intro says it) and the ``meta`` line while it is still the
  generated one, and the aliases line;
* **replaced**: every example from a project scanned in this run (its code,
  marked lines, source label and link, and its blurb when the page had none);
  they take the place of that project's first old example, projects new to the
  page come last (sorted by name), and all examples are numbered 1..N again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import quote

from ..model import CallableName, CodePart, Example, Kind, Page, PageMeta, ProjectLinks
from ..store.links import find_links
from .metadata import ProjectMeta

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!{}])")


@dataclass(frozen=True)
class FoundExample:
    """The uses of one callable in one file of one project, ready to become an :class:`Example`."""

    project: str
    path: str
    url: str | None
    blurb: str
    code: tuple[CodePart, ...]

    @property
    def key(self) -> str:
        return project_key(self.project)


def project_key(name: str) -> str:
    """A project name normalised for matching (PEP 503 style): ``Django_REST`` -> ``django-rest``."""
    return re.sub(r"[-_.\s]+", "-", name.strip()).lower()


def slug(name: CallableName) -> str:
    """``sqlalchemy.orm`` ``object_session`` -> ``sqlalchemy-orm-object-session-examples``."""
    return f"{name.module}-{name.name}".lower().replace(".", "-").replace("_", "-") + "-examples"


def escape(text: str) -> str:
    """*text* with Markdown's special characters backslash-escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def blurb(meta: ProjectMeta, name: str, license_url: str | None = None) -> str:
    """The Markdown introducing a project: its links, its summary and its license."""
    home = meta.repository or meta.home
    lines = [f"[{escape(name)}]({_url(home)})" if home else f"**{escape(name)}**"]
    extras = []
    if meta.docs:
        extras.append(f"[project documentation]({_url(meta.docs)})")
    if meta.pypi:
        pypi = f"https://pypi.org/project/{quote(meta.name, safe='')}/"
        extras.append(f"[PyPI package information]({pypi})")
    if meta.home and meta.home not in (home, meta.docs):
        extras.append(f"[project website]({_url(meta.home)})")
    if extras:
        lines.append("(" + ",\n".join(extras) + ")")
    summary = escape(meta.summary)
    if summary:
        if not summary.endswith((".", "!", "?")):
            summary += "."
        lines.append(f"is described by its authors as: {summary}")
    else:
        lines.append("is the project the code below comes from.")
    if meta.license:
        license_name = escape(meta.license)
        if not license_name.lower().endswith(("license", "licence")):
            license_name += " license"
        shown = f"[{license_name}]({_url(license_url)})" if license_url else license_name
        lines.append(f"It is provided as open source under the {shown}.")
    return "\n".join(lines)


def _example(number: int, found: FoundExample, project: str, blurb_text: str) -> Example:
    label = " / ".join([project, *found.path.split("/")])
    return Example(
        number=number,
        project=project,
        blurb=blurb_text,
        source_label=label,
        source_url=found.url,
        code=found.code,
        links=_links(blurb_text),
    )


@lru_cache(maxsize=64)
def _links(blurb_text: str) -> ProjectLinks:
    """The links of a blurb (the same blurb comes back for every example of a project)."""
    return find_links(blurb_text)


def description(name: CallableName, kind: Kind) -> str:
    """The generated ``meta`` line of a page."""
    project = name.module.partition(".")[0]
    return (
        f"Python example code that shows how to use the {name.name} {kind.value} "
        f"from the {name.module} module of the {project} project."
    )


def new_page(
    path: str,
    name: CallableName,
    kind: Kind,
    found: Sequence[FoundExample],
    sortorder: str,
    aliases: tuple[str, ...] = (),
) -> Page:
    """A fresh page for *name*, with *found* examples ordered by project, then path."""
    project = name.module.partition(".")[0]
    meta = PageMeta(
        title=f"{name.module} {name.name} Example Code",
        slug=slug(name),
        sortorder=sortorder,
        sidebartitle=f"{name.module} {name.name}",
        meta=description(name, kind),
    )
    ordered = sorted(found, key=lambda item: (item.key, item.project, item.path))
    examples = tuple(
        _example(number, item, item.project, item.blurb) for number, item in enumerate(ordered, start=1)
    )
    return Page(
        path=path,
        meta=meta,
        callable=name,
        kind=kind,
        project=project,
        generated_intro=True,
        examples=examples,
        aliases=aliases,
    )


def refresh_names(page: Page, kind: Kind, names: Sequence[str]) -> Page:
    """*page* with what a library's source says: its kind and its other *names* as aliases.

    The ``meta`` line follows the kind only while it is still the generated one;
    hand-written prose stays as it is.
    """
    assert page.callable is not None
    meta = page.meta
    if meta.meta == description(page.callable, page.kind):
        meta = replace(meta, meta=description(page.callable, kind))
    aliases = tuple(name for name in names if name != page.dotted)
    return replace(page, kind=kind, meta=meta, aliases=aliases)


def update_page(existing: Page, found: Sequence[FoundExample], scanned: Iterable[str]) -> Page:
    """*existing* with the examples of the *scanned* projects (keys) replaced by *found*."""
    scanned_keys = set(scanned) | {item.key for item in found}
    fresh: dict[str, list[FoundExample]] = {}
    for item in sorted(found, key=lambda item: (item.key, item.project, item.path)):
        fresh.setdefault(item.key, []).append(item)
    spelling: dict[str, str] = {}
    blurbs: dict[str, str] = {}
    for example in existing.examples:
        key = project_key(example.project)
        spelling.setdefault(key, example.project)
        if example.blurb.strip():
            blurbs.setdefault(key, example.blurb)
    slots: list[Example | tuple[str, FoundExample]] = []
    placed: set[str] = set()
    for example in existing.examples:
        key = project_key(example.project)
        if key not in scanned_keys:
            slots.append(example)
        elif key not in placed:
            placed.add(key)
            slots.extend((key, item) for item in fresh.get(key, []))
    for key in sorted(set(fresh) - placed):
        slots.extend((key, item) for item in fresh[key])
    examples = []
    for number, slot in enumerate(slots, start=1):
        if isinstance(slot, Example):
            examples.append(replace(slot, number=number))
        else:
            key, item = slot
            project = spelling.get(key, item.project)
            examples.append(_example(number, item, project, blurbs.get(key, item.blurb)))
    return replace(existing, examples=tuple(examples))
