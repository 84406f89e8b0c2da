"""Drawing shapes as text."""


def draw(shape):
    """Draw *shape* filled.

    :param shape: what to draw.
    """
    return f"<{shape}>"


def draw_outline(shape, colour=None):
    """Draw the outline of *shape*."""
    return f"[{shape}]"
