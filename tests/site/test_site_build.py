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
from bulletin.manifest.load import issue_languages, load_issue
from bulletin.model.issue import Story
from bulletin.site.assets import COVER_WIDTH, PHOTO_WIDTH
from bulletin.site.build import Progress, SiteResult, build_site
from bulletin.site.records import (
    FileEntry,
    IssueRecord,
    PageEntry,
    WebImage,
    index_context,
    revision_name,
)
from conftest import SAMPLE

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


def test_every_issue_in_the_repository_is_built_into_the_site(
    archive_site: SiteResult, sample_root: Path
) -> None:
    months = sorted(path.parent.name for path in (sample_root / "issues").glob("*/issue.yaml"))
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


def test_index_shows_cover_headlines_and_every_download(
    archive_site: SiteResult, sample_root: Path
) -> None:
    page = _parse(archive_site.index)
    covers = {image["src"]: image for image in page.images}
    for issue in _index(archive_site)["issues"]:
        folder = issue["month"].replace("-", "/")
        cover = covers[f"{folder}/cover.jpg"]
        assert int(cover["width"]) == COVER_WIDTH
        assert cover["alt"] == f"Page 1 of the {issue['title'].split(' — ')[1]} issue"
        for headline in load_issue(sample_root, issue["month"]).issue.stories:
            assert headline.title in page.text
        for file in issue["files"]:
            assert file["href"] in page.links
            label = {"email": "PDF", "print": "Print PDF", "archive": "PDF/A"}[file["edition"]]
            assert f"{label} {file['bytes'] / 1e6:.2f} MB" in page.text


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
        assert (site / page.get("href", "")).is_file()
        for enclosure in [link for link in links if link.get("rel") == "enclosure"]:
            size = (site / enclosure.get("href", "")).stat().st_size
            assert size == int(enclosure.get("length", ""))


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
    assert len(pages) == 4
    for path in pages:
        page = _parse(path)
        for link in [*page.links, *(image["src"] for image in page.images)]:
            scheme = urlsplit(link).scheme
            if scheme in {"https", "mailto"}:
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
    again = build_site(SAMPLE, out, progress=seen.append)
    assert again.built == ()
    assert again.unchanged == archive_site.built
    assert [(p.month, p.status) for p in seen] == [(m, "unchanged") for m in again.unchanged]
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before


# ---- Incremental and published builds, on a copy holding only the short issue ----


@pytest.fixture
def demo(project: Path) -> Path:
    """Return a project copy with only the short demonstration issue."""
    shutil.rmtree(project / "issues" / "2021-05")
    return project


def test_only_issues_whose_inputs_changed_are_built(demo: Path) -> None:
    out = demo / "out"
    seen: list[Progress] = []
    assert build_site(demo, out, progress=seen.append).built == (DEMO,)
    assert seen == [Progress(1, 1, DEMO, "built")]
    built_pdf = out / DEMO / DEMO_PDF
    stamp = built_pdf.stat().st_mtime_ns

    result = CliRunner().invoke(app, ["archive", "--root", str(demo)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / 'site' / 'index.html'} (1 issue: 0 built, 1 unchanged)\n"
    assert result.stderr == f"[1/1] {DEMO} unchanged\n"
    assert built_pdf.stat().st_mtime_ns == stamp

    # The site's own style sheet is not an input of the PDFs.
    (demo / "layouts" / "site" / "site.css").write_text("body { color: black; }\n")
    assert build_site(demo, out).built == ()
    assert (out / "site" / "site.css").read_text() == "body { color: black; }\n"

    _edit(demo / "issues" / DEMO / "issue.yaml", "The archive in figures", "The archive in numbers")
    assert build_site(demo, out).built == (DEMO,)
    assert "The archive in numbers" in (out / "site" / "2021" / "06" / "index.html").read_text()


def test_published_pdf_stays_put_unless_republished(demo: Path) -> None:
    manifest = demo / "issues" / DEMO / "issue.yaml"
    _edit(manifest, "published: false", "published: true")
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
    context = index_context([_record(m) for m in ("2020-11", "2021-02", "2020-12", "2021-01")])
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
