"""The real 160-page corpus builds as a whole generated site (skipped when ../shared is absent)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile
from test_site import MakeApp, build, page, related, warnings

from sphinx_codeexamples.model import CallableName
from sphinx_codeexamples.store import scan_store

# Store-level findings and Pygments retries on stored code are expected; nothing else is.
ALLOWED = re.compile(
    r"\[(codeexamples\.(?!unknown-callable|unshown-callable|generate)[a-z-]+|misc\.highlighting_failure)\]$"
)


@pytest.mark.parametrize("parallel", [0, 2])
def test_corpus_builds_as_generated_site(
    make_app: MakeApp, tmp_path: Path, shared_dir: Path, parallel: int
) -> None:
    corpus = shared_dir / "corpus" / "fsp-sqlalchemy"
    src = tmp_path / "corpus-site"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['sphinx_codeexamples']\n"
        f"codeexamples_store = {str(corpus)!r}\n"
        "codeexamples_generate_pages = True\n"
        "html_sidebars = {'**': ['localtoc.html', 'codeexamples/related.html']}\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text("Corpus\n======\n\n.. toctree::\n\n   examples/index\n", encoding="utf-8")
    app = build(make_app, src, parallel=parallel)
    unexpected = [line for line in warnings(app) if not ALLOWED.search(line)]
    assert unexpected == []

    names = scan_store([str(corpus)]).by_name
    assert len(names) > 100
    with (Path(app.outdir) / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", posixpath.join)
    assert sorted(inventory["codeexamples:callable"]) == sorted(names)

    # every generated callable page lists exactly its module's other callables, sorted
    by_module: dict[str, list[str]] = {}
    for dotted in names:
        parsed = CallableName.parse(dotted)
        by_module.setdefault(parsed.module, []).append(parsed.name)
    domain = app.env.domains["codeexamples"]
    checked = 0
    for dotted in sorted(names)[::10]:
        parsed = CallableName.parse(dotted)
        record = domain.find(dotted)  # type: ignore[attr-defined]
        expected = sorted(
            (n for n in by_module[parsed.module] if n != parsed.name), key=lambda n: (n.casefold(), n)
        )
        assert [text for text, _ in related(page(app, record.docname))] == expected
        checked += 1
    assert checked > 10
