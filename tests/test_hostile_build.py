"""A hostile store in a real Sphinx build: nothing unsafe reaches the HTML, bad input only warns.

The root ``test-hostile`` holds a page full of script tags, event handlers and
``javascript:`` links, and a page of directive misuse. Each test copies it and
adds what cannot live in the repository: a binary page, a Latin-1 page, a
truncated page and a symbolic link to a page outside the store.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

HOSTILE = Path(__file__).parent / "roots" / "test-hostile"
MakeApp = Callable[..., SphinxTestApp]
SAFE_SCHEMES = {"", "http", "https", "mailto"}

SECRET_PAGE = """\
title: secret.mod leak Example Code
category: page
slug: secret-mod-leak-examples
sortorder: 900000009
toc: False
sidebartitle: secret.mod leak
meta: A page outside the store.


## Example 1 from secretproj
[**secretproj / s.py**](https://github.com/example/secretproj/blob/main/s.py)

```python
~~SECRET_TOKEN_7c1e = leak()
```
"""


def hostile_site(tmp_path: Path) -> Path:
    """The hostile root plus broken files and a link that leaves the store."""
    srcdir = tmp_path / "hostile"
    shutil.copytree(HOSTILE, srcdir)
    store = srcdir / "store"
    (store / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    okay = (store / "okay-mod-thing.markdown").read_text(encoding="utf-8")
    latin1 = okay.replace("okay.mod thing", "latin.mod thing").replace("well-behaved", "caf\xe9 ready")
    (store / "latin1.md").write_bytes(latin1.encode("latin-1"))
    (store / "truncated.md").write_text(okay.replace("okay.mod", "cut.mod")[:-60], encoding="utf-8")
    (store / "empty.md").write_bytes(b"")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.markdown").write_text(SECRET_PAGE, encoding="utf-8")
    (store / "secret.markdown").symlink_to(outside / "secret.markdown")
    return srcdir


def build(make_app: MakeApp, srcdir: Path, **kwargs: object) -> SphinxTestApp:
    app = make_app("html", srcdir=srcdir, freshenv=True, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def warning_lines(app: SphinxTestApp) -> list[str]:
    return strip_colors(app.warning.getvalue()).splitlines()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def hostile_app(make_app: MakeApp, tmp_path: Path) -> SphinxTestApp:
    return build(make_app, hostile_site(tmp_path))


def test_no_script_handler_or_unsafe_url_reaches_the_html(hostile_app: SphinxTestApp) -> None:
    html = soup(Path(hostile_app.outdir) / "index.html")
    for script in html.find_all("script"):  # the theme's own scripts only
        assert isinstance(script, Tag)
        assert "alert" not in script.get_text()
        assert str(script.get("src", "_static/")).startswith("_static/"), script
    for tag in html.find_all(True):
        assert isinstance(tag, Tag)
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert handlers == [], tag
        for name in ("href", "src", "action", "formaction", "data", "srcdoc"):
            if name in tag.attrs:
                url = str(tag[name]).strip()
                assert urlsplit(url).scheme.lower() in SAFE_SCHEMES, tag
    body = html.select_one("div.body")
    assert body is not None
    for name in ("script", "style", "iframe", "img", "svg", "object", "embed", "form", "b"):
        assert body.find(name) is None, name
    # What the hostile page said is still there, as text.
    text = body.get_text()
    assert "<script>alert(“project”)</script> evilproj" in text  # the project name, as text
    assert "a js link" in text and "picture" in text and "bold html" in text
    assert "run(\"<script>alert('code')</script>\")" in text  # the code, as code


def test_safe_links_survive(hostile_app: SphinxTestApp) -> None:
    html = soup(Path(hostile_app.outdir) / "index.html")
    hrefs = {str(a["href"]) for a in html.select("div.body a[href]")}
    assert "https://example.com/ok" in hrefs
    assert "https://example.org/docs/page.html" in hrefs  # relative, resolved against the base URL
    assert "mailto:someone%40example.org" in hrefs  # markdown-it percent-encodes the @
    assert "https://github.com/example/evil" in hrefs
    sources = [p.get_text() for p in html.select("p.codeexamples-source")]
    # The javascript: file link is dropped: its label is shown as text, not as a link.
    assert any("<script>alert('label')</script>" in text for text in sources)
    assert not html.select("p.codeexamples-source a[href^=javascript]")


def test_every_unsafe_link_warns_with_a_location(hostile_app: SphinxTestApp) -> None:
    unsafe = [line for line in warning_lines(hostile_app) if "[codeexamples.unsafe-link]" in line]
    # Located in the store file: at the intro's first line, or at the heading of the example.
    located = {
        line.split("unsafe link dropped: ")[1].split(" [")[0]: line.split(": WARNING")[0] for line in unsafe
    }
    assert len(located) == len(unsafe)
    page = str(Path(hostile_app.srcdir) / "store" / "evil-mod-run.markdown")
    intro, example = f"{page}:10", f"{page}:20"
    assert located == {
        "\"javascript:alert('a-intro')\"": intro,
        "\"javascript:alert('md-intro')\"": intro,
        "'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='": intro,
        "'vbscript:msgbox(1)'": intro,
        "\"javascript:alert('tab')\"": intro,
        "\"javascript:alert('space')\"": intro,
        "\"javascript:alert('autolink')\"": example,
        "\"JAVASCRIPT:alert('ref')\"": example,
        "\"javascript:alert('filelink')\"": example,
    }


def test_a_link_out_of_the_store_is_never_read(hostile_app: SphinxTestApp) -> None:
    lines = warning_lines(hostile_app)
    outside = [line for line in lines if "[codeexamples.outside-store]" in line]
    assert len(outside) == 1 and "secret.markdown" in outside[0]
    assert any("no store page describes secret.mod.leak" in line for line in lines)
    for path in Path(hostile_app.outdir).rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".txt", ".inv"):
            assert b"SECRET_TOKEN_7c1e" not in path.read_bytes(), path


def test_broken_pages_warn_at_path_and_line_and_the_rest_loads(hostile_app: SphinxTestApp) -> None:
    lines = warning_lines(hostile_app)

    def located(name: str, subtype: str) -> list[str]:
        return [line for line in lines if f"store{os.sep}{name}:" in line and f".{subtype}]" in line]

    assert located("binary.md", "unreadable")
    assert located("latin1.md", "encoding")[0].split(": WARNING")[0].endswith("latin1.md:14")
    assert located("truncated.md", "fence")
    assert located("empty.md", "no-examples")
    assert not any("Traceback" in line or "Exception" in line for line in lines)
    html = soup(Path(hostile_app.outdir) / "index.html")
    assert html.find(id="codeexamples-okay-mod-thing") is not None
    assert html.find(id="codeexamples-evil-mod-run") is not None


def test_directive_misuse_warns_where_it_is_written(hostile_app: SphinxTestApp) -> None:
    lines = warning_lines(hostile_app)

    def at(line_number: int) -> str:
        """The warning at *line_number*, with its continuation lines (docutils errors span several)."""
        found = [index for index, line in enumerate(lines) if f"options.rst:{line_number}:" in line]
        assert found, (line_number, lines)
        return "\n".join(lines[found[0] : found[0] + 3])

    assert "must be a whole number >= 0, not '-3'" in at(7) and "[codeexamples.option]" in at(7)
    assert "not '²'" in at(13)
    assert "not a dotted name: 'okay mod thing'" in at(19)
    assert "not a dotted name: '../../etc.passwd'" in at(24)
    assert 'unknown option: "colour"' in at(29)
    assert "no argument is allowed" in at(35)
    assert "[codeexamples.option]" in at(41)
    assert "1 argument(s) required, 0 supplied" in at(47)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"codeexamples_store": "no/such/folder"}, "[codeexamples.store]"),
        ({"codeexamples_store": 42}, "[codeexamples.config]"),
        ({"codeexamples_store": ["store", None]}, "[codeexamples.config]"),
        ({"codeexamples_base_url": 3.5}, "[codeexamples.config]"),
        ({"codeexamples_search_code": 2}, "[codeexamples.config]"),
    ],
)
def test_bad_config_values_warn(
    make_app: MakeApp, tmp_path: Path, overrides: dict[str, object], expected: str
) -> None:
    srcdir = tmp_path / "hostile"
    shutil.copytree(HOSTILE, srcdir)
    app = build(make_app, srcdir, confoverrides=overrides)
    lines = warning_lines(app)
    assert any(expected in line for line in lines), lines
    assert (Path(app.outdir) / "index.html").is_file()
