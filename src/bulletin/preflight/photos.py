"""Check 4, photos: every photo prints at enough pixels per inch."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bulletin.model.issue import Story
from bulletin.photos.check import PhotoInfo
from bulletin.preflight.layout import PX_PER_MM
from bulletin.preflight.report import Finding, Severity
from bulletin.preflight.source import IssueText

# Effective resolution of a photo at its printed size, in pixels per inch.
PRINT_PPI = 200
MIN_PPI = 120


def check_resolution(
    issue: IssueText, photos: dict[Path, PhotoInfo], images: dict[tuple[str, int], Any]
) -> Iterator[Finding]:
    """Return a finding for each photo printed at too few pixels per inch."""
    for (story, number), box in images.items():
        block = issue.loaded.issue.stories[issue.index[story]]
        if not isinstance(block, Story) or number >= len(block.photos):
            continue
        info = photos.get(Path(block.photos[number].file))
        width, height = float(box.width), float(box.height)
        if info is None or width <= 0 or height <= 0:
            continue
        ppi = _effective_ppi(info.width, info.height, width, height, str(box.style["object_fit"]))
        if ppi >= PRINT_PPI:
            continue
        shown = info.path.relative_to(issue.loaded.issue_dir.resolve()).as_posix()
        frame = (width / PX_PER_MM, height / PX_PER_MM)
        message = describe_resolution(shown, (info.width, info.height), frame, ppi)
        severity: Severity = "error" if ppi < MIN_PPI else "warning"
        loc = (*issue.story_loc(story), "photos", number, "file")
        yield Finding(severity, "photos", story, issue.problem(loc, message))


def describe_resolution(
    shown: str, pixels: tuple[int, int], frame_mm: tuple[float, float], ppi: float
) -> str:
    """Return the message of a photo of ``pixels`` that prints at ``ppi`` in its frame."""
    scale = PRINT_PPI / ppi
    return (
        f'photo "{shown}" prints at {ppi:.0f} ppi: its {pixels[0]} x {pixels[1]} px '
        f"fill a frame of {frame_mm[0]:.0f} x {frame_mm[1]:.0f} mm; print "
        f"needs {math.ceil(pixels[0] * scale)} x {math.ceil(pixels[1] * scale)} px "
        f"({PRINT_PPI} ppi) — use a larger original"
    )


def _effective_ppi(pixels_x: int, pixels_y: int, width: float, height: float, fit: str) -> float:
    """Return the pixels per inch a ``pixels_x`` x ``pixels_y`` image gets in a frame (CSS px).

    ``fit`` is the CSS object-fit: ``cover`` scales the image to fill the frame
    and crops it, ``contain`` fits it whole, ``fill`` stretches it.
    """
    across, down = width / pixels_x, height / pixels_y  # CSS px per image pixel
    scale = {
        "cover": max(across, down),
        "contain": min(across, down),
        "none": 1.0,
        "scale-down": min(1.0, across, down),
    }.get(fit, max(across, down))  # fill: the more stretched direction counts
    return 96 / scale
