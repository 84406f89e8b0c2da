class ShapeError(Exception):
    """Raised when a shape is invalid."""
