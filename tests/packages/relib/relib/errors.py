class ReError(Exception):
    pass


class NotFound(ReError):
    pass


class Timeout(TimeoutError):
    pass


class Remote(UpstreamError):  # noqa: F821 - a base from elsewhere, known by its name only
    pass


class Plain(object):
    pass
