"""Fixtures of the authoring tests: a project whose latest issue is the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def may_latest(project: Path) -> Path:
    """Return a project whose latest issue is the sample, May 2021, in English and Russian."""
    shutil.rmtree(project / "issues" / "2021-06")
    return project
