"""The preflight report as data: each finding, its severity, its check and its place."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from bulletin.errors import BulletinError, Problem

Severity = Literal["error", "warning"]
Depth = Literal["validation", "manifests", "layout"]
"""How far to check: validate only, also read the manifests, or also lay the issue out."""
CHECKS = ("glyphs", "pages", "overflow", "photos", "composition", "text", "links")


@dataclass(frozen=True)
class Finding:
    """One thing preflight found, where it is, and how bad it is."""

    severity: Severity
    """``error``: it would show in print; ``warning``: worth a look."""
    check: str
    """The check that found it: one of :data:`CHECKS`, or ``validation`` or ``render``."""
    story: str | None
    """The id of the story or call-out it belongs to, or None for the whole issue."""
    problem: Problem
    """File, line, column, field and message."""

    def __str__(self) -> str:
        """Return the finding as ``file:line:col: severity: where: message``."""
        where = f"{self.severity}: {self.problem.where}" if self.problem.where else self.severity
        return str(replace(self.problem, where=where))

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as plain data, for JSON."""
        problem = self.problem
        return {
            "severity": self.severity,
            "check": self.check,
            "story": self.story,
            "file": problem.file,
            "line": problem.line,
            "column": problem.column,
            "where": problem.where,
            "message": problem.message,
        }


@dataclass(frozen=True)
class StoryHeading:
    """A story or call-out as the report names it."""

    id: str
    """The story's id."""
    number: int
    """Its place in the issue, from 1."""
    kind: str
    """``story`` or ``stats``."""
    title: str
    """Its headline."""
    line: int | None
    """Where it starts in issue.yaml."""


@dataclass(frozen=True)
class Report:
    """What preflight found in one issue."""

    month: str
    """The issue's month, YYYY-MM."""
    manifest: str
    """The issue's manifest, as the user knows it (``issues/2021-05/issue.yaml``)."""
    depth: Depth
    """How far the checks went (less than asked when validation failed)."""
    findings: tuple[Finding, ...]
    """Everything found, in reading order."""
    stories: tuple[StoryHeading, ...] = ()
    """The issue's stories, in reading order (empty when validation failed)."""
    pages: int | None = None
    """Pages the issue takes, when it was laid out."""
    page_budget: int | None = None
    """The most pages the publication allows."""

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return sum(1 for finding in self.findings if finding.severity == "warning")

    def passed(self, *, strict: bool = False) -> bool:
        """Return whether the issue may go to print: no errors (nor warnings, when strict)."""
        return not self.errors and not (strict and self.warnings)


def findings_of(error: BulletinError, check: str) -> tuple[Finding, ...]:
    """Return the problems of ``error`` as error findings of ``check``."""
    return tuple(Finding("error", check, None, problem) for problem in error.problems)
