# Browser tests: the theme comes from confoverrides (html_theme).
project = "cx-demo"  # short: pydata's navbar title does not wrap at phone width
extensions = ["sphinx_codeexamples"]
codeexamples_store = "store"
codeexamples_base_url = "https://example.org"
html_theme = "alabaster"
