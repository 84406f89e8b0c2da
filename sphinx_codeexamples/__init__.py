"""sphinx-codeexamples: real-world usage examples of Python APIs, built into Sphinx docs.

Importing this package does not import Sphinx; :func:`setup` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """The Sphinx entry point: ``extensions = ["sphinx_codeexamples"]``."""
    from .ext import setup_extension

    return setup_extension(app)
