"""Check the pages' composition: holes the plan leaves, crops past their limit, photos astray.

Holes are the plan's own: the room it leaves empty at a page's foot when the
next story does not fit there, and the room the back panel grows into on the last page,
measured across the type area (the laid-out document is not drawn, so its
pixels are not measured here; ``bulletin.preflight.whitespace`` measures them
from a written PDF).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bulletin.compose.crops import MIN_KEPT
from bulletin.compose.plan import Plan
from bulletin.compose.shapes import PX_PER_MM
from bulletin.engine.tree import children, class_names, images, is_line, page_boxes
from bulletin.html import contract
from bulletin.model.issue import Story
from bulletin.photos.placement import measure_placements
from bulletin.preflight.report import Finding
from bulletin.preflight.source import IssueText
from bulletin.preflight.whitespace import LARGEST_EMPTY_CM2

LINE_MM = 13.2 * 25.4 / 72
"""The height of a line of body text (13.2 pt leading), in mm."""
KEPT_ROUNDING = 1e-4
"""How far the engine's rounding of a frame to its pixels moves the share of a photo shown."""


def check_holes(issue: IssueText, plan: Plan) -> Iterator[Finding]:
    """Yield a finding for each hole the plan leaves: where, how large, after what, what to do."""
    pages = page_boxes(plan.laid_out.document)
    # Over the page budget, the stories must be shortened (the budget check says
    # so): room left on the last page is no reason to lengthen them.
    over_budget = len(pages) > issue.loaded.publication.page_budget
    for hole in plan.holes:
        if hole.after not in issue.index or not pages or (hole.closing and over_budget):
            continue
        width_mm = pages[min(hole.page, len(pages)) - 1].width / PX_PER_MM
        area = hole.height_mm * width_mm / 100
        if area <= LARGEST_EMPTY_CM2:
            continue
        title = issue.headings[issue.index[hole.after]].title
        lines = max(1, round(hole.height_mm / LINE_MM))
        if hole.closing:
            message = (
                f"page {hole.page}: the back panel grows {hole.height_mm:.0f} mm "
                f'({area:.0f} cm²) to fill the page after "{title}" — the issue\'s own '
                f"content fills it better: lengthen the stories by about {lines} lines a "
                "column, or add a photo, a pull quote or a short story"
            )
        else:
            position = issue.index[hole.after] + 1
            following = (
                f'"{issue.headings[position].title}"'
                if position < len(issue.headings)
                else "the next block"
            )
            message = (
                f"page {hole.page}: a hole {hole.height_mm:.0f} mm tall across the page "
                f'({area:.0f} cm²) at its foot, after "{title}": {following} does not fit '
                f'there and starts on page {hole.page + 1} — lengthen "{title}" by about '
                f"{lines} lines a column, or give it a photo or a pull quote"
            )
        problem = issue.problem(issue.story_loc(hole.after), message)
        yield Finding("warning", "composition", hole.after, problem)


def check_crops(issue: IssueText, document: Any) -> Iterator[Finding]:
    """Yield a finding for each photo the layout crops to less than MIN_KEPT of its area."""
    photos = _photos(issue)
    sources = {path.as_uri(): path for path in photos}
    for placement in measure_placements(document, sources):
        left, top, right, bottom = placement.crop
        kept = (right - left) * (bottom - top)
        if kept >= MIN_KEPT - KEPT_ROUNDING:
            continue
        story, number = photos[placement.source]
        shown = _shown(issue, placement.source)
        message = (
            f'photo "{shown}" shows only {kept:.0%} of itself on page {placement.page + 1}: '
            f"a crop keeps at least {MIN_KEPT:.0%} — give the story a photo closer to the "
            "shape of its frame, or another photo"
        )
        loc = (*issue.story_loc(story), "photos", number, "file")
        yield Finding("warning", "composition", story, issue.problem(loc, message))


def check_photo_pages(issue: IssueText, document: Any) -> Iterator[Finding]:
    """Yield a finding for each photo set on a page that holds no line of its story's text."""
    photos = _photos(issue)
    by_uri = {path.as_uri(): value for path, value in photos.items()}
    text: dict[str, set[int]] = {}
    placed: dict[tuple[str, int], int] = {}
    for number, page in enumerate(page_boxes(document), start=1):
        for box, story in _blocks(page):
            if _has_text(box):
                text.setdefault(story, set()).add(number)
            for image in images(box):
                found = by_uri.get(image.element.get("src", ""))
                if found is not None:
                    placed.setdefault(found, number)
    for (story, index), page in sorted(placed.items()):
        pages = text.get(story, set())
        if not pages or page in pages or story not in issue.index:
            continue
        title = issue.headings[issue.index[story]].title
        shown = sorted(pages)
        where = f"page {shown[0]}" if len(shown) == 1 else f"pages {shown[0]}-{shown[-1]}"
        message = (
            f'photo {index + 1} of "{title}" is on page {page}, away from its text ({where}): '
            "the story's photos are taller together than a page takes — give the story "
            "fewer photos, so that they and its first lines share a page"
        )
        loc = (*issue.story_loc(story), "photos", index, "file")
        yield Finding("warning", "composition", story, issue.problem(loc, message))


def _has_text(box: Any) -> bool:
    """Return whether ``box`` holds a line of a story's text: its body, not a photo's credit."""
    if class_names(box) & {contract.PHOTO}:
        return False
    if class_names(box) & {contract.BODY}:
        return any(_lines_outside_photos(box))
    return any(_has_text(child) for child in children(box))


def _lines_outside_photos(box: Any) -> Iterator[Any]:
    """Yield the lines inside ``box`` that are not in a photo's caption or credit."""
    for child in children(box):
        if class_names(child) & {contract.PHOTO}:
            continue
        if is_line(child):
            yield child
        else:
            yield from _lines_outside_photos(child)


def _shown(issue: IssueText, path: Path) -> str:
    """Return ``path`` as the manifest's reader knows it: relative to the issue's folder."""
    try:
        return path.relative_to(issue.loaded.issue_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _photos(issue: IssueText) -> dict[Path, tuple[str, int]]:
    """Return each photo of the issue's stories: its story and its place among its photos."""
    return {
        Path(photo.file).resolve(): (block.id, number)
        for block in issue.loaded.issue.stories
        if isinstance(block, Story)
        for number, photo in enumerate(block.photos)
    }


def _blocks(box: Any) -> Iterator[tuple[Any, str]]:
    """Yield each story or call-out block inside ``box``, with its id."""
    for child in children(box):
        if class_names(child) & contract.BLOCK_CLASSES:
            yield child, str(child.element.get("id"))
        else:
            yield from _blocks(child)
