"""``extract`` at scale: sources by requirement, workers, the result cache, a Dask cluster."""

from __future__ import annotations

import argparse
import dataclasses
import os
from typing import Any

from ..extract.cache import DigestMemo, ResultCache, default_cache_dir, file_sha256
from ..extract.executor import Executor, make_executor
from ..extract.pagecache import PageCache
from ..extract.pypi import FetchFailure, fetch, read_requirements
from ..extract.sources import Source, SourceError


def add_arguments(parser: Any) -> None:
    group = parser.add_argument_group("sources by requirement, workers and cache")
    group.add_argument(
        "--pypi",
        nargs="+",
        action="extend",
        default=[],
        metavar="REQ",
        help="requirements to fetch with pip (sdist first, else a wheel) and scan, e.g. 'click==8.1.7' "
        "(pip's own configuration and index settings apply)",
    )
    group.add_argument(
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of requirements to fetch like --pypi, one a line (repeatable)",
    )
    group.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="files analysed in parallel by N processes (default: the machine's cores)",
    )
    group.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="analyse the files on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
        "needs sphinx-codeexamples[dask]",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where downloads, results and what is known of the pages written are cached (default: "
        "sphinx-codeexamples in the user's cache folder, $XDG_CACHE_HOME or ~/.cache on Linux)",
    )
    group.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write cached results, pages and digests (downloads are still reused)",
    )


def check(arguments: argparse.Namespace) -> str | None:
    """An error message for bad scale arguments, or None."""
    if not (arguments.sources or arguments.pypi or arguments.requirements):
        return "give a SOURCE, --pypi REQ or --requirements FILE"
    if arguments.jobs is not None and arguments.jobs < 1:
        return "--jobs must be 1 or more"
    if arguments.dask and arguments.jobs is not None:
        return "--jobs and --dask do not go together (the cluster's workers do the work)"
    return None


def cache_dir(arguments: argparse.Namespace) -> str:
    return str(arguments.cache_dir or default_cache_dir())


def result_cache(arguments: argparse.Namespace) -> ResultCache | None:
    return None if arguments.no_cache else ResultCache(cache_dir(arguments))


def page_cache(arguments: argparse.Namespace) -> PageCache | None:
    return None if arguments.no_cache else PageCache(cache_dir(arguments))


def executor(arguments: argparse.Namespace) -> Executor:
    """Raises :class:`.executor.ExecutorError` when it cannot be started."""
    return make_executor(arguments.jobs, arguments.dask)


def fetched_sources(arguments: argparse.Namespace) -> tuple[list[Source], list[FetchFailure]]:
    """The sources fetched for --pypi and --requirements, and the requirements that failed."""
    requirements = list(arguments.pypi)
    failures: list[FetchFailure] = []
    for path in arguments.requirements:
        try:
            found, bad = read_requirements(path)
        except OSError as error:
            failures.append(FetchFailure(path, f"cannot read: {error.strerror}"))
            continue
        requirements += found
        failures += bad
    if not requirements:
        return [], failures
    downloads = os.path.join(cache_dir(arguments), "downloads")
    sha256 = file_sha256 if arguments.no_cache else DigestMemo(cache_dir(arguments)).sha256
    fetched, bad = fetch(dict.fromkeys(requirements), downloads, sha256=sha256)
    failures += bad
    sources = []
    for item in fetched:
        try:
            sources.append(dataclasses.replace(Source.open(item.path), release=item.release))
        except SourceError as error:
            failures.append(FetchFailure(item.release.requirement, str(error)))
    return sources, failures
