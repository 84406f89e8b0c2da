"""Regenerate the demo store, ``docs/store``, from real packages with ``sphinx-codeexamples extract``.

Run from the repository root (it needs pip and network access to PyPI)::

    python docs/_tools/regenerate_store.py

The pinned sdists below are downloaded (``pip download --no-deps --no-binary
:all:``) into ``--download-dir`` (default: a temporary folder) and scanned:

1. the standard-library callables that the documentation's pages show, read
   from this Python's own standard library (``--library``, for their kinds);
2. every public callable of ``markdown_it`` (markdown-it-py), read from its
   sdist, as used by two of its dependents, mdit-py-plugins and MyST-Parser.

Pages already in the store are updated, not replaced: hand-written intros and
blurbs stay. All these packages are under permissive licences (BSD, MIT,
public domain); each example names its project, links to its release on PyPI
and states its licence.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from sphinx_codeexamples.cli import main as codeexamples

STORE = Path(__file__).resolve().parents[1] / "store"
MAX_EXAMPLES = "3"

#: The documentation's build dependencies, and markdown-it-py's dependents.
PINNED = {
    "sphinx": "9.0.4",
    "docutils": "0.22.4",
    "pygments": "2.21.0",
    "markdown-it-py": "4.3.0",
    "mdit-py-plugins": "0.7.0",
    "myst-parser": "5.2.0",
}
#: Shown by docs/*.rst and docs/*.md, looked for in all the packages above.
STDLIB_CALLABLES = (
    "json.dumps",
    "json.loads",
    "pathlib.Path",
    "subprocess.run",
    "functools.lru_cache",
    "contextlib.contextmanager",
)
STDLIB_MODULES = ("json", "pathlib.py", "subprocess.py", "functools.py", "contextlib.py")


def download(directory: Path) -> dict[str, Path]:
    """The pinned sdists, downloaded into *directory* unless already there."""
    missing = [f"{name}=={version}" for name, version in PINNED.items() if _sdist(directory, name) is None]
    if missing:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d"]
        subprocess.run([*command, str(directory), *missing], check=True)
    found = {}
    for name, version in PINNED.items():
        path = _sdist(directory, name)
        if path is None:
            raise SystemExit(f"no sdist of {name} {version} in {directory}")
        found[name] = path
    return found


def _sdist(directory: Path, name: str) -> Path | None:
    wanted = f"{name}-{PINNED[name]}.tar.gz".replace("-", "_")
    return next(
        (path for path in directory.glob("*.tar.gz") if path.name.lower().replace("-", "_") == wanted), None
    )


def regenerate(sdists: dict[str, Path]) -> int:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    first = ["extract", "-q", "-o", str(STORE), "--max-examples", MAX_EXAMPLES]
    for module in STDLIB_MODULES:
        first += ["--library", str(stdlib / module)]
    for dotted in STDLIB_CALLABLES:
        first += ["--callable", dotted]
    first += [str(path) for path in sdists.values()]
    second = ["extract", "-q", "-o", str(STORE), "--max-examples", MAX_EXAMPLES]
    second += ["--library", str(sdists["markdown-it-py"])]
    second += [str(sdists["mdit-py-plugins"]), str(sdists["myst-parser"])]
    return codeexamples(first) or codeexamples(second) or codeexamples(["check", "--strict", str(STORE)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--download-dir", type=Path, help="where the sdists go (default: a temporary folder)")
    arguments = parser.parse_args()
    if arguments.download_dir:
        arguments.download_dir.mkdir(parents=True, exist_ok=True)
        return regenerate(download(arguments.download_dir))
    with tempfile.TemporaryDirectory() as directory:
        return regenerate(download(Path(directory)))


if __name__ == "__main__":
    sys.exit(main())
