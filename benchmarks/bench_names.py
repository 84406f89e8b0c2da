"""Speed of ``names_in`` (the names of an example's code that link) against a copy from before a change.

``names_in`` runs once per example while Sphinx reads (``codeexamples_link_names``).
Keep a copy of the package from before a change, then, from the repository root::

    git archive main sphinx_codeexamples | tar -x -C /tmp/names-base
    python benchmarks/bench_names.py --baseline /tmp/names-base/sphinx_codeexamples
    python benchmarks/bench_names.py --baseline /tmp/names-base/sphinx_codeexamples --check STORE...

The stores default to the shared 160-page corpus and ``docs/store``. Both
versions run over every example of the stores in one process, alternated
(example by example, the order flipping every round), ``--rounds`` times; printed are each round's CPU
times (``time.process_time``), the medians and the ratio of the medians, and the
spread of the per-round ratios. The machine may be busy: CPU time is the steadier
figure there, and a ratio within one round survives drift best.

``--check`` times nothing: it asserts that both versions give the same names for
every example, with no module given (as the Sphinx extension calls it) and as
code of a module and of a package named after the page's callable (which
resolves relative imports), and exits non-zero on the first difference.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sphinx_codeexamples.extract.names import names_in
from sphinx_codeexamples.store import iter_page_files, read_page_file

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORES = (REPO.parent / "shared" / "corpus" / "fsp-sqlalchemy", REPO / "docs" / "store")

#: One call: the hunks' texts, the module and whether it is a package.
Call = tuple[tuple[str, ...], str | None, bool]
NamesIn = Callable[..., Sequence[Any]]


def load_baseline(package: Path) -> NamesIn:
    """``names_in`` of the ``sphinx_codeexamples`` package copied at *package*, under another name."""
    name = "baseline_sphinx_codeexamples"
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"no package at {package}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    names: ModuleType = importlib.import_module(f"{name}.extract.names")
    function: NamesIn = names.names_in
    return function


def examples(stores: Sequence[Path]) -> list[tuple[tuple[str, ...], str]]:
    """Every example of the stores: its hunks' texts, and its page's dotted name (or "")."""
    found: list[tuple[tuple[str, ...], str]] = []
    for store in stores:
        for path in iter_page_files(str(store)):
            page, _ = read_page_file(path)
            if page is None:
                continue
            dotted = page.dotted if page.callable is not None else ""
            found.extend((tuple(hunk.text for hunk in example.hunks), dotted) for example in page.examples)
    return found


def fields(uses: Sequence[Any]) -> list[tuple[object, ...]]:
    return [(use.hunk, use.line, use.column, use.end, use.text, use.dotted) for use in uses]


def check(baseline: NamesIn, found: list[tuple[tuple[str, ...], str]]) -> int:
    calls: list[Call] = []
    for hunks, dotted in found:
        calls.append((hunks, None, False))
        if dotted:
            calls.extend([(hunks, dotted.rpartition(".")[0] or dotted, False), (hunks, dotted, True)])
    for hunks, module, is_package in calls:
        old = fields(baseline(hunks, module, is_package))
        new = fields(names_in(hunks, module, is_package))
        if old != new:
            print(f"DIFFERENT for module={module!r} is_package={is_package}:\n{hunks!r}")
            print("only before:", sorted(set(old) - set(new)))
            print("only now:", sorted(set(new) - set(old)))
            return 1
    print(f"same names: {len(calls)} calls over {len(found)} examples")
    return 0


def timed_round(
    baseline: NamesIn, found: list[tuple[tuple[str, ...], str]], flip: bool
) -> tuple[float, float]:
    """CPU seconds of each version over every example, the versions alternating example by example."""
    clock = time.process_time
    totals = [0.0, 0.0]
    order = [(0, baseline), (1, names_in)]
    if flip:
        order.reverse()
    for hunks, _ in found:
        for side, function in order:
            start = clock()
            function(hunks)
            totals[side] += clock() - start
    return totals[0], totals[1]


def bench(baseline: NamesIn, found: list[tuple[tuple[str, ...], str]], rounds: int) -> None:
    timed_round(baseline, found, False)  # warm up both
    before: list[float] = []
    now: list[float] = []
    for index in range(rounds):
        old, new = timed_round(baseline, found, flip=index % 2 == 1)
        before.append(old)
        now.append(new)
    ratios = sorted(old / new for old, new in zip(before, now, strict=True))
    print(f"{len(found)} examples, {rounds} rounds, CPU seconds per round")
    print("before:", " ".join(f"{value:.3f}" for value in before))
    print("now:   ", " ".join(f"{value:.3f}" for value in now))
    median_before, median_now = statistics.median(before), statistics.median(now)
    ratio = median_before / median_now
    print(f"median before {median_before:.3f} s, now {median_now:.3f} s: {ratio:.2f}x faster")
    print(f"per-round ratios {ratios[0]:.2f}x to {ratios[-1]:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "stores", nargs="*", type=Path, help="store directories (default: corpus, docs/store)"
    )
    parser.add_argument("--baseline", type=Path, required=True, help="a copy of the package before a change")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="compare the names found, time nothing")
    args = parser.parse_args(argv)
    stores = args.stores or [store for store in DEFAULT_STORES if store.is_dir()]
    baseline = load_baseline(args.baseline.resolve())
    found = examples(stores)
    if args.check:
        return check(baseline, found)
    for store in stores:
        print(store)
        bench(baseline, examples([store]), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
