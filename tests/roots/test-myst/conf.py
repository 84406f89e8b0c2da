extensions = ["myst_parser", "sphinx_codeexamples"]
codeexamples_store = "store"
