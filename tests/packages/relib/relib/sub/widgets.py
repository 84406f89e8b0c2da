__all__ = ["Widget"]


class Widget:
    pass


class Gadget:
    pass
