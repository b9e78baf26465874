"""Where a written PDF draws its images, and what part of each shows: read from the content.

The layout engine draws an ``object-fit: cover`` image at its full scaled
size and clips it to its box. Reading each page's content (pikepdf), with
its transforms and clipping rectangles, gives for every image the box it is
drawn in and the box that shows, in PDF points.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]
"""x0, y0, x1, y1 in PDF points."""

IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


@dataclass(frozen=True)
class PlacedImage:
    """One image drawn on a page."""

    page: int
    """The page, counted from 0."""
    width_px: int
    height_px: int
    drawn: Rect
    """Where the whole image is drawn."""
    shown: Rect
    """The part of ``drawn`` inside the clipping rectangles (what a reader sees)."""

    @property
    def placed_width(self) -> float:
        """Return the drawn width (pt)."""
        return self.drawn[2] - self.drawn[0]

    @property
    def placed_height(self) -> float:
        """Return the drawn height (pt)."""
        return self.drawn[3] - self.drawn[1]

    @property
    def crop(self) -> Rect:
        """Return the part of the image that shows, as shares of its width and height."""
        x0, y0, x1, y1 = self.drawn
        width, height = x1 - x0, y1 - y0
        a, b, c, d = self.shown
        return ((a - x0) / width, (b - y0) / height, (c - x0) / width, (d - y0) / height)


def placed_images(pdf: pikepdf.Pdf) -> Iterator[PlacedImage]:
    """Yield every image the pages of ``pdf`` draw (form XObjects followed), in order."""
    for number, page in enumerate(pdf.pages):
        yield from _walk(number, page, page.Resources, IDENTITY, None)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return the matrix ``m`` then ``n`` (PDF order: a point is ``p·m·n``)."""
    a, b, c, d, e, f = m
    g, h, i, j, k, l = n  # noqa: E741
    return (
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + l,
    )


def _walk(
    number: int, content: Any, resources: Any, ctm: Matrix, clip: Rect | None
) -> Iterator[PlacedImage]:
    stack: list[tuple[Matrix, Rect | None]] = []
    path: Rect | None = None
    clipping = False
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "q":
            stack.append((ctm, clip))
        elif op == "Q":
            ctm, clip = stack.pop()
        elif op == "cm":
            ctm = multiply(_matrix(operands), ctm)
        elif op == "re":
            x, y, width, height = (float(value) for value in operands)
            rect = _bounds(ctm, (x, y, x + width, y + height))
            path = rect if path is None else _union(path, rect)
        elif op in ("W", "W*"):
            clipping = True
        elif op in ("n", "f", "f*", "S", "s", "B", "B*", "b", "b*"):
            if clipping and path is not None:
                clip = path if clip is None else _intersection(clip, path)
            path, clipping = None, False
        elif op == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == "/Image":
                drawn = _bounds(ctm, (0.0, 0.0, 1.0, 1.0))
                yield PlacedImage(
                    number,
                    int(xobject.Width),
                    int(xobject.Height),
                    drawn,
                    drawn if clip is None else _intersection(drawn, clip),
                )
            elif xobject.Subtype == "/Form":
                matrix = _matrix(xobject.get("/Matrix", list(IDENTITY)))
                inner = xobject.get("/Resources", resources)
                yield from _walk(number, xobject, inner, multiply(matrix, ctm), clip)


def _matrix(values: Any) -> Matrix:
    a, b, c, d, e, f = (float(value) for value in values)
    return (a, b, c, d, e, f)


def _bounds(ctm: Matrix, rect: Rect) -> Rect:
    """Return the bounding box of ``rect`` mapped by ``ctm``."""
    a, b, c, d, e, f = ctm
    xs, ys = [], []
    for x, y in ((rect[0], rect[1]), (rect[2], rect[1]), (rect[0], rect[3]), (rect[2], rect[3])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _union(first: Rect, second: Rect) -> Rect:
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )


def _intersection(first: Rect, second: Rect) -> Rect:
    x0, y0 = max(first[0], second[0]), max(first[1], second[1])
    return (x0, y0, max(x0, min(first[2], second[2])), max(y0, min(first[3], second[3])))
