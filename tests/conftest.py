"""Shared fixtures: the repository as a sample project, and copies of it to break."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bulletin.build import BuildResult, build_issue
from bulletin.site.build import SiteResult, build_site

REPO = Path(__file__).resolve().parent.parent
SAMPLE_MONTH = "2021-05"
REFERENCE = REPO / "tests" / "reference" / "iom-central-asia-bulletin-2021-05.txt"


@pytest.fixture(scope="session")
def repo() -> Path:
    """Return the repository root, which is itself a bulletin project."""
    return REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a private copy of the project (issues, layouts, fonts) to modify."""
    target = tmp_path / "project"
    for name in ("issues", "layouts", "fonts"):
        shutil.copytree(REPO / name, target / name)
    return target


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> list[BuildResult]:
    """Build the sample issue, every language and edition, once per session; return them."""
    out = tmp_path_factory.mktemp("out")
    return build_issue(REPO, SAMPLE_MONTH, out)


@pytest.fixture(scope="session")
def sample_build(sample_builds: list[BuildResult]) -> BuildResult:
    """Return the sample's email edition in its main language (English)."""
    return sample_builds[0]


@pytest.fixture(scope="session")
def sample_editions(sample_builds: list[BuildResult]) -> dict[str, BuildResult]:
    """Return the sample's editions in its main language, by edition name."""
    main = sample_builds[0].language
    return {result.edition: result for result in sample_builds if result.language == main}


@pytest.fixture(scope="session")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> SiteResult:
    """Build the archive site of every issue in the repository once per session."""
    return build_site(REPO, tmp_path_factory.mktemp("archive"))


STORY_ID = re.compile(r'<article class="story" id="([^"]+)"')


@contextmanager
def layouts_recorded() -> Iterator[list[list[str]]]:
    """Record each document laid out meanwhile, as the ids of the stories it holds."""
    from bulletin.pdf.typeset import Typesetter

    laid_out: list[list[str]] = []
    render_pdf = Typesetter.render_pdf

    def recording(self: Typesetter, html: str, **options: Any) -> Any:
        laid_out.append(STORY_ID.findall(html))
        return render_pdf(self, html, **options)

    Typesetter.render_pdf = recording  # type: ignore[method-assign]
    try:
        yield laid_out
    finally:
        Typesetter.render_pdf = render_pdf  # type: ignore[method-assign]


def shorten_issue(project: Path) -> None:
    """Cut the sample to its first story, so that a build takes a second, not four.

    The translations hold the stories cut: the issue is left in English only.
    """
    path = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    text = path.read_text()
    path.write_text(text.split("\n  - id: family-return-karakalpakstan")[0].rstrip() + "\n")
    for translation in path.parent.glob("issue.*.yaml"):
        translation.unlink()
