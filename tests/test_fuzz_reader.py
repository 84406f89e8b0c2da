"""Fuzzing the reader and the renderer: for any input, no exception escapes and every problem is located.

Property-based tests (Hypothesis) feed arbitrary and format-shaped text and
bytes; a seeded fuzz damages real pages (the shared corpus when it is beside the
checkout, and always our own fixture pages) and runs ``check`` over the damage.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from docutils import nodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_codeexamples.cli import main
from sphinx_codeexamples.ext.markdown import SAFE_SCHEMES, LinkPolicy, markdown_to_nodes
from sphinx_codeexamples.ext.render import RenderOptions, render_example, render_intro
from sphinx_codeexamples.problems import Problem
from sphinx_codeexamples.store import parse_page, read_page_file, scan_store

ROOTS = Path(__file__).parent / "roots"
FIXTURE_PAGES = sorted(path for path in ROOTS.glob("test-*/store/*") if path.is_file())
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines that the format gives meaning to, so that generated pages reach deep into the reader.
FRAGMENTS = [
    "title: pkg.mod thing Example Code",
    "sidebartitle: pkg.mod thing",
    "sidebartitle: pkg thing",
    "meta: the thing callable of the Pkg project",
    "category: page",
    "toc: False",
    "slug: x",
    "",
    "`thing` is a callable within the `pkg.mod` module of the Pkg project.",
    '<a href="/pkg-other-examples.html">other</a>',
    "is another callable from the `pkg` package with code examples.",
    "## Example 1 from proj",
    "### Example 2 from proj (fork) ",
    "# Example 1 from ",
    "[**proj / a.py**](https://github.com/o/proj/blob/main/a.py)",
    "[**proj / a.py**](",
    '[**proj**]("javascript:alert(1))',
    "```python",
    "```python linestart=3,99999999999",
    "```",
    "````",
    "~~~",
    "~~thing()",
    " ~~    thing(x)",
    "~~",
    "`~thing()",
    "## ... source file abbreviated to get to thing examples ...",
    "# ... source file continues with no further thing examples...",
    '<a href="javascript:alert(1)" onclick="x()">js</a> <script>alert(2)</script>',
    "[md](javascript:alert(3)) <img src=x onerror=alert(4)> [ok](https://example.org)",
    "\ufeff\u2028\x0c\r",
]
format_lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60)
format_text = format_lines.map("\n".join)
any_text = st.one_of(st.text(), format_text)


def line_count(text: str) -> int:
    return max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))


def assert_located(problems: list[Problem], count: int) -> None:
    for problem in problems:
        assert 1 <= problem.line <= count, problem


def assert_safe(result: list[nodes.Node]) -> None:
    """No raw node, and every reference's URL has a safe scheme or is relative."""
    for node in result:
        assert not any(node.findall(nodes.raw))
        for reference in node.findall(nodes.reference):
            scheme = str(reference.get("refuri", "")).partition(":")[0].lower()
            assert ":" not in str(reference.get("refuri", "")) or scheme in SAFE_SCHEMES, reference


# -- properties ------------------------------------------------------------------------------------


@FUZZ
@given(any_text)
def test_parse_page_never_raises(text: str) -> None:
    _, problems = parse_page(text, "fuzz.md")
    assert_located(problems, line_count(text))


@FUZZ
@given(
    st.one_of(
        st.binary(),
        format_text.map(str.encode),
        st.tuples(format_text, st.binary()).map(lambda pair: pair[0].encode() + pair[1]),
    )
)
def test_read_page_file_never_raises(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "page.md"
    path.write_bytes(data)
    _, problems = read_page_file(str(path))
    assert_located(problems, line_count(data.decode("utf-8", "replace")))


@FUZZ
@given(any_text, st.sampled_from(["", "https://example.org", "javascript:alert(1)//"]))
def test_markdown_to_nodes_never_raises_and_stays_safe(text: str, base_url: str) -> None:
    unsafe: list[str] = []
    result = markdown_to_nodes(text, LinkPolicy(base_url=base_url, on_unsafe=unsafe.append))
    assert_safe(result)


@FUZZ
@given(format_text, st.booleans())
def test_rendering_any_parsed_page_never_raises(text: str, linenos: bool) -> None:
    page, _ = parse_page(text, "fuzz.md")
    if page is None or page.callable is None:
        return
    policy = LinkPolicy(base_url="https://example.org")
    rendered = render_intro(page, policy)
    for example in page.examples:
        rendered.append(render_example(page, example, policy, RenderOptions(linenos=linenos)))
    assert_safe(rendered)


# -- damaging real pages ---------------------------------------------------------------------------


def damage(data: bytes, rng: random.Random) -> bytes:
    """One to three random injuries: truncation, lost or doubled lines, byte noise, broken fences."""
    for _ in range(rng.randint(1, 3)):
        lines = data.split(b"\n")
        kind = rng.choice(["truncate", "delete", "duplicate", "noise", "fence", "marker"])
        if kind == "truncate":
            data = data[: rng.randint(0, len(data))]
        elif kind == "delete" and lines:
            start = rng.randrange(len(lines))
            del lines[start : start + rng.randint(1, 5)]
            data = b"\n".join(lines)
        elif kind == "duplicate" and lines:
            start = rng.randrange(len(lines))
            lines[start:start] = lines[start : start + rng.randint(1, 20)]
            data = b"\n".join(lines)
        elif kind == "noise":
            noisy = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                position = rng.randint(0, len(noisy))
                noisy[position:position] = bytes([rng.choice([0x80, 0xC3, 0xFF, 0x0D, 0x60, 0x7E, 0x23])])
            data = bytes(noisy)
        elif kind == "fence":
            fences = [index for index, line in enumerate(lines) if line.lstrip().startswith((b"```", b"~~~"))]
            if fences:
                index = rng.choice(fences)
                lines[index] = rng.choice([b"", b"``", b"````", b"~~~", b"```python", lines[index] + b"`"])
                data = b"\n".join(lines)
        elif kind == "marker" and lines:
            index = rng.randrange(len(lines))
            lines[index] = rng.choice([b"~~", b" ~~", b"`~"]) + lines[index]
            data = b"\n".join(lines)
    return data


def fuzz_store(pages: list[Path], target: Path, copies: int, seed: int) -> None:
    rng = random.Random(seed)
    target.mkdir()
    for page in pages:
        data = page.read_bytes()
        for copy in range(copies):
            damaged = target / f"{page.stem}-{copy}.md"
            damaged.write_bytes(damage(data, rng))
            _, problems = read_page_file(str(damaged))
            assert_located(problems, line_count(damaged.read_bytes().decode("utf-8", "replace")))


def check_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = scan_store([str(store)])
    assert len(index.entries) == len(list(store.iterdir()))
    assert main(["check", str(store)]) in (0, 1)
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith(f"{len(index.entries)} pages, ")


def test_fuzz_fixture_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert FIXTURE_PAGES
    fuzz_store(FIXTURE_PAGES, tmp_path / "store", copies=25, seed=20240505)
    check_store(tmp_path / "store", capsys)


def test_fuzz_corpus_pages(shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = sorted((shared_dir / "corpus").glob("*/*")) + sorted((shared_dir / "seeds").glob("*"))
    pages = random.Random(7).sample(corpus, min(60, len(corpus)))
    fuzz_store(pages, tmp_path / "store", copies=4, seed=1312)
    check_store(tmp_path / "store", capsys)


def test_real_corpus_reads_clean_with_its_marked_lines(shared_dir: Path) -> None:
    """Hardening must not cost the real pages anything: zero problems, every marked line kept."""
    pages = sorted((shared_dir / "corpus").glob("*/*")) + sorted((shared_dir / "seeds").glob("*"))
    assert len(pages) >= 165
    for path in pages:
        page, problems = read_page_file(str(path))
        assert problems == [], path
        assert page is not None
        text = path.read_text(encoding="utf-8")
        marked = sum(line.startswith(("~~", " ~~")) for line in text.split("\n"))
        assert sum(example.marked_count for example in page.examples) == marked, path
