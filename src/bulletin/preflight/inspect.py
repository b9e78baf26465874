"""Preflight an issue: find what would embarrass us in print before anyone sees the PDF.

After validation, the manifests are read for what no schema catches (characters
the fonts lack, typing slips, malformed links), then the issue is laid out as the
build lays it out and the layout is inspected (pages, overflow, photo resolution,
and its composition: holes, crops, photos away from their text).
Preflight reports; it never rewrites the author's text.

An *error* would show in print: an empty box for a missing glyph, text running
out of its column, a blurred photo, a page beyond the budget. A *warning* is
worth a look before printing: typography, a nearly empty page, an http link.
"""

from __future__ import annotations

from pathlib import Path

from bulletin.errors import BulletinError
from bulletin.manifest.load import LoadedIssue, load_issue
from bulletin.photos.check import PhotoInfo, check_photos, photo_unusable
from bulletin.preflight.composition import check_crops, check_holes, check_photo_pages
from bulletin.preflight.glyphs import check_glyphs, cross_check_glyphs
from bulletin.preflight.layout import LayoutScan, draw
from bulletin.preflight.links import check_links
from bulletin.preflight.overflow import report_overflows
from bulletin.preflight.pages import check_budget, check_fill
from bulletin.preflight.photos import check_resolution
from bulletin.preflight.report import Depth, Finding, Report, findings_of
from bulletin.preflight.source import IssueText
from bulletin.preflight.text import check_text


def inspect_issue(
    root: Path, month: str, *, depth: Depth = "layout", language: str | None = None
) -> Report:
    """Return the preflight report of the issue of ``month`` under ``root``.

    With ``language``, inspect that language edition: its text is checked
    where its translation file has it. Problems in the input are findings,
    never exceptions: a manifest that does not validate gives a report of its
    validation errors.
    """
    manifest = f"issues/{month}/issue{f'.{language}' if language else ''}.yaml"
    try:
        loaded = load_issue(root, month, language=language, photos=photo_unusable)
        photos = check_photos(loaded)
    except BulletinError as error:
        return Report(month, manifest, "validation", findings_of(error, "validation"))
    if language is None:
        manifest = loaded.problem((), "").file
    issue = IssueText(loaded)
    budget = loaded.publication.page_budget
    if depth == "validation":
        return Report(month, manifest, depth, (), issue.headings, None, budget)
    findings, missing = _inspect_manifests(issue)
    pages = None
    if depth == "layout":
        try:
            layout_findings, pages = _inspect_layout(issue, photos, missing)
        except BulletinError as error:
            layout_findings = list(findings_of(error, "render"))
        findings.extend(layout_findings)
    return Report(month, manifest, depth, issue.ordered(findings), issue.headings, pages, budget)


def inspect_manifests(loaded: LoadedIssue) -> tuple[Finding, ...]:
    """Return what the checks that need no layout find: glyphs, text and links.

    These are the quick checks ``bulletin build`` runs before laying out.
    """
    issue = IssueText(loaded)
    return issue.ordered(_inspect_manifests(issue)[0])


def _inspect_manifests(issue: IssueText) -> tuple[list[Finding], set[str]]:
    findings, missing = check_glyphs(issue)
    findings.extend([*check_text(issue), *check_links(issue)])
    return findings, missing


def _inspect_layout(
    issue: IssueText, photos: dict[Path, PhotoInfo], missing: set[str]
) -> tuple[list[Finding], int]:
    """Lay the issue out as the build does; return what its layout shows, and its pages.

    ``missing`` are the characters the font check already reported.
    """
    from bulletin.build import typeset_issue

    plan = typeset_issue(issue.loaded, write=False)
    document = plan.laid_out.document
    layout = LayoutScan(issue, document)
    findings = [
        *check_budget(issue, layout.pages),
        *check_fill(issue, layout.pages),
        *report_overflows(issue, layout.overflows),
        *check_resolution(issue, photos, layout.images),
        *cross_check_glyphs(issue, draw(issue, document), missing),
        *check_holes(issue, plan),
        *check_crops(issue, document),
        *check_photo_pages(issue, document),
    ]
    return findings, len(layout.pages)
