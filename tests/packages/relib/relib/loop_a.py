from .loop_b import *
from .loop_b import looping as looping


def a_function():
    pass
