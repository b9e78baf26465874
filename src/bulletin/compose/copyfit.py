"""Copyfit story headlines: set each at the step of the layout's ladder that fills its measure.

A designer sizes a headline to its space: a short one is set larger, one
whose last line holds a word or two a step smaller, on a line fewer. The
composer measures a story's head at every step of the layout's ladder
(``contract.HEADLINE_STEPS``) and keeps, per story and language, the step
whose last line leaves the least blank beside it, as the white-space
measure sees it (``preflight.whitespace``: a blank counts where a 10 mm
square fits in it), before the pages are chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bulletin.compose.shapes import PX_PER_MM

STEPS = (-2, -1, 0, 1)
"""The steps of the ladder the composer measures: 0 is the layout's default."""
VISIBLE_MM = 8.0
"""A blank band lower than this (between line boxes) is not seen as a hole.

The white-space measure counts a blank where a 10 mm square of uninked
paper fits; the ink of the lines above and below stops short of their line
boxes (by the half-leading and the space over the letters), about 2 mm in all.
"""
FILLS_MM2 = 800.0
"""A head whose last line leaves at most this blank beside it keeps its default size (8 cm²)."""
STEP_COST_MM2 = 150.0
"""What setting a headline a step away from its default costs, in blank area (1.5 cm²)."""
MAX_LINES = 3
"""The most lines a headline is set on at another step than its default (the lead's: 4)."""
LEAD_MAX_LINES = 4


@dataclass(frozen=True)
class HeadFit:
    """A story's head as measured at one step of the ladder (lengths in mm)."""

    step: int
    """The step, from the default (0)."""
    height: float
    """The head's height."""
    lines: int
    """The headline's lines."""
    blank: float
    """The width left blank beside the headline's last line."""
    band: float
    """The blank's height (the head's margins, and the kicker for a one-line headline, included)."""

    @property
    def area(self) -> float:
        """Return the blank beside the last line as the white-space measure sees it (mm²)."""
        if self.band < VISIBLE_MM or self.blank < VISIBLE_MM:
            return 0.0
        return self.blank * self.band


def choose_step(fits: Sequence[HeadFit], *, lead: bool = False) -> int:
    """Return the step to set a headline at, from its head measured at every step.

    The default where it fills its measure well (``FILLS_MM2``) or where no
    step measures apart from it (a layout without the ladder); else the step
    leaving the least blank beside the last line, each step from the default
    costing ``STEP_COST_MM2``, on no more lines than ``MAX_LINES`` (the
    lead's ``LEAD_MAX_LINES``) unless the default has more.
    """
    default = next((fit for fit in fits if fit.step == 0), None)
    if default is None:
        return 0
    if default.area <= FILLS_MM2:
        return 0
    most = max(LEAD_MAX_LINES if lead else MAX_LINES, default.lines)

    def cost(fit: HeadFit) -> tuple[float, int]:
        return fit.area + STEP_COST_MM2 * abs(fit.step), abs(fit.step)

    allowed = [
        fit
        for fit in fits
        if fit.lines <= most
        and (fit.step == 0 or (fit.height, fit.blank, fit.band) != _shape(default))
    ]
    return min(allowed, key=cost).step


def _shape(fit: HeadFit) -> tuple[float, float, float]:
    return fit.height, fit.blank, fit.band


def head_fit(step: int, height: float, lines: int, blank: float, band: float) -> HeadFit:
    """Return a head's measure at ``step`` from lengths in CSS px."""
    return HeadFit(step, height / PX_PER_MM, lines, blank / PX_PER_MM, band / PX_PER_MM)
