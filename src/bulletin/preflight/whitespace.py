"""Measure the white space of a typeset PDF from its pixels: holes inside the type area.

Each page is rendered (pypdfium2) and its type area split into square cells
of ``CELL_MM``. A cell is blank when no pixel in it is inked. Gutters, the
space between lines and the room around a heading are blank too, but narrow:
a cell counts as *empty* only when it lies in a blank square of ``REACH_MM``
on a side (a morphological opening of the blank cells), so what is left are
the holes a reader sees, measured at their full size. Connected empty cells
(side by side) form one region; each page reports its regions, largest first,
with their area in cm² and their bounding box in mm from the page's top-left
corner, and the empty share of its type area.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageChops

from bulletin.engine import tree

CELL_MM = 2.0
REACH_MM = 10.0
# Pixels per cell side when a page is rendered: 8 px per 2 mm (about 102 dpi),
# fine enough that a hairline rule or one line of 7 pt text inks its cells.
CELL_PX = 8
# A pixel is ink when one of its channels is darker than this (0-255): a light
# tint (a call-out's background) is ink, the paper is not.
PAPER = 250
PT_PER_MM = 72 / 25.4
PX_PER_MM_CSS = 96 / 25.4
LARGEST_EMPTY_CM2 = 15.0
"""The target for every page, the last one included: no empty region larger than this (cm²,
a 4 x 4 cm square or so)."""
MEAN_EMPTY_SHARE = 0.04
"""The target for an edition: its pages' empty share of the type area is at most this on
average (0-1)."""
# Two pages in a layout's own style sheet: the first page and the ones after it.
_TWO_PAGES = """<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css"></head>
<body><p>one</p><p style="break-before: page">two</p></body></html>"""

Box = tuple[float, float, float, float]
"""A rectangle in mm from the page's top-left corner: left, top, right, bottom."""


@dataclass(frozen=True)
class Region:
    """A connected empty region of a page's type area."""

    area_cm2: float
    """Its area, in cm²."""
    box: Box
    """Its bounding box, in mm from the page's top-left corner."""

    @property
    def width_mm(self) -> float:
        """Return the width of its bounding box, in mm."""
        return self.box[2] - self.box[0]

    @property
    def height_mm(self) -> float:
        """Return the height of its bounding box, in mm."""
        return self.box[3] - self.box[1]


@dataclass(frozen=True)
class PageSpace:
    """The white space of one page."""

    page: int
    """The page, counted from 1 as printed."""
    type_area_cm2: float
    """The area of its type area, in cm² (whole cells)."""
    regions: tuple[Region, ...]
    """Its empty regions, largest first."""

    @property
    def empty_cm2(self) -> float:
        """Return the area of all its empty regions, in cm²."""
        return sum(region.area_cm2 for region in self.regions)

    @property
    def empty_share(self) -> float:
        """Return the share of the type area that is empty (0-1)."""
        return self.empty_cm2 / self.type_area_cm2 if self.type_area_cm2 else 0.0

    @property
    def largest_cm2(self) -> float:
        """Return the area of its largest empty region, in cm² (0 when it has none)."""
        return self.regions[0].area_cm2 if self.regions else 0.0


def measure_pdf(
    pdf: Path | bytes, type_areas: Sequence[Box], *, bleed_mm: float = 0.0
) -> list[PageSpace]:
    """Return the white space of every page of ``pdf``.

    ``type_areas`` gives each page's type area (mm from the trimmed page's
    top-left corner); the last one given holds for the pages after it, so
    ``(first, others)`` describes a layout whose first page differs. A PDF
    with ``bleed_mm`` around the trim (the print edition) is measured inside it.
    """
    # Imported here: only commands that measure pages load the renderer.
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            measure_page(
                _render(document[index]),
                type_areas[min(index, len(type_areas) - 1)],
                page=index + 1,
                px_per_mm=CELL_PX / CELL_MM,
                offset_mm=bleed_mm,
            )
            for index in range(len(document))
        ]
    finally:
        document.close()


def _render(page: Any) -> Image.Image:
    scale = CELL_PX / CELL_MM / PT_PER_MM
    image: Image.Image = page.render(scale=scale, draw_annots=False).to_pil()
    return image


def measure_page(
    image: Image.Image,
    type_area: Box,
    *,
    page: int = 1,
    px_per_mm: float,
    offset_mm: float = 0.0,
) -> PageSpace:
    """Return the white space of the page drawn in ``image``, at ``px_per_mm``.

    ``type_area`` is in mm from the page's top-left corner, which lies at
    ``offset_mm`` from the image's (the bleed of a print edition).
    """
    left, top, right, bottom = type_area
    columns = math.floor((right - left) / CELL_MM + 1e-6)
    rows = math.floor((bottom - top) / CELL_MM + 1e-6)
    blank = _blank_cells(
        _ink_mask(image), left + offset_mm, top + offset_mm, columns, rows, px_per_mm
    )
    empty = _opened(blank, round(REACH_MM / CELL_MM))
    regions = sorted(
        (_region(cells, left, top) for cells in _components(empty)),
        key=lambda region: (-region.area_cm2, region.box),
    )
    return PageSpace(page, columns * rows * _cell_cm2(), tuple(regions))


def type_areas_of(document: Any) -> tuple[Box, ...]:
    """Return each page's type area (its content box, in mm) in a laid-out WeasyPrint document."""
    areas = []
    for page in document.pages:
        box = tree.page_box(page)
        left, top = box.content_box_x(), box.content_box_y()
        areas.append(
            (
                left / PX_PER_MM_CSS,
                top / PX_PER_MM_CSS,
                (left + box.width) / PX_PER_MM_CSS,
                (top + box.height) / PX_PER_MM_CSS,
            )
        )
    return tuple(areas)


def layout_type_areas(layout_dir: Path) -> tuple[Box, ...]:
    """Return the type areas of the first page and of the pages after it in a layout's style.

    The pages are laid out by the engine from the layout's ``style.css``: what
    :func:`measure_pdf` takes for the editions of that layout.
    """
    # Imported here: only commands that measure pages load the engine for it.
    from weasyprint import HTML

    document = HTML(string=_TWO_PAGES, base_url=str(layout_dir.resolve()) + "/").render()
    return type_areas_of(document)


def mean_empty_share(spaces: Sequence[PageSpace]) -> float:
    """Return the mean empty share of the type area over ``spaces`` (0 for no page)."""
    return sum(space.empty_share for space in spaces) / len(spaces) if spaces else 0.0


def target_misses(spaces: Sequence[PageSpace]) -> list[str]:
    """Return how an edition's pages miss the white-space targets, one line each; none if met.

    Each region over :data:`LARGEST_EMPTY_CM2` is a line naming its page, size and box;
    a mean empty share over :data:`MEAN_EMPTY_SHARE` is one more, with each page's share.
    """
    misses = []
    for space in spaces:
        for region in space.regions:
            if region.area_cm2 <= LARGEST_EMPTY_CM2:
                break  # largest first: the rest are smaller
            left, top, right, bottom = region.box
            misses.append(
                f"page {space.page}: an empty region of {region.area_cm2:.1f} cm² "
                f"(over {LARGEST_EMPTY_CM2:g} cm²), {region.width_mm:.0f} x "
                f"{region.height_mm:.0f} mm at left {left:g}, top {top:g}, right {right:g}, "
                f"bottom {bottom:g} mm from the page's top-left corner"
            )
    share = mean_empty_share(spaces)
    if share > MEAN_EMPTY_SHARE:
        pages = ", ".join(f"{space.page}: {100 * space.empty_share:.1f} %" for space in spaces)
        misses.append(
            f"the pages are {100 * share:.1f} % empty on average (at most "
            f"{100 * MEAN_EMPTY_SHARE:g} % of the type area); by page, {pages}"
        )
    return misses


def _ink_mask(image: Image.Image) -> Image.Image:
    """Return a one-band image: 255 where a pixel is inked, 0 where it is paper."""
    red, green, blue = image.convert("RGB").split()
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    return darkest.point(lambda value: 255 if value < PAPER else 0)


def _cell_px(
    left_mm: float, top_mm: float, column: int, row: int, px_per_mm: float
) -> tuple[int, int, int, int]:
    x0 = round((left_mm + column * CELL_MM) * px_per_mm)
    y0 = round((top_mm + row * CELL_MM) * px_per_mm)
    x1 = round((left_mm + (column + 1) * CELL_MM) * px_per_mm)
    y1 = round((top_mm + (row + 1) * CELL_MM) * px_per_mm)
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


def _blank_cells(
    ink: Image.Image, left_mm: float, top_mm: float, columns: int, rows: int, px_per_mm: float
) -> list[list[bool]]:
    """Return, row by row, whether each cell of the grid holds no inked pixel.

    The ink is counted in every cell at once from a summed-area table of the ink
    mask; a cell beyond the page drawn holds none (paper).
    """
    inked = np.asarray(ink) > 0
    table = np.zeros((ink.height + 1, ink.width + 1), dtype=np.int64)
    table[1:, 1:] = inked.cumsum(axis=0).cumsum(axis=1)
    xs = [_cell_px(left_mm, top_mm, column, 0, px_per_mm) for column in range(columns)]
    ys = [_cell_px(left_mm, top_mm, 0, row, px_per_mm) for row in range(rows)]
    x0, x1 = (np.clip([box[side] for box in xs], 0, ink.width) for side in (0, 2))
    y0, y1 = (np.clip([box[side] for box in ys], 0, ink.height) for side in (1, 3))
    counts = (
        table[np.ix_(y1, x1)]
        - table[np.ix_(y0, x1)]
        - table[np.ix_(y1, x0)]
        + table[np.ix_(y0, x0)]
    )
    blank: list[list[bool]] = (counts == 0).tolist()
    return blank


def _opened(blank: list[list[bool]], side: int) -> list[list[bool]]:
    """Return the cells that lie in a blank square of ``side`` cells (erosion, then dilation)."""
    rows = len(blank)
    columns = len(blank[0]) if rows else 0
    # Summed-area table of non-blank cells: a square is blank when its sum is 0.
    table = [[0] * (columns + 1) for _ in range(rows + 1)]
    for row in range(rows):
        running = 0
        for column in range(columns):
            running += 0 if blank[row][column] else 1
            table[row + 1][column + 1] = table[row][column + 1] + running
    empty = [[False] * columns for _ in range(rows)]
    for row in range(rows - side + 1):
        for column in range(columns - side + 1):
            inked = (
                table[row + side][column + side]
                - table[row][column + side]
                - table[row + side][column]
                + table[row][column]
            )
            if inked == 0:
                for inner in range(row, row + side):
                    empty[inner][column : column + side] = [True] * side
    return empty


def _components(empty: list[list[bool]]) -> Iterator[list[tuple[int, int]]]:
    """Yield each group of empty cells connected side by side, as (row, column) cells."""
    seen = [[False] * len(line) for line in empty]
    for row, line in enumerate(empty):
        for column, cell in enumerate(line):
            if not cell or seen[row][column]:
                continue
            seen[row][column] = True
            stack, cells = [(row, column)], []
            while stack:
                at_row, at_column = stack.pop()
                cells.append((at_row, at_column))
                for next_row, next_column in (
                    (at_row - 1, at_column),
                    (at_row + 1, at_column),
                    (at_row, at_column - 1),
                    (at_row, at_column + 1),
                ):
                    if (
                        0 <= next_row < len(empty)
                        and 0 <= next_column < len(line)
                        and empty[next_row][next_column]
                        and not seen[next_row][next_column]
                    ):
                        seen[next_row][next_column] = True
                        stack.append((next_row, next_column))
            yield cells


def _region(cells: list[tuple[int, int]], left: float, top: float) -> Region:
    rows = [row for row, _ in cells]
    columns = [column for _, column in cells]
    box = (
        left + min(columns) * CELL_MM,
        top + min(rows) * CELL_MM,
        left + (max(columns) + 1) * CELL_MM,
        top + (max(rows) + 1) * CELL_MM,
    )
    left_mm, top_mm, right_mm, bottom_mm = (round(value, 1) for value in box)
    return Region(round(len(cells) * _cell_cm2(), 2), (left_mm, top_mm, right_mm, bottom_mm))


def _cell_cm2() -> float:
    return (CELL_MM / 10) ** 2
