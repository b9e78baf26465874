"""The shapes a photo may be cropped to: at least 60 % of it kept, a portrait never a panorama."""

from __future__ import annotations

from dataclasses import dataclass

MIN_KEPT = 0.6
"""The least share of a photo's area a crop keeps."""
PORTRAIT_WIDEST = 1.25
"""The widest shape (width over height) a portrait photo may be cropped to."""
WIDEST = 3.2
"""The widest shape any photo may be cropped to."""

PhotoPlace = tuple[str, int]
"""A photo by its story's id and its number among the story's photos.

Crops are chosen for a photo where a story shows it: one file may serve
two stories, each with its own shape, the same in every language.
"""


@dataclass(frozen=True)
class Limits:
    """The shapes (width over height) a photo may be shown at."""

    aspect: float
    """Its own shape."""
    low: float
    """The narrowest crop."""
    high: float
    """The widest crop."""


def photo_limits(width: int, height: int) -> Limits:
    """Return the shapes a photo of ``width`` by ``height`` pixels may be cropped to."""
    aspect = width / height
    high = aspect / MIN_KEPT
    if aspect < 1:
        high = min(high, PORTRAIT_WIDEST)
    return Limits(aspect, aspect * MIN_KEPT, max(aspect, min(high, WIDEST)))
