"""Turning a :class:`~sphinx_codeexamples.model.Page` into core docutils nodes.

Only core nodes are produced (sections, paragraphs, references, literal blocks
with ``hl_lines``), so every builder renders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes

from ..model import Elision, Example, Hunk, Page
from .highlight import NAMES, PackedNames, linked_literal_block
from .i18n import _, elision_text, example_title, format_nodes, intro_sentence
from .links import names_by_hunk
from .markdown import LinkPolicy, markdown_to_nodes
from .search import NO_SEARCH

#: Classes other builders' transforms find our nodes by.
CODE_CLASS = "codeexamples-code"
ELISION_CLASS = "codeexamples-elision"
SOURCE_CLASS = "codeexamples-source"
#: The attribute of paragraphs whose text is the store's, translated by the user's catalogs.
USER_TEXT = "codeexamples_user_text"
#: What an elision's text starts with.
ELISION_MARK = "\N{VERTICAL ELLIPSIS} "


@dataclass(frozen=True)
class RenderOptions:
    """What a directive asks to show."""

    max_examples: int | None = None
    projects: frozenset[str] | None = None
    intro: bool = True
    linenos: bool = False
    link_names: bool = True
    #: Inside body elements (an API entry's content), where a section would become a
    #: numbered heading of the document: a container headed by a rubric instead.
    nested: bool = False
    search_code: bool = False


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


def user_markdown(text: str, policy: LinkPolicy, path: str, first_line: int) -> list[nodes.Node]:
    """Nodes for Markdown from the store (the user's content, not ours): its paragraphs carry
    their store file and line, so the ``gettext`` builder extracts them and
    :class:`~.i18n.StoreTranslations` replaces them with the user's translations."""
    result = markdown_to_nodes(text, policy)
    for node in result:
        for paragraph in node.findall(nodes.paragraph):
            if paragraph.rawsource:
                paragraph.source = path
                paragraph.line = first_line + (paragraph.line or 1) - 1
                paragraph[USER_TEXT] = True
    return result


def render_intro(page: Page, policy: LinkPolicy) -> list[nodes.Node]:
    container = nodes.container(classes=["codeexamples-intro"])
    if page.generated_intro or not page.intro:
        container.extend(markdown_to_nodes(intro_sentence(page), policy))
    if page.intro:
        container.extend(user_markdown(page.intro, policy, page.path, page.intro_line))
    return [container]


def render_example(
    page: Page, example: Example, policy: LinkPolicy, options: RenderOptions
) -> nodes.section | nodes.container:
    anchor = example_anchor(page.dotted, example.number)
    title_text = example_title(example.number, example.project)
    section: nodes.section | nodes.container
    if options.nested:
        section = nodes.container(ids=[anchor], classes=["codeexamples-example"])
        section += nodes.rubric(title_text, title_text, classes=["codeexamples-example-title"])
    else:
        section = nodes.section(ids=[anchor], names=[], classes=["codeexamples-example"])
        section += nodes.title(title_text, title_text)
    section[0]["translatable"] = False  # ours, translated already: not a message of the user's
    if example.blurb:
        blurb = nodes.container(classes=["codeexamples-blurb"])
        blurb.extend(user_markdown(example.blurb, policy, page.path, example.line + 1))
        section += blurb
    section += _source_link(example, policy)
    section.extend(_code(example, options))
    return section


def _source_link(example: Example, policy: LinkPolicy) -> nodes.paragraph:
    # Translators: the label of a source link when the store gives none.
    label = example.source_label or example.source_url or _("source file")
    paragraph = nodes.paragraph(classes=[SOURCE_CLASS])
    url = policy.resolve(example.source_url) if example.source_url else None
    link = nodes.reference(label, label, refuri=url) if url else nodes.literal(label, label)
    # Translators: {link} is the source file's label, linked to the file.
    paragraph.extend(format_nodes(_("Source: {link}"), link=link))
    return paragraph


def _code(example: Example, options: RenderOptions) -> Sequence[nodes.Node]:
    rendered: list[nodes.Node] = []
    names = names_by_hunk(example) if options.link_names else {}
    hunks = 0
    for part in example.code:
        if isinstance(part, Elision):
            rendered.append(_elision(part, options))
        else:
            rendered.append(hunk_block(part, example.language, options, names.get(hunks)))
            hunks += 1
    return rendered


def hunk_block(
    hunk: Hunk, language: str, options: RenderOptions, names: PackedNames | None = None
) -> nodes.literal_block:
    """One hunk as a highlighted literal block, its marked lines as ``hl_lines``; *names* are the
    spans :mod:`.links` turns into links when the page is written (see :mod:`.highlight`)."""
    text = hunk.text
    block = linked_literal_block(text, text, classes=[CODE_CLASS, *_search_classes(options)])
    if names is not None:
        block[NAMES] = names
    block["language"] = language
    # Stored code is not byte-faithful (and may be Python 2): highlight what lexes, never warn.
    block["force"] = True
    block["highlight_args"] = {"hl_lines": hunk.marked_linenos()}
    if options.linenos:
        block["linenos"] = True
        if hunk.start is not None:
            block["highlight_args"]["linenostart"] = hunk.start
    return block


def _search_classes(options: RenderOptions) -> list[str]:
    """Other projects' code is kept out of the search index unless asked for."""
    return [] if options.search_code else [NO_SEARCH]


def _elision(elision: Elision, options: RenderOptions) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=[ELISION_CLASS, *_search_classes(options)])
    paragraph += nodes.inline("", ELISION_MARK + elision_text(elision))
    return paragraph
