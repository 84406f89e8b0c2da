"""Shared fixtures: Sphinx's testing fixtures, test roots, and the optional shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

ROOTS = Path(__file__).parent / "roots"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Turn every ``RemovedInSphinxNNWarning`` of the installed Sphinx into an error."""
    import sphinx.deprecation

    for name in dir(sphinx.deprecation):
        if name.startswith("RemovedInSphinx") and name.endswith("Warning"):
            config.addinivalue_line("filterwarnings", f"error::sphinx.deprecation.{name}")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests using it skip cleanly when it is absent."""
    if not (SHARED / "FORMAT.md").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(autouse=True)
def _user_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``extract``'s default cache folder lies in a temporary folder, never in ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
