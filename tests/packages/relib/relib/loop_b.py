from .loop_a import *
from .loop_a import looping as looping


def b_function():
    pass
