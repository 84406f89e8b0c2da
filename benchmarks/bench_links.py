"""Build cost of linked names: the same site with ``codeexamples_link_names`` on and off.

Run from the repository root::

    python benchmarks/bench_links.py                 # 5 alternated pairs on the shared corpus
    python benchmarks/bench_links.py --pairs 1 --pages 20    # a smoke run

The site is the store's generated pages (``codeexamples_generate_pages = True``)
plus one API page documenting every callable of the store with ``py:function``,
so that names resolve and the linking formatter runs. Each build is a fresh
``python -m sphinx -E`` subprocess (full read and write); "on" and "off"
alternate, the order flipping every pair. Printed for wall-clock time and for
CPU time (user + system of the build process): each side's runs, their medians
and the ratio of the medians. On a loaded, shared machine wall-clock times
spread widely; CPU time is the steadier figure there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sphinx_codeexamples.store import iter_page_files, read_page_file

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORE = REPO.parent / "shared" / "corpus" / "fsp-sqlalchemy"

CONF = """\
extensions = ["sphinx_codeexamples"]
codeexamples_store = {store!r}
codeexamples_generate_pages = True
html_theme = "alabaster"
"""
INDEX = """\
Benchmark
=========

.. toctree::

   api
   examples/index
"""


def make_site(store: Path, pages: int | None, where: Path) -> Path:
    """A source folder for *store* (its first *pages* pages) with an API page of its callables."""
    store_copy = where / "store"
    store_copy.mkdir(parents=True)
    files = sorted(iter_page_files(str(store)))
    if pages is not None:
        files = files[:pages]
    names = []
    for path in files:
        shutil.copy(path, store_copy / Path(path).name)
        page, _ = read_page_file(path)
        if page is not None and page.callable is not None:
            names.append(page.dotted)
    src = where / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(store=str(store_copy)), encoding="utf-8")
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    api = ["API", "===", ""]
    for name in sorted(set(names)):
        api += [f".. py:function:: {name}(*args, **kwargs)", "", "   Documented for the benchmark.", ""]
    (src / "api.rst").write_text("\n".join(api), encoding="utf-8")
    return src


def build(src: Path, out: Path, link_names: bool) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one full build in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html"]
    command += ["-D", f"codeexamples_link_names={int(link_names)}", str(src), str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def count_links(out: Path) -> int:
    return sum(path.read_text("utf-8").count('class="codeexamples-name"') for path in out.rglob("*.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=None, help="only the first N store pages")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.store.is_dir():
        parser.error(f"{args.store} is not a directory")
    with tempfile.TemporaryDirectory(prefix="bench-links-") as temp:
        where = Path(temp)
        src = make_site(args.store, args.pages, where)
        runs: dict[str, dict[bool, list[float]]] = {
            "wall": {True: [], False: []},
            "cpu": {True: [], False: []},
        }
        links = 0
        for pair in range(args.pairs):
            order = (True, False) if pair % 2 == 0 else (False, True)
            for link_names in order:
                out = where / ("on" if link_names else "off")
                wall, cpu = build(src, out, link_names)
                runs["wall"][link_names].append(wall)
                runs["cpu"][link_names].append(cpu)
                if link_names:
                    links = count_links(out)
        figures: dict[str, object] = {"pairs": args.pairs, "links_written": links}
        for kind, times in runs.items():
            on, off = statistics.median(times[True]), statistics.median(times[False])
            figures[kind] = {
                "on_median_s": round(on, 3),
                "off_median_s": round(off, 3),
                "ratio_on_off": round(on / off, 4),
                "on_runs_s": [round(value, 3) for value in times[True]],
                "off_runs_s": [round(value, 3) for value in times[False]],
            }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
