"""Benchmark ``extract`` at scale: --jobs, the result cache, peak memory, and the Dask path.

Every measurement runs the real command, ``python -m sphinx_codeexamples
extract``, in a fresh subprocess; wall time, CPU time (user + system of the
command and its workers) and peak RSS come from ``os.wait4``. Runs alternate
(A B, then B A, ...) over ``--rounds`` rounds and each ratio is taken between
medians of the same invocation, so a busy machine hits both sides alike. The
load average is printed before and after: on a shared machine, read the ratios,
not the seconds.

Measurements (``python benchmarks/bench_scale.py WHAT ...``):

``jobs DJANGO_SDIST``
    ``--jobs 2`` against ``--jobs 1`` (no cache) on the Django sdist, 20 Django
    callables; the stores written must be byte-identical. Target: >= 1.8x on two
    idle cores. Get the sdist with
    ``pip download --no-deps --no-binary :all: -d /work/dl "django==5.2.*"``.
``fetch``
    fetch the :data:`PACKAGES` (pinned dependents of click) with ``extract
    --pypi`` into ``CACHE_DIR/downloads``; the other measurements do it first
    when needed, and then run offline (pinned files already downloaded).
``cache``
    over the packages, 20 click callables: a cold run (empty result cache) and
    a warm re-run (target: warm <= 5% of cold); then, the cache warmed with all
    packages but the last, a run that adds it, against a cold run of that
    package alone (target: about 1x).
``memory``
    peak RSS of a run over the first 10 and over all the packages, no cache,
    ``--jobs 1`` and ``--jobs 2`` (target: within 1.2x).
``dask``
    the packages on a ``distributed.LocalCluster`` (2 worker processes) through
    ``--dask``, against ``--jobs 2``; the stores must be byte-identical.
``all DJANGO_SDIST``
    all of the above.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class Run:
    wall: float
    cpu: float
    peak_kib: int
    out: str


def extract(arguments: Sequence[str]) -> Run:
    """Run the command; its wall and CPU seconds, peak RSS and stdout."""
    command = [sys.executable, "-m", "sphinx_codeexamples", "extract", *arguments]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out)


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
        f"  {label:34} wall median {median([r.wall for r in runs]):7.2f} s (runs {walls}); "
        f"CPU median {median([r.cpu for r in runs]):7.2f} s; "
        f"peak RSS {max(r.peak_kib for r in runs) / 1024:.0f} MiB"
    )


def requirements(packages: Sequence[str]) -> list[str]:
    return ["--pypi", *packages]


def fetch(cache_dir: str) -> None:
    """Fetch the packages (pip, 4 at a time) into CACHE_DIR/downloads."""
    with tempfile.TemporaryDirectory() as store:
        arguments = [*callables(["click.echo"]), *requirements(PACKAGES), "-o", store, "-q"]
        run = extract([*arguments, "--cache-dir", cache_dir, "--no-cache", "--jobs", "1"])
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
    print(f"jobs: {sdist}, {len(DJANGO_CALLABLES)} callables, {rounds} rounds; {load()}")
    runs: dict[int, list[Run]] = {1: [], 2: []}
    stores: list[dict[str, bytes]] = []
    with tempfile.TemporaryDirectory() as work:
        for number in range(rounds):
            for jobs in (1, 2) if number % 2 == 0 else (2, 1):
                store = os.path.join(work, f"store-{number}-{jobs}")
                runs[jobs].append(
                    extract(
                        [
                            *callables(DJANGO_CALLABLES),
                            sdist,
                            "-o",
                            store,
                            "-q",
                            "--no-cache",
                            "--jobs",
                            str(jobs),
                        ]
                    )
                )
                stores.append(store_bytes(store))
    show("--jobs 1", runs[1])
    show("--jobs 2", runs[2])
    same = all(store == stores[0] for store in stores)
    speedup = median([r.wall for r in runs[1]]) / median([r.wall for r in runs[2]])
    print(f"  speed-up --jobs 2 / --jobs 1: {speedup:.2f}x (target >= 1.8x); stores byte-identical: {same}")
    print(f"  {load()}")


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
            folder = fresh_cache(work, cache_dir, "add")
            extract([*names, *requirements(PACKAGES[:-1]), "-o", store, "-q", "--cache-dir", folder])
            pair = [
                ("added", [*names, *requirements(PACKAGES), "-o", store, "-q", "--cache-dir", folder]),
                (
                    "alone",
                    [
                        *names,
                        *requirements(PACKAGES[-1:]),
                        "-o",
                        store,
                        "-q",
                        "--cache-dir",
                        fresh_cache(work, cache_dir, "alone"),
                    ],
                ),
            ]
            for label, arguments in pair if number % 2 == 0 else reversed(pair):
                (added if label == "added" else alone).append(extract(arguments))
            shutil.rmtree(store)
    show("cold (empty result cache)", cold)
    show("warm re-run", warm)
    show(f"warm + 1 new ({PACKAGES[-1]})", added)
    show(f"{PACKAGES[-1]} alone, cold", alone)
    print(f"  {warm[-1].out.splitlines()[-1]}")
    print(f"  {added[-1].out.splitlines()[-1]}")
    ratio = median([r.wall for r in warm]) / median([r.wall for r in cold])
    add = median([r.wall for r in added]) / median([r.wall for r in alone])
    print(
        f"  warm / cold: {ratio:.1%} (target <= 5%); "
        f"adding one / that one alone: {add:.2f}x (target about 1x)"
    )
    print(f"  {load()}")


def bench_memory(cache_dir: str, rounds: int) -> None:
    print(f"memory: peak RSS at 10 and {len(PACKAGES)} packages, no cache; {load()}")
    names = callables(CLICK_CALLABLES)
    with tempfile.TemporaryDirectory() as work:
        folder = fresh_cache(work, cache_dir, "mem")
        for jobs in ("1", "2"):
            peaks: dict[int, list[Run]] = {10: [], len(PACKAGES): []}
            for number in range(rounds):
                for count in (10, len(PACKAGES)) if number % 2 == 0 else (len(PACKAGES), 10):
                    store = os.path.join(work, f"store-{jobs}-{count}-{number}")
                    arguments = [*names, *requirements(PACKAGES[:count]), "-o", store, "-q", "--no-cache"]
                    peaks[count].append(extract([*arguments, "--cache-dir", folder, "--jobs", jobs]))
            small = median([r.peak_kib for r in peaks[10]])
            large = median([r.peak_kib for r in peaks[len(PACKAGES)]])
            print(
                f"  --jobs {jobs}: 10 packages {small / 1024:.1f} MiB, {len(PACKAGES)} packages "
                f"{large / 1024:.1f} MiB (medians of the largest process): {large / small:.2f}x "
                "(target <= 1.2x)"
            )


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
