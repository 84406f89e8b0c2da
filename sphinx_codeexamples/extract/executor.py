"""Where the work of an extraction runs: in this process, in a local process pool, or on a Dask cluster.

The three share one interface, :class:`Executor`: ``submit(function, argument)``
returns a future whose ``result()`` is ``function(argument)``. The function must
be a pure, importable (so picklable) function and the argument and result small
picklable values; :mod:`.tasks` holds the only such function, so the local and
the distributed paths run exactly the same code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

A = TypeVar("A")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class TaskFuture(Protocol[R_co]):
    """A submitted task: ``concurrent.futures.Future`` and ``distributed.Future`` both fit."""

    def result(self) -> R_co: ...

    def done(self) -> bool: ...


class Executor(Protocol):
    """Runs tasks; *workers* is how many run at once (for sizing batches and the queue)."""

    workers: int

    def submit(self, function: Callable[[A], R], argument: A) -> TaskFuture[R]: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs each task at once in this process (``--jobs 1``): nothing is pickled."""

    workers = 1

    def submit(self, function: Callable[[A], R], argument: A) -> TaskFuture[R]:
        future: Future[R] = Future()
        future.set_result(function(argument))
        return future

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A pool of *workers* local processes (``--jobs N``), started by the first task: a run whose
    results all come from the cache starts none (nor imports ``multiprocessing``)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, function: Callable[[A], R], argument: A) -> TaskFuture[R]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool.submit(function, argument)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Tasks sent to a Dask cluster through ``distributed.Client`` (``--dask ADDRESS``).

    *address* is a scheduler address (``tcp://host:8786``), or a
    :class:`distributed.LocalCluster` or anything else ``Client`` accepts.
    """

    def __init__(self, address: Any) -> None:
        try:
            from distributed import Client
        except ImportError as error:
            raise ExecutorError(
                "--dask needs the 'distributed' package: pip install 'sphinx-codeexamples[dask]'"
            ) from error
        client: Any = Client  # distributed has no type hints
        try:
            self._client: Any = client(address, set_as_default=False)
        except (OSError, ValueError, TimeoutError) as error:
            raise ExecutorError(f"cannot connect to the Dask scheduler {address}: {error}") from error
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, function: Callable[[A], R], argument: A) -> TaskFuture[R]:
        future: TaskFuture[R] = self._client.submit(function, argument, pure=False)
        return future

    def close(self) -> None:
        self._client.close()


class ExecutorError(Exception):
    """An executor that cannot be started (a missing extra, an unreachable scheduler)."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_executor(jobs: int | None = None, dask: Any = None) -> Executor:
    """A Dask executor when *dask* is given, else a pool of *jobs* processes (inline for one)."""
    if dask is not None:
        return DaskExecutor(dask)
    jobs = default_jobs() if jobs is None else jobs
    return InlineExecutor() if jobs <= 1 else ProcessExecutor(jobs)
