"""Shared fixtures: a copy of the sample project that the tests own, and copies of it to break.

The tests never read the live ``issues/`` folder, where a comms officer's draft month may lie
half written: they read the sample months that ship with bulletin (``SAMPLE_MONTHS``), copied
once per session with the publication's files, the layouts, the fonts and the schemas into a
temporary folder (``SAMPLE``). Nothing outside the repository is read either: what the tests
compare against, like the text of the original bulletin, is under ``tests/`` (``tests/reference/``).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from bulletin.build import BuildResult, build_issue
from bulletin.compose import Measures, Plan
from bulletin.site.build import SiteResult, build_site

# Fixtures of their own for the tests of sending (SMTP servers): tests/mail/mailtest.py; the
# generated issues, each built once a run: tests/generated_builds.py.
pytest_plugins = ("mail.mailtest", "generated_builds")

REPO = Path(__file__).resolve().parent.parent
"""The repository: bulletin's own files (``schema/``, ``tests/``). Never its ``issues/``."""
SAMPLE_MONTH = "2021-05"
SAMPLE_MONTHS = ("2021-05", "2021-06")
"""The issues that ship with bulletin as its sample; any other month in ``issues/`` is a user's."""
REFERENCE = REPO / "tests" / "reference" / "iom-central-asia-bulletin-2021-05.txt"
"""The text of the original May 2021 bulletin that the sample issue reproduces."""

# Hypothesis: in CI (CI=true, as .ci/run sets it) every run draws the same examples, so that
# a failure there fails again on any machine; the examples that failed are printed as a blob
# to replay with @reproduce_failure. Elsewhere examples stay random, to find new failures.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in {"1", "true"} else "dev")


@dataclass(frozen=True)
class SampleFacts:
    """What is known of the sample issue as bulletin typesets it: the facts tests check against."""

    month: str
    """Its month."""
    languages: tuple[str, ...]
    """Its languages, the publication's first."""
    pages: dict[str, int]
    """The pages it takes, by language (the Russian text is longer)."""
    page_budget: int
    """The most pages the publication allows."""
    stories: tuple[str, ...]
    """The ids of its stories and call-outs, in order."""
    photos: int
    """The photos its stories place."""
    start_pages: dict[str, int]
    """The page each story and call-out starts on in English, from 1 (as the contents list
    prints it)."""


SAMPLE_FACTS = SampleFacts(
    month=SAMPLE_MONTH,
    languages=("en", "ru"),
    pages={"en": 4, "ru": 4},
    page_budget=8,
    stories=(
        "almaty-process",
        "family-return-karakalpakstan",
        "migration-focal-points-retreat",
        "border-health-security",
        "tajikistan-migration-strategy",
        "national-dialogue-trafficking",
        "reintegration-survey",
    ),
    photos=6,
    start_pages={
        "almaty-process": 1,
        "family-return-karakalpakstan": 2,
        "migration-focal-points-retreat": 2,
        "border-health-security": 2,
        "tajikistan-migration-strategy": 3,
        "national-dialogue-trafficking": 4,
        "reintegration-survey": 4,
    },
)


@pytest.fixture(scope="session")
def sample_facts() -> SampleFacts:
    """Return the facts of the sample issue (pages, stories, photos, start pages)."""
    return SAMPLE_FACTS


def copy_sample(target: Path) -> Path:
    """Copy the sample project into ``target``: publication files, sample months, layouts, fonts."""
    issues = target / "issues"
    issues.mkdir(parents=True)
    for path in (REPO / "issues").iterdir():
        if path.is_file():  # publication.yaml, its translations, the logo
            shutil.copy2(path, issues / path.name)
    for month in SAMPLE_MONTHS:
        shutil.copytree(REPO / "issues" / month, issues / month)
    for name in ("layouts", "fonts", "schema"):
        shutil.copytree(REPO / name, target / name)
    return target


def _session_sample() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bulletin-sample-")).resolve()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return copy_sample(folder / "project")


SAMPLE = _session_sample()
"""The tests' own copy of the sample project, made once per session; tests read it only."""


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say in pytest's header where the sample was copied, and how Hypothesis draws examples."""
    seed = (
        "derandomized: each test's seed is derived from its name, the same on every run"
        if settings().derandomize
        else "random seeds: a failure prints the seed (--hypothesis-seed=N) to replay it"
    )
    return [f"sample project copied to {SAMPLE}", f"hypothesis examples: {seed}"]


@pytest.fixture(scope="session")
def sample_root() -> Path:
    """Return the tests' copy of the sample project (read only: copy it again to modify)."""
    return SAMPLE


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a private copy of the sample project (issues, layouts, fonts) to modify."""
    return copy_sample(tmp_path / "project")


@pytest.fixture
def may_latest(project: Path) -> Path:
    """Return a copy of the project whose latest issue is the sample, in English and Russian."""
    shutil.rmtree(project / "issues" / "2021-06")
    return project


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> list[BuildResult]:
    """Build the sample issue, every language and edition, once per session; return them."""
    out = tmp_path_factory.mktemp("out")
    return build_issue(SAMPLE, SAMPLE_MONTH, out)


@pytest.fixture(scope="session")
def sample_measures() -> dict[tuple[str, str], Measures]:
    """Return the sample's measures by month and language, shared by the plans of a session.

    A cache of the measuring layouts by what they were made of (as ``bulletin watch`` keeps
    it): read them, and add to them, never change one.
    """
    return {}


@pytest.fixture(scope="session")
def sample_plans(sample_measures: dict[tuple[str, str], Measures]) -> dict[str, Plan]:
    """Return the sample's plan in each language, as ``typeset_issue(write=False)`` makes it."""
    # Imported here: a plugin of this conftest (pytest_plugins), its asserts rewritten.
    from generated_builds import plan_languages

    return plan_languages(SAMPLE, SAMPLE_MONTH, sample_measures)


@pytest.fixture(scope="session")
def sample_build(sample_builds: list[BuildResult]) -> BuildResult:
    """Return the sample's email edition in its main language (English)."""
    return sample_builds[0]


@pytest.fixture(scope="session")
def sample_editions(sample_builds: list[BuildResult]) -> dict[str, BuildResult]:
    """Return the sample's editions in its main language, by edition name."""
    main = sample_builds[0].language
    return {result.edition: result for result in sample_builds if result.language == main}


SITE_URL = "https://bulletin.example.org/central-asia/"
"""The public address the tests' archive site is given."""


def publish(project: Path, month: str) -> None:
    """Mark the issue of ``month`` in ``project`` as published."""
    path = project / "issues" / month / "issue.yaml"
    text = path.read_text(encoding="utf-8")
    if "\npublished: true\n" in text:
        return
    if "\npublished: false\n" in text:
        text = text.replace("\npublished: false\n", "\npublished: true\n")
    else:
        text += "published: true\n"
    path.write_text(text, encoding="utf-8")


def set_site_url(project: Path, url: str = SITE_URL) -> None:
    """Give the publication of ``project`` its public address."""
    path = project / "issues" / "publication.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"site_url: {url}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the project with both issues published and the site's address set."""
    project = copy_sample(tmp_path_factory.mktemp("site-project"))
    publish(project, "2021-06")
    set_site_url(project)
    return project


@pytest.fixture(scope="session")
def archive_site(site_project: Path) -> SiteResult:
    """Build the archive site of every issue of ``site_project`` once per session."""
    return build_site(site_project, site_project / "out")


STORY_ID = re.compile(r'<article class="story[^"]*" id="([^"]+)"')


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


def published(out: Path) -> list[str]:
    """Return what a reader finds in ``out``, the month links followed, hidden caches left out."""
    names = []
    for entry in sorted(out.iterdir()):
        if entry.name.startswith("."):
            continue
        names.append(entry.name)
        if entry.is_dir():
            inside = sorted(path.relative_to(entry).as_posix() for path in entry.rglob("*"))
            names += [f"{entry.name}/{name}" for name in inside]
    return names


def litter(out: Path) -> list[str]:
    """Return what builds left in ``out`` that no reader needs: old sets, links, temporary files."""
    current = {entry.resolve() for entry in out.iterdir() if entry.is_symlink()}
    left = list(out.glob(".*.link")) + list(out.rglob(".*.tmp"))
    if (out / ".builds").is_dir():
        left += [
            path
            for path in (out / ".builds").iterdir()
            if path.suffix != ".lock" and path.resolve() not in current
        ]
    return sorted(path.relative_to(out).as_posix() for path in left)


# Session fixtures that build or plan the sample (seconds each), by the group their tests share:
# make test (--dist loadgroup) runs a group in one process, which builds them once, not once a
# process. A test in a group already (a generated issue's) keeps it.
SHARED_BUILDS = {
    "archive_site": "archive-site",
    "sample_builds": "sample",
    "sample_plans": "sample",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put each test that uses a build of ``SHARED_BUILDS`` in that build's group."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        names = getattr(item, "fixturenames", ())
        group = next((group for name, group in SHARED_BUILDS.items() if name in names), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``: write the golden files from this run (``make golden``)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write tests/golden/ from this run instead of comparing with it",
    )
