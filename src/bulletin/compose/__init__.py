"""Compose the issue's pages: every story's treatment, columns and photo sizes, chosen together.

One entry point, :func:`plan_issue`: it measures every candidate treatment
of every block in one measuring layout, chooses them together by dynamic
programming over the issue (:mod:`bulletin.compose.paginate`), and lays
the issue out once with the plan.
"""

from bulletin.compose.crops import PhotoPlace
from bulletin.compose.plan import Measures, Plan, default_choice, plan_issue
from bulletin.compose.shapes import Choice, Closing, Hole, Layout, PhotoSize

__all__ = [
    "Choice",
    "Closing",
    "Hole",
    "Layout",
    "Measures",
    "PhotoPlace",
    "PhotoSize",
    "Plan",
    "default_choice",
    "plan_issue",
]
