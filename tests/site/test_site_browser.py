"""The archive site in a real browser: Debian's Chromium, driven by Playwright, from disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from bulletin.manifest.load import load_issue
from bulletin.site.build import SiteResult

CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download a browser of its own here: it drives Debian's,
# which scripts/bootstrap.sh installs for `make test`.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"the browser test needs Chromium at {CHROMIUM}: "
            "run make test, or apt-get install chromium"
        )
    # Builds in this process point fontconfig at the bundled fonts only; the
    # browser gets the machine's own configuration.
    env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class _Watch:
    """Everything a page reports going wrong: console errors, script errors, failed loads."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request: Request) -> None:
        self.problems.append(f"failed to load {request.url}: {request.failure}")


def _open(browser: Browser, url: str, **options: object) -> tuple[Page, _Watch]:
    page = browser.new_page(**options)  # type: ignore[arg-type]
    watch = _Watch(page)
    page.goto(url, wait_until="load")
    return page, watch


def _broken_images(page: Page) -> list[str]:
    """Return the images that do not load, once each has been scrolled to (photos load lazily)."""
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(image => image.complete)")
    page.evaluate("window.scrollTo(0, 0)")
    return page.eval_on_selector_all(
        "img", "images => images.filter(i => i.naturalWidth === 0).map(i => i.src)"
    )


def _path(url: str) -> Path:
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return Path(unquote(parts.path))


def test_index_from_disk_loads_every_thumbnail_and_links_real_pdfs(
    browser: Browser, archive_site: SiteResult, screenshots: Path
) -> None:
    page, watch = _open(
        browser, archive_site.index.as_uri(), viewport={"width": 1280, "height": 900}
    )
    assert page.title() == "IOM Central Asia Bulletin — Archive of past issues"
    thumbnails = page.locator(".card img")
    assert thumbnails.count() == 2
    assert _broken_images(page) == []
    assert page.evaluate("document.fonts.check('16px \"Noto Serif\"')")

    pdfs = page.eval_on_selector_all("a[type='application/pdf']", "links => links.map(l => l.href)")
    # 2021-05: three editions in English and Russian; 2021-06: three in English.
    assert len(pdfs) == 9
    for url in pdfs:
        path = _path(url)
        assert path.read_bytes().startswith(b"%PDF-"), url
        assert path.is_relative_to(archive_site.index.parent)
    page.screenshot(path=screenshots / "index.png", full_page=True)
    assert watch.problems == []
    page.close()


def test_issue_page_on_a_phone_shows_every_story(
    browser: Browser, archive_site: SiteResult, sample_root: Path, screenshots: Path
) -> None:
    page, watch = _open(
        browser, archive_site.index.as_uri(), viewport=PHONE, device_scale_factor=2, is_mobile=True
    )
    # The way a partner gets there: from the index, by the issue's heading.
    page.get_by_role("link", name="Read the May 2021 issue").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2021/05/index.html")
    for block in load_issue(sample_root, "2021-05").issue.stories:
        heading = page.get_by_role("heading", name=block.title, level=2)
        assert heading.count() == 1
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
    assert _broken_images(page) == []
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "issue-2021-05-phone.png")

    page.get_by_role("link", name="Русский").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2021/05/index.ru.html")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert _broken_images(page) == []
    assert watch.problems == []
    page.close()


def test_demonstration_issue_page_downloads_resolve(
    browser: Browser, archive_site: SiteResult, screenshots: Path
) -> None:
    site = archive_site.index.parent
    page, watch = _open(browser, (site / "2021" / "06" / "index.html").as_uri(), viewport=PHONE)
    assert page.locator(".story .kicker").all_inner_texts() == ["DEMONSTRATION"] * 3
    links = page.eval_on_selector_all(
        "a[type='application/pdf']", "links => links.map(l => l.href)"
    )
    assert [_path(url).name for url in links] == [
        "iom-central-asia-bulletin-2021-06.pdf",
        "iom-central-asia-bulletin-2021-06-archive.pdf",
        "iom-central-asia-bulletin-2021-06-print.pdf",
    ]
    assert all(_path(url).read_bytes().startswith(b"%PDF-") for url in links)
    assert _broken_images(page) == []
    page.screenshot(path=screenshots / "issue-2021-06-phone.png", full_page=True)
    assert watch.problems == []
    page.close()
