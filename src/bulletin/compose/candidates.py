"""The treatments a block may take, the parts to measure for them, and their photo sizes.

Every story is measured in parts (head, photo rows, body at two and at three
columns, brief item): the shapes of all its treatments are put together
from those, so that a treatment costs no layout of its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bulletin.compose.copyfit import STEPS, HeadFit, choose_step, head_fit
from bulletin.compose.crops import Limits, PhotoPlace
from bulletin.compose.measure import Flow, Part
from bulletin.compose.shapes import PX_PER_MM, Choice, PhotoSize, Row, Shape
from bulletin.model.issue import Stats, Story

TEXT_WIDTH_MM = 180.0
"""The type area's width (``style.css``: A4 less 15 mm margins)."""
COLUMN_GAPS_MM = {1: 0.0, 2: 6.0, 3: 5.0}
"""The gutter at each column count (``style.css``)."""
ROW_GAP_MM = 5.0
"""The gutter between photos of a row: the grid's."""
BODY_COLUMNS = (2, 3)
# A photo over the columns is never taller than this, nor a row shorter.
MAX_ROW_MM = 130.0
MIN_ROW_MM = 36.0
MIN_PHOTO_WIDTH_MM = 36.0
MIN_FEATURE_MM = 45.0
MAX_SIDE_MM = 135.0
MIN_SIDE_MM = 38.0
# Photos as wide as this or narrower may sit in a column (portrait, square, 3:2).
SIDE_ASPECT = 1.6
# A photo inside the columns (inline) is at least this tall, and the story
# brings at least this many words for each such photo, in two paragraphs or more.
MIN_INLINE_MM = 30.0
INLINE_WORDS = 110
# The scales of their natural height the plan tries for photos inside the columns.
INLINE_SCALES = (0.72, 0.86, 1.0, 1.18, 1.38)
# A photo across the width is at least this wide for its height.
FEATURE_ASPECT = 1.25
# A story without photos this short, and without a pull quote, may go in a brief.
BRIEF_WORDS = 170
# Photo heights the plan tries, this far apart (mm).
SIZE_STEP_MM = 5.0
# Scales this close (relatively) are one: the rounding of the shapes a photo is held to.
SCALE_TOLERANCE = 1e-9

ARRANGEMENTS: dict[int, tuple[tuple[tuple[int, ...], ...], ...]] = {
    1: (((0,),),),
    2: (((0, 1),),),
    3: (((0, 1, 2),), ((0,), (1, 2))),
    4: (((0, 1, 2, 3),), ((0, 1), (2, 3)), ((0,), (1, 2, 3))),
}
"""How a story's photos may be set over its columns: rows of photo indices."""


def column_width_mm(columns: int) -> float:
    """Return the width of one column of a body of ``columns`` (mm)."""
    return (TEXT_WIDTH_MM - COLUMN_GAPS_MM[columns] * (columns - 1)) / columns


@dataclass(frozen=True)
class Spec:
    """A part to lay out in the measuring layout."""

    id: str
    """Its HTML id."""
    kind: str
    """``block``, ``body`` or ``brief`` (see measure.measure_parts)."""
    choice: Choice
    """How to lay it out."""


def briefable(block: Story | Stats) -> bool:
    """Return whether ``block`` may share a brief with other short stories."""
    return (
        isinstance(block, Story)
        and not block.photos
        and not block.quote
        and len(block.body.split()) <= BRIEF_WORDS
    )


def fixed_columns(story: Story) -> tuple[int, ...]:
    """Return the column counts the story may take: two or three.

    A line across the whole type area is too long for body text (over 90
    characters): a story asking for one column is set in two.
    """
    del story
    return BODY_COLUMNS


def preferred_columns(story: Story) -> int | None:
    """Return the columns the manifest asks for (a preference the plan weighs), if any."""
    chosen = story.layout.columns
    return max(2, chosen) if chosen else None


def figure_arrangements(count: int) -> list[tuple[tuple[int, ...], ...]]:
    """Return the ways a call-out's ``count`` figures may be set in rows, fewest rows first.

    Each in reading order, its rows as full as the first (five figures: one
    row, 3 + 2, 2 + 2 + 1, one a row); one row is ``()``, the layout's own.
    """
    found: list[tuple[tuple[int, ...], ...]] = [()]
    sizes = sorted({math.ceil(count / rows) for rows in range(2, count + 1)}, reverse=True)
    for size in sizes:
        if size < count:
            rows = (tuple(range(i, min(i + size, count))) for i in range(0, count, size))
            found.append(tuple(rows))
    return found


def stats_id(stats: Stats, rows: tuple[tuple[int, ...], ...]) -> str:
    """Return the measuring id of a call-out with its figures in ``rows`` (``()``: one row)."""
    return f"m-{stats.id}-stats" + (f"-{len(rows[0])}" if rows else "")


def figure_rows(stats: Stats, parts: Mapping[str, Part]) -> tuple[tuple[int, ...], ...]:
    """Return the rows a call-out's figures are set in: the fewest where each value fits.

    A value is set inside its cell, and its cell inside the row; where none
    holds it (a value wider than the text width), the figures keep one row,
    and ``bulletin check`` names the value that runs past the edge.
    """
    for rows in figure_arrangements(len(stats.figures)):
        if parts[stats_id(stats, rows)].fits:
            return rows
    return ()


def story_limits(story: Story, limits: Mapping[PhotoPlace, Limits]) -> list[Limits]:
    """Return the crop limits of the story's photos, in its order."""
    return [limits[(story.id, number)] for number in range(len(story.photos))]


def measuring_specs(
    blocks: Sequence[Story | Stats], limits: Mapping[PhotoPlace, Limits]
) -> list[tuple[str, list[Spec]]]:
    """Return, block by block, the parts to measure."""
    found = []
    for index, block in enumerate(blocks):
        specs: list[Spec] = []
        if isinstance(block, Stats):
            specs += [
                Spec(stats_id(block, rows), "stats", Choice(block.id, "stats", 0, rows=rows))
                for rows in figure_arrangements(len(block.figures))
            ]
            found.append((block.id, specs))
            continue
        lead = index == 0
        # The head at every step of the headline's ladder (copyfit chooses).
        for step in STEPS:
            specs.append(
                Spec(
                    head_id(block, "head", step),
                    "head",
                    Choice(block.id, "text", 0, lead=lead, headline=step),
                )
            )
            if lead:
                # The lead story's head set as any other's: for a page 1 whose
                # contents list leaves too little room under it for the lead's.
                specs.append(
                    Spec(
                        head_id(block, "head-plain", step),
                        "head",
                        Choice(block.id, "text", 0, headline=step),
                    )
                )
        aspects = [limit.aspect for limit in story_limits(block, limits)]
        for arrangement in measured_arrangements(block, limits):
            sizes = _row_sizes(arrangement, aspects, 1.0)
            specs.append(
                Spec(
                    rows_id(block, arrangement),
                    "block",
                    Choice(block.id, "group", 0, photos=sizes, rows=arrangement, head=False),
                )
            )
        for columns in fixed_columns(block):
            side = len(block.photos) == 1 and aspects[0] <= SIDE_ASPECT
            sizes = ()
            if side:
                width = column_width_mm(columns)
                height = min(MAX_SIDE_MM, max(MIN_SIDE_MM, width / aspects[0]))
                sizes = (PhotoSize(width, height, width / height, 1.0),)
            specs.append(
                Spec(
                    f"m-{block.id}-body{columns}",
                    "body",
                    Choice(
                        block.id,
                        "side" if side else "text",
                        columns,
                        quote=bool(block.quote),
                        photos=sizes,
                        side=0 if side else None,
                        head=False,
                    ),
                )
            )
        for columns in fixed_columns(block):
            inline = _inline_sizes(block, limits, columns)
            if inline is None:
                continue
            specs.append(
                Spec(
                    f"m-{block.id}-inline{columns}",
                    "body",
                    Choice(
                        block.id,
                        "inline",
                        columns,
                        quote=bool(block.quote),
                        photos=inline,
                        inline=tuple(range(len(inline))),
                        head=False,
                    ),
                )
            )
        if briefable(block):
            specs.append(
                Spec(
                    f"m-{block.id}-brief",
                    "brief",
                    Choice(block.id, "brief", 3, members=(block.id,)),
                )
            )
        found.append((block.id, specs))
    return found


def _inline_ranges(
    story: Story, limits: Mapping[PhotoPlace, Limits], columns: int
) -> list[tuple[float, float]] | None:
    """Return each photo's least and greatest heights inside ``columns`` (mm), or None.

    None where the story may not set its photos inside its columns: it has
    none, too little text for them (``INLINE_WORDS`` a photo, two paragraphs
    at least), or a photo too wide to be ``MIN_INLINE_MM`` tall in a column
    within its crop.
    """
    count = len(story.photos)
    paragraphs = [part for part in story.body.split("\n\n") if part.strip()]
    if not count or len(paragraphs) < 2 or len(story.body.split()) < INLINE_WORDS * count:
        return None
    width = column_width_mm(columns)
    found = []
    for limit in story_limits(story, limits):
        low = max(MIN_INLINE_MM, width / limit.high)
        high = min(MAX_SIDE_MM, width / limit.low)
        if low > high * (1 + SCALE_TOLERANCE):
            return None
        found.append((low, max(low, high)))
    return found


def _inline_measured(width: float, aspect: float) -> float:
    """Return the height a photo of shape ``aspect`` is measured at, ``width`` wide (mm).

    Its own shape, within the heights a photo inside the columns takes: the
    measure does not depend on the crop another language chose (the plan
    sets the photo's height; the measure only places it in the text).
    """
    return min(MAX_SIDE_MM, max(MIN_INLINE_MM, width / aspect))


def _inline_sizes(
    story: Story, limits: Mapping[PhotoPlace, Limits], columns: int
) -> tuple[PhotoSize, ...] | None:
    """Return the story's photos inside ``columns`` as measured, or None if it may not."""
    if _inline_ranges(story, limits, columns) is None:
        return None
    width = column_width_mm(columns)
    return tuple(
        _column_size(width, _inline_measured(width, limit.aspect), limit.aspect)
        for limit in story_limits(story, limits)
    )


def _column_size(width: float, height: float, aspect: float) -> PhotoSize:
    """Return a photo ``width`` by ``height`` mm whose own shape is ``aspect``."""
    shown = width / height
    return PhotoSize(width, height, shown, min(shown, aspect) / max(shown, aspect))


def arrangements(
    story: Story, limits: Mapping[PhotoPlace, Limits]
) -> list[tuple[tuple[int, ...], ...]]:
    """Return the ways the story's photos may be set over its columns."""
    count = len(story.photos)
    if count == 0:
        return []
    aspects = [limit.aspect for limit in story_limits(story, limits)]
    if (
        count == 1
        and aspects[0] < FEATURE_ASPECT
        and limits[(story.id, 0)].high < (TEXT_WIDTH_MM / MAX_ROW_MM)
    ):
        return []  # a portrait photo is never set across the width
    every = ARRANGEMENTS[min(count, 4)]
    narrowest = {
        arrangement: min(size.width_mm for size in _row_sizes(arrangement, aspects, 1.0))
        for arrangement in every
    }
    # Every photo at least two grid columns wide, or it reads as a stamp.
    found = [arrangement for arrangement in every if narrowest[arrangement] >= MIN_PHOTO_WIDTH_MM]
    found = found or [max(every, key=narrowest.__getitem__)]
    photo_limits = story_limits(story, limits)
    if count == 1 or any(_scales(rows, photo_limits) is not None for rows in found):
        return found
    # No row split of the usual ones holds the photos within their crops at
    # one scale (a portrait beside panoramas, or the shapes another language
    # chose): every split whose rows each hold theirs, the widest first.
    splits = [rows for rows in _splits(count) if _row_scales(rows, photo_limits) is not None]
    splits.sort(key=lambda rows: -min(size.width_mm for size in _row_sizes(rows, aspects, 1.0)))
    wide = [rows for rows in splits if _narrowest(rows, aspects) >= MIN_PHOTO_WIDTH_MM]
    return wide or splits[:1]


def measured_arrangements(
    story: Story, limits: Mapping[PhotoPlace, Limits]
) -> list[tuple[tuple[int, ...], ...]]:
    """Return the arrangements to measure: any the story's photos may take at any crop allowed.

    ``limits`` allow every crop: the shapes another language chose may ask
    for a split of the rows that these do not need (see :func:`arrangements`).
    """
    found = arrangements(story, limits)
    if len(story.photos) > 1:
        photo_limits = story_limits(story, limits)
        found += [
            rows
            for rows in _splits(len(story.photos))
            if rows not in found and _row_scales(rows, photo_limits) is not None
        ]
    return found


def head_id(story: Story, head_part: str, step: int) -> str:
    """Return the measuring id of ``story``'s head ``head_part`` with its headline at ``step``."""
    if step == 0:
        return f"m-{story.id}-{head_part}"
    return f"m-{story.id}-{head_part}-{'up' if step > 0 else 'down'}-{abs(step)}"


def head_fits(story: Story, parts: Mapping[str, Part], head_part: str = "head") -> list[HeadFit]:
    """Return the story's head ``head_part`` as measured at every step of the headline's ladder."""
    return [
        head_fit(step, part.height, part.lines, part.blank, part.band)
        for step in STEPS
        if (part := parts.get(head_id(story, head_part, step))) is not None
    ]


def fitted_head(
    story: Story, parts: Mapping[str, Part], head_part: str = "head", *, lead: bool = False
) -> tuple[int, Part]:
    """Return the step the story's headline is set at (see compose.copyfit), and its head so set."""
    step = choose_step(head_fits(story, parts, head_part), lead=lead)
    return step, parts[head_id(story, head_part, step)]


def rows_id(story: Story, arrangement: tuple[tuple[int, ...], ...]) -> str:
    """Return the measuring id of ``story``'s photo rows set as ``arrangement``."""
    return f"m-{story.id}-rows-" + "-".join("_".join(map(str, row)) for row in arrangement)


def _narrowest(rows: tuple[tuple[int, ...], ...], aspects: Sequence[float]) -> float:
    """Return the width of the narrowest photo of ``rows`` at their natural height (mm)."""
    return min(size.width_mm for size in _row_sizes(rows, aspects, 1.0))


def _splits(count: int) -> list[tuple[tuple[int, ...], ...]]:
    """Return every way of setting ``count`` photos in rows, in their order."""
    found = []
    for cuts in range(2 ** (count - 1)):
        rows, row = [], [0]
        for index in range(1, count):
            if cuts >> (index - 1) & 1:
                rows.append(tuple(row))
                row = []
            row.append(index)
        rows.append(tuple(row))
        found.append(tuple(rows))
    return found


def _row_scales(
    rows: tuple[tuple[int, ...], ...], limits: Sequence[Limits]
) -> list[tuple[float, float]] | None:
    """Return the scales each row may be set at within its photos' crops, or None if one may not.

    A scale is of the row's natural height (see ``_row_sizes``); a row is
    also kept between MIN_ROW_MM and MAX_ROW_MM tall, and a photo alone
    across the width at least MIN_FEATURE_MM.
    """
    aspects = [limit.aspect for limit in limits]
    natural = _row_sizes(rows, aspects, 1.0)
    found = []
    for row in rows:
        bases = _bases(row, aspects)
        height = natural[row[0]].height_mm
        low = max(max(bases[i] / limits[i].high for i in row), MIN_ROW_MM / height)
        high = min(min(bases[i] / limits[i].low for i in row), MAX_ROW_MM / height)
        if len(rows) == 1 and len(row) == 1:
            low = max(low, MIN_FEATURE_MM / height)
        if low > high * (1 + SCALE_TOLERANCE):
            return None
        found.append((low, max(low, high)))
    return found


def _scales(
    rows: tuple[tuple[int, ...], ...], limits: Sequence[Limits]
) -> tuple[float, float] | None:
    """Return the scales all ``rows`` may be set at together, or None if there is none."""
    each = _row_scales(rows, limits)
    if each is None:
        return None
    low, high = max(low for low, _ in each), min(high for _, high in each)
    return (low, max(low, high)) if low <= high * (1 + SCALE_TOLERANCE) else None


def _row_sizes(
    rows: tuple[tuple[int, ...], ...],
    aspects: Sequence[float],
    scale: float | Sequence[float],
) -> tuple[PhotoSize, ...]:
    """Return every photo's size when the rows are set at ``scale`` times their natural height.

    ``scale`` is one for every row, or one for each.

    ``aspects`` are the photos' own shapes. In a row of several, each photo
    is given a shape between its own and the row's mean, within what it may
    be cropped to: a portrait beside two panoramas is cropped squarer rather
    than set as a sliver.
    """
    sizes: dict[int, PhotoSize] = {}
    scales = [scale] * len(rows) if isinstance(scale, (int, float)) else list(scale)
    for row, row_scale in zip(rows, scales, strict=True):
        bases = _bases(row, aspects)
        room = TEXT_WIDTH_MM - ROW_GAP_MM * (len(row) - 1)
        total = sum(bases.values())
        height = room / total * row_scale
        for index in row:
            width = room * bases[index] / total
            shown = width / height
            kept = min(shown, aspects[index]) / max(shown, aspects[index])
            sizes[index] = PhotoSize(width, height, shown, kept)
    return tuple(sizes[index] for index in sorted(sizes))


def _bases(row: tuple[int, ...], aspects: Sequence[float]) -> dict[int, float]:
    """Return the shape each photo of ``row`` takes at the row's natural height."""
    if len(row) == 1:
        return {row[0]: aspects[row[0]]}
    mean = sum(aspects[index] for index in row) / len(row)
    found = {}
    for index in row:
        own = aspects[index]
        # Halfway (geometrically) to the mean, never past 60 % of the photo kept.
        base = (own * mean) ** 0.5
        found[index] = min(max(base, own * 0.78), own / 0.78)
    return found


@dataclass(frozen=True)
class Option:
    """A shape with its photos sized: one choice the plan may make for a block."""

    shape: Shape
    """The shape."""
    photo: float
    """The height of the first photo row or of the side photo (px); 0 without photos."""
    sizes: tuple[PhotoSize, ...]
    """Each photo's size."""
    kept: float
    """The least share of a photo's area shown."""
    rows_height: float = 0.0
    """The photo rows' heights together (px); 0 without rows."""


def story_shapes(
    story: Story,
    parts: Mapping[str, Part],
    limits: Mapping[PhotoPlace, Limits],
    *,
    lead: bool = False,
    head_part: str = "head",
) -> list[Shape]:
    """Return the shapes of the story's treatments, from its measured parts.

    ``lead``: whether the shapes lead the issue (the lead's head and photo);
    ``head_part``: the measured head to set them with.
    """
    headline, head = fitted_head(story, parts, head_part, lead=lead)
    shapes: list[Shape] = []
    aspects = [limit.aspect for limit in story_limits(story, limits)]
    for columns in fixed_columns(story):
        body = parts[f"m-{story.id}-body{columns}"]
        flows = (
            [(True, body.flow), (False, _without(body.flow, "pull-quote"))]
            if story.quote
            else [(False, body.flow)]
        )
        for quote, pieces in flows:
            plain = _without(pieces, "photo side")
            if not story.photos:
                shapes.append(
                    Shape(
                        story.id,
                        "text",
                        columns,
                        head.margin,
                        head.height,
                        plain,
                        quote=quote,
                        lead=lead,
                        headline=headline,
                    )
                )
                continue
            for arrangement in arrangements(story, limits):
                rows = parts[rows_id(story, arrangement)]
                natural = _row_sizes(arrangement, aspects, 1.0)
                row_shapes = tuple(
                    Row(
                        row,
                        tuple(natural[index].width_mm * PX_PER_MM for index in row),
                        natural[row[0]].height_mm * PX_PER_MM,
                    )
                    for row in arrangement
                )
                rows_height = sum(row.height for row in row_shapes)
                shapes.append(
                    Shape(
                        story.id,
                        "feature" if len(story.photos) == 1 else "group",
                        columns,
                        head.margin,
                        head.height + rows.height - rows_height,
                        plain,
                        rows=row_shapes,
                        quote=quote,
                        lead=lead,
                        headline=headline,
                    )
                )
            first = next((piece for piece in pieces if piece[4] == "photo side"), None)
            if first is not None:
                measured = column_width_mm(columns)
                height = min(MAX_SIDE_MM, max(MIN_SIDE_MM, measured / aspects[0]))
                shapes.append(
                    Shape(
                        story.id,
                        "side",
                        columns,
                        head.margin,
                        head.height,
                        pieces,
                        side=(0, measured * PX_PER_MM, height * PX_PER_MM),
                        quote=quote,
                        lead=lead,
                        headline=headline,
                    )
                )
        inline = parts.get(f"m-{story.id}-inline{columns}")
        ranges = _inline_ranges(story, limits, columns)
        if inline is None or ranges is None:
            continue
        width = column_width_mm(columns)
        in_columns = tuple(
            (index, width * PX_PER_MM, _inline_measured(width, limit.aspect) * PX_PER_MM)
            for index, limit in enumerate(story_limits(story, limits))
        )
        for quote, pieces in (
            [(True, inline.flow), (False, _without(inline.flow, "pull-quote"))]
            if story.quote
            else [(False, inline.flow)]
        ):
            shapes.append(
                Shape(
                    story.id,
                    "inline",
                    columns,
                    head.margin,
                    head.height,
                    pieces,
                    inline=in_columns,
                    quote=quote,
                    headline=headline,
                )
            )
    return shapes


def options(shape: Shape, limits: Sequence[Limits]) -> list[Option]:
    """Return the photo sizes the plan may try for ``shape``."""
    if shape.inline:
        return _inline_options(shape, limits)
    if shape.side is not None:
        index, width_px, _ = shape.side
        width = width_px / PX_PER_MM
        limit = limits[index]
        low = max(MIN_SIDE_MM, width / limit.high)
        high = min(MAX_SIDE_MM, width / limit.low)
        found = []
        for height in _steps(low, high, width / limit.aspect):
            shown = width / height
            kept = min(shown, limit.aspect) / max(shown, limit.aspect)
            size = PhotoSize(width, height, shown, kept)
            found.append(Option(shape, height * PX_PER_MM, (size,), kept))
        return found
    if not shape.rows:
        return [Option(shape, 0.0, (), 1.0)]
    aspects = [limit.aspect for limit in limits]
    arrangement = tuple(row.photos for row in shape.rows)
    ranges = []
    for row in shape.rows:
        bases = _bases(row.photos, aspects)
        # Each photo's shown shape is its base over the row's scale.
        low = max(bases[i] / limits[i].high for i in row.photos)
        high = min(bases[i] / limits[i].low for i in row.photos)
        low = max(low, MIN_ROW_MM * PX_PER_MM / row.height)
        high = min(high, MAX_ROW_MM * PX_PER_MM / row.height)
        if len(shape.rows) == 1 and len(row.photos) == 1:
            low = max(low, MIN_FEATURE_MM * PX_PER_MM / row.height)
        if low > high * (1 + SCALE_TOLERANCE):
            return []
        # Held to one shape (another language's crops), the photos' limits give
        # one scale each, equal but for rounding: that one scale.
        ranges.append((low, max(low, high)))
    low_scale = max(low for low, _ in ranges)
    high_scale = min(high for _, high in ranges)
    first = shape.rows[0].height / PX_PER_MM
    found = []
    if low_scale <= high_scale * (1 + SCALE_TOLERANCE):
        # The rows scale together.
        high_scale = max(low_scale, high_scale)
        for height in _steps(first * low_scale, first * high_scale, first):
            scale = height / first
            sizes = _row_sizes(arrangement, aspects, scale)
            photo = height * PX_PER_MM
            rows_height = sum(row.height * (photo / shape.rows[0].height) for row in shape.rows)
            kept = min(size.kept for size in sizes)
            found.append(Option(shape, photo, sizes, kept, rows_height))
        return found
    # No one scale holds every row's photos within their crops: each row is
    # kept within its own, as near the scale of the others as it may be.
    low_scale = min(low for low, _ in ranges)
    high_scale = max(high for _, high in ranges)
    seen = set()
    for height in _steps(first * low_scale, first * high_scale, first):
        scales = [min(max(height / first, low), high) for low, high in ranges]
        if tuple(scales) in seen:
            continue
        seen.add(tuple(scales))
        sizes = _row_sizes(arrangement, aspects, scales)
        rows_height = sum(row.height * scale for row, scale in zip(shape.rows, scales, strict=True))
        kept = min(size.kept for size in sizes)
        found.append(Option(shape, shape.rows[0].height * scales[0], sizes, kept, rows_height))
    return found


def _inline_options(shape: Shape, limits: Sequence[Limits]) -> list[Option]:
    """Return the sizes of photos inside the columns: each scaled alike, within its own range."""
    found = []
    seen = set()
    for scale in INLINE_SCALES:
        sizes = []
        for index, width_px, _ in shape.inline:
            width = width_px / PX_PER_MM
            limit = limits[index]
            low = max(MIN_INLINE_MM, width / limit.high)
            high = max(low, min(MAX_SIDE_MM, width / limit.low))
            height = min(max(width / limit.aspect * scale, low), high)
            sizes.append(_column_size(width, height, limit.aspect))
        heights = tuple(round(size.height_mm, 3) for size in sizes)
        if heights in seen:
            continue
        seen.add(heights)
        kept = min(size.kept for size in sizes)
        found.append(Option(shape, sizes[0].height_mm * PX_PER_MM, tuple(sizes), kept))
    return found


def _steps(low: float, high: float, natural: float) -> list[float]:
    """Return heights from ``low`` to ``high``, SIZE_STEP_MM apart, with ``natural`` if within."""
    if high < low - 1e-9:
        return []
    if high - low < 1e-6:
        # One shape only (the crop another language chose): exactly it.
        return [high]
    count = int((high - low) // SIZE_STEP_MM) + 1
    found = [low + SIZE_STEP_MM * number for number in range(count)]
    found.append(high)
    if low < natural < high:
        found.append(natural)
    return sorted(set(found))


def _without(pieces: Flow, name: str) -> Flow:
    """Return ``pieces`` without the piece ``name``, those after it moved up into its room."""
    for index, piece in enumerate(pieces):
        if piece[4] != name:
            continue
        rest = pieces[index + 1 :]
        if not rest:
            return pieces[:index]
        # The block before keeps its bottom margin (its reach): a list's, say.
        start = pieces[index - 1][3] if index else 0.0
        shift = rest[0][0] - start
        moved = tuple(
            (top - shift, bottom - shift, breakable, reach - shift, kind, resumed)
            for top, bottom, breakable, reach, kind, resumed in rest
        )
        return pieces[:index] + moved
    return pieces
