"""What a run of ``extract`` did, per callable: as lines for a person, or as JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class CallableSummary:
    """One callable: its uses, files and projects (after ``--exclude``), the examples kept
    (after ``--max-examples``), and its page (``written``, ``unchanged``, or none)."""

    name: str
    uses: int
    files: int
    projects: int
    examples: int
    page: str = ""
    page_status: str = ""

    def line(self) -> str:
        """``NAME: 9 uses in 3 files of 2 projects, 3 examples; PAGE written``."""
        if not self.files:
            return f"{self.name}: no uses" + (f"; {self.page} {self.page_status}" if self.page else "")
        text = (
            f"{self.name}: {_count(self.uses, 'use')} in {_count(self.files, 'file')} "
            f"of {_count(self.projects, 'project')}, {_count(self.examples, 'example')}"
        )
        return text + (f"; {self.page} {self.page_status}" if self.page else "")


def as_json(
    counts: Any,
    store: str,
    callables: Sequence[CallableSummary],
    links: Sequence[dict[str, Any]],
    warnings: Sequence[str],
    not_fetched: Sequence[dict[str, str]] = (),
) -> str:
    """The run as one JSON object (see the ``extract`` documentation for its keys)."""
    data = {
        "store": store,
        "files": {
            "scanned": counts.scanned,
            "skipped": counts.skipped,
            "parsed": counts.parsed,
            "with_uses": counts.files_with_uses,
        },
        "uses": counts.uses,
        "pages": {
            "written": sorted(item.page for item in callables if item.page_status == "written"),
            "unchanged": sorted(item.page for item in callables if item.page_status == "unchanged"),
        },
        "callables": [asdict(item) for item in callables],
        "without_uses": [item.name for item in callables if not item.files],
        "links": list(links),
        "warnings": list(warnings),
        "not_fetched": list(not_fetched),
    }
    return json.dumps(data, indent=2, sort_keys=False)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
