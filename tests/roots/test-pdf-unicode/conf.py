# Store content in Cyrillic and CJK: xelatex with xeCJK (see docs/site.rst, "PDF output").
extensions = ["sphinx_codeexamples"]
project = "Unicode"
copyright = "2026, The sphinx-codeexamples developers"
codeexamples_store = "store"
exclude_patterns = ["_build"]
latex_engine = "xelatex"
latex_elements = {
    "preamble": r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
}
latex_documents = [("index", "unicode.tex", "Unicode", "Tests", "howto")]
latex_use_xindy = False
