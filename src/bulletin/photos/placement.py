"""Measure where the laid-out document places each photo, and which part of it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.engine import tree

CSS_PX_PER_INCH = 96

Box = tuple[float, float, float, float]
"""A part of an image as fractions of its width and height: left, top, right, bottom."""
WHOLE: Box = (0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class Placement:
    """One photo as the layout placed it on a page."""

    source: Path
    """The photo file."""
    page: int
    """The page it is on, counted from 0."""
    crop: Box
    """The part of the image that shows (``object-fit: cover`` hides the rest)."""
    width_in: float
    """Width of the part that shows, on the page, in inches."""
    height_in: float
    """Height of the part that shows, on the page, in inches."""


def measure_placements(document: Any, sources: Mapping[str, Path]) -> tuple[Placement, ...]:
    """Return where WeasyPrint's laid-out ``document`` places each image of ``sources``.

    ``sources`` maps an ``<img src>`` as written in the HTML to its file;
    other images are left out.
    """
    found: list[Placement] = []
    for number, page in enumerate(document.pages):
        for box in tree.images(tree.page_box(page)):
            source = sources.get(box.element.get("src", ""))
            if source is None or not box.width or not box.height:
                continue
            # The engine's own object-fit and object-position arithmetic, so the
            # crop is exactly what it paints.
            draw_width, draw_height, draw_x, draw_y = tree.drawn_image(box)
            left = max(draw_x, box.content_box_x())
            top = max(draw_y, box.content_box_y())
            right = min(draw_x + draw_width, box.content_box_x() + box.width)
            bottom = min(draw_y + draw_height, box.content_box_y() + box.height)
            if right <= left or bottom <= top:
                continue
            crop = (
                (left - draw_x) / draw_width,
                (top - draw_y) / draw_height,
                (right - draw_x) / draw_width,
                (bottom - draw_y) / draw_height,
            )
            found.append(
                Placement(
                    source,
                    number,
                    crop,
                    (right - left) / CSS_PX_PER_INCH,
                    (bottom - top) / CSS_PX_PER_INCH,
                )
            )
    return tuple(found)
