"""Message catalogs of sphinx-codeexamples: extract the template, merge it into each language, compile.

    python tools/catalogs.py extract    # sphinx_codeexamples/locale/sphinx_codeexamples.pot from the code
    python tools/catalogs.py update     # merge the template into every <lang>/LC_MESSAGES/*.po
    python tools/catalogs.py init xx    # start a new language from the template
    python tools/catalogs.py compile    # write each .mo from its .po (the .mo files are committed)

Babel (a dependency of Sphinx) does the work; ``tests/test_i18n.py`` checks that the
template has every message of the code and that each .mo is current with its .po.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sphinx_codeexamples"
LOCALE = PACKAGE / "locale"
DOMAIN = "sphinx_codeexamples"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


def extracted() -> Catalog:
    """Every ``_("...")`` message of the package's code, with where it is used."""
    catalog = Catalog(project="sphinx-codeexamples", charset="utf-8", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map, keywords={"_": None}, comment_tags=("Translators:",)
    ):
        path = (PACKAGE / filename).relative_to(ROOT).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream)


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _without_dates(catalog: Catalog) -> Catalog:
    """Catalogs whose only change is a timestamp are not rewritten."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    return catalog


def extract() -> None:
    TEMPLATE.write_bytes(po_bytes(_without_dates(extracted())))


def update() -> None:
    template = read(TEMPLATE)
    for path in po_files():
        catalog = read(path)
        catalog.update(template, update_header_comment=False)
        path.write_bytes(po_bytes(catalog))


def init(language: str) -> None:
    path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        raise SystemExit(f"{path} exists")
    catalog = read(TEMPLATE)
    catalog.locale = language  # type: ignore[assignment]
    path.parent.mkdir(parents=True)
    path.write_bytes(po_bytes(catalog))


def compile_all() -> None:
    for path in po_files():
        path.with_suffix(".mo").write_bytes(mo_bytes(read(path)))


def main(argv: list[str]) -> None:
    if argv[:1] == ["extract"]:
        extract()
    elif argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["init"] and len(argv) == 2:
        init(argv[1])
    elif argv[:1] == ["compile"]:
        compile_all()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
