"""The ``sphinx-codeexamples`` command line (no Sphinx): ``main(argv)`` and its parser."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from . import check, extract


def get_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per module of this package."""
    parser = argparse.ArgumentParser(
        prog="sphinx-codeexamples",
        description="Build and check snippet stores of real-world code examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (check, extract):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = get_parser().parse_args(argv)
    try:
        return int(arguments.run(arguments))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
