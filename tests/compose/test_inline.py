"""Photos inside the columns (the inline treatment), as the engine lays them out.

Read from the laid-out pages of generated issues the composer set so: each
photo is a column wide and as tall as planned, inside its story's columns,
after the story's first lines; and the engine paginates the issue as the
plan predicted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bulletin.compose.candidates import column_width_mm
from bulletin.compose.shapes import PX_PER_MM
from bulletin.engine.tree import children, class_names, is_line, page_boxes
from bulletin.html import contract
from generated_builds import GeneratedBuilds, seed_param

# The engine rounds a frame to its pixels (mm).
FRAME_TOLERANCE_MM = 0.3


def _story_boxes(page: Any, story: str) -> Iterator[Any]:
    """Yield the boxes of ``story``'s article on a page (one, or none)."""
    for box in page.descendants():
        element = getattr(box, "element", None)
        if (
            contract.STORY in class_names(box)
            and element is not None
            and element.get("id") == story
        ):
            yield box


def _inline_images(box: Any) -> Iterator[Any]:
    for child in children(box):
        if "inline" in class_names(child) and contract.PHOTO in class_names(child):
            yield from (d for d in child.descendants() if getattr(d, "element_tag", "") == "img")
        else:
            yield from _inline_images(child)


def _first_body_line(box: Any) -> Any:
    for child in box.descendants():
        if contract.BODY in class_names(child):
            return next(d for d in child.descendants() if is_line(d))
    return None


def _reading(page: int, box: Any) -> tuple[int, int, float]:
    """Return where ``box`` comes in reading order: page, column (its left edge, mm), height."""
    return page, round(box.position_x / PX_PER_MM), box.position_y


@pytest.mark.parametrize("seed", [seed_param(0), seed_param(2)])
def test_inline_photos_are_a_column_wide_inside_their_story(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    plan = generated_builds.plan(seed, "en")
    inline = [choice for choice in plan.layout.choices.values() if choice.treatment == "inline"]
    assert inline, "the plan sets no story's photos inside its columns"
    pages = page_boxes(plan.laid_out.document)
    assert plan.laid_out.page_count == plan.predicted_pages
    for choice in inline:
        found = []
        first_line = None
        for number, page in enumerate(pages):
            for box in _story_boxes(page, choice.block):
                if first_line is None:
                    line = _first_body_line(box)
                    first_line = None if line is None else _reading(number, line)
                found.extend((number, image) for image in _inline_images(box))
        assert len(found) == len(choice.inline), choice.block
        width = column_width_mm(choice.columns)
        for (_, image), index in zip(found, choice.inline, strict=True):
            planned = choice.photos[index]
            assert abs(image.width / PX_PER_MM - width) <= FRAME_TOLERANCE_MM, choice.block
            assert abs(image.height / PX_PER_MM - planned.height_mm) <= FRAME_TOLERANCE_MM
            assert planned.kept >= 0.6 - 1e-9
        # The story's text starts before its first photo, in reading order.
        assert first_line is not None
        assert first_line < _reading(*found[0]), choice.block
