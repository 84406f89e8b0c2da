import relib.core as core

from .core import Engine
from .core import helper as helper

create = core.make_engine
