"""Reproducible output: two clean builds, and -j 1 against -j 2, give byte-identical HTML.

Store files are created in a different shuffled order for each build, so that
directory order differs from name order; only what the sources say may decide
the output.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_codeexamples.store import scan_store

ROOTS = Path(__file__).parent / "roots"
MakeApp = Callable[..., SphinxTestApp]


def copy_root(name: str, target: Path, seed: int) -> Path:
    """Copy a test root, creating its store files in a seeded random order."""
    shutil.copytree(ROOTS / name, target, ignore=shutil.ignore_patterns("store"))
    store = ROOTS / name / "store"
    files = sorted(store.iterdir())
    random.Random(seed).shuffle(files)
    (target / "store").mkdir()
    for path in files:
        shutil.copy2(path, target / "store" / path.name)
    return target


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


def build(make_app: MakeApp, srcdir: Path, parallel: int) -> dict[str, bytes]:
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    return html_files(Path(app.outdir))


@pytest.mark.parametrize("root", ["test-hostile", "test-basic"])
def test_two_clean_builds_and_parallel_builds_are_identical(
    make_app: MakeApp, tmp_path: Path, root: str
) -> None:
    first = build(make_app, copy_root(root, tmp_path / "first", seed=1), parallel=1)
    second = build(make_app, copy_root(root, tmp_path / "second", seed=2), parallel=1)
    parallel = build(make_app, copy_root(root, tmp_path / "parallel", seed=3), parallel=2)
    assert first and sorted(first) == sorted(second) == sorted(parallel)
    # The outdirs differ in name only; the srcdir name never appears in the HTML.
    assert [name for name in first if first[name] != second[name]] == []
    assert [name for name in first if first[name] != parallel[name]] == []


def test_store_order_does_not_depend_on_creation_order(tmp_path: Path) -> None:
    one = copy_root("test-basic", tmp_path / "one", seed=1)
    two = copy_root("test-basic", tmp_path / "two", seed=99)
    names = [
        [Path(entry.path).name for entry in scan_store([str(root / "store")]).entries] for root in (one, two)
    ]
    assert names[0] == names[1] == sorted(names[0])
