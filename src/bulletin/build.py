"""Build an issue: load, check, lay out and typeset everything, then write."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bulletin.errors import BulletinError
from bulletin.fit import fit_photos
from bulletin.images import check_photos, normalise_photos
from bulletin.layout import layout_folder, render_html
from bulletin.manifest import LoadedIssue, issue_languages, load_issue
from bulletin.output import write_output
from bulletin.pdf import RenderedPdf, render_pdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: one edition in one language."""

    edition: str
    """``email`` (the file people get by email; print and archive come later)."""
    language: str
    """The language of the edition ("en", "ru")."""
    path: Path
    """The PDF written."""
    page_count: int
    """Its number of pages."""
    size: int
    """Its size in bytes."""


def build_issue(
    root: Path, month: str, out: Path, *, language: str | None = None
) -> list[BuildResult]:
    """Typeset the issue of ``month`` under ``root`` into ``out``; return what was written.

    Every language the issue has is built (or only ``language``), all of them
    laid out before the first file is written.
    """
    source = load_issue(root, month)
    photos = check_photos(source)
    main = source.publication.language
    languages = [language] if language else [main, *issue_languages(root, month)]
    rendered = []
    with tempfile.TemporaryDirectory(prefix="bulletin-") as scratch:
        images = normalise_photos(photos, Path(scratch))
        for edition_language in dict.fromkeys(languages):
            loaded = (
                source
                if edition_language == main
                else load_issue(root, month, language=edition_language)
            )
            pdf = typeset_issue(loaded, images=images, scratch=Path(scratch))
            _check_budget(loaded, pdf.page_count)
            suffix = "" if edition_language == main else f"-{edition_language}"
            target = out / month / f"{loaded.publication.slug}-{month}{suffix}.pdf"
            rendered.append((edition_language, target, pdf))
    results = []
    for edition_language, target, pdf in rendered:
        write_output(target, pdf.data)
        log.info("wrote %s (%d pages)", target, pdf.page_count)
        results.append(
            BuildResult("email", edition_language, target, pdf.page_count, len(pdf.data))
        )
    return results


def typeset_issue(
    loaded: LoadedIssue,
    *,
    write: bool = True,
    images: Mapping[Path, Path] | None = None,
    scratch: Path | None = None,
) -> RenderedPdf:
    """Return the issue laid out as printed: photos sized by a trial layout, then typeset.

    With ``write`` false the final layout is not drawn, and ``data`` is empty.
    ``images`` places prepared copies of photos, found in the folder ``scratch``.
    """
    root = loaded.root
    layout_dir = layout_folder(loaded)
    typeset = partial(
        render_pdf,
        base_dir=layout_dir,
        folders=[loaded.issue_dir, layout_dir, root / "issues", *([scratch] if scratch else [])],
        fonts_dir=root / "fonts",
        source=loaded.problem((), "").file,
        write=write,
    )
    # A trial layout measures the stories; the final one sizes photos to fit.
    trial = typeset(render_html(loaded, images=images), write=False)
    fit = fit_photos(trial.document)
    rendered = typeset(render_html(loaded, images=images, fit=fit))
    if rendered.page_count > fit.pages and fit.closing_space_mm:
        # The engine paginated a line longer than the simulation: give up the
        # closing space rather than push the contacts onto a page of their own.
        fit = replace(fit, closing_space_mm=0)
        rendered = typeset(render_html(loaded, images=images, fit=fit))
    return rendered


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
