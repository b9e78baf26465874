"""The layout contract: what bulletin's code relies on in the HTML a layout makes, written once.

A layout (``layouts/<name>/``) is free in everything but this. The fit
measures the blocks by these classes, preflight maps what it finds on the
page back to the manifest fields by them, and the build hides or moves
some of them for its measuring layouts. The entry template of the standard
layout repeats the contract in its opening comment; :func:`check_html`
refuses a layout that breaks it, naming the file and what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from bulletin.errors import BulletinError

# Blocks: each story and call-out of the issue is one element, whose id is
# the block's id in issue.yaml.
STORY = "story"
"""A story: headline, lead photo and body."""
STATS = "stats"
"""A call-out of figures."""
BRIEF_ITEM = "brief-item"
"""A short story set in a brief with other short stories: one block of the issue each."""
BLOCK_CLASSES = frozenset({STORY, STATS, BRIEF_ITEM})

MAIN_TAG = "main"
"""The element the stories and call-outs are laid out in, after the front matter."""
MASTHEAD = "masthead"
"""The masthead on page 1 (it may bleed to the page edges)."""
CONTENTS = "contents"
"""The contents list on page 1."""
CONTACTS = "contacts"
"""The contacts block that closes the issue, after the stories."""
BACK_PHOTO = "back-photo"
"""The closing block's photo (optional): the plan sets its height as the room allows."""
BACK_PANEL = "back-panel"
"""The part of the closing block that grows to the page foot when room is left (the back page)."""

# Inside a story.
STORY_HEAD = "story-head"
"""The story's head: kicker, headline and standfirst."""
PHOTO_ROWS = "photo-rows"
"""The photos set over a story's columns (its treatment: feature or group)."""
SIDE_PHOTO = "side"
"""The photo set at the top of a story's first column (its treatment: side)."""
PULL_QUOTE = "pull-quote"
"""A story's pull quote, set inside its columns."""
BODY = "body"
"""The story's text, set in columns."""
PHOTO = "photo"
"""A figure of one photo (the lead, then the others, in manifest order)."""
HEADLINE = "headline"
"""A story's headline (in its head)."""
HEADLINE_STEPS = {-2: "headline-down-2", -1: "headline-down-1", 1: "headline-up-1"}
"""The headline's sizes other than the default, by step from it: the layout's copyfitting ladder.

The composer measures a story's head at every step and sets its headline
at the one whose last line leaves the least blank beside it (see
bulletin.compose.copyfit); a layout without these classes sets every step
alike, and the default is kept.
"""

# Inside a call-out.
FIGURES = "figures"
"""A row of a call-out's figures."""
FIGURE = "figure"
"""One figure of a call-out: its value and label, in one cell of its row."""
FIGURE_VALUE = "figure-value"
"""A figure's value, printed large: the composer sets the figures in more rows where one
runs past its cell."""

FIELD_CLASSES = {
    "kicker": "kicker",
    "headline": "title",
    "standfirst": "standfirst",
    BODY: "body",
    "stats-intro": "intro",
    "figures": "figures",
}
"""The class of each element that prints a manifest field, and that field."""

TEXT_FAMILY = "Noto Serif"
"""The font family of story text and call-out intros (preflight checks their glyphs in it)."""
DISPLAY_FAMILY = "Noto Sans"
"""The font family of everything else: headlines, kickers, labels, the masthead."""

REQUIRED_CLASSES = (MASTHEAD, CONTENTS, CONTACTS)
"""The classes every layout of an issue has, once each."""


class _Found(HTMLParser):
    """The tags, classes and block ids of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.classes: set[str] = set()
        self.blocks: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        self.classes |= classes
        if classes & BLOCK_CLASSES and values.get("id"):
            self.blocks.add(str(values["id"]))


def check_html(html: str, template: Path | str, blocks: Iterable[str]) -> None:
    """Raise :class:`BulletinError` naming ``template`` if ``html`` breaks the layout contract.

    ``blocks`` are the ids of the stories and call-outs the HTML must hold.
    """
    found = _Found()
    found.feed(html)
    found.close()
    missing = []
    if MAIN_TAG not in found.tags:
        missing.append(f"<{MAIN_TAG}> (where the stories go)")
    missing += [f'class "{name}"' for name in REQUIRED_CLASSES if name not in found.classes]
    absent = [block for block in blocks if block not in found.blocks]
    if absent:
        missing.append(
            f'an element of class "{STORY}" or "{STATS}" with the id {" / ".join(absent)}'
        )
    if missing:
        raise BulletinError.single(
            str(template),
            f"the layout lacks {_join(missing)}, which bulletin needs: see the layout "
            "contract in the opening comment of the standard layout's issue.html.j2",
        )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
