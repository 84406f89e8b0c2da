"""Browser tests: build ``test-browser`` once per theme, open it in headless Chromium.

Everything here skips cleanly when Playwright, the ``chromium`` binary or a theme
is missing. Screenshots go to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "tests" / "roots" / "test-browser"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
RELATED_TEMPLATE = REPO / "sphinx_codeexamples" / "templates" / "codeexamples" / "related.html"
CHROMIUM = Path(os.environ.get("CODEEXAMPLES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Theme:
    name: str
    module: str
    # Dark modes worth checking: "media" emulates prefers-color-scheme: dark (furo's
    # auto mode, pydata's auto mode; a no-op for themes without a dark mode),
    # "attribute" sets the theme's own data-theme switch.
    modes: tuple[str, ...]
    sidebars: tuple[str, ...] = ()

    def html_sidebars(self) -> dict[str, list[str]] | None:
        if not self.sidebars:
            return None
        return {"**": [*self.sidebars, "codeexamples/related.html"]}


THEMES = {
    "alabaster": Theme(
        "alabaster",
        "alabaster",
        ("light", "media"),
        ("about.html", "navigation.html", "searchbox.html"),
    ),
    "sphinx_rtd_theme": Theme("sphinx_rtd_theme", "sphinx_rtd_theme", ("light", "media")),
    "furo": Theme(
        "furo",
        "furo",
        ("light", "media", "attribute"),
        (
            "sidebar/scroll-start.html",
            "sidebar/brand.html",
            "sidebar/search.html",
            "sidebar/navigation.html",
        ),
    ),
    "pydata_sphinx_theme": Theme(
        "pydata_sphinx_theme",
        "pydata_sphinx_theme",
        ("light", "media", "attribute"),
        ("sidebar-nav-bs.html",),
    ),
}


def related_feature() -> bool:
    """The related-callables list and sidebar have landed (their template exists)."""
    return RELATED_TEMPLATE.is_file()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright, or a clean skip."""
    try:
        from playwright import sync_api
    except ImportError as error:  # missing, or installed but broken (greenlet)
        pytest.skip(f"playwright is not usable: {error}")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class SiteBuilder:
    """Builds the test root once per theme per session."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.built: dict[str, Path] = {}
        # Per theme: the related-callables sidebar is wired into the extension.
        self.related: dict[str, bool] = {}

    def __call__(self, theme: Theme) -> Path:
        if theme.name not in self.built:
            pytest.importorskip(theme.module, reason=f"theme {theme.name} is not installed")
            from sphinx.testing.util import SphinxTestApp

            srcdir = self.base / theme.name
            shutil.copytree(ROOT, srcdir, dirs_exist_ok=True)
            overrides: dict[str, Any] = {"html_theme": theme.name}
            if related_feature():
                # Findable even before the extension adds its templates folder itself.
                overrides["templates_path"] = [str(RELATED_TEMPLATE.parents[1])]
                sidebars = theme.html_sidebars()
                if sidebars:
                    overrides["html_sidebars"] = sidebars
            warnings = io.StringIO()
            # SphinxTestApp restores docutils' directive and role registries on cleanup,
            # so the four builds of one session do not see each other.
            app = SphinxTestApp(
                "html", srcdir=srcdir, confoverrides=overrides, status=None, warning=warnings, freshenv=True
            )
            try:
                self.related[theme.name] = related_feature() and any(
                    getattr(listener.handler, "__module__", "") == "sphinx_codeexamples.ext.sidebar"
                    for listener in app.events.listeners.get("html-page-context", [])
                )
                app.build()
            finally:
                app.cleanup()
            outdir = Path(app.outdir)
            own = [line for line in warnings.getvalue().splitlines() if "codeexamples" in line]
            assert not own, "\n".join(own)
            self.built[theme.name] = outdir
        return self.built[theme.name]


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuilder:
    return SiteBuilder(tmp_path_factory.mktemp("browser-sites"))


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
