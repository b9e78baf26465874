"""Balanced columns in one step: the height found, and the engine's layout at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin import columns
from bulletin.columns import Piece, fill, least_height
from bulletin.pdf import Typesetter

LINE = 17.6
WORDS = [
    "migration",
    "partners",
    "border",
    "health",
    "dialogue",
    "return",
    "family",
    "support",
    "office",
    "assessment",
    "project",
    "training",
    "capacity",
    "government",
    "network",
    "reintegration",
]


def _lines(count: int, *, top: float = 0.0, keep: tuple[int, ...] = ()) -> list[Piece]:
    """Lines of one flow, a break allowed after each but those in ``keep``."""
    return [Piece(top + i * LINE, top + (i + 1) * LINE, i not in keep) for i in range(count)]


def test_even_lines_share_the_columns_equally() -> None:
    assert least_height(_lines(9), 3) == pytest.approx(3 * LINE)
    assert least_height(_lines(10), 3) == pytest.approx(4 * LINE)


def test_a_widow_rule_makes_the_second_column_the_longer() -> None:
    # 11 lines then 8: at 10 lines a column would leave one line of the first
    # paragraph alone, so it ends after line 9 and the second holds 2 + 8.
    first = _lines(11, keep=(9,))
    second = _lines(8, top=11 * LINE)
    assert least_height([*first, *second], 2) == pytest.approx(10 * LINE)
    assert fill([*first, *second], 10 * LINE + 0.01) == [(0, 8), (9, 18)]


def test_a_block_that_must_not_break_sets_the_least_height() -> None:
    figure = Piece(2 * LINE, 2 * LINE + 200.0, True)
    pieces = [*_lines(2), figure, *_lines(2, top=2 * LINE + 200.0)]
    assert least_height(pieces, 3) == pytest.approx(200.0)


def test_a_column_that_cannot_end_in_time_overflows_rather_than_loops() -> None:
    pieces = _lines(6, keep=(0, 1, 2, 3))
    assert fill(pieces, 2 * LINE) == [(0, 4), (5, 5)]


# ---- Against the engine's own balancing ------------------------------------


@pytest.fixture(scope="module")
def typesetter(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Typesetter:
    folder = tmp_path_factory.mktemp("columns")
    return Typesetter(base_dir=folder, folders=[folder], fonts_dir=repo / "fonts", source="test")


STYLE = """
@page { size: A4; margin: 15mm }
html { font: 9.4pt/13.2pt "Noto Serif" }
.body { columns: %d; column-gap: 6mm; column-fill: balance; text-align: justify;
        hyphens: auto; orphans: 2; widows: 2 }
.body p { margin: 0; orphans: 2; widows: 2 }
.body h3 { margin: 2.5mm 0 1mm; font: bold 9.4pt/13.2pt "Noto Sans"; break-after: avoid }
.figure { height: %dpx; margin: 1mm 0 3mm; background: #ccc; break-inside: avoid }
"""


def _document(paragraphs: list[int], count: int, figure: int, heading: bool) -> str:
    parts = []
    for number, words in enumerate(paragraphs):
        if heading and number == 1:
            parts.append("<h3>A heading kept with its text</h3>")
        text = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(words))
        parts.append(f"<p>{text}.</p>")
        if figure and number == 0:
            parts.append('<div class="figure"></div>')
    return (
        f'<html lang="en"><style>{STYLE % (count, figure or 1)}</style>'
        f'<div class="body">{"".join(parts)}</div></html>'
    )


def _laid_out(typesetter: Typesetter, html: str, *, stock: bool) -> Any:
    from weasyprint.layout import block, column

    ours = block.columns_layout
    if stock:
        block.columns_layout = column.columns_layout
    try:
        return typesetter.render_pdf(html, write=False).document
    finally:
        block.columns_layout = ours


def _columns(document: Any) -> list[Any]:
    found = []

    def walk(box: Any) -> None:
        for child in getattr(box, "children", None) or ():
            if getattr(child, "is_column", False):
                found.append(child)
            else:
                walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def _text(box: Any) -> Iterator[str]:
    text = getattr(box, "text", None)
    if text is not None:
        yield text
    for child in getattr(box, "children", None) or ():
        yield from _text(child)


def _words(columns: list[Any]) -> list[str]:
    return [text for column in columns for text in _text(column)]


def _extent(column: Any) -> float:
    children = [child for child in column.children if child.is_in_normal_flow()]
    if not children:
        return 0.0
    last = children[-1]
    return float(last.position_y + last.margin_height() - last.margin_bottom - column.position_y)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(st.integers(min_value=3, max_value=90), min_size=1, max_size=6),
    count=st.integers(min_value=2, max_value=3),
    figure=st.sampled_from([0, 0, 60, 150]),
    heading=st.booleans(),
)
def test_columns_hold_the_same_text_and_are_no_taller_than_the_engines(
    typesetter: Typesetter, paragraphs: list[int], count: int, figure: int, heading: bool
) -> None:
    html = _document(paragraphs, count, figure, heading)
    ours = _laid_out(typesetter, html, stock=False)
    stock = _laid_out(typesetter, html, stock=True)
    assert len(ours.pages) == len(stock.pages) == 1
    our_columns, stock_columns = _columns(ours), _columns(stock)
    assert len(our_columns) <= count
    # Every word, in order: nothing lost or repeated by the columns.
    assert _words(our_columns) == _words(stock_columns)
    assert max(map(_extent, our_columns)) <= max(map(_extent, stock_columns)) + 0.5


def test_a_height_that_does_not_hold_the_text_falls_back_to_the_engines_search(
    typesetter: Typesetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _document([60, 25, 40], 3, 150, True)
    expected = _words(_columns(_laid_out(typesetter, html, stock=True)))
    found: list[float] = []

    def too_little(*arguments: Any) -> float:
        height = columns.balanced_height(*arguments) / 2
        found.append(height)
        return height

    from bulletin import _weasyprint_columns

    monkeypatch.setattr(_weasyprint_columns, "balanced_height", too_little)
    document = _laid_out(typesetter, html, stock=False)
    assert found, "the balanced height was asked for"
    assert len(document.pages) == 1
    our_columns = _columns(document)
    assert _words(our_columns) == expected
    assert min(map(_extent, our_columns)) > found[0]
