"""Choose every block's option together, by dynamic programming over the issue.

After Jacobs, Li, Schrier, Bargeron and Salesin, "Adaptive grid-based
document layout" (SIGGRAPH 2003): the blocks are taken in reading order; a
state is where the page ends so far (page, position, and the last
treatments, for variety), and each option of the next block (treatment,
columns, photo sizes, pull quote, or a brief of the next few short stories)
leads to a new state at a cost. Pagination is simulated from the measured
parts as the engine breaks them: a block's head and first lines together,
its body balanced in its columns where it fits, else its columns filled to
the page foot and the rest carried over. The cheapest end state, closing
block placed, gives the plan.
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from bulletin.compose.candidates import Option
from bulletin.compose.shapes import PX_PER_MM
from bulletin.engine.balance import Piece
from bulletin.html import contract

# The engine compares positions in floating point: allow it this much.
EPSILON_PX = 0.05
# The name of a photo inside the columns among a body's pieces (its classes).
_INLINE_PHOTO = f"{contract.PHOTO} inline"
# Less room than this left at a page foot is ordinary slack (mm).
SLACK_MM = 3.0
# Costs, in the unit of one millimetre of hole across the text width.
PAGE_COST = 2_500.0
OVER_BUDGET_COST = 1_000_000.0
CROP_COST = 250.0
QUOTE_LEFT_OUT_COST = 60.0
THREE_COLUMNS_COST = 8.0
OTHER_COLUMNS_COST = 25.0
# Photos inside the columns are smaller than over them: the plan sets them
# so where that closes a hole, or for variety.
INLINE_COST = 30.0
REPEAT_COST = 12.0
MONOTONY_COST = 120.0
LONE_LINES_COST = 800.0
LONE_CLOSING_COST = 500.0
# A block whose head and photos, with its first lines, are taller than the
# page it starts on: the engine breaks between its photo rows (the head
# alone on one page, its photos on the next), which the simulation does not
# follow. Far dearer than any hole, cheaper than a page over the budget.
TALLER_THAN_PAGE_COST = 100_000.0
# The closing block grows into the room left on the last page: its back
# photo first (cheap: the photo is shown larger, less cropped), then its
# back panel, to the page foot. A large panel costs more than the issue's
# own content would (a larger photo, a pull quote), less than a hole.
PHOTO_GROWTH_COST = 0.5
PANEL_COST = 6.0
PANEL_QUADRATIC_COST = 0.04
# A back panel grown by more than this is reported (``bulletin check``): the
# issue's own content would fill the page better (mm). Each millimetre past
# it costs as much more as a hole's (the sample's English, its photos cropped
# for the Russian, ended on a panel grown 87 mm for the cost of a 10 mm hole).
PANEL_REPORTED_MM = 40.0
PANEL_REPORTED_COST = 20.0
# Room the plan leaves unused on the last page: the engine may paginate a
# line otherwise than the simulation (mm).
CLOSING_SAFETY_MM = 3.0
# The lead story wants a photo at least this tall (mm).
LEAD_PHOTO_MM = 100.0
LEAD_PHOTO_COST = 2.0
# The lead story set with an ordinary head (its larger one does not fit page 1).
PLAIN_LEAD_COST = 5_000.0
# States kept after each block, the cheapest first.
BEAM = 120
# States closer than this on the same page are one (px).
STATE_STEP_PX = PX_PER_MM / 2


@dataclass(frozen=True)
class Geometry:
    """The pages as the front layout measured them (px)."""

    first_height: float
    """Content height of the page the blocks start on."""
    height: float
    """Content height of the following pages."""
    start: float
    """Where the first block starts on its page."""
    first_page: int
    """The page the first block starts on, counted from 0."""
    tail: float
    """Height of the closing block, with its margin."""
    budget: int
    """The most pages the issue may take."""
    photo_room: float = 0.0
    """How much taller the closing block's back photo may grow, within its crop limits (px)."""
    photo_height: float = 0.0
    """The back photo's height in ``tail`` (px; 0 without one)."""


# A body's pieces balanced: their height, the room left, their extent (see Body).
_Balanced = tuple[float, float, float]


class Body:
    """A body's pieces as arrays, with what the simulation asks of them answered fast.

    Positions along the flow only grow, so the last piece a column can hold
    is found by bisection, and the allowed break before it from a table.
    What a body computes from its pieces alone (balanced heights, and where
    it runs from an exact position on pages of given heights) is kept for
    the whole plan: :meth:`fresh` hands the same body to another pass of
    the simulation with only that pass's own caches empty.
    """

    def __init__(
        self,
        pieces: Sequence[Piece],
        columns: int,
        shared: dict[tuple[int, int], _Balanced] | None = None,
    ) -> None:
        """Index ``pieces`` set in ``columns``; ``shared`` caches balanced heights after piece 0.

        ``shared`` is one pass's cache, shared by bodies whose pieces differ
        only in the height of the first (a photo beside the text): the first
        of them to balance the pieces after it answers for all.
        """
        self.tops = [piece.top for piece in pieces]
        self.bottoms = [piece.bottom for piece in pieces]
        self.reaches = [piece.reach for piece in pieces]
        # Where a column ending with each piece ends on the page (see extent).
        self.edges = [
            piece.bottom if piece.name == _INLINE_PHOTO else piece.reach for piece in pieces
        ]
        # The least last piece of a column that starts at each piece (the
        # orphans of a paragraph resumed there stay together).
        self.floors = [index + piece.resumed - 1 for index, piece in enumerate(pieces)]
        self.columns = columns
        last = len(pieces) - 1
        self.breaks: list[int] = []
        found = -1
        for index, piece in enumerate(pieces):
            if piece.breakable_after or index == last:
                found = index
            self.breaks.append(found)
        self.line = _line(pieces)
        self._shared = shared
        self._balanced: dict[tuple[int, int], _Balanced] = {}
        """Balanced heights of these pieces, by first and last piece (exact: kept)."""
        self.flows: dict[tuple[bool, float, float, float], tuple[int, float, bool, float]] = {}
        """How the body runs, by page kind, exact start and page heights (see _flow; kept)."""
        self.placed: dict[tuple[bool, int], tuple[int, float, bool, float]] = {}
        """Placements simulated in this pass, by page kind and start position (see _flow)."""

    def fresh(self, shared: dict[tuple[int, int], _Balanced] | None = None) -> Body:
        """Return this body for another pass: its exact results kept, the pass's caches empty.

        ``shared`` as for a new body. The pass then finds what a body made
        anew would: only what follows from the pieces alone is kept.
        """
        twin = copy.copy(self)
        twin._shared = shared
        twin.placed = {}
        return twin

    def pure(self) -> bool:
        """Return whether what this body's simulation finds follows from its own pieces alone.

        Not so where a pass's shared cache answers for it (see ``__init__``).
        """
        return self._shared is None

    def __len__(self) -> int:
        """Return the number of pieces."""
        return len(self.tops)

    def column_end(self, first: int, room: float, stop: int | None = None) -> int | None:
        """Return the last piece of a column that starts at ``first`` and is ``room`` tall.

        ``stop``: the pieces end before it (a page's share of the body).
        """
        stop = len(self.tops) if stop is None else stop
        limit = self.tops[first] + room + EPSILON_PX
        index = min(bisect.bisect_right(self.bottoms, limit, lo=first), stop) - 1
        floor = min(self.floors[first], stop - 1)
        while index >= first:
            end = index if index == stop - 1 else self.breaks[index]
            if end < floor:
                return None
            if self.reaches[end] <= limit:
                return end
            index = end - 1
        return None

    def holds(self, start: int, stop: int, height: float) -> bool:
        """Return whether columns ``height`` tall hold the pieces from ``start`` to ``stop``."""
        first = start
        for _ in range(self.columns):
            end = self.column_end(first, height, stop)
            if end is None:
                return False
            first = end + 1
            if first >= stop:
                return True
        return False

    def balanced(self, start: int, stop: int | None = None) -> tuple[float, float]:
        """Return the pieces from ``start`` to ``stop`` balanced: their height, and the room left.

        The height is the room the columns need (with the bottom margin of
        the block each ends with); the room left is what the columns leave
        empty below their content, as a height across the whole width (the
        columns' shortfall, averaged).
        """
        height, empty, _ = self._balanced_at(start, stop)
        return height, empty

    def extent(self, start: int, stop: int | None = None) -> float:
        """Return the height the pieces from ``start`` to ``stop`` take, balanced, on the page.

        The columns must have room for the bottom margin of the block each
        ends with (:meth:`balanced`), and the engine sets their height with
        it, but for a photo inside the columns: a column it ends ends at the
        photo's edge (the sample's English page 3 ended 3 mm above a plan
        that counted the margin; a pull quote's is counted).
        """
        return self._balanced_at(start, stop)[2]

    def _balanced_at(self, start: int, stop: int | None) -> _Balanced:
        """Return the pieces from ``start`` to ``stop`` balanced (after piece 0, as shared)."""
        key = (start, len(self.tops) if stop is None else stop)
        if start and self._shared is not None:
            found = self._shared.get(key)
            if found is None:
                found = self._shared[key] = self._balance(key)
            return found
        return self._balance(key)

    def _balance(self, key: tuple[int, int]) -> _Balanced:
        """Return the pieces from ``key[0]`` to ``key[1]`` balanced, as these pieces set them.

        Their height and the room left (see :meth:`balanced`), and their
        extent (see :meth:`extent`).
        """
        found = self._balanced.get(key)
        if found is not None:
            return found
        start, stop = key
        origin = self.tops[start]
        low = max(
            b - t for t, b in zip(self.tops[start:stop], self.bottoms[start:stop], strict=True)
        )
        high = max(self.reaches[start:stop]) - origin
        while high - low > 0.05:
            middle = (low + high) / 2
            if self.holds(start, stop, middle):
                high = middle
            else:
                low = middle
        # The exact extent of the tallest column at that height, and each one's;
        # and how far their content reaches (see extent).
        extents: list[float] = []
        edges: list[float] = []
        first = start
        while first < stop and len(extents) < self.columns:
            end = self.column_end(first, high, stop)
            if end is None:
                break
            extents.append(self.reaches[end] - self.tops[first])
            edges.append(self.edges[end] - self.tops[first])
            first = end + 1
        height = max(extents) if extents else high
        extents += [0.0] * (self.columns - len(extents))
        empty = sum(height - extent for extent in extents) / self.columns
        found = (height, empty, max(edges) if edges else high)
        self._balanced[key] = found
        return found

    def columns_used(self, start: int) -> int:
        """Return how many columns hold the pieces from ``start`` on, balanced."""
        height, _ = self.balanced(start)
        first, used = start, 0
        while first < len(self.tops) and used < self.columns:
            end = self.column_end(first, height)
            if end is None:
                break
            used += 1
            first = end + 1
        return used

    def split(self, start: int, room: float) -> int:
        """Return the first piece that goes over when the columns are filled to ``room``."""
        first = start
        for _ in range(self.columns):
            if first >= len(self.tops):
                break
            end = self.column_end(first, room)
            if end is None:
                if first == start:
                    # Not even its first lines fit: overflow, as the engine would.
                    end = max(self.floors[first], first)
                    while end < len(self.tops) - 1 and self.breaks[end] != end:
                        end += 1
                else:
                    break
            first = end + 1
        return max(first, start + 1)


@dataclass
class Candidate:
    """One option for the blocks from one index on: one block, or a brief of several."""

    span: int
    """How many blocks it sets."""
    treatment: str
    """Its treatment (for variety)."""
    margin: float
    """Space above it, dropped at a page top (px)."""
    fixed: float
    """Height before its body (px)."""
    body: Body | None
    """Its body (none for a call-out)."""
    cost: float
    """What it costs wherever it lies (crops, variety of columns, a quote left out)."""
    option: Option | None = None
    """The story option it sets (none for a brief or call-out)."""
    members: tuple[str, ...] = ()
    """The stories it sets, in order."""

    @functools.cached_property
    def first(self) -> float:
        """Return the room the body needs below the head to start on a page (orphans)."""
        body = self.body
        if body is None or not len(body):
            return 0.0
        end = next((i for i in range(len(body)) if body.breaks[i] == i), len(body) - 1)
        return body.reaches[end]


@dataclass(frozen=True)
class Placed:
    """Where a candidate landed in the simulation."""

    start_page: int
    """The page it starts on, counted from 0."""
    page: int
    """The page it ends on."""
    position: float
    """Where it ends on that page (px)."""
    hole: float
    """Room left at the foot of the page before it, when it went to the next (px)."""
    lone: bool
    """Whether a page holds only a line or two of it at the top of its columns."""
    wasted: float
    """Room its columns leave empty (at page feet where it breaks, below short columns), px."""
    overfull: bool = False
    """Whether its head and photos with its first lines are taller than the page it starts on."""


@dataclass(frozen=True)
class Step:
    """One block's choice on the way to a state."""

    index: int
    """The block's index."""
    candidate: Candidate
    """What was chosen."""
    placed: Placed
    """Where it landed."""


@dataclass(frozen=True)
class Paginated:
    """The cheapest plan found."""

    steps: tuple[Step, ...]
    """The choices, in reading order."""
    pages: int
    """The pages it takes."""
    closing: float
    """Room left above the closing block on the last page (px)."""
    closing_page: int
    """The page the closing block is on, counted from 0."""
    cost: float
    """Its cost."""
    closing_photo: float = 0.0
    """The back photo's height, grown into the room (px; 0 without one)."""
    closing_panel: float = 0.0
    """How much of the room the back panel grows by (px; the rest is slack)."""


def capacity(geometry: Geometry, page: int) -> float:
    """Return the content height of ``page`` (counted from the first block's page)."""
    return geometry.first_height if page == 0 else geometry.height


def place(geometry: Geometry, candidate: Candidate, page: int, position: float) -> Placed:
    """Return where ``candidate`` lands when placed at ``position`` of ``page``."""
    margin = candidate.margin if position > 0 else 0.0
    hole = 0.0
    need = margin + candidate.fixed + candidate.first
    if position > 0 and position + need > capacity(geometry, page) + EPSILON_PX:
        hole = capacity(geometry, page) - position
        page, position, margin = page + 1, 0.0, 0.0
    start_page = page
    overfull = (
        position + margin + candidate.fixed + candidate.first
        > capacity(geometry, page) + EPSILON_PX
    )
    position += margin + candidate.fixed
    body = candidate.body
    if body is None or not len(body):
        return Placed(start_page, page, position, hole, False, 0.0, overfull)
    pages, end, lone, wasted = _flow(geometry, body, page == 0, position)
    return Placed(start_page, page + pages, end, hole, lone, wasted, overfull)


def _flow(
    geometry: Geometry, body: Body, first_page: bool, position: float
) -> tuple[int, float, bool, float]:
    """Return how ``body`` runs from ``position``: pages turned, end, lone lines, room wasted.

    Where the body breaks, the engine fills the columns to the page foot,
    up to the last break allowed, and balances what it put on the page; the
    room wasted is what that leaves at the foot, and below short columns.
    """
    key = (first_page, round(position * 4))
    cached = body.placed.get(key)
    if cached is not None:
        return cached
    # What another pass found from this exact position on pages as tall.
    exact = (first_page, position, geometry.first_height, geometry.height)
    pure = body.pure()
    if pure and (cached := body.flows.get(exact)) is not None:
        body.placed[key] = cached
        return cached
    start = 0
    pages = 0
    lone = False
    wasted = 0.0
    at = position
    while True:
        room = (geometry.first_height if first_page and not pages else geometry.height) - at
        height, empty = body.balanced(start)
        if height <= room + EPSILON_PX:
            at += body.extent(start)
            wasted += empty
            # A line or two alone at the top of a page, or a column left
            # empty beside the others: the eye finds a hole.
            lone = body.columns > 1 and (
                (bool(start) and height < 2.5 * body.line)
                or body.columns_used(start) < body.columns
            )
            break
        stop = body.split(start, room)
        if stop < len(body):
            height, empty = body.balanced(start, stop)
            wasted += empty + max(0.0, room - height)
        start = stop
        pages, at = pages + 1, 0.0
        if start >= len(body):
            break
    found = (pages, at, lone, wasted)
    body.placed[key] = found
    if pure:
        body.flows[exact] = found
    return found


def _line(pieces: Sequence[Piece]) -> float:
    """Return the body's usual line height: the median height of its first pieces."""
    heights = sorted(p.bottom - p.top for p in pieces[:25])
    return heights[len(heights) // 2] if heights else 1.0


def hole_cost(hole_px: float) -> float:
    """Return the cost of leaving ``hole_px`` empty across the text width."""
    millimetres = hole_px / PX_PER_MM - SLACK_MM
    if millimetres <= 0:
        return 0.0
    # A reader sees a band taller than about 10 mm as a hole: past that, it
    # costs more than any crop or variety the plan could trade it for.
    return millimetres * 20 + millimetres * millimetres * 4


def closing_growth(geometry: Geometry, room: float) -> tuple[float, float]:
    """Return how the closing block grows into ``room`` (px): its photo's share, its panel's.

    The photo grows first, within its limits; the panel takes the room
    still left, to the page foot, less a safety margin. Room under
    ``SLACK_MM`` is left as slack.
    """
    usable = room - CLOSING_SAFETY_MM * PX_PER_MM
    if usable <= SLACK_MM * PX_PER_MM:
        return 0.0, 0.0
    photo = min(usable, geometry.photo_room)
    panel = usable - photo
    return photo, panel if panel > SLACK_MM * PX_PER_MM else 0.0


def closing_cost(geometry: Geometry, room: float) -> float:
    """Return the cost of the closing block's growing into ``room`` (px) on the last page."""
    photo, panel = closing_growth(geometry, room)
    panel_mm = panel / PX_PER_MM
    return (
        photo / PX_PER_MM * PHOTO_GROWTH_COST
        + panel_mm * PANEL_COST
        + panel_mm * panel_mm * PANEL_QUADRATIC_COST
        + max(0.0, panel_mm - PANEL_REPORTED_MM) * PANEL_REPORTED_COST
    )


_Landing = tuple[Placed, float, int]


def _landing(geometry: Geometry, candidate: Candidate, page: int, position: float) -> _Landing:
    """Return where ``candidate`` lands from there, what it costs before variety, its state step.

    The cost is its own with the holes it leaves; the step is where it ends,
    in states (``STATE_STEP_PX``).
    """
    placed = place(geometry, candidate, page, position)
    base = candidate.cost + hole_cost(placed.hole) + hole_cost(placed.wasted)
    return placed, base, math.ceil(placed.position / STATE_STEP_PX - 1e-6)


_State = tuple[int, int, str, int]
_Reached = tuple[float, float, tuple[Step, ...]]
_Layer = dict[_State, _Reached]


class Passes:
    """Where earlier passes of the simulation had got to, by what their first blocks were offered.

    The composer simulates the issue again for every set of crops it tries,
    most of them changing one story's: the states after the blocks before
    it are those of an earlier pass. A pass given the same page geometry
    and the same options for its first blocks (their signatures) starts from
    there, and finds what it would have found from the first block. The
    ``size`` passes' points used last are kept.
    """

    def __init__(self, size: int = 2048) -> None:
        """Keep at most ``size`` points of earlier passes."""
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[_Layer, ...]] = OrderedDict()

    def find(self, keys: Sequence[Hashable]) -> tuple[int, tuple[_Layer, ...]]:
        """Return the furthest point of ``keys`` kept (its index, its layers), else ``(0, ())``."""
        for index in range(len(keys) - 1, 0, -1):
            found = self._kept.get(keys[index])
            if found is not None:
                self._kept.move_to_end(keys[index])
                return index, found
        return 0, ()

    def keep(self, key: Hashable, layers: tuple[_Layer, ...]) -> None:
        """Keep ``layers`` (the states from one block on) under ``key``."""
        self._kept[key] = layers
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


def paginate(
    geometry: Geometry,
    choices: Sequence[Sequence[Candidate]],
    *,
    passes: Passes | None = None,
    signatures: Sequence[Hashable] | None = None,
) -> Paginated:
    """Return the cheapest plan: one candidate from each index's list, covering every block.

    ``choices[i]`` are the candidates that start with block ``i`` (a brief
    covers several: the next candidate then starts after it). With
    ``passes``, ``signatures[i]`` tells the candidates of block ``i`` (equal
    signatures, equal candidates): the pass starts where an earlier one
    with the same first signatures had got to, and is kept for later ones.
    """
    count = len(choices)
    # A state: (page, position step, last treatment, how many times in a row).
    start_key = (0, round(geometry.start / STATE_STEP_PX), "", 0)
    layers: list[_Layer] = [{} for _ in range(count + 1)]
    layers[0][start_key] = (0.0, geometry.start, ())
    begin = 0
    keys: list[Hashable] = []
    if passes is not None:
        if signatures is None or len(signatures) != count:
            raise ValueError("a pass kept needs one signature a block")
        # The key of the point before each block: the geometry and every signature before it.
        keys.append((geometry,))
        for signature in signatures:
            keys.append((keys[-1], signature))
        begin, found = passes.find(keys)
        for offset, layer in enumerate(found):
            layers[begin + offset] = dict(layer)
    for index in range(begin, count):
        states = layers[index]
        if len(states) > BEAM:
            kept = sorted(states.items(), key=lambda item: item[1][0])[:BEAM]
            states = dict(kept)
        if passes is not None and index > begin:
            # The states to go on from, and what briefs before have already reached.
            passes.keep(keys[index], (states, *(dict(layer) for layer in layers[index + 1 :])))
        here = choices[index]
        # States that differ only in their last treatments start from the
        # same place: each candidate is placed there once.
        landed: dict[tuple[int, float], list[_Landing]] = {}
        for (page, _, last, run), (cost, position, steps) in states.items():
            landings = landed.get((page, position))
            if landings is None:
                landings = landed[(page, position)] = [
                    _landing(geometry, candidate, page, position) for candidate in here
                ]
            for candidate, (placed, base, step) in zip(here, landings, strict=True):
                repeat = candidate.treatment == last
                new_run = run + 1 if repeat else 1
                added = base
                if repeat:
                    added += MONOTONY_COST if new_run >= 3 else REPEAT_COST
                if placed.lone:
                    added += LONE_LINES_COST
                if placed.overfull:
                    added += TALLER_THAN_PAGE_COST
                if placed.page + geometry.first_page + 1 > geometry.budget:
                    added += OVER_BUDGET_COST
                key = (placed.page, step, candidate.treatment, min(new_run, 2))
                target = layers[index + candidate.span]
                total = cost + added
                if key not in target or target[key][0] > total:
                    target[key] = (total, placed.position, (*steps, Step(index, candidate, placed)))
    if passes is not None and begin < count:
        passes.keep(keys[count], (layers[count],))
    best: Paginated | None = None
    for (page, _, _, _), (cost, position, steps) in layers[count].items():
        room = capacity(geometry, page) - position
        closing_page = page
        added = 0.0
        if position > 0 and geometry.tail > room + EPSILON_PX:
            # The closing block goes to a page of its own, a back page: the
            # room left on the page before is a hole.
            added += hole_cost(room) + LONE_CLOSING_COST
            closing_page = page + 1
            room = capacity(geometry, closing_page) - geometry.tail
        else:
            room -= geometry.tail
        # The closing block grows into the room left: no hole, at a cost.
        added += closing_cost(geometry, room)
        pages = closing_page + 1
        added += pages * PAGE_COST
        if pages + geometry.first_page > geometry.budget:
            added += OVER_BUDGET_COST
        total = cost + added
        if best is None or total < best.cost:
            photo, panel = closing_growth(geometry, room)
            if geometry.photo_height:
                photo += geometry.photo_height
            best = Paginated(
                steps,
                pages + geometry.first_page,
                max(0.0, room),
                closing_page,
                total,
                photo,
                panel,
            )
    assert best is not None, "an issue has at least one block"
    return best
