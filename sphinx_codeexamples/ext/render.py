"""Turning a :class:`~sphinx_codeexamples.model.Page` into core docutils nodes.

Only core nodes are produced (sections, paragraphs, references, literal blocks
with ``hl_lines``), so every builder renders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes

from ..model import Elision, Example, Hunk, Page
from .highlight import Name, linked_literal_block
from .links import names_by_hunk
from .markdown import LinkPolicy, markdown_to_nodes


@dataclass(frozen=True)
class RenderOptions:
    """What a directive asks to show."""

    max_examples: int | None = None
    projects: frozenset[str] | None = None
    intro: bool = True
    linenos: bool = False
    link_names: bool = True


def example_anchor(dotted: str, number: int) -> str:
    """The stable id of an example section."""
    return str(nodes.make_id(f"{dotted}-example-{number}"))


def selected_examples(page: Page, options: RenderOptions) -> list[Example]:
    examples = list(page.examples)
    if options.projects is not None:
        wanted = {project.lower() for project in options.projects}
        examples = [example for example in examples if example.project.lower() in wanted]
    if options.max_examples is not None:
        examples = examples[: options.max_examples]
    return examples


def render_intro(page: Page, policy: LinkPolicy) -> list[nodes.Node]:
    text = page.intro_sentence() if page.generated_intro or not page.intro else ""
    text = "\n\n".join(part for part in (text, page.intro) if part)
    container = nodes.container(classes=["codeexamples-intro"])
    container.extend(markdown_to_nodes(text, policy))
    return [container]


def render_example(page: Page, example: Example, policy: LinkPolicy, options: RenderOptions) -> nodes.section:
    anchor = example_anchor(page.dotted, example.number)
    title_text = f"Example {example.number} from {example.project}"
    section = nodes.section(ids=[anchor], names=[], classes=["codeexamples-example"])
    section += nodes.title(title_text, title_text)
    if example.blurb:
        blurb = nodes.container(classes=["codeexamples-blurb"])
        blurb.extend(markdown_to_nodes(example.blurb, policy))
        section += blurb
    section += _source_link(example, policy)
    section.extend(_code(example, options))
    return section


def _source_link(example: Example, policy: LinkPolicy) -> nodes.paragraph:
    label = example.source_label or example.source_url or "source file"
    paragraph = nodes.paragraph(classes=["codeexamples-source"])
    paragraph += nodes.Text("Source: ")
    url = policy.resolve(example.source_url) if example.source_url else None
    if url:
        paragraph += nodes.reference(label, label, refuri=url)
    else:
        paragraph += nodes.literal(label, label)
    return paragraph


def _code(example: Example, options: RenderOptions) -> Sequence[nodes.Node]:
    rendered: list[nodes.Node] = []
    names = names_by_hunk(example) if options.link_names else {}
    hunks = 0
    for part in example.code:
        if isinstance(part, Elision):
            rendered.append(_elision(part))
        else:
            rendered.append(_literal_block(part, example.language, options, names.get(hunks, [])))
            hunks += 1
    return rendered


def _literal_block(
    hunk: Hunk, language: str, options: RenderOptions, names: list[Name]
) -> nodes.literal_block:
    text = hunk.text
    kind = linked_literal_block if names else nodes.literal_block
    block = kind(text, text, classes=["codeexamples-code"])
    if names:
        block["names"] = names  # linked when a page is written (see .links)
    block["language"] = language
    # Stored code is not byte-faithful (and may be Python 2): highlight what lexes, never warn.
    block["force"] = True
    block["highlight_args"] = {"hl_lines": hunk.marked_linenos()}
    if options.linenos:
        block["linenos"] = True
        if hunk.start is not None:
            block["highlight_args"]["linenostart"] = hunk.start
    return block


def _elision(elision: Elision) -> nodes.paragraph:
    text = elision.summary or "source abbreviated"
    paragraph = nodes.paragraph(classes=["codeexamples-elision"])
    paragraph += nodes.inline("", f"\N{VERTICAL ELLIPSIS} {text}")
    return paragraph
