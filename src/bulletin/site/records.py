"""The archive site as data: issue records, page contexts, the Atom feed and the JSON index.

Nothing here reads or writes files. :mod:`bulletin.site.build` gathers the
records (from the manifests of an issue just built, or from the state kept
beside the site for an issue that did not change) and writes what these
functions return.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from bulletin.html.layout import format_credit, format_partial_date, issue_date_label
from bulletin.i18n import babel_locale
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import PartialDate, Story
from bulletin.model.markdown import render_markdown

ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Preferred edition for the cover picture and the "main" download: the print
# edition carries crop marks, so it comes last.
EDITION_ORDER = ("email", "archive", "print")

# The words the site prints, by language; the issue's own words (credit
# lines, "In this issue") come from its labels. English fills any gap.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "archive": "Archive of past issues",
        "skip": "Skip to the content",
        "intro": "Every issue of the bulletin, newest first. Each PDF keeps its address: "
        "link to it with confidence.",
        "all_issues": "All issues",
        "downloads": "Download",
        "earlier": "Earlier versions",
        "revision": "Revision {number}, replaced on {date}",
        "contacts": "Contacts",
        "feed": "Atom feed",
        "json": "JSON index",
        "pages": "{count} pages",
        "page": "1 page",
        "megabytes": "MB",
        "cover": "Page 1 of the {month} issue",
        "read": "Read the {month} issue",
        "language": "This issue in other languages",
        "edition_email": "PDF",
        "edition_print": "Print PDF",
        "edition_archive": "PDF/A",
    },
    "ru": {
        "archive": "Архив выпусков",
        "skip": "Перейти к содержанию",
        "intro": "Все выпуски бюллетеня, начиная с последнего. Адрес каждого PDF-файла "
        "не меняется: на него можно ссылаться.",
        "all_issues": "Все выпуски",
        "downloads": "Скачать",
        "earlier": "Прежние версии",
        "revision": "Версия {number}, заменена {date}",
        "contacts": "Контакты",
        "feed": "Лента Atom",
        "json": "Индекс JSON",
        "pages": "страниц: {count}",
        "page": "1 страница",
        "megabytes": "МБ",
        "cover": "Первая страница выпуска за {month}",
        "read": "Читать выпуск за {month}",
        "language": "Этот выпуск на других языках",
        "edition_email": "PDF",
        "edition_print": "PDF для печати",
        "edition_archive": "PDF/A",
    },
}


class _Data(BaseModel):
    """Base of the site's records: plain, frozen data that round-trips through JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class WebImage(_Data):
    """An image written into an issue's folder of the site."""

    href: str
    """Its address relative to the issue's folder (``photos/istanbul.jpg``)."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""


class PhotoEntry(_Data):
    """A photo of a story, as the issue page shows it."""

    image: WebImage
    """The web-sized copy."""
    alt: str
    """What the photo shows."""
    caption: str
    """Caption, or ``""``."""
    credit: str
    """The credit line, formatted in the page's language."""


class FigureEntry(_Data):
    """One figure of a statistics call-out."""

    value: str
    """The figure ("95%")."""
    label: str
    """What it counts."""


class StoryEntry(_Data):
    """A story or statistics call-out, ready for the issue page."""

    kind: str
    """``story`` or ``stats``."""
    id: str
    """The story's id, used as the HTML anchor."""
    kicker: str
    """Section label."""
    title: str
    """Headline."""
    standfirst: str
    """Summary, or ``""``."""
    body_html: str
    """The text (story body or call-out intro) as HTML from Markdown without raw HTML."""
    photos: tuple[PhotoEntry, ...] = ()
    """The photos, lead photo first."""
    figures: tuple[FigureEntry, ...] = ()
    """The figures of a call-out."""


class OfficeEntry(_Data):
    """One office of the contacts block."""

    country: str
    """The office's label."""
    emails: tuple[str, ...]
    """Its addresses."""


class LinkEntry(_Data):
    """A labelled link."""

    label: str
    """Link text."""
    url: str
    """Address."""


class PageEntry(_Data):
    """An issue in one language: everything its page prints."""

    language: str
    """BCP 47 tag of the language ("en")."""
    language_name: str
    """The language's name in itself ("English", "Русский")."""
    name: str
    """The publication's name in this language."""
    publisher: str
    """The publisher in this language."""
    month_label: str
    """The issue's month written out ("May 2021")."""
    number_label: str
    """"Issue 5", or ``""``."""
    in_this_issue: str
    """The "In this issue" heading in this language."""
    stories: tuple[StoryEntry, ...]
    """The stories and call-outs, in reading order."""
    contacts_heading: str
    """Heading of the contacts block."""
    offices: tuple[OfficeEntry, ...]
    """The offices."""
    social: tuple[LinkEntry, ...]
    """Social media links."""


class FileEntry(_Data):
    """A PDF of the issue as published on the site."""

    edition: str
    """``email``, ``print`` or ``archive``."""
    language: str
    """Its language."""
    name: str
    """File name in the issue's folder of the site."""
    bytes: int
    """Size in bytes."""
    pages: int
    """Number of pages."""
    sha256: str
    """SHA-256 of its bytes, hex."""


class RevisionEntry(_Data):
    """An earlier PDF kept when its issue was republished."""

    name: str
    """File name of the earlier PDF (``…-r1.pdf``)."""
    current: str
    """The file it was replaced by."""
    number: int
    """1 for the first revision kept, then 2…"""
    bytes: int
    """Size in bytes."""
    replaced: str
    """When it was replaced: ISO 8601 date and time, UTC."""


class IssueRecord(_Data):
    """Everything the site shows of one issue, kept between runs in the archive's state."""

    month: str
    """``YYYY-MM``."""
    fingerprint: str
    """SHA-256 over every input the issue's PDFs were built from."""
    published: bool
    """Whether the issue was marked published when its files were written."""
    colors: tuple[str, str]
    """The publication's primary and accent colours."""
    slug: str
    """The publication's slug."""
    pages: tuple[PageEntry, ...]
    """The issue in each language, main language first."""
    files: tuple[FileEntry, ...]
    """Its PDFs, main language first."""
    revisions: tuple[RevisionEntry, ...] = ()
    """Earlier PDFs kept on republishing, oldest first."""
    covers: dict[str, WebImage]
    """Picture of page 1, by language."""

    @property
    def folder(self) -> str:
        """Return the issue's folder in the site, ``2021/05``."""
        return self.month.replace("-", "/")

    def outputs(self) -> list[str]:
        """Return every file the record refers to, relative to the site."""
        names = [f.name for f in self.files] + [r.name for r in self.revisions]
        names += [cover.href for cover in self.covers.values()]
        names += [p.image.href for page in self.pages for s in page.stories for p in s.photos]
        return [f"{self.folder}/{name}" for name in dict.fromkeys(names)]


def describe_pages(
    editions: Sequence[LoadedIssue], images: Mapping[str, WebImage]
) -> tuple[PageEntry, ...]:
    """Return the issue in each of its languages (``editions``), for its pages.

    ``images`` maps a photo file (as the manifest resolves it) to its web copy.
    """
    return tuple(_page(loaded, images) for loaded in editions)


def _page(loaded: LoadedIssue, images: Mapping[str, WebImage]) -> PageEntry:
    publication, issue, labels = loaded.publication, loaded.issue, loaded.labels
    language = loaded.language
    stories = []
    for block in issue.stories:
        if isinstance(block, Story):
            photos = tuple(
                PhotoEntry(
                    image=images[photo.file],
                    alt=photo.alt,
                    caption=photo.caption or "",
                    credit=format_credit(photo.credit, language, labels["credit"]),
                )
                for photo in block.photos
            )
            stories.append(
                StoryEntry(
                    kind="story",
                    id=block.id,
                    kicker=block.kicker,
                    title=block.title,
                    standfirst=block.standfirst or "",
                    body_html=render_markdown(block.body),
                    photos=photos,
                )
            )
        else:
            stories.append(
                StoryEntry(
                    kind="stats",
                    id=block.id,
                    kicker=block.kicker or "",
                    title=block.title,
                    standfirst="",
                    body_html=render_markdown(block.intro),
                    figures=tuple(FigureEntry(value=f.value, label=f.label) for f in block.figures),
                )
            )
    return PageEntry(
        language=language,
        language_name=language_name(language),
        name=publication.name,
        publisher=publication.publisher,
        month_label=issue_date_label(issue.date, language),
        number_label=f"{labels['issue']} {issue.number}" if issue.number else "",
        in_this_issue=labels["in_this_issue"],
        stories=tuple(stories),
        contacts_heading=publication.contacts.heading,
        offices=tuple(
            OfficeEntry(country=office.country, emails=tuple(office.emails))
            for office in publication.contacts.offices
        ),
        social=tuple(LinkEntry(label=link.label, url=link.url) for link in publication.social),
    )


def language_name(language: str) -> str:
    """Return the name of ``language`` in itself, capitalised ("English", "Русский")."""
    try:
        name = Locale.parse(babel_locale(language)).get_display_name(language) or language
    except (ValueError, LookupError):
        return language
    return name[:1].upper() + name[1:]


def page_href(record: IssueRecord, language: str) -> str:
    """Return the issue page of ``language``, relative to the issue's folder."""
    main = record.pages[0].language
    return "index.html" if language == main else f"index.{language}.html"


def revision_name(name: str, number: int) -> str:
    """Return the name under which an earlier ``name`` is kept: ``…-r1.pdf``."""
    stem, _, suffix = name.rpartition(".")
    return f"{stem}-r{number}.{suffix}"


def words_for(language: str) -> dict[str, str]:
    """Return the site's words in ``language``, English where it has none."""
    base = WORDS.get(language) or WORDS.get(language.split("-")[0]) or {}
    return {**WORDS["en"], **base}


def index_context(records: Sequence[IssueRecord]) -> dict[str, Any]:
    """Return what ``index.html.j2`` receives: the issues newest first, grouped by year."""
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    main = newest[0].pages[0]
    words = words_for(main.language)
    years = [
        {"year": year, "issues": [_card(record, words) for record in group]}
        for year, group in itertools.groupby(newest, key=lambda record: record.month[:4])
    ]
    return {
        **_common(newest[0], main, words, root=""),
        "title": f"{main.name} — {words['archive']}",
        "years": years,
    }


def _card(record: IssueRecord, words: Mapping[str, str]) -> dict[str, Any]:
    main = record.pages[0]
    prefix = f"{record.folder}/"
    cover = record.covers[main.language]
    return {
        "month": record.month,
        "month_label": main.month_label,
        "number_label": main.number_label,
        "href": prefix + page_href(record, main.language),
        "cover": {
            "src": prefix + cover.href,
            "width": cover.width,
            "height": cover.height,
            "alt": words["cover"].format(month=main.month_label),
        },
        "read_label": words["read"].format(month=main.month_label),
        "headlines": [story.title for story in main.stories],
        "downloads": _downloads(record, prefix, main.language, words),
    }


def _downloads(
    record: IssueRecord, prefix: str, language: str, words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Return the PDFs grouped by language, described in ``language``."""
    order = {edition: index for index, edition in enumerate(EDITION_ORDER)}
    groups = []
    for page in record.pages:
        files = sorted(
            (f for f in record.files if f.language == page.language),
            key=lambda f: order.get(f.edition, len(order)),
        )
        groups.append(
            {
                "language": page.language,
                "language_name": page.language_name,
                "files": [
                    {
                        "href": prefix + f.name,
                        "name": f.name,
                        "label": words.get(f"edition_{f.edition}", f.edition),
                        "size_label": _megabytes(f.bytes, language, words),
                        "pages_label": _pages(f.pages, words),
                    }
                    for f in files
                ],
            }
        )
    return [group for group in groups if group["files"]]


def issue_context(record: IssueRecord, language: str) -> dict[str, Any]:
    """Return what ``issue.html.j2`` receives for the issue's page in ``language``."""
    [page] = [page for page in record.pages if page.language == language]
    words = words_for(language)
    cover = record.covers.get(language) or record.covers[record.pages[0].language]
    revisions = [
        {
            "href": revision.name,
            "label": words["revision"].format(
                number=revision.number, date=_date_label(revision.replaced, language)
            ),
            "size_label": _megabytes(revision.bytes, language, words),
        }
        for revision in record.revisions
    ]
    return {
        **_common(record, page, words, root="../../"),
        "title": f"{page.name} — {page.month_label}",
        "month_label": page.month_label,
        "number_label": page.number_label,
        "in_this_issue": page.in_this_issue,
        "cover": {
            "src": cover.href,
            "width": cover.width,
            "height": cover.height,
            "alt": words["cover"].format(month=page.month_label),
        },
        "downloads": _downloads(record, "", language, words),
        "revisions": revisions,
        "translations": [
            {
                "language": other.language,
                "name": other.language_name,
                "href": page_href(record, other.language),
            }
            for other in record.pages
            if other.language != language
        ],
        "toc": [
            {"id": story.id, "kicker": story.kicker, "title": story.title} for story in page.stories
        ],
        "stories": [
            {
                "kind": story.kind,
                "id": story.id,
                "kicker": story.kicker,
                "title": story.title,
                "standfirst": story.standfirst,
                # Markdown rendered with raw HTML off: safe to place as markup.
                "body": Markup(story.body_html),
                "lead": _photo(story.photos[0]) if story.photos else None,
                "photos": [_photo(photo) for photo in story.photos[1:]],
                "figures": [{"value": f.value, "label": f.label} for f in story.figures],
            }
            for story in page.stories
        ],
        "contacts": {
            "heading": page.contacts_heading,
            "offices": [{"country": o.country, "emails": list(o.emails)} for o in page.offices],
        },
        "social": [{"label": link.label, "url": link.url} for link in page.social],
    }


def _photo(photo: PhotoEntry) -> dict[str, Any]:
    return {
        "src": photo.image.href,
        "width": photo.image.width,
        "height": photo.image.height,
        "alt": photo.alt,
        "caption": photo.caption,
        "credit": photo.credit,
    }


def _common(
    record: IssueRecord, page: PageEntry, words: Mapping[str, str], *, root: str
) -> dict[str, Any]:
    primary, accent = record.colors
    return {
        "lang": page.language,
        "name": page.name,
        "publisher": page.publisher,
        "root": root,
        "colors": {"primary": primary, "accent": accent},
        "words": dict(words),
    }


def _megabytes(size: int, language: str, words: Mapping[str, str]) -> str:
    number = format_decimal(size / 1e6, format="0.00", locale=babel_locale(language))
    return f"{number} {words['megabytes']}"


def _pages(count: int, words: Mapping[str, str]) -> str:
    return words["page"] if count == 1 else words["pages"].format(count=count)


def _date_label(timestamp: str, language: str) -> str:
    day = dt.datetime.fromisoformat(timestamp).date()
    return format_partial_date(PartialDate(year=day.year, month=day.month, day=day.day), language)


def updated(record: IssueRecord) -> dt.datetime:
    """Return when the issue last changed for its readers: its month, or its last republishing."""
    year, month = (int(part) for part in record.month.split("-"))
    times = [dt.datetime(year, month, 1, tzinfo=dt.UTC)]
    times += [dt.datetime.fromisoformat(r.replaced) for r in record.revisions]
    return max(times)


def render_feed(records: Sequence[IssueRecord]) -> bytes:
    """Return the Atom 1.0 feed of the issues, newest first, with links relative to the site."""
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    main = newest[0].pages[0]
    words = words_for(main.language)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {_XML_LANG: main.language})
    _text(feed, "id", _urn(newest[0].slug))
    _text(feed, "title", f"{main.name} — {words['archive']}")
    _text(feed, "updated", max(updated(record) for record in newest).isoformat())
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", main.publisher)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": "feed.xml"})
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": "index.html"})
    for record in newest:
        page = record.pages[0]
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", _urn(record.slug, record.month))
        _text(entry, "title", f"{page.name} — {page.month_label}")
        _text(entry, "updated", updated(record).isoformat())
        ElementTree.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {"rel": "alternate", "type": "text/html", "href": f"{record.folder}/index.html"},
        )
        for file in record.files:
            ElementTree.SubElement(
                entry,
                f"{{{ATOM}}}link",
                {
                    "rel": "enclosure",
                    "type": "application/pdf",
                    "hreflang": file.language,
                    "length": str(file.bytes),
                    "href": f"{record.folder}/{file.name}",
                },
            )
        _text(entry, "summary", "; ".join(story.title for story in page.stories))
    ElementTree.indent(feed)
    data = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return bytes(data) + b"\n"


def _text(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _urn(*parts: str) -> str:
    # Atom ids must be permanent IRIs; the site has no address of its own, so
    # the ids are name-based UUIDs of the publication's slug and month.
    return uuid.uuid5(uuid.NAMESPACE_URL, "bulletin:" + ":".join(parts)).urn


def render_json_index(records: Iterable[IssueRecord]) -> str:
    """Return the JSON index of the issues (newest first) for other tools."""
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    issues = []
    for record in newest:
        page = record.pages[0]
        issues.append(
            {
                "month": record.month,
                "title": f"{page.name} — {page.month_label}",
                "number_label": page.number_label,
                "published": record.published,
                "page": f"{record.folder}/index.html",
                "headlines": [story.title for story in page.stories],
                "languages": [p.language for p in record.pages],
                "files": [
                    {
                        "edition": f.edition,
                        "language": f.language,
                        "href": f"{record.folder}/{f.name}",
                        "bytes": f.bytes,
                        "pages": f.pages,
                        "sha256": f.sha256,
                    }
                    for f in record.files
                ],
                "revisions": [
                    {
                        "href": f"{record.folder}/{r.name}",
                        "replaced_by": f"{record.folder}/{r.current}",
                        "bytes": r.bytes,
                        "replaced": r.replaced,
                    }
                    for r in record.revisions
                ],
            }
        )
    return json.dumps({"issues": issues}, ensure_ascii=False, indent=2) + "\n"
