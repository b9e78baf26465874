"""The archive site in a real browser: Debian's Chromium, driven by Playwright, over HTTP.

The site is served by a web server on 127.0.0.1 started in the test, as a
static host would serve it; one test opens it from disk, where search says
it needs a server.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from bulletin.manifest.load import load_issue
from bulletin.site.build import SiteResult, build_site
from bulletin.site.records import words_for
from conftest import REPO, SITE_URL, copy_sample, publish, shorten_issue

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
DESKTOP = {"width": 1280, "height": 900}
# Installed by scripts/bootstrap.sh from tests/package.json.
AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"


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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.cache
def _mime_types() -> None:
    # Pagefind's index files are served as bytes, as a static host serves them.
    _Quiet.extensions_map.update({".pagefind": "application/wasm", ".js": "text/javascript"})


def _serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while the caller runs; yield its address."""
    _mime_types()
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def served(archive_site: SiteResult) -> Iterator[str]:
    """Return the address of the session's archive site, served over HTTP."""
    yield from _serve(archive_site.index.parent)


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


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


# ---- The index and the issue pages ----------------------------------------


def test_index_loads_every_thumbnail_and_links_real_pdfs(
    browser: Browser, served: str, screenshots: Path
) -> None:
    page, watch = _open(browser, served + "index.html", viewport=DESKTOP)
    assert page.title() == "IOM Central Asia Bulletin — Archive of past issues"
    assert page.locator(".card img").count() == 2
    assert _broken_images(page) == []
    assert page.evaluate("document.fonts.check('16px \"Noto Serif\"')")

    pdfs = page.eval_on_selector_all("a[type='application/pdf']", "links => links.map(l => l.href)")
    # 2021-05: three editions in English and Russian; 2021-06: three in English.
    assert len(pdfs) == 9
    for url in pdfs:
        status, data = _get(url)
        assert status == 200 and data.startswith(b"%PDF-"), url
    page.screenshot(path=screenshots / "index-1280.png", full_page=True)
    assert watch.problems == []
    page.close()


def test_issue_page_on_a_phone_shows_every_story_with_aligned_buttons(
    browser: Browser, served: str, sample_root: Path, screenshots: Path
) -> None:
    page, watch = _open(
        browser, served + "index.html", viewport=PHONE, device_scale_factor=2, is_mobile=True
    )
    page.screenshot(path=screenshots / "index-390.png", full_page=True)
    # The way a partner gets there: from the index, by the issue's heading.
    page.get_by_role("link", name="Read the May 2021 issue").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2021/05/index.html")
    # One button per language, the same width and lined up, whatever their words.
    boxes = [button.bounding_box() for button in page.locator(".issue-aside .pdf").all()]
    assert len(boxes) == 2
    assert len({(round(box["x"]), round(box["width"])) for box in boxes if box}) == 1
    assert page.locator(".issue-aside .pdf").first.inner_text() == "Download (PDF, 0.2 MB)"
    # A screen reader also hears which issue and language the file is.
    name = "Download (PDF, 0.1 MB): the May 2021 issue in Russian"
    assert page.get_by_role("link", name=name, exact=True).count() == 1
    page.screenshot(path=screenshots / "issue-390.png", full_page=True)
    for block in load_issue(sample_root, "2021-05").issue.stories:
        heading = page.get_by_role("heading", name=block.title, level=2)
        assert heading.count() == 1
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
    assert _broken_images(page) == []
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Русский").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2021/05/index.ru.html")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".issue-aside .pdf").first.inner_text() == "Скачать (PDF, 0,2 МБ)"
    assert _broken_images(page) == []
    page.screenshot(path=screenshots / "issue-ru-390.png")
    assert watch.problems == []
    page.close()


def test_issue_page_on_a_desktop_sets_the_stories_beside_the_contents(
    browser: Browser, served: str, screenshots: Path
) -> None:
    page, watch = _open(browser, served + "2021/05/index.html", viewport=DESKTOP)
    aside = page.locator(".issue-aside").bounding_box()
    stories = page.locator(".stories").bounding_box()
    assert aside and stories
    # The contents at the left, the stories beside them to the right of the window.
    assert stories["x"] > aside["x"] + aside["width"]
    assert abs(stories["y"] - aside["y"]) < 2
    assert stories["x"] + stories["width"] > 0.9 * DESKTOP["width"]
    # A photo takes the column; the text keeps a readable measure.
    photo = page.locator(".story figure img").first.bounding_box()
    text = page.locator(".story .body").first.bounding_box()
    assert photo and text
    assert photo["width"] == pytest.approx(stories["width"], abs=1)
    assert text["width"] < photo["width"]
    page.screenshot(path=screenshots / "issue-1280.png")
    # The contents stay in view while the stories scroll by.
    page.get_by_role(
        "heading", name="Contact IOM missions in Central Asia"
    ).scroll_into_view_if_needed()
    assert page.locator(".toc").is_visible()
    page.screenshot(path=screenshots / "issue-1280-scrolled.png")
    assert watch.problems == []
    page.close()


# ---- Search ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("search_page", "query", "story", "issue_label", "language"),
    [
        ("search.html", "preparedness", "border-health-security", "May 2021 · Issue 5", "en"),
        (
            "search.ru.html",
            # Another form of the word in the text ("заболеваний"): found by its stem.
            "заболевание",
            "border-health-security",
            "май 2021\u202fг. · Выпуск 5",
            "ru",
        ),
    ],
)
def test_search_finds_the_story_that_has_a_word(
    browser: Browser,
    served: str,
    sample_root: Path,
    screenshots: Path,
    search_page: str,
    query: str,
    story: str,
    issue_label: str,
    language: str,
) -> None:
    loaded = load_issue(sample_root, "2021-05", language=language)
    [title] = [block.title for block in loaded.issue.stories if block.id == story]
    start = "index.html" if language == "en" else f"2021/05/{_page(language)}"
    page, watch = _open(browser, served + start, viewport=DESKTOP)
    # From the search box in the header of any page.
    box = page.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"**/{search_page}?q=*")
    results = page.locator(".search-result")
    results.first.wait_for()
    assert results.count() == 1
    assert results.first.locator(".result-issue").inner_text().upper() == issue_label.upper()
    link = results.first.get_by_role("link")
    assert link.inner_text() == title
    assert link.get_attribute("href", timeout=1000).endswith(
        f"/2021/05/{_page(language)}#{story}-title"
    )
    marked = results.first.locator("mark").all_inner_texts()
    assert marked and all(word.lower().startswith(query[:6].lower()) for word in marked)
    expected = words_for(language)["search_one"].format(query=query)
    assert page.locator("#search-status").inner_text() == expected
    page.screenshot(path=screenshots / f"search-{language}-1280.png")

    link.click()
    page.wait_for_load_state("load")
    heading = page.get_by_role("heading", name=title, level=2)
    assert heading.is_visible()
    assert page.evaluate("location.hash") == f"#{story}-title"
    assert watch.problems == []
    page.close()


def _page(language: str) -> str:
    return "index.html" if language == "en" else f"index.{language}.html"


def test_search_for_a_word_in_no_story_says_so(browser: Browser, served: str) -> None:
    page, watch = _open(browser, served + "search.html?q=zanzibar", viewport=PHONE)
    page.wait_for_function("document.getElementById('search-status').textContent.includes('No')")
    assert page.locator("#search-status").inner_text() == "No story matches “zanzibar”."
    assert page.locator(".search-result").count() == 0
    assert page.get_by_role("searchbox").input_value() == "zanzibar"
    assert watch.problems == []
    page.close()


def test_index_and_issue_pages_work_opened_from_disk(
    browser: Browser, archive_site: SiteResult
) -> None:
    site = archive_site.index.parent
    page, watch = _open(browser, archive_site.index.as_uri(), viewport=DESKTOP)
    assert _broken_images(page) == []
    for url in page.eval_on_selector_all(
        "a[type='application/pdf']", "links => links.map(l => l.href)"
    ):
        path = Path(urlsplit(url).path)
        assert path.is_relative_to(site) and path.read_bytes().startswith(b"%PDF-"), url
    page.get_by_role("link", name="Read the May 2021 issue").click()
    page.wait_for_load_state("load")
    assert page.url == (site / "2021" / "05" / "index.html").as_uri()
    assert _broken_images(page) == []
    assert page.evaluate("document.fonts.check('16px \"Noto Serif\"')")
    assert watch.problems == []
    page.close()


def test_search_opened_from_disk_says_it_needs_the_site_served(
    browser: Browser, archive_site: SiteResult
) -> None:
    url = (archive_site.index.parent / "search.html").as_uri() + "?q=Istanbul"
    page, watch = _open(browser, url, viewport=PHONE)
    assert page.locator("#search-status").inner_text() == words_for("en")["search_file"]
    assert page.locator(".search-result").count() == 0
    assert watch.problems == []
    page.close()


# ---- What is public -------------------------------------------------------


@pytest.fixture(scope="module")
def changing_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a project whose May issue is short and published, and June a draft."""
    project = copy_sample(tmp_path_factory.mktemp("changing"))
    shorten_issue(project)
    publish(project, "2021-05")
    return project


def test_a_draft_is_not_on_the_public_site_and_a_deleted_issue_keeps_only_its_pdfs(
    browser: Browser, changing_site: Path
) -> None:
    out = changing_site / "out"
    build_site(changing_site, out)
    demo_pdf = "2021/06/iom-central-asia-bulletin-2021-06.pdf"
    for base in _serve(out / "site"):
        page, watch = _open(browser, base + "index.html", viewport=DESKTOP)
        assert page.locator(".card h3").all_inner_texts() == ["May 2021"]
        assert _get(base + "2021/06/index.html")[0] == 404
        assert _get(base + demo_pdf)[0] == 404
        index = json.loads(_get(base + "index.json")[1])
        assert [issue["month"] for issue in index["issues"]] == ["2021-05"]
        # The draft's words are in no search result.
        page.goto(base + "search.html?q=demonstration")
        page.wait_for_function(
            "document.getElementById('search-status').textContent.includes('No')"
        )
        assert page.locator(".search-result").count() == 0
        assert watch.problems == []
        page.close()

    # Published, then deleted: its pages go, the PDFs partners may link to stay.
    publish(changing_site, "2021-06")
    build_site(changing_site, out)
    shutil.rmtree(changing_site / "issues" / "2021-06")
    build_site(changing_site, out)
    for base in _serve(out / "site"):
        page, watch = _open(browser, base + "index.html", viewport=DESKTOP)
        assert page.locator(".card h3").all_inner_texts() == ["May 2021"]
        assert _get(base + "2021/06/index.html")[0] == 404
        assert _get(base + "2021/06/cover.jpg")[0] == 404
        status, data = _get(base + demo_pdf)
        assert status == 200 and data.startswith(b"%PDF-")
        assert watch.problems == []
        page.close()


# ---- Links and accessibility ----------------------------------------------


class _Links(HTMLParser):
    """The addresses a page refers to, and the ids it has."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values and tag in {"a", "link", "img", "script"}:
                self.links.append(values[name])
        if tag == "meta" and values.get("property") in {"og:image", "og:url"}:
            self.links.append(values["content"])
        if tag == "form":
            self.links.append(values.get("action") or "")


def test_no_link_of_the_site_is_broken(served: str) -> None:
    """Crawl the site from its index; every address on it answers, every #fragment exists."""
    seen: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = [served + "index.html"]
    checked = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, data = _get(url)
        assert status == 200, url
        seen[url] = set()
        if not url.endswith(".html"):
            continue
        parser = _Links()
        parser.feed(data.decode("utf-8"))
        seen[url] = parser.ids
        for link in parser.links:
            if link.startswith(SITE_URL):
                # An absolute address on the public site: the same file here.
                link = served + link.removeprefix(SITE_URL)
                if link.endswith("/"):
                    link += "index.html"
            target = urljoin(url, link)
            scheme = urlsplit(target).scheme
            if scheme in {"mailto", "data"} or not target.startswith(served):
                continue
            address, _, fragment = target.partition("#")
            address = address.split("?")[0]
            if fragment:
                fragments.append((url, address, fragment))
            if address not in seen:
                queue.append(address)
            checked += 1
    # The index, two search pages, three issue pages, and their files.
    assert sum(url.endswith(".html") for url in seen) == 6
    assert checked > 100
    for page, address, fragment in fragments:
        assert fragment in seen[address], (page, address, fragment)


@pytest.mark.parametrize(
    "path",
    ["index.html", "2021/05/index.html", "2021/05/index.ru.html", "search.html?q=Istanbul"],
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_axe_finds_no_serious_accessibility_problem(
    browser: Browser, served: str, path: str, viewport: dict[str, int]
) -> None:
    page, watch = _open(browser, served + path, viewport=viewport)
    if "search" in path:
        page.locator(".search-result").first.wait_for()
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in report["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    assert report["testEngine"]["version"] == "4.14.1"
    assert watch.problems == []
    page.close()
