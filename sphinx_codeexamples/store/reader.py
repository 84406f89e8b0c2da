"""Reading one example page (see the store format in the docs) into the model.

The reader never raises on bad input: every problem becomes a located
:class:`~sphinx_codeexamples.problems.Problem` and the rest of the page still loads.
"""

from __future__ import annotations

import enum
import itertools
import re
from dataclasses import dataclass, field

from ..model import (
    CallableName,
    CodePart,
    Elision,
    Example,
    Hunk,
    Kind,
    Page,
    PageMeta,
    RelatedLink,
)
from ..problems import Problem, ProblemCode
from .elision import is_elision
from .links import find_links

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]?(?P<value>.*)$")
_HEADING = re.compile(r"^#{1,6}[ \t]+Example[ \t]+(?P<number>\d{1,9})[ \t]+from[ \t]+(?P<project>.*?)\s*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
_FILE_LINK = re.compile(r"^\s*\[\*\*(?P<label>.*?)\*\*\]\((?P<url>.*)$")
_INTRO = re.compile(
    r"^(?P<q1>`?)(?P<name>[^`\s]+)(?P=q1) is an? (?P<kind>callable|class|function|constant|module)"
    r" within the (?P<q2>`?)(?P<module>[^`\s]+)(?P=q2) module of the (?P<project>.+?) project\.\s*$"
)
_RELATED = re.compile(r'^(?:and )?<a href="(?P<href>[^"]*)">(?P<name>[^<]*)</a>,?\s*$')
_RELATED_CLOSING = re.compile(r"^(?:is another|are a couple|are several) .*\.\s*$")
_META_KIND = re.compile(r"\bthe \S+ (?P<kind>callable|class|function|constant)\b")
_META_PROJECT = re.compile(r"\bof the (?P<project>.+?) project\b")
_TITLE_SUFFIX = re.compile(
    r"\s+(?:python\s+)?(?:example\s+code|code\s+examples?|examples?|example\s+snippets?)\s*$", re.I
)
_LINESTART = re.compile(r"\blinestart=(?P<numbers>[\d,]+)")
_MARKERS = ("~~", " ~~")


class _Label(enum.Enum):
    TEXT = "text"
    OPEN = "open"
    CODE = "code"
    CLOSE = "close"


@dataclass
class _Context:
    """What parsing one page accumulates."""

    path: str
    lines: list[str]
    labels: list[_Label] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, index: int, code: ProblemCode, message: str) -> None:
        """Record a problem at 0-based line *index*."""
        self.problems.append(Problem(self.path, index + 1, code, message))


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode a store file's bytes, replacing invalid UTF-8 with a located warning."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"not valid UTF-8 (byte {error.start}); bad bytes replaced"
        return data.decode("utf-8", "replace"), [Problem(path, line, ProblemCode.ENCODING, message)]
    return text.removeprefix("\ufeff"), []


def read_page_file(path: str) -> tuple[Page | None, list[Problem]]:
    """Read and parse the page at *path*."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return None, [Problem(path, 0, ProblemCode.UNREADABLE, f"cannot read: {error.strerror}")]
    if b"\x00" in data:
        return None, [Problem(path, 1, ProblemCode.UNREADABLE, "binary file (NUL bytes), not a page")]
    text, problems = decode(data, path)
    page, more = parse_page(text, path)
    return page, problems + more


def parse_page(text: str, path: str) -> tuple[Page | None, list[Problem]]:
    """Parse the text of one page; returns None for a page that names no callable."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    context = _Context(path, lines)
    if not text.strip():
        context.problem(0, ProblemCode.NO_EXAMPLES, "empty file")
        return None, context.problems
    meta, body_start = _read_front_matter(context)
    _label_lines(context, body_start)
    headings = [
        index
        for index in range(body_start, len(lines))
        if context.labels[index] is _Label.TEXT and _HEADING.match(lines[index])
    ]
    preamble_end = headings[0] if headings else len(lines)
    preamble = _Preamble.parse(context, body_start, preamble_end)
    examples = _read_examples(context, headings)
    if not examples and not preamble.generated and preamble.prose:
        return Page(path, meta, None, intro=preamble.prose), context.problems
    name = _callable_name(meta)
    if name is None:
        context.problem(0, ProblemCode.NO_CALLABLE, "no callable name in sidebartitle or title")
        return None, context.problems
    if not examples:
        context.problem(body_start, ProblemCode.NO_EXAMPLES, f"no example sections for {name}")
    page = Page(
        path=path,
        meta=meta,
        callable=name,
        kind=preamble.kind or _meta_kind(meta),
        project=preamble.project or _meta_project(meta),
        generated_intro=preamble.generated,
        intro=preamble.prose,
        related=preamble.related,
        related_closing=preamble.related_closing,
        examples=tuple(examples),
    )
    return page, context.problems


def _read_front_matter(context: _Context) -> tuple[PageMeta, int]:
    """Read the ``key: value`` lines; return the meta and the first body line."""
    values: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    index = 0
    lines = context.lines
    while index < len(lines) and lines[index].strip():
        match = _KEY_LINE.match(lines[index])
        if match is None or _HEADING.match(lines[index]):
            break
        key, value = match["key"].lower(), match["value"].strip()
        if key in values or any(key == seen for seen, _ in extra):
            context.problem(index, ProblemCode.FRONT_MATTER, f"repeated key {key!r}; the first one is kept")
        elif key in PageMeta.KEYS:
            values[key] = value
        else:
            extra.append((key, value))
        index += 1
    if index == 0:
        context.problem(0, ProblemCode.FRONT_MATTER, "no front matter (key: value lines) at the top")
    else:
        missing = [key for key in PageMeta.KEYS if key not in values]
        if missing:
            context.problem(0, ProblemCode.FRONT_MATTER, f"missing front-matter keys: {', '.join(missing)}")
    return PageMeta(**values, extra=tuple(extra)), index


def _label_lines(context: _Context, body_start: int) -> None:
    """Label each line as text, fence open/close or code.

    A fence that is never closed, or that meets another opening fence with an
    info string (which cannot close it), is taken to end just before the first
    example heading inside it (with a warning), so one damaged block does not
    swallow the examples after it.
    """
    lines = context.lines
    labels = context.labels
    labels[:] = [_Label.TEXT] * len(lines)
    index = body_start
    fence = ""
    opened = 0
    heading_inside: int | None = None
    while index <= len(lines):
        at_end = index == len(lines)
        line = "" if at_end else lines[index]
        if fence and (at_end or _opens_with_info(line, fence)):
            context.problem(opened, ProblemCode.FENCE, "code fence is never closed")
            fence = ""
            if heading_inside is not None:
                labels[heading_inside:index] = [_Label.TEXT] * (index - heading_inside)
                index = heading_inside
                continue
        if at_end:
            break
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence[0]) and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                labels[index] = _Label.CLOSE
                fence = ""
            else:
                labels[index] = _Label.CODE
                if heading_inside is None and _HEADING.match(line):
                    heading_inside = index
        elif match := _FENCE_OPEN.match(line):
            labels[index] = _Label.OPEN
            fence, opened, heading_inside = match["fence"], index, None
        index += 1


def _opens_with_info(line: str, fence: str) -> bool:
    """True for an opening fence of *fence*'s kind with an info string: it cannot close *fence*."""
    match = _FENCE_OPEN.match(line)
    return bool(match and match["fence"][0] == fence[0] and match["info"].strip())


@dataclass
class _Preamble:
    """The parts of the text between the front matter and the first example."""

    generated: bool = False
    kind: Kind | None = None
    project: str = ""
    related: tuple[RelatedLink, ...] = ()
    related_closing: str = ""
    prose: str = ""

    @classmethod
    def parse(cls, context: _Context, start: int, end: int) -> _Preamble:
        preamble = cls()
        lines = context.lines[start:end]
        rest: list[str] = []
        related: list[RelatedLink] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            intro = _INTRO.match(line.strip())
            if intro and not preamble.generated and not "".join(rest).strip():
                preamble.generated = True
                preamble.kind = Kind(intro["kind"])
                preamble.project = intro["project"]
                index += 1
                continue
            block_end = index
            while block_end < len(lines) and (link := _RELATED.match(lines[block_end].strip())):
                related.append(RelatedLink(link["href"], link["name"]))
                block_end += 1
            if (
                block_end > index
                and block_end < len(lines)
                and _RELATED_CLOSING.match(lines[block_end].strip())
            ):
                preamble.related = tuple(related)
                preamble.related_closing = lines[block_end].strip()
                index = block_end + 1
                continue
            related.clear()
            rest.append(line)
            index += 1
        preamble.prose = "\n".join(rest).strip("\n")
        return preamble


def _read_examples(context: _Context, headings: list[int]) -> list[Example]:
    examples: list[Example] = []
    seen: dict[int, int] = {}
    bounds = [*headings, len(context.lines)]
    for start, end in itertools.pairwise(bounds):
        example = _read_example(context, start, end)
        if example.number in seen:
            context.problem(
                start,
                ProblemCode.EXAMPLE,
                f"example number {example.number} repeats the one at line {seen[example.number]}",
            )
        seen.setdefault(example.number, start + 1)
        examples.append(example)
    return examples


def _read_example(context: _Context, start: int, end: int) -> Example:
    lines, labels = context.lines, context.labels
    heading = _HEADING.match(lines[start])
    assert heading is not None
    number, project = int(heading["number"]), heading["project"]
    if not project:
        context.problem(start, ProblemCode.EXAMPLE, "example heading names no project")
    blurb: list[str] = []
    label, url, link_line = "", None, None
    blocks: list[tuple[int, list[int]]] = []  # (line of the opening fence, code line indexes)
    for index in range(start + 1, end):
        kind = labels[index]
        if kind is _Label.OPEN:
            blocks.append((index, []))
        elif kind is _Label.CODE:
            blocks[-1][1].append(index)
        elif kind is _Label.TEXT and not blocks:
            match = _FILE_LINK.match(lines[index])
            if match and link_line is None:
                link_line = index
                label, url = match["label"].strip(), _link_url(match["url"])
                if url is None:
                    context.problem(index, ProblemCode.SOURCE_LINK, "source-file link has no URL")
            elif link_line is None or lines[index].strip():
                blurb.append(lines[index])
        elif kind is _Label.TEXT and lines[index].strip():
            blurb.append(lines[index])
    if link_line is None:
        context.problem(start, ProblemCode.SOURCE_LINK, f"example {number} has no source-file link line")
    code: list[CodePart] = []
    language = "python"
    if not blocks:
        context.problem(start, ProblemCode.EXAMPLE, f"example {number} has no code block")
    for position, (opened, indexes) in enumerate(blocks):
        if position:
            context.problem(
                opened, ProblemCode.FENCE, "a second code block in one example is joined to the first"
            )
            code.append(Elision("..."))
        info = _FENCE_OPEN.match(lines[opened])
        info_text = info["info"].strip() if info else ""
        language = language if position else (info_text.split() or ["python"])[0]
        code.extend(_read_code(context, indexes, _linestarts(info_text)))
    if blocks and not any(isinstance(part, Hunk) and part.marked for part in code):
        context.problem(start, ProblemCode.MARKER, f"example {number} marks no line")
    blurb_text = "\n".join(blurb).strip("\n")
    return Example(
        number=number,
        project=project,
        blurb=blurb_text,
        source_label=label,
        source_url=url,
        code=tuple(code),
        language=language,
        links=find_links(blurb_text),
        line=start + 1,
    )


def _link_url(raw: str) -> str | None:
    """The URL of a file-link line's ``(...)`` part: quotes and the closing paren removed."""
    url = raw.strip()
    if url.endswith(")"):
        url = url[:-1].strip()
    url = url.strip("\"'<> ")
    return url or None


def _linestarts(info: str) -> list[int]:
    match = _LINESTART.search(info)
    return [int(number) for number in match["numbers"].split(",") if number] if match else []


def _read_code(context: _Context, indexes: list[int], starts: list[int]) -> list[CodePart]:
    """Split code lines into hunks and elisions, taking the markers off."""
    parts: list[CodePart] = []
    current: list[tuple[str, bool]] = []

    def close_hunk() -> None:
        number = sum(isinstance(part, Hunk) for part in parts)
        hunk = _make_hunk(current, starts[number] if number < len(starts) else None)
        if hunk is not None:
            parts.append(hunk)
        current.clear()

    for index in indexes:
        line = context.lines[index]
        marker = next((m for m in _MARKERS if line.startswith(m)), None)
        if marker is not None:
            current.append((line[len(marker) :], True))
        elif is_elision(line):
            close_hunk()
            parts.append(Elision(line.strip()))
        else:
            if line.startswith("`~") and not line.startswith("`~~"):
                context.problem(
                    index, ProblemCode.MARKER, "line starts with '`~': a malformed marker? Not marked"
                )
            current.append((line, False))
    close_hunk()
    return parts


def _make_hunk(lines: list[tuple[str, bool]], start: int | None) -> Hunk | None:
    """A hunk without the blank unmarked lines at its edges, or None when nothing is left."""
    first = 0
    while first < len(lines) and not lines[first][1] and not lines[first][0].strip():
        first += 1
    last = len(lines)
    while last > first and not lines[last - 1][1] and not lines[last - 1][0].strip():
        last -= 1
    kept = lines[first:last]
    if not kept:
        return None
    return Hunk(
        lines=tuple(text for text, _ in kept),
        marked=frozenset(index for index, (_, marked) in enumerate(kept) if marked),
        start=start,
    )


def _callable_name(meta: PageMeta) -> CallableName | None:
    """The dotted name from the sidebartitle, else from the title."""
    candidates = [meta.sidebartitle, _TITLE_SUFFIX.sub("", meta.title)]
    for text in candidates:
        text = text.strip()
        if not text:
            continue
        if " " in text:
            module, _, last = text.partition(" ")
            name = CallableName(module, last.strip())
        else:
            name = CallableName.parse(text)
        if name.module and name.is_valid():
            return name
    return None


def _meta_kind(meta: PageMeta) -> Kind:
    match = _META_KIND.search(meta.meta)
    return Kind(match["kind"]) if match else Kind.CALLABLE


def _meta_project(meta: PageMeta) -> str:
    match = _META_PROJECT.search(meta.meta)
    return match["project"] if match else ""
