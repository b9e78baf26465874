"""Balance multi-column text in one step: the least column height that holds it.

WeasyPrint 70 balances columns by trial: it lays the content out at the mean
column height, then again and again, a little taller each time, until it
fits; each try lays out every line of the box anew. Most of the layout time
of a bulletin went there (the stories' bodies and the contents list are
balanced columns).

The lines do not change from one try to the next, only where the columns
break. So the pass that checks the content fits on the page (which the
engine makes first anyway) tells everything needed: the height of each line
and unbreakable block, and where a break is allowed (orphans, widows,
``break-inside: avoid``, ``break-after: avoid``). :func:`balanced_height`
finds from those the least height at which ``count`` columns hold it all,
and the engine lays the columns out at that height. If the engine disagrees
(a margin kept at a column top, say), its own search goes on from there, so
a wrong estimate costs time, never text.

:func:`bulletin.engine.column.install` puts the engine's column layout with
this start in place; every layout bulletin makes uses it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

# The engine compares positions in floating point: leave it this much room.
EPSILON_PX = 0.01
# Binary search on the height to this precision (px); the answer is then the
# exact extent of the tallest column.
PRECISION_PX = 0.05
AVOID = {"avoid", "avoid-column", "avoid-page"}


@dataclass(frozen=True)
class Piece:
    """A line, or a block that must not break, in the flow of the columns."""

    top: float
    """Its top, in the flow of the content as if in one column (px)."""
    bottom: float
    """Its bottom, in the same flow (px)."""
    breakable_after: bool
    """Whether a column may end after it."""
    end: float | None = None
    """How far a column ending after it reaches, with the bottom margin of
    the block it ends (the engine fits that margin in the column too);
    ``None``: its bottom."""
    name: str = ""
    """The class of the element a block laid out whole is (``photo side``), else empty."""
    resumed: int = 1
    """The fewest pieces, from this one on, a column that starts with it holds: a
    paragraph resumed at this line keeps its orphans together in the column
    (the engine counts them from where the paragraph resumes), else 1."""

    @property
    def reach(self) -> float:
        """Where a column that ends after this piece (and goes on) must still have room."""
        return self.bottom if self.end is None else self.end


@dataclass(frozen=True)
class _Item:
    top: float
    bottom: float
    paragraph: Any
    """The element whose lines this is one of (``None`` for a block laid out whole)."""
    keep_with_next: bool
    orphans: int = 1
    widows: int = 1
    end: float | None = None
    edge: float | None = None
    """The bottom border edge of the block in the column that this item ends (if it does)."""
    margin_below: float = 0.0
    """The bottom margin of that block."""
    name: str = ""
    """The class of the element, for a block laid out whole."""


def balanced_height(
    columns: Sequence[Any],
    count: int,
    top: float,
    fallback: float,
    offsets: Sequence[float] = (),
) -> float:
    """Return the least column height at which ``count`` columns hold the content.

    ``columns`` are the column boxes of a layout where everything fitted
    (the engine's first pass, at the full height left on the page), in
    order; ``top`` is where the columns start on the page. ``offsets``: how
    far below ``top`` each column starts (a wide photo over the last two;
    none: all at ``top``). ``fallback`` is returned when there is nothing to
    measure.
    """
    pieces = flow(columns, top)
    return least_height(pieces, count, offsets) + EPSILON_PX if pieces else fallback


def least_height(pieces: Sequence[Piece], count: int, offsets: Sequence[float] = ()) -> float:
    """Return the least height at which ``count`` columns hold ``pieces`` (px, not empty).

    The height is the columns' from their top: a column ``offsets[i]`` lower
    holds as much less.
    """
    low = max(piece.bottom - piece.top for piece in pieces)
    high = max(piece.reach for piece in pieces) - pieces[0].top + max(offsets, default=0.0)
    while high - low > PRECISION_PX:
        middle = (low + high) / 2
        if len(fill(pieces, middle, offsets)) <= count:
            high = middle
        else:
            low = middle
    return max(
        _reach(pieces, end) - pieces[first].top + _offset(offsets, column)
        for column, (first, end) in enumerate(fill(pieces, high, offsets))
        if end >= first
    )


def _offset(offsets: Sequence[float], column: int) -> float:
    return float(offsets[column]) if column < len(offsets) else 0.0


def _reach(pieces: Sequence[Piece], index: int) -> float:
    return pieces[index].reach


def fill(
    pieces: Sequence[Piece], height: float, offsets: Sequence[float] = ()
) -> list[tuple[int, int]]:
    """Return the columns (first and last piece) of a fill at ``height``, each as full as allowed.

    A column ``offsets[i]`` lower than the others holds as much less; one
    that holds none of the pieces left is empty (``last`` before ``first``).
    A column at the top that cannot end anywhere within ``height`` takes its
    pieces up to the next allowed break, as the engine would overflow it.
    """
    filled: list[tuple[int, int]] = []
    first, last = 0, len(pieces) - 1
    while first <= last:
        offset = _offset(offsets, len(filled))
        room = height - offset
        end = None
        index = first
        while index <= last and pieces[index].bottom - pieces[first].top <= room:
            if (pieces[index].breakable_after or index == last) and _reach(pieces, index) - pieces[
                first
            ].top <= room:
                end = index
            index += 1
        if end is None and offset > 0:
            filled.append((first, first - 1))
            continue
        if end is None:
            end = next((i for i in range(first, last) if pieces[i].breakable_after), last)
        filled.append((first, end))
        first = end + 1
    return filled


def flow(columns: Sequence[Any], top: float) -> list[Piece]:
    """Return the pieces of the laid-out ``columns`` as one flow, from ``top``.

    Each column after the first continues the flow where the one before it
    ended; a paragraph split between two columns is one paragraph again, and
    two blocks inside one that the columns split between them (two list
    items) keep the margins between them. ``top`` is where the columns start
    on the page.
    """
    children = [[child for child in column.children if _in_flow(child)] for column in columns]
    items: list[_Item] = []
    ending: Any = None  # the last block of the last column with any
    for number, column in enumerate(columns):
        following = next((found for found in children[number + 1 :] if found), None)
        # The column's last block goes on at the top of the next one.
        continued = bool(
            children[number]
            and following
            and following[0].element is children[number][-1].element
            and following[0].element is not None
        )
        found = list(_items(column, keep_with_next=False, continued=continued))
        if not found:
            continue
        shift = 0.0
        if items:
            previous = items[-1]
            if previous.edge is None:
                # The block split between the columns goes on: its lines
                # follow on, or, where the break fell between two blocks
                # inside it (two list items, say), the next stands after the
                # one before with the margins between them.
                gap, content = _seam(ending, children[number][0])
                shift = previous.bottom + gap - (found[0].top if content is None else content)
            else:
                # The first block of this column stands after the last one of
                # the column before, their margins collapsed into the larger.
                margin_top = max(0.0, float(children[number][0].margin_top))
                gap = max(previous.margin_below, margin_top)
                shift = previous.edge + gap - margin_top - found[0].top
        items.extend(
            replace(
                item,
                top=item.top + shift,
                bottom=item.bottom + shift,
                end=None if item.end is None else item.end + shift,
                edge=None if item.edge is None else item.edge + shift,
            )
            for item in found
        )
        ending = children[number][-1]
    if items:
        # The first column starts at ``top``, with any margin above its first line.
        items[0] = replace(items[0], top=top)
    return [
        Piece(item.top, item.bottom, breakable, item.end, item.name, resumed)
        for item, breakable, resumed in zip(items, _breaks(items), _resumes(items), strict=True)
    ]


def _breaks(items: Sequence[_Item]) -> Iterator[bool]:
    """Yield, for each item, whether a column may end after it."""
    index = 0
    while index < len(items):
        item = items[index]
        if item.paragraph is None:
            yield not item.keep_with_next
            index += 1
            continue
        end = index
        while end + 1 < len(items) and items[end + 1].paragraph is item.paragraph:
            end += 1
        lines = end - index + 1
        for number in range(1, lines):
            yield number >= item.orphans and lines - number >= item.widows
        yield not items[end].keep_with_next
        index = end + 1


def _resumes(items: Sequence[_Item]) -> Iterator[int]:
    """Yield, for each item, the fewest items a column that starts with it holds.

    A paragraph resumed at the top of a column (or page) is a new fragment to
    the engine: its ``orphans`` count from there, so the column holds that
    many of its lines, or the rest of the paragraph if fewer are left.
    """
    index = 0
    while index < len(items):
        item = items[index]
        end = index
        while (
            item.paragraph is not None
            and end + 1 < len(items)
            and items[end + 1].paragraph is item.paragraph
        ):
            end += 1
        yield 1
        for number in range(index + 1, end + 1):
            yield max(1, min(item.orphans, end - number + 1))
        index = end + 1


def _items(
    box: Any, *, keep_with_next: bool, column: bool = True, continued: bool = False
) -> Iterator[_Item]:
    """Yield the lines and unbreakable blocks inside ``box`` (a column at first), in order.

    ``continued``: the column's last block goes on in the next column.
    """
    children = [child for child in getattr(box, "children", None) or () if _in_flow(child)]
    if any(type(child).__name__ == "LineBox" for child in children):
        style = box.style
        for index, line in enumerate(children):
            yield _Item(
                float(line.position_y),
                float(line.position_y + line.height),
                box.element,
                keep_with_next and index == len(children) - 1,
                int(style["orphans"]),
                int(style["widows"]),
            )
        return
    for index, child in enumerate(children):
        following = children[index + 1] if index + 1 < len(children) else None
        keep = (
            keep_with_next
            if following is None
            else child.style["break_after"] in AVOID or following.style["break_before"] in AVOID
        )
        top = float(child.position_y)
        edge = top + float(child.margin_height()) - float(child.margin_bottom)
        if _atomic(child):
            element = getattr(child, "element", None)
            name = (element.get("class") or "") if element is not None else ""
            found = [_Item(top, edge, None, keep, name=name)]
        else:
            found = list(_items(child, keep_with_next=keep, column=False))
        if not found:
            continue
        if column:
            # A block in a column keeps its top margin at the column's top.
            found[0] = replace(found[0], top=top)
            if not (continued and following is None):
                below = max(0.0, float(child.margin_bottom))
                found[-1] = replace(
                    found[-1],
                    edge=edge,
                    margin_below=below,
                    # Its bottom margin must fit in the column too: the engine
                    # lays its content out again with room for it (a block with
                    # no content, an empty one or an image, cannot overflow so).
                    end=edge + below if getattr(child, "children", None) else None,
                )
        yield from found


def _seam(before: Any, after: Any) -> tuple[float, float | None]:
    """Return the space between the parts of one block split between two columns.

    ``before`` is the block's part at the end of a column, ``after`` its part at
    the top of the next (both from a layout where the column broke there).
    Returns the space from the last content (a line, or a block laid out whole)
    of ``before`` to the first of ``after`` in one flow, and where that first
    content is (``None``: the break fell inside a paragraph).
    """
    while True:
        last = _last_block(before)
        first = _last_block(after, first=True)
        if last is None or first is None:
            return 0.0, None
        if last.element is None or last.element is not first.element:
            break
        before, after = last, first
    fixed_below, margin_below = _space(last, below=True)
    fixed_above, margin_above = _space(first, below=False)
    content = float(first.position_y) + fixed_above + margin_above
    return fixed_below + fixed_above + max(margin_below, margin_above), content


def _last_block(box: Any, *, first: bool = False) -> Any:
    """Return the last (or first) in-flow child of ``box`` if it is a block, else ``None``."""
    if _atomic(box):
        return None
    children = [child for child in box.children if _in_flow(child)]
    if not children or type(children[0]).__name__ == "LineBox":
        return None
    return children[0] if first else children[-1]


def _space(box: Any, *, below: bool) -> tuple[float, float]:
    """Return the space between ``box``'s margin edge and its content below (or above) it.

    As a part that does not collapse (padding, borders, margins inside those)
    and the margin that collapses with the next block's.
    """
    side = "bottom" if below else "top"
    margin = max(0.0, float(getattr(box, f"margin_{side}")))
    inner = _last_block(box, first=not below)
    if inner is None:
        if _atomic(box):
            return 0.0, margin
        padding = float(getattr(box, f"padding_{side}")) + float(
            getattr(box, f"border_{side}_width")
        )
        return padding, margin
    fixed, collapsing = _space(inner, below=below)
    padding = float(getattr(box, f"padding_{side}")) + float(getattr(box, f"border_{side}_width"))
    if padding:
        return fixed + collapsing + padding, margin
    return fixed, max(collapsing, margin)


def _in_flow(box: Any) -> bool:
    is_in_normal_flow = getattr(box, "is_in_normal_flow", None)
    return bool(is_in_normal_flow()) if is_in_normal_flow else True


def _atomic(box: Any) -> bool:
    """Return whether ``box`` is laid out whole in one column."""
    if box.style["break_inside"] in AVOID:
        return True
    name = type(box).__name__
    return not getattr(box, "children", None) or name.endswith(("ReplacedBox", "TableWrapperBox"))
