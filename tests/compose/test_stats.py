"""A call-out's figures: set in more rows where a value does not fit one row."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bulletin.build import typeset_issue
from bulletin.compose import Plan
from bulletin.compose.candidates import figure_arrangements
from bulletin.engine.tree import page_boxes, with_class
from bulletin.html import contract
from bulletin.manifest.load import load_issue
from bulletin.preflight.inspect import inspect_issue
from conftest import SAMPLE_MONTH

STATS = "reintegration-survey"
LABEL = "of the families met in the districts the project covers"


def test_figures_are_tried_in_one_row_then_rows_as_full_as_the_first() -> None:
    assert figure_arrangements(1) == [()]
    assert figure_arrangements(2) == [(), ((0,), (1,))]
    assert figure_arrangements(4) == [(), ((0, 1), (2, 3)), ((0,), (1,), (2,), (3,))]
    assert figure_arrangements(5) == [
        (),
        ((0, 1, 2), (3, 4)),
        ((0, 1), (2, 3), (4,)),
        ((0,), (1,), (2,), (3,), (4,)),
    ]
    assert figure_arrangements(6)[1:3] == [((0, 1, 2), (3, 4, 5)), ((0, 1), (2, 3), (4, 5))]


def _with_figures(project: Path, values: list[str]) -> Plan:
    """Return the sample planned (English) with the call-out's figures set to ``values``."""
    manifest = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    data = yaml.safe_load(manifest.read_text())
    (stats,) = [block for block in data["stories"] if block["id"] == STATS]
    stats["figures"] = [{"value": value, "label": LABEL} for value in values]
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    for translation in manifest.parent.glob("issue.*.yaml"):
        translation.unlink()
    return typeset_issue(load_issue(project, SAMPLE_MONTH), write=False)


def _overflows(project: Path) -> list[str]:
    """Return what ``bulletin check`` says runs past an edge in the sample."""
    report = inspect_issue(project, SAMPLE_MONTH)
    return [str(finding) for finding in report.findings if "past the right edge" in str(finding)]


def _laid_out_rows(plan: Plan) -> tuple[list[list[float]], float]:
    """Return the right edges of the call-out's figure cells, row by row, and the text area's."""
    for page in page_boxes(plan.laid_out.document):
        for stats in with_class(page, contract.STATS):
            if stats.element.get("id") == STATS:
                rows = [
                    [
                        figure.border_box_x() + figure.border_width()
                        for figure in with_class(row, contract.FIGURE)
                    ]
                    for row in with_class(stats, contract.FIGURES)
                ]
                return rows, page.content_box_x() + page.width
    raise AssertionError("the call-out is not laid out")


def test_short_values_share_one_row(project: Path) -> None:
    plan = _with_figures(project, ["95%", "86%", "1 240 ha", "12"])
    assert plan.layout.choices[STATS].rows == ()
    rows, right = _laid_out_rows(plan)
    assert len(rows) == 1 and len(rows[0]) == 4
    assert max(rows[0]) <= right + 0.01


def test_values_too_wide_for_one_row_are_set_in_two_inside_the_text_area(project: Path) -> None:
    # "$1.7 million" cannot break (its figure and unit are bound): in one
    # row of four the engine widened its cell, and the row ran past
    # the text area and off the page edge.
    values = ["1 077 ha", "39,146", "94%", "$1.7 million"]
    plan = _with_figures(project, values)
    assert plan.layout.choices[STATS].rows == ((0, 1), (2, 3))
    rows, right = _laid_out_rows(plan)
    assert [len(row) for row in rows] == [2, 2]
    assert max(edge for row in rows for edge in row) <= right + 0.01
    assert not _overflows(project)


def test_a_value_wider_than_the_text_area_is_left_to_check_to_name(project: Path) -> None:
    value = "1234567890123456789012345678901234"
    plan = _with_figures(project, ["95%", value])
    assert plan.layout.choices[STATS].rows == ()
    overflows = _overflows(project)
    assert len(overflows) == 1
    assert overflows[0].endswith(
        f'stories[6].figures: on page 4, "{value}" runs 89 mm past the right edge of the '
        "text area — it cannot be broken across lines: shorten it, or add a space or a hyphen"
    )


@pytest.mark.parametrize("count", [2, 3])
def test_shorter_last_rows_keep_the_first_rows_cells(project: Path, count: int) -> None:
    # Five figures, one too wide for a row of five: 3 + 2 (or 2 + 2 + 1), the
    # cells of the last row as wide as those above and under them.
    values = ["$1.7 million", "39,146", "94%", "12", "7"]
    if count == 2:
        values[1] = "$2.4 million"
    plan = _with_figures(project, values)
    rows, _ = _laid_out_rows(plan)
    assert len(rows[0]) == len(plan.layout.choices[STATS].rows[0])
    assert rows[-1] == pytest.approx(rows[0][: len(rows[-1])], abs=0.5)
