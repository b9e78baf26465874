"""Checks 2, pages: the issue keeps to its page budget and leaves no page nearly empty."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bulletin.errors import Problem
from bulletin.preflight.layout import PageScan
from bulletin.preflight.report import Finding
from bulletin.preflight.source import IssueText

# A page whose lines and photos cover less than this share of its height is
# nearly empty. Full pages of the sample cover 74-86 %, its last page 54 %.
NEARLY_EMPTY = 0.25


def check_budget(issue: IssueText, scans: Sequence[PageScan]) -> Iterator[Finding]:
    """Return a finding if the issue takes more pages than its budget, naming what spills."""
    budget = issue.loaded.publication.page_budget
    if len(scans) <= budget:
        return
    beyond: list[str] = []
    for scan in scans[budget:]:
        beyond.extend(s for s in scan.stories if s not in beyond)
    names = [f'"{issue.headings[issue.index[s]].title}"' for s in beyond]
    if any(scan.contacts for scan in scans[budget:]):
        names.append("the contacts")
    pages = f"page {budget + 1}" if len(scans) == budget + 1 else f"pages {budget + 1}-{len(scans)}"
    message = (
        f"the issue takes {len(scans)} pages but the budget is {budget}: {_join(names)} "
        f"{'runs' if len(names) == 1 else 'run'} onto {pages} — shorten stories, or raise "
        "page_budget"
    )
    problem = issue.loaded.problem(("page_budget",), message, publication=True)
    yield Finding("error", "pages", None, problem)


def _join(names: Sequence[str]) -> str:
    if len(names) < 2:
        return "".join(names) or "nothing"
    return ", ".join(names[:-1]) + " and " + names[-1]


def check_fill(issue: IssueText, pages: Sequence[PageScan]) -> Iterator[Finding]:
    """Return a warning for each page, but the last, left nearly empty."""
    file = issue.loaded.problem((), "").file
    for scan in pages:
        top, height = scan.box.content_box_y(), scan.box.height
        used = _covered(scan.spans, top, top + height) / height
        if used == 0:
            message = f"page {scan.number} is blank — remove what forces the break before it"
        elif used < NEARLY_EMPTY:
            held = [f'"{issue.headings[issue.index[s]].title}"' for s in scan.stories]
            if scan.front:
                held.insert(0, "the masthead and contents")
            if scan.contacts:
                held.append("the contacts")
            message = (
                f"page {scan.number} is nearly empty: text and photos fill {used:.0%} of it "
                f"(it holds {_join(held)}) — shorten or lengthen the stories around it"
            )
        else:
            continue
        yield Finding("warning", "pages", None, Problem(file, None, None, "", message))


def _covered(spans: Sequence[tuple[float, float]], top: float, bottom: float) -> float:
    """Return how much of [top, bottom] the ``spans`` cover together."""
    total, reach = 0.0, top
    for start, end in sorted(spans):
        start, end = max(start, reach), min(end, bottom)
        if end > start:
            total += end - start
            reach = end
    return total
