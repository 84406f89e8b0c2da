"""Recognising elision lines: comments that stand for skipped source.

The corpus has two generated forms and many hand-written ones::

    ## ... source file abbreviated to get to object_session examples ...
    ## ... source file continues with no further object_session examples...
    # ... some of source file skipped here for brevity ...

The rule is deliberately loose but needs three things, so that ordinary code
comments are not taken for elisions: a comment line, an ellipsis, and the words
of an elision (a verb such as *abbreviated*, *skipped*, *continues*, and a noun
such as *source*, *file*, *code* or *examples*).

Hand-edited pages also have elisions with no dots at all::

    ## source file continues from here without further CharField examples
    # code continues on from here without further examples

Without an ellipsis the rule is strict, as code comments read much like these
(``# continue from here``, ``# skip the rest of the file``): the whole comment
must say that the *source*, *file* or *code* continues without (or with no)
further/more/other examples, or was abbreviated/skipped to get to examples.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"^\s{0,8}#{1,3}\s*(?P<body>.*)$")
_ELLIPSIS = re.compile(r"\.{2,}|…")
_VERB = re.compile(r"\b(abbreviat\w*|skip\w*|continu\w*|omit\w*|brevity|truncat\w*|elided)\b", re.I)
_NOUN = re.compile(r"\b(source|file|code|examples?)\b", re.I)

_WITHOUT_DOTS = re.compile(
    r"""
    (?:the\s+)?(?:source(?:\s+(?:file|code))?|file|code)\s+
    (?:
        continues\b[\w\s,-]*?\b(?:without|with\s+no|no)\s+(?:any\s+)?(?:further|more|other)\b
      | (?:abbreviated|shortened|truncated|skipped|omitted)\b[\w\s,-]*?\bto\s+get\s+to\b
    )
    [\w\s.,-]*?\bexamples?\s*[.:;]?
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Dotless elisions are one short sentence; longer comments are prose.
_MAX_WITHOUT_DOTS = 160

ABBREVIATED = "## ... source file abbreviated to get to {name} examples ..."
CONTINUES = "## ... source file continues with no further {name} examples..."


def is_elision(line: str) -> bool:
    """True when *line* is an elision comment."""
    match = _COMMENT.match(line)
    if match is None:
        return False
    body = match["body"]
    if _ELLIPSIS.search(body):
        return bool(_VERB.search(body) and _NOUN.search(body))
    body = body.strip()
    return len(body) <= _MAX_WITHOUT_DOTS and _WITHOUT_DOTS.fullmatch(body) is not None


def _template_pattern(template: str) -> re.Pattern[str]:
    before, _, after = template.partition("{name}")
    return re.compile(rf"\s*{re.escape(before)}(?P<name>[\w.]+){re.escape(after)}\s*")


_TEMPLATES = {template: _template_pattern(template) for template in (ABBREVIATED, CONTINUES)}


def generated_elision(line: str) -> tuple[str, str] | None:
    """``(template, name)`` when *line* is one of the two elisions the extractor writes."""
    for template, pattern in _TEMPLATES.items():
        match = pattern.fullmatch(line)
        if match:
            return template, match["name"]
    return None
