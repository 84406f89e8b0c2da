"""The unit of work of an extraction: finding the uses in a batch of files.

:func:`scan_batch` is a pure function of its argument (file bytes, targets,
options) with a small picklable result, so it runs the same in this process, in
a local worker process or on a Dask worker, and its result can be cached by a
hash of its input.

Each file is analysed for its *relevant* targets only: those whose last name the
file spells. The others can neither be used nor defined nor re-exported in it
(every use, definition and re-export spells the last name, see
:meth:`.finder.Targets.might_occur`), so leaving them out changes nothing in the
result, and the result is a function of the file, its module name and its
relevant targets alone: that is what the per-file cache keys on.
"""

from __future__ import annotations

import gc
import importlib.util
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..model import Kind
from .finder import Targets, find_uses
from .hunks import PlainPart, as_plain, build_code
from .memory import tune_allocator
from .pieces import parse_module
from .windows import Outline


@dataclass(frozen=True)
class FileJob:
    """One file to analyse: its path, bytes, module (when known) and relevant targets.

    *pages* gives, for each target spelled otherwise than its page's name (see
    ``extract --library``), the page name its uses count for.
    """

    path: str
    data: bytes
    targets: tuple[str, ...]
    module: tuple[str, bool] | None
    pages: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Batch:
    """Files analysed by one task, with the options they share."""

    jobs: tuple[FileJob, ...]
    context: int


@dataclass(frozen=True)
class FileUse:
    """The uses of one target in one file: how many lines use it, the code shown (as plain values,
    see :func:`.hunks.as_plain`), and the size of the smallest item shown (for the rank)."""

    target: str
    lines: int
    code: tuple[PlainPart, ...]
    item_lines: int


@dataclass(frozen=True)
class FileOutcome:
    """What one file gave. *problem* (with *line* when known) says why it was skipped."""

    path: str
    parsed: bool = False
    problem: str = ""
    line: int | None = None
    uses: tuple[FileUse, ...] = ()
    definitions: tuple[tuple[str, Kind], ...] = ()
    reexports: tuple[tuple[str, str], ...] = ()

    @property
    def skipped(self) -> bool:
        return bool(self.problem)


def scan_batch(batch: Batch) -> list[FileOutcome]:
    """The outcome of each file of *batch*, in order."""
    tune_allocator()  # in whichever process runs the task (this one, a worker, a Dask worker)
    outcomes = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like in scanned code
        for job in batch.jobs:
            with collector_paused():
                outcomes.append(scan_file(job, batch.context))
    return outcomes


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one file.

    A syntax tree is hundreds of thousands of objects, none in a cycle, freed by
    reference counting once the file is done. While it is built and walked, the
    collector would run every 700 allocations and walk the young tree again and,
    now and then, everything alive: about a sixth of ``ast.parse``'s time, more in
    a process holding many objects. What a file leaves in cycles is collected after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def scan_file(job: FileJob, context: int) -> FileOutcome:
    """The uses of *job*'s targets in its file, with their code; or why the file is skipped."""
    try:
        text = importlib.util.decode_source(job.data)
        tree = parse_module(text, filename=job.path)
    except (SyntaxError, ValueError, LookupError) as error:  # UnicodeDecodeError is a ValueError
        message = getattr(error, "msg", None) or str(error)
        return FileOutcome(
            job.path, problem=f"does not parse: {message}", line=getattr(error, "lineno", None)
        )
    except (RecursionError, MemoryError):
        return FileOutcome(job.path, problem="too deeply nested to parse")
    try:
        found = find_uses(tree, text, Targets.of(job.targets), *(job.module or (None, False)))
    except RecursionError:
        return FileOutcome(job.path, parsed=True, problem="too deeply nested to analyse")
    definitions = tuple(found.definitions.items())
    reexports = tuple(found.reexports.items())
    if not found.uses:
        return FileOutcome(job.path, parsed=True, definitions=definitions, reexports=reexports)
    pages = dict(job.pages)
    by_page: dict[str, set[int]] = {}
    for target, marked in found.uses.items():  # every spelling of a callable counts for its page
        by_page.setdefault(pages.get(target, target), set()).update(marked)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    outline = Outline(tree, lines)
    uses = []
    for target, marked in by_page.items():
        window = outline.window(marked, context=context)
        code = build_code(lines, window.spans, marked, target.rpartition(".")[2])
        uses.append(FileUse(target, len(marked), as_plain(code), window.smallest_item))
    return FileOutcome(job.path, parsed=True, uses=tuple(uses), definitions=definitions, reexports=reexports)
