extensions = ["sphinx_codeexamples"]
codeexamples_store = "store"
codeexamples_base_url = "https://example.org"
