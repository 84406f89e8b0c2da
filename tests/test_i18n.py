"""Languages: our catalogs are complete and current, builds in each language have no English of
ours, and store text goes through the project's own gettext round trip."""

from __future__ import annotations

import gettext
import importlib.util
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "catalogs.py"
ROOTS = Path(__file__).parent / "roots"
LANGUAGES = ["de", "fr", "es", "ja", "zh_CN"]
FIELD = re.compile(r"\{\w+\}")


@pytest.fixture(scope="module")
def catalogs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", TOOLS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def messages(catalog: Catalog) -> dict[str, str]:
    return {str(message.id): str(message.string) for message in catalog if message.id}


def test_template_has_every_message_of_the_code(catalogs: ModuleType) -> None:
    code = catalogs.extracted()
    template = catalogs.read(catalogs.TEMPLATE)
    assert set(messages(code)) == set(messages(template)), "run: python tools/catalogs.py extract"


def test_shipped_languages(catalogs: ModuleType) -> None:
    shipped = sorted(path.parents[1].name for path in catalogs.po_files())
    assert shipped == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_keeps_the_fields(catalogs: ModuleType, language: str) -> None:
    template = messages(catalogs.read(catalogs.TEMPLATE))
    path = catalogs.LOCALE / language / "LC_MESSAGES" / f"{catalogs.DOMAIN}.po"
    catalog = catalogs.read(path)
    assert not [message.id for message in catalog if message.id and message.fuzzy]
    translated = messages(catalog)
    assert set(translated) == set(template), "run: python tools/catalogs.py update"
    for msgid, msgstr in translated.items():
        assert msgstr.strip(), msgid
        assert sorted(FIELD.findall(msgstr)) == sorted(FIELD.findall(msgid)), msgid
        assert msgstr.count("`") == msgid.count("`"), msgid  # Markdown code spans survive


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_current(catalogs: ModuleType, language: str) -> None:
    po = catalogs.LOCALE / language / "LC_MESSAGES" / f"{catalogs.DOMAIN}.po"
    with po.with_suffix(".mo").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    expected = messages(catalogs.read(po))
    assert {key: value for key, value in compiled._catalog.items() if key} == expected, (
        "run: python tools/catalogs.py compile"
    )


def english_phrases(catalogs: ModuleType) -> set[str]:
    """The English words of our messages, between their fields and code spans."""
    phrases: set[str] = set()
    for msgid in messages(catalogs.read(catalogs.TEMPLATE)):
        for piece in re.split(r"\{\w+\}|`", msgid):
            piece = piece.strip(" .,:;()")
            if len(piece) >= 4 or piece.isalpha():
                phrases.add(piece)
    return phrases


def our_text(page: BeautifulSoup) -> str:
    """The body's text that the extension generated: store text (blurbs, code, the store's own
    elision comments) left out."""
    body = page.select_one("div.body")
    assert body is not None
    for user in body.select(".codeexamples-blurb, pre"):
        user.decompose()
    for elision in body.select(".codeexamples-elision"):
        if "brevity" in elision.get_text():  # written in the store, not by the extractor
            elision.decompose()
    parts = [node.get_text(" ") for node in body.select('[class*="codeexamples"], h1, h2, h3, h4, h5, h6')]
    return "\n".join(parts)


def build_in(make_app: Callable[..., SphinxTestApp], tmp_path: Path, root: str, language: str) -> Path:
    """Build a copy of test root *root* in *language*; its output folder."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / root, srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"language": language})
    app.build()
    return Path(app.outdir)


def untranslated(catalogs: ModuleType, language: str) -> tuple[dict[str, str], set[str]]:
    """The language's translations, and the English phrases of ours that none of them contains
    (phrases that are also words of the language, "module" or "Source" in French, prove nothing)."""
    translated = messages(catalogs.read(catalogs.LOCALE / language / "LC_MESSAGES" / f"{catalogs.DOMAIN}.po"))
    english = {
        phrase
        for phrase in english_phrases(catalogs)
        if not any(phrase in text for text in translated.values())
    }
    return translated, english


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_of_ours_in_the_page_body(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, catalogs: ModuleType, language: str
) -> None:
    outdir = build_in(make_app, tmp_path, "test-pdf", language)
    texts = {}
    for name in ("guide.html", "api.html", "examples/tally/tally.render.html"):
        texts[name] = our_text(BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser"))
    for name in ("examples/index.html", "codeexamples-callables.html"):
        page = BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")
        body = page.select_one("div.body")
        assert body is not None
        texts[name] = body.get_text(" ")
    index = BeautifulSoup((outdir / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    entries = [link.parent for link in index.select('a[href*="#codeexamples-"]') if link.parent]
    texts["genindex.html"] = "\n".join(entry.get_text(" ") for entry in entries)
    assert all(texts.values())
    translated, english = untranslated(catalogs, language)
    assert "More code examples from" in english and "from" in english
    found = {(name, phrase) for name, text in texts.items() for phrase in english if phrase in text}
    assert not found
    # ... and the translations are there.
    title = translated["Example {number} from {project}"].format(number=1, project="wordsmith")
    assert title in texts["guide.html"]
    assert translated["Code examples by module"] in texts["codeexamples-callables.html"]


BLURB = "[wordsmith](https://github.com/example/wordsmith) counts **words** in `Markdown` files:"
INTRO = "Copying whole directory trees is common in build tools. Here is"


@pytest.mark.parametrize("parallel", [0, 2])
def test_gettext_round_trip_of_store_text(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, parallel: int
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-pdf", srcdir)
    app = make_app("gettext", srcdir=srcdir, freshenv=True, parallel=parallel)
    app.build()
    with (Path(app.outdir) / "guide.pot").open("rb") as stream:
        extracted = read_po(stream)
    ids = set(messages(extracted))
    assert BLURB in ids
    assert "quickly, with 100% of the text & none of the markup;" in ids  # a list item's paragraph
    # Our own text is not the user's to translate: it comes translated from our catalog.
    assert not [message for message in ids if message.startswith(("Example ", "Source:", "More code"))]
    assert not [message for message in ids if "is a function within" in message]

    catalog = Catalog(locale="de")
    catalog.add(
        BLURB, "[wordsmith](https://github.com/example/wordsmith) zählt **Wörter** in `Markdown`-Dateien:"
    )
    catalog.add("Counting words", "Wörter zählen")
    folder = srcdir / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "guide.po").open("wb") as stream:
        write_po(stream, catalog)
    with (folder / "guide.mo").open("wb") as stream:
        write_mo(stream, catalog)

    html = make_app(
        "html",
        srcdir=srcdir,
        freshenv=True,
        parallel=parallel,
        confoverrides={"language": "de", "locale_dirs": ["locale"]},
    )
    html.build()
    page = BeautifulSoup((Path(html.outdir) / "guide.html").read_text(encoding="utf-8"), "html.parser")
    blurbs = page.select(".codeexamples-blurb")
    first = blurbs[0].select_one("p")
    assert first is not None
    assert first.get_text() == "wordsmith zählt Wörter in Markdown-Dateien:"
    link = first.select_one("a")
    assert link is not None and link["href"] == "https://github.com/example/wordsmith"
    assert first.select_one("strong") is not None and first.select_one("code") is not None
    assert blurbs[1].get_text().strip() == "tinytext is small."  # no translation: as written
    assert page.select_one("h2") is not None and "Wörter zählen" in page.select_one("h2").get_text()
    assert "Traceback" not in html.warning.getvalue()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_of_ours_in_api_entries(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, catalogs: ModuleType, language: str
) -> None:
    """The compact examples under API entries (rubric, provenance, notes, links) are translated too."""
    outdir = build_in(make_app, tmp_path, "test-autodoc", language)
    page = BeautifulSoup((outdir / "api.html").read_text(encoding="utf-8"), "html.parser")
    blocks = page.select(".codeexamples-api")
    assert blocks and page.select(".codeexamples-provenance")
    for block in blocks:
        for code in block.select("pre"):
            code.decompose()
    text = "\n".join(block.get_text(" ") for block in blocks)
    translated, english = untranslated(catalogs, language)
    assert "Examples in the wild" in english
    assert not {phrase for phrase in english if phrase in text}
    assert translated["Examples in the wild"] in text
