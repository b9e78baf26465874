"""The archive site: pages, feed and index of the samples; incremental and published builds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from PIL import Image
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.html.layout import format_credit
from bulletin.manifest.load import issue_languages, load_issue, load_publication
from bulletin.model.issue import Story
from bulletin.site.assets import COVER_WIDTH, PHOTO_WIDTH
from bulletin.site.build import Progress, SiteResult, build_site
from bulletin.site.records import (
    FileEntry,
    Frame,
    IssueRecord,
    PageEntry,
    WebImage,
    index_context,
    revision_name,
)
from conftest import SITE_URL, publish, set_site_url, shorten_issue

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO = "2021-06"
DEMO_PDF = "iom-central-asia-bulletin-2021-06.pdf"


class _Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.headings: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self._heading: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values["lang"]
        if tag in {"a", "link"}:
            self.links.append(values["href"])
        if tag == "img":
            self.images.append(values)
        if tag in {"h1", "h2", "h3"}:
            self._heading = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        if self._heading and self._heading[0] == tag:
            self.headings.append((tag, " ".join("".join(self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._heading:
            self._heading[1].append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _site(result: SiteResult) -> Path:
    return result.index.parent


def _index(result: SiteResult) -> dict:
    return json.loads((_site(result) / "index.json").read_text(encoding="utf-8"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- The site of the repository's issues, built once per session ----------


def test_every_published_issue_is_built_into_the_site(
    archive_site: SiteResult, site_project: Path
) -> None:
    months = sorted(path.parent.name for path in (site_project / "issues").glob("*/issue.yaml"))
    assert archive_site.built == tuple(months)
    assert archive_site.unchanged == ()
    assert [issue["month"] for issue in _index(archive_site)["issues"]] == months[::-1]


def test_index_lists_issues_by_year_newest_first(archive_site: SiteResult) -> None:
    page = _parse(archive_site.index)
    assert page.lang == "en"
    assert page.headings == [
        ("h1", "Archive of past issues"),
        ("h2", "2021"),
        ("h3", "June 2021"),
        ("h3", "May 2021"),
    ]


def test_index_shows_cover_headlines_and_downloads_in_plain_words(
    archive_site: SiteResult, sample_root: Path
) -> None:
    page = _parse(archive_site.index)
    covers = {image["src"]: image for image in page.images}
    for issue in _index(archive_site)["issues"]:
        folder = issue["month"].replace("-", "/")
        cover = covers[f"{folder}/cover.jpg"]
        assert int(cover["width"]) == COVER_WIDTH
        month = issue["title"].split(" — ")[1]
        assert cover["alt"] == f"Page 1 of the {month} issue"
        for headline in load_issue(sample_root, issue["month"]).issue.stories:
            assert headline.title in page.text
        for file in issue["files"]:
            assert file["href"] in page.links
            # One decimal; below 0.1 MB, in kilobytes.
            kilobytes = file["bytes"] < 99_950
            size = f"{file['bytes'] / 1e3:.0f} KB" if kilobytes else f"{file['bytes'] / 1e6:.1f} MB"
            language = {"en": "English", "ru": "Russian"}[file["language"]]
            shown = {
                "email": f"Download (PDF, {size})",
                "print": f"For the printer, with crop marks ({size})",
                "archive": f"For long-term archiving, PDF/A ({size})",
            }[file["edition"]]
            if file["edition"] == "email":
                # Told to a screen reader: which issue, in which language.
                label = f'aria-label="{shown}: the {month} issue in {language}">{shown}</a>'
                assert label in archive_site.index.read_text(encoding="utf-8")
            assert shown in page.text


def test_each_language_has_one_download_button_and_a_line_for_the_others(
    archive_site: SiteResult,
) -> None:
    text = (_site(archive_site) / "2021" / "05" / "index.ru.html").read_text(encoding="utf-8")
    assert text.count('class="pdf"') == 2
    # The English email edition 0.16 MB, the Russian 0.13 MB.
    assert text.count(">Скачать (PDF, 0,2 МБ)</a>") == 1
    assert text.count(">Скачать (PDF, 0,1 МБ)</a>") == 1
    assert text.count("Для типографии, с метками обреза") == 2
    assert text.count("Для долгосрочного хранения, PDF/A") == 2
    assert "Другие файлы" in text
    assert "Print PDF" not in text


def test_json_index_points_at_the_pdfs(archive_site: SiteResult, sample_root: Path) -> None:
    site = _site(archive_site)
    for issue in _index(archive_site)["issues"]:
        month = issue["month"]
        languages = ["en", *issue_languages(sample_root, month)]
        assert [(f["edition"], f["language"]) for f in issue["files"]] == [
            (edition, language)
            for language in languages
            for edition in ("email", "print", "archive")
        ]
        assert issue["headlines"] == [s.title for s in load_issue(sample_root, month).issue.stories]
        for file in issue["files"]:
            data = (site / file["href"]).read_bytes()
            assert data.startswith(b"%PDF-")
            assert len(data) == file["bytes"]
            assert hashlib.sha256(data).hexdigest() == file["sha256"]


def test_atom_feed_is_atom_with_an_entry_per_issue(archive_site: SiteResult) -> None:
    site = _site(archive_site)
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    assert feed.findtext(f"{ATOM}title") == "IOM Central Asia Bulletin — Archive of past issues"
    assert feed.findtext(f"{ATOM}author/{ATOM}name", "").startswith("International Organization")
    assert dt.datetime.fromisoformat(feed.findtext(f"{ATOM}updated", "")).tzinfo is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "IOM Central Asia Bulletin — June 2021",
        "IOM Central Asia Bulletin — May 2021",
    ]
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    for entry in entries:
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "")).tzinfo
        links = entry.findall(f"{ATOM}link")
        [page] = [link for link in links if link.get("rel") == "alternate"]
        assert (site / _local(page.get("href", "")) / "index.html").is_file()
        for enclosure in [link for link in links if link.get("rel") == "enclosure"]:
            size = (site / _local(enclosure.get("href", ""))).stat().st_size
            assert size == int(enclosure.get("length", ""))
    [self_link] = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href") == SITE_URL + "feed.xml"


def _local(url: str) -> str:
    """Return the path inside the site of an absolute address on it."""
    assert url.startswith(SITE_URL), url
    return url.removeprefix(SITE_URL)


@pytest.mark.parametrize(
    ("month", "language", "page_name"),
    [
        ("2021-05", "en", "index.html"),
        ("2021-05", "ru", "index.ru.html"),
        (DEMO, "en", "index.html"),
    ],
)
def test_issue_page_has_the_full_text_photos_and_contacts(
    archive_site: SiteResult, sample_root: Path, month: str, language: str, page_name: str
) -> None:
    loaded = load_issue(sample_root, month, language=language)
    page = _parse(_site(archive_site) / month.replace("-", "/") / page_name)
    assert page.lang == language
    contents = "В этом выпуске" if language == "ru" else "In this issue"
    downloads = "Скачать" if language == "ru" else "Download"
    assert [text for tag, text in page.headings if tag == "h2"] == [
        downloads,
        contents,
        *(block.title for block in loaded.issue.stories),
        loaded.publication.contacts.heading,
    ]
    alts = {image["alt"] for image in page.images}
    for block in loaded.issue.stories:
        if isinstance(block, Story):
            for photo in block.photos:
                assert photo.alt in alts
                credit = format_credit(photo.credit, language, loaded.labels["credit"])
                assert " ".join(credit.split()) in page.text
        assert f"#{block.id}" in page.links
    for office in loaded.publication.contacts.offices:
        assert all(f"mailto:{email}" in page.links for email in office.emails)
    for file in next(i for i in _index(archive_site)["issues"] if i["month"] == month)["files"]:
        assert file["href"].rsplit("/", 1)[1] in page.links


def test_russian_page_is_offered_from_the_english_one(archive_site: SiteResult) -> None:
    english = _parse(_site(archive_site) / "2021" / "05" / "index.html")
    russian = _parse(_site(archive_site) / "2021" / "05" / "index.ru.html")
    assert "index.ru.html" in english.links
    assert "index.html" in russian.links
    assert "Скачать" in russian.text
    assert "Все выпуски" in russian.text


def test_every_link_is_relative_and_resolves(archive_site: SiteResult) -> None:
    site = _site(archive_site)
    pages = sorted(site.rglob("*.html"))
    # The index, two search pages (English, Russian), three issue pages.
    assert len(pages) == 6
    for path in pages:
        page = _parse(path)
        for link in [*page.links, *(image["src"] for image in page.images)]:
            scheme = urlsplit(link).scheme
            if link.startswith(SITE_URL):
                assert (site / link.removeprefix(SITE_URL)).exists(), (path, link)
                continue
            if scheme in {"https", "mailto"} or link == "data:,":
                continue
            assert not scheme and not link.startswith("/"), (path, link)
            target, _, fragment = link.partition("#")
            if target:
                assert (path.parent / target).resolve().is_file(), (path, link)
            if fragment:
                assert f'id="{fragment}"' in (path.parent / (target or path.name)).read_text()


def test_photos_are_web_sized_copies(archive_site: SiteResult) -> None:
    photos = sorted(_site(archive_site).glob("*/*/photos/*"))
    assert len(photos) == 8
    for path in photos:
        with Image.open(path) as image:
            assert image.format == "JPEG"
            assert image.width <= PHOTO_WIDTH


def test_a_second_run_builds_and_writes_nothing(archive_site: SiteResult) -> None:
    out = _site(archive_site).parent
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    seen: list[Progress] = []
    again = build_site(out.parent, out, progress=seen.append)
    assert again.built == ()
    assert again.unchanged == archive_site.built
    assert [(p.month, p.status) for p in seen] == [(m, "unchanged") for m in again.unchanged]
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before


# ---- Incremental and published builds, on a copy holding only the short issue ----


@pytest.fixture
def demo(project: Path) -> Path:
    """Return a project copy with only the short demonstration issue (a draft)."""
    shutil.rmtree(project / "issues" / "2021-05")
    return project


def test_only_issues_whose_inputs_changed_are_built(demo: Path) -> None:
    # The demonstration issue is a draft: built in a preview only.
    out = demo / "out"
    seen: list[Progress] = []
    assert build_site(demo, out, drafts=True, progress=seen.append).built == (DEMO,)
    assert seen == [Progress(1, 1, DEMO, "built")]
    built_pdf = out / DEMO / DEMO_PDF
    stamp = built_pdf.stat().st_mtime_ns

    result = CliRunner().invoke(app, ["archive", "--root", str(demo), "--drafts"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{out / 'site' / 'index.html'} (1 issue: 0 built, 1 unchanged)\n"
        f"a preview with drafts, marked as such: {DEMO}; do not publish this folder "
        "(bulletin archive without --drafts builds the public site)\n"
    )
    assert result.stderr == f"[1/1] {DEMO} unchanged\n"
    assert built_pdf.stat().st_mtime_ns == stamp

    # The site's own style sheet is not an input of the PDFs.
    (demo / "layouts" / "site" / "site.css").write_text("body { color: black; }\n")
    assert build_site(demo, out, drafts=True).built == ()
    assert (out / "site" / "site.css").read_text() == "body { color: black; }\n"

    _edit(demo / "issues" / DEMO / "issue.yaml", "The archive in figures", "The archive in numbers")
    assert build_site(demo, out, drafts=True).built == (DEMO,)
    assert "The archive in numbers" in (out / "site" / "2021" / "06" / "index.html").read_text()


def test_published_pdf_stays_put_unless_republished(demo: Path) -> None:
    manifest = demo / "issues" / DEMO / "issue.yaml"
    publish(demo, DEMO)
    out = demo / "out"
    build_site(demo, out)
    folder = out / "site" / "2021" / "06"
    pdf = folder / DEMO_PDF
    published = pdf.read_bytes()

    # Builds are reproducible: a change that leaves the PDFs as they were is
    # accepted. (Not an edit of issue.yaml: the archive edition carries it.)
    (manifest.parent / "notes.txt").write_text("Photos to ask the Almaty office for.\n")
    assert build_site(demo, out).built == (DEMO,)
    assert pdf.read_bytes() == published

    _edit(manifest, "The archive in figures", "The archive in numbers")
    result = CliRunner().invoke(app, ["archive", "--root", str(demo)])
    assert result.exit_code == 1
    first, *refusals, last = result.stderr.splitlines()
    assert first == f"[1/1] {DEMO} built"
    assert last == "3 problems; nothing was written."
    names = [DEMO_PDF.removesuffix(".pdf") + suffix for suffix in ("", "-print", "-archive")]
    assert refusals == [
        f"out/site/2021/06/{name}.pdf: issue {DEMO} is published and this rebuild would change "
        "its PDF, which partners may link to: pass --republish to publish the new file and "
        f"keep this one as {name}-r1.pdf, or undo the change to the issue's inputs"
        for name in names
    ]
    assert pdf.read_bytes() == published
    assert "The archive in numbers" not in (folder / "index.html").read_text()

    kept = folder / "iom-central-asia-bulletin-2021-06-r1.pdf"
    assert build_site(demo, out, republish=True).republished == tuple(
        folder / f"{name}-r1.pdf" for name in names
    )
    assert kept.read_bytes() == published
    assert pdf.read_bytes() != published
    page = _parse(folder / "index.html")
    assert {DEMO_PDF, kept.name} <= set(page.links)
    today = dt.datetime.now(dt.UTC).date()
    assert f"Revision 1, replaced on {today:%B} {today.day}, {today.year}" in page.text
    assert "The archive in numbers" in page.text
    [issue] = _index(SiteResult(folder.parent.parent / "index.html", (), ()))["issues"]
    assert [r["href"] for r in issue["revisions"]] == [f"2021/06/{name}-r1.pdf" for name in names]


# ---- Site data, without building ----------------------------------------


def _record(month: str) -> IssueRecord:
    page = PageEntry(
        language="en",
        language_name="English",
        name="Bulletin",
        publisher="Publisher",
        month_label=month,
        number_label="",
        in_this_issue="In this issue",
        stories=(),
        contacts_heading="Contacts",
        offices=(),
        social=(),
    )
    return IssueRecord(
        month=month,
        fingerprint="0",
        published=False,
        colors=("#0033A0", "#5B92E5"),
        slug="bulletin",
        pages=(page,),
        files=(
            FileEntry(edition="email", language="en", name="b.pdf", bytes=1, pages=1, sha256=""),
        ),
        covers={"en": WebImage(href="cover.jpg", width=1, height=1)},
    )


def test_index_groups_years_and_months_newest_first() -> None:
    frame = Frame(
        name="Bulletin",
        publisher="Publisher",
        language="en",
        colors=("#0033A0", "#5B92E5"),
        slug="bulletin",
        site_url=None,
    )
    records = [_record(m) for m in ("2020-11", "2021-02", "2020-12", "2021-01")]
    context = index_context(frame, records)
    assert [(y["year"], [i["month"] for i in y["issues"]]) for y in context["years"]] == [
        ("2021", ["2021-02", "2021-01"]),
        ("2020", ["2020-12", "2020-11"]),
    ]
    assert context["years"][0]["issues"][0]["href"] == "2021/02/index.html"


@pytest.mark.parametrize(
    ("name", "number", "kept"),
    [("b-2021-05.pdf", 1, "b-2021-05-r1.pdf"), ("b-2021-05-ru.pdf", 2, "b-2021-05-ru-r2.pdf")],
)
def test_revision_names(name: str, number: int, kept: str) -> None:
    assert revision_name(name, number) == kept


# ---- What is public, and a site made of its inputs only -------------------


def _head(path: Path) -> dict[str, str]:
    """Return the page's <meta> and <link> values by their property, name or rel."""

    class Head(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[str, str] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = {name: value or "" for name, value in attrs}
            if tag == "meta" and "content" in values:
                key = values.get("property") or values.get("name") or ""
                self.values[key] = values["content"]
            if tag == "link" and values.get("rel") in {"canonical", "icon"}:
                self.values[values["rel"]] = values["href"]
            if tag == "link" and values.get("hreflang"):
                self.values[f"alternate {values['hreflang']}"] = values["href"]

    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head.values


def _site_files(site: Path, folder: str) -> list[str]:
    return sorted(path.name for path in (site / folder).rglob("*") if path.is_file())


def test_drafts_are_only_in_a_preview_and_leave_the_public_site_after(project: Path) -> None:
    shorten_issue(project)
    publish(project, "2021-05")
    out = project / "out"
    site = out / "site"

    public = build_site(project, out)
    assert (public.built, public.drafts, public.preview) == (("2021-05",), (DEMO,), False)
    assert not (site / "2021" / "06").exists()
    assert [issue["month"] for issue in _index(public)["issues"]] == ["2021-05"]
    assert "June 2021" not in (site / "index.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["archive", "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{site / 'index.html'} (1 issue: 0 built, 1 unchanged)\n"
        f"drafts left out: {DEMO} (not published: true; --drafts previews them)\n"
    )
    assert result.stderr == f"[1/2] 2021-05 unchanged\n[2/2] {DEMO} draft\n"

    preview = build_site(project, out, drafts=True)
    assert (preview.built, preview.drafts, preview.preview) == ((DEMO,), (DEMO,), True)
    index = _parse(site / "index.html")
    assert "Preview with drafts: not the public site." in index.text
    assert [text for tag, text in index.headings if tag == "h3"] == ["June 2021 Draft", "May 2021"]
    draft_page = _parse(site / "2021" / "06" / "index.html")
    assert "Draft: not published." in draft_page.text
    assert _head(site / "2021" / "06" / "index.html")["robots"] == "noindex"
    assert [(i["month"], i["published"]) for i in _index(preview)["issues"]] == [
        (DEMO, False),
        ("2021-05", True),
    ]
    # Feed readers never see a draft, even from a preview.
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "IOM Central Asia Bulletin — May 2021"
    ]

    again = build_site(project, out)
    assert again.built == ()
    assert not (site / "2021" / "06").exists()
    assert {name for name in again.removed if name.startswith("2021/06/")} == {
        "2021/06/index.html",
        "2021/06/cover.jpg",
        "2021/06/social.jpg",
        f"2021/06/{DEMO_PDF}",
        f"2021/06/{DEMO_PDF.removesuffix('.pdf')}-print.pdf",
        f"2021/06/{DEMO_PDF.removesuffix('.pdf')}-archive.pdf",
        *(f"2021/06/photos/{name}" for name in _photo_names(project, DEMO)),
    }
    assert "Preview with drafts" not in (site / "index.html").read_text(encoding="utf-8")


def _photo_names(project: Path, month: str) -> set[str]:
    return {path.with_suffix(".jpg").name for path in (project / "issues" / month).rglob("*.jpg")}


def test_a_deleted_issue_leaves_its_published_pdfs_and_nothing_else(project: Path) -> None:
    shorten_issue(project)
    publish(project, "2021-05")
    publish(project, DEMO)
    out = project / "out"
    site = out / "site"
    build_site(project, out)
    pdfs = sorted(path.name for path in (site / "2021" / "06").glob("*.pdf"))
    assert len(pdfs) == 3
    (site / "notes.txt").write_text("not made by bulletin\n")

    shutil.rmtree(project / "issues" / DEMO)
    result = build_site(project, out)
    assert "notes.txt" in result.removed
    assert not (site / "notes.txt").exists()
    # The pages, pictures and photos are gone; the PDFs partners may link to stay.
    assert _site_files(site, "2021/06") == pdfs
    assert [issue["month"] for issue in _index(result)["issues"]] == ["2021-05"]
    assert "June 2021" not in (site / "index.html").read_text(encoding="utf-8")
    assert "2021/06/" not in (site / "feed.xml").read_text(encoding="utf-8")
    # And they stay in later builds too.
    assert build_site(project, out).removed == ()
    assert _site_files(site, "2021/06") == pdfs


def test_without_an_address_the_site_has_relative_links_and_no_sitemap(project: Path) -> None:
    shutil.rmtree(project / "issues" / "2021-05")
    result = build_site(project, project / "out", drafts=True)
    site = _site(result)
    head = _head(site / "2021" / "06" / "index.html")
    assert "canonical" not in head
    assert "og:image" not in head
    assert head["twitter:card"] == "summary"
    assert head["og:title"] == "IOM Central Asia Bulletin — June 2021"
    assert not (site / "sitemap.xml").exists()
    feed = ElementTree.parse(site / "feed.xml").getroot()
    hrefs = [link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    assert hrefs[:2] == ["feed.xml", "index.html"]


def test_pages_share_with_a_picture_a_summary_and_their_public_address(
    archive_site: SiteResult,
) -> None:
    site = _site(archive_site)
    head = _head(site / "2021" / "05" / "index.ru.html")
    assert head["canonical"] == SITE_URL + "2021/05/index.ru.html"
    assert head["og:url"] == head["canonical"]
    assert head["alternate en"] == SITE_URL + "2021/05/"
    assert head["alternate ru"] == SITE_URL + "2021/05/index.ru.html"
    assert head["og:type"] == "article"
    assert head["og:title"] == "Бюллетень МОМ по Центральной Азии — май 2021\u202fг."
    assert head["og:description"].startswith("Шестое совещание")
    assert head["og:image"] == SITE_URL + "2021/05/social-ru.jpg"
    assert head["twitter:card"] == "summary_large_image"
    assert head["twitter:image"] == head["og:image"]
    assert (head["og:image:width"], head["og:image:height"]) == ("1200", "630")
    for name in ("social.jpg", "social-ru.jpg"):
        with Image.open(site / "2021" / "05" / name) as card:
            assert (card.format, card.size) == ("JPEG", (1200, 630))

    index = _head(site / "index.html")
    assert index["canonical"] == SITE_URL
    # The index shares the newest issue's picture.
    assert index["og:image"] == SITE_URL + "2021/06/social.jpg"

    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert [url.findtext(f"{namespace}loc") for url in sitemap] == [
        SITE_URL,
        SITE_URL + "2021/06/",
        SITE_URL + "2021/05/",
        SITE_URL + "2021/05/index.ru.html",
    ]
    assert all(url.findtext(f"{namespace}lastmod") for url in sitemap)
    assert (site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://www.example.org/bulletin/",
            "site_url: 'http://www.example.org/bulletin/' cannot be the site's address: write "
            "the https:// address of the folder the archive site is served from, like "
            "https://www.example.org/bulletin/",
        ),
        (
            "https://www.example.org/?page=bulletin",
            "site_url: 'https://www.example.org/?page=bulletin' cannot be the site's address: "
            "write the https:// address of the folder the archive site is served from, like "
            "https://www.example.org/bulletin/",
        ),
    ],
)
def test_a_site_url_that_is_not_a_folder_on_the_web_is_refused(
    project: Path, url: str, message: str
) -> None:
    path = project / "issues" / "publication.yaml"
    path.write_text(path.read_text() + f"site_url: {url}\n")
    line = path.read_text().count("\n")
    result = CliRunner().invoke(app, ["archive", "--root", str(project)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"issues/publication.yaml:{line}:11: {message}"


def test_the_site_url_gets_its_closing_slash(project: Path) -> None:
    set_site_url(project, "https://www.example.org/bulletin")
    assert load_publication(project).site_url == "https://www.example.org/bulletin/"
