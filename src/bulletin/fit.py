"""Fit stories to pages: choose each lead photo's height so pages end without holes.

A story keeps its headline, lead photo and first lines together, so when the
next story does not fit at the foot of a page, CSS alone leaves a hole there.
A designer would resize photos until the stories pack. We do the same: measure
the blocks (heights of every headline, credit and call-out, and the lines of
every story body, each laid out whole) and the page geometry, simulate the
pagination for the possible photo heights, and keep the heights that leave
the least empty space; the issue is then laid out with them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bulletin.engine.tree import class_names, is_image, is_line, page_box
from bulletin.html import contract

PX_PER_MM = 96 / 25.4
# Lead photo heights a designer would accept across the A4 text width: from a
# 3.2:1 panorama to the 3:2 of a camera frame.
PHOTO_HEIGHTS_MM = tuple(range(56, 124, 4))
DEFAULT_PHOTO_MM = 76
ORPHAN_LINES = 2
WIDOW_LINES = 2
# A page shorter than this much of its height holding text is a "hole" worth
# filling; less is ordinary slack from line rounding.
SLACK_PX = 6 * PX_PER_MM
CLOSING_SAFETY_MM = 5
LONE_CLOSING_PAGE_COST = 3_000


@dataclass(frozen=True)
class Block:
    """A story or call-out as measured in a measuring layout (see :func:`measure_blocks`)."""

    id: str
    """The block's id (its story id)."""
    margin: float
    """Space above the block, dropped at the top of a page (px)."""
    fixed: float
    """Height of everything but the lead photo and the body lines (px)."""
    photo: bool
    """Whether the block has a lead photo whose height we choose."""
    lines: int
    """Body lines (0 for a block that never breaks)."""
    columns: int
    """Body columns."""
    line_height: float
    """Body line height (px)."""
    body_height: float
    """Height of the body when it fits on one page, as balanced by the engine (px)."""


@dataclass(frozen=True)
class Pages:
    """The page geometry of a layout, in CSS px."""

    first_height: float
    """Content height of page 1."""
    first_used: float
    """Space taken on page 1 by what precedes the first block (masthead, contents)."""
    height: float
    """Content height of the following pages."""
    tail: float
    """Height of what follows the last block and never breaks (contacts), with its margin."""
    first_page: int = 0
    """The page the first block starts on, counted from 0 (later when the contents list is long)."""
    first_offset: float = 0.0
    """Where the first block starts on that page (px from the top of its content)."""


@dataclass(frozen=True)
class Front:
    """What a front layout (masthead, contents list, no blocks, contacts on a page after) tells."""

    page_width: float
    """The page's width (px)."""
    first_height: float
    """Content height of page 1 (px)."""
    height: float
    """Content height of the following pages (px)."""
    tail: float
    """Height of the contacts, with their margin (px)."""
    first_page: int
    """The page the blocks start on, counted from 0."""
    first_offset: float
    """Where what precedes the blocks ends on that page (its border edge, px from the top)."""
    margin_before: float
    """The bottom margin of what precedes the blocks (it collapses with the first one's)."""

    def pages(self, first_margin: float) -> Pages:
        """Return the page geometry, for a first block with ``first_margin`` above it."""
        offset = _quantized(self.first_offset + max(0.0, self.margin_before - first_margin))
        return Pages(
            self.first_height,
            offset if self.first_page == 0 else 0.0,
            self.height,
            self.tail,
            self.first_page,
            offset,
        )


@dataclass(frozen=True)
class Fit:
    """The chosen photo heights and what they give."""

    heights_mm: dict[str, int]
    """Lead photo height per story id, in mm."""
    pages: int
    """Pages the simulation predicts."""
    holes_mm: float
    """Empty space left at page feet before the last page, in mm."""
    closing_space_mm: int
    """Room left on the last page, added above the contacts so they close the page (mm)."""
    start_pages: dict[str, int] = field(default_factory=dict)
    """The page each block is predicted to start on, counted from 1 as printed."""


def measure_blocks(document: Any) -> list[Block]:
    """Return the stories and call-outs of a measuring layout, in order.

    In a measuring layout each block is laid out whole (its page is tall
    enough), so every body is balanced by the engine as it would be on a page
    it fits. Lengths are rounded to 1/256 px: a block measures the same
    wherever it lies on the page, alone or among others.
    """
    return [
        Block(
            block.id,
            _quantized(block.margin),
            _quantized(block.fixed),
            block.photo,
            block.lines,
            block.columns,
            _quantized(block.line_height),
            _quantized(block.body_height),
        )
        for block in _measured(document)
    ]


def measure_front(document: Any) -> Front:
    """Return what a front layout tells: the page geometry and where the blocks start.

    The front layout has the masthead and contents list, an empty ``<main>``
    where the blocks go, and the contacts forced onto a page of their own.
    """
    first = page_box(document.pages[0])
    later = page_box(document.pages[1]) if len(document.pages) > 1 else first
    start: tuple[int, float, float] | None = None
    tail = 0.0
    for index, page in enumerate(document.pages):
        root = page_box(page)
        top = root.content_box_y()
        found = _find_tag(root, contract.MAIN_TAG)
        if found is not None and start is None:
            parent, position = found
            before = [child for child in parent.children[:position] if child.is_in_normal_flow()]
            if before:
                edge = before[-1].border_box_y() + before[-1].border_height()
                start = (index, edge - top, float(before[-1].margin_bottom))
            else:
                start = (index, parent.children[position].position_y - top, 0.0)
        contacts = _find_class(root, contract.CONTACTS)
        if contacts is not None:
            tail = contacts.margin_height() - float(contacts.margin_top) + _margin_top(contacts)
    if start is None:
        raise ValueError("the layout has no <main> element for the stories")
    first_page, offset, margin = start
    return Front(
        _quantized(first.margin_width()),
        _quantized(first.height),
        _quantized(later.height),
        _quantized(tail),
        first_page,
        _quantized(offset),
        _quantized(margin),
    )


def _quantized(length: float) -> float:
    return round(length * 256) / 256


def choose_heights(pages: Pages, blocks: Sequence[Block]) -> Fit:
    """Return the photo heights that give the fewest pages, then the smallest holes."""
    # Dynamic programming over blocks; a state is where the page ends so far.
    # Key: (page index, position rounded to 1 px); value: (cost, holes, choices).
    states: dict[tuple[int, int], tuple[float, float, tuple[int, ...]]] = {
        (0, round(pages.first_used)): (0.0, 0.0, ())
    }
    for block in blocks:
        options = PHOTO_HEIGHTS_MM if block.photo else (0,)
        following: dict[tuple[int, int], tuple[float, float, tuple[int, ...]]] = {}
        for (page, position), (cost, holes, chosen) in states.items():
            for height in options:
                _, new_page, new_position, hole = _place(pages, block, page, position, height)
                new_holes = holes + hole
                penalty = abs(height - DEFAULT_PHOTO_MM) * 0.6 if block.photo else 0.0
                new_cost = cost + _hole_cost(hole) + penalty
                key = (new_page, round(new_position))
                if key not in following or following[key][0] > new_cost:
                    following[key] = (new_cost, new_holes, (*chosen, height))
        states = following
    best: tuple[float, int, float, float, tuple[int, ...]] | None = None
    for (page, position), (cost, holes, chosen) in states.items():
        end_page, end, hole = _place_tail(pages, page, position)
        total = (end_page + 1) * 10_000 + cost + _hole_cost(hole)
        if end_page > page:
            # The contacts alone on the last page read as a leftover: prefer
            # sizes that carry some story over with them.
            total += LONE_CLOSING_PAGE_COST
        if best is None or total < best[0]:
            room = _capacity(pages, end_page) - end
            best = (total, end_page + 1, holes + hole, room, chosen)
    assert best is not None, "a layout always has at least one state"
    _, page_count, holes, room, choices = best
    heights = {
        block.id: height for block, height in zip(blocks, choices, strict=True) if block.photo
    }
    # Leave a little of the predicted room unused: the engine's pagination may
    # differ from the simulation by a line.
    closing = max(0, math.floor(room / PX_PER_MM - CLOSING_SAFETY_MM))
    return Fit(
        heights, page_count, holes / PX_PER_MM, closing, _start_pages(pages, blocks, choices)
    )


def _start_pages(pages: Pages, blocks: Sequence[Block], choices: Sequence[int]) -> dict[str, int]:
    """Return the page each block is predicted to start on with the chosen photo heights.

    Pages are counted from 1, as the contents list prints them. The choice
    above simulates from page 1 even when a long contents list pushes the
    first block to a later page; the prediction starts where that block does.
    """
    if pages.first_page:
        pages = Pages(pages.height, pages.first_offset, pages.height, pages.tail, pages.first_page)
    found: dict[str, int] = {}
    page, position = 0, round(pages.first_used)
    for block, height in zip(blocks, choices, strict=True):
        start, page, end, _ = _place(pages, block, page, position, height)
        position = round(end)
        found[block.id] = pages.first_page + start + 1
    return found


def _hole_cost(hole: float) -> float:
    return 0.0 if hole <= SLACK_PX else (hole - SLACK_PX) * 2.0


def _capacity(pages: Pages, page: int) -> float:
    return pages.first_height if page == 0 else pages.height


def _place(
    pages: Pages, block: Block, page: int, position: float, photo_mm: int
) -> tuple[int, int, float, float]:
    """Return (start page, page, position, hole) after placing ``block`` at ``position``."""
    photo = photo_mm * PX_PER_MM
    hole = 0.0
    margin = block.margin if position > 0 else 0.0
    start = block.fixed + photo + min(block.lines, ORPHAN_LINES) * block.line_height
    if position + margin + start > _capacity(pages, page) and position > 0:
        hole = _capacity(pages, page) - position
        page, position, margin = page + 1, 0.0, 0.0
    start_page = page
    position += margin + block.fixed + photo
    lines = block.lines
    while lines:
        room = _capacity(pages, page) - position
        if lines == block.lines and block.body_height <= room:
            position += block.body_height
            break
        rows = max(0, math.floor(room / block.line_height + 0.01))
        if lines < block.columns * rows:
            position += min(room, math.ceil(lines / block.columns + 0.5) * block.line_height)
            break
        # The body breaks: this page fills to its foot, and at least the widow
        # lines of every column go over.
        lines = max(lines - block.columns * rows, WIDOW_LINES * block.columns)
        page, position = page + 1, 0.0
    return start_page, page, position, hole


def _place_tail(pages: Pages, page: int, position: float) -> tuple[int, float, float]:
    if position + pages.tail > _capacity(pages, page):
        return page + 1, pages.tail, _capacity(pages, page) - position
    return page, position + pages.tail, 0.0


def _measured(document: Any) -> list[Block]:
    """Return the blocks of a laid-out document, as measured there."""
    heads: dict[str, float] = {}
    figures: dict[str, float] = {}
    margins: dict[str, float] = {}
    whole: dict[str, float] = {}
    lines: dict[str, list[float]] = {}
    bodies: dict[str, list[float]] = {}
    columns: dict[str, int] = {}
    order: list[str] = []
    for page in document.pages:
        for box, block_id in _blocks(page_box(page)):
            classes = class_names(box)
            if block_id not in order:
                order.append(block_id)
                margins[block_id] = _margin_top(box)
            # Measure by positions, not by summing boxes: margins collapse
            # through headers and figures and belong to no single box.
            content_top = box.position_y + float(box.margin_top)
            if contract.STATS in classes:
                whole[block_id] = box.position_y + box.margin_height() - content_top
            has_head = any(contract.STORY_HEAD in class_names(child) for child in box.children)
            for child in box.children:
                child_classes = class_names(child)
                if contract.LEAD in child_classes and has_head:
                    image = _find_image_height(child)
                    figures[block_id] = image
                    # Everything from the block's top to the end of its lead
                    # figure, less the photo itself, is fixed height.
                    bottom = child.position_y + child.margin_height()
                    heads[block_id] = bottom - content_top - image
                elif contract.BODY in child_classes:
                    columns[block_id] = _column_count(child)
                    lines.setdefault(block_id, []).extend(_line_heights(child))
                    bodies.setdefault(block_id, []).append(child.margin_height())
    blocks = []
    for block_id in order:
        if block_id in whole:
            blocks.append(
                Block(block_id, margins[block_id], whole[block_id], False, 0, 1, 1.0, 0.0)
            )
            continue
        heights = lines.get(block_id, [])
        line_height = _typical(heights)
        count = round(sum(heights) / line_height) if heights else 0
        column_count = columns.get(block_id, 1)
        fragments = bodies.get(block_id, [])
        # Balancing can leave a column a line longer than an even split: use the
        # engine's own height when the layout kept the body on one page.
        body_height = (
            fragments[0]
            if len(fragments) == 1
            else (math.ceil(count / column_count) + 1) * line_height
        )
        blocks.append(
            Block(
                block_id,
                margins[block_id],
                heads.get(block_id, 0.0),
                block_id in figures,
                count,
                column_count,
                line_height,
                body_height,
            )
        )
    return blocks


def _blocks(box: Any) -> Iterator[tuple[Any, str]]:
    for child in getattr(box, "children", None) or ():
        classes = class_names(child)
        if classes & contract.BLOCK_CLASSES:
            yield child, child.element.get("id")
        elif not classes & {contract.MASTHEAD, contract.CONTENTS, contract.CONTACTS}:
            yield from _blocks(child)


def _find_class(box: Any, name: str) -> Any:
    for child in getattr(box, "children", None) or ():
        if name in class_names(child):
            return child
        found = _find_class(child, name)
        if found is not None:
            return found
    return None


def _find_tag(box: Any, tag: str) -> tuple[Any, int] | None:
    """Return the parent of the first box of element ``tag`` and its index, depth first."""
    for index, child in enumerate(getattr(box, "children", None) or ()):
        if getattr(child, "element_tag", None) == tag and not getattr(child, "pseudo_type", None):
            return box, index
        found = _find_tag(child, tag)
        if found is not None:
            return found
    return None


def _find_image_height(box: Any) -> float:
    if is_image(box):
        return float(box.height)
    for child in getattr(box, "children", None) or ():
        height = _find_image_height(child)
        if height:
            return height
    return 0.0


def _margin_top(box: Any) -> float:
    # The used margin is truncated to 0 at the top of a page; the computed one is not.
    margin = box.style["margin_top"]
    return float(margin.value) if getattr(margin, "unit", None) == "px" else float(box.margin_top)


def _column_count(box: Any) -> int:
    count = box.style["column_count"]
    return int(count) if isinstance(count, int) else 1


def _line_heights(box: Any) -> Iterator[float]:
    for child in getattr(box, "children", None) or ():
        if is_line(child):
            yield float(child.height)
        else:
            yield from _line_heights(child)


def _typical(heights: Sequence[float]) -> float:
    if not heights:
        return 1.0
    rounded = [round(h, 1) for h in heights]
    return max(set(rounded), key=rounded.count)
