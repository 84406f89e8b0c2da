"""Reading, writing and indexing snippet stores (no Sphinx)."""

from .index import IndexEntry, StoreIndex, iter_page_files, scan_store
from .reader import parse_page, read_page_file
from .writer import render_page

__all__ = [
    "IndexEntry",
    "StoreIndex",
    "iter_page_files",
    "parse_page",
    "read_page_file",
    "render_page",
    "scan_store",
]
