"""Directives that render the extension's own tables, so code and docs never drift.

``.. codeexamples-config-table::``
    A summary table of :data:`sphinx_codeexamples.ext.config.CONFIG_VALUES`, then one
    ``confval`` entry per value (type, default, rebuild mode and description), so that
    ``:confval:`codeexamples_store``` links to it.

``.. codeexamples-warnings-table::``
    A table of every :class:`sphinx_codeexamples.problems.ProblemCode`: the subtype as
    written in ``suppress_warnings``, its severity and its description.

``.. codeexamples-cli-help:: SUBCOMMAND``
    The ``--help`` text of a ``sphinx-codeexamples`` subcommand, as argparse prints it.

At the end of reading, every option of the ``callable-example`` directive must be
documented with ``.. rst:directive:option::`` somewhere (``directive.rst``), and
every documented option must exist; otherwise the build warns.
"""

from __future__ import annotations

import contextlib
import io
import os
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_codeexamples import __version__
from sphinx_codeexamples.cli import main as cli_main
from sphinx_codeexamples.ext.config import CONFIG_VALUES
from sphinx_codeexamples.ext.directive import CallableExampleDirective
from sphinx_codeexamples.problems import ProblemCode

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

#: Directives of the extension whose options the documentation must list.
DOCUMENTED_DIRECTIVES = {"callable-example": CallableExampleDirective}

_REBUILD = {
    "env": "``env``: changing it re-reads every document",
    "html": "``html``: changing it re-writes every HTML page",
    "": "none: changing it needs no rebuild",
}


def _type_names(types: tuple[type, ...]) -> str:
    return " | ".join(f"``{kind.__name__}``" for kind in types)


def _table(
    widths: list[int], header: list[str], rows: list[list[nodes.Node | list[nodes.Node]]]
) -> nodes.table:
    """A docutils table; each cell is a node or a list of nodes."""
    table = nodes.table(classes=["codeexamples-docs-table"], align="left")
    group = nodes.tgroup(cols=len(widths))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    head += head_row
    for text in header:
        head_row += nodes.entry("", nodes.paragraph(text, text))
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        body += row
        for cell in cells:
            entry = nodes.entry()
            entry.extend(cell if isinstance(cell, list) else [cell])
            row += entry
    return table


class ConfigTable(SphinxDirective):
    """Every configuration value: a summary table, then one ``confval`` each."""

    has_content = False

    def _inline(self, text: str, messages: list[nodes.Node]) -> nodes.paragraph:
        inline, problems = self.parse_inline(text, lineno=self.lineno)
        messages.extend(problems)
        return nodes.paragraph("", "", *inline)

    def run(self) -> list[nodes.Node]:
        messages: list[nodes.Node] = []
        rows: list[list[nodes.Node | list[nodes.Node]]] = []
        definitions: list[str] = []
        for name, (default, rebuild, types, description) in CONFIG_VALUES.items():
            rows.append(
                [
                    self._inline(f":confval:`{name}`", messages),
                    self._inline(_type_names(types), messages),
                    nodes.paragraph("", "", nodes.literal(repr(default), repr(default))),
                    nodes.paragraph("", "", nodes.literal(rebuild or "none", rebuild or "none")),
                ]
            )
            definitions += [
                f".. confval:: {name}",
                f"   :type: {_type_names(types)}",
                f"   :default: ``{default!r}``",
                "",
                *(f"   {line}" for line in description.splitlines()),
                "",
                f"   Rebuild: {_REBUILD.get(rebuild, f'``{rebuild}``')}.",
                "",
            ]
        table = _table([30, 20, 15, 15], ["Name", "Type", "Default", "Rebuild"], rows)
        entries = self.parse_text_to_nodes("\n".join(definitions), offset=self.content_offset)
        return [table, *messages, *entries]


class WarningsTable(SphinxDirective):
    """Every warning subtype with its severity and description."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        messages: list[nodes.Node] = []
        rows: list[list[nodes.Node | list[nodes.Node]]] = []
        for code in ProblemCode:
            subtype = f"codeexamples.{code.value}"
            # A label per subtype: :ref:`text <warning-duplicate>` links to its row. A target node, not
            # ids on the paragraph: the LaTeX writer only writes labels for targets (and sections).
            label = f"warning-{code.value}"
            target = nodes.target("", "", ids=[nodes.make_id(label)], names=[label])
            self.state.document.note_explicit_target(target)
            name_cell = nodes.paragraph("", "", target, nodes.literal(subtype, subtype))
            description, problems = self.parse_inline(code.description, lineno=self.lineno)
            messages.extend(problems)
            rows.append(
                [
                    name_cell,
                    nodes.paragraph("", code.severity.value),
                    nodes.paragraph("", "", *description),
                ]
            )
        return [_table([25, 10, 65], ["Subtype", "Severity", "Meaning"], rows), *messages]


class CliHelp(SphinxDirective):
    """The ``--help`` output of one subcommand (or of the program, without an argument)."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        argv = [*self.arguments, "--help"]
        output = io.StringIO()
        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal: make the text reproducible
        try:
            with contextlib.redirect_stdout(output), contextlib.suppress(SystemExit):
                cli_main(argv)
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        text = output.getvalue().rstrip()
        block = nodes.literal_block(text, text, language="text")
        self.set_source_info(block)
        return [block]


def check_directive_options(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn when a directive option is undocumented, or documented but gone."""
    documented: dict[str, set[str]] = {}
    for objtype, fullname in env.domains["rst"].objects:
        if objtype == "directive:option":
            directive, _, option = fullname.partition(":")
            documented.setdefault(directive, set()).add(option)
    for name, directive_class in DOCUMENTED_DIRECTIVES.items():
        actual = set(directive_class.option_spec or {})
        written = documented.get(name, set())
        for option in sorted(actual - written):
            logger.warning(
                f"option :{option}: of {name} is not documented: "
                f"add '.. rst:directive:option:: {option}' to docs/directive.rst",
                type="codeexamples-docs",
                subtype="option",
            )
        for option in sorted(written - actual):
            logger.warning(
                f"option :{option}: of {name} is documented but the directive has no such option",
                type="codeexamples-docs",
                subtype="option",
            )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("codeexamples-config-table", ConfigTable)
    app.add_directive("codeexamples-warnings-table", WarningsTable)
    app.add_directive("codeexamples-cli-help", CliHelp)
    app.connect("env-check-consistency", check_directive_options)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
