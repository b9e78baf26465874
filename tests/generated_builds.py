"""Generated issues shared by the tests of one run: each written, built and planned at most once.

Registered as a plugin by ``tests/conftest.py``. Several tests read the same seeded issues
(tests/generated.py), their email editions and their plans; building one takes seconds, so each
is built once a test process, and planned once, every language together. Parameters made by
:func:`seed_param` carry an ``xdist_group`` of their seed: with ``--dist loadgroup`` (``make
test``), every test of a seed runs in the process that builds it, and the builds are not made
twice. The email build and the plans of a seed share its measures (compose.Measures, a cache of
the measuring layouts by what they were made of, as ``bulletin watch`` keeps it): whichever comes
first measures the issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin.build import BuildResult, Session, build_issue, issue_typesetter
from bulletin.compose import Measures, Plan, Text, plan_issue
from bulletin.manifest.load import issue_languages, load_issue
from bulletin.photos.check import check_photos
from generated import GeneratedIssue, make_issue


class GeneratedBuilds:
    """The generated issues of a test process, by seed: read them, never change them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._issues: dict[int, GeneratedIssue] = {}
        self._email: dict[int, dict[str, BuildResult]] = {}
        self._plans: dict[int, dict[str, Plan]] = {}
        self._sessions: dict[int, Session] = {}

    def issue(self, seed: int) -> GeneratedIssue:
        """Return the project of ``seed`` as ``make_issue`` writes it, writing it the first time."""
        if seed not in self._issues:
            self._issues[seed] = make_issue(seed, self.folder / str(seed))
        return self._issues[seed]

    def email(self, seed: int) -> dict[str, BuildResult]:
        """Return the email edition of ``seed`` by language, building it the first time."""
        if seed not in self._email:
            issue = self.issue(seed)
            out = issue.root / "out"
            results = build_issue(
                issue.root, issue.month, out, edition="email", session=self._session(seed)
            )
            self._email[seed] = {result.language: result for result in results}
        return self._email[seed]

    def plan(self, seed: int, language: str) -> Plan:
        """Return the plan of ``seed`` in ``language``, as ``typeset_issue(write=False)`` makes it.

        Every language is planned, and laid out, the first time (see :func:`plan_languages`).
        """
        if seed not in self._plans:
            issue = self.issue(seed)
            measures = self._session(seed).measures
            self._plans[seed] = plan_languages(issue.root, issue.month, measures)
        return self._plans[seed][language]

    def _session(self, seed: int) -> Session:
        """Return what the builds of ``seed`` share: its measures, nothing else."""
        return self._sessions.setdefault(seed, Session())


def plan_languages(
    root: Path, month: str, measures: dict[tuple[str, str], Measures] | None = None
) -> dict[str, Plan]:
    """Return the plan of every language of the issue of ``month``, all laid out, by language.

    One ``plan_issue`` for them all: each plan is the one ``typeset_issue(write=False)`` makes
    for its language, where every language has a say in the crops and only its own is laid out
    (tests/compose/test_plan.py: a language not laid out has its say, and the same plan).
    ``measures`` (by month and language, as ``build.Session`` keeps them) are used and kept.
    """
    languages = [load_issue(root, month)]
    languages += [load_issue(root, month, language=each) for each in issue_languages(root, month)]
    kept = measures if measures is not None else {}
    texts = [
        Text(each, measures=kept.setdefault((month, each.language), Measures()))
        for each in languages
    ]
    return plan_issue(texts, issue_typesetter(languages[0]), check_photos(languages[0]))


def seed_param(seed: int, *values: object) -> Any:
    """Return the parameters ``(seed, *values)`` of a test, run in the process of ``seed``."""
    name = "-".join(str(value) for value in (seed, *values))
    return pytest.param(seed, *values, id=name, marks=pytest.mark.xdist_group(f"seed-{seed}"))


@pytest.fixture(scope="session")
def generated_builds(tmp_path_factory: pytest.TempPathFactory) -> GeneratedBuilds:
    """Return the generated issues of this test process, each written and built once."""
    return GeneratedBuilds(tmp_path_factory.mktemp("generated"))
