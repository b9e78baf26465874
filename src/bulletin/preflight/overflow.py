"""Check 3, overflow: no text runs out of its column or off the page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bulletin.manifest.messages import Loc
from bulletin.preflight.layout import PX_PER_MM, Overflow
from bulletin.preflight.links import LINK
from bulletin.preflight.report import Finding
from bulletin.preflight.source import Field, IssueText


def report_overflows(issue: IssueText, overflows: Sequence[Overflow]) -> Iterator[Finding]:
    """Return one finding per field and page: its worst overflow, quoting the text."""
    worst: dict[tuple[Loc, bool, int], Overflow] = {}
    texts: dict[tuple[Loc, bool, int], str] = {}
    for overflow in overflows:
        key = (overflow.place.loc, overflow.place.publication, overflow.page)
        if key not in worst or overflow.amount > worst[key].amount:
            worst[key] = overflow
        if overflow.text.strip() and key not in texts:
            texts[key] = overflow.text.strip()
    fields = {(f.loc, f.publication): f for f in issue.fields}
    for key, overflow in worst.items():
        place = overflow.place
        # Quote the whole word from the manifest: the engine may have broken it
        # after a slash, and the manifest says where it is.
        word, offset = _word_at(fields.get(key[:2]), texts.get(key, ""))
        edge = {"right": "right edge", "left": "left edge", "bottom": "foot"}[overflow.side]
        frame = "its column" if place.column and overflow.side != "bottom" else "the text area"
        if LINK.match(word):
            fix = "put the address behind link text: [text](https://…)"
        elif word:
            fix = "it cannot be broken across lines: shorten it, or add a space or a hyphen"
        else:
            fix = "make it narrower"
        if word:
            what = f'"{_excerpt(word)}"'
        else:
            what = "the photo" if place.loc[2:3] == ("photos",) else "a block"
        message = (
            f"on page {overflow.page}, {what} runs {overflow.amount / PX_PER_MM:.0f} mm past "
            f"the {edge} of {frame} — {fix}"
        )
        problem = issue.problem(place.loc, message, publication=place.publication, offset=offset)
        yield Finding("error", "overflow", place.story, problem)


def _word_at(item: Field | None, text: str) -> tuple[str, int | None]:
    """Return the word of ``item`` holding the start of ``text``, and its offset, if found."""
    if not text:
        return "", None
    probe = text.split()[0][:24]
    at = item.text.find(probe) if item else -1
    if item is None or at < 0:
        return text.split()[0], None
    start = at
    while start and not item.text[start - 1].isspace() and item.text[start - 1] not in "(<":
        start -= 1
    end = at
    while end < len(item.text) and not item.text[end].isspace() and item.text[end] not in ")>":
        end += 1
    return item.text[start:end], start


def _excerpt(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
