"""Reading sources (directories, git checkouts, sdists, wheels), git links and package metadata."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from sphinx_codeexamples.extract.gitinfo import file_url, git_info, repository_url
from sphinx_codeexamples.extract.metadata import (
    ProjectMeta,
    from_core_metadata,
    from_pyproject,
    from_setup_cfg,
    project_meta,
)
from sphinx_codeexamples.extract.sources import MAX_BYTES, Source, SourceError

PKG_INFO = b"""\
Metadata-Version: 2.1
Name: demo-pkg
Version: 1.2.3
Summary: A demo *package* for tests
Home-page: https://demo.example.org
License: MIT
Project-URL: Documentation, https://demo.readthedocs.io/
Project-URL: Source Code, https://github.com/owner/demo
Classifier: License :: OSI Approved :: MIT License

Long description here.
"""


def add(archive: tarfile.TarFile, name: str, data: bytes, kind: bytes = tarfile.REGTYPE) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.type = kind
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def make_sdist(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            add(archive, name, data)
    return path


def paths(source: Source) -> dict[str, bytes | None]:
    return {file.path: file.data for file in source.files()}


def test_sdist_members_are_read_in_memory_and_unsafe_ones_skipped(tmp_path: Path) -> None:
    sdist = tmp_path / "demo-pkg-1.2.3.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        add(archive, "demo-pkg-1.2.3/PKG-INFO", PKG_INFO)
        add(archive, "demo-pkg-1.2.3/demo/__init__.py", b"x = 1\n")
        add(archive, "demo-pkg-1.2.3/../../evil.py", b"bad\n")
        add(archive, "/abs/evil.py", b"bad\n")
        add(archive, "demo-pkg-1.2.3/demo/link.py", b"", kind=tarfile.SYMTYPE)
        add(archive, "demo-pkg-1.2.3/LICENSE", b"MIT\n")
        add(archive, "demo-pkg-1.2.3/README.md", b"readme\n")
    source = Source.open(str(sdist))
    assert source.kind == "sdist"
    assert source.fallback_name == "demo"
    assert paths(source) == {"PKG-INFO": PKG_INFO, "demo/__init__.py": b"x = 1\n", "LICENSE": b"MIT\n"}
    assert not (tmp_path / "evil.py").exists()


def test_a_member_is_read_under_its_normalised_name(tmp_path: Path) -> None:
    """The quick look at a member's raw name keeps every member the full check keeps."""
    sdist = make_sdist(
        tmp_path / "demo-1.0.tar.gz",
        {
            "demo-1.0/./demo/a.py/": b"a = 1\n",  # a regular file whose name ends with a slash
            "demo-1.0\\demo\\b.py": b"b = 1\n",
            "demo-1.0/demo/c.py/.": b"c = 1\n",
            "demo-1.0/demo/PKG-INFO": b"not at the top: not metadata\n",
            "demo-1.0//PKG-INFO/": PKG_INFO,
            "demo-1.0/Licence.txt": b"MIT\n",
            "demo-1.0/demo/data.txt": b"skipped\n",
        },
    )
    assert paths(Source.open(str(sdist))) == {
        "demo/a.py": b"a = 1\n",
        "demo/b.py": b"b = 1\n",
        "demo/c.py": b"c = 1\n",
        "PKG-INFO": PKG_INFO,
        "Licence.txt": b"MIT\n",
    }


def test_oversized_member_is_reported_not_read(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "big-1.0.tar.gz", {"big-1.0/big.py": b"#" * (MAX_BYTES + 1)})
    [file] = list(Source.open(str(sdist)).files())
    assert file.data is None and "larger than" in file.problem


def test_wheel_paths_and_metadata(tmp_path: Path) -> None:
    wheel = tmp_path / "demo_pkg-1.2.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo/__init__.py", "x = 1\n")
        archive.writestr("demo_pkg-1.2.3.data/purelib/extra/mod.py", "y = 2\n")
        archive.writestr("demo_pkg-1.2.3.dist-info/METADATA", PKG_INFO)
        archive.writestr("../escape.py", "bad\n")
    source = Source.open(str(wheel))
    assert source.kind == "wheel"
    found = paths(source)
    assert set(found) == {"demo/__init__.py", "extra/mod.py", "demo_pkg-1.2.3.dist-info/METADATA"}


def test_directory_skips_hidden_caches_and_virtualenvs(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("a = 1\n")
    for hidden in (".tox", "__pycache__", "node_modules"):
        (tmp_path / hidden).mkdir()
        (tmp_path / hidden / "x.py").write_text("x\n")
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "venv" / "v.py").write_text("v\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    os.symlink("/etc/hostname", tmp_path / "pkg" / "link.py")
    assert set(paths(Source(str(tmp_path), "directory"))) == {"pkg/a.py", "pyproject.toml"}


def test_bad_sources(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        Source.open(str(tmp_path / "missing"))
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(SourceError, match="not a directory, an sdist"):
        Source.open(str(tmp_path / "notes.txt"))
    (tmp_path / "broken.tar.gz").write_bytes(b"not a tarball")
    with pytest.raises(SourceError, match="cannot read"):
        list(Source.open(str(tmp_path / "broken.tar.gz")).files())


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_checkout(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / "src").mkdir(parents=True)
    (repository / "src" / "tracked.py").write_text("a = 1\n")
    (repository / "src" / "untracked.py").write_text("b = 1\n")

    def git(*arguments: str) -> str:
        command = ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@e", *arguments]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", "src/tracked.py")
    git("commit", "-q", "-m", "one")
    git("remote", "add", "origin", "https://user:secret@github.com/owner/repo.git")
    info = git_info(str(repository / "src"))
    assert info is not None
    assert info.commit == git("rev-parse", "HEAD")
    assert info.repository == "https://github.com/owner/repo"
    assert info.prefix == "src/"
    assert not info.dirty
    assert set(paths(Source.open(str(repository / "src")))) == {"tracked.py"}
    (repository / "src" / "tracked.py").write_text("a = 2\n")
    assert git_info(str(repository)).dirty  # type: ignore[union-attr]
    assert git_info(str(tmp_path)) is None


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("git@github.com:owner/repo.git", "https://github.com/owner/repo"),
        ("ssh://git@gitlab.com/group/repo", "https://gitlab.com/group/repo"),
        ("https://token:x-oauth@github.com/owner/repo.git/", "https://github.com/owner/repo"),
        ("file:///srv/repo", None),
        ("/srv/repo", None),
    ],
)
def test_repository_url(remote: str, expected: str | None) -> None:
    assert repository_url(remote) == expected


def test_file_url() -> None:
    commit = "a" * 40
    assert (
        file_url("https://github.com/o/r", commit, "a b.py")
        == f"https://github.com/o/r/blob/{commit}/a%20b.py"
    )
    assert file_url("https://gitlab.com/o/r/", "v1.0", "x.py") == "https://gitlab.com/o/r/-/blob/v1.0/x.py"
    assert file_url("https://www.github.com/o/r.git", "v1", "x.py") == "https://github.com/o/r/blob/v1/x.py"
    assert file_url("https://example.org/o/r", "v1", "x.py") is None


def test_core_metadata() -> None:
    meta = from_core_metadata(PKG_INFO)
    assert meta == ProjectMeta(
        name="demo-pkg",
        version="1.2.3",
        summary="A demo *package* for tests",
        home="https://demo.example.org",
        repository="https://github.com/owner/demo",
        docs="https://demo.readthedocs.io/",
        license="MIT",
    )
    assert meta.pypi == "https://pypi.org/project/demo-pkg/"


def test_core_metadata_is_utf8() -> None:
    data = "Name: caf\u00e9-tools\nSummary: \U0001f308 Drop-in caf\u00e9 for Click\n".encode()
    meta = from_core_metadata(data)
    assert (meta.name, meta.summary) == ("caf\u00e9-tools", "\U0001f308 Drop-in caf\u00e9 for Click")
    assert from_core_metadata(b"Name: x\nSummary: bad \xff byte\n").summary == "bad \ufffd byte"


def test_long_license_text_falls_back_to_the_classifier() -> None:
    data = (
        b"Name: x\nLicense: "
        + b"Permission is hereby granted " * 10
        + b"\nClassifier: License :: OSI Approved :: BSD License\n"
    )
    assert from_core_metadata(data).license == "BSD License"


def test_pyproject_and_setup_cfg() -> None:
    pyproject = b"""
[project]
name = "demo"
description = "Demo."
license = {text = "Apache-2.0"}
dynamic = ["version"]
[project.urls]
Homepage = "https://github.com/owner/demo"
"Bug Tracker" = "https://github.com/owner/demo/issues"
"""
    assert from_pyproject(pyproject) == ProjectMeta(
        name="demo",
        summary="Demo.",
        home="https://github.com/owner/demo",
        repository="https://github.com/owner/demo",
        license="Apache-2.0",
    )
    setup_cfg = b"""
[metadata]
name = demo2
version = attr: demo2.__version__
description = Another demo
url = https://demo2.example.org
project_urls =
    Documentation = https://demo2.readthedocs.io
    Source = https://gitlab.com/owner/demo2
"""
    assert from_setup_cfg(setup_cfg) == ProjectMeta(
        name="demo2",
        summary="Another demo",
        home="https://demo2.example.org",
        repository="https://gitlab.com/owner/demo2",
        docs="https://demo2.readthedocs.io",
    )
    assert from_pyproject(b"not toml [") == ProjectMeta()
    assert from_setup_cfg(b"[other]\nx=1\n") == ProjectMeta()


def test_project_meta_prefers_core_metadata() -> None:
    meta = project_meta(
        {"pyproject.toml": b'[project]\nname = "other"\ndescription = "D"\n', "PKG-INFO": PKG_INFO}
    )
    assert meta.name == "demo-pkg"
    assert meta.summary == "A demo *package* for tests"
