"""Progress of ``extract``: a tqdm bar on a terminal, a plain line per source elsewhere, or nothing."""

from __future__ import annotations

import os
from typing import TextIO

from ..extract.pipeline import Counts, Progress


class BarProgress:
    """A bar over the sources (count, rate, ETA) with the files read and uses found."""

    def __init__(self, stream: TextIO, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=total, unit="source", file=stream, leave=False, dynamic_ncols=True, mininterval=0.2
        )
        self._done = 0

    def __call__(self, counts: Counts) -> None:
        self._bar.set_postfix_str(
            f"{counts.read} files, {counts.uses} uses ({os.path.basename(counts.source)})", refresh=False
        )
        self._bar.update(counts.sources_done - self._done)
        self._done = counts.sources_done

    def close(self) -> None:
        self._bar.close()


class LineProgress:
    """One line per source done: ``[3/50] path: 120 files scanned, 4 uses found``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._done = 0

    def __call__(self, counts: Counts) -> None:
        if counts.sources_done == self._done:
            return
        self._done = counts.sources_done
        self._stream.write(
            f"[{counts.sources_done}/{counts.sources_total}] {counts.source}: "
            f"{counts.scanned} files scanned, {counts.uses} uses found\n"
        )
        self._stream.flush()

    def close(self) -> None:
        pass


def make_progress(stream: TextIO, total: int, quiet: bool) -> BarProgress | LineProgress | None:
    """A bar on a terminal, lines elsewhere, nothing when *quiet*."""
    if quiet:
        return None
    if stream.isatty():
        return BarProgress(stream, total)
    return LineProgress(stream)


__all__ = ["BarProgress", "LineProgress", "Progress", "make_progress"]
