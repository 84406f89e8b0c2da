"""Reading one example page (see the store format in the docs) into the model.

The reader never raises on bad input: every problem becomes a located
:class:`~sphinx_codeexamples.problems.Problem` and the rest of the page still loads.
Problems are located at a line of the file (at most :data:`MAX_PROBLEMS` per
page), only regular files under :data:`MAX_PAGE_BYTES` are read, and parsing is
linear in the page's size, whatever it contains.
"""

from __future__ import annotations

import enum
import itertools
import os
import re
import stat
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
    ProjectLinks,
    RelatedLink,
)
from ..problems import Problem, ProblemCode
from .elision import is_elision
from .links import find_links

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]?(?P<value>.*)$")
# Patterns are written so that no input makes them backtrack quadratically: a
# 5 MB line must cost one linear pass (see tests/test_fuzz_reader.py).
_HEADING = re.compile(r"^#{1,6}[ \t]+Example[ \t]+(?P<number>[0-9]{1,9})[ \t]+from[ \t]+(?P<project>.*)$")
_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FILE_LINK = re.compile(r"^\s*\[\*\*(?P<label>.*?)\*\*\]\((?P<url>.*)$")
_INTRO = re.compile(
    r"^(?P<q1>`?)(?P<name>[^`\s]+)(?P=q1) is an? (?P<kind>callable|class|function|exception|constant|module)"
    r" within the (?P<q2>`?)(?P<module>[^`\s]+)(?P=q2) module of the (?P<project>.+?) project\.\s*$"
)
_RELATED = re.compile(r'^(?:and )?<a href="(?P<href>[^"]*)">(?P<name>[^<]*)</a>,?\s*$')
_RELATED_CLOSING = re.compile(r"^(?:is another|are a couple|are several) .*\.\s*$")
_META_KIND = re.compile(r"\bthe \S+ (?P<kind>callable|class|function|exception|constant)\b")
_META_PROJECT = re.compile(r"\bof the (?P<project>.+?) project\b")
_TITLE_SUFFIX = re.compile(
    r"\s+(?:python\s+)?(?:example\s+code|code\s+examples?|examples?|example\s+snippets?)\s*$", re.I
)
_LINESTART = re.compile(r"\blinestart=(?P<numbers>[0-9,]+)")
_MARKERS = ("~~", " ~~")

#: The optional front-matter key listing a callable's other dotted names.
ALIASES_KEY = "aliases"
#: Store files larger than this are skipped unread (``too-large``).
MAX_PAGE_BYTES = 10_000_000
#: Lines longer than this get one ``long-text`` warning per page.
MAX_LINE_CHARS = 100_000
#: Blurbs and intros longer than this are shown as plain text (``long-text``).
MAX_MARKDOWN_CHARS = 100_000
#: Problems reported per page; the rest are counted in one last problem.
MAX_PROBLEMS = 1_000
#: Front-matter values longer than this are only searched in their first characters.
_SEARCH_CHARS = 1_000


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
    suppressed: list[Problem] = field(default_factory=list)  # the first one beyond the limit
    more: int = 0
    aliases: tuple[str, ...] = ()  # from the front matter's optional aliases line

    def problem(self, index: int, code: ProblemCode, message: str) -> None:
        """Record a problem at 0-based line *index*, kept within the file's lines."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            if self.more > 1:
                return
        last = len(self.lines) - 1 if len(self.lines) > 1 and not self.lines[-1] else len(self.lines)
        problem = Problem(self.path, max(1, min(index + 1, last)), code, message)
        (self.suppressed if self.more else self.problems).append(problem)

    def finish(self) -> list[Problem]:
        """The problems, the ones beyond :data:`MAX_PROBLEMS` summed up in one, at the first of them."""
        if not self.more:
            return self.problems
        first = self.suppressed[0]
        message = f"{self.more:,} more problems on this page are not listed; the first: {first.message}"
        return [*self.problems, Problem(first.path, first.line, first.code, message)]


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode a store file's bytes, replacing invalid UTF-8 with a located warning."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"not valid UTF-8 (byte {error.start}); bad bytes replaced"
        text = data.decode("utf-8", "replace").removeprefix("\ufeff")
        return text, [Problem(path, line, ProblemCode.ENCODING, message)]
    return text.removeprefix("\ufeff"), []


def read_page_file(path: str) -> tuple[Page | None, list[Problem]]:
    """Read and parse the page at *path* (see :func:`read_page_bytes`)."""
    data, problems = read_page_bytes(path)
    if data is None:
        return None, problems
    return parse_page_bytes(data, path)


def read_page_bytes(path: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the page file at *path*, or None and why.

    Only regular files are opened (a FIFO or device named ``*.md`` would block
    or never end), and files over :data:`MAX_PAGE_BYTES` are not read at all.
    """
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            return None, [Problem(path, 0, ProblemCode.UNREADABLE, "not a regular file; skipped")]
        if status.st_size > MAX_PAGE_BYTES:
            message = f"{status.st_size:,} bytes, over the {MAX_PAGE_BYTES:,}-byte limit for a page; skipped"
            return None, [Problem(path, 1, ProblemCode.TOO_LARGE, message)]
        with open(path, "rb") as stream:
            # The size stat() saw, then whatever the file grew by: read(n) allocates n bytes up front.
            data = stream.read(status.st_size + 1)
            if len(data) > status.st_size:
                data += stream.read(MAX_PAGE_BYTES + 1 - len(data))
    except OSError as error:
        return None, [Problem(path, 0, ProblemCode.UNREADABLE, f"cannot read: {error.strerror}")]
    if len(data) > MAX_PAGE_BYTES:  # the file grew after stat()
        message = f"over the {MAX_PAGE_BYTES:,}-byte limit for a page; skipped"
        return None, [Problem(path, 1, ProblemCode.TOO_LARGE, message)]
    return data, []


def parse_page_bytes(data: bytes, path: str) -> tuple[Page | None, list[Problem]]:
    """Parse a page file's bytes (*path* locates the problems)."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(path, line, ProblemCode.UNREADABLE, "binary file (NUL bytes), not a page")]
    text, problems = decode(data, path)
    page, more = parse_page(text, path)
    return page, problems + more


def parse_page(text: str, path: str) -> tuple[Page | None, list[Problem]]:
    """Parse the text of one page; returns None for a page that names no callable."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    context = _Context(path, lines)
    if not text.strip():
        context.problem(0, ProblemCode.NO_EXAMPLES, "empty file")
        return None, context.finish()
    long_line = next((index for index, line in enumerate(lines) if len(line) > MAX_LINE_CHARS), None)
    if long_line is not None:
        length = len(lines[long_line])
        context.problem(long_line, ProblemCode.LONG_TEXT, f"a line of {length:,} characters")
    meta, body_start = _read_front_matter(context)
    _label_lines(context, body_start)
    _check_text_lines(context, body_start)
    headings = [
        index
        for index in range(body_start, len(lines))
        if context.labels[index] is _Label.TEXT and _HEADING.match(lines[index])
    ]
    preamble_end = headings[0] if headings else len(lines)
    preamble = _Preamble.parse(context, body_start, preamble_end)
    first_text = next((i for i in range(body_start, preamble_end) if lines[i].strip()), body_start)
    if len(preamble.prose) > MAX_MARKDOWN_CHARS:
        message = f"an intro of {len(preamble.prose):,} characters is shown as plain text"
        context.problem(body_start, ProblemCode.LONG_TEXT, message)
    examples = _read_examples(context, headings)
    if not examples and not preamble.generated and preamble.prose:
        return Page(path, meta, None, intro=preamble.prose, intro_line=first_text + 1), context.finish()
    name = _callable_name(meta)
    if name is None:
        context.problem(0, ProblemCode.NO_CALLABLE, "no callable name in sidebartitle or title")
        return None, context.finish()
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
        intro_line=first_text + 1,
        aliases=tuple(alias for alias in context.aliases if alias != name.dotted),
    )
    return page, context.finish()


def _read_front_matter(context: _Context) -> tuple[PageMeta, int]:
    """Read the ``key: value`` lines; return the meta and the first body line."""
    values: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    index = 0
    lines = context.lines
    seen: set[str] = set()
    unknown: list[tuple[int, str]] = []
    while index < len(lines) and lines[index].strip():
        match = _KEY_LINE.match(lines[index])
        if match is None or _HEADING.match(lines[index]):
            break
        key, value = match["key"].lower(), match["value"].strip()
        if key in seen:
            context.problem(index, ProblemCode.FRONT_MATTER, f"repeated key {key!r}; the first one is kept")
        elif key == ALIASES_KEY:
            context.aliases = _aliases(context, index, value)
        elif key in PageMeta.KEYS:
            values[key] = value
            if not value:
                context.problem(index, ProblemCode.FRONT_MATTER, f"front-matter key {key!r} has no value")
        else:
            extra.append((key, value))
            unknown.append((index, key))
        seen.add(key)
        index += 1
    if index == 0:
        context.problem(0, ProblemCode.FRONT_MATTER, "no front matter (key: value lines) at the top")
    else:
        missing = [key for key in PageMeta.KEYS if key not in values]
        if missing:
            context.problem(0, ProblemCode.FRONT_MATTER, f"missing front-matter keys: {', '.join(missing)}")
    if unknown:
        names = ", ".join(repr(key) for _, key in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        context.problem(unknown[0][0], ProblemCode.FRONT_MATTER, f"unknown front-matter keys: {names}")
    return PageMeta(**values, extra=tuple(extra)), index


def _aliases(context: _Context, index: int, value: str) -> tuple[str, ...]:
    """The comma-separated dotted names of an ``aliases`` line; bad ones are warned about and dropped."""
    aliases: list[str] = []
    for raw in value.split(","):
        name = raw.strip()
        if not name:
            continue
        if not CallableName.parse(name).is_valid() or "." not in name:
            context.problem(index, ProblemCode.FRONT_MATTER, f"alias {name!r} is not a dotted name; ignored")
        elif name not in aliases:
            aliases.append(name)
    return tuple(aliases)


def _fence_open(line: str) -> tuple[str, str] | None:
    """The fence and the stripped info string of an opening fence line, else None."""
    match = _FENCE_OPEN.match(line)
    if match is None or "`" in match["info"]:
        return None
    return match["fence"], match["info"].strip()


def _closer_length(line: str, char: str) -> int:
    """The length of *line* when it is a run of *char* (a possible closing fence), else 0."""
    stripped = line.strip()
    return len(stripped) if stripped[:1] == char and not stripped.strip(char) else 0


def _label_lines(context: _Context, body_start: int) -> None:
    """Label each line as text, fence open/close or code.

    A fence that is never closed, or that meets another opening fence with an
    info string (which cannot close it), is taken to end just before the first
    example heading inside it (with a warning), so one damaged block does not
    swallow the examples after it.

    Linear in the page's length: one backward pass records, for every opening
    fence, the longest closing run of its character before the next opening
    fence with an info string, so whether a fence is ever closed is known
    before its lines are walked, and no line is labelled twice.
    """
    lines = context.lines
    labels = context.labels
    labels[:] = [_Label.TEXT] * len(lines)
    reach = [0] * len(lines)  # for an opening fence: its longest closer ahead
    longest = {"`": 0, "~": 0}
    for index in range(len(lines) - 1, body_start - 1, -1):
        line = lines[index]
        if line.lstrip()[:1] not in longest:
            continue
        opening = _fence_open(line)
        if opening is not None:
            reach[index] = longest[opening[0][0]]
            if opening[1]:
                longest[opening[0][0]] = 0
        for char in longest:
            longest[char] = max(longest[char], _closer_length(line, char))
    index = body_start
    while index < len(lines):
        opening = _fence_open(lines[index]) if lines[index].lstrip()[:1] in longest else None
        if opening is None:
            index += 1
            continue
        fence = opening[0]
        char = fence[0]
        labels[index] = _Label.OPEN
        index += 1
        if reach[index - 1] >= len(fence):
            while _closer_length(lines[index], char) < len(fence):
                labels[index] = _Label.CODE
                index += 1
            labels[index] = _Label.CLOSE
            index += 1
            continue
        context.problem(index - 1, ProblemCode.FENCE, "code fence is never closed")
        while index < len(lines) and not _HEADING.match(lines[index]):
            other = _fence_open(lines[index]) if lines[index].lstrip()[:1] == char else None
            if other is not None and other[1]:
                break
            labels[index] = _Label.CODE
            index += 1


def _check_text_lines(context: _Context, body_start: int) -> None:
    """Warn about markers outside code blocks and about a second front matter (a page pasted twice)."""
    lines, labels = context.lines, context.labels
    stray: list[int] = []
    second: int | None = None
    for index in range(body_start, len(lines)):
        if labels[index] is not _Label.TEXT:
            continue
        line = lines[index]
        if line.startswith(_MARKERS):
            stray.append(index)
        elif second is None and line.startswith("title:") and index + 1 < len(lines):
            second = index if lines[index + 1].startswith("category:") else None
    if stray:
        count = f"{len(stray)} marked lines" if len(stray) > 1 else "a marked line"
        message = f"{count} (starting with '~~') outside any code block, shown as text"
        context.problem(stray[0], ProblemCode.MARKER, message)
    if second is not None:
        message = "a second front matter in the page body (a page pasted twice?); read as text"
        context.problem(second, ProblemCode.FRONT_MATTER, message)


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
        rest_has_text = False
        related: list[RelatedLink] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            intro = _INTRO.match(line.strip())
            if intro and not preamble.generated and not rest_has_text:
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
            # Not a related block: its lines (or this one line) are prose. Every
            # line of an unclosed run is skipped at once, so that a run of a
            # million links is not re-scanned from each of its lines.
            related.clear()
            block_end = max(block_end, index + 1)
            rest.extend(lines[index:block_end])
            rest_has_text = rest_has_text or any(text.strip() for text in lines[index:block_end])
            index = block_end
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
    number, project = int(heading["number"]), heading["project"].rstrip()
    if not project:
        context.problem(start, ProblemCode.EXAMPLE, "example heading names no project")
    blurb: list[str] = []
    label, url, link_line = "", None, None
    blocks: list[tuple[int, list[int]]] = []  # (line of the opening fence, code line indexes)
    trailing: int | None = None  # the first line of text after the code block
    for index in range(start + 1, end):
        kind = labels[index]
        if kind is _Label.TEXT and blocks and trailing is None and lines[index].strip():
            trailing = index
            context.problem(index, ProblemCode.EXAMPLE, "text after the code block is added to the blurb")
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
        info = _fence_open(lines[opened])
        info_text = info[1] if info else ""
        language = language if position else (info_text.split() or ["python"])[0]
        code.extend(_read_code(context, indexes, _linestarts(info_text)))
    if blocks and not any(isinstance(part, Hunk) and part.marked for part in code):
        context.problem(start, ProblemCode.MARKER, f"example {number} marks no line")
    blurb_text = "\n".join(blurb).strip("\n")
    if len(blurb_text) > MAX_MARKDOWN_CHARS:
        message = f"a blurb of {len(blurb_text):,} characters is shown as plain text"
        context.problem(start, ProblemCode.LONG_TEXT, message)
    return Example(
        number=number,
        project=project,
        blurb=blurb_text,
        source_label=label,
        source_url=url,
        code=tuple(code),
        language=language,
        links=find_links(blurb_text) if len(blurb_text) <= MAX_MARKDOWN_CHARS else ProjectLinks(),
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
    """The ``linestart=10,40`` numbers of an info string; they stop at the first absurd one."""
    match = _LINESTART.search(info)
    starts: list[int] = []
    for number in match["numbers"].split(",") if match else []:
        if len(number) > 9:
            break
        if number:
            starts.append(int(number))
    return starts


def _read_code(context: _Context, indexes: list[int], starts: list[int]) -> list[CodePart]:
    """Split code lines into hunks and elisions, taking the markers off."""
    parts: list[CodePart] = []
    current: list[tuple[str, bool]] = []
    hunks = 0

    def close_hunk() -> None:
        nonlocal hunks
        hunk = _make_hunk(current, starts[hunks] if hunks < len(starts) else None)
        if hunk is not None:
            parts.append(hunk)
            hunks += 1
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
    title = meta.title[:-200] + _TITLE_SUFFIX.sub("", meta.title[-200:])
    candidates = [meta.sidebartitle, title]
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
    match = _META_KIND.search(meta.meta[:_SEARCH_CHARS])
    return Kind(match["kind"]) if match else Kind.CALLABLE


def _meta_project(meta: PageMeta) -> str:
    match = _META_PROJECT.search(meta.meta[:_SEARCH_CHARS])
    return match["project"] if match else ""
