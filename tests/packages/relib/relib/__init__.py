"""A made-up library for the re-export reader's tests: every way a name gets re-exported."""

from ._impl import connect
from .core import Engine, make_engine
from .errors import ReError as ReError
from .sub import *
from .core import Token

__all__ = ["Engine", "make_engine", "ReError"]
__all__ += ["connect"]
__all__.extend(["Widget", "deep_function"])
__all__.append("Token")
