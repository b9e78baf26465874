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
from bulletin.engine.tree import class_names, page_box
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


def test_columns_under_a_wide_photo_hold_as_much_less() -> None:
    # 12 lines beside and under a photo 4 lines tall over the last two of
    # three columns: at 6 lines the first holds 6, the others 2 each.
    offsets = (0.0, 4 * LINE, 4 * LINE)
    assert least_height(_lines(10), 3, offsets) == pytest.approx(6 * LINE)
    assert fill(_lines(10), 6 * LINE + 0.01, offsets) == [(0, 5), (6, 7), (8, 9)]


def test_text_shorter_than_a_wide_photo_stays_in_the_column_beside_it() -> None:
    offsets = (0.0, 10 * LINE, 10 * LINE)
    assert least_height(_lines(3), 3, offsets) == pytest.approx(3 * LINE)
    # A column under the photo with no room for the next line stays empty.
    assert fill(_lines(3), 2 * LINE + 0.01, offsets) == [(0, 1), (2, 1), (2, 1), (2, 2)]


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


WIDE_STYLE = ".wide { margin: 0; padding-bottom: 3mm; background: #999; break-inside: avoid }"


def _text_of(words: int, seed: int) -> str:
    return " ".join(WORDS[(seed + i) % len(WORDS)] for i in range(words))


def _document(parts: list[Part], count: int, wide: int = 0) -> str:
    """The body's HTML; ``wide``: a photo that tall (px) first, across two columns."""
    html = [f'<div class="wide" style="height: {wide}px"></div>'] if wide else []
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
        f'<html lang="en"><style>{STYLE % count}{WIDE_STYLE}</style>'
        f'<div class="body">{"".join(html)}</div></html>'
    )


def _laid_out(typesetter: Typesetter, html: str, *, stock: bool, searched: bool = False) -> Any:
    """Lay ``html`` out with bulletin's columns, the engine's own (``stock``), or
    bulletin's without the balanced height, searching as the engine does (``searched``)."""
    from weasyprint.layout import block, column

    from bulletin.engine import column as ours_module

    ours = block.columns_layout
    if stock:
        block.columns_layout = column.columns_layout
    elif searched:

        def searching(*arguments: Any) -> Any:
            return ours_module.patched().columns_layout(*arguments, trusted=False, missed=[])

        block.columns_layout = searching
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


# Bodies of one to seven parts, at least one of them text.
BODIES = st.lists(PARTS, min_size=1, max_size=7).filter(
    lambda parts: any(kind in {"p", "spaced"} for kind, _ in parts)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=BODIES, count=st.integers(min_value=2, max_value=3))
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


# ---- A wide photo across the last two columns --------------------------------


def _body(document: Any) -> Any:
    def walk(box: Any) -> Any:
        for child in getattr(box, "children", None) or ():
            if any(getattr(inner, "is_column", False) for inner in child.children or ()):
                return child
            found = walk(child)
            if found is not None:
                return found
        return None

    return walk(page_box(document.pages[0]))


def _boxes_with_text(box: Any) -> Iterator[Any]:
    if getattr(box, "text", None):
        yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes_with_text(child)


def _assert_wide_photo_set(typesetter: Typesetter, parts: list[Part], wide: int) -> None:
    html = _document(parts, 3, wide)
    ours = _laid_out(typesetter, html, stock=False)
    searched = _laid_out(typesetter, html, stock=False, searched=True)
    stock = _laid_out(typesetter, html, stock=True)
    assert len(ours.pages) == len(searched.pages) == 1
    body = _body(ours)
    photos = [child for child in body.children if not child.is_column]
    columns = [child for child in body.children if child.is_column]
    assert len(photos) == 1
    photo = photos[0]
    gap = 6 * 96 / 25.4
    width = (body.width - 2 * gap) / 3
    # Across exactly the last two columns and the gutter between, at the top.
    assert photo.position_x == pytest.approx(body.content_box_x() + width + gap)
    assert photo.width == pytest.approx(2 * width + gap)
    assert photo.position_y == pytest.approx(body.content_box_y())
    assert photo.height == pytest.approx(wide + 3 * 96 / 25.4)
    bottom = photo.position_y + photo.height
    # The first column starts at the columns' top, beside the photo; the
    # others below it; no text over it.
    assert columns[0].position_y == pytest.approx(body.content_box_y())
    assert all(column.position_y == pytest.approx(bottom) for column in columns[1:])
    for column in columns:
        for box in _boxes_with_text(column):
            inside = box.position_x < photo.position_x + photo.width and (
                box.position_x + box.width > photo.position_x
            )
            assert not inside or box.position_y >= bottom - 0.01
    # Every word, in order, as the engine sets the text with the photo in the flow.
    assert _words(columns) == _words(_columns(stock))
    # No taller than the engine's own search at these columns finds.
    assert body.height <= _body(searched).height + MARGIN_PX


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=BODIES, wide=st.integers(min_value=60, max_value=500))
def test_a_wide_photo_spans_two_columns_and_the_text_fills_the_rest(
    typesetter: Typesetter, parts: list[Part], wide: int
) -> None:
    _assert_wide_photo_set(typesetter, parts, wide)


def test_a_wide_photo_is_on_the_first_page_only(typesetter: Typesetter) -> None:
    html = _document([("p", 80)] * 40, 3, 300)
    document = _laid_out(typesetter, html, stock=False)
    assert len(document.pages) > 1
    counts = []
    for page in document.pages:
        found: list[Any] = []

        def walk(box: Any, found: list[Any] = found) -> None:
            for child in getattr(box, "children", None) or ():
                if "wide" in class_names(child):
                    found.append(child)
                walk(child)

        walk(page_box(page))
        counts.append(len(found))
    assert counts == [1] + [0] * (len(document.pages) - 1)
    assert _words(_columns(document)) == _words(_columns(_laid_out(typesetter, html, stock=True)))
