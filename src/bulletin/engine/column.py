"""WeasyPrint 70's multi-column layout, with bulletin's start for balancing patched in.

``vendor/column.py`` is the engine's ``weasyprint/layout/column.py`` byte for
byte (WeasyPrint 70.0, BSD 3-Clause licence in ``vendor/LICENSE``), and
``column.patch`` holds bulletin's changes to it, as a unified diff: balancing
starts from :func:`bulletin.engine.balance.balanced_height` instead of the
mean column height, and the columns are laid out at that height at once; if
they do not hold the content there, that layout is dropped and the engine's
own search runs from that height (:func:`columns_layout`).

The patch also sets a first child of the class ``wide`` (:data:`WIDE`) across
the last two of three or more columns, at their top: those columns start
below it, the others run the full height, and the balancing finds the least
height at which the columns, so shortened, hold the rest. Only a box's first
fragment has it (a body resumed on the next page starts with its text).

The patch is applied when the layout is first needed, and the result runs as
part of the engine (its relative imports are the engine's modules). To check
it against a new engine release, copy the release's ``layout/column.py`` over
``vendor/column.py``: the patch applies, or it names the hunk that no longer
does (see :func:`apply_patch`).
"""

from __future__ import annotations

import functools
import re
import types
from pathlib import Path
from typing import Any

from bulletin.engine.balance import balanced_height
from bulletin.engine.tree import class_names

VENDORED = Path(__file__).with_name("vendor") / "column.py"
"""The engine's column layout, as it ships."""
PATCH = Path(__file__).with_name("column.patch")
"""bulletin's changes to it."""
ENGINE_PACKAGE = "weasyprint.layout"
"""The package the vendored module belongs to, for its relative imports."""

WIDE = "wide"
"""The class of a first child of a multi-column box set across its last two columns."""

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(ValueError):
    """The patch does not apply to the vendored file: the engine's code has changed."""


def apply_patch(original: str, patch: str) -> str:
    """Return ``original`` with the unified diff ``patch`` applied; every line must match.

    Raises :class:`PatchError` naming the first hunk whose context or removed
    lines are not in ``original`` where the patch says.
    """
    lines = original.splitlines(keepends=True)
    result: list[str] = []
    position = 0
    hunk: list[str] | None = None
    hunks: list[tuple[int, list[str]]] = []
    for line in patch.splitlines(keepends=True):
        found = _HUNK.match(line)
        if found:
            hunk = []
            hunks.append((int(found.group(1)), hunk))
        elif hunk is not None and line[:1] in {" ", "-", "+"}:
            hunk.append(line)
        elif hunk is not None and not line.startswith("\\"):
            raise PatchError(f"{PATCH.name}: unexpected line in a hunk: {line!r}")
    for number, (start, body) in enumerate(hunks, start=1):
        first = start - 1 if start else 0
        if first < position:
            raise PatchError(f"{PATCH.name}: hunk {number} overlaps the one before")
        result.extend(lines[position:first])
        position = first
        for line in body:
            if line[0] == "+":
                result.append(line[1:])
                continue
            if position >= len(lines) or lines[position] != line[1:]:
                raise PatchError(
                    f"{PATCH.name}: hunk {number} (line {start}) does not apply to "
                    f"{VENDORED.name}: expected {line[1:]!r} at line {position + 1}"
                )
            if line[0] == " ":
                result.append(line[1:])
            position += 1
    result.extend(lines[position:])
    return "".join(result)


@functools.cache
def patched() -> types.ModuleType:
    """Return the vendored column layout with bulletin's patch applied, as a module."""
    source = apply_patch(VENDORED.read_text(encoding="utf-8"), PATCH.read_text(encoding="utf-8"))
    module = types.ModuleType(f"{__name__}.patched", "The engine's column layout, patched.")
    module.__package__ = ENGINE_PACKAGE
    module.__file__ = str(VENDORED)
    module.__dict__["balanced_height"] = balanced_height
    module.__dict__["spans"] = spans
    module.__dict__["wide_layout"] = wide_layout
    exec(compile(source, str(VENDORED), "exec"), module.__dict__)
    return module


def spans(children: list[Any], count: int) -> bool:
    """Return whether the first of a multi-column box's ``children`` goes across two columns.

    It does when it has the class :data:`WIDE`, the box has three columns or
    more, and text follows it.
    """
    return (
        isinstance(count, int)
        and count >= 3
        and len(children) > 1
        and WIDE in class_names(children[0])
    )


def wide_layout(
    context: Any,
    box: Any,
    containing_block: Any,
    child: Any,
    count: int,
    width: float,
    gap: float,
    top: float,
    bottom_space: float,
    page_is_empty: bool,
    absolute_boxes: list[Any],
    fixed_boxes: list[Any],
    first_letter_style: Any,
    first_line_style: Any,
) -> Any:
    """Lay ``child`` out across the last two columns of ``box``, at ``top``; ``None``: no room.

    Returns an anonymous block holding it, as tall as the room it takes with
    its bottom margin (the columns under it start there).
    """
    from weasyprint.layout.block import block_box_layout
    from weasyprint.layout.percent import resolve_percentages

    holder = box.anonymous_from(box, children=[child])
    resolve_percentages(holder, containing_block)
    holder.is_column = False
    holder.width = 2 * width + gap
    holder.position_x = box.content_box_x()
    if box.style["direction"] != "rtl":
        holder.position_x += (count - 2) * (width + gap)
    holder.position_y = top
    laid, resume_at, *_ = block_box_layout(
        context,
        holder,
        bottom_space,
        None,
        containing_block,
        page_is_empty,
        absolute_boxes,
        fixed_boxes,
        None,
        first_letter_style,
        first_line_style,
        discard=False,
        max_lines=None,
    )
    if laid is None or resume_at is not None or not laid.children:
        return None
    # The holder starts at ``top`` and ends below its child's bottom margin
    # (a margin of the child's own collapses through it, not out of it).
    placed = laid.children[-1]
    laid.position_y = top
    laid.height = placed.position_y + placed.margin_height() - top
    return laid


def columns_layout(
    context: Any,
    box: Any,
    bottom_space: float,
    skip_stack: Any,
    containing_block: Any,
    page_is_empty: bool,
    absolute_boxes: list[Any],
    fixed_boxes: list[Any],
    adjoining_margins: list[float],
    first_letter_style: Any,
    first_line_style: Any,
) -> Any:
    """Lay out a multi-column box, trusting the balanced height, else searching from it.

    Takes the arguments of the engine's ``columns_layout``, in its order.
    """
    arguments = (
        context,
        box,
        bottom_space,
        skip_stack,
        containing_block,
        page_is_empty,
        absolute_boxes,
        fixed_boxes,
        adjoining_margins,
        first_letter_style,
        first_line_style,
    )
    layout = patched().columns_layout
    if context.current_page_footnotes or context.current_footnote_area.height != "auto":
        return layout(*arguments, trusted=False, missed=[])
    marks = len(absolute_boxes), len(fixed_boxes), len(context.excluded_shapes)
    missed: list[float] = []
    result = layout(*arguments, trusted=True, missed=missed)
    if not missed:
        return result
    # The columns did not hold the content at the height found: forget that
    # layout and let the engine search from there, trying each height.
    del absolute_boxes[marks[0] :]
    del fixed_boxes[marks[1] :]
    del context.excluded_shapes[marks[2] :]
    return layout(*arguments, trusted=False, missed=[])


def install() -> None:
    """Make WeasyPrint lay out multi-column boxes with :func:`columns_layout` (idempotent)."""
    from weasyprint.layout import block

    patched()
    block.columns_layout = columns_layout
