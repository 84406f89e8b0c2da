"""Build-time benchmark: the extension against the same site written by hand in reST.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_build.py            # everything, 3 pairs
    /work/venv/bin/python benchmarks/bench_build.py --quick    # 1 pair on 20 pages: a smoke run

Side A is the extension (``codeexamples_generate_pages = True``, or with
``--mode directive`` one hand-made page per callable holding the
``callable-example`` directive); side B is the hand-written reST of the same
store (see ``handwritten.py``), built by the same Sphinx with the same theme and
configuration minus the extension. Every build is a fresh ``python -m sphinx``
subprocess; A and B alternate, and each figure is the median of its runs, with
the ratio A/B taken between medians of the same run. See ``README.md``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sphinx

import sphinx_codeexamples
from sphinx_codeexamples.ext.config import CONFIG_VALUES
from sphinx_codeexamples.store import iter_page_files, read_page_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handwritten import store_pages, write_directive_pages, write_handwritten

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORE = REPO.parent / "shared" / "corpus" / "fsp-sqlalchemy"
MEASURES = ("full", "parallel", "noop", "edit", "scale", "nav", "profile")
DEFAULT_MEASURES = ("full", "parallel", "noop", "edit", "scale", "nav")
SCALE = 10
QUICK_PAGES = 20
EDIT_PREFIX = "Edited for the benchmark. "
_HEADING = re.compile(r"^#{1,6}[ \t]+Example[ \t]+[0-9]+[ \t]+from[ \t]")
_KEY_LINE = re.compile(r"^(title|slug|sidebartitle|meta):")

INDEX_RST = """Benchmark
=========

.. toctree::
   :maxdepth: 2

   examples/index
"""

NAV_VARIANTS = {
    # name -> (theme, html_sidebars or None for the theme's default)
    "alabaster-nav-off": ("alabaster", {"**": []}),
    "alabaster-default": ("alabaster", None),
    "furo": ("furo", None),
    # Alabaster's default sidebars on every page but the example pages, which get the extension's
    # related-callables sidebar and the search box instead of the global navigation.
    "alabaster-light-examples": (
        "alabaster",
        {"examples/**": ["codeexamples/related.html", "searchbox.html"]},
    ),
}
NAV_OFF: dict[str, list[str]] = {"**": []}
#: The navigations of the A/B pairs: name -> html_sidebars (None: the theme's default). The first one
#: that a run measures is the headline table.
PAIR_NAVS: dict[str, dict[str, list[str]] | None] = {"none": NAV_OFF, "default": None}
PAIR_MEASURES = ("full", "parallel", "noop", "edit")


# -- running one build -----------------------------------------------------------------


@dataclass
class Run:
    measure: str
    side: str
    round: int
    wall: float  # seconds
    cpu: float  # user + system seconds of the build and its worker processes
    rss_kb: int  # peak resident set of the largest process (the build or a worker)
    read: int = 0  # documents read ("N added, M changed" in Sphinx's output)
    written: int = 0  # source documents whose HTML file this build wrote (by modification time)
    nav: str = "none"  # the navigation of an A/B pair (a key of PAIR_NAVS)


def sphinx_command(
    src: Path, out: Path, doctrees: Path, jobs: int = 1, profile: Path | None = None
) -> list[str]:
    command = [sys.executable]
    if profile is not None:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += ["-m", "sphinx", "-b", "html", "-d", str(doctrees), str(src), str(out)]
    if jobs > 1:
        command += ["-j", str(jobs)]
    return command


class Runner:
    """Runs builds in fresh subprocesses, logging each and measuring wall time, CPU and peak RSS."""

    def __init__(self, workdir: Path, verbose: bool = True, baseline_ext: Path | None = None) -> None:
        self.baseline_ext = baseline_ext
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.verbose = verbose
        self.runs: list[Run] = []

    def build(
        self,
        measure: str,
        side: str,
        round_: int,
        site: Path,
        jobs: int = 1,
        profile: Path | None = None,
        record: bool = True,
        nav: str = "none",
    ) -> Run:
        """Build *site* (``src/`` into ``out/`` and ``doctrees/``), keeping what a previous build left."""
        self.count += 1
        log_path = self.logs / f"{self.count:03d}-{measure}-{side}.log"
        command = sphinx_command(site / "src", site / "out", site / "doctrees", jobs, profile)
        env = None
        if side == "A0":  # the extension as found in --ext-baseline, first on the path
            assert self.baseline_ext is not None
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(self.baseline_ext), os.environ.get("PYTHONPATH")])
                ),
            }
        since_ns = time.time_ns()
        with open(log_path, "wb") as log:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=site, env=env)
            # wait4 gives this child's own rusage (with its waited-for workers), not a running total.
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise SystemExit(f"build failed ({command}), exit {process.returncode}; log {log_path}:\n{tail}")
        read = count_read(log_path.read_text(encoding="utf-8", errors="replace"))
        written = count_written(site, since_ns)
        run = Run(
            measure, side, round_, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, read, written, nav
        )
        if record:
            self.runs.append(run)
        if self.verbose:
            print(
                f"  [{measure:>9} {side:<18} {nav:<7} round {round_}] {wall:7.2f} s wall "
                f"{run.cpu:7.2f} s cpu {run.rss_kb / 1024:7.1f} MiB {read:5d} read {written:5d} written",
                file=sys.stderr,
                flush=True,
            )
        return run


_UPDATING = re.compile(r"^updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed", re.M)


def count_read(log: str) -> int:
    """Documents read, from Sphinx's status output."""
    match = _UPDATING.search(log)
    return int(match[1]) + int(match[2]) if match else 0


def count_written(site: Path, since_ns: int) -> int:
    """Source documents of *site* whose HTML page was written since *since_ns*.

    Read from the files, not the log: under ``-j`` Sphinx logs chunks, not documents.
    """
    src, out = site / "src", site / "out"
    written = 0
    for source in src.rglob("*.rst"):
        page = out / source.relative_to(src).with_suffix(".html")
        if page.is_file() and page.stat().st_mtime_ns >= since_ns:
            written += 1
    return written


# -- the sites ---------------------------------------------------------------------------


def write_conf(
    src: Path,
    *,
    extension: bool,
    store: Path | None,
    generate: bool,
    theme: str,
    sidebars: dict[str, list[str]] | None,
) -> None:
    """The same configuration on both sides; only the extension's lines differ."""
    lines = ['project = "Benchmark"', f"html_theme = {theme!r}"]
    if sidebars is not None:
        lines.append(f"html_sidebars = {sidebars!r}")
    if extension:
        lines.append('extensions = ["sphinx_codeexamples"]')
        lines.append(f"codeexamples_store = {str(store)!r}")
        if generate:
            lines.append("codeexamples_generate_pages = True")
    else:
        lines.append("extensions = []")
    (src / "conf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "index.rst").write_text(INDEX_RST, encoding="utf-8")


@dataclass
class SiteMaker:
    """Makes fresh site directories (``src/``, a store copy for A) from templates written once."""

    workdir: Path
    theme: str
    mode: str  # "generate" or "directive"
    count: int = 0
    edits: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # store -> (file, A text, B rst)
    templates: dict[tuple[str, str], Path] = field(default_factory=dict)

    def _template(self, side: str, store: Path, sidebars: dict[str, list[str]] | None, theme: str) -> Path:
        key = (side, f"{store}|{sidebars!r}|{theme}")
        if key in self.templates:
            return self.templates[key]
        template = self.workdir / "templates" / f"{side}-{len(self.templates)}"
        src = template / "src"
        src.mkdir(parents=True)
        if side == "A":
            shutil.copytree(store, template / "store")
            write_conf(
                src,
                extension=True,
                store=Path("..") / "store",
                generate=self.mode == "generate",
                theme=theme,
                sidebars=sidebars,
            )
            if self.mode == "directive":
                write_directive_pages([store], src / "examples")
        else:
            write_conf(src, extension=False, store=None, generate=False, theme=theme, sidebars=sidebars)
            write_handwritten([store], src / "examples")
        self.templates[key] = template
        return template

    def make(
        self,
        side: str,
        store: Path,
        sidebars: dict[str, list[str]] | None = None,
        theme: str | None = None,
    ) -> Path:
        """A fresh copy of the side's site: nothing built, nothing generated yet."""
        template = self._template("B" if side == "B" else "A", store, sidebars, theme or self.theme)
        self.count += 1
        site = self.workdir / "sites" / f"{self.count:03d}-{side}"
        shutil.copytree(template, site)
        return site

    def edit(self, side: str, site: Path, store: Path) -> None:
        """A: add words to one store page's first blurb; B: the same words in its reST page."""
        if str(store) not in self.edits:
            self.edits[str(store)] = plan_edit(store)
        filename, edited_store_text, edited_rst_path = self.edits[str(store)]
        if side != "B":
            target = site / "store" / filename
            target.write_text(edited_store_text, encoding="utf-8")
        else:
            scratch = self.workdir / "edit-scratch"
            shutil.rmtree(scratch, ignore_errors=True)
            (scratch / "store").mkdir(parents=True)
            (scratch / "store" / Path(filename).name).write_text(edited_store_text, encoding="utf-8")
            pages = write_handwritten([scratch / "store"], scratch / "examples")
            (relative,) = pages.values()
            target = site / "src" / "examples" / edited_rst_path
            target.write_text((scratch / "examples" / relative).read_text(encoding="utf-8"), encoding="utf-8")
        stamp = time.time() + 1  # never the mtime of the previous build, on any file system
        os.utime(target, (stamp, stamp))


def edit_text(text: str) -> str | None:
    """*text* with words added at the start of the first example's blurb, or None when it has none."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _HEADING.match(line):
            following = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
            if following is None or lines[following].lstrip().startswith(("[**", "```", "#")):
                return None
            lines[following] = EDIT_PREFIX + lines[following]
            return "\n".join(lines)
    return None


def plan_edit(store: Path) -> tuple[str, str, str]:
    """Which page to edit (one from the middle of the store): (file, edited text, its reST path)."""
    pages = store_pages([store])
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_handwritten([store], Path(scratch))
    names = sorted(pages)
    for dotted in names[len(names) // 2 :] + names[: len(names) // 2]:
        path = Path(pages[dotted].path)
        edited = edit_text(path.read_text(encoding="utf-8"))
        if edited is not None:
            return str(path.relative_to(store)), edited, paths[dotted]
    raise SystemExit(f"no page of {store} has a blurb to edit")


def make_scaled_store(store: Path, target: Path, factor: int) -> int:
    """*factor* copies of every page, copy N renaming the top-level package (``sqlalchemy_c3.orm``)."""
    target.mkdir(parents=True)
    count = 0
    for path in iter_page_files(str(store)):
        page, _ = read_page_file(path)
        text = Path(path).read_text(encoding="utf-8")
        relative = Path(path).relative_to(store)
        for copy in range(factor):
            renamed = text
            if copy and page is not None and page.callable is not None:
                renamed = rename_package(text, page.callable.module.split(".")[0], f"_c{copy}")
            out = target / f"c{copy}" / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(renamed, encoding="utf-8")
            count += 1
    return count


def rename_package(text: str, package: str, suffix: str) -> str:
    """Rename *package* in the front matter and the generated intro, where the reader finds the name."""
    word = re.compile(rf"(?<![\w.]){re.escape(package)}(?=[.\s`-]|$)")
    lines = text.split("\n")
    in_front = True
    for index, line in enumerate(lines):
        if in_front and not line.strip():
            in_front = False
        if (in_front and _KEY_LINE.match(line)) or (" module of the " in line and not line.startswith(" ")):
            lines[index] = word.sub(package + suffix, line)
        if _HEADING.match(line):
            break
    return "\n".join(lines)


def make_subset(store: Path, target: Path, pages: int) -> Path:
    target.mkdir(parents=True)
    for path in list(iter_page_files(str(store)))[:pages]:
        shutil.copy2(path, target / Path(path).name)
    return target


# -- measurements ------------------------------------------------------------------------


def compile_packages(packages: Sequence[Path]) -> bool:
    """Byte-compile the extension's package folders, as an installed package is.

    With ``PYTHONDONTWRITEBYTECODE`` set (or a source tree never imported with
    write access) every build would compile the extension's modules again, a cost
    that side B, whose Sphinx is installed and compiled, never pays.
    """
    return all(compileall.compile_dir(str(package), quiet=1) for package in packages)


def measure_pairs(
    runner: Runner,
    maker: SiteMaker,
    store: Path,
    pairs: int,
    wanted: set[str],
    sides: Sequence[str] = ("A", "B"),
    navs: Sequence[str] = ("none",),
) -> None:
    """Rounds of A B A B ... for each navigation of *navs*: the full serial build, then the no-change
    rebuild and the one-page edit on it; then the full ``-j 2`` build."""
    serial = wanted & {"full", "noop", "edit"}
    for round_ in range(1, pairs + 1):
        for nav in navs:
            sidebars = PAIR_NAVS[nav]
            if serial:
                for side in sides:
                    site = maker.make(side, store, sidebars)
                    runner.build("full", side, round_, site, record="full" in wanted, nav=nav)
                    if "noop" in wanted:
                        runner.build("noop", side, round_, site, nav=nav)
                    if "edit" in wanted:
                        maker.edit(side, site, store)
                        runner.build("edit", side, round_, site, nav=nav)
                    shutil.rmtree(site)
            if "parallel" in wanted:
                for side in sides:
                    site = maker.make(side, store, sidebars)
                    runner.build("parallel", side, round_, site, jobs=2, nav=nav)
                    shutil.rmtree(site)


def measure_scale(runner: Runner, maker: SiteMaker, store: Path, rounds: int) -> int:
    """The extension on the store and on a 10x synthetic store, alternately; and on an empty store."""
    scaled = maker.workdir / "store-x10"
    pages = make_scaled_store(store, scaled, SCALE)
    empty = maker.workdir / "store-empty"
    empty.mkdir()
    variants = (
        ("A-x1", store, None),
        ("A-x10", scaled, None),
        ("A-x1-navoff", store, NAV_OFF),
        ("A-x10-navoff", scaled, NAV_OFF),
        ("A-empty", empty, None),
    )
    for round_ in range(1, rounds + 1):
        for side, source, sidebars in variants:
            site = maker.make("A", source, sidebars=sidebars)
            runner.build("scale", side, round_, site)
            runner.build("scale-noop", side, round_, site)
            shutil.rmtree(site)
    return pages


def measure_nav(runner: Runner, maker: SiteMaker, store: Path, rounds: int) -> None:
    """The generated site with navigation off, alabaster's default sidebars, and furo."""
    for round_ in range(1, rounds + 1):
        for name, (theme, sidebars) in NAV_VARIANTS.items():
            site = maker.make("A", store, sidebars=sidebars, theme=theme)
            runner.build("nav", name, round_, site)
            shutil.rmtree(site)


def measure_profile(runner: Runner, maker: SiteMaker, store: Path, top: int) -> dict[str, object]:
    """cProfile of A's full build and no-change rebuild; our functions by cumulative time."""
    site = maker.make("A", store)
    found: dict[str, object] = {}
    for label in ("full", "noop"):
        profile = maker.workdir / f"profile-{label}.prof"
        runner.build("profile", f"A-{label}", 1, site, profile=profile, record=False)
        found[label] = summarise_profile(profile, top)
        found[label + "_file"] = str(profile)
    return found


def summarise_profile(path: Path, top: int) -> dict[str, object]:
    stats = pstats.Stats(str(path))
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())
    ours = []
    overall = []
    for (filename, line, function), (_, calls, own, cumulative, _) in table.items():
        where = f"{_short(filename)}:{line}({function})"
        row = {"function": where, "calls": calls, "own": own, "cumulative": cumulative}
        overall.append(row)
        if "sphinx_codeexamples" in filename:
            ours.append(row)
    ours.sort(key=lambda row: -float(row["cumulative"]))  # type: ignore[arg-type]
    overall.sort(key=lambda row: -float(row["own"]))  # type: ignore[arg-type]
    own_ours = sum(float(row["own"]) for row in ours)  # type: ignore[arg-type]
    return {"total": total, "ours_own": own_ours, "ours": ours[:top], "overall_own": overall[:top]}


def _short(filename: str) -> str:
    for marker in ("site-packages/", "sphinx_codeexamples/", "lib/python"):
        if marker in filename:
            tail = filename.partition(marker)[2]
            return (marker if marker == "sphinx_codeexamples/" else "") + tail
    return filename


# -- reporting ---------------------------------------------------------------------------


def median_of(
    runs: Sequence[Run], measure: str, side: str, nav: str | None = None
) -> dict[str, float] | None:
    """Medians of *side*'s runs of *measure* (of the pairs with navigation *nav*, when given)."""
    chosen = [run for run in runs if run.measure == measure and run.side == side and nav in (None, run.nav)]
    if not chosen:
        return None
    return {
        "wall": statistics.median(run.wall for run in chosen),
        "cpu": statistics.median(run.cpu for run in chosen),
        "rss_mib": statistics.median(run.rss_kb for run in chosen) / 1024,
        "max_cpu": max(run.cpu for run in chosen),
        "read": statistics.median(run.read for run in chosen),
        "written": statistics.median(run.written for run in chosen),
        "n": len(chosen),
    }


def _walls(runs: Sequence[Run], measure: str, side: str, nav: str) -> dict[int, float]:
    """Round -> wall time of *side*'s run of *measure* in the pairs with navigation *nav*."""
    return {run.round: run.wall for run in runs if (run.measure, run.side, run.nav) == (measure, side, nav)}


def round_speedups(runs: Sequence[Run], side: str, nav: str = "none") -> dict[int, float]:
    """Round -> that round's serial / ``-j 2`` wall time of *side*."""
    serial, parallel = _walls(runs, "full", side, nav), _walls(runs, "parallel", side, nav)
    return {r: serial[r] / parallel[r] for r in sorted(serial.keys() & parallel.keys())}


def parallel_speedup(runs: Sequence[Run], side: str, nav: str = "none") -> float | None:
    """What ``-j 2`` gains for *side*: the median over rounds of serial / ``-j 2`` wall time.

    Each round's serial and ``-j 2`` builds run minutes apart at most, so a ratio
    per round is less exposed to a machine slowing down than a ratio of medians.
    """
    found = round_speedups(runs, side, nav)
    return statistics.median(found.values()) if found else None


def pair_ratios(
    runs: Sequence[Run], measure: str, nav: str = "none", a: str = "A", b: str = "B"
) -> list[float]:
    """Per round, *a*'s wall time of *measure* over *b*'s (the two ran one after the other)."""
    walls_a, walls_b = _walls(runs, measure, a, nav), _walls(runs, measure, b, nav)
    return [walls_a[r] / walls_b[r] for r in sorted(walls_a.keys() & walls_b.keys()) if walls_b[r]]


def speedup_ratios(runs: Sequence[Run], nav: str = "none", a: str = "A", b: str = "B") -> list[float]:
    """Per round, *a*'s ``-j 2`` speed-up over *b*'s."""
    found_a, found_b = round_speedups(runs, a, nav), round_speedups(runs, b, nav)
    return [found_a[r] / found_b[r] for r in sorted(found_a.keys() & found_b.keys())]


def _spread(values: Sequence[float]) -> list[float] | None:
    """``[min, max]`` of *values*, or None when there are none."""
    return [min(values), max(values)] if values else None


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def summarise_pairs(runs: Sequence[Run], nav: str) -> dict[str, dict[str, object]]:
    """The A/B table of one navigation: medians, A/B ratios, the spread of the per-pair ratios."""
    summary: dict[str, dict[str, object]] = {}
    keys = ("wall", "cpu", "rss_mib")
    for measure in PAIR_MEASURES:
        a, b = median_of(runs, measure, "A", nav), median_of(runs, measure, "B", nav)
        if a and b:
            ratios = {key: _ratio(a[key], b[key]) for key in keys}
            summary[measure] = {"A": a, "B": b, "ratio": ratios}
            summary[measure]["spread"] = _spread(pair_ratios(runs, measure, nav))
            a0 = median_of(runs, measure, "A0", nav)
            if a0:
                summary[measure]["A0"] = a0
                summary[measure]["ratio_A0_B"] = {key: _ratio(a0[key], b[key]) for key in keys}
                summary[measure]["ratio_A_A0"] = {key: _ratio(a[key], a0[key]) for key in keys}
    speedup = {side: found for side in ("A0", "A", "B") if (found := parallel_speedup(runs, side, nav))}
    if "A" in speedup and "B" in speedup:
        summary["speedup"] = {
            **speedup,
            "ratio": _ratio(speedup["A"], speedup["B"]),
            "spread": _spread(speedup_ratios(runs, nav)),
            "spread_A": _spread(list(round_speedups(runs, "A", nav).values())),
            "spread_B": _spread(list(round_speedups(runs, "B", nav).values())),
        }
    return summary


def summarise(runs: Sequence[Run]) -> dict[str, dict[str, object]]:
    summary: dict[str, dict[str, object]] = {}
    pairs = {nav: found for nav in PAIR_NAVS if (found := summarise_pairs(runs, nav))}
    if pairs:
        summary["pairs"] = pairs  # type: ignore[assignment]
    one, ten, empty = (median_of(runs, "scale", side) for side in ("A-x1", "A-x10", "A-empty"))
    if one and ten and empty:
        noop_one, noop_ten = median_of(runs, "scale-noop", "A-x1"), median_of(runs, "scale-noop", "A-x10")
        summary["scale"] = {
            "x1": one,
            "x10": ten,
            "empty": empty,
            "time_growth": _ratio(ten["wall"], one["wall"]),
            "cpu_growth": _ratio(ten["cpu"], one["cpu"]),
            "rss_growth": _ratio(ten["rss_mib"], one["rss_mib"]),
            "rss_growth_above_empty": _ratio(
                ten["rss_mib"] - empty["rss_mib"], one["rss_mib"] - empty["rss_mib"]
            ),
            "noop_x1": noop_one,
            "noop_x10": noop_ten,
            "noop_growth": _ratio(noop_ten["wall"], noop_one["wall"]) if noop_one and noop_ten else None,
        }
        off_one, off_ten = median_of(runs, "scale", "A-x1-navoff"), median_of(runs, "scale", "A-x10-navoff")
        if off_one and off_ten:
            summary["scale"]["x1_navoff"] = off_one
            summary["scale"]["x10_navoff"] = off_ten
            summary["scale"]["time_growth_navoff"] = _ratio(off_ten["wall"], off_one["wall"])
            summary["scale"]["cpu_growth_navoff"] = _ratio(off_ten["cpu"], off_one["cpu"])
            summary["scale"]["rss_growth_navoff"] = _ratio(off_ten["rss_mib"], off_one["rss_mib"])
    nav = {name: median_of(runs, "nav", name) for name in NAV_VARIANTS}
    base = nav.get("alabaster-nav-off")
    if base and all(nav.values()):
        summary["nav"] = {
            name: {
                **figures,
                "ratio_wall": _ratio(figures["wall"], base["wall"]),
                "ratio_cpu": _ratio(figures["cpu"], base["cpu"]),
            }
            for name, figures in nav.items()
            if figures
        }
    return summary


PAIR_LABELS = {
    "full": "full build, serial",
    "parallel": "full build, -j 2",
    "noop": "no-change rebuild",
    "edit": "rebuild, one page edited",
}
NAV_TITLES = {
    "none": "no sidebars on either side (html_sidebars = {'**': []}): the pages alone",
    "default": "the theme's default sidebars on both sides (the extension's light navigation on its pages)",
}


def _range(spread: object, suffix: str = "") -> str:
    if not isinstance(spread, list):
        return ""
    low, high = spread
    return f"{low:.2f}-{high:.2f}{suffix}"


def format_pairs(pairs: dict[str, dict[str, object]], nav: str, number: int) -> list[str]:
    """One A/B table: medians of each side, the ratio of the medians and the range of per-pair ratios."""
    out = [f"Table {number}: {NAV_TITLES.get(nav, nav)}"]
    header = (
        f"{'measurement':<26}{'n':>3}{'A wall s':>10}{'B wall s':>10}{'A/B':>7}{'pairs A/B':>12}"
        f"{'A cpu s':>9}{'B cpu s':>9}{'A/B':>6}{'A MiB':>8}{'B MiB':>8}{'A/B':>6}"
        f"{'A read/wrote':>14}{'B read/wrote':>14}"
    )
    out.append(header)
    out.append("-" * len(header))
    for measure, label in PAIR_LABELS.items():
        row = pairs.get(measure)
        if not row:
            continue
        a, b, r = row["A"], row["B"], row["ratio"]
        assert isinstance(a, dict) and isinstance(b, dict) and isinstance(r, dict)
        out.append(
            f"{label:<26}{a['n']:>3}{a['wall']:>10.2f}{b['wall']:>10.2f}{r['wall']:>7.2f}"
            f"{_range(row.get('spread')):>12}"
            f"{a['cpu']:>9.2f}{b['cpu']:>9.2f}{r['cpu']:>6.2f}"
            f"{a['rss_mib']:>8.1f}{b['rss_mib']:>8.1f}{r['rss_mib']:>6.2f}"
            f"{_work(a):>14}{_work(b):>14}"
        )
    speedup = pairs.get("speedup")
    if speedup:
        out.append(
            f"{'-j 2 speed-up':<26}{'':>3}{speedup['A']:>9.2f}x{speedup['B']:>9.2f}x{speedup['ratio']:>7.2f}"
            f"{_range(speedup.get('spread')):>12}"
            f"   rounds: A {_range(speedup.get('spread_A'), 'x')}, B {_range(speedup.get('spread_B'), 'x')}"
        )
    if any(isinstance(row, dict) and "A0" in row for row in pairs.values()):
        out.append("")
        out.append("A0 = the extension from --ext-baseline, built in the same pairs (A0 A B ...)")
        head = f"{'measurement':<26}{'A0 wall':>10}{'A0/B':>7}{'A/A0':>7}{'A0 cpu':>10}{'A0/B':>7}{'A/A0':>7}"
        out.append(head)
        out.append("-" * len(head))
        for measure, label in PAIR_LABELS.items():
            row = pairs.get(measure)
            if not row or "A0" not in row:
                continue
            a0, r0, r1 = row["A0"], row["ratio_A0_B"], row["ratio_A_A0"]
            assert isinstance(a0, dict) and isinstance(r0, dict) and isinstance(r1, dict)
            out.append(
                f"{label:<26}{a0['wall']:>10.2f}{r0['wall']:>7.2f}{r1['wall']:>7.2f}"
                f"{a0['cpu']:>10.2f}{r0['cpu']:>7.2f}{r1['cpu']:>7.2f}"
            )
        if speedup and "A0" in speedup:
            out.append(f"{'-j 2 speed-up':<26}{speedup['A0']:>9.2f}x  (A: {speedup['A']:.2f}x)")
    return out


def format_table(summary: dict[str, dict[str, object]], meta: dict[str, object]) -> str:
    out: list[str] = []
    out.append(
        f"Store {meta['store']} ({meta['callables']} callables), mode {meta['mode']}, theme {meta['theme']}, "
        f"Sphinx {meta['sphinx']}, Python {meta['python']}, {meta['cpus']} CPUs"
    )
    out.append(f"Extension {meta.get('extension')} (byte-compiled: {meta.get('byte_compiled')})")
    out.append(
        "A = extension, B = hand-written reST; medians of n runs, A and B alternating; A/B = ratio of the "
        "medians, pairs A/B = lowest-highest ratio of one round's A and B (built one after the other)."
    )
    out.append(
        "-j 2 speed-up: median over rounds of serial / -j 2 wall time of each side; its A/B >= 1 means the "
        "extension gains at least as much from -j 2 as the hand-written site."
    )
    pairs = summary.get("pairs", {})
    for number, (nav, table) in enumerate(pairs.items(), start=1):
        assert isinstance(table, dict)
        out.append("")
        out.extend(format_pairs(table, nav, number))
    scale = summary.get("scale")
    if scale:
        one, ten, empty = scale["x1"], scale["x10"], scale["empty"]
        assert isinstance(one, dict) and isinstance(ten, dict) and isinstance(empty, dict)
        out.append("")
        out.append(
            f"Scale: extension, full serial build, x{SCALE} synthetic store "
            f"({meta.get('scaled_pages')} files)"
        )
        out.append(f"{'':<26}{'n':>3}{'wall s':>10}{'cpu s':>10}{'MiB':>9}{'read/wrote':>14}")
        rows = [("empty store", empty), ("x1", one), (f"x{SCALE}", ten)]
        for label, key in (("x1, no sidebars", "x1_navoff"), (f"x{SCALE}, no sidebars", "x10_navoff")):
            figures = scale.get(key)
            if isinstance(figures, dict):
                rows.append((label, figures))
        for label, figures in rows:
            out.append(
                f"{label:<26}{figures['n']:>3}{figures['wall']:>10.2f}{figures['cpu']:>10.2f}"
                f"{figures['rss_mib']:>9.1f}{_work(figures):>14}"
            )
        noop_one, noop_ten = scale.get("noop_x1"), scale.get("noop_x10")
        if isinstance(noop_one, dict) and isinstance(noop_ten, dict):
            for label, figures in (
                ("no-change rebuild x1", noop_one),
                (f"no-change rebuild x{SCALE}", noop_ten),
            ):
                out.append(
                    f"{label:<26}{figures['n']:>3}{figures['wall']:>10.2f}{figures['cpu']:>10.2f}"
                    f"{figures['rss_mib']:>9.1f}{_work(figures):>14}"
                    f"  (slowest: {figures['max_cpu']:.2f} s cpu)"
                )
        out.append(
            f"growth x{SCALE}/x1: time {scale['time_growth']:.2f}x "
            f"(cpu {scale['cpu_growth']:.2f}x; target <= 10.5), peak memory {scale['rss_growth']:.2f}x "
            f"(above an empty store {scale['rss_growth_above_empty']:.2f}x; target <= 10)"
            + (f", no-change rebuild {scale['noop_growth']:.2f}x" if scale.get("noop_growth") else "")
        )
        if scale.get("time_growth_navoff"):
            out.append(
                f"growth without sidebars: time {scale['time_growth_navoff']:.2f}x "
                f"(cpu {scale['cpu_growth_navoff']:.2f}x), peak memory {scale['rss_growth_navoff']:.2f}x"
            )
    nav = summary.get("nav")
    if nav:
        out.append("")
        out.append(
            "Theme navigation: extension site, full serial build; ratio against alabaster with no sidebars"
        )
        out.append(f"{'variant':<26}{'n':>3}{'wall s':>10}{'ratio':>7}{'cpu s':>10}{'ratio':>7}{'MiB':>9}")
        for name, figures in nav.items():
            assert isinstance(figures, dict)
            out.append(
                f"{name:<26}{figures['n']:>3}{figures['wall']:>10.2f}{figures['ratio_wall']:>7.2f}"
                f"{figures['cpu']:>10.2f}{figures['ratio_cpu']:>7.2f}{figures['rss_mib']:>9.1f}"
            )
        out.append("target: alabaster-default within 1.3x of alabaster-nav-off")
    return "\n".join(out)


def _work(figures: dict[str, float]) -> str:
    return f"{figures['read']:g}/{figures['written']:g}"


def format_profile(profile: dict[str, object]) -> str:
    out: list[str] = []
    for label in ("full", "noop"):
        found = profile.get(label)
        if not isinstance(found, dict):
            continue
        out.append("")
        out.append(
            f"Profile of A, {label} build ({profile.get(label + '_file')}): {found['total']:.2f} s profiled, "
            f"{found['ours_own']:.3f} s own time in sphinx_codeexamples"
        )
        out.append(f"  {'cumulative s':>12} {'own s':>8} {'calls':>8}  sphinx_codeexamples function")
        for row in found["ours"]:
            out.append(
                f"  {row['cumulative']:>12.3f} {row['own']:>8.3f} {row['calls']:>8}  {row['function']}"
            )
        out.append(f"  {'own s':>12} {'cum s':>8} {'calls':>8}  top functions overall by own time")
        for row in found["overall_own"]:
            out.append(
                f"  {row['own']:>12.3f} {row['cumulative']:>8.3f} {row['calls']:>8}  {row['function']}"
            )
    return "\n".join(out)


# -- main --------------------------------------------------------------------------------


def default_mode() -> str:
    return "generate" if "codeexamples_generate_pages" in CONFIG_VALUES else "directive"


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", type=Path, default=DEFAULT_STORE, help="store directory (default: %(default)s)"
    )
    parser.add_argument(
        "--pairs", type=int, default=3, help="A/B pairs and rounds of each measurement (default 3)"
    )
    parser.add_argument(
        "--theme", default="alabaster", help="HTML theme of the A/B builds (default alabaster)"
    )
    parser.add_argument(
        "--mode",
        choices=("generate", "directive"),
        default=None,
        help="A side: generated pages (the default when the extension has them) "
        "or one directive page per callable",
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_MEASURES),
        help=f"comma-separated measurements among {', '.join(MEASURES)} (default: all but profile)",
    )
    parser.add_argument(
        "--nav",
        default=",".join(PAIR_NAVS),
        help="navigations of the A/B pairs, each its own table, the first the headline: 'none' "
        "(html_sidebars = {'**': []} on both sides) and/or 'default' (the theme's sidebars); "
        "default: %(default)s",
    )
    parser.add_argument("--no-sidebars", action="store_true", help="the same as --nav none")
    parser.add_argument("--json", type=Path, help="write every run and the summary to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (sites, logs, profiles)")
    parser.add_argument("--workdir", type=Path, help="work directory (default: a new temporary one)")
    parser.add_argument("--quick", action="store_true", help=f"one pair on the first {QUICK_PAGES} pages")
    parser.add_argument(
        "--ext-baseline",
        type=Path,
        help="a directory holding another sphinx_codeexamples package (e.g. a copy from before a change): "
        "the pairs also build it as side A0, to measure a change against B in the same run",
    )
    parser.add_argument("--top", type=int, default=15, help="rows of each profile table (default 15)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = get_parser().parse_args(argv)
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = wanted - set(MEASURES)
    if unknown:
        raise SystemExit(
            f"unknown measurement(s): {', '.join(sorted(unknown))}; choose among {', '.join(MEASURES)}"
        )
    navs = ["none"] if args.no_sidebars else [name.strip() for name in args.nav.split(",") if name.strip()]
    if not navs or set(navs) - set(PAIR_NAVS):
        raise SystemExit(f"--nav takes a comma-separated list among {', '.join(PAIR_NAVS)}, not {args.nav!r}")
    store = args.store.resolve()
    if not store.is_dir():
        raise SystemExit(f"store directory {store} does not exist")
    mode = args.mode or default_mode()
    if mode == "generate" and "codeexamples_generate_pages" not in CONFIG_VALUES:
        raise SystemExit("this version of the extension cannot generate pages; use --mode directive")
    pairs = 1 if args.quick else args.pairs
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="codeexamples-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if args.quick:
        store = make_subset(store, workdir / "store-quick", QUICK_PAGES)
    baseline = args.ext_baseline.resolve() if args.ext_baseline else None
    package = Path(sphinx_codeexamples.__file__).parent
    compiled = compile_packages([package, baseline / "sphinx_codeexamples"] if baseline else [package])
    runner = Runner(workdir, baseline_ext=baseline)
    sides = ("A0", "A", "B") if args.ext_baseline else ("A", "B")
    maker = SiteMaker(workdir, args.theme, mode)
    meta: dict[str, object] = {
        "store": str(args.store),
        "callables": len(store_pages([store])),
        "mode": mode,
        "theme": args.theme,
        "navs": navs,
        "extension": str(package),
        "byte_compiled": compiled,
        "pairs": pairs,
        "sphinx": sphinx.__display_version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "workdir": str(workdir),
    }
    print(f"benchmark in {workdir} (mode {mode}, {pairs} pair(s))", file=sys.stderr)
    started = time.perf_counter()
    profile: dict[str, object] = {}
    try:
        measure_pairs(runner, maker, store, pairs, wanted, sides, navs)
        if "scale" in wanted:
            meta["scaled_pages"] = measure_scale(runner, maker, store, pairs)
        if "nav" in wanted:
            measure_nav(runner, maker, store, pairs)
        if "profile" in wanted:
            profile = measure_profile(runner, maker, store, args.top)
    finally:
        meta["load_after"] = os.getloadavg()
        meta["seconds"] = time.perf_counter() - started
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    summary = summarise(runner.runs)
    print(format_table(summary, meta))
    if profile:
        print(format_profile(profile))
    print(
        f"\n{len(runner.runs)} timed builds in {meta['seconds']:.0f} s; load average before "
        f"{_load(meta['load_before'])}, after {_load(meta['load_after'])}"
        + (f"; kept {workdir}" if args.keep else "")
    )
    if args.json:
        data = {
            "meta": meta,
            "summary": summary,
            "profile": profile,
            "runs": [asdict(run) for run in runner.runs],
        }
        args.json.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


def _load(value: object) -> str:
    return " ".join(f"{number:.1f}" for number in value) if isinstance(value, tuple) else str(value)


if __name__ == "__main__":
    sys.exit(main())
