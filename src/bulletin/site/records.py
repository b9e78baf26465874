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
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Preferred edition for the cover picture and the "main" download: the print
# edition carries crop marks, so it comes last.
EDITION_ORDER = ("email", "archive", "print")
# The files besides the one to read, as the downloads list them: the printer's first.
_OTHER_ORDER = ("print", "archive")

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
        "download": "Download (PDF, {size})",
        "download_hidden": "the {month} issue in {language}",
        "other_files": "Other files",
        "earlier": "Earlier versions",
        "revision": "Revision {number}, replaced on {date}",
        "contacts": "Contacts",
        "feed": "Atom feed",
        "json": "JSON index",
        "pages": "{count} pages",
        "page": "1 page",
        "megabytes": "MB",
        "kilobytes": "KB",
        "cover": "Page 1 of the {month} issue",
        "read": "Read the {month} issue",
        "language": "This issue in other languages",
        "edition_email": "for reading on screen and sending by email",
        "edition_print": "for the printer, with crop marks",
        "edition_archive": "for long-term archiving, PDF/A",
        "draft": "Draft",
        "draft_note": "Draft: not published. This page is in a preview of the site; "
        "the public site does not show it until the issue is marked published.",
        "preview_note": "Preview with drafts: not the public site. Drafts are marked; "
        "make archive without DRAFTS builds the site to publish.",
        "search": "Search",
        "search_label": "Search every issue",
        "search_title": "Search the archive",
        "search_intro": "Find a story in any issue: a place, a project, a name.",
        "search_button": "Search",
        "search_none": "No story matches “{query}”.",
        "search_count": "{count} stories match “{query}”.",
        "search_one": "1 story matches “{query}”.",
        "search_file": "Search needs the site to be served by a web server: opened from "
        "disk, a browser does not let the page read its search index. Copy the site to "
        "its host, or serve it locally (python3 -m http.server in the site's folder).",
        "search_script": "Search needs JavaScript.",
        "search_error": "Search failed to load: {error}",
        "search_other": "Search in another language:",
        "search_loading": "Searching…",
        "no_issues": "No issue is published yet. An issue appears here once its "
        "issue.yaml says published: true.",
    },
    "ru": {
        "archive": "Архив выпусков",
        "skip": "Перейти к содержанию",
        "intro": "Все выпуски бюллетеня, начиная с последнего. Адрес каждого PDF-файла "
        "не меняется: на него можно ссылаться.",
        "all_issues": "Все выпуски",
        "downloads": "Скачать",
        "download": "Скачать (PDF, {size})",
        "download_hidden": "выпуск за {month} на языке: {language}",
        "other_files": "Другие файлы",
        "earlier": "Прежние версии",
        "revision": "Версия {number}, заменена {date}",
        "contacts": "Контакты",
        "feed": "Лента Atom",
        "json": "Индекс JSON",
        "pages": "страниц: {count}",
        "page": "1 страница",
        "megabytes": "МБ",
        "kilobytes": "КБ",
        "cover": "Первая страница выпуска за {month}",
        "read": "Читать выпуск за {month}",
        "language": "Этот выпуск на других языках",
        "edition_email": "для чтения с экрана и рассылки по почте",
        "edition_print": "для типографии, с метками обреза",
        "edition_archive": "для долгосрочного хранения, PDF/A",
        "draft": "Черновик",
        "draft_note": "Черновик: не опубликован. Эта страница — в предварительном просмотре "
        "сайта; на публичном сайте её нет, пока выпуск не отмечен как опубликованный.",
        "preview_note": "Предварительный просмотр с черновиками, а не публичный сайт.",
        "search": "Поиск",
        "search_label": "Поиск по всем выпускам",
        "search_title": "Поиск по архиву",
        "search_intro": "Найдите материал в любом выпуске: место, проект, имя.",
        "search_button": "Найти",
        "search_none": "По запросу «{query}» ничего не найдено.",
        "search_count": "Найдено материалов: {count} («{query}»).",
        "search_one": "Найден 1 материал («{query}»).",
        "search_file": "Для поиска сайт должен открываться с веб-сервера: с диска браузер "
        "не даёт странице прочитать поисковый индекс. Скопируйте сайт на сервер или "
        "запустите локальный (python3 -m http.server в папке сайта).",
        "search_script": "Для поиска нужен JavaScript.",
        "search_error": "Не удалось загрузить поиск: {error}",
        "search_other": "Искать на другом языке:",
        "search_loading": "Поиск…",
        "no_issues": "Опубликованных выпусков пока нет. Выпуск появится здесь, когда в его "
        "issue.yaml будет published: true.",
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


class Frame(_Data):
    """What every page of the site shows of the publication, from ``publication.yaml``."""

    name: str
    """The publication's name in its main language."""
    publisher: str
    """The publisher in the main language."""
    language: str
    """The main language."""
    colors: tuple[str, str]
    """The primary and accent colours."""
    slug: str
    """The publication's slug."""
    site_url: str | None
    """The site's public address, ending in ``/``, or ``None`` when not set."""
    preview: bool = False
    """True for a preview that shows drafts, False for the public site."""


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
    cards: dict[str, WebImage] = {}
    """The picture shown where a link to the issue is shared (1200 × 630), by language."""

    @property
    def folder(self) -> str:
        """Return the issue's folder in the site, ``2021/05``."""
        return self.month.replace("-", "/")

    def outputs(self) -> list[str]:
        """Return every file the record refers to, relative to the site."""
        names = [f.name for f in self.files] + [r.name for r in self.revisions]
        names += [cover.href for cover in self.covers.values()]
        names += [card.href for card in self.cards.values()]
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


def language_name(language: str, in_language: str | None = None) -> str:
    """Return the name of ``language`` in itself ("English", "Русский"), or in ``in_language``.

    A name in itself is capitalised, as in a list of languages to choose from.
    """
    try:
        locale = Locale.parse(babel_locale(language))
        name = locale.get_display_name(babel_locale(in_language or language)) or language
    except (ValueError, LookupError):
        return language
    return name[:1].upper() + name[1:] if in_language is None else name


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


def site_languages(frame: Frame, records: Sequence[IssueRecord]) -> list[str]:
    """Return the languages the site has pages in, the main language first."""
    found = [page.language for record in records for page in record.pages]
    return list(dict.fromkeys([frame.language, *found]))


def search_href(frame: Frame, language: str) -> str:
    """Return the search page of ``language``, relative to the site's folder."""
    return "search.html" if language == frame.language else f"search.{language}.html"


def index_context(frame: Frame, records: Sequence[IssueRecord]) -> dict[str, Any]:
    """Return what ``index.html.j2`` receives: the issues newest first, grouped by year."""
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    words = words_for(frame.language)
    years = [
        {"year": year, "issues": [_card(record, words) for record in group]}
        for year, group in itertools.groupby(newest, key=lambda record: record.month[:4])
    ]
    share = None
    if newest and newest[0].cards:
        record = newest[0]
        card = record.cards.get(frame.language) or next(iter(record.cards.values()))
        share = (record, card)
    description = words["intro"]
    return {
        **_common(
            frame,
            frame.language,
            frame.colors,
            words,
            root="",
            path="",
            name=frame.name,
            publisher=frame.publisher,
        ),
        **_sharing(frame, "", f"{frame.name} — {words['archive']}", description, share, words),
        "title": f"{frame.name} — {words['archive']}",
        "years": years,
        "alternates": [],
    }


def _card(record: IssueRecord, words: Mapping[str, str]) -> dict[str, Any]:
    main = record.pages[0]
    prefix = f"{record.folder}/"
    cover = record.covers[main.language]
    return {
        "month": record.month,
        "month_label": main.month_label,
        "number_label": main.number_label,
        "draft": not record.published,
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
    """Return the PDFs by language: the one to read first, then the printer's and archivist's.

    The email edition is the one to read and to send; the print and archive
    editions are named for whom they are for.
    """
    order = {edition: index for index, edition in enumerate(EDITION_ORDER)}
    month_label = next(p.month_label for p in record.pages if p.language == language)
    groups = []
    for page in record.pages:
        files = sorted(
            (f for f in record.files if f.language == page.language),
            key=lambda f: order.get(f.edition, len(order)),
        )
        if not files:
            continue
        first, *others = files
        others.sort(key=lambda f: _OTHER_ORDER.index(f.edition) if f.edition in _OTHER_ORDER else 9)
        groups.append(
            {
                "language": page.language,
                "language_name": page.language_name if len(record.pages) > 1 else "",
                "main": {
                    "href": prefix + first.name,
                    "title": f"{first.name}, {_pages(first.pages, words)}",
                    "label": words["download"].format(
                        size=_megabytes(first.bytes, language, words)
                    ),
                    "hidden": words["download_hidden"].format(
                        month=month_label, language=language_name(page.language, language)
                    ),
                    "edition": first.edition,
                    "note": "" if first.edition == "email" else _edition(first.edition, words),
                },
                "others": [
                    {
                        "href": prefix + f.name,
                        "title": f"{f.name}, {_pages(f.pages, words)}",
                        "label": _edition(f.edition, words),
                        "size_label": _megabytes(f.bytes, language, words),
                        "edition": f.edition,
                    }
                    for f in others
                ],
            }
        )
    return groups


def _edition(edition: str, words: Mapping[str, str]) -> str:
    label = words.get(f"edition_{edition}", edition)
    return label[:1].upper() + label[1:]


def issue_context(frame: Frame, record: IssueRecord, language: str) -> dict[str, Any]:
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
    path = f"{record.folder}/{page_href(record, language)}"
    card = record.cards.get(language) or record.cards.get(record.pages[0].language)
    title = f"{page.name} — {page.month_label}"
    description = "; ".join(story.title for story in page.stories)
    return {
        **_common(
            frame,
            language,
            record.colors,
            words,
            root="../../",
            path=path,
            name=page.name,
            publisher=page.publisher,
        ),
        **_sharing(frame, path, title, description, (record, card) if card else None, words),
        "title": title,
        "draft": not record.published,
        "issue_label": " · ".join(filter(None, [page.month_label, page.number_label])),
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
        "alternates": [
            {
                "language": other.language,
                "href": _absolute(frame, f"{record.folder}/{page_href(record, other.language)}"),
            }
            for other in record.pages
        ]
        if frame.site_url and len(record.pages) > 1
        else [],
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


def search_context(frame: Frame, records: Sequence[IssueRecord], language: str) -> dict[str, Any]:
    """Return what ``search.html.j2`` receives: the search page in ``language``."""
    words = words_for(language)
    path = search_href(frame, language)
    pages = [page for record in records for page in record.pages if page.language == language]
    name, publisher = (
        (pages[0].name, pages[0].publisher) if pages else (frame.name, frame.publisher)
    )
    return {
        **_common(
            frame,
            language,
            frame.colors,
            words,
            root="",
            path=path,
            name=name,
            publisher=publisher,
        ),
        **_sharing(frame, path, f"{name} — {words['search_title']}", "", None, words),
        "title": f"{name} — {words['search_title']}",
        "alternates": [],
        "others": [
            {"language": other, "name": language_name(other), "href": search_href(frame, other)}
            for other in site_languages(frame, records)
            if other != language
        ],
        # The words the search script shows, handed over as data attributes.
        "messages": {
            key.removeprefix("search_"): words[key]
            for key in (
                "search_none",
                "search_count",
                "search_one",
                "search_file",
                "search_error",
                "search_loading",
            )
        },
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
    frame: Frame,
    language: str,
    colors: tuple[str, str],
    words: Mapping[str, str],
    *,
    root: str,
    path: str,
    name: str,
    publisher: str,
) -> dict[str, Any]:
    primary, accent = colors
    return {
        "lang": language,
        "name": name,
        "publisher": publisher,
        "root": root,
        "colors": {"primary": primary, "accent": accent},
        "words": dict(words),
        "preview": frame.preview,
        "search_href": root + search_href(frame, language),
        "canonical": _absolute(frame, path),
    }


def _sharing(
    frame: Frame,
    path: str,
    title: str,
    description: str,
    card: tuple[IssueRecord, WebImage] | None,
    words: Mapping[str, str],
) -> dict[str, Any]:
    """Return the page's Open Graph and Twitter card: title, summary and, with an address, image."""
    image = None
    if card is not None and frame.site_url:
        record, picture = card
        image = {
            "src": _absolute(frame, f"{record.folder}/{picture.href}"),
            "width": picture.width,
            "height": picture.height,
            "alt": words["cover"].format(month=record.pages[0].month_label),
        }
    return {
        "share": {
            "title": title,
            "description": _shorten(description, 200),
            "site_name": frame.name,
            "url": _absolute(frame, path),
            "image": image,
            "type": "article" if path.endswith(".html") and "/" in path else "website",
        }
    }


def _absolute(frame: Frame, path: str) -> str:
    """Return the public address of ``path`` (relative to the site), or ``""`` without one."""
    if not frame.site_url:
        return ""
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return frame.site_url + path


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ;,.")
    return cut + "…"


def _megabytes(size: int, language: str, words: Mapping[str, str]) -> str:
    # "0.2 MB" reads better than "0.24 MB"; below 0.1 MB, kilobytes say more.
    locale = babel_locale(language)
    if size < 99_950:
        return f"{format_decimal(round(size / 1e3), locale=locale)} {words['kilobytes']}"
    return f"{format_decimal(size / 1e6, format='0.0', locale=locale)} {words['megabytes']}"


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


def render_feed(frame: Frame, records: Sequence[IssueRecord]) -> bytes:
    """Return the Atom 1.0 feed of the issues, newest first.

    Links are absolute when the site's address is known (``site_url``), as
    feed readers expect; relative to the feed otherwise.
    """
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    words = words_for(frame.language)
    base = frame.site_url or ""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {_XML_LANG: frame.language})
    _text(feed, "id", _urn(frame.slug))
    _text(feed, "title", f"{frame.name} — {words['archive']}")
    times = [updated(record) for record in newest] or [dt.datetime(1970, 1, 1, tzinfo=dt.UTC)]
    _text(feed, "updated", max(times).isoformat())
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", frame.publisher)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + "feed.xml"})
    ElementTree.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base or "index.html"}
    )
    for record in newest:
        page = record.pages[0]
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", _urn(record.slug, record.month))
        _text(entry, "title", f"{page.name} — {page.month_label}")
        _text(entry, "updated", updated(record).isoformat())
        page_link = f"{base}{record.folder}/" if base else f"{record.folder}/index.html"
        ElementTree.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {"rel": "alternate", "type": "text/html", "href": page_link},
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
                    "href": f"{base}{record.folder}/{file.name}",
                },
            )
        _text(entry, "summary", "; ".join(story.title for story in page.stories))
    ElementTree.indent(feed)
    data = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return bytes(data) + b"\n"


def render_sitemap(frame: Frame, records: Sequence[IssueRecord]) -> bytes:
    """Return ``sitemap.xml``: the index and every issue page, at their public addresses."""
    assert frame.site_url, "a sitemap needs the site's address"
    ElementTree.register_namespace("", SITEMAP)
    urlset = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    entries = [("index.html", max((updated(r) for r in newest), default=None))]
    entries += [
        (f"{record.folder}/{page_href(record, page.language)}", updated(record))
        for record in newest
        for page in record.pages
    ]
    for path, when in entries:
        url = ElementTree.SubElement(urlset, f"{{{SITEMAP}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP}}}loc").text = _absolute(frame, path)
        if when is not None:
            ElementTree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = when.date().isoformat()
    ElementTree.indent(urlset)
    data = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return bytes(data) + b"\n"


def render_robots(frame: Frame) -> str:
    """Return ``robots.txt``, which tells search engines where the sitemap is."""
    assert frame.site_url, "robots.txt names the sitemap by its address"
    return f"User-agent: *\nAllow: /\nSitemap: {frame.site_url}sitemap.xml\n"


def _text(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _urn(*parts: str) -> str:
    # Atom ids must be permanent IRIs that survive a move of the site: name-based
    # UUIDs of the publication's slug and month, not the site's address.
    return uuid.uuid5(uuid.NAMESPACE_URL, "bulletin:" + ":".join(parts)).urn


def render_json_index(frame: Frame, records: Iterable[IssueRecord]) -> str:
    """Return the JSON index of the issues (newest first) for other tools."""
    newest = sorted(records, key=lambda record: record.month, reverse=True)
    base = frame.site_url or ""
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
    index: dict[str, Any] = {"issues": issues}
    if base:
        index = {"site_url": base, **index}
    return json.dumps(index, ensure_ascii=False, indent=2) + "\n"
