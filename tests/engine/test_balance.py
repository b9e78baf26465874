"""Balanced columns in one step: the height found, and the engine's layout at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.engine import balance as columns
from bulletin.engine.balance import Piece, fill, least_height
from bulletin.engine.tree import page_box
from bulletin.pdf.typeset import Typesetter
from conftest import SAMPLE_FACTS

LINE = 17.6
MARGIN_PX = 3 * 96 / 25.4  # the largest bottom margin in the documents below (3 mm)
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
def typesetter(tmp_path_factory: pytest.TempPathFactory, sample_root: Path) -> Typesetter:
    folder = tmp_path_factory.mktemp("columns")
    return Typesetter(
        base_dir=folder, folders=[folder], fonts_dir=sample_root / "fonts", source="test"
    )


STYLE = """
@page { size: A4; margin: 15mm }
html { font: 9.4pt/13.2pt "Noto Serif" }
.body { columns: %d; column-gap: 6mm; column-fill: balance; text-align: justify;
        hyphens: auto; orphans: 2; widows: 2 }
.body p { margin: 0; orphans: 2; widows: 2 }
.body p.spaced { margin: 1.5mm 0 2mm }
.body h3 { margin: 2.5mm 0 1mm; font: bold 9.4pt/13.2pt "Noto Sans"; break-after: avoid }
.body ul { margin: 1.5mm 0; padding-left: 4mm }
.body li { margin-bottom: 0.8mm }
.body li.whole { break-inside: avoid; margin-bottom: 1.4mm }
.figure { margin: 1mm 0 3mm; background: #ccc; break-inside: avoid }
"""

# A block of a story body: ("p", words), ("spaced", words), ("h3", 0),
# ("figure", height px), ("list", items) or ("whole", items).
Part = tuple[str, int]
PARTS = st.one_of(
    st.tuples(st.sampled_from(["p", "p", "spaced"]), st.integers(min_value=3, max_value=90)),
    st.tuples(st.just("h3"), st.just(0)),
    st.tuples(st.just("figure"), st.integers(min_value=20, max_value=200)),
    st.tuples(st.sampled_from(["list", "whole"]), st.integers(min_value=1, max_value=5)),
)


def _text_of(words: int, seed: int) -> str:
    return " ".join(WORDS[(seed + i) % len(WORDS)] for i in range(words))


def _document(parts: list[Part], count: int) -> str:
    html = []
    for number, (kind, size) in enumerate(parts):
        if kind == "h3":
            html.append("<h3>A heading kept with its text</h3>")
        elif kind == "figure":
            html.append(f'<div class="figure" style="height: {size}px"></div>')
        elif kind in {"list", "whole"}:
            item = "whole" if kind == "whole" else ""
            html.append(
                "<ul>"
                + "".join(
                    f'<li class="{item}">{_text_of(4 + 5 * i, number + i)}.</li>'
                    for i in range(size)
                )
                + "</ul>"
            )
        else:
            html.append(f'<p class="{kind}">{_text_of(size, number)}.</p>')
    return (
        f'<html lang="en"><style>{STYLE % count}</style>'
        f'<div class="body">{"".join(html)}</div></html>'
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
        walk(page_box(page))
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


@pytest.fixture
def misses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record each balanced height at which the columns did not hold the content."""
    from bulletin.engine import column

    found: list[float] = []
    columns_layout = column.patched().columns_layout

    def recording(*arguments: Any, trusted: bool, missed: list[float]) -> Any:
        result = columns_layout(*arguments, trusted=trusted, missed=missed)
        found.extend(missed)
        return result

    monkeypatch.setattr(column.patched(), "columns_layout", recording)
    return found


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    parts=st.lists(PARTS, min_size=1, max_size=7).filter(
        lambda parts: any(kind in {"p", "spaced"} for kind, _ in parts)
    ),
    count=st.integers(min_value=2, max_value=3),
)
def test_columns_hold_the_same_text_and_are_no_taller_than_the_engines(
    typesetter: Typesetter, parts: list[Part], count: int
) -> None:
    _assert_as_even_as_the_engines(typesetter, parts, count)


def _assert_as_even_as_the_engines(typesetter: Typesetter, parts: list[Part], count: int) -> None:
    html = _document(parts, count)
    ours = _laid_out(typesetter, html, stock=False)
    stock = _laid_out(typesetter, html, stock=True)
    assert len(ours.pages) == len(stock.pages) == 1
    our_columns, stock_columns = _columns(ours), _columns(stock)
    assert len(our_columns) <= count
    # Every word, in order: nothing lost or repeated by the columns.
    assert _words(our_columns) == _words(stock_columns)
    # As even as the engine's: where they differ, by less than the bottom
    # margin the engine spares the last block (3 mm here), never by a line.
    assert max(map(_extent, our_columns)) <= max(map(_extent, stock_columns)) + MARGIN_PX


@pytest.mark.parametrize(
    ("parts", "count"),
    [
        # The measuring pass broke its first column between the first and the
        # second item of the second list (the one after the figure): that
        # item's bottom margin was lost where the flow joined the columns, so
        # the height found was a margin too little for the second column.
        (
            [
                ("spaced", 77),
                ("list", 1),
                ("p", 87),
                ("figure", 65),
                ("list", 3),
                ("spaced", 76),
                ("list", 3),
            ],
            3,
        ),
        # The same between the third and the fourth item kept whole of the
        # second list, with a figure after it in the last column.
        ([("whole", 5), ("p", 66), ("h3", 0), ("whole", 4), ("figure", 93)], 3),
    ],
)
def test_a_margin_between_list_items_where_the_measuring_columns_broke_is_kept(
    typesetter: Typesetter, misses: list[float], parts: list[Part], count: int
) -> None:
    _assert_as_even_as_the_engines(typesetter, parts, count)
    # The height found held the content: the engine's search never ran.
    assert misses == []


@pytest.mark.parametrize("language", [None, "ru"])
def test_the_sample_is_balanced_at_the_heights_found_at_once(
    sample_root: Path, misses: list[float], language: str | None
) -> None:
    # Every multi-column box of the issue (the contents list, each story's
    # body, in the measuring layouts and the issue's) is laid out once at
    # the height found: the engine's own search never has to run.
    from bulletin.build import typeset_issue
    from bulletin.manifest.load import load_issue

    loaded = load_issue(sample_root, "2021-05", language=language)
    assert (
        typeset_issue(loaded, write=False).laid_out.page_count
        == SAMPLE_FACTS.pages[language or "en"]
    )
    assert misses == []


def test_a_height_that_does_not_hold_the_text_falls_back_to_the_engines_search(
    typesetter: Typesetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _document(
        [("p", 60), ("figure", 150), ("h3", 0), ("p", 25), ("spaced", 40), ("whole", 3)], 3
    )
    expected = _words(_columns(_laid_out(typesetter, html, stock=True)))
    found: list[float] = []

    def too_little(*arguments: Any) -> float:
        height = columns.balanced_height(*arguments) / 2
        found.append(height)
        return height

    from bulletin.engine import column

    monkeypatch.setattr(column.patched(), "balanced_height", too_little)
    document = _laid_out(typesetter, html, stock=False)
    assert found, "the balanced height was asked for"
    assert len(document.pages) == 1
    our_columns = _columns(document)
    assert _words(our_columns) == expected
    assert min(map(_extent, our_columns)) > found[0]
