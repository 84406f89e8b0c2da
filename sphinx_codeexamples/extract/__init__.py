"""Extracting example pages from source code (no Sphinx, nothing imported from the scanned code).

``sources`` iterates the files of directories, sdists and wheels; ``finder``
finds the uses of dotted names in a syntax tree, scope by scope; ``windows``
chooses the lines to show from the syntax tree and ``hunks`` turns them into
hunks and elisions; ``metadata`` and ``gitinfo`` give a project's
blurb and links; ``pages`` builds and merges pages; ``pipeline`` runs it all.
"""
