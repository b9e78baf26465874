"""Fitting stories to pages: the photo heights chosen, and how well they predict the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.build import (
    BLOCKS_STYLE,
    MEASURING_PAGE_MM,
    Measures,
    _fingerprint,
    _measure_blocks,
    _measure_front,
    _typesetter,
)
from bulletin.engine.tree import page_box
from bulletin.fit import (
    DEFAULT_PHOTO_MM,
    PHOTO_HEIGHTS_MM,
    PX_PER_MM,
    Block,
    Pages,
    choose_heights,
    measure_blocks,
)
from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from conftest import SAMPLE_MONTH

LINE = 17.6  # px: the body's 13.2 pt
A4_PAGE = 994.0  # px: content height of a page after the first


def _story(name: str, lines: int, fixed: float = 120.0) -> Block:
    return Block(name, 30.0, fixed, True, lines, 2, LINE, (lines + 1) // 2 * LINE)


def test_a_story_that_would_leave_a_hole_gets_smaller_photos() -> None:
    # Page 1 has room for one story with a default photo; the second story
    # does not fit beneath it unless the photos shrink.
    pages = Pages(A4_PAGE, 100.0, A4_PAGE, 0.0)
    blocks = [_story("first", 12), _story("second", 4)]
    fit = choose_heights(pages, blocks)
    assert fit.pages == 1
    assert fit.holes_mm == 0
    assert all(height < DEFAULT_PHOTO_MM for height in fit.heights_mm.values())


def test_fewest_pages_first_then_the_default_height() -> None:
    pages = Pages(A4_PAGE, 0.0, A4_PAGE, 0.0)
    # One short story, alone: nothing to pack, so the photo keeps its usual size.
    fit = choose_heights(pages, [_story("only", 6)])
    assert fit.heights_mm == {"only": DEFAULT_PHOTO_MM}
    assert fit.pages == 1


def test_the_contacts_do_not_stand_alone_on_the_last_page() -> None:
    # The story cannot share page 1 with the contacts whatever its photo: the
    # fit carries some of it over, by a taller photo, rather than leave the
    # contacts alone on page 2.
    # At the default height the story ends a few millimetres above the foot
    # of page 1: no hole to speak of, yet the contacts would go over alone.
    pages = Pages(A4_PAGE, 330.0, A4_PAGE, 190.0)
    fit = choose_heights(pages, [_story("story", 24)])
    assert fit.pages == 2
    assert fit.heights_mm["story"] > DEFAULT_PHOTO_MM


def test_heights_are_ones_a_designer_would_use() -> None:
    pages = Pages(A4_PAGE, 300.0, A4_PAGE, 150.0)
    blocks = [_story(f"s{i}", 10 + 7 * i) for i in range(6)]
    fit = choose_heights(pages, blocks)
    assert set(fit.heights_mm.values()) <= set(PHOTO_HEIGHTS_MM)
    assert fit.closing_space_mm >= 0


@pytest.mark.parametrize("language", [None, "ru"])
def test_the_simulation_predicts_the_engine_on_the_sample(
    sample_root: Path, language: str | None
) -> None:
    loaded = load_issue(sample_root, SAMPLE_MONTH, language=language)
    typesetter = _typesetter(loaded)
    ids = [block.id for block in loaded.issue.stories]
    resources, known = _fingerprint(loaded), Measures()
    front = _measure_front(loaded, typesetter, dict.fromkeys(ids, 1), resources, known, known)
    blocks = _measure_blocks(loaded, typesetter, front.page_width, resources, known, known)
    geometry = front.pages(blocks[0].margin)
    fit = choose_heights(geometry, blocks)
    final = typesetter.render_pdf(
        render_html(loaded, fit=fit, pages=fit.start_pages), write=False
    ).document
    assert len(final.pages) == fit.pages
    # Every story starts on the page the contents list prints.
    for block_id, page in fit.start_pages.items():
        assert block_id in final.pages[page - 1].anchors, f"{block_id} not on page {page}"
    # Every page but the last is filled to within a few millimetres of its foot.
    for page in final.pages[:-1]:
        box = page_box(page)
        bottom = max(
            (child.position_y + child.margin_height() for child in _descendants(box)),
            default=0.0,
        )
        room = box.content_box_y() + box.height - bottom
        assert room < 20 * PX_PER_MM, f"{room / PX_PER_MM:.0f} mm empty at a page foot"
    # The geometry measured is the engine's: A4 less the margins.
    assert (geometry.first_height, geometry.height) == pytest.approx(
        (page_box(final.pages[0]).height, page_box(final.pages[1]).height), abs=0.01
    )


def test_a_block_measures_the_same_alone_or_among_others(sample_root: Path) -> None:
    # What lets a rebuild measure only the story edited: the others keep
    # their measures, which must be those a fresh build would find.
    loaded = load_issue(sample_root, SAMPLE_MONTH)
    typesetter = _typesetter(loaded)
    style = BLOCKS_STYLE.format(width=793.7, height=MEASURING_PAGE_MM)

    def measured(ids: list[str]) -> list[Block]:
        html = render_html(loaded, blocks=ids)
        return measure_blocks(
            typesetter.render_pdf(html, stylesheets=[style], write=False).document
        )

    ids = [block.id for block in loaded.issue.stories]
    together = measured(ids)
    assert [block.id for block in together] == ids
    assert all(block.lines > 0 for block in together if block.photo)
    for block in together[1:]:
        assert measured([block.id]) == [block]


def _descendants(box: object) -> list[object]:
    found = []
    for child in getattr(box, "children", None) or ():
        if getattr(child, "element_tag", None) in {"article", "section", "footer"}:
            found.append(child)
        else:
            found.extend(_descendants(child))
    return found


def _call_out(block_id: str, height: float) -> Block:
    """A block that never breaks and has no photo to size: its place depends on nothing else."""
    return Block(block_id, 0.0, height, False, 0, 1, 1.0, 0.0)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # The first block starts on page 1, below the masthead and contents.
        (Pages(1000.0, 500.0, 900.0, 0.0), {"a": 1, "b": 2, "c": 2}),
        # A long contents list pushes it to page 2, 300 px down; later pages
        # are shorter than page 1 (which has no top margin).
        (
            Pages(1000.0, 0.0, 900.0, 0.0, first_page=1, first_offset=300.0),
            {"a": 2, "b": 3, "c": 3},
        ),
    ],
)
def test_start_pages_count_from_the_cover(pages: Pages, expected: dict[str, int]) -> None:
    blocks = [_call_out("a", 400.0), _call_out("b", 400.0), _call_out("c", 400.0)]
    assert choose_heights(pages, blocks).start_pages == expected
