"""The command line: ``check`` and the entry points (no Sphinx needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main

STORE = Path(__file__).parent / "roots" / "test-basic" / "store"


def test_check_reports_located_problems_and_exits_zero_on_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(STORE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{STORE / 'shutil-copytree.md'}:35: warning: source-file link has no URL [source-link]"
    assert out[-1] == "3 pages, 2 callables, 4 examples: 0 errors, 1 warning"


def test_check_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", str(STORE)]) == 1


def test_check_exits_one_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.md").write_text("title: x\n\n\n## Example 1 from p\n```python\n~~x\n```\n")
    (tmp_path / "copy.md").write_text((STORE / "json-dumps.markdown").read_text())
    (tmp_path / "other.md").write_text((STORE / "json-dumps.markdown").read_text())
    assert main(["check", str(tmp_path), str(tmp_path / "missing")]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.md'}:1: error: no callable name in sidebartitle or title [no-callable]" in out
    assert f"{tmp_path / 'missing'}: error: store directory does not exist [store]" in out
    assert (
        f"{tmp_path / 'other.md'}:1: warning: another page describes json.dumps: "
        f"{tmp_path / 'copy.md'} is used" in out
    )


def test_check_needs_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["check"])
    assert raised.value.code == 2


def test_python_dash_m_and_no_sphinx_import() -> None:
    code = (
        f"import sys, runpy; sys.argv = ['x', 'check', {str(STORE)!r}]\n"
        "try:\n    runpy.run_module('sphinx_codeexamples', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert 'sphinx' not in sys.modules, 'the CLI imported Sphinx'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "3 pages, 2 callables" in result.stdout


def test_real_corpus_checks_clean(shared_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", str(shared_dir / "corpus" / "fsp-sqlalchemy")]) == 0
    assert capsys.readouterr().out.strip() == "160 pages, 158 callables, 226 examples: 0 errors, 0 warnings"
