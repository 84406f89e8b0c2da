import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["sphinx.ext.autodoc", "myst_parser", "sphinx_codeexamples"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "shapes"]
codeexamples_store = "store"
codeexamples_autodoc = True
codeexamples_autodoc_exclude = ["*.__init__", "shapes.geometry.Polygon.perimeter"]
myst_enable_extensions = []
