"""Giving the memory that Python has freed back to the system.

Parsing a large file builds a large syntax tree; when it is dropped, CPython hands
the memory back to the C allocator, but glibc's keeps much of it, scattered
between blocks still in use, and the process's resident size creeps up with the
number of files parsed. :func:`release_memory` asks glibc to return its free
pages (``malloc_trim``), as Dask does for its workers; elsewhere it does nothing.
It is called after each batch of files, so it costs little.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


def release_memory() -> None:
    """Return the C allocator's free memory to the system, where the allocator allows it."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], object] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function: Callable[[int], object] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return function
