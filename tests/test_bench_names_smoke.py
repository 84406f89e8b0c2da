"""The names_in benchmark's check: the same names from a copy, a difference caught (no timing)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from test_bench_smoke import STORE, benchmark_module

import sphinx_codeexamples


@pytest.fixture
def bench_names() -> Iterator[ModuleType]:
    yield from benchmark_module("bench_names")
    for name in [name for name in sys.modules if name.startswith("baseline_sphinx_codeexamples")]:
        del sys.modules[name]


def test_a_copy_of_the_package_finds_the_same_names(
    bench_names: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    package = Path(sphinx_codeexamples.__file__).parent
    assert bench_names.main(["--check", "--baseline", str(package), str(STORE)]) == 0
    assert "same names" in capsys.readouterr().out


def test_a_difference_is_reported(bench_names: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    found = bench_names.examples([STORE])
    assert bench_names.check(lambda *args: [], found) == 1
    assert "only now:" in capsys.readouterr().out
