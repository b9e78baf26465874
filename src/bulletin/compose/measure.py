"""Measure the parts of every candidate treatment in one measuring layout.

Each part of a module (a story's head, its photo rows, its body at two or
three columns, a brief item, a call-out) is laid out whole, one under the
other, on one tall page: every body is balanced by the engine as on a page
it fits, and each part measures the same wherever it lies. The layout's CSS
lets no margin collapse between a story's parts, so their heights add up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bulletin.engine.balance import EPSILON_PX, flow
from bulletin.engine.tree import (
    children,
    class_names,
    first_with_class,
    is_line,
    page_box,
    with_class,
)
from bulletin.errors import BulletinError
from bulletin.html import contract

Flow = tuple[tuple[float, float, bool, float, str, int], ...]


@dataclass(frozen=True)
class Part:
    """One part of a module as measured (lengths in CSS px, rounded to 1/256 px)."""

    height: float
    """Its height: border box (head, rows, call-out) or balanced body."""
    margin: float
    """The computed top margin of the module it was laid out in."""
    flow: Flow = ()
    """For a body: its lines and unbreakable pieces, from 0 at its top."""
    columns: int = 0
    """For a body: its columns."""
    fixed: float = 0.0
    """For a brief: its height less the body's."""
    fits: bool = True
    """For a call-out: whether each figure's value is set inside its own cell and row."""
    lines: int = 0
    """For a story's head: the headline's lines."""
    blank: float = 0.0
    """For a story's head: the width left blank beside the headline's last line (px)."""
    band: float = 0.0
    """For a story's head: the height of that blank, the head's margins included (px)."""


@dataclass(frozen=True)
class Front:
    """What a front layout (masthead, contents list, no blocks, closing block after) tells."""

    page_width: float
    """The page's width (px)."""
    first_height: float
    """Content height of page 1 (px)."""
    height: float
    """Content height of the following pages (px)."""
    tail: float
    """Height of the closing block (contacts), with its margin (px)."""
    first_page: int
    """The page the blocks start on, counted from 0."""
    first_offset: float
    """Where what precedes the blocks ends on that page (its border edge, px from the top)."""
    margin_before: float
    """The bottom margin of what precedes the blocks (it collapses with the first one's)."""
    back_photo_width: float = 0.0
    """The width of the closing block's back photo (px; 0 when it has none)."""
    back_photo_height: float = 0.0
    """Its height, as the layout sets it."""
    panel: float = 0.0
    """The height of the closing block's back panel, as its content sets it (px)."""

    def start(self, first_margin: float) -> float:
        """Return where the first block's border box starts, below ``first_margin``."""
        return quantized(self.first_offset + max(self.margin_before, first_margin))


def quantized(length: float) -> float:
    """Return ``length`` rounded to 1/256 px: a part measures the same wherever it lies."""
    return round(length * 256) / 256


def measure_parts(document: Any, wanted: Mapping[str, str]) -> dict[str, Part]:
    """Return the parts of a measuring layout, by measuring id.

    ``wanted`` maps each part's HTML id to what it is: ``block`` (photo
    rows: its height), ``head`` (a story's head: its height and the blank
    beside its headline's last line), ``stats`` (a call-out: its height, and
    whether its figures fit their cells), ``body`` (a story body: its flow)
    or ``brief`` (a brief of one item).
    """
    found: dict[str, Part] = {}
    for page in document.pages:
        for box, name in _modules(page_box(page), wanted):
            if name in found:
                # The layout must hold every part whole on its one page.
                raise ValueError(f"the measuring layout split {name} across pages")
            kind = wanted[name]
            margin = quantized(_margin_top(box))
            if kind in {"block", "stats"}:
                fits = kind == "block" or _figures_fit(box)
                found[name] = Part(quantized(box.border_height()), margin, fits=fits)
                continue
            if kind == "head":
                lines, blank, band = headline_blank(box)
                found[name] = Part(
                    quantized(box.border_height()),
                    margin,
                    lines=lines,
                    blank=quantized(blank),
                    band=quantized(band),
                )
                continue
            body = first_with_class(box, "body")
            if body is None:
                continue
            columns = [child for child in body.children if getattr(child, "is_column", False)]
            top = body.content_box_y()
            pieces = tuple(
                (
                    quantized(piece.top - top),
                    quantized(piece.bottom - top),
                    piece.breakable_after,
                    quantized(piece.reach - top),
                    piece.name,
                    piece.resumed,
                )
                for piece in flow(columns, top)
            )
            count = body.style["column_count"]
            fixed = box.border_height() - body.margin_height() if kind == "brief" else 0.0
            found[name] = Part(
                quantized(body.margin_height()),
                margin,
                pieces,
                int(count) if isinstance(count, int) else 1,
                quantized(fixed),
            )
    return found


def _figures_fit(stats: Any) -> bool:
    """Return whether every figure value of a laid-out call-out stays inside its row.

    A value that cannot break ("1 240 ha") widens its cell rather than break,
    and the row then runs past the text area: each value's lines are to be
    inside its cell, and each cell inside its row.
    """
    for row in with_class(stats, contract.FIGURES):
        right = row.content_box_x() + row.width + EPSILON_PX
        for figure in with_class(row, contract.FIGURE):
            edge = min(right, figure.content_box_x() + figure.width + EPSILON_PX)
            if figure.border_box_x() + figure.border_width() > right:
                return False
            for value in with_class(figure, contract.FIGURE_VALUE):
                lines = [line for line in children(value) if is_line(line)]
                if any(
                    box.position_x + box.margin_width() > edge
                    for line in lines
                    for box in children(line)
                ):
                    return False
    return True


def measure_front(document: Any, template: str) -> Front:
    """Return what a front layout tells: the page geometry and where the blocks start.

    The front layout has the masthead and contents list, an empty ``<main>``
    where the blocks go, and the closing block forced onto a page of its own.
    A layout whose ``<main>`` is not laid out (a style hides it) is refused,
    naming its entry ``template``.
    """
    first = page_box(document.pages[0])
    later = page_box(document.pages[1]) if len(document.pages) > 1 else first
    start: tuple[int, float, float] | None = None
    tail = panel = 0.0
    photo_size = (0.0, 0.0)
    for index, page in enumerate(document.pages):
        root = page_box(page)
        top = root.content_box_y()
        found = _find_tag(root, "main")
        if found is not None and start is None:
            parent, position = found
            before = [child for child in parent.children[:position] if child.is_in_normal_flow()]
            if before:
                edge = before[-1].border_box_y() + before[-1].border_height()
                start = (index, edge - top, float(before[-1].margin_bottom))
            else:
                start = (index, parent.children[position].position_y - top, 0.0)
        contacts = first_with_class(root, contract.CONTACTS)
        if contacts is not None:
            tail = contacts.margin_height() - float(contacts.margin_top) + _margin_top(contacts)
            figure = first_with_class(contacts, contract.BACK_PHOTO)
            image = _find_tag(figure, "img") if figure is not None else None
            if image is not None:
                parent, position = image
                photo = parent.children[position]
                photo_size = (photo.width, photo.height)
            found_panel = first_with_class(contacts, contract.BACK_PANEL)
            if found_panel is not None:
                panel = found_panel.border_height()
    if start is None:
        raise BulletinError.single(
            template,
            f"the layout hides <{contract.MAIN_TAG}> (where the stories go): a style sets it, "
            "or an element around it, to display: none; let it show",
        )
    first_page, offset, margin = start
    return Front(
        quantized(first.margin_width()),
        quantized(first.height),
        quantized(later.height),
        quantized(tail),
        first_page,
        quantized(offset),
        quantized(margin),
        quantized(photo_size[0]),
        quantized(photo_size[1]),
        quantized(panel),
    )


def headline_blank(module: Any) -> tuple[int, float, float]:
    """Return a story's headline lines, and the blank beside its last line: width and height (px).

    The blank runs from the last line's end to the measure's, and up and
    down from it to the nearest line of the head (kicker, headline,
    standfirst) that reaches past that end, else to the rule above the head
    and the head's foot: a reader sees it as one hole.
    """
    head = first_with_class(module, contract.STORY_HEAD)
    if head is None:
        return 0, 0.0, 0.0
    left, width = head.content_box_x(), head.width
    found: list[tuple[bool, float, float, float]] = []

    def walk(box: Any, in_headline: bool) -> None:
        for child in children(box):
            if is_line(child):
                right = max((_right(part) for part in child.children), default=child.position_x)
                bottom = child.position_y + child.height
                found.append((in_headline, child.position_y, bottom, right - left))
            else:
                walk(child, in_headline or contract.HEADLINE in class_names(child))

    walk(head, False)
    headline = [index for index, line in enumerate(found) if line[0]]
    if not headline:
        return 0, 0.0, 0.0
    last = headline[-1]
    end = found[last][3]
    top = head.border_box_y() + float(head.border_top_width)
    bottom = head.border_box_y() + head.border_height()
    for _, _, line_bottom, right in found[:last]:
        if right > end:
            top = max(top, line_bottom)
    for _, line_top, _, right in found[last + 1 :]:
        if right > end:
            bottom = min(bottom, line_top)
            break
    return len(headline), max(0.0, width - end), max(0.0, bottom - top)


def _right(box: Any) -> float:
    """Return where the inked part of a line's box ends (px from the page's left)."""
    inner = getattr(box, "children", None)
    if inner:
        return max(_right(child) for child in inner)
    text = getattr(box, "text", None)
    if text is not None and not text.strip():
        return float(box.position_x)
    return float(box.position_x + box.margin_width())


def _modules(box: Any, wanted: Mapping[str, str]) -> Iterator[tuple[Any, str]]:
    for child in getattr(box, "children", None) or ():
        element = getattr(child, "element", None)
        name = element.get("id") if element is not None else None
        if name is not None and name in wanted and not getattr(child, "pseudo_type", None):
            yield child, str(name)
        else:
            yield from _modules(child, wanted)


def _find_tag(box: Any, tag: str) -> tuple[Any, int] | None:
    """Return the parent of the first box of element ``tag`` and its index, depth first."""
    for index, child in enumerate(getattr(box, "children", None) or ()):
        if getattr(child, "element_tag", None) == tag and not getattr(child, "pseudo_type", None):
            return box, index
        found = _find_tag(child, tag)
        if found is not None:
            return found
    return None


def _margin_top(box: Any) -> float:
    # The used margin is truncated to 0 at the top of a page; the computed one is not.
    margin = box.style["margin_top"]
    return float(margin.value) if getattr(margin, "unit", None) == "px" else float(box.margin_top)
