"""Build an issue: load, check, lay out and typeset everything, then write."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import BulletinError
from bulletin.images import check_photos, normalise_photos
from bulletin.layout import layout_folder, render_html
from bulletin.manifest import LoadedIssue, load_issue
from bulletin.output import write_output
from bulletin.pdf import render_pdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    path: Path
    """The PDF written."""
    page_count: int
    """Its number of pages."""
    size: int
    """Its size in bytes."""


def build_issue(root: Path, month: str, out: Path) -> BuildResult:
    """Typeset the issue of ``month`` under ``root`` into ``out``; return what was written."""
    loaded = load_issue(root, month)
    photos = check_photos(loaded)
    with tempfile.TemporaryDirectory(prefix="bulletin-") as scratch:
        html = render_html(loaded, images=normalise_photos(photos, Path(scratch)))
        layout_dir = layout_folder(loaded)
        rendered = render_pdf(
            html,
            base_dir=layout_dir,
            folders=[loaded.issue_dir, layout_dir, root / "issues", Path(scratch)],
            fonts_dir=root / "fonts",
            source=loaded.problem((), "").file,
        )
    _check_budget(loaded, rendered.page_count)
    target = out / month / f"{loaded.publication.slug}-{month}.pdf"
    write_output(target, rendered.data)
    log.info("wrote %s (%d pages)", target, rendered.page_count)
    return BuildResult(target, rendered.page_count, len(rendered.data))


def _check_budget(loaded: LoadedIssue, page_count: int) -> None:
    budget = loaded.publication.page_budget
    if page_count > budget:
        raise BulletinError(
            [
                loaded.problem(
                    ("page_budget",),
                    f"the issue takes {page_count} pages but the budget is {budget}: shorten "
                    "stories, or raise page_budget",
                    publication=True,
                )
            ]
        )
