"""The shapes a block can take on the page, as measured, and the choices the plan makes.

A *treatment* is a story module of the layout (``layouts/standard/``):

- ``feature``: the photo across the text width, over the columns;
- ``side``: the photo in the first column, beside the start of the text;
- ``group``: two to four photos in a row or a small grid over the columns;
- ``inline``: the photos inside the columns, each a column wide, the first
  after the text's opening paragraph and the others spread along the text
  (the story may start anywhere a head and a few lines fit);
- ``text``: no photo;
- ``brief``: several short stories without photos sharing one block;
- ``stats``: a statistics call-out (one shape only).

A :class:`Shape` is one treatment of one block at one column count, as a
measuring layout laid it out: the heights that do not change, the photo
area whose height the plan chooses, and the body as a flow of lines and
unbreakable pieces. A :class:`Choice` is what the plan keeps for a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PX_PER_MM = 96 / 25.4

Flow = tuple[tuple[float, float, bool, float, str, int], ...]
"""Pieces of a body as (top, bottom, breakable after, reach, name, resumed): see balance.Piece."""


@dataclass(frozen=True)
class Row:
    """One row of photos across the text width, all of one height."""

    photos: tuple[int, ...]
    """The story's photos in the row, by index."""
    widths: tuple[float, ...]
    """Each photo's width (px)."""
    height: float
    """The height the row was measured at (px); the plan scales it."""


@dataclass(frozen=True)
class Shape:
    """One way to set a block, as measured (lengths in CSS px)."""

    block: str
    """The block's id (the first story's, for a brief)."""
    treatment: str
    """See the module's docstring."""
    columns: int
    """Body columns."""
    margin: float
    """Space above the block, dropped at the top of a page."""
    fixed: float
    """Height of what comes before the body, less the photo rows' heights."""
    flow: Flow
    """The body's pieces, from 0 at the body's top."""
    rows: tuple[Row, ...] = ()
    """Photo rows over the body (feature, group)."""
    side: tuple[int, float, float] | None = None
    """A photo at the top of the first column: (index, width px, height measured px)."""
    inline: tuple[tuple[int, float, float], ...] = ()
    """Photos inside the columns, in the flow: (index, width px, height measured px) each."""
    quote: bool = False
    """Whether the body carries the story's pull quote."""
    whole: bool = False
    """Whether the block never breaks (a call-out)."""
    members: tuple[str, ...] = ()
    """The stories a brief holds, in order."""
    lead: bool = False
    """Whether it leads the issue: the lead's larger headline."""
    headline: int = 0
    """The headline's size: a step of the layout's ladder from its default (compose.copyfit)."""


@dataclass(frozen=True)
class PhotoSize:
    """A photo as the plan places it."""

    width_mm: float
    """Printed width (mm)."""
    height_mm: float
    """Printed height (mm)."""
    aspect: float
    """Width over height of the part shown."""
    kept: float
    """The share of the photo's area shown (1: uncropped)."""
    position: str = "50% 50%"
    """Where the part shown lies in the photo, as CSS ``object-position``."""


@dataclass(frozen=True)
class Choice:
    """What the plan chose for one block."""

    block: str
    """The id of the block (the first story, for a brief)."""
    treatment: str
    """See the module's docstring."""
    columns: int
    """Body columns (0: no body, in a measuring layout)."""
    quote: bool = False
    """Whether the pull quote is set."""
    photos: tuple[PhotoSize, ...] = ()
    """The story's photos, in the order of the manifest."""
    rows: tuple[tuple[int, ...], ...] = ()
    """The photos over the body, row by row, by index (feature, group)."""
    side: int | None = None
    """The photo in the first column (side)."""
    inline: tuple[int, ...] = ()
    """The photos set inside the columns, along the text, by index (inline)."""
    members: tuple[str, ...] = ()
    """The stories a brief holds (the first is this block)."""
    lead: bool = False
    """Whether this is the issue's lead story (larger headline)."""
    head: bool = True
    """Whether the kicker and headline are set (left out in a measuring layout)."""
    headline: int = 0
    """The headline's size: a step of the layout's ladder from its default (compose.copyfit)."""


@dataclass(frozen=True)
class Hole:
    """Room the plan leaves empty inside the type area."""

    page: int
    """The page, counted from 1."""
    height_mm: float
    """Its height across the text width (mm)."""
    after: str
    """The id of the block before it."""
    closing: bool = False
    """Whether it is the room left above the closing block, on the last page."""


@dataclass(frozen=True)
class Closing:
    """How the closing block fills the room left on the last page: it grows into a back page.

    First the back photo grows (less cropped, within its limits); the room
    still left goes to the back panel, which reaches the page foot.
    """

    photo_mm: float = 0.0
    """The back photo's height (0: the layout's own)."""
    panel_mm: float = 0.0
    """The back panel's height, to the page foot (0: its content's)."""
    grown_mm: float = 0.0
    """How much taller than its content the back panel is (mm)."""


@dataclass(frozen=True)
class Layout:
    """The choices of a plan, as the layout templates need them."""

    choices: dict[str, Choice] = field(default_factory=dict)
    """By block id; the members of a brief after the first are left out."""
    closing: Closing = field(default_factory=Closing)
    """How the closing block grows into the room left on the last page."""
