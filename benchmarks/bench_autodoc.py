"""The cost of examples in API entries: an autodoc site with and without ``codeexamples_autodoc``.

Run from the repository root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_autodoc.py             # 5 rounds
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_autodoc.py --quick     # 1 small round

It writes a synthetic package (``--modules`` modules, each with ``--functions``
functions and ``--classes`` classes of ``--methods`` methods, every docstring with
a field list), one page per module with ``automodule :members:``, and a store
with a page for every other callable (``--examples`` examples each; half the
pages are filed under a public re-export and list the defining path as an alias,
so the alias lookup is exercised). Three sides build the same site:

* ``inject``: ``codeexamples_autodoc = True``;
* ``off``: the extension with the same store, ``codeexamples_autodoc = False``;
* ``bare``: no sphinx-codeexamples at all (autodoc only).

Every build is a fresh ``python -m sphinx -E`` subprocess into fresh output
folders; the sides alternate (the order reverses every round) and each figure is
the median of its rounds, with the spread (min-max) beside it, and the ratio
taken between medians of this run. Wall-clock figures on a shared machine are
noisy: read the spread before the ratio.
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
from collections.abc import Sequence
from pathlib import Path

SIDES = ("inject", "off", "bare")
PACKAGE = "benchpkg"


def function_source(name: str) -> str:
    return f'''

def {name}(value, scale=1, *, strict=False):
    """Return *value* scaled, the way {name} does it.

    :param value: what to scale.
    :param scale: the factor.
    :param strict: refuse negative values.
    :returns: the scaled value.
    """
    if strict and value < 0:
        raise ValueError(value)
    return value * scale
'''


def class_source(name: str, methods: int) -> str:
    body = [
        f'''

class {name}:
    """A thing called {name}.

    :param size: its size.
    """

    def __init__(self, size):
        self.size = size
''',
    ]
    for number in range(methods):
        body.append(f'''
    def method_{number}(self, amount):
        """Change the size by *amount*.

        :param amount: how much.
        :returns: the new size.
        """
        self.size += amount
        return self.size
''')
    return "".join(body)


def make_package(root: Path, modules: int, functions: int, classes: int, methods: int) -> list[str]:
    """Write the package; return every callable's defining dotted name."""
    package = root / PACKAGE
    package.mkdir(parents=True)
    names: list[str] = []
    exports: list[str] = []
    for module_number in range(modules):
        module = f"mod{module_number}"
        parts = [f'"""Module {module}."""\n']
        for number in range(functions):
            name = f"func_{module_number}_{number}"
            parts.append(function_source(name))
            names.append(f"{PACKAGE}.{module}.{name}")
            exports.append(f"from .{module} import {name}")
        for number in range(classes):
            name = f"Thing{module_number}x{number}"
            parts.append(class_source(name, methods))
            names.append(f"{PACKAGE}.{module}.{name}")
            exports.append(f"from .{module} import {name}")
            names.extend(f"{PACKAGE}.{module}.{name}.method_{m}" for m in range(methods))
        (package / f"{module}.py").write_text("".join(parts), encoding="utf-8")
    (package / "__init__.py").write_text("\n".join(exports) + "\n", encoding="utf-8")
    return names


def store_page(dotted: str, alias: str | None, examples: int) -> str:
    module, _, name = dotted.rpartition(".")
    lines = [
        f"title: {module} {name} Example Code",
        "category: page",
        f"slug: {dotted.lower().replace('.', '-').replace('_', '-')}-examples",
        "sortorder: 500000001",
        "toc: False",
        f"sidebartitle: {module} {name}",
        f"meta: Python example code for the {name} callable from the {module} module.",
    ]
    if alias:
        lines.append(f"aliases: {alias}")
    lines += ["", "", f"`{name}` is a callable within the `{module}` module of the benchpkg project.", ""]
    for number in range(1, examples + 1):
        project = f"project{number % 3}"
        body = [f"def use_{number}(data):", "    total = 0", "    for item in data:"]
        body += [f"        total += item * {k}" for k in range(number + 3)]
        body += [f"~~    result = {name}(total)", "    return result"]
        lines += [
            f"## Example {number} from {project}",
            f"[{project}](https://github.com/example/{project}) uses benchpkg.",
            "",
            f"[**{project} / {project} / use{number}.py**](https://github.com/example/{project}/blob/main/use{number}.py)",
            "",
            "```python linestart=10",
            *body,
            "```",
            "",
            "",
        ]
    return "\n".join(lines)


def make_store(store: Path, names: Sequence[str], examples: int) -> int:
    """A page for every other callable; every other page is filed under the public re-export."""
    store.mkdir(parents=True)
    written = 0
    for position, dotted in enumerate(names):
        if position % 2:
            continue
        module, _, name = dotted.rpartition(".")
        public = f"{PACKAGE}.{name}" if module.count(".") == 1 and written % 2 else None
        filed, alias = (public, dotted) if public else (dotted, None)
        (store / f"{filed.replace('.', '-')}.md").write_text(
            store_page(filed, alias, examples), encoding="utf-8"
        )
        written += 1
    return written


def make_site(root: Path, modules: int, side: str, more: int | None = None) -> Path:
    site = root / f"site-{side}"
    site.mkdir()
    pages = [f"mod{number}" for number in range(modules)]
    toctree = "\n".join(f"   {page}" for page in pages)
    (site / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toctree}\n", encoding="utf-8")
    for page in pages:
        title = f"{PACKAGE}.{page}"
        text = f"{title}\n{'=' * len(title)}\n\n.. automodule:: {title}\n   :members:\n"
        (site / f"{page}.rst").write_text(text, encoding="utf-8")
    extensions = ["sphinx.ext.autodoc"] + ([] if side == "bare" else ["sphinx_codeexamples"])
    conf = [
        "import sys",
        f"sys.path.insert(0, {str(root)!r})",
        f"extensions = {extensions!r}",
        "html_theme = 'alabaster'",
        "html_sidebars = {'**': []}",
    ]
    if side != "bare":
        conf += [
            f"codeexamples_store = {str(root / 'store')!r}",
            f"codeexamples_autodoc = {side == 'inject'}",
        ]
        if more is not None:
            conf.append(f"codeexamples_autodoc_more = {more}")
    (site / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    return site


def build_once(site: Path, scratch: Path, parallel: int) -> tuple[float, float, int]:
    """Wall and CPU (user + system of the build's processes) seconds of one fresh build, and
    the bytes of HTML it wrote."""
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", "-j", str(parallel or 1)]
    command += ["-d", str(out / "doctrees"), str(site), str(out / "html")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    size = sum(path.stat().st_size for path in (out / "html").glob("*.html"))
    return seconds, cpu, size


def summarise(
    walls: dict[str, list[float]], cpus: dict[str, list[float]], sizes: dict[str, int]
) -> dict[str, dict[str, float]]:
    """Per side: median, min and max of wall and CPU seconds, HTML bytes; inject's ratios to the others."""
    result: dict[str, dict[str, float]] = {}
    for side in walls:
        row: dict[str, float] = {"html_bytes": sizes[side]}
        for label, values in (("wall", walls[side]), ("cpu", cpus[side])):
            row[f"{label}_median"] = round(statistics.median(values), 3)
            row[f"{label}_min"] = round(min(values), 3)
            row[f"{label}_max"] = round(max(values), 3)
        result[side] = row
    for other in ("off", "bare"):
        if "inject" in result and other in result:
            for label in ("wall", "cpu"):
                ratio = result["inject"][f"{label}_median"] / result[other][f"{label}_median"]
                result["inject"][f"{label}_ratio_to_{other}"] = round(ratio, 3)
    return result


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--functions", type=int, default=10)
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--methods", type=int, default=5)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument(
        "--more", type=int, default=None, help="codeexamples_autodoc_more (default: the extension's)"
    )
    parser.add_argument("-j", "--parallel", type=int, default=0, help="Sphinx's -j (default: serial)")
    parser.add_argument("--quick", action="store_true", help="1 round on 3 modules: a smoke run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = get_parser().parse_args(argv)
    if args.quick:
        args.rounds, args.modules = 1, 3
    with tempfile.TemporaryDirectory(prefix="bench-autodoc-") as temporary:
        root = Path(temporary)
        names = make_package(root, args.modules, args.functions, args.classes, args.methods)
        pages = make_store(root / "store", names, args.examples)
        sites = {side: make_site(root, args.modules, side, args.more) for side in SIDES}
        walls: dict[str, list[float]] = {side: [] for side in SIDES}
        cpus: dict[str, list[float]] = {side: [] for side in SIDES}
        sizes: dict[str, int] = {}
        for round_number in range(args.rounds):
            order = SIDES if round_number % 2 == 0 else tuple(reversed(SIDES))
            for side in order:
                wall, cpu, size = build_once(sites[side], root / f"scratch-{side}", args.parallel)
                walls[side].append(wall)
                cpus[side].append(cpu)
                sizes[side] = size
        figures = summarise(walls, cpus, sizes)
    meta = {"callables": len(names), "store_pages": pages, "rounds": args.rounds, "parallel": args.parallel}
    meta["more"] = args.more
    if args.json:
        print(json.dumps({"meta": meta, "figures": figures}, indent=1))
        return 0
    print(f"{meta['callables']} documented callables, {pages} store pages, ", end="")
    print(f"{args.rounds} rounds, -j {args.parallel or 1}")
    header = ("side", "wall median", "(min-max)", "cpu median", "(min-max)", "HTML KB")
    print("{:<7} {:>11} {:>13} {:>10} {:>13} {:>8}".format(*header))
    for side, row in figures.items():
        print(
            f"{side:<7} {row['wall_median']:>11.2f} ({row['wall_min']:5.2f}-{row['wall_max']:5.2f}) "
            f"{row['cpu_median']:>10.2f} ({row['cpu_min']:5.2f}-{row['cpu_max']:5.2f}) "
            f"{row['html_bytes'] / 1024:>8.0f}"
        )
    for key, value in figures["inject"].items():
        if "_ratio_to_" in key:
            print(f"inject {key.replace('_', ' ')}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
