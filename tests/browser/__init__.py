"""Browser tests (pytest -m browser)."""
