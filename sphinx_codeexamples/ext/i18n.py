"""Translations of the text the extension writes, in the project's ``language``.

Every string we generate goes through :data:`_`, which looks it up in our own
message catalog (``locale/<language>/LC_MESSAGES/sphinx_codeexamples.mo``, added
with ``app.add_message_catalog``); :func:`format_nodes` fills a translated
template with nodes, so translators may move the links around. The core keeps
its English (:meth:`~sphinx_codeexamples.model.Page.intro_sentence` is part of
the store format); :func:`intro_sentence` is its translated rendering.

Warnings stay English, as Sphinx's own do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from ..model import Elision, Kind, Page
from ..problems import ProblemCode
from ..store.elision import ABBREVIATED, generated_elision
from .logging import warn
from .markdown import LinkPolicy, markdown_to_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOG = "sphinx_codeexamples"
LOCALE_DIR = Path(__file__).parent.parent / "locale"

_ = get_translation(CATALOG)

_FIELD = re.compile(r"\{(\w+)\}")


def setup_i18n(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    app.add_transform(StoreTranslations)


class StoreTranslations(SphinxTransform):
    """The user's translations of store text (blurbs, hand-written intros), parsed as Markdown.

    Those paragraphs carry their Markdown as ``rawsource``, so the ``gettext``
    builder extracts them like any paragraph of the project. Sphinx's own
    ``Locale`` transform (priority 20) would parse a translation as
    reStructuredText; this one runs first, renders the translation with the
    store's Markdown rules and link policy, and marks the paragraph done.
    """

    default_priority = 19

    def apply(self, **kwargs: Any) -> None:
        from .render import USER_TEXT  # render imports this module

        paragraphs = [node for node in self.document.findall(nodes.paragraph) if node.get(USER_TEXT)]
        if not paragraphs or not self.config.locale_dirs:
            return
        textdomain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, self.config.language, textdomain)
        if not has_catalog:
            return
        for paragraph in paragraphs:
            message = paragraph.rawsource.replace("\n", " ").strip()
            translated = catalog.gettext(message)
            if translated.strip() and translated != message:
                self._replace(paragraph, translated)

    def _replace(self, paragraph: nodes.paragraph, translated: str) -> None:
        location = f"{paragraph.source}:{paragraph.line}"

        def on_unsafe(url: str) -> None:
            message = f"unsafe link dropped from a translation: {url!r}"
            warn(ProblemCode.UNSAFE_LINK, message, location=location)

        policy = LinkPolicy(base_url=self.config.codeexamples_base_url, on_unsafe=on_unsafe)
        rendered = markdown_to_nodes(translated, policy)
        paragraph["translatable"] = False  # done: Sphinx's Locale leaves it alone
        paragraph["translated"] = True
        if len(rendered) == 1 and isinstance(rendered[0], nodes.paragraph):
            paragraph.children = []
            paragraph.extend(rendered[0].children)
        else:
            paragraph.replace_self(rendered)


def format_nodes(template: str, **values: nodes.Node | list[nodes.Node] | str) -> list[nodes.Node]:
    """*template*'s text as Text nodes, with each ``{name}`` replaced by ``values[name]``
    (a node, a list of nodes or a string)."""
    template = str(template)  # a lazy translation, when the catalog is not loaded yet
    result: list[nodes.Node] = []
    position = 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            result.append(nodes.Text(template[position : match.start()]))
        value = values[match[1]]
        if isinstance(value, str):
            result.append(nodes.Text(value))
        elif isinstance(value, list):
            result.extend(value)
        else:
            result.append(value)
        position = match.end()
    if position < len(template):
        result.append(nodes.Text(template[position:]))
    return result


def _sentences_with_project() -> dict[Kind, str]:
    # Translators: Markdown: keep the backticks around {name} and {module} (shown as code).
    return {
        Kind.CALLABLE: _("`{name}` is a callable within the `{module}` module of the {project} project."),
        Kind.CLASS: _("`{name}` is a class within the `{module}` module of the {project} project."),
        Kind.EXCEPTION: _("`{name}` is an exception within the `{module}` module of the {project} project."),
        Kind.FUNCTION: _("`{name}` is a function within the `{module}` module of the {project} project."),
        Kind.CONSTANT: _("`{name}` is a constant within the `{module}` module of the {project} project."),
        Kind.MODULE: _("`{name}` is a module within the `{module}` module of the {project} project."),
    }


def _sentences() -> dict[Kind, str]:
    # Translators: Markdown: keep the backticks around {name} and {module} (shown as code).
    return {
        Kind.CALLABLE: _("`{name}` is a callable within the `{module}` module."),
        Kind.CLASS: _("`{name}` is a class within the `{module}` module."),
        Kind.EXCEPTION: _("`{name}` is an exception within the `{module}` module."),
        Kind.FUNCTION: _("`{name}` is a function within the `{module}` module."),
        Kind.CONSTANT: _("`{name}` is a constant within the `{module}` module."),
        Kind.MODULE: _("`{name}` is a module within the `{module}` module."),
    }


def intro_sentence(page: Page) -> str:
    """The generated intro in the project's language, as Markdown (one sentence per kind:
    articles and word order depend on it in most languages)."""
    assert page.callable is not None
    templates = _sentences_with_project() if page.project else _sentences()
    return templates[page.kind].format(
        name=page.callable.name, module=page.callable.module, project=page.project
    )


def example_title(number: int, project: str) -> str:
    # Translators: the heading of one example; {project} is the project the code comes from.
    return _("Example {number} from {project}").format(number=number, project=project)


def elision_text(elision: Elision) -> str:
    """The words of an elision: translated for the extractor's two forms, else as written."""
    found = generated_elision(elision.text)
    if found is not None:
        template, name = found
        if template == ABBREVIATED:
            # Translators: stands for skipped source lines before the next use of {name}.
            return _("source file abbreviated to get to {name} examples").format(name=name)
        # Translators: stands for the rest of the source file, which does not use {name}.
        return _("source file continues with no further {name} examples").format(name=name)
    return elision.summary or _("source abbreviated")
