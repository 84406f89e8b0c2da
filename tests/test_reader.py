"""The store reader: format variants, elisions, markers, problems, the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_codeexamples.model import CallableName, Elision, Hunk, Kind
from sphinx_codeexamples.problems import ProblemCode
from sphinx_codeexamples.store import parse_page, read_page_file
from sphinx_codeexamples.store.elision import is_elision

FRONT = """\
title: pkg.mod thing Example Code
category: page
slug: pkg-mod-thing-examples
sortorder: 500000001
toc: False
sidebartitle: pkg.mod thing
meta: Python example code that shows how to use the thing class from the pkg.mod module of the Pkg project.


"""


def page_text(body: str, front: str = FRONT) -> str:
    return front + body


def example(number: int = 1, heading: str = "## ", code: str = "~~thing()\n", link: str | None = None) -> str:
    link = link if link is not None else "[**proj / a.py**](https://github.com/o/proj/blob/abc123/a.py)"
    return f"{heading}Example {number} from proj\nA blurb.\n\n{link}\n\n```python\n{code}```\n\n"


def codes(problems: list) -> list[ProblemCode]:
    return [problem.code for problem in problems]


def test_front_matter_and_callable_from_sidebartitle() -> None:
    page, problems = parse_page(page_text(example()), "p.md")
    assert problems == []
    assert page is not None
    assert page.callable == CallableName("pkg.mod", "thing")
    assert page.meta.slug == "pkg-mod-thing-examples"
    assert page.meta.sortorder == "500000001"
    assert page.kind is Kind.CLASS  # from the meta sentence
    assert page.project == "Pkg"


def test_sidebartitle_without_space_splits_at_last_dot() -> None:
    front = FRONT.replace("sidebartitle: pkg.mod thing", "sidebartitle: django.urls.reverse_lazy")
    page, _ = parse_page(page_text(example(), front), "p.md")
    assert page is not None and page.dotted == "django.urls.reverse_lazy"


def test_callable_from_title_when_sidebartitle_missing() -> None:
    front = "\n".join(line for line in FRONT.split("\n") if not line.startswith("sidebartitle"))
    page, problems = parse_page(page_text(example(), front), "p.md")
    assert page is not None and page.dotted == "pkg.mod.thing"
    assert ProblemCode.FRONT_MATTER in codes(problems)


@pytest.mark.parametrize(
    "intro, kind, generated",
    [
        ("`thing` is a class within the `pkg.mod` module of the Pkg project.", Kind.CLASS, True),
        ("thing is a function within the pkg.mod module of the Pkg project.", Kind.FUNCTION, True),
        ("Hand-written *prose* with a [link](https://example.org).", Kind.CLASS, False),
    ],
)
def test_intro_generated_or_prose(intro: str, kind: Kind, generated: bool) -> None:
    page, problems = parse_page(page_text(intro + "\n\n" + example()), "p.md")
    assert problems == []
    assert page is not None
    assert page.kind is kind
    assert page.generated_intro is generated
    assert page.intro == ("" if generated else intro)


def test_related_block_is_recognised_not_kept_as_prose() -> None:
    body = (
        "`thing` is a callable within the `pkg.mod` module of the Pkg project.\n\n"
        '<a href="/pkg-mod-a-examples.html">a</a>,\n'
        '<a href="/pkg-mod-b-examples.html">b</a>\n'
        'and <a href="/pkg-mod-c-examples.html">c</a>\n'
        "are several other callables with code examples from the same `pkg.mod` package.\n\n" + example()
    )
    page, _ = parse_page(page_text(body), "p.md")
    assert page is not None
    assert [link.name for link in page.related] == ["a", "b", "c"]
    assert page.intro == ""


@pytest.mark.parametrize("heading", ["## ", "### ", "# ", "###### "])
def test_heading_variants(heading: str) -> None:
    text = page_text(example(1, heading) + example(2, heading).replace("proj\n", "proj \n", 1))
    page, problems = parse_page(text, "p.md")
    assert problems == []
    assert page is not None
    assert [(e.number, e.project) for e in page.examples] == [(1, "proj"), (2, "proj")]


def test_heading_inside_code_is_code() -> None:
    code = "~~thing()\n## Example 9 from nowhere\n"
    page, _ = parse_page(page_text(example(code=code)), "p.md")
    assert page is not None and len(page.examples) == 1
    assert page.examples[0].hunks[0].lines == ("thing()", "## Example 9 from nowhere")


def test_markers_column_zero_and_one_space_keep_indentation() -> None:
    code = "def f():\n~~    thing()\n ~~    other = thing\n~~\n    return 1\n"
    page, _ = parse_page(page_text(example(code=code)), "p.md")
    assert page is not None
    (hunk,) = page.examples[0].hunks
    assert hunk.lines == ("def f():", "    thing()", "    other = thing", "", "    return 1")
    assert hunk.marked == frozenset({1, 2, 3})
    assert hunk.marked_linenos() == [2, 3, 4]


def test_malformed_backtick_marker_is_reported_not_marked() -> None:
    code = "~~thing()\n`~ other()\n"
    page, problems = parse_page(page_text(example(code=code)), "p.md")
    assert page is not None
    assert page.examples[0].marked_count == 1
    (problem,) = problems
    assert problem.code is ProblemCode.MARKER and problem.line == 17


@pytest.mark.parametrize(
    "line",
    [
        "## ... source file abbreviated to get to thing examples ...",
        "## ... source file continues with no further thing examples...",
        "## ... source file continues with no further thing examples ...",
        "# ... source file abbreviated to get to thing examples ...",
        "## ... source file continues with no further relevant examples...",
        "## ... source code abbreviated here to get to the examples ...",
        "## ... some of source file skipped here for brevity ...",
        "## ... the file continues with further examples ...",
        "    ## ... source file abbreviated to get to thing examples ...",
        # Without dots, as hand-edited pages have them.
        "## source file continues from here without further CharField examples",
        "# code continues on from here without further examples",
        "## Source file continues with no further examples.",
        "## the code continues below, with no more session examples",
        "## source file abbreviated to get to object_session examples",
        "    # code skipped to get to the examples",
    ],
)
def test_elision_variants(line: str) -> None:
    assert is_elision(line)


@pytest.mark.parametrize(
    "line",
    [
        "# continue with the next file",
        "## Example 2 from proj",
        "x = '...source file abbreviated...'",
        "# TODO: skip this ...",
        "    # the loop continues ...",
        # Code comments that read much like dotless elisions.
        "# continue from here",
        "# code continues from here",
        "# skip the rest of the file",
        "    # source file continues below without further changes",
        "# file skipped: no examples found",
        "# The source file is skipped when no examples match",
        "# code continues without further examples until the next release, see the changelog for more",
        "# examples continue without further source",
        "x = 1  # code continues on from here without further examples",
        "#: code continues without further examples",
        "## code continues without further examples " + "and more " * 30,
    ],
)
def test_ordinary_comments_are_not_elisions(line: str) -> None:
    assert not is_elision(line)


def test_elisions_split_hunks_and_blank_edges_are_trimmed() -> None:
    code = (
        "import pkg\n\n\n## ... source file abbreviated to get to thing examples ...\n\n\n"
        "~~pkg.mod.thing()\n\n\n## ... source file continues with no further thing examples...\n\n"
    )
    page, _ = parse_page(page_text(example(code=code)), "p.md")
    assert page is not None
    parts = page.examples[0].code
    assert [type(part) for part in parts] == [Hunk, Elision, Hunk, Elision]
    assert parts[0] == Hunk(("import pkg",))
    assert parts[2] == Hunk(("pkg.mod.thing()",), frozenset({0}))
    assert isinstance(parts[3], Elision)
    assert parts[3].summary == "source file continues with no further thing examples"


def test_linestart_info_gives_original_line_numbers() -> None:
    code = "~~a()\n\n\n## ... source file abbreviated to get to thing examples ...\n\n\n~~b()\n"
    text = page_text(example(code=code)).replace("```python\n", "```python linestart=12,40\n")
    page, _ = parse_page(text, "p.md")
    assert page is not None
    assert [hunk.start for hunk in page.examples[0].hunks] == [12, 40]


@pytest.mark.parametrize(
    "link, url",
    [
        (
            "[**p / a.py**](https://github.com/o/p/blob/master/./a.py)",
            "https://github.com/o/p/blob/master/./a.py",
        ),
        (
            '[**p / a.py**]("https://github.com/o/p/blob/master/a.py")',
            "https://github.com/o/p/blob/master/a.py",
        ),
        ("[**p / dir**](https://github.com/o/p/tree/master/dir)", "https://github.com/o/p/tree/master/dir"),
    ],
)
def test_file_link_variants(link: str, url: str) -> None:
    page, problems = parse_page(page_text(example(link=link)), "p.md")
    assert problems == []
    assert page is not None and page.examples[0].source_url == url


def test_file_link_without_url_is_located_warning() -> None:
    page, problems = parse_page(page_text(example(link="[**p / a.py**](")), "p.md")
    assert page is not None and page.examples[0].source_url is None
    assert [(p.code, p.line) for p in problems] == [(ProblemCode.SOURCE_LINK, 13)]


def test_blurb_links_are_classified() -> None:
    blurb = (
        "[proj](https://github.com/o/proj) ([project documentation](https://proj.readthedocs.io/) and "
        "[PyPI page](https://pypi.org/project/proj/)) is under the "
        "[MIT License](https://github.com/o/proj/blob/master/LICENSE)."
    )
    text = page_text(example()).replace("A blurb.", blurb)
    page, _ = parse_page(text, "p.md")
    assert page is not None
    links = page.examples[0].links
    assert links.repository == "https://github.com/o/proj"
    assert links.docs == "https://proj.readthedocs.io/"
    assert links.pypi == "https://pypi.org/project/proj/"
    assert links.license == "https://github.com/o/proj/blob/master/LICENSE"


def test_hub_page_is_recognised_without_noise() -> None:
    front = FRONT.replace("sidebartitle: pkg.mod thing", "sidebartitle: Pkg Extensions")
    page, problems = parse_page(
        page_text("Projects that extend Pkg.\n\n### Alembic\nA tool.\n", front), "h.md"
    )
    assert problems == []
    assert page is not None and page.is_hub


def test_unclosed_fence_does_not_swallow_next_example() -> None:
    text = page_text(example(1).replace("```\n\n", "\n\n") + example(2))
    page, problems = parse_page(text, "p.md")
    assert page is not None
    assert [e.number for e in page.examples] == [1, 2]
    assert ProblemCode.FENCE in codes(problems)


def test_problems_are_located_and_rest_loads() -> None:
    text = page_text(example(1) + "## Example 2 from broken\nno code here\n\n" + example(3))
    page, problems = parse_page(text, "p.md")
    assert page is not None and [e.number for e in page.examples] == [1, 2, 3]
    assert {(p.code, p.line) for p in problems} >= {(ProblemCode.EXAMPLE, 19)}
    assert all(p.path == "p.md" and p.line > 0 for p in problems)


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty, binary = tmp_path / "empty.md", tmp_path / "binary.md"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x89PNG\x00\x00")
    assert read_page_file(str(empty))[0] is None
    assert codes(read_page_file(str(binary))[1]) == [ProblemCode.UNREADABLE]


def test_non_utf8_bytes_are_replaced_with_a_located_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(page_text(example()).replace("A blurb.", "Caf\udce9").encode("utf-8", "surrogateescape"))
    page, problems = read_page_file(str(path))
    assert page is not None
    assert [(p.code, p.line) for p in problems] == [(ProblemCode.ENCODING, 11)]


# -- the real corpus (skips when ../shared is absent) ---------------------------------------------


def real_pages(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "corpus" / "fsp-sqlalchemy").glob("*.markdown")) + sorted(
        (shared_dir / "seeds").glob("*.txt")
    )


def test_real_corpus_reads_without_problems_and_keeps_every_marked_line(shared_dir: Path) -> None:
    pages = real_pages(shared_dir)
    assert len(pages) == 165
    hubs = 0
    for path in pages:
        page, problems = read_page_file(str(path))
        assert problems == [], path
        assert page is not None, path
        lines = path.read_text(encoding="utf-8").split("\n")
        expected = [
            line.removeprefix(" ").removeprefix("~~") for line in lines if line.startswith(("~~", " ~~"))
        ]
        marked = [
            hunk.lines[i] for example in page.examples for hunk in example.hunks for i in sorted(hunk.marked)
        ]
        assert marked == expected, path
        elisions = sum(1 for line in lines if is_elision(line))
        assert elisions == sum(isinstance(part, Elision) for e in page.examples for part in e.code), path
        hubs += page.is_hub
        for example_ in page.examples:
            assert example_.source_url and example_.source_url.startswith("https://github.com/"), path
    assert hubs == 2


def test_a_hunk_keeps_its_lines_as_one_string() -> None:
    hunk = Hunk(["a = 1", "", "b(a)"], frozenset({2}), 10)
    assert hunk.text == "a = 1\n\nb(a)"
    assert hunk.lines == ("a = 1", "", "b(a)")
    assert hunk == Hunk(("a = 1", "", "b(a)"), frozenset({2}), 10)
    assert Hunk(()).lines == () and Hunk(("",)).lines == ("",)
    assert Hunk(()) != Hunk(("",))
