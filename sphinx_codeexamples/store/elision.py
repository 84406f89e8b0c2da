"""Recognising elision lines: comments that stand for skipped source.

The corpus has two generated forms and many hand-written ones::

    ## ... source file abbreviated to get to object_session examples ...
    ## ... source file continues with no further object_session examples...
    # ... some of source file skipped here for brevity ...

The rule is deliberately loose but needs three things, so that ordinary code
comments are not taken for elisions: a comment line, an ellipsis, and the words
of an elision (a verb such as *abbreviated*, *skipped*, *continues*, and a noun
such as *source*, *file*, *code* or *examples*).
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"^\s{0,8}#{1,3}\s*(?P<body>.*)$")
_ELLIPSIS = re.compile(r"\.{2,}|…")
_VERB = re.compile(r"\b(abbreviat\w*|skip\w*|continu\w*|omit\w*|brevity|truncat\w*|elided)\b", re.I)
_NOUN = re.compile(r"\b(source|file|code|examples?)\b", re.I)

ABBREVIATED = "## ... source file abbreviated to get to {name} examples ..."
CONTINUES = "## ... source file continues with no further {name} examples..."


def is_elision(line: str) -> bool:
    """True when *line* is an elision comment."""
    match = _COMMENT.match(line)
    if match is None:
        return False
    body = match["body"]
    return bool(_ELLIPSIS.search(body) and _VERB.search(body) and _NOUN.search(body))
