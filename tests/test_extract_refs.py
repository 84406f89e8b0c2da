"""Links to the exact line: each source's own ref, the PyPI inspector, and ``check --pinned``."""

from __future__ import annotations

import hashlib
import io
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.extract.gitinfo import GitInfo
from sphinx_codeexamples.extract.metadata import ProjectMeta
from sphinx_codeexamples.extract.refs import Linker, RefError, RefOptions, first_use
from sphinx_codeexamples.extract.sources import Source
from sphinx_codeexamples.model import Elision, Hunk
from sphinx_codeexamples.store import read_page_file
from sphinx_codeexamples.store.pinning import unpinned_reason

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def sdist(path: Path, name: str, version: str, files: dict[str, str]) -> Path:
    top = f"{name}-{version}"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += f"Project-URL: Source, https://github.com/owner/{name}\n"
    with tarfile.open(path, "w:gz") as archive:
        for member, text in sorted({"PKG-INFO": metadata, **files}.items()):
            data = textwrap.dedent(text).encode()
            info = tarfile.TarInfo(f"{top}/{member}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def blake(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=32).hexdigest()


def test_a_bare_ref_needs_a_single_source(tmp_path: Path) -> None:
    one, two = Source(str(tmp_path / "a.tar.gz"), "sdist"), Source(str(tmp_path / "b.tar.gz"), "sdist")
    assert RefOptions.parse(["v1"], None, [one]).ref_for(one, ProjectMeta()) == ("v1", "given")
    with pytest.raises(RefError, match="would pin all 2 sources to one ref"):
        RefOptions.parse(["v1"], None, [one, two])


def test_per_source_refs_by_location_or_file_name_and_templates(tmp_path: Path) -> None:
    one, two = (
        Source(str(tmp_path / "a-1.0.tar.gz"), "sdist"),
        Source(str(tmp_path / "b-2.0.tar.gz"), "sdist"),
    )
    refs = RefOptions.parse(["a-1.0.tar.gz=release-1"], "v{version}", [one, two])
    assert refs.ref_for(one, ProjectMeta(name="a", version="1.0")) == ("release-1", "given")
    assert refs.ref_for(two, ProjectMeta(name="b", version="2.0")) == ("v2.0", "template")
    assert refs.ref_for(two, ProjectMeta(name="b")) == (None, "none")  # no version: no guess
    by_path = RefOptions.parse([f"{two.location}=x"], None, [one, two])
    assert by_path.ref_for(two, ProjectMeta()) == ("x", "given")
    with pytest.raises(RefError, match="is not one of the sources given"):
        RefOptions.parse(["c.tar.gz=v1"], None, [one, two])
    with pytest.raises(RefError, match=r"only \{name\} and \{version\}"):
        RefOptions.parse([], "v{tag}", [one])


def test_a_checkout_gives_its_commit_and_a_template_does_not_override_it(tmp_path: Path) -> None:
    checkout = Source(str(tmp_path), "directory", GitInfo(COMMIT, "https://gitlab.com/o/r", "sub/", False))
    refs = RefOptions(template="v{version}")
    linker = refs.linker(checkout, ProjectMeta(name="r", version="1.0"))
    assert (linker.ref, linker.how) == (COMMIT, "commit")
    assert linker.url("pkg/m.py", 12) == f"https://gitlab.com/o/r/-/blob/{COMMIT}/sub/pkg/m.py#L12"
    assert "the checkout's HEAD" in linker.describe()


@pytest.mark.parametrize(
    ("repository", "anchor"),
    [
        ("https://github.com/o/r", "#L7"),
        ("https://codeberg.org/o/r", "#L7"),
        ("https://bitbucket.org/o/r", "#lines-7"),
    ],
)
def test_line_anchors_per_forge(tmp_path: Path, repository: str, anchor: str) -> None:
    linker = Linker(
        Source(str(tmp_path / "x.tar.gz"), "sdist"), ProjectMeta(repository=repository), "v1", "given"
    )
    url = linker.url("m.py", 7)
    assert url is not None and url.endswith("/m.py" + anchor)


def test_an_sdist_without_ref_links_its_own_file_on_the_inspector(tmp_path: Path) -> None:
    archive = sdist(tmp_path / "demo-1.2.tar.gz", "demo", "1.2", {"demo/m.py": "x = 1\n"})
    linker = Linker(Source(str(archive), "sdist"), ProjectMeta(name="demo", version="1.2"), None, "none")
    digest = blake(archive)
    assert linker.pinned
    assert linker.url("demo/m.py", 3) == (
        f"https://inspector.pypi.io/project/demo/1.2/packages/{digest[:2]}/{digest[2:4]}/{digest[4:]}"
        "/demo-1.2.tar.gz/demo-1.2/demo/m.py#line.3"
    )
    assert "not checked online" in linker.describe()
    assert unpinned_reason(linker.url("demo/m.py", 3)) is None


def test_a_wheel_links_its_members_by_their_own_names(tmp_path: Path) -> None:
    wheel = tmp_path / "demo-1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo-1.2.data/purelib/demo/m.py", "x = 1\n")
        archive.writestr("other/n.py", "y = 1\n")
    linker = Linker(Source(str(wheel), "wheel"), ProjectMeta(name="demo", version="1.2"), None, "none")
    assert str(linker.url("demo/m.py", 1)).endswith(
        "/demo-1.2-py3-none-any.whl/demo-1.2.data/purelib/demo/m.py#line.1"
    )
    assert str(linker.url("other/n.py")).endswith("/demo-1.2-py3-none-any.whl/other/n.py")


def test_a_directory_outside_git_is_not_pinned(tmp_path: Path) -> None:
    linker = Linker(Source(str(tmp_path), "directory"), ProjectMeta(name="demo", version="1.2"), None, "none")
    assert not linker.pinned
    assert linker.url("m.py", 3) == "https://pypi.org/project/demo/"
    assert "not pinned" in linker.describe()


def test_first_use_is_the_first_marked_original_line() -> None:
    code = (
        Hunk(("a", "b"), frozenset(), 3),
        Elision("## ..."),
        Hunk(("c", "d", "e"), frozenset({2, 1}), 40),
    )
    assert first_use(code) == 41
    assert first_use((Hunk(("a",), frozenset({0})),)) is None


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        (f"https://github.com/o/r/blob/{COMMIT}/m.py#L3", True),
        ("https://github.com/o/r/blob/main/m.py", False),
        ("https://github.com/o/r/blob/v1.0/m.py#L3", False),
        (f"https://gitlab.com/g/sub/r/-/blob/{COMMIT[:12]}/m.py", True),
        (f"https://codeberg.org/o/r/src/commit/{COMMIT}/m.py", True),
        ("https://codeberg.org/o/r/src/tag/v1/m.py", False),
        (f"https://bitbucket.org/o/r/src/{COMMIT}/m.py#lines-2", True),
        (f"https://raw.githubusercontent.com/o/r/{COMMIT}/m.py", True),
        (
            "https://inspector.pypi.io/project/d/1.2/packages/ab/cd/" + "e" * 60 + "/d-1.2.tar.gz/d-1.2/m.py",
            True,
        ),
        ("https://inspector.pypi.io/project/d/1.2/", False),
        ("https://pypi.org/project/d/1.2/", False),
        ("https://example.org/m.py", False),
    ],
)
def test_unpinned_reason(url: str, pinned: bool) -> None:
    assert (unpinned_reason(url) is None) is pinned


def test_extract_pins_each_source_on_its_own_and_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = sdist(tmp_path / "one-1.0.tar.gz", "one", "1.0", {"one/a.py": "import lib\n\n\nlib.f()\n"})
    two = sdist(tmp_path / "two-3.1.tar.gz", "two", "3.1", {"two/b.py": "from lib import f\nf()\n"})
    three = sdist(tmp_path / "three-0.1.tar.gz", "three", "0.1", {"three/c.py": "import lib\nlib.f()\n"})
    store = tmp_path / "store"
    arguments = ["extract", "--callable", "lib.f", str(one), str(two), str(three), "-o", str(store)]
    arguments += [
        "--ref",
        "one-1.0.tar.gz=release-1.0",
        "--ref-template",
        "v{version}",
        "--ref",
        f"{three}=0.1",
    ]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    page, _ = read_page_file(str(store / "lib-f-examples.markdown"))
    assert page is not None
    assert [example.source_url for example in page.examples] == [
        "https://github.com/owner/one/blob/release-1.0/one/a.py#L4",
        "https://github.com/owner/three/blob/0.1/three/c.py#L2",
        "https://github.com/owner/two/blob/v3.1/two/b.py#L1",
    ]
    assert (
        f"links: {two}: https://github.com/owner/two at v3.1 (guessed from --ref-template 'v{{version}}', "
        in out
    )
    assert f"links: {one}: https://github.com/owner/one at release-1.0 (given with --ref, not checked)" in out

    assert main(["check", "--strict", str(store)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--pinned", str(store)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{store / 'lib-f-examples.markdown'}:12: warning: example 1: source link is not pinned: "
        "'release-1.0' is a tag or branch name, not a commit: it may move, or not exist [unpinned-link]"
    )
    assert lines[-1].endswith("0 errors, 3 warnings")


def test_extract_without_refs_writes_pinned_inspector_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = sdist(tmp_path / "one-1.0.tar.gz", "one", "1.0", {"one/a.py": "import lib\n\n\nlib.f()\n"})
    store = tmp_path / "store"
    assert main(["extract", "--callable", "lib.f", str(one), "-o", str(store)]) == 0
    assert main(["check", "--strict", "--pinned", str(store)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 example: 0 errors, 0 warnings")
