extensions = ["sphinx_codeexamples"]
project = "Search"
codeexamples_store = "store"
codeexamples_generate_pages = True
