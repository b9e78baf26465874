"""The composer's simulation and choice: bodies balanced as the engine does, holes avoided."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin.compose.paginate import (
    CLOSING_SAFETY_MM,
    PANEL_REPORTED_MM,
    PX_PER_MM,
    TALLER_THAN_PAGE_COST,
    Body,
    Candidate,
    Geometry,
    Paginated,
    Passes,
    closing_cost,
    closing_growth,
    hole_cost,
    paginate,
    place,
)
from bulletin.engine.balance import Piece, least_height

LINE = 17.6  # px: the body's 13.2 pt
PAGE = 994.0  # px: the content height of an A4 page after the first


def _lines(count: int, *, paragraph: int = 6) -> list[Piece]:
    """Return ``count`` lines in paragraphs of ``paragraph``, orphans and widows 2."""
    pieces = []
    for index in range(count):
        position = index % paragraph
        left = min(paragraph, count - index + position) - position - 1
        pieces.append(
            Piece(index * LINE, (index + 1) * LINE, position >= 1 and (left >= 2 or left == 0))
        )
    return pieces


def _story(name: str, lines: int, fixed: float, treatment: str = "feature") -> Candidate:
    return Candidate(1, treatment, 22.7, fixed, Body(_lines(lines), 2), 0.0, members=(name,))


@given(
    st.lists(
        st.tuples(st.floats(4, 120), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 3),
)
def test_a_body_is_balanced_as_the_engine_balances_it(
    heights: list[tuple[float, bool]], columns: int
) -> None:
    pieces, top = [], 0.0
    for height, breakable in heights:
        pieces.append(Piece(top, top + height, breakable))
        top += height
    found, _ = Body(pieces, columns).balanced(0)
    assert abs(found - least_height(pieces, columns)) < 0.1


def test_a_photo_ending_a_column_ends_it_at_its_edge() -> None:
    # A photo inside the columns, alone in the first: its bottom margin must
    # fit in the column (the height the engine lays the columns out at), but
    # the columns end at their content (the sample's English page 3 once
    # ended 3 mm above the plan's prediction, and every block after).
    margin = 11.3
    photo = Piece(0.0, 200.0, True, 200.0 + margin, "photo inline")
    pieces = [photo, *(Piece(200.0 + top, 200.0 + top + LINE, True) for top in _tops(11))]
    assert least_height(pieces, 2) == pytest.approx(200.0 + margin, abs=0.1)
    body = Body(pieces, 2)
    needed, _ = body.balanced(0)
    assert needed == pytest.approx(200.0 + margin, abs=0.1)
    assert body.extent(0) == pytest.approx(200.0)


def _tops(count: int) -> list[float]:
    return [index * LINE for index in range(count)]


def test_columns_filled_to_the_foot_carry_the_rest_over() -> None:
    body = Body(_lines(60), 2)
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 0.0, 8)
    placed = place(geometry, Candidate(1, "text", 22.7, 100.0, body, 0.0), 0, 0.0)
    # 100 px of head, then 50 lines a column fit (894 px): all 60 lines on page 1.
    assert (placed.start_page, placed.page) == (0, 0)
    assert abs(placed.position - (100.0 + 30 * LINE)) < 0.1
    placed = place(geometry, Candidate(1, "text", 22.7, 100.0, body, 0.0), 0, 700.0)
    # From 700 px, 194 px are left below the head: 10 lines a column (8 breaks
    # ahead of the widows), the rest balanced on the next page.
    assert (placed.start_page, placed.page) == (0, 1)
    stop = body.split(0, PAGE - 700.0 - 22.7 - 100.0)
    assert stop == 18
    assert abs(placed.position - body.balanced(stop)[0]) < 0.01


def test_a_paragraph_resumed_at_a_column_top_keeps_its_orphans() -> None:
    # The last three lines of a paragraph begun on the page before, in three
    # columns: one line, then two, would break it after a single line of
    # this fragment, which its orphans (2, counted by the engine from where
    # it resumes) forbid; two, then one, leave one widow. One column holds all.
    pieces = [
        Piece(0.0, LINE, True, resumed=2),
        Piece(LINE, 2 * LINE, False, resumed=2),
        Piece(2 * LINE, 3 * LINE, True),
    ]
    height, _ = Body(pieces, 3).balanced(0)
    assert abs(height - 3 * LINE) < 0.01
    # Filled to a page foot two lines below, the column takes none of them
    # rather than one: all three go over.
    assert Body(pieces, 3).column_end(0, 1.5 * LINE) is None


def test_a_block_taller_than_a_page_is_set_otherwise() -> None:
    # Its head and photos alone are taller than a page: the engine would set
    # the head alone on a page and the photos on the next. Cheaper in crops,
    # it still costs more than the shorter photos and the hole they leave.
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 0.0, 8)
    tall = Candidate(1, "group", 22.7, PAGE + 50.0, Body(_lines(20), 2), 0.0)
    short = Candidate(1, "group", 22.7, 300.0, Body(_lines(20), 2), 5_000.0)
    assert place(geometry, tall, 0, 0.0).overfull
    assert not place(geometry, short, 0, 0.0).overfull
    found = paginate(geometry, [[tall, short]])
    assert found.steps[0].candidate is short
    # Where nothing else holds the block, it is still set (and costs more).
    alone = paginate(geometry, [[tall]])
    assert alone.steps[0].candidate is tall
    assert alone.cost > TALLER_THAN_PAGE_COST


def test_a_block_that_cannot_start_at_the_foot_leaves_a_hole() -> None:
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 0.0, 8)
    story = _story("second", 10, 300.0)
    placed = place(geometry, story, 0, PAGE - 200.0)
    assert placed.start_page == 1
    assert abs(placed.hole - 200.0) < 0.01


def test_the_plan_sizes_photos_so_that_the_pages_pack() -> None:
    # Both stories and the closing block share page 1 only with both photos
    # at their smallest; any larger one sends the second story or the closing
    # block to a page of its own, most of it empty.
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8)
    first = [_story("first", 20, 120.0 + photo) for photo in (300.0, 150.0, 100.0)]
    second = [_story("second", 24, 120.0 + photo) for photo in (300.0, 150.0, 100.0)]
    found = paginate(geometry, [first, second])
    assert found.pages == 1
    assert [step.candidate.fixed for step in found.steps] == [220.0, 220.0]
    assert all(step.placed.hole == 0 for step in found.steps)


def test_the_same_treatment_three_times_running_costs_more() -> None:
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 0.0, 8)
    options = [
        [_story(f"s{i}", 6, 80.0, "feature"), _story(f"s{i}", 6, 80.0, "side")] for i in range(3)
    ]
    found = paginate(geometry, options)
    treatments = [step.candidate.treatment for step in found.steps]
    assert len(set(treatments)) == 2, treatments


def test_a_hole_costs_more_the_larger_it_is() -> None:
    assert hole_cost(2 * PX_PER_MM) == 0
    assert 0 < hole_cost(10 * PX_PER_MM) < hole_cost(20 * PX_PER_MM) / 2


def test_the_closing_block_grows_its_photo_first_then_its_panel() -> None:
    mm = PX_PER_MM
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8, photo_room=50 * mm, photo_height=60 * mm)
    photo, panel = closing_growth(geometry, 100 * mm)
    assert (round(photo / mm, 3), round(panel / mm, 3)) == (50.0, 50.0 - CLOSING_SAFETY_MM)
    # Room for the photo alone: the panel keeps its height.
    photo, panel = closing_growth(geometry, 30 * mm)
    assert (round(photo / mm, 3), panel) == (30.0 - CLOSING_SAFETY_MM, 0.0)
    # A few millimetres stay as slack.
    assert closing_growth(geometry, 5 * mm) == (0.0, 0.0)
    without_photo = Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8)
    assert round(closing_growth(without_photo, 20 * mm)[1] / mm, 3) == 20.0 - CLOSING_SAFETY_MM


def test_room_the_back_page_takes_costs_less_than_a_hole() -> None:
    mm = PX_PER_MM
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8, photo_room=40 * mm, photo_height=60 * mm)
    for room in (20, 60, 150):
        assert 0 < closing_cost(geometry, room * mm) < hole_cost(room * mm) / 4
    # The photo grows more cheaply than the panel.
    assert closing_cost(geometry, 40 * mm) < closing_cost(
        Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8), 40 * mm
    )


def test_a_back_panel_grown_past_what_check_reports_costs_more_than_filling_it() -> None:
    # One story, 10 lines a column, the closing block 300 px: set with a small
    # head it leaves the panel to grow 87 mm; set otherwise (a crop, say, at
    # a cost the panel's growth alone would not justify) 20 mm.
    mm = PX_PER_MM
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 300.0, 8)
    body = 10 * LINE
    short = _story("only", 20, PAGE - body - 300.0 - (87 + CLOSING_SAFETY_MM) * mm)
    filled = dataclasses.replace(
        _story("only", 20, PAGE - body - 300.0 - (20 + CLOSING_SAFETY_MM) * mm), cost=1_000.0
    )
    assert closing_cost(geometry, (87 + CLOSING_SAFETY_MM) * mm) > 1_000.0 + closing_cost(
        geometry, (20 + CLOSING_SAFETY_MM) * mm
    )
    found = paginate(geometry, [[short, filled]])
    assert found.steps[0].candidate is filled
    assert round(found.closing_panel / mm) == 20 < PANEL_REPORTED_MM
    # Up to what check reports, the panel grows at the cost it always had.
    below = closing_cost(geometry, (PANEL_REPORTED_MM + CLOSING_SAFETY_MM) * mm)
    assert below == pytest.approx(PANEL_REPORTED_MM * 6.0 + PANEL_REPORTED_MM**2 * 0.04)


def test_the_last_page_takes_a_larger_photo_of_the_issue_before_a_larger_panel() -> None:
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 100.0, 8)
    options = [_story("only", 20, 120.0 + photo) for photo in (100.0, 200.0, 300.0)]
    found = paginate(geometry, [options])
    assert found.pages == 1
    assert found.steps[0].candidate.fixed == 420.0
    assert found.closing_panel > 0


def test_a_closing_block_that_does_not_fit_makes_a_back_page_of_its_own() -> None:
    # The story fills page 1 to its foot: the closing block goes to page 2,
    # and grows there into the whole page.
    geometry = Geometry(PAGE, PAGE, 0.0, 0, 300.0, 8)
    found = paginate(geometry, [[_story("only", 100, PAGE - 50 * LINE)]])
    assert (found.pages, found.closing_page) == (2, 1)
    assert round(found.closing_panel) == round(PAGE - 300.0 - CLOSING_SAFETY_MM * PX_PER_MM)


def _summary(found: Paginated) -> tuple[object, ...]:
    """Return what a plan chose and where each block landed (its candidates by position)."""
    return (
        found.cost,
        found.pages,
        found.closing,
        tuple((step.index, step.candidate.fixed, step.placed) for step in found.steps),
    )


@pytest.mark.parametrize("seed", range(6))
def test_a_body_handed_to_another_pass_finds_what_a_new_body_finds(seed: int) -> None:
    # Stories of 3-60 lines in two or three columns, each with photos of a few heights.
    rng = random.Random(seed)
    stories = [(rng.randint(3, 60), rng.choice((2, 3))) for _ in range(rng.randint(3, 9))]
    photos = [[rng.uniform(60.0, 500.0) for _ in range(3)] for _ in stories]
    geometries = [
        Geometry(PAGE - 300.0, PAGE, 12.0, 0, 140.0, 8),
        Geometry(PAGE - 260.5, PAGE, 12.0, 0, 140.0, 8),
    ]
    kept = [Body(_lines(lines), columns) for lines, columns in stories]

    def choices(bodies: list[Body]) -> list[list[Candidate]]:
        return [
            [
                Candidate(1, _treatment(number), 22.7, 120.0 + height, body, 0.0)
                for number, height in enumerate(heights)
            ]
            for body, heights in zip(bodies, photos, strict=True)
        ]

    for geometry in (*geometries, geometries[0]):
        new = [Body(_lines(lines), columns) for lines, columns in stories]
        again = paginate(geometry, choices([body.fresh() for body in kept]))
        assert _summary(again) == _summary(paginate(geometry, choices(new)))


def _treatment(number: int) -> str:
    return ("feature", "side", "group")[number]


@pytest.mark.parametrize("seed", range(6))
def test_a_pass_that_starts_where_an_earlier_one_got_to_finds_what_a_whole_pass_finds(
    seed: int,
) -> None:
    # Each story's photos may take one of two sets of heights (its crops):
    # the passes change one story's at a time, as the crops for every
    # language are chosen, and a pass may start after the stories before it.
    rng = random.Random(seed)
    stories = [(rng.randint(3, 60), rng.choice((2, 3))) for _ in range(rng.randint(3, 9))]
    heights = [[[rng.uniform(60.0, 500.0) for _ in range(3)] for _ in range(2)] for _ in stories]
    geometry = Geometry(PAGE - 300.0, PAGE, 12.0, 0, 140.0, 8)

    def choices(crops: list[int]) -> list[list[Candidate]]:
        found = [
            [
                Candidate(1, _treatment(number), 22.7, 120.0 + height, Body(_lines(n), c), 0.0)
                for number, height in enumerate(heights[index][crop])
            ]
            for index, ((n, c), crop) in enumerate(zip(stories, crops, strict=True))
        ]
        # A brief of two stories, where the next one follows.
        for index, here in enumerate(found[:-1]):
            lines = stories[index][0] + stories[index + 1][0]
            here.append(Candidate(2, "brief", 22.7, 40.0, Body(_lines(lines), 3), 90.0))
        return found

    passes = Passes()
    crops = [0] * len(stories)
    tried = [list(crops)]
    for _ in range(8):
        crops[rng.randrange(len(stories))] ^= 1
        tried.append(list(crops))
    for crops in [*tried, tried[0]]:
        signatures = [(index, crop) for index, crop in enumerate(crops)]
        resumed = paginate(geometry, choices(crops), passes=passes, signatures=signatures)
        assert _summary(resumed) == _summary(paginate(geometry, choices(crops)))
