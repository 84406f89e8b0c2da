"""Benchmark ``extract`` against ``ast.parse`` alone over the same Python files.

Nothing is downloaded: give a source (directory, sdist or wheel). We test with
the Django sdist::

    python -m pip download --no-deps --no-binary :all: "django==5.2.*" -d /tmp/dj
    python benchmarks/bench_extract.py /tmp/dj/django-5.2.*.tar.gz

Three timings are taken in turn, ``--pairs`` times (so that drift on the
machine hits all of them alike), and their medians compared:

* ``parse``: read every Python file of the source and ``ast.parse`` it;
* ``extract``: the whole command (read, pre-filter, parse, find, cut hunks,
  write the pages to a fresh temporary store), as users run it. The pre-filter
  skips parsing the files that never spell a callable's last name, so this
  parses *fewer* files than ``parse``;
* ``extract-all``: the same with the pre-filter off, so that it parses exactly
  the files ``parse`` parses: the like-for-like ratio.

With ``--library PATH`` the callables are all the public callables of that
library (``extract --library``), each looked for through every one of its
names: the cost of a large target set, e.g. Django's own sdist as the library
and as the source.

Each run is a fresh process, timed from inside around the work alone (imports
and reading ``--library`` left out), so that nothing carries over from one run to
the next: module caches, the state of the heap, and glibc's allocator thresholds,
which ``extract`` fixes once per process (``extract/memory.py``) and which in a
shared process would also slow the ``parse`` runs after it.

Both wall-clock and CPU time (``time.process_time``) are reported: on a busy
machine CPU time is the steadier of the two. Peak RSS is each run's own (``VmHWM``
from ``/proc`` when there is one, since on Linux ``ru_maxrss`` carries over the
parent's peak across fork and exec; ``resource.getrusage`` otherwise); the
largest of a mode's runs is reported.
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable

from sphinx_codeexamples.extract.library import LibraryCallable, read_library
from sphinx_codeexamples.extract.pipeline import scan, write_store
from sphinx_codeexamples.extract.sources import Source
from sphinx_codeexamples.model import CallableName

DJANGO_CALLABLES = (
    "django.urls.reverse",
    "django.shortcuts.render",
    "django.shortcuts.get_object_or_404",
    "django.http.HttpResponse",
    "django.http.Http404",
    "django.db.models.Model",
    "django.db.models.Q",
    "django.db.models.F",
    "django.db.transaction.atomic",
    "django.conf.settings",
    "django.utils.translation.gettext_lazy",
    "django.utils.timezone.now",
    "django.utils.functional.cached_property",
    "django.utils.html.format_html",
    "django.core.exceptions.ValidationError",
    "django.core.exceptions.ImproperlyConfigured",
    "django.contrib.auth.get_user_model",
    "django.template.loader.render_to_string",
    "django.apps.apps",
    "django.forms.ValidationError",
)


def parse_only(location: str) -> int:
    """``ast.parse`` every Python file of the source; returns how many parsed."""
    parsed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for file in Source.open(location).files():
            if not file.is_python or file.data is None:
                continue
            try:
                ast.parse(file.data)
            except (SyntaxError, ValueError):
                continue
            parsed += 1
    return parsed


def extract(
    location: str, names: list[CallableName], prefilter: bool, library: list[LibraryCallable] | None = None
) -> int:
    """The whole extraction into a fresh temporary store; returns how many files were parsed."""
    found = scan(names, [Source.open(location)], prefilter=prefilter, library=library or ())
    with tempfile.TemporaryDirectory() as store:
        write_store(found, store)
    found.close()
    return found.counts.parsed


def timed(function: Callable[[], int]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and the function's result."""
    start, cpu = time.perf_counter(), time.process_time()
    parsed = function()
    return time.perf_counter() - start, time.process_time() - cpu, parsed


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def child(mode: str, location: str, names: list[CallableName], library: list[LibraryCallable]) -> None:
    """Run one mode in this (fresh) process; print its times, files parsed and peak RSS (KiB) as JSON."""
    if mode == "parse":
        seconds, cpu_seconds, parsed = timed(lambda: parse_only(location))
    else:
        seconds, cpu_seconds, parsed = timed(
            lambda: extract(location, names, prefilter=mode == "extract", library=library)
        )
    print(
        json.dumps(
            {"mode": mode, "wall": seconds, "cpu": cpu_seconds, "parsed": parsed, "peak_kib": peak_rss_kib()}
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a directory, sdist or wheel (e.g. the Django sdist)")
    parser.add_argument("--callable", dest="callables", action="append", help="default: 20 Django callables")
    parser.add_argument("--pairs", type=int, default=3, help="rounds of alternating runs (default 3)")
    parser.add_argument("--library", metavar="PATH", help="all public callables of this library instead")
    parser.add_argument("--child", choices=("parse", "extract", "extract-all"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    names = [CallableName.parse(name) for name in arguments.callables or DJANGO_CALLABLES]
    library: list[LibraryCallable] = []
    if arguments.library:  # read once, outside the timings
        library = read_library(arguments.library).public()
        names = [CallableName.parse(item.name) for item in library]
    if arguments.child:
        child(arguments.child, arguments.source, names, library)
        return 0
    modes = ("parse", "extract", "extract-all")
    if arguments.library:
        options = ["--library", arguments.library]
    else:
        options = [option for name in names for option in ("--callable", name.dotted)]
    rounds = max(3, arguments.pairs)
    wall: dict[str, list[float]] = {mode: [] for mode in modes}
    cpu: dict[str, list[float]] = {mode: [] for mode in modes}
    rss: dict[str, list[int]] = {mode: [] for mode in modes}
    parsed: dict[str, int] = {}
    for round_number in range(rounds):
        order = list(modes)
        if round_number % 2:
            order.reverse()
        for mode in order:
            command = [sys.executable, __file__, arguments.source, "--child", mode, *options]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            result = json.loads(output.strip().splitlines()[-1])
            wall[mode].append(result["wall"])
            cpu[mode].append(result["cpu"])
            rss[mode].append(result["peak_kib"])
            parsed[mode] = result["parsed"]
    spellings = sum(len(item.spellings) for item in library) or len(names)
    print(
        f"source: {arguments.source}; {len(names)} callables ({spellings} names); "
        f"{rounds} rounds of alternating runs"
    )
    for mode in modes:
        runs = ", ".join(f"{value:.2f}" for value in wall[mode])
        print(
            f"{mode:12} wall median {statistics.median(wall[mode]):6.2f} s (runs {runs}), "
            f"CPU median {statistics.median(cpu[mode]):6.2f} s, files parsed {parsed[mode]}, "
            f"peak RSS {max(rss[mode]) / 1024:.1f} MiB"
        )
    for clock, values in (("wall", wall), ("CPU", cpu)):
        base = statistics.median(values["parse"])
        print(
            f"{clock:4} ratio: extract / parse {statistics.median(values['extract']) / base:.2f}x "
            f"(target <= 1.3x); extract-all / parse {statistics.median(values['extract-all']) / base:.2f}x "
            "(same files parsed)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
