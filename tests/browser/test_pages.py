"""The pages people see: example pages in four themes, light and dark, desktop and phone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import DESKTOP, PHONE, REPO, THEMES, Theme

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
CASES = [
    pytest.param(theme, mode, width, id=f"{theme.name}-{mode}-{width}")
    for theme in THEMES.values()
    for mode in theme.modes
    for width in WIDTHS
]
# Highlighted lines in json-dumps.markdown of the test root.
MARKED_LINES = 7

# Shared JavaScript: colours resolved through a canvas (any CSS colour syntax),
# composited over their ancestors, so "different" means different on screen.
COLOUR_JS = """
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 1;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
function rgba(css) {
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = 'rgba(0, 0, 0, 0)';
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}
function over(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function background(el) {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    layers.push(rgba(getComputedStyle(node).backgroundColor));
  }
  let colour = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
function distance(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
"""

HIGHLIGHT_JS = (
    "() => {"
    + COLOUR_JS
    + """
  return Array.from(document.querySelectorAll('.codeexamples-code .hll')).map(hll => {
    const pre = hll.closest('pre');
    const normal = background(pre);
    const marked = background(hll);
    const tokens = Array.from(hll.querySelectorAll('span:not(.linenos)'))
      .filter(span => span.textContent.trim())
      .map(span => {
        const colour = over(rgba(getComputedStyle(span).color), marked);
        return {text: span.textContent.slice(0, 20), onMarked: contrast(colour, marked),
                onNormal: contrast(colour, normal)};
      });
    return {text: hll.textContent.slice(0, 40), normal, marked,
            distance: distance(normal, marked), tokens};
  });
}"""
)

OVERFLOW_JS = """() => {
  const vw = window.innerWidth;
  const fits = r => r.left >= -1 && r.right <= vw + 1;
  const clips = el => getComputedStyle(el).overflowX !== 'visible';
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || fits(r)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    // Entirely off screen: closed drawers and skip links, not overflow.
    if (r.left >= vw || r.right <= 0) continue;
    let inside = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(a) && fits(a.getBoundingClientRect())) { inside = true; break; }
    }
    if (!inside) bad.push(`${describe(el)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  const own = Array.from(document.querySelectorAll('[class*="codeexamples-"]'))
    .filter(el => {
      const r = el.getBoundingClientRect();
      return !fits(r) && r.left < vw && r.right > 0;  // closed drawers are off screen
    })
    .map(describe);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, bad, own};
}"""

LONG_LINE_JS = """() => {
  const pres = Array.from(document.querySelectorAll('.codeexamples-code pre'));
  const pre = pres.reduce((a, b) => (b.scrollWidth > a.scrollWidth ? b : a));
  const block = pre.closest('.codeexamples-code');
  for (let el = pre; el && el !== block.parentElement; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth) {
      const r = el.getBoundingClientRect();
      return {scroller: el.tagName + '.' + el.className, scrollWidth: el.scrollWidth,
              clientWidth: el.clientWidth, left: r.left, right: r.right};
    }
  }
  return null;
}"""


def open_page(browser: Any, site: Path, theme: Theme, mode: str, width: str, page_name: str) -> Any:
    """A page of *site* in a fresh context, in *mode*, at *width*; dark checked to be dark."""
    context = browser.new_context(
        viewport=WIDTHS[width],
        color_scheme="dark" if mode == "media" else "light",
        device_scale_factor=1,
    )
    page = context.new_page()
    page.goto((site / page_name).as_uri())
    page.wait_for_load_state("load")
    if mode == "attribute":
        page.evaluate(
            """() => {
              document.body.dataset.theme = 'dark';
              document.documentElement.dataset.theme = 'dark';
              document.documentElement.dataset.mode = 'dark';
            }"""
        )
    if mode != "light" and theme.name in ("furo", "pydata_sphinx_theme"):
        body = page.evaluate("() => {" + COLOUR_JS + " return luminance(background(document.body)); }")
        assert body < 0.2, f"{theme.name} did not switch to dark ({mode}): body luminance {body:.2f}"
    return page


@pytest.mark.parametrize(("theme", "mode", "width"), CASES)
def test_example_page(chromium: Any, build_site: Any, screenshots: Path, theme: Theme, mode: str, width: str):
    site = build_site(theme)
    page = open_page(chromium, site, theme, mode, width, "json-dumps.html")
    try:
        page.screenshot(path=str(screenshots / f"{theme.name}-{mode}-{width}.png"), full_page=True)
        if (theme.name, mode, width) == ("furo", "light", "desktop") and os.environ.get(
            "CODEEXAMPLES_DOCS_SCREENSHOT"
        ):
            save_docs_screenshot(page)

        # Every highlighted line stands out from normal lines, and stays readable.
        lines = page.evaluate(HIGHLIGHT_JS)
        assert len(lines) == MARKED_LINES
        for line in lines:
            assert line["distance"] >= 35, line
            for token in line["tokens"]:
                assert token["onMarked"] >= min(3.0, token["onNormal"]) - 0.35, (line["text"], token)

        # Nothing widens the page; our own elements fit the viewport.
        overflow = page.evaluate(OVERFLOW_JS)
        assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow
        assert overflow["bad"] == [], overflow
        assert overflow["own"] == [], overflow

        # The 1,700-character line scrolls inside its block.
        scroller = page.evaluate(LONG_LINE_JS)
        assert scroller is not None, "the long line does not scroll inside its code block"
        assert scroller["scrollWidth"] > 5 * scroller["clientWidth"] / 2, scroller
        assert scroller["left"] >= 0 and scroller["right"] <= WIDTHS[width]["width"], scroller

        # Cards, elisions and source links are visible.
        assert page.locator(".codeexamples-example").count() == 3
        assert page.locator(".codeexamples-elision").count() == 3
        for selector in (".codeexamples-elision", ".codeexamples-source a", ".codeexamples-blurb"):
            assert page.locator(selector).first.is_visible(), selector
    finally:
        page.context.close()


def save_docs_screenshot(page: Any) -> None:
    """``docs/_static/screenshot-furo-light.png``: the page down to the end of the first example.

    Written only when ``CODEEXAMPLES_DOCS_SCREENSHOT`` is set (the docs keep a reviewed copy).
    """
    card = page.locator(".codeexamples-example").first.bounding_box()
    (REPO / "docs" / "_static").mkdir(parents=True, exist_ok=True)
    assert card is not None
    page.screenshot(
        path=str(REPO / "docs" / "_static" / "screenshot-furo-light.png"),
        full_page=True,
        clip={
            "x": 0,
            "y": 0,
            "width": DESKTOP["width"],
            "height": min(card["y"] + card["height"] + 24, 1200),
        },
    )


def on_screen(locator: Any, width: str) -> bool:
    """Shown and not covered: not in a closed drawer off the side of the screen."""
    if not locator.count() or not locator.is_visible():
        return False
    return bool(
        locator.evaluate(
            """el => {
              el.scrollIntoView({block: 'center'});
              const r = el.getBoundingClientRect();
              const x = Math.min(Math.max(r.left + 4, 0), window.innerWidth - 1);
              const hit = document.elementFromPoint(x, r.top + r.height / 2);
              return r.right > 0 && r.left < window.innerWidth && !!hit && (el === hit || el.contains(hit));
            }"""
        )
    )


RELATED_CASES = [
    pytest.param(theme, mode, width, id=f"{theme.name}-{mode}-{width}")
    for theme in THEMES.values()
    for mode in theme.modes
    for width in WIDTHS
]
RELATED = ":is(.codeexamples-related, .codeexamples-sidebar)"
READABLE_JS = (
    "(selector) => {"
    + COLOUR_JS
    + """
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth &&
      getComputedStyle(el).visibility !== 'hidden';
  };
  const texts = [];
  for (const box of document.querySelectorAll(selector)) {
    for (const el of [box, ...box.querySelectorAll('*')]) {
      const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own || !visible(el)) continue;
      const bg = background(el);
      texts.push({text: el.textContent.trim().slice(0, 30),
                  contrast: contrast(over(rgba(getComputedStyle(el).color), bg), bg)});
    }
  }
  return texts;
}"""
)


@pytest.mark.parametrize(("theme", "mode", "width"), RELATED_CASES)
def test_related_links(
    chromium: Any, build_site: Any, screenshots: Path, theme: Theme, mode: str, width: str
):
    site = build_site(theme)
    if not build_site.related[theme.name]:
        pytest.skip("the related-callables sidebar is not wired into the extension yet")
    page = open_page(chromium, site, theme, mode, width, "json-dumps.html")
    try:
        # Every visible piece of text in the related list and the sidebar is readable.
        texts = page.evaluate(READABLE_JS, RELATED)
        assert texts, "no visible related list or sidebar on json-dumps.html"
        unreadable = [text for text in texts if text["contrast"] < 3.0]
        assert not unreadable, unreadable

        # Its links lead to the other callable's examples.
        links = page.locator(f"{RELATED} a[href]")
        visible = [links.nth(i) for i in range(links.count()) if on_screen(links.nth(i), width)]
        to_loads = [link for link in visible if "json-loads.html" in (link.get_attribute("href") or "")]
        assert to_loads, [link.get_attribute("href") for link in visible]
        sidebar = page.locator(".codeexamples-sidebar").first
        if width == "desktop" and theme.sidebars:
            assert sidebar.is_visible(), "the related sidebar is not shown at desktop width"
        if on_screen(sidebar, width):
            sidebar.scroll_into_view_if_needed()
            sidebar.screenshot(path=str(screenshots / f"{theme.name}-{mode}-{width}-sidebar.png"))
        to_loads[0].click(timeout=5000)
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith("json-loads.html"), page.url
        assert page.locator(".codeexamples-example").count() == 2
    finally:
        page.context.close()
