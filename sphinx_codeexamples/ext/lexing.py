"""Example code lexed while Sphinx reads, and only formatted while it writes.

Highlighting a block is mostly lexing: on the 160-page corpus Pygments' Python
lexer takes 0.60 s, its HTML formatter 0.05 s. Sphinx highlights while writing,
and ``sphinx-build -j N`` writes in N - 1 processes (the main one resolves the
documents meanwhile) where it reads in N. So each example code block is lexed
when its document is read: the tokens are kept in the block
(:data:`LEXED`, about six bits a token) and the writer's highlighter is lent a
lexer that gives them back (:func:`replaying`). The output is Sphinx's own:
the same lexer, options and formatter, only at another time.

Tokens are kept only when they depend on nothing but the text, the lexer
options and the Pygments version: a Pygments lexer, a language Sphinx would not
warn about, and no lexing error. A block whose text or Pygments version
changed since is lexed while writing, as any other block.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from typing import TYPE_CHECKING, TypeAlias

import pygments
from pygments.filters import ErrorToken
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound
from sphinx.highlighting import lexer_classes

if TYPE_CHECKING:
    from docutils import nodes
    from pygments.token import _TokenType
    from sphinx.config import Config
    from sphinx.highlighting import PygmentsBridge

#: The block attribute holding its tokens (see :func:`lexed`).
LEXED = "codeexamples_lexed"
#: Languages Sphinx maps to a lexer itself (``get_lexer``), beside Pygments' names.
_SPHINX_LANGUAGES = frozenset({"default", "py", "python", "py3", "python3", "pycon3", "guess"})
#: Pygments' standard token types in a fixed order (for one Pygments version): a token's kind
#: is its type's index here.
_TYPES = sorted(STANDARD_TYPES, key=".".join)
_KINDS = {ttype: kind for kind, ttype in enumerate(_TYPES)}

#: (Pygments version, CRC-32 of the block's text, the tokens packed (see :func:`_pack`), and
#: ``(start, length, tail)`` when the text they spell is ``text[start:start + length] + tail``,
#: else that text.
Lexed: TypeAlias = "tuple[str, int, bytes, tuple[int, int, str] | str]"


def lexed(highlighter: PygmentsBridge, block: nodes.literal_block, config: Config) -> Lexed | None:
    """The tokens of *block* as the writer would lex them, or None when they are not to be kept."""
    source = block.rawsource
    language = block.get("language", "default")
    if not _known(language):
        return None  # Sphinx warns while writing: let it
    options = config.highlight_options.get(language, {})
    lexer = highlighter.get_lexer(source, language, options, block.get("force", False), block)
    if not type(lexer).__module__.startswith("pygments."):
        return None  # a project's lexer may change without the text changing
    try:
        lexed_tokens = list(lexer.get_tokens(source))
    except ErrorToken:
        return None  # Sphinx falls back to no highlighting, with its warning
    types, values = zip(*lexed_tokens, strict=True) if lexed_tokens else ((), ())
    try:
        kinds = bytes(map(_KINDS.__getitem__, types))
    except KeyError:
        return None  # a type of the lexer's own
    packed = _pack(kinds, list(map(len, values)))
    return (pygments.__version__, _checksum(source), packed, _within(source, "".join(values)))


def tokens(block: nodes.literal_block) -> list[tuple[_TokenType, str]] | None:
    """The tokens kept in *block*, or None when it has none for its text and this Pygments."""
    kept: Lexed | None = block.get(LEXED)
    if kept is None:
        return None
    version, checksum, packed, spelled = kept
    source = block.rawsource
    if version != pygments.__version__ or checksum != _checksum(source):
        return None
    if isinstance(spelled, tuple):
        start, length, tail = spelled
        spelled = source[start : start + length] + tail
    kinds, lengths = _unpack(packed)
    ends = list(accumulate(lengths))
    values = map(spelled.__getitem__, map(slice, [0, *ends], ends))
    return list(zip(map(_TYPES.__getitem__, kinds), values, strict=True))


def _pack(kinds: bytes, lengths: list[int]) -> bytes:
    """The tokens' kinds and lengths, compressed: a block keeps a few bits a token."""
    longest = max(lengths, default=0)
    typecode = "B" if longest < 1 << 8 else "H" if longest < 1 << 16 else "I"
    return zlib.compress(typecode.encode() + kinds + array(typecode, lengths).tobytes(), 1)


def _unpack(packed: bytes) -> tuple[bytes, array[int]]:
    data = zlib.decompress(packed)
    lengths = array(chr(data[0]))
    count = (len(data) - 1) // (1 + lengths.itemsize)
    lengths.frombytes(data[1 + count :])
    return data[1 : 1 + count], lengths


@contextmanager
def replaying(highlighter: PygmentsBridge, block: nodes.literal_block) -> Iterator[None]:
    """While in the block, *highlighter* lexes *block* as its kept tokens (when it has them)."""
    kept = tokens(block)
    if kept is None:
        yield
        return
    original = highlighter.get_lexer
    highlighter.get_lexer = lambda *args, **kwargs: _Replay(kept)  # type: ignore[method-assign]
    try:
        yield
    finally:
        highlighter.get_lexer = original  # type: ignore[method-assign]


class _Replay(Lexer):  # type: ignore[misc]
    """A lexer that gives back tokens lexed before."""

    def __init__(self, kept: Sequence[tuple[_TokenType, str]]) -> None:
        super().__init__()
        self.kept = kept

    def get_tokens(self, text: str, unfiltered: bool = False) -> Iterator[tuple[_TokenType, str]]:
        return iter(self.kept)


def _known(language: str) -> bool:
    if language in _SPHINX_LANGUAGES or language in lexer_classes:
        return True
    try:
        find_lexer_class_by_name(language)
    except ClassNotFound:
        return False
    return True


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _within(source: str, spelled: str) -> tuple[int, int, str] | str:
    """Where the lexer's text (line ends and edges normalised) lies in *source*, else that text."""
    for tail in ("\n", ""):
        if spelled.endswith(tail):
            body = spelled[: len(spelled) - len(tail)]
            start = source.find(body)
            if start >= 0:
                return (start, len(body), tail)
    return spelled
