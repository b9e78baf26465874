"""Turn a validated issue into the HTML its layout templates make of it.

All grouping and formatting (dates, credit lines, Markdown) happens here;
the templates under ``layouts/<name>/`` only place what they are given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from bulletin.errors import BulletinError, display_path
from bulletin.fit import DEFAULT_PHOTO_MM, Fit
from bulletin.html.contract import check_html
from bulletin.html.typography import typeset_html
from bulletin.i18n import babel_locale
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import Credit, PartialDate, Photo, Stats, Story
from bulletin.model.markdown import render_markdown
from bulletin.photos.crop import find_subject

ENTRY_TEMPLATE = "issue.html.j2"


def render_html(
    loaded: LoadedIssue,
    *,
    images: Mapping[Path, str] | None = None,
    fit: Fit | None = None,
    edition: str | None = None,
    pages: Mapping[str, int] | None = None,
    blocks: Collection[str] | None = None,
) -> str:
    """Return the issue's HTML document, ready for the layout engine.

    ``images`` maps a photo's file to the URL of the prepared file to place instead;
    ``fit`` sets photo heights and closing space that pack the pages (fit.py);
    ``edition`` adds the layout's style sheet for it (``print.css``), if any;
    ``pages`` gives the page each story starts on, for the contents list,
    when a layout of the issue has told (else the engine finds them);
    ``blocks`` keeps only the stories and call-outs of these ids (for measuring).
    """
    layout_dir = layout_folder(loaded)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layout_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    try:
        template = environment.get_template(ENTRY_TEMPLATE)
    except jinja2.TemplateNotFound:
        raise BulletinError.single(
            str(layout_dir / ENTRY_TEMPLATE),
            f"the layout '{loaded.publication.layout}' has no {ENTRY_TEMPLATE}",
        ) from None
    context = build_context(loaded, images or {}, fit, pages)
    if blocks is not None:
        context["blocks"] = [block for block in context["blocks"] if block["id"] in blocks]
    sheet = edition_stylesheet(loaded, edition) if edition else None
    context["edition_stylesheets"] = [sheet] if sheet else []
    # Typography is set on the text as printed, never in the manifests.
    html = typeset_html(template.render(context), loaded.language)
    entry = display_path(loaded.root, layout_dir / ENTRY_TEMPLATE)
    check_html(html, entry, [block["id"] for block in context["blocks"]])
    return html


def edition_stylesheet(loaded: LoadedIssue, edition: str) -> str | None:
    """Return the layout's style sheet for ``edition`` (``print.css``), if it has one."""
    name = f"{edition}.css"
    return name if (layout_folder(loaded) / name).is_file() else None


def layout_folder(loaded: LoadedIssue) -> Path:
    """Return the folder of the publication's layout, or raise if there is none."""
    folder = loaded.root / "layouts" / loaded.publication.layout
    if not folder.is_dir():
        known = sorted(p.name for p in (loaded.root / "layouts").glob("*") if p.is_dir())
        raise BulletinError.single(
            "issues/publication.yaml",
            f"there is no layout '{loaded.publication.layout}' in layouts/: "
            f"use one of {', '.join(known) or 'none found'}",
            where="layout",
        )
    return folder


def build_context(
    loaded: LoadedIssue,
    images: Mapping[Path, str],
    fit: Fit | None = None,
    pages: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Return the data the templates receive, formatted for print."""
    publication, issue = loaded.publication, loaded.issue
    language = loaded.language
    labels = loaded.labels
    month_label = issue_date_label(issue.date, language)
    number_label = f"{labels['issue']} {issue.number}" if issue.number else ""
    photo_heights = fit.heights_mm if fit else {}
    blocks = [
        _story(block, language, labels, images, photo_heights.get(block.id, DEFAULT_PHOTO_MM))
        if isinstance(block, Story)
        else _stats(block)
        for block in issue.stories
    ]
    return {
        "lang": language,
        "title": f"{publication.name} — {month_label}",
        "name": publication.name,
        "publisher": publication.publisher,
        "logo": (images.get(Path(publication.logo)) or Path(publication.logo).as_uri())
        if publication.logo
        else "",
        "month_label": month_label,
        "number_label": number_label,
        "footer_label": f"{publication.name} · {month_label}",
        "description": f"{publication.name}, {month_label}: "
        + "; ".join(block.title for block in issue.stories),
        "keywords": ", ".join(dict.fromkeys(b.kicker for b in issue.stories if b.kicker)),
        "created": issue.date.isoformat(),
        "colors": {
            "primary": publication.colors.primary,
            "accent": publication.colors.accent,
            "primary_tint": _tint(publication.colors.primary, 0.08),
        },
        "labels": labels,
        "toc": [
            {
                "id": b.id,
                "kicker": b.kicker or "",
                "title": b.title,
                "page": (pages or {}).get(b.id, 0),
            }
            for b in issue.stories
        ],
        "blocks": blocks,
        "contacts": {
            "heading": publication.contacts.heading,
            "offices": [
                {"country": office.country, "emails": list(office.emails)}
                for office in publication.contacts.offices
            ],
        },
        "closing_space_mm": fit.closing_space_mm if fit else 0,
        "social": [
            {"label": link.label, "url": link.url, "address": printed_address(link.url)}
            for link in publication.social
        ],
        "about": _markdown(publication.about) if publication.about else "",
        "website": {
            "url": publication.website,
            "address": printed_address(publication.website),
            "qr": qr_code(publication.website),
        }
        if publication.website
        else None,
        "back_photo": _photo(issue.back_photo, language, labels, images)
        if issue.back_photo
        else None,
    }


def printed_address(url: str) -> str:
    """Return ``url`` as a reader types it: "facebook.com/IOMCentralAsia" (no scheme, no www)."""
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return parts.path
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return host + rest


def qr_code(url: str) -> str:
    """Return a QR code that opens ``url``, as a data: URL of an SVG drawing."""
    import segno

    code = segno.make_qr(url, error="m")
    # Dark modules on a transparent ground, four modules of quiet zone around.
    return str(code.svg_data_uri(scale=1, border=4, dark="#000", light=None))


def format_credit(credit: Credit, language: str, pattern: str) -> str:
    """Return the credit line, "Photo by IOM, Istanbul, May 26, 2021", after ``pattern``.

    A part the credit does not give (no place, no date) is left out with the
    separator before it ("Photo by Jane Doe, 2021"); a licence follows the
    line ("Photo by Jane Doe, CC BY 4.0").
    """
    date = format_partial_date(credit.date, language) if credit.date else None
    parts = {"by": credit.by, "place": credit.place, "date": date}
    line = _PLACEHOLDER.sub(
        lambda match: str(parts.get(match["name"]) or ""),
        _drop_absent(pattern, {name for name, value in parts.items() if not value}),
    )
    return f"{line}, {credit.licence}" if credit.licence else line


_PLACEHOLDER = re.compile(r"\{(?P<name>\w+)\}")
_SEPARATOR = r"[ \t]*[,;/·–—:]?[ \t]*"


def _drop_absent(pattern: str, absent: set[str]) -> str:
    """Return ``pattern`` without the placeholders in ``absent`` and their separators."""
    for name in sorted(absent):
        field = re.escape("{" + name + "}")
        # The separator before it goes ("{by}, {place}" → "{by}"), or, for the
        # first of the line, the one after it ("{place}, {date}" → "{date}").
        before = re.compile(rf"(?<=\S){_SEPARATOR}{field}")
        pattern, found = before.subn("", pattern, count=1)
        if not found:
            pattern = re.sub(rf"{field}{_SEPARATOR}", "", pattern, count=1)
    return pattern


def format_partial_date(date: PartialDate, language: str) -> str:
    """Return ``date`` written out in ``language``, to the day, the month or the year."""
    locale = babel_locale(language)
    if date.month is None:
        return format_skeleton("y", date.first_day, locale=locale)
    if date.day is None:
        return format_skeleton("yMMMM", date.first_day, locale=locale)
    return format_date(date.first_day, format="long", locale=locale)


def _tint(color: str, strength: float) -> str:
    """Return ``color`` mixed into white, ``strength`` of it kept (for backgrounds)."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def _markdown(text: str) -> Markup:
    # Raw HTML is off in the parser, so its output is safe to mark as markup.
    return Markup(render_markdown(text))


def _photo(
    photo: Photo, language: str, labels: Mapping[str, str], images: Mapping[Path, str]
) -> dict[str, Any]:
    source = Path(photo.file)
    return {
        "src": images.get(source) or source.as_uri(),
        "alt": photo.alt,
        "credit": format_credit(photo.credit, language, labels["credit"]),
        "caption": photo.caption or "",
        # Where a crop keeps the subject: the same for the photo in every
        # language and edition (photos.crop).
        "position": find_subject(source, photo.focus).css_position,
    }


def _story(
    story: Story,
    language: str,
    labels: Mapping[str, str],
    images: Mapping[Path, str],
    photo_height: int,
) -> dict[str, Any]:
    photos = [_photo(photo, language, labels, images) for photo in story.photos]
    return {
        "kind": "story",
        "id": story.id,
        "kicker": story.kicker,
        "title": story.title,
        "standfirst": story.standfirst or "",
        "body": _markdown(story.body),
        "columns": story.layout.columns,
        "lead": photos[0],
        "lead_height_mm": photo_height,
        "photos": photos[1:],
    }


def _stats(stats: Stats) -> dict[str, Any]:
    return {
        "kind": "stats",
        "id": stats.id,
        "kicker": stats.kicker or "",
        "title": stats.title,
        "intro": _markdown(stats.intro),
        "figures": [{"value": f.value, "label": f.label} for f in stats.figures],
    }


def issue_date_label(date: dt.date, language: str) -> str:
    """Return the month of ``date`` as printed on the masthead ("May 2021")."""
    return format_skeleton("yMMMM", date, locale=babel_locale(language))
