"""Walk the laid-out issue once, page by page: what each page holds, and what overflows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bulletin.engine import tree
from bulletin.engine.log import collect_log, missing_character
from bulletin.errors import BulletinError, Problem
from bulletin.html import contract
from bulletin.manifest.messages import Loc
from bulletin.preflight.source import IssueText

PX_PER_MM = 96 / 25.4
# Overflow below this (CSS px, about 0.1 mm) is rounding, not a defect.
TOLERANCE_PX = 0.5


@dataclass
class PageScan:
    """What one page of the layout holds."""

    number: int
    """The page number, from 1."""
    box: Any
    """WeasyPrint's page box."""
    stories: list[str] = field(default_factory=list)
    """Ids of the stories with a part on the page, in order."""
    front: bool = False
    """Whether the masthead or the contents are on the page."""
    contacts: bool = False
    """Whether the contacts (or part of them) are on the page."""
    spans: list[tuple[float, float]] = field(default_factory=list)
    """Vertical extents of every line and image on the page, and of the back panel (CSS px)."""


@dataclass(frozen=True)
class Place:
    """Where a box sits: in which story and field, and inside which area it must stay."""

    story: str | None
    loc: Loc
    publication: bool
    area: tuple[float, float, float, float]
    """Left, right, top and bottom of the area (CSS px)."""
    column: bool
    """Whether the area is a column of a multi-column body."""


@dataclass(frozen=True)
class Overflow:
    """A box that reaches beyond its area: where, on which page, how far and on which side."""

    place: Place
    page: int
    amount: float
    side: Literal["left", "right", "bottom"]
    text: str


# The masthead bleeds to the page edges on purpose (negative margins); the
# contents print no manifest text of their own.
_SKIPPED = frozenset({contract.MASTHEAD, contract.CONTENTS})


class LayoutScan:
    """Walk the layout tree of every page once, gathering what the checks need."""

    def __init__(self, issue: IssueText, document: Any) -> None:
        self.issue = issue
        self.pages: list[PageScan] = []
        self.overflows: list[Overflow] = []
        self.images: dict[tuple[str, int], Any] = {}
        self._figures: dict[str, dict[int, int]] = {}
        for number, page in enumerate(document.pages, start=1):
            box = tree.page_box(page)
            left, top = box.content_box_x(), box.content_box_y()
            area = (left, left + box.width, top, top + box.height)
            scan = PageScan(number, box)
            for child in box.children:
                if not tree.is_margin_box(child):
                    self._visit(child, Place(None, (), False, area, False), scan)
            self.pages.append(scan)

    def _visit(self, box: Any, place: Place, page: PageScan) -> None:
        classes = tree.class_names(box)
        if tree.is_line_or_image(box) or contract.BACK_PANEL in classes:
            # The back panel is painted to its edges, in the publication's
            # tint: a designed page, not an empty one (grown far, the
            # composition check reports it).
            y = box.border_box_y()
            page.spans.append((y, y + box.border_height()))
        if classes & _SKIPPED:
            page.front = page.front or bool(classes & {contract.MASTHEAD, contract.CONTENTS})
            place = replace(place, loc=())
        else:
            place = self._place(box, classes, place, page)
        if place.loc:
            self._measure(box, place, page.number)
            if tree.is_replaced(box) and place.story and place.loc[2:3] == ("photos",):
                self.images.setdefault((place.story, int(place.loc[3])), box)
        element = getattr(box, "element", None)
        count = box.style["column_count"] if hasattr(box, "style") else None
        columns = isinstance(count, int) and count > 1 and element is not None
        for child in getattr(box, "children", None) or ():
            inner = place
            if columns and getattr(child, "element", None) is element:
                # A column of this body: a copy of the body box, one column wide.
                left = child.content_box_x()
                area = (left, left + child.width, *place.area[2:])
                inner = replace(place, area=area, column=True)
            self._visit(child, inner, page)

    def _place(self, box: Any, classes: set[str], place: Place, page: PageScan) -> Place:
        """Return where ``box`` sits, from its classes and its parent's place."""
        issue = self.issue
        story = box.element.get("id") if classes & contract.BLOCK_CLASSES else None
        if story in issue.index:
            if story not in page.stories:
                page.stories.append(story)
            return replace(place, story=story, loc=issue.story_loc(story), publication=False)
        if contract.CONTACTS in classes:
            page.contacts = True
            return replace(place, story=None, loc=("contacts",), publication=True)
        if place.story is None:
            return place
        at = issue.story_loc(place.story)
        if contract.PHOTO in classes:
            # Photos are placed in manifest order: the lead, then the others.
            numbers = self._figures.setdefault(place.story, {})
            number = numbers.setdefault(id(box.element), len(numbers))
            return replace(place, loc=(*at, "photos", number))
        name = next((f for css, f in contract.FIELD_CLASSES.items() if css in classes), None)
        return replace(place, loc=(*at, name)) if name else place

    def _measure(self, box: Any, place: Place, page: int) -> None:
        left, right, _, bottom = place.area
        x, y = box.border_box_x(), box.border_box_y()
        beyond: dict[Literal["left", "right", "bottom"], float] = {
            "right": x + box.border_width() - right,
            "left": left - x,
        }
        # Text boxes are taller than their lines (ascenders, descenders): only
        # blocks and lines are measured against the foot of the page.
        if not tree.is_inline(box):
            beyond["bottom"] = y + box.border_height() - bottom
        side, amount = max(beyond.items(), key=lambda item: item[1])
        if amount > TOLERANCE_PX:
            text = str(getattr(box, "text", "") or "")
            self.overflows.append(Overflow(place, page, amount, side, text))


def draw(issue: IssueText, document: Any) -> list[str]:
    """Draw ``document`` as the PDF writer does; return the characters drawn as empty boxes.

    WeasyPrint finds a missing glyph only when it draws the text, and logs it
    at WARNING.
    """
    # The records become findings; they are not printed as they come.
    with collect_log() as drawn:
        document.write_pdf()
    missing: list[str] = []
    errors: list[str] = []
    for record in drawn.records:
        message = record.getMessage()
        char = missing_character(message)
        if char is not None:
            missing.append(char)
        elif record.levelno >= logging.ERROR:
            errors.append(message.splitlines()[0])
    if errors:
        file = issue.loaded.problem((), "").file
        raise BulletinError(
            Problem(file, None, None, "", f"the layout engine failed: {error}") for error in errors
        )
    return missing
