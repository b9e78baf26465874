"""Compose the issue's pages: every story's treatment, columns and photo sizes, chosen together.

One entry point, :func:`plan_issue`: it measures every candidate treatment
of every block in one measuring layout per language, chooses them together
by dynamic programming over the issue (:mod:`bulletin.compose.paginate`),
with each photo's crop chosen for every language at once, and lays each
language out once with its plan. Each story's headline is copyfitted
first (:mod:`bulletin.compose.copyfit`).
"""

from bulletin.compose.copyfit import HeadFit, choose_step
from bulletin.compose.crops import PhotoPlace
from bulletin.compose.plan import Measures, Plan, Text, block_ends, default_choice, plan_issue
from bulletin.compose.shapes import Choice, Closing, Hole, Layout, PhotoSize

__all__ = [
    "Choice",
    "Closing",
    "HeadFit",
    "Hole",
    "Layout",
    "Measures",
    "PhotoPlace",
    "PhotoSize",
    "Plan",
    "Text",
    "block_ends",
    "choose_step",
    "default_choice",
    "plan_issue",
]
