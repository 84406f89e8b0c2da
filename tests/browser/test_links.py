"""Linked names in example code: visible, readable and clickable in marked lines, in every theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import THEMES, Theme
from .test_pages import COLOUR_JS, on_screen, open_page

pytestmark = pytest.mark.browser

CASES = [
    pytest.param(theme, mode, id=f"{theme.name}-{mode}") for theme in THEMES.values() for mode in theme.modes
]
MARKED_LINK = ".codeexamples-code span.hll a.codeexamples-name"
LOOK_JS = (
    "(el) => {"
    + COLOUR_JS
    + """
  const style = getComputedStyle(el);
  const bg = background(el);
  const token = getComputedStyle(el.parentElement).color;
  return {
    contrast: contrast(over(rgba(style.color), bg), bg),
    sameColourAsToken: distance(rgba(style.color), rgba(token)) < 1,
    underline: style.textDecorationLine.includes('underline'),
    cursor: style.cursor,
  };
}"""
)


@pytest.mark.parametrize(("theme", "mode"), CASES)
def test_link_in_a_marked_line(chromium: Any, build_site: Any, screenshots: Path, theme: Theme, mode: str):
    site = build_site(theme)
    page = open_page(chromium, site, theme, mode, "desktop", "json-dumps.html")
    try:
        links = page.locator(MARKED_LINK)
        assert links.count() >= 3, "no linked names in the marked lines"
        link = links.first
        assert link.text_content() == "dumps"
        assert on_screen(link, "desktop"), "the link is hidden or covered"
        look = link.evaluate(LOOK_JS)
        assert look["contrast"] >= 3.0, look  # readable on the marked band
        assert look["sameColourAsToken"], look  # keeps its syntax colour
        assert look["underline"], look  # and says it is a link
        assert look["cursor"] == "pointer", look
        line = link.locator("xpath=ancestor::span[contains(@class, 'hll')]")
        line.screenshot(path=str(screenshots / f"{theme.name}-{mode}-linked-name.png"))
        link.click(timeout=5000)
        page.wait_for_load_state("load")
        assert page.url.endswith("json-loads.html#json.dumps"), page.url
        assert page.locator("[id='json.dumps']").is_visible()
    finally:
        page.context.close()
