"""Keeping the C allocator from holding on to the memory that Python frees.

Parsing a large file builds a large syntax tree. glibc's ``malloc`` raises its
mmap threshold each time a large block is freed, so later large blocks come from
the heap instead of mappings of their own, freed blocks stay resident between
blocks in use, and the resident size creeps up with each large file parsed.
Fixing the thresholds (what Dask recommends for its workers, through
``MALLOC_TRIM_THRESHOLD_``) keeps blocks of 128 kB and more in mappings of their
own, returned when freed, and returns the free top of the heap beyond 1 MB.
:func:`tune_allocator` does it once per process, as early as it can (worker
processes forked later inherit it), unless the environment already tunes
``malloc``; elsewhere than on glibc it does nothing. On 50 packages the peak of
``extract --jobs 1`` drops by a quarter; the page faults cost some 3% more time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import cache

MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 1024 * 1024
_M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_ENVIRONMENT = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES")


@cache
def tune_allocator() -> None:
    """Fix glibc's mmap and trim thresholds, once per process."""
    if not sys.platform.startswith("linux") or any(name in os.environ for name in _ENVIRONMENT):
        return
    import ctypes

    try:
        mallopt: Callable[[int, int], int] = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
