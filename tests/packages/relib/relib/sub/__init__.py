from . import widgets
from .deep import deep_function
from .widgets import *

__all__ = widgets.__all__ + ["deep_function"]
__all__ = [*__all__, "nothing_here"]  # a name defined nowhere resolves to nothing
