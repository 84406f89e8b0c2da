extensions = ["sphinx_codeexamples"]
codeexamples_store = "store"
codeexamples_aliases = {"tinylib.api.Widget": "tinylib.widgets.Widget", "bad name": "tinylib.Widget"}
