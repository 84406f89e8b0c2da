"""A tiny geometry package written for the tests: public names re-exported from submodules."""

from .errors import ShapeError
from .geometry import Polygon, area
from .render import draw_outline

__all__ = ["Polygon", "ShapeError", "area", "draw_outline"]
