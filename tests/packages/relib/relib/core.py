from .errors import ReError

__all__ = ("Engine", "make_engine", "Token", "helper")


class Engine:
    def run(self):
        raise ReError


def make_engine():
    return Engine()


class Token:
    pass


def helper():
    pass


def _private():
    pass


def not_listed():
    pass
