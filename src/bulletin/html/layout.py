"""Turn a validated issue into the HTML its layout templates make of it.

All grouping and formatting (dates, credit lines, Markdown) happens here;
the templates under ``layouts/<name>/`` only place what they are given.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from bulletin.errors import BulletinError, display_path
from bulletin.html.contract import HEADLINE_STEPS, check_html
from bulletin.html.typography import typeset_html
from bulletin.i18n import babel_locale
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import Credit, PartialDate, Photo, Stats, Story
from bulletin.model.markdown import markdown_parser, render_markdown
from bulletin.photos.crop import find_subject
from bulletin.templates import rendered

if TYPE_CHECKING:
    # Only the types: the composer lays out through this module.
    from bulletin.compose import Choice, Layout

ENTRY_TEMPLATE = "issue.html.j2"


def render_html(
    loaded: LoadedIssue,
    *,
    images: Mapping[Path, str] | None = None,
    plan: Layout | None = None,
    edition: str | None = None,
    pages: Mapping[str, int] | None = None,
    blocks: Collection[str] | None = None,
) -> str:
    """Return the issue's HTML document, ready for the layout engine.

    ``images`` maps a photo's file to the URL of the prepared file to place instead;
    ``plan`` gives each block its treatment, columns and photo sizes (the
    composer's, :mod:`bulletin.compose`; else each story keeps its manifest's
    columns and a wide photo);
    ``edition`` adds the layout's style sheet for it (``print.css``), if any;
    ``pages`` gives the page each story starts on, for the contents list,
    when a layout of the issue has told (else the engine finds them);
    ``blocks`` keeps only the modules of these ids (for measuring).
    """
    layout_dir = layout_folder(loaded)
    entry_path = layout_dir / ENTRY_TEMPLATE
    try:
        template = rendered(
            loaded.root, entry_path, lambda: _environment(layout_dir).get_template(ENTRY_TEMPLATE)
        )
    except jinja2.TemplateNotFound:
        raise BulletinError.single(
            str(entry_path), f"the layout '{loaded.publication.layout}' has no {ENTRY_TEMPLATE}"
        ) from None
    context = build_context(loaded, images or {}, plan, pages)
    if blocks is not None:
        context["blocks"] = [block for block in context["blocks"] if block["id"] in blocks]
    sheet = edition_stylesheet(loaded, edition) if edition else None
    context["edition_stylesheets"] = [sheet] if sheet else []
    # Typography is set on the text as printed, never in the manifests.
    html = typeset_html(
        rendered(loaded.root, entry_path, lambda: template.render(context)), loaded.language
    )
    entry = entry_template(loaded)
    ids = [
        item["id"]
        for block in context["blocks"]
        for item in (block["entries"] if block["kind"] == "brief" else [block])
    ]
    check_html(html, entry, ids)
    return html


def entry_template(loaded: LoadedIssue) -> str:
    """Return the path of the issue's layout entry template, as messages name it."""
    return display_path(loaded.root, layout_folder(loaded) / ENTRY_TEMPLATE)


@functools.lru_cache(maxsize=16)
def _environment(layout_dir: Path) -> jinja2.Environment:
    """Return the Jinja environment of a layout folder, kept with its compiled templates.

    A build renders the issue's HTML several times (measuring, laying out);
    compiling the templates each time cost some 20 ms a render. Jinja checks
    each template file's date on every use, so an edited template is read again.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(layout_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


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
    plan: Layout | None = None,
    pages: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Return the data the templates receive, formatted for print."""
    publication, issue = loaded.publication, loaded.issue
    language = loaded.language
    labels = loaded.labels
    month_label = issue_date_label(issue.date, language)
    number_label = f"{labels['issue']} {issue.number}" if issue.number else ""
    by_id = {block.id: block for block in issue.stories}
    choices = plan.choices if plan is not None else _default_choices(loaded)
    blocks = [
        module_context(loaded, by_id, module_id, choice, images)
        for module_id, choice in choices.items()
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
            "columns": office_columns(
                [email for office in publication.contacts.offices for email in office.emails]
            ),
        },
        "closing": _closing(plan),
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


# The back panel, grown this much past its content, opens with a colophon
# (the publication's name and the issue), and becomes a back cover (mm):
# the publication's colour, its name set large, a larger QR code.
COLOPHON_MM = 25.0
BACK_COVER_MM = 60.0
QR_MM = 24.0
QR_LARGEST_MM = 38.0


def _closing(plan: Layout | None) -> dict[str, Any]:
    """Return how the closing block fills the last page, as the plan grew it."""
    closing = plan.closing if plan is not None else None
    grown = closing.grown_mm if closing is not None else 0.0
    return {
        "photo_mm": closing.photo_mm if closing is not None else 0.0,
        "panel_mm": closing.panel_mm if closing is not None else 0.0,
        "colophon": grown >= COLOPHON_MM,
        "cover": grown >= BACK_COVER_MM,
        # The QR code takes a share of the room, within what its row can hold.
        "qr_mm": round(min(QR_LARGEST_MM, QR_MM + grown * 0.2), 2),
    }


# The offices' grid: three columns hold an address of about this many
# characters (a third of the back panel at the contacts' 8 pt), two about
# this many; a longer one wraps where it must (style.css: overflow-wrap).
THIRD_CHARACTERS = 34
HALF_CHARACTERS = 54


def office_columns(addresses: list[str]) -> int:
    """Return how many columns the offices' grid takes: three, fewer for long addresses."""
    longest = max((len(address) for address in addresses), default=0)
    if longest <= THIRD_CHARACTERS:
        return 3
    return 2 if longest <= HALF_CHARACTERS else 1


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


def module_context(
    loaded: LoadedIssue,
    by_id: Mapping[str, Story | Stats],
    module_id: str,
    choice: Choice,
    images: Mapping[Path, str],
) -> dict[str, Any]:
    """Return what the templates receive for one module: a story, a brief or a call-out.

    ``module_id`` is the module's HTML id (the story's, or a measuring layout's own).
    """
    block = by_id[choice.block]
    if isinstance(block, Stats):
        return {**_stats(block, choice.rows), "id": module_id}
    language, labels = loaded.language, loaded.labels
    if choice.treatment == "brief":
        items = [by_id[member] for member in choice.members]
        return {
            "kind": "brief",
            # The first story's id marks its own item: the brief has one of its own.
            "id": f"brief-{module_id}" if module_id == choice.block else module_id,
            "entries": [
                {
                    "id": item.id if module_id == choice.block else f"{module_id}-{number}",
                    "kicker": item.kicker,
                    "title": item.title,
                    "body": _markdown(item.body),
                }
                for number, item in enumerate(items)
                if isinstance(item, Story)
            ],
        }
    photos = [_photo(photo, language, labels, images) for photo in block.photos]
    for photo, size in zip(photos, choice.photos, strict=False):
        # The part shown keeps the photo's subject (photos.crop): its position stays.
        photo.update(width_mm=round(size.width_mm, 3), height_mm=round(size.height_mm, 3))
    return {
        "kind": "story",
        "id": module_id,
        "head": choice.head,
        "lead": choice.lead,
        "headline_size": HEADLINE_STEPS.get(choice.headline, ""),
        "treatment": choice.treatment,
        "kicker": block.kicker,
        "title": block.title,
        "standfirst": block.standfirst or "",
        "rows": [[photos[index] for index in row] for row in choice.rows],
        "side": photos[choice.side] if choice.side is not None else None,
        "inline": [photos[index] for index in choice.inline],
        "columns": choice.columns,
        # The body, cut where its inline photos go (one part without any).
        "body": _body(block, choice.quote, len(choice.inline)) if choice.columns else [],
    }


def _body(story: Story, quote: bool, photos: int = 0) -> list[Markup]:
    """Return the story's body as HTML, cut where its inline photos go (``photos + 1`` parts).

    The pull quote is set after about a third of the text; the first inline
    photo after the opening paragraph, the others where the text has brought
    its share of the rest (photo ``i`` of ``n`` after ``i / n`` of it).
    """
    if not photos and not (quote and story.quote):
        return [_markdown(story.body)]
    parser = markdown_parser()
    tokens = parser.parse(story.body)
    ends = [
        index + 1 for index, token in enumerate(tokens) if token.level == 0 and token.nesting <= 0
    ]
    sizes = [len(token.content) for token in tokens]
    total = sum(sizes) or 1

    # Never after the last top-level block when there are several: a quote
    # or a photo belongs inside the text.
    inside = ends[:-1] or ends or [0]

    def after(share: float, earliest: int) -> int:
        # After the first top-level block that brings ``share`` of the text
        # (from ``earliest`` on), else after the last but one.
        for end in inside:
            if end >= earliest and sum(sizes[:end]) >= total * share:
                return end
        return inside[-1]

    cuts: list[tuple[int, int, str]] = []
    if quote and story.quote:
        cuts.append((after(1 / 3, 0), 1, "quote"))
    earliest = 0
    for number in range(photos):
        cut = after(number / photos, earliest)
        cuts.append((cut, 0, "photo"))
        earliest = cut + 1
    parts = [Markup()]
    start = 0
    for cut, _, kind in sorted(cuts):
        parts[-1] += Markup(parser.renderer.render(tokens[start:cut], parser.options, {}))
        start = cut
        if kind == "quote":
            parts[-1] += Markup(
                '<blockquote class="pull-quote"><p><q>{}</q></p></blockquote>\n'
            ).format(story.quote)
        else:
            parts.append(Markup())
    parts[-1] += Markup(parser.renderer.render(tokens[start:], parser.options, {}))
    return parts


def _default_choices(loaded: LoadedIssue) -> dict[str, Choice]:
    """Return the layout of each block without a plan: its manifest's columns, a wide photo."""
    from bulletin.compose import default_choice

    return {block.id: default_choice(block) for block in loaded.issue.stories}


def _stats(stats: Stats, rows: tuple[tuple[int, ...], ...]) -> dict[str, Any]:
    figures = [{"value": f.value, "label": f.label} for f in stats.figures]
    return {
        "kind": "stats",
        "id": stats.id,
        "kicker": stats.kicker or "",
        "title": stats.title,
        "intro": _markdown(stats.intro),
        "figures": figures,
        # As the composer chose (one row unless a value does not fit its cell).
        "rows": [[figures[i] for i in row] for row in rows] if rows else [figures],
    }


def issue_date_label(date: dt.date, language: str) -> str:
    """Return the month of ``date`` as printed on the masthead ("May 2021")."""
    return format_skeleton("yMMMM", date, locale=babel_locale(language))
