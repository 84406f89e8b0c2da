extensions = ["sphinx_codeexamples", "sphinx.ext.intersphinx"]
codeexamples_store = "store"
# The tests write python.inv beside this file before building (no network).
intersphinx_mapping = {"python": ("https://docs.python.org/3", "python.inv")}
