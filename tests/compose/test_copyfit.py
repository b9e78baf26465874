"""Copyfitting a headline: the step of the ladder chosen from its head measured at every step."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import pytest
from test_plan import _assert_laid_out_as_planned

from bulletin.compose.copyfit import (
    FILLS_MM2,
    LEAD_MAX_LINES,
    MAX_LINES,
    STEP_COST_MM2,
    VISIBLE_MM,
    HeadFit,
    choose_step,
    head_fit,
)
from bulletin.compose.measure import headline_blank
from bulletin.engine.tree import children, class_names, page_boxes
from bulletin.html import contract
from bulletin.preflight.whitespace import LARGEST_EMPTY_CM2
from generated_builds import GeneratedBuilds, seed_param

# Heads as the measuring layout measured them in the standard layout (mm):
# height, headline lines, blank beside the last line, that blank's height.
# A one-line headline's band is kicker + headline + the head's paddings.
SHORT_ONE_LINE = (
    HeadFit(-2, 16.6, 1, 101.0, 15.8),
    HeadFit(-1, 17.1, 1, 92.0, 16.4),
    HeadFit(0, 17.8, 1, 80.0, 17.1),
    HeadFit(1, 18.5, 1, 62.0, 17.8),
)
# Two lines, the second holding one short word: a step smaller sets it on one.
SHORT_LAST_LINE = (
    HeadFit(-2, 16.6, 1, 15.0, 15.8),
    HeadFit(-1, 24.0, 2, 149.0, 9.9),
    HeadFit(0, 25.4, 2, 146.0, 10.6),
    HeadFit(1, 26.8, 2, 142.0, 11.3),
)
# Two lines, the second near the measure: it fills, and stays.
FILLED = (
    HeadFit(-2, 23.0, 2, 40.0, 9.4),
    HeadFit(-1, 24.0, 2, 26.0, 9.9),
    HeadFit(0, 25.4, 2, 12.0, 10.6),
    HeadFit(1, 35.1, 3, 99.0, 11.3),
)


def test_a_short_one_line_headline_goes_up() -> None:
    assert SHORT_ONE_LINE[2].area == pytest.approx(80.0 * 17.1)
    assert choose_step(SHORT_ONE_LINE) == 1


def test_a_last_line_of_one_short_word_goes_down_to_a_line_fewer() -> None:
    # At -1 the last line is still short (149 mm blank), at -2 it is gone.
    assert choose_step(SHORT_LAST_LINE) == -2


def test_a_headline_that_fills_its_measure_keeps_its_size() -> None:
    assert FILLED[2].area <= FILLS_MM2
    assert choose_step(FILLED) == 0


def test_a_blank_lower_than_a_reader_sees_costs_nothing() -> None:
    low = HeadFit(0, 20.0, 2, 150.0, VISIBLE_MM - 0.1)
    assert low.area == 0.0
    assert choose_step((HeadFit(-1, 19.0, 1, 10.0, 15.0), low)) == 0


def test_a_step_must_save_more_than_it_costs() -> None:
    default = HeadFit(0, 17.8, 1, 60.0, 17.1)  # 10.3 cm²
    larger = HeadFit(1, 18.5, 1, 60.0 - 0.9 * STEP_COST_MM2 / 17.8, 17.8)
    assert default.area - larger.area < STEP_COST_MM2
    assert choose_step((default, larger)) == 0


@pytest.mark.parametrize(("lead", "step"), [(False, 0), (True, -1)])
def test_no_step_sets_a_headline_on_more_than_three_lines_the_leads_on_four(
    lead: bool, step: int
) -> None:
    fits = (
        HeadFit(-1, 44.0, 4, 5.0, 12.0),
        HeadFit(0, 40.9, 3, 120.0, 13.2),
    )
    assert choose_step(fits, lead=lead) == step


def test_a_layout_without_the_ladder_keeps_the_default() -> None:
    # Every step measures alike: the classes set nothing.
    fits = tuple(HeadFit(step, 17.8, 1, 120.0, 17.1) for step in (-2, -1, 0, 1))
    assert choose_step(fits) == 0


@pytest.mark.parametrize(
    ("seed", "language"),
    [seed_param(seed, language) for seed in (1, 3) for language in ("en", "ru")],
)
def test_laid_out_headlines_leave_no_band_a_step_would_have_filled(
    generated_builds: GeneratedBuilds, seed: int, language: str
) -> None:
    plan = generated_builds.plan(seed, language)
    _assert_laid_out_as_planned(plan)
    target = LARGEST_EMPTY_CM2 * 100
    seen = {}
    for page in page_boxes(plan.laid_out.document):
        for story, box in _stories(page, plan.headlines):
            lines, blank, band = headline_blank(box)
            if not lines:
                continue  # the story's part after a page break
            choice = plan.layout.choices[story]
            fits = {fit.step: fit for fit in plan.headlines[story]}
            chosen = fits[choice.headline]
            # The headline is set at the step chosen, and as it was measured.
            assert _headline_classes(box) == {
                contract.HEADLINE,
                *filter(None, [contract.HEADLINE_STEPS.get(choice.headline)]),
            }, story
            laid = head_fit(choice.headline, box.margin_height(), lines, blank, band)
            assert (laid.lines, laid.blank, laid.band) == pytest.approx(
                (chosen.lines, chosen.blank, chosen.band), abs=0.05
            ), story
            if laid.area > target:
                # No step of the ladder within its lines would have filled it.
                most = max(LEAD_MAX_LINES if choice.lead else MAX_LINES, fits[0].lines)
                assert all(fit.area > target for fit in fits.values() if fit.lines <= most), story
            seen[story] = choice.headline
    assert set(seen) == set(plan.headlines)
    # The issue has headlines set a step from the default, and at it.
    assert 0 in seen.values() and set(seen.values()) - {0}


def _stories(box: Any, stories: Collection[str]) -> Iterator[tuple[str, Any]]:
    """Yield the laid-out stories of ``stories`` under ``box``, with their ids."""
    for child in children(box):
        element = getattr(child, "element", None)
        name = element.get("id") if element is not None else None
        if name in stories and contract.STORY in class_names(child):
            yield str(name), child
        else:
            yield from _stories(child, stories)


def _headline_classes(box: Any) -> set[str]:
    for child in children(box):
        if contract.HEADLINE in class_names(child):
            return set(class_names(child))
        found = _headline_classes(child)
        if found:
            return found
    return set()
