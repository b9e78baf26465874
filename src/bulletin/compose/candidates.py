"""The treatments a block may take, the parts to measure for them, and their photo sizes.

Every story is measured in parts (head, photo rows, body at two and at three
columns, brief item): the shapes of all its treatments are put together
from those, so that a treatment costs no layout of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin.compose.crops import Limits
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
# A photo across the width is at least this wide for its height.
FEATURE_ASPECT = 1.25
# A story without photos this short, and without a pull quote, may go in a brief.
BRIEF_WORDS = 170
# Photo heights the plan tries, this far apart (mm).
SIZE_STEP_MM = 5.0

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


def measuring_specs(
    blocks: Sequence[Story | Stats], limits: Mapping[Path, Limits]
) -> list[tuple[str, list[Spec]]]:
    """Return, block by block, the parts to measure."""
    found = []
    for index, block in enumerate(blocks):
        specs: list[Spec] = []
        if isinstance(block, Stats):
            specs.append(Spec(f"m-{block.id}-stats", "block", Choice(block.id, "stats", 0)))
            found.append((block.id, specs))
            continue
        lead = index == 0
        specs.append(Spec(f"m-{block.id}-head", "block", Choice(block.id, "text", 0, lead=lead)))
        aspects = [limits[Path(photo.file)].aspect for photo in block.photos]
        for number, arrangement in enumerate(arrangements(block, limits)):
            sizes = _row_sizes(arrangement, aspects, 1.0)
            specs.append(
                Spec(
                    f"m-{block.id}-rows{number}",
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


def arrangements(story: Story, limits: Mapping[Path, Limits]) -> list[tuple[tuple[int, ...], ...]]:
    """Return the ways the story's photos may be set over its columns."""
    count = len(story.photos)
    if count == 0:
        return []
    aspects = [limits[Path(photo.file)].aspect for photo in story.photos]
    if (
        count == 1
        and aspects[0] < FEATURE_ASPECT
        and limits[Path(story.photos[0].file)].high < (TEXT_WIDTH_MM / MAX_ROW_MM)
    ):
        return []  # a portrait photo is never set across the width
    every = ARRANGEMENTS[min(count, 4)]
    narrowest = {
        arrangement: min(size.width_mm for size in _row_sizes(arrangement, aspects, 1.0))
        for arrangement in every
    }
    # Every photo at least two grid columns wide, or it reads as a stamp.
    found = [arrangement for arrangement in every if narrowest[arrangement] >= MIN_PHOTO_WIDTH_MM]
    return found or [max(every, key=narrowest.__getitem__)]


def _row_sizes(
    rows: tuple[tuple[int, ...], ...], aspects: Sequence[float], scale: float
) -> tuple[PhotoSize, ...]:
    """Return every photo's size when the rows are set at ``scale`` times their natural height.

    ``aspects`` are the photos' own shapes. In a row of several, each photo
    is given a shape between its own and the row's mean, within what it may
    be cropped to: a portrait beside two panoramas is cropped squarer rather
    than set as a sliver.
    """
    sizes: dict[int, PhotoSize] = {}
    for row in rows:
        bases = _bases(row, aspects)
        room = TEXT_WIDTH_MM - ROW_GAP_MM * (len(row) - 1)
        total = sum(bases.values())
        height = room / total * scale
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


def story_shapes(
    story: Story,
    parts: Mapping[str, Part],
    limits: Mapping[Path, Limits],
) -> list[Shape]:
    """Return the shapes of the story's treatments, from its measured parts."""
    head = parts[f"m-{story.id}-head"]
    shapes: list[Shape] = []
    aspects = [limits[Path(photo.file)].aspect for photo in story.photos]
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
                    Shape(story.id, "text", columns, head.margin, head.height, plain, quote=quote)
                )
                continue
            for number, arrangement in enumerate(arrangements(story, limits)):
                rows = parts[f"m-{story.id}-rows{number}"]
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
                    )
                )
    return shapes


def options(shape: Shape, limits: Sequence[Limits]) -> list[Option]:
    """Return the photo sizes the plan may try for ``shape``."""
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
    bases = {i: b for row in shape.rows for i, b in _bases(row.photos, aspects).items()}
    # The rows scale together: each photo's shown shape is its base over the scale.
    low_scale = max(bases[i] / limits[i].high for row in shape.rows for i in row.photos)
    high_scale = min(bases[i] / limits[i].low for row in shape.rows for i in row.photos)
    low_scale = max(low_scale, max(MIN_ROW_MM * PX_PER_MM / row.height for row in shape.rows))
    high_scale = min(high_scale, min(MAX_ROW_MM * PX_PER_MM / row.height for row in shape.rows))
    if len(shape.rows) == 1 and len(shape.rows[0].photos) == 1:
        low_scale = max(low_scale, MIN_FEATURE_MM * PX_PER_MM / shape.rows[0].height)
    if low_scale > high_scale:
        return []
    first = shape.rows[0].height / PX_PER_MM
    found = []
    for height in _steps(first * low_scale, first * high_scale, first):
        scale = height / first
        arrangement = tuple(row.photos for row in shape.rows)
        sizes = _row_sizes(arrangement, aspects, scale)
        found.append(Option(shape, height * PX_PER_MM, sizes, min(size.kept for size in sizes)))
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
        start = pieces[index - 1][1] if index else 0.0
        shift = rest[0][0] - start
        moved = tuple(
            (top - shift, bottom - shift, breakable, reach - shift, kind)
            for top, bottom, breakable, reach, kind in rest
        )
        return pieces[:index] + moved
    return pieces
