"""Check an issue without laying it out: its manifests, then its photos.

Nothing here imports the layout engine, so a check answers at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin.images import PhotoInfo, check_photos
from bulletin.manifest import LoadedIssue, load_issue


@dataclass(frozen=True)
class CheckResult:
    """What a clean check found."""

    loaded: LoadedIssue
    """The validated manifests."""
    photos: dict[Path, PhotoInfo]
    """Every photo of the issue, decoded once."""


def check_issue(root: Path, month: str) -> CheckResult:
    """Return the issue of ``month`` under ``root``: raise one error listing every problem."""
    loaded = load_issue(root, month)
    return CheckResult(loaded, check_photos(loaded))
