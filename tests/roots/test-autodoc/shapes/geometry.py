"""Polygons and their measures."""


def area(polygon):
    """The area of *polygon* (shoelace formula).

    :param polygon: the polygon to measure.
    :returns: its area.
    """
    points = polygon.points
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def centroid(polygon):
    """The mean of *polygon*'s points."""
    xs, ys = zip(*polygon.points, strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def bounds(polygon):
    """The bounding box of *polygon*."""
    xs, ys = zip(*polygon.points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


class Polygon:
    """A closed polygon.

    :param points: its corners, in order.
    """

    def __init__(self, points):
        self.points = list(points)

    def scale(self, factor):
        """A copy scaled by *factor*.

        :param factor: the scale factor.
        """
        return Polygon((x * factor, y * factor) for x, y in self.points)

    def perimeter(self):
        """The length of the outline."""
        points = self.points
        pairs = zip(points, points[1:] + points[:1], strict=True)
        return sum(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 for (x1, y1), (x2, y2) in pairs)
