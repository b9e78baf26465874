"""Plan the issue's pages: measure every candidate, choose them together, lay the issue out once."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bulletin.compose.candidates import (
    Option,
    briefable,
    figure_rows,
    head_fits,
    measuring_specs,
    options,
    preferred_columns,
    stats_id,
    story_limits,
    story_shapes,
)
from bulletin.compose.copyfit import HeadFit
from bulletin.compose.crops import Limits, PhotoPlace, photo_limits
from bulletin.compose.measure import Flow, Front, Part, measure_front, measure_parts
from bulletin.compose.paginate import (
    CROP_COST,
    EPSILON_PX,
    INLINE_COST,
    LEAD_PHOTO_COST,
    LEAD_PHOTO_MM,
    OTHER_COLUMNS_COST,
    PANEL_REPORTED_MM,
    PLAIN_LEAD_COST,
    QUOTE_LEFT_OUT_COST,
    THREE_COLUMNS_COST,
    Body,
    Candidate,
    Geometry,
    Paginated,
    Passes,
    capacity,
    closing_growth,
    hole_cost,
    paginate,
)
from bulletin.compose.paginate import place as placed_at
from bulletin.compose.shapes import PX_PER_MM, Choice, Closing, Hole, Layout, PhotoSize
from bulletin.engine.balance import Piece
from bulletin.engine.tree import children, page_boxes
from bulletin.errors import PhotoError
from bulletin.fingerprint import code_version
from bulletin.html import contract
from bulletin.html.layout import build_context, entry_template, layout_folder, render_html
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import Stats, Story
from bulletin.pdf.numbering import render_numbered, start_pages
from bulletin.pdf.typeset import RenderedPdf, Typesetter
from bulletin.photos.check import PhotoInfo

log = logging.getLogger(__name__)
_Kept = TypeVar("_Kept", Front, Part)

# Measuring layouts: the front matter with the closing block on a page after
# it; the parts of the blocks, each laid out whole on one tall page.
FRONT_STYLE = f".{contract.CONTACTS} {{ break-before: page !important; }}"
PARTS_STYLE = (
    "\n@page {{ size: {width}px {height}mm !important; }}\n"
    f".{contract.MASTHEAD}, .{contract.CONTENTS}, .{contract.CONTACTS} "
    "{{ display: none !important; }}\n"
)
# The measuring layout's one page: taller than every part of a long issue
# together (a part split onto a second page would measure as a fragment).
MEASURING_PAGE_MM = 1_000_000
# Front layouts measured per plan, at most: the contents list is measured
# with the pages it will print, guessed first, then as the plan predicts them.
FRONT_ATTEMPTS = 2
# The tallest the back photo grows to (mm), however much room is left.
BACK_PHOTO_MAX_MM = 130.0
# Between two items of a brief (style.css: .brief-item + .brief-item).
BRIEF_GAP_MM = 4.0
# Photos' crops tried in another language's place, at most, when choosing
# the crops for every language together.
CROP_TRIALS = 48
# How far towards another language's crops a story's are moved, in turn
# (geometrically): all the way, then halfway.
CROP_SHARES = (1.0, 0.5)
# What the main language's pages may cost more than its own plan's for the
# crops to suit the others (the composer's unit: about a 25 mm hole).
MAIN_ALLOWANCE = 2_500.0
# What a change of crops must save in sum to be kept (about a 25 mm hole):
# less is within what the simulation may be off by on a page.
CROP_GAIN = 2_500.0
# The name of a photo inside the columns among a body's pieces (its classes).
INLINE_PIECE = f"{contract.PHOTO} inline"


@dataclass
class Measures:
    """Measuring layouts already made, by what they were made of.

    Kept from one build to the next (``bulletin watch``, and ``out/.cache``):
    an edit to one story measures that story's parts alone again.
    """

    fronts: dict[str, Front] = field(default_factory=dict)
    """Front layouts, by key."""
    parts: dict[str, Part] = field(default_factory=dict)
    """Parts of blocks, each by its own key."""

    def to_json(self) -> str:
        """Return the measures as JSON text."""
        return json.dumps(
            {
                "fronts": {key: dataclasses.asdict(item) for key, item in self.fronts.items()},
                "parts": {key: dataclasses.asdict(item) for key, item in self.parts.items()},
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Measures:
        """Return the measures in ``text``, or none if it holds none that are sound."""
        try:
            kept = json.loads(text)
            return cls(
                {key: _front(value) for key, value in kept["fronts"].items()},
                {key: _part(value) for key, value in kept["parts"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls()


@dataclass(frozen=True)
class Plan:
    """An issue's pages as planned and laid out (not written)."""

    layout: Layout
    """Each block's treatment, columns and photo sizes, and the room given to the closing block."""
    laid_out: RenderedPdf
    """The issue laid out with them."""
    pages: dict[str, int]
    """The page each story starts on, counted from 1."""
    crops: dict[PhotoPlace, float]
    """The shape (width over height) each photo is shown at: the same in every language."""
    holes: tuple[Hole, ...]
    """Room the plan leaves empty at page feet (none where the pages pack)."""
    predicted_pages: int
    """The pages the simulation predicted."""
    predicted: dict[str, tuple[int, float]]
    """Where the simulation predicted each block to end: page (from 1) and position (mm)."""
    seconds: float
    """The time the plan itself took (measuring layouts and choosing), in seconds."""
    cost: float = 0.0
    """What the plan's pages cost, in the composer's unit (see compose.paginate)."""
    headlines: dict[str, tuple[HeadFit, ...]] = field(default_factory=dict)
    """Each story's head as measured at every step of the headline's ladder (compose.copyfit)."""


@dataclass(frozen=True)
class Text:
    """One language of an issue to plan, with what earlier builds kept of it."""

    loaded: LoadedIssue
    """The issue in that language."""
    guess: Mapping[str, int] | None = None
    """The pages its stories are likely to start on (an earlier build's)."""
    measures: Measures | None = None
    """Its measures, kept from one build to the next (updated in place)."""
    lay_out: bool = True
    """Whether to lay it out; if not, it only has a say in the crops."""


@dataclass
class _Prepared:
    """One language measured: what choosing its pages needs."""

    text: Text
    blocks: list[Story | Stats]
    pages: dict[str, int]
    resources: str
    used: Measures
    front: Front
    parts: dict[str, Part]
    photos: Mapping[Path, PhotoInfo]
    bodies: Bodies = field(default_factory=lambda: Bodies())
    passes: Passes = field(default_factory=Passes)

    @property
    def loaded(self) -> LoadedIssue:
        """Return the issue in this language."""
        return self.text.loaded


def plan_issue(
    texts: Sequence[Text],
    typesetter: Typesetter,
    photos: Mapping[Path, PhotoInfo],
    *,
    crops: Mapping[PhotoPlace, float] | None = None,
) -> dict[str, Plan]:
    """Return the issue's pages planned and laid out, by language: every choice made together.

    ``texts`` are the issue's languages (each laid out unless told not to);
    ``photos`` its photos as checked. A photo shows the same part of itself
    in every language: its crop is chosen for all of them together (the
    crops each language's best plan wants, tried in every other, the
    cheapest in sum kept, then improved photo by photo), unless ``crops``
    (the shapes an earlier build chose) are given and still hold.
    """
    started = time.perf_counter()
    # In one order whatever the order asked: the main language (no
    # translation files) first.
    prepared = sorted(
        (_prepare(text, typesetter, photos) for text in texts),
        key=lambda each: (each.loaded.texts != (None, None), each.loaded.language),
    )
    free: dict[str, Paginated] = {}
    chosen = _held(prepared, photos, crops) if crops is not None else None
    if chosen is None:
        for each in prepared:
            free[each.loaded.language] = _choose(each, _limits(each.blocks, photos, {}))
        chosen = _joint_crops(prepared, photos, free)
    found, back = _back_photo_shared(prepared, photos, chosen, free)
    shared = time.perf_counter() - started
    plans: dict[str, Plan] = {}
    for each in prepared:
        if not each.text.lay_out:
            continue
        own = found.get(each.loaded.language)
        if own is not None and back is not None and abs(own.closing_photo - back) > EPSILON_PX:
            # Its pages wanted the back photo taller than another language
            # can show it: chosen again with the photo at the height shared.
            own = None
        plans[each.loaded.language] = _plan_language(
            each, typesetter, photos, chosen, own, shared, back
        )
    # Keep what the plans used, for the next build.
    for each in prepared:
        if each.text.measures is not None:
            each.text.measures.fronts = each.used.fronts
            each.text.measures.parts = each.used.parts
    return plans


def _prepare(text: Text, typesetter: Typesetter, photos: Mapping[Path, PhotoInfo]) -> _Prepared:
    """Return one language measured: its front matter and every part of every candidate."""
    loaded = text.loaded
    blocks = list(loaded.issue.stories)
    ids = [block.id for block in blocks]
    pages = {block_id: 1 for block_id in ids} | {
        block_id: page for block_id, page in (text.guess or {}).items() if block_id in ids
    }
    known = text.measures if text.measures is not None else Measures()
    used = Measures()
    resources = _fingerprint(loaded)
    # Measured with every crop allowed: the parts of any crop's candidates.
    limits = _limits(blocks, photos, {})
    front = _measure_front(loaded, typesetter, pages, resources, known, used)
    parts = _measure_parts(loaded, typesetter, front.page_width, limits, resources, known, used)
    return _Prepared(text, blocks, pages, resources, used, front, parts, photos)


def _choose(
    prepared: _Prepared, limits: Mapping[PhotoPlace, Limits], back: float | None = None
) -> Paginated:
    """Return the cheapest pages of one language with its photos within ``limits``.

    ``back`` is the back photo's height (px) where it is fixed, else it
    grows into the room left.
    """
    loaded, front = prepared.loaded, prepared.front
    candidates = _candidates(prepared.blocks, prepared.parts, limits, loaded, prepared.bodies)
    margin = candidates[0][0].margin if candidates and candidates[0] else 0.0
    geometry = _geometry(loaded, front, margin, prepared.photos, back)
    if candidates:
        candidates[0] = _lead_heads(geometry, candidates[0])
    # A block's candidates follow from its photos' crop limits (its parts are the language's).
    signatures = [
        tuple(
            (limit.aspect, limit.low, limit.high)
            for limit in (story_limits(block, limits) if isinstance(block, Story) else ())
        )
        for block in prepared.blocks
    ]
    return paginate(geometry, candidates, passes=prepared.passes, signatures=signatures)


def _lead_heads(geometry: Geometry, first: list[Candidate]) -> list[Candidate]:
    """Return the first block's candidates: with an ordinary head only if the lead's fits nowhere.

    The lead story keeps its larger head wherever one of its shapes starts on
    page 1 with it; else (a long contents list) it may take an ordinary one.
    """
    lead = [c for c in first if c.option is None or c.option.shape.lead or c.members]
    fits = any(placed_at(geometry, c, 0, geometry.start).start_page == 0 for c in lead)
    return lead if fits or len(lead) == len(first) else first


def _held(
    prepared: Sequence[_Prepared],
    photos: Mapping[Path, PhotoInfo],
    crops: Mapping[PhotoPlace, float],
) -> dict[PhotoPlace, float] | None:
    """Return ``crops`` if they still crop every photo of every language, else None.

    An earlier build's crops go stale when a photo is added, removed or
    replaced: the crops are then chosen again.
    """
    places = {place for each in prepared for place in _limits(each.blocks, photos, {})}
    if set(crops) != places:
        return None
    for each in prepared:
        limits = _limits(each.blocks, photos, {})
        if any(
            not limits[place].low * (1 - 1e-9) <= crops[place] <= limits[place].high * (1 + 1e-9)
            for place in limits
        ):
            return None
    return dict(crops)


def _joint_crops(
    prepared: Sequence[_Prepared],
    photos: Mapping[Path, PhotoInfo],
    free: Mapping[str, Paginated],
) -> dict[PhotoPlace, float]:
    """Return the photos' crops that cost least over every language, the main one kept good.

    ``free`` are each language's own best pages, its crops its own. The
    crops are those that cost least in sum over the languages, among those
    that cost the main language (the first) at most MAIN_ALLOWANCE more than
    its own: a translation's crops are taken where the main language's pages
    barely notice. The search starts from the crops of the cheapest such
    language's own plan; then story by story, in reading order and again
    until nothing changes, the crops another language wanted for the
    story's photos are tried in their place, all the way then halfway (at
    most CROP_TRIALS times in all), and kept where the sum goes down by
    more than CROP_GAIN.
    """
    wanted: list[dict[PhotoPlace, float]] = []
    for each in prepared:
        own = _found_crops(free[each.loaded.language], each)
        if own not in wanted:
            wanted.append(own)
    bound = free[prepared[0].loaded.language].cost + MAIN_ALLOWANCE

    def cost_of(shapes: Mapping[PhotoPlace, float]) -> float:
        costs = _costs(prepared, photos, shapes, free)
        return sum(costs) if costs[0] <= bound else math.inf

    # The main language's own crops unless another's save enough in sum.
    costs = [cost_of(shapes) for shapes in wanted]
    costs[1:] = [cost if cost < costs[0] - CROP_GAIN else math.inf for cost in costs[1:]]
    best_cost = min(costs)
    best = dict(wanted[costs.index(best_cost)])
    stories = list(dict.fromkeys(story for shapes in wanted for story, _ in shapes))
    trials = 0
    changed = len(wanted) > 1
    while changed:
        changed = False
        for story in stories:
            for other in wanted:
                theirs = {where: shape for where, shape in other.items() if where[0] == story}
                if all(best.get(where) == shape for where, shape in theirs.items()):
                    continue
                for share in CROP_SHARES:
                    if trials >= CROP_TRIALS:
                        return best
                    trials += 1
                    tried = best | {
                        where: best[where] ** (1 - share) * shape**share
                        for where, shape in theirs.items()
                    }
                    cost = cost_of(tried)
                    if cost < best_cost - CROP_GAIN:
                        best, best_cost, changed = tried, cost, True
                        break
    return best


def _back_photo_shared(
    prepared: Sequence[_Prepared],
    photos: Mapping[Path, PhotoInfo],
    crops: Mapping[PhotoPlace, float],
    free: Mapping[str, Paginated],
) -> tuple[dict[str, Paginated], float | None]:
    """Return each language's pages with the photos cropped to ``crops``; the back photo's height.

    The back photo is set the full width of the page: its height is its
    crop, and it shows the same part of itself in every language. Each
    language's pages grow it into the room they leave; it takes the least
    of those heights (px) in all of them, and the others grow their back
    panel instead. None where the issue has no back photo. The pages are
    made for the languages laid out, and for all where there is a back photo.
    """
    back_photo = any(each.loaded.issue.back_photo is not None for each in prepared)
    found: dict[str, Paginated] = {}
    for each in prepared:
        if not (each.text.lay_out or back_photo):
            continue
        own = free.get(each.loaded.language)
        if own is None or _found_crops(own, each) != crops:
            own = _choose(each, _limits(each.blocks, photos, crops))
        found[each.loaded.language] = own
    heights = [each.closing_photo for each in found.values() if each.closing_photo]
    return found, min(heights) if back_photo and heights else None


def _costs(
    prepared: Sequence[_Prepared],
    photos: Mapping[Path, PhotoInfo],
    shapes: Mapping[PhotoPlace, float],
    free: Mapping[str, Paginated],
) -> list[float]:
    """Return what each language's pages cost with the photos cropped to ``shapes``."""
    found = []
    for each in prepared:
        own = free[each.loaded.language]
        if _found_crops(own, each) == shapes:
            found.append(own.cost)
            continue
        try:
            found.append(_choose(each, _limits(each.blocks, photos, shapes)).cost)
        except PhotoError:
            # A story's photos cropped to shapes from two languages' plans
            # that no treatment of it holds together.
            found.append(math.inf)
    return found


def _found_crops(found: Paginated, prepared: _Prepared) -> dict[PhotoPlace, float]:
    """Return the shape each photo is shown at in ``found``."""
    return _crops(_layout(found, prepared.blocks, prepared.front, prepared.parts), prepared.blocks)


def _plan_language(
    prepared: _Prepared,
    typesetter: Typesetter,
    photos: Mapping[Path, PhotoInfo],
    crops: Mapping[PhotoPlace, float],
    found: Paginated | None,
    shared: float,
    back: float | None,
) -> Plan:
    """Return one language planned with the photos cropped to ``crops``, and laid out.

    ``found`` is its plan with those crops (and ``back``) if made already;
    ``shared`` the time measuring every language and choosing the crops
    took; ``back`` the back photo's height every language shares (px).
    """
    started = time.perf_counter()
    loaded, blocks = prepared.loaded, prepared.blocks
    ids = [block.id for block in blocks]
    limits = _limits(blocks, photos, crops)
    known = prepared.text.measures if prepared.text.measures is not None else Measures()
    pages, front = prepared.pages, prepared.front
    found = found if found is not None else _choose(prepared, limits, back)
    predicted = _start_pages(found, blocks, front)
    for _ in range(FRONT_ATTEMPTS - 1):
        if predicted == pages:
            break
        # The contents list prints other pages than it was measured with.
        pages = predicted
        front = _measure_front(loaded, typesetter, pages, prepared.resources, known, prepared.used)
        prepared.front = front
        found = _choose(prepared, limits, back)
        predicted = _start_pages(found, blocks, front)
    layout = _layout(found, blocks, front, prepared.parts)
    planned = shared + time.perf_counter() - started

    def lay_out(layout: Layout, guess: Mapping[str, int]) -> RenderedPdf:
        return render_numbered(
            typesetter, lambda pages: render_html(loaded, plan=layout, pages=pages), guess, ids
        )

    laid_out = lay_out(layout, predicted)
    natural = _closing_base(loaded, front, photos, back)
    if laid_out.page_count > found.pages:
        # The engine set the pages longer than the simulation (by a line, most
        # often), and the closing block, grown or not, went to a page of its
        # own: it grows into the room the engine left instead (less than
        # planned, or a page of its own), and the issue is laid out once more,
        # its last page still full.
        last = blocks[found.steps[-1].index].id if found.steps else ""
        end = block_ends(laid_out.document, [last]).get(last)
        candidates = _candidates(blocks, prepared.parts, limits, loaded, prepared.bodies)
        margin = candidates[0][0].margin if candidates and candidates[0] else 0.0
        geometry = _geometry(loaded, front, margin, photos, back)
        closing = _closing_after(natural, geometry, front.panel, end)
        layout = dataclasses.replace(layout, closing=closing)
        laid_out = lay_out(layout, start_pages(laid_out.document, ids))
    log.debug(
        "plan: %.3f s, %d pages predicted, %d laid out", planned, found.pages, laid_out.page_count
    )
    return Plan(
        layout,
        laid_out,
        start_pages(laid_out.document, ids),
        _crops(layout, blocks),
        _holes(found, blocks, front),
        found.pages,
        {
            blocks[step.index].id: (
                front.first_page + step.placed.page + 1,
                step.placed.position / PX_PER_MM,
            )
            for step in found.steps
        },
        planned,
        found.cost,
        _headlines(layout, blocks, prepared.parts),
    )


def _headlines(
    layout: Layout, blocks: Sequence[Story | Stats], parts: Mapping[str, Part]
) -> dict[str, tuple[HeadFit, ...]]:
    """Return the head of each story set with one, as measured at every step of the ladder."""
    found: dict[str, tuple[HeadFit, ...]] = {}
    for index, block in enumerate(blocks):
        choice = layout.choices.get(block.id)
        if not isinstance(block, Story) or choice is None or choice.treatment == "brief":
            continue
        # The lead story set without the lead's head (see _lead_heads).
        head_part = "head-plain" if index == 0 and not choice.lead else "head"
        found[block.id] = tuple(head_fits(block, parts, head_part))
    return found


def default_choice(block: Story | Stats) -> Choice:
    """Return a block's layout without a plan: its manifest's columns, its photos in a row."""
    if isinstance(block, Stats):
        return Choice(block.id, "stats", 0)
    columns = block.layout.columns or 2
    if not block.photos:
        return Choice(block.id, "text", columns)
    count = len(block.photos)
    width = (180.0 - 5.0 * (count - 1)) / count
    height = 180.0 / 1.5 / count
    sizes = tuple(PhotoSize(width, height, width / height, 1.0) for _ in block.photos)
    return Choice(
        block.id,
        "feature" if count == 1 else "group",
        columns,
        quote=bool(block.quote),
        photos=sizes,
        rows=(tuple(range(count)),),
    )


def _limits(
    blocks: Sequence[Story | Stats],
    photos: Mapping[Path, PhotoInfo],
    crops: Mapping[PhotoPlace, float],
) -> dict[PhotoPlace, Limits]:
    found = {}
    for block in blocks:
        if not isinstance(block, Story):
            continue
        for number, photo in enumerate(block.photos):
            path = Path(photo.file)
            info = photos.get(path) or photos.get(path.resolve())
            limits = photo_limits(info.width, info.height) if info else Limits(1.5, 0.9, 2.5)
            place = (block.id, number)
            if place in crops:
                # The shape chosen for every language: the same crop here.
                shown = crops[place]
                limits = Limits(limits.aspect, shown, shown)
            found[place] = limits
    return found


def _geometry(
    loaded: LoadedIssue,
    front: Front,
    margin: float,
    photos: Mapping[Path, PhotoInfo],
    back: float | None = None,
) -> Geometry:
    first_height = front.first_height if front.first_page == 0 else front.height
    low, high = _back_photo_heights(loaded, front, photos)
    if back is not None and low:
        # Its height shared by every language: it does not grow.
        low = high = back
    return Geometry(
        first_height,
        front.height,
        # The first block adds its own margin (see paginate.place).
        front.start(margin) - margin,
        front.first_page,
        # The back photo is never shorter than its crop limit allows.
        front.tail + low - front.back_photo_height,
        loaded.publication.page_budget,
        photo_room=high - low,
        photo_height=low,
    )


def _back_photo_heights(
    loaded: LoadedIssue, front: Front, photos: Mapping[Path, PhotoInfo]
) -> tuple[float, float]:
    """Return the back photo's least and greatest heights (px; 0 without one).

    The least is the layout's own height, or taller where that would crop
    the photo past its limit; the greatest shows it less cropped, up to
    ``BACK_PHOTO_MAX_MM``, its width as the layout sets it.
    """
    back = loaded.issue.back_photo
    width, height = front.back_photo_width, front.back_photo_height
    if back is None or not width or not height:
        return 0.0, 0.0
    path = Path(back.file)
    info = photos.get(path) or photos.get(path.resolve())
    if info is None:
        return height, height
    limits = photo_limits(info.width, info.height)
    low = max(height, width / limits.high)
    high = max(low, min(width / limits.low, BACK_PHOTO_MAX_MM * PX_PER_MM))
    return low, high


def _closing_base(
    loaded: LoadedIssue, front: Front, photos: Mapping[Path, PhotoInfo], back: float | None
) -> Closing:
    """Return the closing block at its natural height: its back photo as its limits allow.

    ``back`` is the back photo's height (px) where every language shares it.
    """
    low, _ = _back_photo_heights(loaded, front, photos)
    if back is not None and low:
        low = back
    return Closing(round(low / PX_PER_MM, 2))


def block_ends(document: Any, ids: Collection[str]) -> dict[str, tuple[int, float]]:
    """Return where each block of ``ids`` ends in a laid-out ``document``.

    Each as its last page (counted from 0) and its position there (px from
    the page's content top); a block not laid out is left out.
    """
    found: dict[str, tuple[int, float]] = {}

    def walk(box: Any, number: int, top: float) -> None:
        for child in children(box):
            element = getattr(child, "element", None)
            name = element.get("id") if element is not None else None
            if name in ids and not getattr(child, "pseudo_type", None):
                found[str(name)] = (number, child.position_y + child.margin_height() - top)
            else:
                walk(child, number, top)

    for number, page in enumerate(page_boxes(document)):
        walk(page, number, page.content_box_y())
    return found


def _closing_after(
    natural: Closing, geometry: Geometry, panel_px: float, end: tuple[int, float] | None
) -> Closing:
    """Return the closing block grown into the room the engine left after the last block.

    ``end`` is where the engine ended the last block (page from 0, px);
    ``panel_px`` the back panel's height as its content sets it. Where the
    block does not fit after it, it takes a page of its own and grows into
    it, as a back page; where ``end`` is not known, its natural height.
    """
    if end is None:
        return natural
    page, position = end[0] - geometry.first_page, end[1]
    room = capacity(geometry, page) - position - geometry.tail
    if position > 0 and room < -EPSILON_PX:
        room = capacity(geometry, page + 1) - geometry.tail
    photo, panel = closing_growth(geometry, room)
    return _closing(
        photo + geometry.photo_height if geometry.photo_height else photo, panel, panel_px
    )


def _closing(photo: float, grown: float, panel: float) -> Closing:
    """Return the closing block: its photo ``photo`` tall, its panel grown ``grown`` (px)."""
    return Closing(
        round(photo / PX_PER_MM, 2),
        round((panel + grown) / PX_PER_MM, 2) if grown else 0.0,
        round(grown / PX_PER_MM, 2),
    )


_UNHELD = (
    "no treatment frames these photos with at least 60 % of each kept: a photo "
    "narrower than about 1:4 or wider than about 6:1, or one far unlike the others "
    "beside it, has no frame — crop it nearer 3:2 before adding it, or leave it out"
)


def _candidates(
    blocks: Sequence[Story | Stats],
    parts: Mapping[str, Part],
    limits: Mapping[PhotoPlace, Limits],
    loaded: LoadedIssue,
    bodies: Bodies,
) -> list[list[Candidate]]:
    """Return, for each block, the candidates that start with it (their bodies from ``bodies``).

    Raise PhotoError if no treatment holds a story's photos within their crops.
    """
    found: list[list[Candidate]] = []
    for index, block in enumerate(blocks):
        here: list[Candidate] = []
        if isinstance(block, Stats):
            part = parts[stats_id(block, figure_rows(block, parts))]
            here.append(Candidate(1, "stats", part.margin, part.height, None, 0.0))
            found.append(here)
            continue
        lead = index == 0
        photo_limits_ = story_limits(block, limits)
        shapes = story_shapes(block, parts, limits, lead=lead)
        if lead:
            # The lead story may do without the lead's head (at a cost).
            shapes += story_shapes(block, parts, limits, head_part="head-plain")
        if not any(options(shape, photo_limits_) for shape in shapes):
            raise PhotoError([loaded.problem(("stories", index, "photos"), _UNHELD)])
        for shape in shapes:
            flow, columns = shape.flow, shape.columns
            body = bodies.get((flow, columns), functools.partial(_plain_body, flow, columns))
            shared: dict[tuple[int, int], tuple[float, float, float]] = {}
            inline = [i for i, piece in enumerate(flow) if piece[4] == INLINE_PIECE]
            for option in options(shape, photo_limits_):
                if shape.side is not None:
                    # The photo at the top of the first column, at the height chosen.
                    deltas = {0: option.photo - shape.side[2]}
                    option_body = bodies.get(
                        (flow, columns, tuple(deltas.items())),
                        functools.partial(_resized_body, flow, columns, deltas),
                        shared,
                    )
                elif shape.inline:
                    # The photos inside the columns, each at the height chosen.
                    deltas = {
                        piece: option.sizes[index].height_mm * PX_PER_MM - measured
                        for piece, (index, _, measured) in zip(inline, shape.inline, strict=True)
                    }
                    option_body = bodies.get(
                        (flow, columns, tuple(deltas.items())),
                        functools.partial(_resized_body, flow, columns, deltas),
                    )
                else:
                    option_body = body
                here.append(_story_candidate(option, option_body, lead, block))
        here.extend(_briefs(blocks, index, parts, bodies))
        found.append(here)
    return found


class Bodies:
    """One language's bodies, each indexed once for the whole plan (see paginate.Body.fresh).

    The candidates are made anew for every set of crops tried; a body's
    pieces are mostly the same from one set to the next, and what the
    simulation found of them stays true.
    """

    def __init__(self) -> None:
        """Start with no bodies."""
        self._found: dict[Hashable, Body] = {}

    def get(
        self,
        key: Hashable,
        make: Callable[[], Body],
        shared: dict[tuple[int, int], tuple[float, float, float]] | None = None,
    ) -> Body:
        """Return the body of ``key`` (made by ``make`` the first time) for a new pass."""
        body = self._found.get(key)
        if body is None:
            body = self._found[key] = make()
        return body.fresh(shared)


def _pieces(flow: Flow) -> list[Piece]:
    return [Piece(*piece) for piece in flow]


def _plain_body(flow: Flow, columns: int) -> Body:
    return Body(_pieces(flow), columns)


def _resized_body(flow: Flow, columns: int, deltas: Mapping[int, float]) -> Body:
    return Body(_resized(_pieces(flow), deltas), columns)


def _story_candidate(option: Option, body: Body, lead: bool, story: Story) -> Candidate:
    shape = option.shape
    preferred = preferred_columns(story)
    fixed = shape.fixed
    fixed += option.rows_height
    cost = CROP_COST * (1 - option.kept)
    if story.quote and not shape.quote:
        cost += QUOTE_LEFT_OUT_COST
    if shape.inline:
        cost += INLINE_COST
    if preferred is not None and shape.columns != preferred:
        cost += OTHER_COLUMNS_COST
    elif preferred is None and shape.columns == 3:
        cost += THREE_COLUMNS_COST
    if lead and not shape.lead:
        cost += PLAIN_LEAD_COST
    elif lead and option.photo:
        cost += max(0.0, LEAD_PHOTO_MM - option.photo / PX_PER_MM) * LEAD_PHOTO_COST
    return Candidate(1, shape.treatment, shape.margin, fixed, body, cost, option)


def _resized(pieces: list[Piece], deltas: Mapping[int, float]) -> list[Piece]:
    """Return ``pieces`` with those in ``deltas`` taller by as much, the ones after moved down."""
    moved = []
    shift = 0.0
    for index, piece in enumerate(pieces):
        grown = deltas.get(index, 0.0)
        moved.append(
            Piece(
                piece.top + shift,
                piece.bottom + shift + grown,
                piece.breakable_after,
                piece.reach + shift + grown,
                piece.name,
                piece.resumed,
            )
        )
        shift += grown
    return moved


def _briefs(
    blocks: Sequence[Story | Stats], index: int, parts: Mapping[str, Part], bodies: Bodies
) -> list[Candidate]:
    """Return the briefs that start with block ``index``: it and up to three short stories."""
    found: list[Candidate] = []
    if not briefable(blocks[index]):
        return found
    first = parts[f"m-{blocks[index].id}-brief"]
    flows = [first.flow]
    members = [blocks[index].id]
    for following in blocks[index + 1 : index + 4]:
        if not briefable(following):
            break
        flows.append(parts[f"m-{following.id}-brief"].flow)
        members.append(following.id)
        found.append(
            Candidate(
                len(members),
                "brief",
                first.margin,
                first.fixed,
                bodies.get(("brief", *flows), functools.partial(_brief_body, tuple(flows))),
                0.0,
                members=tuple(members),
            )
        )
    return found


def _brief_body(flows: Sequence[Flow]) -> Body:
    """Return the body of a brief of items with ``flows``, one under the other."""
    pieces = _pieces(flows[0])
    for flow in flows[1:]:
        shift = pieces[-1].bottom + BRIEF_GAP_MM * PX_PER_MM
        pieces.extend(
            Piece(top + shift, bottom + shift, brk, reach + shift, name, resumed)
            for top, bottom, brk, reach, name, resumed in flow
        )
    return Body(pieces, 3)


def _layout(
    found: Paginated, blocks: Sequence[Story | Stats], front: Front, parts: Mapping[str, Part]
) -> Layout:
    choices: dict[str, Choice] = {}
    for step in found.steps:
        block = blocks[step.index]
        candidate = step.candidate
        if candidate.members:
            choices[block.id] = Choice(block.id, "brief", 3, members=candidate.members)
            continue
        option = candidate.option
        if option is None:
            rows = figure_rows(block, parts) if isinstance(block, Stats) else ()
            choices[block.id] = Choice(block.id, "stats", 0, rows=rows)
            continue
        shape = option.shape
        choices[block.id] = Choice(
            block.id,
            shape.treatment,
            shape.columns,
            quote=shape.quote,
            photos=option.sizes,
            rows=tuple(row.photos for row in shape.rows),
            side=shape.side[0] if shape.side is not None else None,
            inline=tuple(index for index, _, _ in shape.inline),
            lead=shape.lead,
            headline=shape.headline,
        )
    # The closing block grows into the room left: its photo, then its panel.
    return Layout(choices, _closing(found.closing_photo, found.closing_panel, front.panel))


def _start_pages(found: Paginated, blocks: Sequence[Story | Stats], front: Front) -> dict[str, int]:
    pages: dict[str, int] = {}
    for step in found.steps:
        page = front.first_page + step.placed.start_page + 1
        for member in step.candidate.members or (blocks[step.index].id,):
            pages[member] = page
    return pages


def _holes(found: Paginated, blocks: Sequence[Story | Stats], front: Front) -> tuple[Hole, ...]:
    holes = []
    for number, step in enumerate(found.steps):
        if hole_cost(step.placed.hole) > 0 and number:
            before = found.steps[number - 1]
            holes.append(
                Hole(
                    front.first_page + step.placed.start_page,
                    step.placed.hole / PX_PER_MM,
                    blocks[before.index].id,
                )
            )
    if found.closing_panel / PX_PER_MM > PANEL_REPORTED_MM and found.steps:
        # Not empty (the back panel grows into it), but room the issue's own
        # content would fill better.
        holes.append(
            Hole(
                front.first_page + found.closing_page + 1,
                found.closing_panel / PX_PER_MM,
                blocks[found.steps[-1].index].id,
                closing=True,
            )
        )
    return tuple(holes)


def _crops(layout: Layout, blocks: Sequence[Story | Stats]) -> dict[PhotoPlace, float]:
    by_id = {block.id: block for block in blocks}
    found: dict[PhotoPlace, float] = {}
    for choice in layout.choices.values():
        block = by_id[choice.block]
        if isinstance(block, Story):
            for number, size in enumerate(choice.photos[: len(block.photos)]):
                found[(block.id, number)] = size.aspect
    return found


def _measure_front(
    loaded: LoadedIssue,
    typesetter: Typesetter,
    pages: Mapping[str, int],
    resources: str,
    known: Measures,
    used: Measures,
) -> Front:
    """Return the page geometry, measured in a layout of the front matter alone."""
    html = render_html(loaded, pages=pages, blocks=())
    key = _key(html, FRONT_STYLE, resources)
    front = known.fronts.get(key)
    if front is None:
        document = typesetter.render_pdf(html, stylesheets=[FRONT_STYLE], write=False).document
        front = measure_front(document, entry_template(loaded))
    used.fronts[key] = front
    return front


def _measure_parts(
    loaded: LoadedIssue,
    typesetter: Typesetter,
    page_width: float,
    limits: Mapping[PhotoPlace, Limits],
    resources: str,
    known: Measures,
    used: Measures,
) -> dict[str, Part]:
    """Return the parts of every candidate of every block, measured in one layout.

    A part's measure depends on its own content, the layout and the photos
    only: each is kept in ``known`` under a key made of those, and only
    parts not known yet are laid out (a text edit lays out the parts of the
    story edited).
    """
    style = PARTS_STYLE.format(width=page_width, height=MEASURING_PAGE_MM)
    specs = [spec for _, found in measuring_specs(loaded.issue.stories, limits) for spec in found]
    plan = Layout({spec.id: spec.choice for spec in specs})
    context = build_context(loaded, {}, plan)
    shared = {
        name: value
        for name, value in context.items()
        if name not in {"blocks", "toc", "title", "description", "keywords", "closing"}
    }
    keys = {
        spec.id: _key(json.dumps([shared, block], default=str, sort_keys=True), style, resources)
        for spec, block in zip(specs, context["blocks"], strict=True)
    }
    missing = [spec for spec in specs if keys[spec.id] not in known.parts]
    if missing:
        html = render_html(loaded, plan=Layout({spec.id: spec.choice for spec in missing}))
        document = typesetter.render_pdf(html, stylesheets=[style], write=False).document
        measured = measure_parts(document, {spec.id: spec.kind for spec in missing})
        for spec in missing:
            known.parts[keys[spec.id]] = measured[spec.id]
    used.parts.update((keys[spec.id], known.parts[keys[spec.id]]) for spec in specs)
    return {spec.id: known.parts[keys[spec.id]] for spec in specs}


def _fingerprint(loaded: LoadedIssue) -> str:
    """Return what the layout of the issue depends on besides its text.

    The code that lays out and measures, and the layout's, fonts' and
    photos' files by date and size.
    """
    layout_dir = layout_folder(loaded)
    files = sorted(
        {
            *(path for path in layout_dir.rglob("*") if path.is_file()),
            *(path for path in (loaded.root / "fonts").glob("*") if path.is_file()),
            *(
                Path(photo.file)
                for story in loaded.issue.stories
                if isinstance(story, Story)
                for photo in story.photos
            ),
            *([Path(loaded.publication.logo)] if loaded.publication.logo else []),
        }
    )
    stamps = [code_version()]
    for path in files:
        with contextlib.suppress(OSError):
            status = path.stat()
            stamps.append(f"{path}:{status.st_mtime_ns}:{status.st_size}")
    return "\n".join(stamps)


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "float": (float, int),
    "int": (int,),
    "bool": (bool,),
}


def _front(value: Any) -> Front:
    return _from_json(Front, value)


def _part(value: Any) -> Part:
    if not isinstance(value, dict) or not isinstance(value.get("flow"), list):
        raise TypeError("not a Part")
    pieces = []
    for piece in value["flow"]:
        top, bottom, breakable, reach, name, resumed = piece
        if not (
            isinstance(breakable, bool)
            and isinstance(name, str)
            and isinstance(resumed, int)
            and not isinstance(resumed, bool)
            and all(isinstance(x, (int, float)) for x in (top, bottom, reach))
        ):
            raise TypeError("Part.flow")
        pieces.append((float(top), float(bottom), breakable, float(reach), name, resumed))
    return _from_json(Part, {**value, "flow": 0}, flow=tuple(pieces))


def _from_json(kind: type[_Kept], value: Any, **given: Any) -> _Kept:
    """Return a ``kind`` from its fields as JSON gave them; raise TypeError if one is unsound."""
    described = dataclasses.fields(kind)
    if not isinstance(value, dict) or set(value) != {each.name for each in described}:
        raise TypeError(f"not a {kind.__name__}")
    fields = {}
    for each in described:
        if each.name in given:
            fields[each.name] = given[each.name]
            continue
        item = value[each.name]
        if not isinstance(item, _JSON_TYPES[str(each.type)]) or (
            isinstance(item, bool) and each.type != "bool"
        ):
            raise TypeError(f"{kind.__name__}.{each.name}")
        fields[each.name] = item
    return kind(**fields)
