"""Golden files: the sample's HTML, the archive site's pages, feed and index, as last approved.

Each output is compared with its file under ``tests/golden/``. A change to
the templates or to what they are given shows there as a diff to review;
once it is intended, ``make golden`` writes the files again from this run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from bulletin.site.build import SiteResult
from conftest import REPO, SAMPLE, SAMPLE_MONTH

GOLDEN = REPO / "tests" / "golden"
SITE_FILES = (
    "feed.xml",
    "index.json",
    "index.html",
    "2021/05/index.html",
    "2021/05/index.ru.html",
    "2021/06/index.html",
    "search.html",
    "search.ru.html",
    "sitemap.xml",
)

Golden = Callable[[str, str], None]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Return a check of a text against its golden file (or, with --update-golden, a writer)."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"tests/golden/{name} is missing: run make golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"{name} differs from tests/golden/{name}: if the change is meant, "
            "run make golden and review the diff"
        )

    return check


def _portable(html: str) -> str:
    """Return ``html`` with the sample's location (photo URLs) written as ``file:///SAMPLE``."""
    return html.replace(SAMPLE.as_uri(), "file:///SAMPLE")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_samples_html(golden: Golden, language: str) -> None:
    loaded = load_issue(SAMPLE, SAMPLE_MONTH, language=language)
    golden(f"issue-{SAMPLE_MONTH}.{language}.html", _portable(render_html(loaded)))


def test_the_samples_html_for_print(golden: Golden) -> None:
    loaded = load_issue(SAMPLE, SAMPLE_MONTH)
    golden(f"issue-{SAMPLE_MONTH}.print.html", _portable(render_html(loaded, edition="print")))


@pytest.mark.parametrize("name", SITE_FILES)
def test_the_archive_site(golden: Golden, archive_site: SiteResult, name: str) -> None:
    site = archive_site.index.parent
    golden(f"site/{name}", (site / name).read_text(encoding="utf-8"))
