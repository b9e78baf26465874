"""The preflight report for people (grouped by story, with a summary) or as JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from bulletin.preflight.photos import PRINT_PPI
from bulletin.preflight.report import Finding, Report, StoryHeading


def format_report(report: Report, *, as_json: bool = False) -> str:
    """Return ``report`` for people (grouped by story), or as a JSON list of findings."""
    if as_json:
        return json.dumps([f.as_dict() for f in report.findings], indent=2, ensure_ascii=False)
    lines = [_title(report)]
    groups: dict[str | None, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.story, []).append(finding)
    headings = {story.id: story for story in report.stories}
    for story, findings in groups.items():
        lines.append("")
        lines.append(_group_heading(headings.get(story) if story else None, findings))
        lines.extend(f"  {finding}" for finding in findings)
    lines.append("")
    lines.extend(_summary(report))
    return "\n".join(lines)


def _title(report: Report) -> str:
    if report.depth == "validation" and not report.stories:
        return f"Preflight of {report.manifest}: the manifests must be valid first."
    if report.pages is None:
        return f"Preflight of {report.manifest}: {_count(len(report.stories), 'story')}"
    return (
        f"Preflight of {report.manifest}: {_count(report.pages, 'page')} "
        f"(budget {report.page_budget}), {_count(len(report.stories), 'story')}"
    )


def _group_heading(story: StoryHeading | None, findings: Sequence[Finding]) -> str:
    if story is None:
        publication = all(
            re.search(r"publication(\.[\w-]+)?\.yaml$", f.problem.file) for f in findings
        )
        return "Publication (masthead and contacts)" if publication else "Whole issue"
    label = "Story" if story.kind == "story" else "Call-out"
    line = f", line {story.line}" if story.line else ""
    return f"{label} {story.number}: “{story.title}” ({story.id}{line})"


def _summary(report: Report) -> list[str]:
    if report.depth == "validation":
        if report.errors:
            return [f"{_count(report.errors, 'error')}: fix the manifests, then check again."]
        return [
            "The manifests are valid and every photo can be read.",
            "This was validation only: run without --quick to lay the issue out and preflight it.",
        ]
    if not report.findings:
        checked = (
            "every character has a glyph, and the text and links look clean"
            if report.depth == "manifests"
            else "every character has a glyph, the issue keeps to its page budget, nothing "
            f"runs out of its column, every photo prints at {PRINT_PPI} ppi or more, no page "
            "leaves a hole, and the text and links look clean"
        )
        return [f"No problems found: {checked}."]
    counts = f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}"
    if report.errors:
        return [
            f"{counts}: not ready for print. Each error would show in print: fix it first.",
            "Each line gives the file, line and column to edit.",
        ]
    return [
        f"{counts}: the issue may go to print, but each warning is worth a look",
        "(--strict fails on warnings too). Each line gives the file, line and column to edit.",
    ]


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"
