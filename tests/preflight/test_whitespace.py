"""White space measured from pixels: holes found at their size, gutters and leading ignored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bulletin.preflight.whitespace import (
    CELL_MM,
    REACH_MM,
    Box,
    PageSpace,
    Region,
    layout_type_areas,
    mean_empty_share,
    measure_page,
    measure_pdf,
    target_misses,
    type_areas_of,
)
from conftest import SAMPLE

A4_MM = (210.0, 297.0)
TYPE_AREA = (15.0, 15.0, 195.0, 278.0)
PX_PER_MM = 4.0
LINE_MM = 4.66  # 13.2 pt leading
X_HEIGHT_MM = 2.2


def _page(
    holes: list[tuple[float, float, float, float]] = (),  # type: ignore[assignment]
    *,
    columns: int = 3,
    gutter_mm: float = 5.0,
    px_per_mm: float = PX_PER_MM,
) -> Image.Image:
    """Return an A4 page set solid with lines of text in columns, ``holes`` left blank."""
    width, height = (round(side * px_per_mm) for side in A4_MM)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = TYPE_AREA
    column_mm = (right - left - gutter_mm * (columns - 1)) / columns
    for column in range(columns):
        x0 = left + column * (column_mm + gutter_mm)
        y = top
        while y + X_HEIGHT_MM <= bottom:
            draw.rectangle(
                [
                    x0 * px_per_mm,
                    y * px_per_mm,
                    (x0 + column_mm) * px_per_mm,
                    (y + X_HEIGHT_MM) * px_per_mm,
                ],
                fill=(40, 40, 40),
            )
            y += LINE_MM
    for hole in holes:
        draw.rectangle([value * px_per_mm for value in hole], fill="white")
    return image


def test_a_page_set_solid_has_no_hole_in_its_gutters_or_leading() -> None:
    space = measure_page(_page(), TYPE_AREA, px_per_mm=PX_PER_MM)

    assert space.regions == ()
    assert space.empty_share == 0.0
    assert space.type_area_cm2 == pytest.approx(18.0 * 26.2)


def _line_top(number: int) -> float:
    return TYPE_AREA[1] + number * LINE_MM


def _line_bottom(number: int) -> float:
    return _line_top(number) + X_HEIGHT_MM


# Holes from the foot of one line to the head of another, so that the blank
# drawn is exactly the hole.
@pytest.mark.parametrize(
    "hole",
    [
        (60.0, _line_bottom(18), 110.0, _line_top(27)),  # 5 x 4 cm in the middle, over a gutter
        (15.0, _line_bottom(47), 195.0, 278.0),  # a band at the foot
        (120.0, 15.0, 195.0, _line_top(7)),  # in the top right corner
    ],
)
def test_a_hole_is_found_at_its_size_and_place(hole: tuple[float, float, float, float]) -> None:
    space = measure_page(_page([hole]), TYPE_AREA, px_per_mm=PX_PER_MM)

    left, top, right, bottom = hole
    area = (right - left) * (bottom - top) / 100
    [region] = space.regions
    # Whole cells inside the hole: at most a cell's width lost on each side.
    assert area - (right - left + bottom - top) * 2 * CELL_MM / 100 <= region.area_cm2 <= area
    assert region.box == pytest.approx(hole, abs=CELL_MM)
    assert space.empty_share == pytest.approx(region.area_cm2 / space.type_area_cm2)


def test_blank_space_narrower_than_the_reach_is_not_a_hole() -> None:
    narrow = REACH_MM - CELL_MM
    across = (15.0, _line_bottom(18), 195.0, _line_top(20))  # 7.1 mm from ink to ink
    down = (100.0, 15.0, 100.0 + narrow, 278.0)
    assert across[3] - across[1] < REACH_MM
    page = _page([across, down])

    assert measure_page(page, TYPE_AREA, px_per_mm=PX_PER_MM).regions == ()


def test_separate_holes_are_separate_regions_largest_first() -> None:
    small = (20.0, 20.0, 40.0, 40.0)
    large = (100.0, 150.0, 190.0, 210.0)
    space = measure_page(_page([small, large]), TYPE_AREA, px_per_mm=PX_PER_MM)

    assert [region.box for region in space.regions] == [
        pytest.approx(large, abs=CELL_MM),
        pytest.approx(small, abs=CELL_MM),
    ]
    assert space.largest_cm2 == space.regions[0].area_cm2 > 40


def test_a_light_tint_is_not_paper() -> None:
    page = _page([(30.0, 60.0, 150.0, 120.0)])
    ImageDraw.Draw(page).rectangle(
        [value * PX_PER_MM for value in (30.0, 60.0, 150.0, 120.0)], fill=(235, 240, 249)
    )

    assert measure_page(page, TYPE_AREA, px_per_mm=PX_PER_MM).regions == ()


def _pdf(pages: list[Image.Image]) -> bytes:
    stream = io.BytesIO()
    resolution = PX_PER_MM * 25.4
    pages[0].save(stream, "PDF", resolution=resolution, save_all=True, append_images=pages[1:])
    return stream.getvalue()


def test_a_pdf_is_measured_page_by_page_with_its_own_type_areas(tmp_path: Path) -> None:
    first_area = (15.0, 0.0, 195.0, 278.0)
    hole = (40.0, 200.0, 120.0, 260.0)
    full = _page()
    holed = _page([hole])
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pdf([full, holed, full]))

    spaces = measure_pdf(path, [first_area, TYPE_AREA])

    assert [space.page for space in spaces] == [1, 2, 3]
    # Page 1's type area starts at the paper's top edge: the blank band above
    # the text (15 mm, drawn for the other pages) is a hole there.
    assert spaces[0].regions[0].box == pytest.approx((15.0, 0.0, 195.0, 15.0), abs=CELL_MM)
    assert spaces[1].regions[0].box == pytest.approx(hole, abs=CELL_MM)
    assert spaces[2].regions == ()


def test_the_type_area_is_the_engines_content_box() -> None:
    from weasyprint import HTML

    html = """<style>@page { size: A4; margin: 15mm 15mm 19mm 15mm }
    @page :first { margin-top: 0 }</style><p>one</p><p style="break-before: page">two</p>"""
    document = HTML(string=html).render()

    first, second = type_areas_of(document)

    assert first == pytest.approx((15.0, 0.0, 195.0, 278.0))
    assert second == pytest.approx((15.0, 15.0, 195.0, 278.0))


def test_a_layouts_type_areas_are_its_style_sheets_page_boxes(tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    layout.mkdir()
    (layout / "style.css").write_text(
        "@page { size: A4; margin: 12mm 20mm 25mm 10mm }\n@page :first { margin-top: 40mm }\n"
    )

    first, others = layout_type_areas(layout)

    assert first == pytest.approx((10.0, 40.0, 190.0, 272.0))
    assert others == pytest.approx((10.0, 12.0, 190.0, 272.0))


def test_the_standard_layouts_first_page_is_type_area_to_its_top_edge() -> None:
    first, others = layout_type_areas(SAMPLE / "layouts" / "standard")

    assert first == pytest.approx((15.0, 0.0, 195.0, 278.0))
    assert others == pytest.approx(TYPE_AREA)


def _space(page: int, *regions: tuple[float, Box]) -> PageSpace:
    found = tuple(Region(area, box) for area, box in regions)
    return PageSpace(page, 400.0, tuple(sorted(found, key=lambda region: -region.area_cm2)))


def test_a_page_with_a_region_over_15_cm2_misses_the_target_by_page_size_and_box() -> None:
    spaces = [
        _space(1, (6.0, (20.0, 30.0, 50.0, 50.0))),
        _space(2, (15.0, (15.0, 100.0, 75.0, 125.0)), (22.4, (15.0, 180.0, 195.0, 192.4))),
        _space(3),
    ]

    assert target_misses(spaces) == [
        "page 2: an empty region of 22.4 cm² (over 15 cm²), 180 x 12 mm at left 15, top 180, "
        "right 195, bottom 192.4 mm from the page's top-left corner"
    ]
    assert mean_empty_share(spaces) == pytest.approx((6.0 + 37.4) / 400 / 3)


def test_pages_empty_over_4_percent_on_average_miss_the_target() -> None:
    small = (14.0, (20.0, 30.0, 60.0, 65.0))
    met = [_space(1, small), _space(2, small, small), _space(3)]
    missed = [_space(1, small), _space(2, small, small), _space(3, small, small)]

    assert mean_empty_share(met) == pytest.approx(0.035)
    assert target_misses(met) == []
    assert target_misses(missed) == [
        "the pages are 5.8 % empty on average (at most 4 % of the type area); by page, "
        "1: 3.5 %, 2: 7.0 %, 3: 7.0 %"
    ]
    assert target_misses([]) == []
