"""Malformed pages: each shape gets a located problem and the rest of the page and store still load.

Also the size limits (a huge file is skipped, a huge line only warns), linear
time on enormous inputs, files that are not pages, and symbolic links that
leave the store.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.problems import Problem, ProblemCode
from sphinx_codeexamples.store import parse_page, read_page_file, reader, scan_store

FRONT = """\
title: pkg.mod thing Example Code
category: page
slug: pkg-mod-thing-examples
sortorder: 500000001
toc: False
sidebartitle: pkg.mod thing
meta: Python example code that shows how to use the thing callable from the pkg.mod module of the Pkg project.


"""
LINK = "[**proj / a.py**](https://github.com/o/proj/blob/abc123/a.py)"


def example(number: int = 1, code: str = "~~thing()\n", link: str = LINK, fence: str = "```") -> str:
    return f"## Example {number} from proj\nA blurb.\n\n{link}\n\n{fence}python\n{code}{fence}\n\n"


GOOD = FRONT + example(1) + example(2)


def located(problems: list[Problem]) -> list[tuple[ProblemCode, int]]:
    return [(problem.code, problem.line) for problem in problems]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (name, page text, the problem expected, the line it is expected at, examples still read)
SHAPES = [
    (
        "missing key",
        GOOD.replace("toc: False\n", ""),
        ProblemCode.FRONT_MATTER,
        1,
        2,
    ),
    (
        "repeated key",
        GOOD.replace("toc: False\n", "toc: False\ntoc: True\n"),
        ProblemCode.FRONT_MATTER,
        6,
        2,
    ),
    ("empty value", GOOD.replace("slug: pkg-mod-thing-examples", "slug:"), ProblemCode.FRONT_MATTER, 3, 2),
    ("unknown key", GOOD.replace("toc: False\n", "toc: False\nauthor: me\n"), ProblemCode.FRONT_MATTER, 6, 2),
    ("no front matter", example(1), ProblemCode.FRONT_MATTER, 1, None),
    (
        "no examples",
        FRONT + "`thing` is a callable within the `pkg.mod` module of the Pkg project.\n",
        ProblemCode.NO_EXAMPLES,
        8,
        0,
    ),
    (
        "unclosed fence",
        FRONT + example(1, fence="```").replace("```\n\n", "\n\n") + example(2),
        ProblemCode.FENCE,
        15,
        2,
    ),
    (
        "file link without URL",
        FRONT + example(1, link="[**proj / a.py**](") + example(2),
        ProblemCode.SOURCE_LINK,
        13,
        2,
    ),
    ("no file link", FRONT + example(1, link="") + example(2), ProblemCode.SOURCE_LINK, 10, 2),
    ("repeated example", FRONT + example(1) + example(1), ProblemCode.EXAMPLE, 19, 2),
    (
        "no code block",
        FRONT + "## Example 1 from proj\nA blurb.\n\n" + LINK + "\n\n" + example(2),
        ProblemCode.EXAMPLE,
        10,
        2,
    ),
    ("nothing marked", FRONT + example(1, code="thing()\n") + example(2), ProblemCode.MARKER, 10, 2),
    (
        "backtick marker",
        FRONT + example(1, code="`~thing()\n~~x()\n") + example(2),
        ProblemCode.MARKER,
        16,
        2,
    ),
    (
        "marker in the blurb",
        FRONT + example(1).replace("A blurb.", "~~thing()") + example(2),
        ProblemCode.MARKER,
        11,
        2,
    ),
    ("marker in the preamble", FRONT + "~~thing()\n\n" + example(1), ProblemCode.MARKER, 10, 1),
    (
        "text after the code",
        FRONT + example(1) + "Trailing words.\n\n" + example(2),
        ProblemCode.EXAMPLE,
        19,
        2,
    ),
    ("page pasted twice", GOOD + GOOD, ProblemCode.FRONT_MATTER, 28, 4),
    ("second block", FRONT + example(1, code="~~a()\n```\n\n```python\n~~b()\n"), ProblemCode.FENCE, 19, 1),
    ("empty file", "", ProblemCode.NO_EXAMPLES, 1, None),
    ("blank file", "\n\n   \n", ProblemCode.NO_EXAMPLES, 1, None),
    ("long line", FRONT + example(1, code="~~x = '" + "y" * 200_000 + "'\n"), ProblemCode.LONG_TEXT, 16, 1),
    ("long blurb", FRONT + example(1).replace("A blurb.", "words\n" * 30_000), ProblemCode.LONG_TEXT, 10, 1),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "examples"), [shape[1:] for shape in SHAPES], ids=[s[0] for s in SHAPES]
)
def test_malformed_shape_is_located_and_the_rest_loads(
    text: str, code: ProblemCode, line: int, examples: int | None
) -> None:
    page, problems = parse_page(text, "shape.md")
    assert (code, line) in located(problems), problems
    count = max(1, len(text.split("\n")))
    assert all(1 <= problem.line <= count for problem in problems)
    if examples is None:
        assert page is None
    else:
        assert page is not None and len(page.examples) == examples


def test_truncated_anywhere_never_raises_and_stays_located() -> None:
    for end in range(len(GOOD) + 1):
        text = GOOD[:end]
        _, problems = parse_page(text, "cut.md")
        count = max(1, len(text.split("\n")))
        assert all(1 <= problem.line <= count for problem in problems), (end, problems)


def test_many_problems_are_summed_up() -> None:
    text = FRONT + "## Example 1 from p\n" * 5_000
    _, problems = parse_page(text, "many.md")
    assert len(problems) == reader.MAX_PROBLEMS + 1
    assert "more problems on this page are not listed" in problems[-1].message


# -- files that are not pages ----------------------------------------------------------------------


def test_non_utf8_bytes_are_replaced_with_a_located_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(GOOD.replace("A blurb.", "Caf\xe9 blurb.").encode("latin-1"))
    page, problems = read_page_file(str(path))
    assert located(problems) == [(ProblemCode.ENCODING, 11)]
    assert page is not None and page.examples[0].blurb == "Caf\ufffd blurb."


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    page, problems = read_page_file(str(path))
    assert problems == [] and page is not None and len(page.examples) == 2


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page, problems = read_page_file(str(path))
    assert page is None and located(problems) == [(ProblemCode.UNREADABLE, 3)]  # the line of the first NUL


def test_too_large_file_is_skipped_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_PAGE_BYTES", 1_000)
    big, small = tmp_path / "big.md", tmp_path / "small.md"
    big.write_text(GOOD * 10, encoding="utf-8")
    small.write_text(GOOD.replace("pkg.mod thing", "pkg.mod other"), encoding="utf-8")
    page, problems = read_page_file(str(big))
    assert page is None and located(problems) == [(ProblemCode.TOO_LARGE, 1)]
    index = scan_store([str(tmp_path)])
    assert sorted(index.by_name) == ["pkg.mod.other"]
    assert [problem.code for problem in index.problems] == [ProblemCode.TOO_LARGE]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    page, problems = read_page_file(str(tmp_path / "pipe.md"))  # would block forever if opened
    assert page is None and [problem.code for problem in problems] == [ProblemCode.UNREADABLE]


def test_symlink_out_of_the_store_is_not_read(tmp_path: Path) -> None:
    store, outside = tmp_path / "store", tmp_path / "outside"
    store.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text(GOOD.replace("pkg.mod thing", "secret.mod leak"), encoding="utf-8")
    (store / "good.md").write_text(GOOD, encoding="utf-8")
    (store / "leak.md").symlink_to(outside / "secret.md")
    (store / "inside.md").symlink_to(store / "good.md")  # a link inside the store is fine
    (store / "dangling.md").symlink_to(store / "missing.md")
    (store / "subdir").symlink_to(outside, target_is_directory=True)  # never walked
    index = scan_store([str(store)])
    assert "secret.mod.leak" not in index.by_name
    codes = {Path(problem.path).name: problem.code for problem in index.problems}
    assert codes["leak.md"] is ProblemCode.OUTSIDE_STORE
    assert codes["dangling.md"] is ProblemCode.UNREADABLE
    assert codes["inside.md"] is ProblemCode.DUPLICATE


def test_check_cli_reports_broken_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"title: x\n\x00\x01")
    (tmp_path / "empty.md").write_bytes(b"")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.md'}:2: error:" in out and "[unreadable]" in out
    assert f"{tmp_path / 'empty.md'}:1: error: empty file [no-examples]" in out
    assert "3 pages, 1 callable, 2 examples" in out


# -- enormous inputs parse in linear time ----------------------------------------------------------

ENORMOUS = {
    "a million code lines": FRONT
    + "## Example 1 from p\n"
    + LINK
    + "\n```python\n"
    + "~~x = 1\n" * 1_000_000
    + "```\n",
    "fence lines": FRONT + "```\n" * 200_000,
    "related links": FRONT + '<a href="/x.html">x</a>\n' * 200_000,
    "5 MB of tildes and a backtick": FRONT + "~" * 5_000_000 + "`\n",
    "5 MB heading": FRONT + "## Example 1 from " + " " * 5_000_000 + "x\n",
    "5 MB title": "title: a" + " " * 5_000_000 + "b\n",
    "5 MB meta": FRONT.replace("meta: ", "meta: " + "of the " * 700_000),
    "5 MB code line": FRONT + "## Example 1 from p\n" + LINK + "\n```\n~~" + "f(" * 2_500_000 + "\n```\n",
    "5 MB blurb line": FRONT + "## Example 1 from p\n" + "*[`<a " * 1_000_000 + "\n",
    "decreasing fences": FRONT + "".join("`" * k + f"\n## Example {k} from p\n" for k in range(3_000, 2, -1)),
    "many hunks": FRONT
    + "## Example 1 from p\n```\n"
    + "~~a\n# ... source skipped ...\n" * 100_000
    + "```\n",
}


@pytest.mark.parametrize("text", ENORMOUS.values(), ids=ENORMOUS.keys())
def test_enormous_input_parses_in_seconds(text: str) -> None:
    started = time.perf_counter()
    parse_page(text, "huge.md")
    # Linear parsing takes 1-3 s here; anything quadratic takes minutes or hours.
    assert time.perf_counter() - started < 30
