"""Writing a :class:`~sphinx_codeexamples.model.Page` back to the store format.

Reading what :func:`render_page` writes gives back an equal model (the
round-trip tests check it); the bytes are normalised, not the original ones.
"""

from __future__ import annotations

from ..model import Elision, Example, Hunk, Page, PageMeta
from .reader import ALIASES_KEY


def render_page(page: Page) -> str:
    """The text of *page* in the store format."""
    parts = [_front_matter(page.meta)]
    if page.aliases:
        parts.append(f"{ALIASES_KEY}: {', '.join(page.aliases)}\n")
    parts.append("\n\n")
    preamble = []
    if page.generated_intro:
        preamble.append(page.intro_sentence())
    if page.related:
        links = [f'<a href="{link.href}">{link.name}</a>' for link in page.related]
        preamble.append(",\n".join(links) + "\n" + page.related_closing)
    if page.intro:
        preamble.append(page.intro)
    if preamble:
        parts.append("\n\n".join(preamble) + "\n\n")
    parts.extend(_example(example) for example in page.examples)
    return "".join(parts)


def _front_matter(meta: PageMeta) -> str:
    pairs = [(key, getattr(meta, key)) for key in PageMeta.KEYS] + list(meta.extra)
    return "".join(f"{key}: {value}\n" for key, value in pairs)


def _example(example: Example) -> str:
    lines = [f"## Example {example.number} from {example.project}"]
    if example.blurb:
        lines.append(example.blurb)
        lines.append("")
    lines.append(f"[**{example.source_label}**]({example.source_url or ''})")
    lines.append("")
    starts = [hunk.start for hunk in example.hunks]
    info = example.language
    if starts and all(start is not None for start in starts):
        info += " linestart=" + ",".join(str(start) for start in starts)
    lines.append("```" + info)
    for part in example.code:
        if isinstance(part, Elision):
            lines.extend(["", "", part.text, "", ""])
        else:
            lines.extend(_hunk_lines(part))
    lines.append("```")
    return "\n".join(lines) + "\n\n\n"


def _hunk_lines(hunk: Hunk) -> list[str]:
    return [("~~" + line) if index in hunk.marked else line for index, line in enumerate(hunk.lines)]
