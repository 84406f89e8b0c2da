"""Sphinx configuration of the sphinx-codeexamples documentation (built with the extension itself)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from sphinx_codeexamples import __version__

project = "sphinx-codeexamples"
author = "The sphinx-codeexamples developers"
copyright = "2026, The sphinx-codeexamples developers"
release = __version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx_codeexamples",
    "myst_parser",
    "codeexamples_docs",  # _ext/: tables rendered from the extension's own code
]

# The demo store: example pages written for this documentation.
codeexamples_store = "store"
# ... and a whole generated site of them, one page per callable, under examples/.
codeexamples_generate_pages = True
codeexamples_generate_dir = "examples"
# Examples in the wild under the API entries of api-demo.rst (markdown-it-py, documented by autodoc).
codeexamples_autodoc = True
codeexamples_autodoc_max = 1

# The demo documents markdown-it-py's API; its signatures' annotations name private types.
autodoc_typehints = "none"
autodoc_member_order = "bysource"

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "store", "Thumbs.db", ".DS_Store"]
nitpicky = True
highlight_language = "python"

html_theme = "alabaster"
html_title = f"sphinx-codeexamples {release}"
html_theme_options = {
    "description": "Real-world usage examples of Python APIs, built into Sphinx.",
    "fixed_sidebar": True,
    "page_width": "1180px",
    "sidebar_width": "240px",
    "show_relbars": True,
}
# codeexamples/related.html shows the module siblings on example pages, nothing elsewhere.
html_sidebars = {
    "**": ["about.html", "codeexamples/related.html", "navigation.html", "relations.html", "searchbox.html"],
}
