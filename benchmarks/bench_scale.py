"""Benchmark ``extract`` at scale: --jobs, the result cache, peak memory, and the Dask path.

Every measurement runs the real command, ``python -m sphinx_codeexamples
extract``, in a fresh subprocess; wall time and CPU time (user + system of the
command and its workers) come from ``os.wait4``. Runs alternate (A B, then B A,
...) over ``--rounds`` rounds and each ratio is taken between medians of the same
invocation, so a busy machine hits both sides alike. The load average is printed before and after each
measurement: on a shared machine, read the ratios, not the seconds.

The package is byte-compiled first, as an installed one is (with
``PYTHONDONTWRITEBYTECODE`` set, every run would compile its modules again).
The packages are fetched once (``fetch``); every measured run then works
offline, with pip told there is no index (``PIP_NO_INDEX=1``): pinned releases
already in the download cache are never fetched again, and a run that still
called pip would fail with a ``not fetched`` line, which stops the benchmark.
So "cold" means an empty result cache and no store, not downloading.

Measurements (``python benchmarks/bench_scale.py WHAT ...``):

``jobs DJANGO_SDIST``
    ``--jobs 2`` against ``--jobs 1`` (no cache) on the Django sdist, 20 Django
    callables; the stores written must be byte-identical. Target: >= 1.8x on two
    idle cores. Two ceilings are printed with it: the machine's (two independent
    ``--jobs 1`` runs started together) and the sdist's own (what perfect
    scheduling on two cores could make of its measured reading and parsing, see
    :func:`jobs_ceiling`). Get the sdist with
    ``pip download --no-deps --no-binary :all: -d /work/dl "django==5.2.*"``.
``fetch``
    fetch the :data:`PACKAGES` (pinned dependents of click) with ``extract
    --pypi`` into ``CACHE_DIR/downloads``; the other measurements do it first
    when needed, and then run offline (pinned files already downloaded).
``cache``
    over the packages, 20 click callables: a cold run (empty result cache, no
    store) and a warm re-run (target: warm <= 5% of cold). Then adding a
    package: from a store and a cache made by a run over all the packages but
    the last, a run over all of them ("added") against a run over the last one
    alone ("alone": its results not cached), each from that store and cache put
    back in place, so that both update the same pages (target: about 1x).
``memory``
    peak memory of a run over the first 10 and over all the packages, no cache,
    ``--jobs 1`` and ``--jobs 2`` (target: within 1.2x): the peak RSS of the
    largest process, and the peak of the sum over the command and its workers of
    their RSS and of their PSS (shared pages split between the processes that
    share them: the honest total), sampled every 10 ms from ``/proc`` (Linux).
    The largest process is measured exactly, as the ``ru_maxrss`` of the children
    of a small launcher process: a child's ``ru_maxrss`` counts the memory of the
    process it was forked from, so measured straight from this script it would
    count this script's own size. Then the package whose largest file costs most
    to parse, alone, to tell what one file costs from what grows with the count.
``dask``
    the packages on a ``distributed.LocalCluster`` (2 worker processes) through
    ``--dask``, against ``--jobs 2``; the stores must be byte-identical.
``all DJANGO_SDIST``
    all of the above.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_extract import DJANGO_CALLABLES  # the same 20 callables

ROOT = Path(__file__).resolve().parents[1]

CLICK_CALLABLES = (
    "click.command",
    "click.group",
    "click.option",
    "click.argument",
    "click.echo",
    "click.secho",
    "click.style",
    "click.pass_context",
    "click.Context",
    "click.Path",
    "click.Choice",
    "click.ClickException",
    "click.UsageError",
    "click.BadParameter",
    "click.prompt",
    "click.confirm",
    "click.get_current_context",
    "click.version_option",
    "click.File",
    "click.testing.CliRunner",
)

# Popular pure-Python packages that depend on click, pinned so that runs are reproducible and warm runs
# need no network: 47 sdists and 3 wheels (pip fetched a wheel where the sdist's metadata would not build).
# The last one is the package "added" by the cache measurement.
PACKAGES = (
    "flask==3.1.3",  # sdist 741 kB
    "typer==0.29.2",  # sdist 200 kB
    "uvicorn==0.54.0",  # sdist 109 kB
    "rich-click==1.9.9",  # sdist 74 kB
    "click-plugins==1.1.1.2",  # sdist 8 kB
    "click-didyoumean==0.3.1",  # sdist 3 kB
    "click-repl==0.4.1",  # sdist 16 kB
    "click-log==0.4.0",  # sdist 9 kB
    "click-option-group==0.5.10",  # sdist 22 kB
    "click-default-group==1.2.4",  # sdist 3 kB
    "click-help-colors==0.9.4",  # sdist 7 kB
    "click-spinner==0.2.0",  # sdist 3 kB
    "click-aliases==1.0.7",  # sdist 2 kB
    "click-man==0.6.0",  # sdist 480 kB
    "cookiecutter==2.7.1",  # sdist 139 kB
    "pip-tools==7.6.2",  # sdist 189 kB
    "mkdocs==1.6.1",  # sdist 3798 kB
    "sphinx-click==6.2.0",  # sdist 26 kB
    "black==26.10.1",  # sdist 724 kB
    "celery==5.7.0",  # sdist 2026 kB
    "pgcli==4.7.1",  # sdist 667 kB
    "litecli==1.17.1",  # sdist 879 kB
    "mycli==2.30.1",  # sdist 35353 kB
    "python-dotenv==1.2.4",  # sdist 59 kB
    "gTTS==2.5.4",  # sdist 23 kB
    "towncrier==26.9.0",  # sdist 77 kB
    "safety==3.8.1",  # sdist 403 kB
    "datasette==0.65.5",  # sdist 406 kB
    "sqlite-utils==4.2.1",  # sdist 304 kB
    "llm==0.36",  # sdist 151 kB
    "shot-scraper==1.12",  # wheel 22 kB
    "csvs-to-sqlite==1.3.1",  # sdist 22 kB
    "chalice==1.34.0",  # sdist 252 kB
    "hatch==1.18.2",  # sdist 5156 kB
    "cruft==2.16.0",  # sdist 662 kB
    "cloup==4.0.0",  # sdist 246 kB
    "trogon==0.6.0",  # sdist 22 kB
    "rq==3.0.0",  # sdist 784 kB
    "flower==2.2.0",  # sdist 1083 kB
    "Flask-Migrate==4.1.0",  # sdist 21 kB
    "quart==0.22.0",  # sdist 63 kB
    "python-semantic-release==10.7.0",  # sdist 615 kB
    "gitlint==0.19.1",  # wheel 2 kB
    "kedro==1.7.0",  # sdist 205 kB
    "jupyter-book==2.1.7",  # sdist 3132 kB
    "bump-my-version==1.8.1",  # sdist 1101 kB
    "click-extra==9.5.0",  # wheel 676 kB
    "httpie==3.2.4",  # sdist 373 kB
    "sphinx-autobuild==2025.8.25",  # sdist 14 kB
    "pip-audit==2.10.1",  # sdist 53 kB
)
# The package whose largest parsed file (one that spells a click callable's whole name) costs most to
# parse, for the memory measurement: ast.parse peaks at about 85 times the file's size (14 MiB here).
LARGEST_PARSE = "black==26.10.1"
LARGEST_FILE = "tests/test_black.py, 165 kB"


@dataclass
class Run:
    wall: float
    cpu: float
    out: str
    peak_kib: int = 0  # the largest process (measured with memory=True)
    tree_rss_kib: int = 0  # sampled: the command and its workers together
    tree_pss_kib: int = 0


# Runs a command and writes the largest ru_maxrss of its children (the command, its workers) to stderr.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stderr=subprocess.DEVNULL)\n"
    "sys.stderr.write(f'{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n')\n"
    "sys.exit(code)\n"
)


def extract(arguments: Sequence[str], offline: bool = True, memory: bool = False) -> Run:
    """Run the command; its wall and CPU seconds and stdout.

    *offline*: pip may not reach an index (a run that calls pip fails). *memory*:
    measure the memory instead of the time (see the module's docstring), through a
    launcher, whose own start would add to the times.
    """
    command = [sys.executable, "-m", "sphinx_codeexamples", "extract", *arguments]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if offline:
        env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS="", PIP_CONFIG_FILE=os.devnull)
    launched = [sys.executable, "-c", LAUNCHER, *command] if memory else command
    start = time.perf_counter()
    process = subprocess.Popen(
        launched,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if memory else subprocess.DEVNULL,
        text=True,
        env=env,
    )
    sampler = TreeSampler(process.pid, skip_root=True) if memory else None
    assert process.stdout is not None
    out = process.stdout.read()
    err = process.stderr.read() if process.stderr is not None else ""
    if sampler is not None:
        sampler.stop()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    if offline and "\nnot fetched: " in "\n" + out:
        raise SystemExit(f"a run called pip: {' '.join(command)}\n{out}")
    run = Run(wall, usage.ru_utime + usage.ru_stime, out)
    if sampler is not None:
        run.peak_kib = int(err.split()[-1])
        run.tree_rss_kib, run.tree_pss_kib = sampler.rss_kib, sampler.pss_kib
    return run


class TreeSampler:
    """The peak of the summed RSS and PSS of a process and its descendants, sampled from ``/proc``."""

    def __init__(self, pid: int, interval: float = 0.01, skip_root: bool = False) -> None:
        self.pid, self.interval, self.skip_root = pid, interval, skip_root
        self.rss_kib = self.pss_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            for pid in self._tree()[1 if self.skip_root else 0 :]:
                values = _rollup(pid)
                rss += values.get("Rss", 0)
                pss += values.get("Pss", 0)
            self.rss_kib, self.pss_kib = max(self.rss_kib, rss), max(self.pss_kib, pss)
            self._stop.wait(self.interval)

    def _tree(self) -> list[int]:
        pids = [self.pid]
        for pid in pids:  # grows while it is walked
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as stream:
                        pids += [int(child) for child in stream.read().split()]
            except OSError:  # gone meanwhile
                continue
        return pids


def _rollup(pid: int) -> dict[str, int]:
    """``/proc/PID/smaps_rollup`` in KiB (empty when the process is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return {}
    values = {}
    for line in lines[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[name] = int(parts[0])
    return values


def callables(names: Sequence[str]) -> list[str]:
    return [part for name in names for part in ("--callable", name)]


def store_bytes(store: str) -> dict[str, bytes]:
    return {name: Path(store, name).read_bytes() for name in sorted(os.listdir(store))}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def show(label: str, runs: list[Run]) -> None:
    walls = ", ".join(f"{run.wall:.2f}" for run in runs)
    print(
        f"  {label:36} wall median {median([r.wall for r in runs]):7.2f} s (runs {walls}); "
        f"CPU median {median([r.cpu for r in runs]):7.2f} s"
    )


def requirements(packages: Sequence[str]) -> list[str]:
    return ["--pypi", *packages]


def fetch(cache_dir: str) -> None:
    """Fetch the packages (pip, 4 at a time) into CACHE_DIR/downloads, unless they are there."""
    with tempfile.TemporaryDirectory() as store:
        arguments = [*callables(["click.echo"]), *requirements(PACKAGES), "-o", store, "-q"]
        run = extract([*arguments, "--cache-dir", cache_dir, "--no-cache", "--jobs", "1"], offline=False)
    missing = [line for line in run.out.splitlines() if line.startswith("not fetched")]
    print(f"fetch: {len(PACKAGES) - len(missing)} of {len(PACKAGES)} packages in {cache_dir}/downloads")
    for line in missing:
        print("  " + line)


def fresh_cache(work: str, cache_dir: str, name: str) -> str:
    """An empty result cache sharing the downloads of *cache_dir*."""
    folder = os.path.join(work, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    os.symlink(os.path.join(os.path.abspath(cache_dir), "downloads"), os.path.join(folder, "downloads"))
    return folder


def bench_jobs(sdist: str, rounds: int) -> None:
    """``--jobs 2`` against ``--jobs 1``, and what this machine gives two independent ``--jobs 1`` runs
    started together (its own ceiling: 2 cores of a shared host may not give 2x)."""
    print(f"jobs: {sdist}, {len(DJANGO_CALLABLES)} callables, {rounds} rounds; {load()}")
    runs: dict[str, list[Run]] = {"1": [], "2": [], "pair": []}
    stores: list[dict[str, bytes]] = []

    def arguments(store: str, jobs: str) -> list[str]:
        return [*callables(DJANGO_CALLABLES), sdist, "-o", store, "-q", "--no-cache", "--jobs", jobs]

    with tempfile.TemporaryDirectory() as work:
        for number in range(rounds):
            order = ("1", "2", "pair") if number % 2 == 0 else ("pair", "2", "1")
            for kind in order:
                store = os.path.join(work, f"store-{number}-{kind}")
                if kind == "pair":
                    runs[kind].append(
                        extract_together(arguments(store + "a", "1"), arguments(store + "b", "1"))
                    )
                    continue
                runs[kind].append(extract(arguments(store, kind)))
                stores.append(store_bytes(store))
    show("--jobs 1", runs["1"])
    show("--jobs 2", runs["2"])
    show("two --jobs 1 runs at once", runs["pair"])
    same = all(store == stores[0] for store in stores)
    one = median([r.wall for r in runs["1"]])
    speedup = one / median([r.wall for r in runs["2"]])
    ceiling = 2 * one / median([r.wall for r in runs["pair"]])
    print(f"  speed-up --jobs 2 / --jobs 1: {speedup:.2f}x (target >= 1.8x); stores byte-identical: {same}")
    print(f"  this machine's ceiling, two runs at once against one: {ceiling:.2f}x")
    reading, parsing, best = jobs_ceiling(sdist, one)
    print(
        f"  this sdist's ceiling: reading {reading:.2f} s (one stream), parsing {parsing:.2f} s, the rest "
        f"{one - reading - parsing:.2f} s; perfectly spread on 2 cores: {best:.2f} s, {one / best:.2f}x"
    )
    print(f"  {load()}")


def jobs_ceiling(sdist: str, one: float) -> tuple[float, float, float]:
    """The CPU seconds of reading *sdist* and of parsing its files, and the least wall time
    ``--jobs 2`` could take, given ``--jobs 1``'s wall time *one*.

    An archive is read by one process, front to back (a compressed stream); a file can
    be parsed once it is read. Measured here, in this process, as ``--jobs 1`` runs: the
    reader's CPU time when each batch is handed over, and each batch's parse; a batch's
    files are taken as read evenly since the one before (as if each were handed over as
    soon as read). Whatever is read after the reader's time *r* (the rest of the reading
    and those files' parses) takes at least half its CPU time after *r* on 2 cores; the
    rest of the command (start, ranking, writing: *one* less reading and parsing) runs
    on one core. The bound grants what no executor gives: files moved between processes
    for free, a parse split in two.
    """
    sys.path.insert(0, str(ROOT))
    from sphinx_codeexamples.extract.executor import InlineExecutor
    from sphinx_codeexamples.extract.runner import BATCH_FILES, Runner
    from sphinx_codeexamples.extract.sources import Source

    class Recorder(InlineExecutor):
        """``--jobs 1``'s executor, noting when each task came and what it cost."""

        def __init__(self) -> None:
            self.begin = time.process_time()
            self.parsing = 0.0
            self.batches: list[tuple[float, float]] = []  # (reader's time at hand-over, parse time)

        def submit(self, function: Any, argument: Any) -> Any:
            start = time.process_time()
            future = super().submit(function, argument)
            cost = time.process_time() - start
            self.batches.append((start - self.begin - self.parsing, cost))
            self.parsing += cost
            return future

    recorder = Recorder()
    for _ in Runner(DJANGO_CALLABLES, recorder).run([Source.open(sdist)]):
        pass
    parsing = recorder.parsing
    reading = time.process_time() - recorder.begin - parsing
    spread = (reading + parsing) / 2
    after, previous = parsing, 0.0
    for released, cost in recorder.batches:
        for step in range(1, BATCH_FILES + 1):  # the batch's files, read evenly since the batch before
            read = previous + (released - previous) * step / BATCH_FILES
            spread = max(spread, read + (reading - read + after) / 2)
            after -= cost / BATCH_FILES
        previous = released
    return reading, parsing, one - reading - parsing + spread


def extract_together(first: Sequence[str], second: Sequence[str]) -> Run:
    """Two commands started together; the wall time until both end, their CPU time summed."""
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(extract, (first, second)))
    return Run(time.perf_counter() - start, sum(run.cpu for run in done), "")


def bench_cache(cache_dir: str, rounds: int) -> None:
    print(f"cache: {len(PACKAGES)} packages, {len(CLICK_CALLABLES)} callables, {rounds} rounds; {load()}")
    names = callables(CLICK_CALLABLES)
    cold: list[Run] = []
    warm: list[Run] = []
    added: list[Run] = []
    alone: list[Run] = []
    with tempfile.TemporaryDirectory() as work:
        store = os.path.join(work, "store")
        for number in range(rounds):
            folder = fresh_cache(work, cache_dir, "all")
            cold.append(extract([*names, *requirements(PACKAGES), "-o", store, "-q", "--cache-dir", folder]))
            warm.append(extract([*names, *requirements(PACKAGES), "-o", store, "-q", "--cache-dir", folder]))
            shutil.rmtree(store)
            # The store and cache of a run over all the packages but the last, put back in place
            # (the same paths: the sources' locations are part of what a page is made from) before
            # each side runs.
            folder, side_store = fresh_cache(work, cache_dir, "side"), os.path.join(work, "side-store")
            shutil.rmtree(side_store, ignore_errors=True)
            extract([*names, *requirements(PACKAGES[:-1]), "-o", side_store, "-q", "--cache-dir", folder])
            saved, saved_store = os.path.join(work, "saved"), os.path.join(work, "saved-store")
            for path in (saved, saved_store):
                shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(folder, saved, symlinks=True)
            shutil.copytree(side_store, saved_store)
            pair = [("added", PACKAGES), ("alone", PACKAGES[-1:])]
            for label, packages in pair if number % 2 == 0 else reversed(pair):
                for path, copy in ((folder, saved), (side_store, saved_store)):
                    shutil.rmtree(path)
                    shutil.copytree(copy, path, symlinks=True)
                arguments = [*names, *requirements(packages), "-o", side_store, "-q", "--cache-dir", folder]
                (added if label == "added" else alone).append(extract(arguments))
    show("cold (empty result cache, no store)", cold)
    show("warm re-run", warm)
    show(f"49 + 1 new ({PACKAGES[-1]})", added)
    show(f"{PACKAGES[-1]} alone", alone)
    for run in (warm[-1], added[-1], alone[-1]):
        print(f"  {run.out.splitlines()[0].partition('; ')[2]}; {run.out.splitlines()[-1]}")
    ratio = median([r.wall for r in warm]) / median([r.wall for r in cold])
    cpu = median([r.cpu for r in warm]) / median([r.cpu for r in cold])
    add = median([r.wall for r in added]) / median([r.wall for r in alone])
    print(
        f"  warm / cold: {ratio:.1%} of the wall time (target <= 5%), {cpu:.1%} of the CPU time; "
        f"adding one / that one alone: {add:.2f}x (target about 1x)"
    )
    print(f"  {load()}")


def bench_memory(cache_dir: str, rounds: int) -> None:
    print(f"memory: peak at 10 and {len(PACKAGES)} packages, no cache; {load()}")
    names = callables(CLICK_CALLABLES)
    with tempfile.TemporaryDirectory() as work:
        folder = fresh_cache(work, cache_dir, "mem")
        for jobs in ("1", "2"):
            peaks: dict[int, list[Run]] = {10: [], len(PACKAGES): []}
            for number in range(rounds):
                for count in (10, len(PACKAGES)) if number % 2 == 0 else (len(PACKAGES), 10):
                    store = os.path.join(work, f"store-{jobs}-{count}-{number}")
                    arguments = [*names, *requirements(PACKAGES[:count]), "-o", store, "-q", "--no-cache"]
                    arguments += ["--cache-dir", folder, "--jobs", jobs]
                    peaks[count].append(extract(arguments, memory=True))
            print(f"  --jobs {jobs} (medians of {rounds} runs):")
            for label, field in (
                ("largest process, RSS", "peak_kib"),
                ("all processes, RSS", "tree_rss_kib"),
                ("all processes, PSS", "tree_pss_kib"),
            ):
                small = median([getattr(r, field) for r in peaks[10]])
                large = median([getattr(r, field) for r in peaks[len(PACKAGES)]])
                print(
                    f"    {label:22} 10 packages {small / 1024:5.1f} MiB, {len(PACKAGES)} packages "
                    f"{large / 1024:5.1f} MiB: {large / small:.2f}x (target <= 1.2x)"
                )
        store = os.path.join(work, "store-largest")
        arguments = [*names, *requirements([LARGEST_PARSE]), "-o", store, "-q", "--no-cache"]
        run = extract([*arguments, "--cache-dir", folder, "--jobs", "1"], memory=True)
        print(
            f"  {LARGEST_PARSE} alone (the largest file parsed, {LARGEST_FILE}), --jobs 1: largest "
            f"process {run.peak_kib / 1024:.1f} MiB, all processes PSS {run.tree_pss_kib / 1024:.1f} MiB"
        )
    print(f"  {load()}")


def bench_dask(cache_dir: str) -> None:
    from distributed import LocalCluster

    print(f"dask: {len(PACKAGES)} packages on a LocalCluster of 2 worker processes; {load()}")
    names = callables(CLICK_CALLABLES)
    with (
        tempfile.TemporaryDirectory() as work,
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
    ):
        folder = fresh_cache(work, cache_dir, "dask-cache")
        common = [*names, *requirements(PACKAGES), "-q", "--no-cache", "--cache-dir", folder]
        local = extract([*common, "-o", os.path.join(work, "local"), "--jobs", "2"])
        dask = extract([*common, "-o", os.path.join(work, "dask"), "--dask", cluster.scheduler_address])
        same = store_bytes(os.path.join(work, "local")) == store_bytes(os.path.join(work, "dask"))
    show("--jobs 2", [local])
    show("--dask (client only: workers not counted)", [dask])
    print(f"  stores byte-identical: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("jobs", "fetch", "cache", "memory", "dask", "all"))
    parser.add_argument("sdist", nargs="?", help="the Django sdist (for jobs and all)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of alternating runs (default 3)")
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(tempfile.gettempdir(), "bench-scale-cache"),
        help="where the packages are downloaded (default: TMP/bench-scale-cache)",
    )
    arguments = parser.parse_args(argv)
    if arguments.what in ("jobs", "all") and not arguments.sdist:
        parser.error("give the Django sdist")
    compileall.compile_dir(str(ROOT / "sphinx_codeexamples"), quiet=1)  # as an installed package is
    print(f"{os.cpu_count()} cores; {load()}")
    if arguments.what in ("jobs", "all"):
        bench_jobs(arguments.sdist, arguments.rounds)
    if arguments.what != "jobs":
        fetch(arguments.cache_dir)
    if arguments.what in ("cache", "all"):
        bench_cache(arguments.cache_dir, arguments.rounds)
    if arguments.what in ("memory", "all"):
        bench_memory(arguments.cache_dir, arguments.rounds)
    if arguments.what in ("dask", "all"):
        bench_dask(arguments.cache_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
