"""Generated issues shared by the tests of one run: each written, and built, at most once.

Registered as a plugin by ``tests/conftest.py``. Several tests read the same seeded issues
(tests/generated.py) and their email editions; building one takes seconds, so each is built
once a test process. Parameters made by :func:`seed_param` carry an ``xdist_group`` of their
seed: with ``--dist loadgroup`` (``make test``), every test of a seed runs in the process that
builds it, and the builds are not made twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin.build import BuildResult, build_issue
from generated import GeneratedIssue, make_issue


class GeneratedBuilds:
    """The generated issues of a test process, by seed: read them, never change them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._issues: dict[int, GeneratedIssue] = {}
        self._email: dict[int, dict[str, BuildResult]] = {}

    def issue(self, seed: int) -> GeneratedIssue:
        """Return the project of ``seed`` as ``make_issue`` writes it, writing it the first time."""
        if seed not in self._issues:
            self._issues[seed] = make_issue(seed, self.folder / str(seed))
        return self._issues[seed]

    def email(self, seed: int) -> dict[str, BuildResult]:
        """Return the email edition of ``seed`` by language, building it the first time."""
        if seed not in self._email:
            issue = self.issue(seed)
            results = build_issue(issue.root, issue.month, issue.root / "out", edition="email")
            self._email[seed] = {result.language: result for result in results}
        return self._email[seed]


def seed_param(seed: int, *values: object) -> Any:
    """Return the parameters ``(seed, *values)`` of a test, run in the process of ``seed``."""
    name = "-".join(str(value) for value in (seed, *values))
    return pytest.param(seed, *values, id=name, marks=pytest.mark.xdist_group(f"seed-{seed}"))


@pytest.fixture(scope="session")
def generated_builds(tmp_path_factory: pytest.TempPathFactory) -> GeneratedBuilds:
    """Return the generated issues of this test process, each written and built once."""
    return GeneratedBuilds(tmp_path_factory.mktemp("generated"))
