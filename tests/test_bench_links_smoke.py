"""The linked-names benchmark's site builds, with links on and none off (no timing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sphinx.testing.util import SphinxTestApp
from test_bench_smoke import STORE, benchmark_module


@pytest.fixture
def bench_links() -> Iterator[ModuleType]:
    yield from benchmark_module("bench_links")


@pytest.mark.parametrize("link_names", [True, False])
def test_benchmark_site_builds(bench_links: ModuleType, tmp_path: Path, link_names: bool) -> None:
    src = bench_links.make_site(STORE, None, tmp_path)
    assert "py:function:: json.dumps" in (src / "api.rst").read_text("utf-8")
    app = SphinxTestApp(
        "html", srcdir=src, confoverrides={"codeexamples_link_names": link_names}, status=None, freshenv=True
    )
    try:
        app.build()
    finally:
        app.cleanup()
    links = bench_links.count_links(Path(app.outdir))
    assert (links > 0) is link_names
