"""The data a bulletin is made of: a publication and its monthly issues.

Models are plain data: strict, frozen, and free of I/O. Checks that need the
file system (does a photo exist?) run through the validation context, which
:mod:`bulletin.manifest.load` fills with the issue folder.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from bulletin.model.markdown import markdown_parser

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
"""An issue's month, ``YYYY-MM``: its folder's name and its manifest's ``month``."""
MONTH = re.compile(MONTH_PATTERN)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


RESOLVE_FILE = "resolve_file"
"""The validation context's key for the check of a file a manifest names.

Its value is called as ``resolve(relative, what="photo")`` and returns the
file's path, or raises a ``PydanticCustomError`` saying what is wrong; the
loader (:mod:`bulletin.manifest.load`) passes one that looks in the folder of
the manifest. Without it, paths are kept as written: models do no I/O.
"""


class Strict(BaseModel):
    """Base of every manifest model: unknown keys rejected, values immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
    )


def _check_link(url: str) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in LINK_SCHEMES:
        raise PydanticCustomError(
            "link_scheme",
            "link '{url}' is not allowed: use an https://, http:// or mailto: address",
            {"url": url},
        )
    return url


def _check_markdown(text: str) -> str:
    """Refuse links a reader could not follow safely (``javascript:``, ``file:``)."""
    for token in _MARKDOWN.parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                _check_link(str(child.attrGet("href") or ""))
            elif child.type == "image":
                raise PydanticCustomError(
                    "markdown_image",
                    "the text holds an image ({src}): add photos under 'photos' instead, "
                    "with their credit and alt text",
                    {"src": str(child.attrGet("src") or "")},
                )
    return text


def _check_site_url(url: str) -> str:
    """Accept the site's public address (https, a host, no query), ending in ``/``."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.netloc or parts.query or parts.fragment:
        raise PydanticCustomError(
            "site_url",
            "'{url}' cannot be the site's address: write the https:// address of the "
            "folder the archive site is served from, like https://www.example.org/bulletin/",
            {"url": url},
        )
    return url if url.endswith("/") else url + "/"


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError(
            "email", "'{value}' is not an email address (name@example.org)", {"value": value}
        )
    return value


# One parser for validation: raw HTML off, exactly as the layout renders it,
# except that it reads every link. The layout's parser leaves a
# ``javascript:`` or ``file:`` link as plain text; here it is refused by name.
_MARKDOWN = markdown_parser(every_link=True)

# A line of print (headline, kicker, label, credit part) and a short text
# (standfirst, caption, alt text): limits far above any real one, which keep
# a pasted paragraph out of a headline and the layout engine out of minutes.
Line = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=1000)]
Markdown = Annotated[str, Field(min_length=1), AfterValidator(_check_markdown)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Email = Annotated[str, AfterValidator(_check_email)]
Url = Annotated[str, AfterValidator(_check_link)]
SiteUrl = Annotated[str, AfterValidator(_check_site_url)]
HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class PartialDate(BaseModel):
    """A date known to the day (``2021-05-26``), the month (``2021-05``) or the year (``2021``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    month: int | None = None
    day: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # date: 2021, a year alone, unquoted
        if isinstance(value, str):
            text = value.strip()
            if match := _YEAR.match(text):
                return {"year": int(match[1])}
            if match := _DAY.match(text):
                year, month, day = (int(part) for part in match.groups())
                try:
                    dt.date(year, month, day)
                except ValueError:
                    raise _bad_date(text) from None
                return {"year": year, "month": month, "day": day}
            if (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
                return {"year": int(match[1]), "month": int(match[2])}
        if isinstance(value, dict) and set(value) <= {"year", "month", "day"}:
            # Written as fields: held to the same rules as the text form.
            try:
                parts = [int(value[key]) for key in ("year", "month") if key in value]
                day = int(value["day"]) if value.get("day") is not None else 1
                if "day" in value and "month" not in value:
                    raise ValueError("a day needs its month")
                dt.date(parts[0], parts[1] if len(parts) > 1 else 1, day)
            except (KeyError, IndexError, TypeError, ValueError):
                raise _bad_date(value) from None
            return value
        raise _bad_date(value)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the date as a manifest writes it, as text, not as its parts."""
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "title": "Date",
        }

    @property
    def first_day(self) -> dt.date:
        """Return the date, or the first day of the month or year it names."""
        return dt.date(self.year, self.month or 1, self.day or 1)


def _bad_date(value: object) -> PydanticCustomError:
    return PydanticCustomError(
        "date_format",
        "'{value}' is not a date: write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes "
        'for a month ("2021-05"), or YYYY for a year (2021)',
        {"value": str(value)},
    )


class Credit(Strict):
    """Who took a photo, where and when: printed as "Photo by IOM, Istanbul, May 26, 2021"."""

    by: Line
    """The photographer or organisation credited ("IOM", "Jane Doe/IOM")."""
    place: Line | None = None
    """Optional: where the photo was taken ("Istanbul")."""
    date: PartialDate | None = None
    """Optional: when, as YYYY-MM-DD, "YYYY-MM" (quoted) for a month, or YYYY for a year."""
    licence: Line | None = None
    """Optional licence the photo is used under, printed after the credit ("CC BY 4.0")."""


Percent = Annotated[float, Field(ge=0, le=100)]


class Focus(Strict):
    """Where a photo's subject is, as percentages of its width and height from the top left."""

    x: Percent
    """Across, from the left edge: 0 (left) to 100 (right)."""
    y: Percent
    """Down, from the top edge: 0 (top) to 100 (bottom)."""


class Photo(Strict):
    """A photo placed with a story, with its credit line."""

    file: str
    """Image file (JPEG or PNG), relative to the issue folder: ``photos/istanbul.jpg``."""
    alt: Text
    """What the photo shows, for readers who cannot see it (screen readers, tagged PDF)."""
    credit: Credit
    """The photo credit printed under the photo."""
    caption: Text | None = None
    """Optional caption printed with the credit."""
    focus: Focus | None = None
    """Optional: where the subject is (``focus: {x: 30, y: 25}``, percentages from the top
    left), kept in view however the photo is cropped. Left out, bulletin looks for faces,
    else for the most detailed part of the photo."""

    @field_validator("file")
    @classmethod
    def _inside_issue(cls, value: str, info: ValidationInfo) -> str:
        resolve = (info.context or {}).get(RESOLVE_FILE)
        if resolve is None:
            return value
        return str(resolve(value, what="photo"))


class StoryLayout(Strict):
    """Hints for laying out one story."""

    columns: Literal[1, 2, 3] | None = None
    """Number of text columns for the story body; left out, the composer chooses two or three."""


class Story(Strict):
    """A story: section kicker, headline, photos and Markdown body."""

    kind: Literal["story"] = "story"
    """Block kind; ``story`` is the default and may be left out."""
    id: Slug
    """Stable identifier (``almaty-process``), used to match translations."""
    kicker: Line
    """Section label above the headline ("Direct assistance")."""
    title: Line
    """The headline."""
    standfirst: Text | None = None
    """Optional one- or two-sentence summary set between headline and body."""
    quote: Text | None = None
    """Optional pull quote: a sentence of the story, set large inside its columns."""
    body: Markdown
    """Story text in Markdown: paragraphs, *emphasis*, links, lists. No raw HTML."""
    photos: list[Photo] = Field(default=[], max_length=4)
    """No photo, or one to four: they stay with the story, each with its credit."""
    layout: StoryLayout = StoryLayout()
    """Optional layout hints."""


class Figure(Strict):
    """One figure of a statistics call-out: "95%" and what it counts."""

    value: Line
    """The figure as printed ("95%", "1,100 km")."""
    label: Line
    """What the figure means, completing the sentence it starts."""


class Stats(Strict):
    """A statistics call-out: a short text with large figures."""

    kind: Literal["stats"]
    """Block kind: ``stats``."""
    id: Slug
    """Stable identifier, used to match translations."""
    kicker: Line | None = None
    """Optional section label above the title."""
    title: Line
    """The call-out's heading."""
    intro: Markdown
    """Text introducing the figures, in Markdown."""
    figures: list[Figure] = Field(min_length=1, max_length=6)
    """The figures, printed large (one to six)."""


def _block_kind(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("kind", "story"))
    return str(getattr(value, "kind", "story"))


Block = Annotated[
    Annotated[Story, Tag("story")] | Annotated[Stats, Tag("stats")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="unknown block kind: use 'story' (the default) or 'stats'",
    ),
]
BLOCK_TAGS = frozenset({"story", "stats"})


def _month(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return value


def _some_stories(value: Any) -> Any:
    # A month just started has its stories commented out: say what to do, not
    # that YAML's null is not a list.
    if value is None or value == []:
        raise PydanticCustomError(
            "no_stories",
            "the issue has no stories yet: add one under 'stories' (bulletin import "
            "brings one in from a Word file)",
        )
    return value


class Issue(Strict):
    """One month's bulletin: ``issues/YYYY-MM/issue.yaml``."""

    month: Annotated[str, Field(pattern=MONTH_PATTERN), BeforeValidator(_month)]
    """The month the issue covers, "YYYY-MM" in quotes; must match the folder name."""
    number: Annotated[int, Field(ge=1)] | None = None
    """Optional issue number printed on the masthead."""
    published: bool = False
    """True once the issue has gone out to readers. Only then is it on the archive site,
    its feed and its index (a draft is seen only in a preview built with drafts), and the
    archive keeps its PDFs as they are, refusing a rebuild that would change them unless
    asked to republish."""
    stories: Annotated[list[Block], BeforeValidator(_some_stories), Field(min_length=1)]
    """The stories and call-outs, in reading order."""
    back_photo: Photo | None = None
    """Optional photo for the back page, above the contacts, with its credit."""

    @field_validator("stories")
    @classmethod
    def _unique_ids(cls, stories: list[Story | Stats]) -> list[Story | Stats]:
        seen: set[str] = set()
        for index, story in enumerate(stories):
            if story.id in seen:
                raise PydanticCustomError(
                    "duplicate_id",
                    "story id '{id}' is used twice: give each story its own id",
                    {"id": story.id, "index": index},
                )
            seen.add(story.id)
        return stories

    def placed_photos(self) -> list[tuple[tuple[str | int, ...], Photo]]:
        """Return every photo the issue places, with where it is in the manifest.

        The stories' photos in reading order, then the back photo.
        """
        placed: list[tuple[tuple[str | int, ...], Photo]] = [
            (("stories", index, "photos", number, "file"), photo)
            for index, block in enumerate(self.stories)
            if isinstance(block, Story)
            for number, photo in enumerate(block.photos)
        ]
        if self.back_photo is not None:
            placed.append((("back_photo", "file"), self.back_photo))
        return placed

    @property
    def date(self) -> dt.date:
        """Return the first day of the issue's month."""
        year, month = self.month.split("-")
        return dt.date(int(year), int(month), 1)


class Colors(Strict):
    """Brand colours."""

    primary: HexColor = "#0033A0"
    """Main brand colour (masthead, kickers, figures), as #RRGGBB."""
    accent: HexColor = "#5B92E5"
    """Second colour for rules and highlights, as #RRGGBB."""


class Office(Strict):
    """One office in the contacts block."""

    country: Line
    """Country or office name, printed as its label."""
    emails: list[Email] = Field(min_length=1)
    """One or more email addresses, printed as mailto: links."""


class Contacts(Strict):
    """The contacts block that closes every issue."""

    heading: Line
    """Heading of the block ("Contact IOM missions in Central Asia")."""
    offices: list[Office] = Field(min_length=1)
    """The offices, in the order printed."""


class SocialLink(Strict):
    """A link to the publisher's social media."""

    label: Line
    """Link text ("Follow us on Facebook")."""
    url: Url
    """Address (https://…)."""


class EmailEdition(Strict):
    """The email edition: the file partners receive, small and accessible on screen."""

    ppi: Annotated[int, Field(ge=72, le=600)] = 150
    """Photo resolution at the size the layout places them, in pixels per inch."""
    quality: Annotated[int, Field(ge=30, le=95)] = 82
    """JPEG quality of the photos (30-95)."""
    max_megabytes: Annotated[float, Field(gt=0)] = 3.0
    """The largest the file may be, in MB (1 MB = 1,000,000 bytes)."""
    min_ppi: Annotated[int, Field(ge=72, le=600)] = 100
    """The lowest photo resolution tried, stepping down from ``ppi``, to fit the size."""
    min_quality: Annotated[int, Field(ge=30, le=95)] = 60
    """The lowest JPEG quality tried, stepping down from ``quality``, to fit the size."""

    @model_validator(mode="after")
    def _floors_below_start(self) -> EmailEdition:
        if self.min_ppi > self.ppi or self.min_quality > self.quality:
            raise PydanticCustomError(
                "edition_floor",
                "min_ppi and min_quality are floors: make them no higher than ppi and quality",
            )
        return self


class PrintEdition(Strict):
    """The print edition: for the printer, with bleed, crop marks and full-resolution photos."""

    ppi: Annotated[int, Field(ge=150, le=1200)] = 300
    """The highest photo resolution at placed size; photos are never enlarged to reach it."""
    quality: Annotated[int, Field(ge=30, le=95)] = 92
    """JPEG quality of the photos (30-95)."""
    bleed_mm: Annotated[float, Field(ge=0, le=10)] = 3.0
    """Bleed around the A4 trim, in millimetres; crop marks sit outside it."""


class ArchiveEdition(Strict):
    """The archive edition: PDF/A-3b with the manifests attached, kept for years."""

    ppi: Annotated[int, Field(ge=150, le=1200)] = 300
    """The highest photo resolution at placed size; photos are never enlarged to reach it."""
    quality: Annotated[int, Field(ge=30, le=95)] = 92
    """JPEG quality of the photos (30-95)."""


class Editions(Strict):
    """The editions built from each issue; leave one out to not build it."""

    email: EmailEdition | None = None
    """``<slug>-YYYY-MM.pdf``, sent to partners by email."""
    print: PrintEdition | None = None
    """``<slug>-YYYY-MM-print.pdf``, sent to the printer."""
    archive: ArchiveEdition | None = None
    """``<slug>-YYYY-MM-archive.pdf``, kept in the archive."""

    @model_validator(mode="before")
    @classmethod
    def _listed_means_built(cls, value: Any) -> Any:
        # "print:" with nothing after it is YAML null, yet plainly asks for the edition.
        if isinstance(value, dict):
            return {key: {} if item is None else item for key, item in value.items()}
        return value

    @model_validator(mode="after")
    def _at_least_one(self) -> Editions:
        if not self.names():
            raise PydanticCustomError(
                "no_edition", "list at least one edition: email, print or archive"
            )
        return self

    def names(self) -> tuple[str, ...]:
        """Return the names of the editions configured, in build order."""
        return tuple(name for name in EDITION_NAMES if getattr(self, name) is not None)


EDITION_NAMES = ("email", "print", "archive")
ALL_EDITIONS = Editions(email=EmailEdition(), print=PrintEdition(), archive=ArchiveEdition())


class Smtp(Strict):
    """The mail server that sends the bulletin to partners."""

    host: Line
    """The server's host name ("smtp.office365.com")."""
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    """The server's port; by default 587 with starttls, 465 with tls and 25 with none."""
    security: Literal["starttls", "tls", "none"] = "starttls"
    """How the connection is encrypted: ``starttls`` (plain, then encrypted before the
    login), ``tls`` (encrypted from the start) or ``none`` (only for a relay that needs no
    login)."""
    user: Line | None = None
    """The login name, if the server asks for one; the password is never written here."""
    password_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    """The environment variable holding the password (default BULLETIN_SMTP_PASSWORD)."""
    password_file: str | None = None
    """A file holding the password, outside the project (``~/.config/bulletin/smtp``);
    read when the environment variable is not set."""
    ca_file: str | None = None
    """Certificates (PEM) to trust for a server whose certificate an organisation issued
    itself; the system's certificates otherwise."""
    rate_per_minute: Annotated[int, Field(ge=1, le=6000)] = 30
    """The most messages sent in a minute (servers limit it: Microsoft 365 to 30)."""
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 60
    """How long to wait for the server to answer before taking the connection as lost."""
    retries: Annotated[int, Field(ge=0, le=20)] = 3
    """How many times in a row to try again after a temporary failure (a 4xx answer, a
    lost connection) before stopping; a rerun then sends the rest."""
    retry_wait_seconds: Annotated[float, Field(ge=0, le=3600)] = 30
    """How long to wait before trying again after a temporary failure."""

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> Smtp:
        if self.security == "none" and (self.user or self.password_env or self.password_file):
            raise PydanticCustomError(
                "smtp_clear_password",
                "security: none would send the password unencrypted: use starttls or tls, "
                "or remove the login for a relay that needs none",
            )
        return self

    @property
    def effective_port(self) -> int:
        """Return the port, or the usual one for ``security``."""
        return self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]


class Mail(Strict):
    """Sending the issue to partners by email (``bulletin send``)."""

    sender: Email
    """The address the bulletin is sent from; replies and bounces come back to it."""
    sender_name: Line | None = None
    """The name shown as the sender; the bulletin's name in the partner's language
    by default."""
    reply_to: Email | None = None
    """Where replies go, when not to the sender."""
    unsubscribe: Email | None = None
    """Where partners ask to leave the list (the List-Unsubscribe header); the sender
    by default."""
    archive_url: Url | None = None
    """The address of the archive site (``https://bulletin.example.org/``), for the link
    to the issue's page in each message."""
    partners: str = "partners.csv"
    """The partner list (CSV or YAML), relative to the project folder. It is personal
    data: keep it out of the issues folder and out of version control."""
    groups: list[Slug] = []
    """The groups partners may belong to (``donors``, ``government``), to send to one
    with ``--group``."""
    smtp: Smtp | None = None
    """The mail server; needed to send, not for a dry run."""


class Publication(Strict):
    """What stays the same across issues: ``issues/publication.yaml``."""

    name: Line
    """Bulletin name on the masthead and in the running footer."""
    publisher: Line
    """Organisation publishing the bulletin; also the PDF's author."""
    slug: Slug
    """Short name used in output file names: ``<slug>-2021-05.pdf``."""
    language: Language = "en"
    """Main language of the bulletin as a BCP 47 tag ("en", "ru")."""
    translation_fallback: bool = False
    """In a language edition, print the main language's text where a translation
    is missing, instead of failing the build."""
    layout: Slug = "standard"
    """Layout folder under ``layouts/``."""
    colors: Colors = Colors()
    """Brand colours."""
    logo: str | None = None
    """Optional logo (SVG or PNG), relative to the ``issues/`` folder."""
    page_budget: Annotated[int, Field(ge=1, le=64)] = 8
    """The most pages an issue may take; a longer issue fails to build."""
    contacts: Contacts
    """Contacts block on the last page."""
    social: list[SocialLink] = []
    """Social media links under the contacts; their addresses are printed too."""
    about: Markdown | None = None
    """Optional short "about us" text for the back page, in Markdown."""
    website: Url | None = None
    """Optional address of the bulletin's website or archive: printed on the back page
    with a QR code that opens it."""
    labels: dict[str, Text] = {}
    """Words the layout prints ("In this issue", "Photo by"…), for a main language
    bulletin does not know yet; see ``bulletin.i18n.LABELS`` for the keys."""
    editions: Editions = ALL_EDITIONS
    """The editions to build (email, print, archive); all three when left out."""
    mail: Mail | None = None
    """Sending the email edition to partners: sender, partner list and mail server."""
    site_url: SiteUrl | None = None
    """The archive site's public address (https://…/), for the feed's links, each page's
    canonical address, the sitemap and the pictures shown when a link is shared."""

    @field_validator("logo")
    @classmethod
    def _logo_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        resolve = (info.context or {}).get(RESOLVE_FILE)
        if value is None or resolve is None:
            return value
        return str(resolve(value, what="logo"))


# ---- Translations ---------------------------------------------------------
# A translation file carries only text, matched to the source by story id and
# by position in lists, so translators never touch the issue's structure.


class CreditText(Strict):
    """The translated words of a photo credit (the date comes from the source)."""

    by: Line | None = None
    """Who is credited, in this language ("МОМ")."""
    place: Line | None = None
    """Where the photo was taken, in this language ("Стамбул")."""


class PhotoText(Strict):
    """The translated text of one photo, in the order of the source's photos."""

    alt: Text | None = None
    """The photo's alt text in this language."""
    caption: Text | None = None
    """The caption in this language (only where the source has one)."""
    credit: CreditText | None = None
    """The credit's words in this language."""


class FigureText(Strict):
    """One translated figure of a statistics call-out."""

    value: Line | None = None
    """The figure as printed in this language ("95 %"); the source's when left out."""
    label: Line | None = None
    """What the figure counts, in this language."""


class BlockText(Strict):
    """The translated text of one story or call-out, found by its id."""

    kicker: Line | None = None
    """Section label."""
    title: Line | None = None
    """Headline."""
    standfirst: Text | None = None
    """Summary (only where the source story has one)."""
    quote: Text | None = None
    """Pull quote (only where the source story has one)."""
    body: Markdown | None = None
    """Story text in Markdown."""
    intro: Markdown | None = None
    """Call-out text in Markdown (stats blocks)."""
    photos: list[PhotoText] | None = None
    """Photo texts, one per photo of the source story, in the same order."""
    figures: list[FigureText] | None = None
    """Figure texts, one per figure of the source call-out, in the same order."""


class IssueTranslation(Strict):
    """An issue's text in another language: ``issues/YYYY-MM/issue.<lang>.yaml``."""

    language: Language
    """The language of this file, as in its name ("ru")."""
    stories: dict[Slug, BlockText]
    """Translated text by story id; every story of ``issue.yaml`` should appear."""
    back_photo: PhotoText | None = None
    """The back page photo's text (only where the source has one)."""


class OfficeText(Strict):
    """One office of the contacts block, translated."""

    country: Line
    """The office's label in this language."""


class ContactsText(Strict):
    """The contacts block, translated."""

    heading: Line | None = None
    """Heading of the block."""
    offices: list[OfficeText] | None = None
    """Office labels, one per office of the source, in the same order."""


class SocialText(Strict):
    """One social link, translated."""

    label: Line
    """Link text in this language."""


class PublicationTranslation(Strict):
    """The publication's text in another language: ``issues/publication.<lang>.yaml``."""

    language: Language
    """The language of this file, as in its name ("ru")."""
    name: Line | None = None
    """Bulletin name in this language."""
    publisher: Line | None = None
    """Publisher in this language."""
    contacts: ContactsText | None = None
    """Contacts block text."""
    social: list[SocialText] | None = None
    """Social link labels, one per link of the source, in the same order."""
    about: Markdown | None = None
    """The back page's "about us" text (only where the source has one)."""
    labels: dict[str, Text] = {}
    """Words the layout prints ("In this issue", "Photo by"…) for a language bulletin
    does not know yet; see ``bulletin.i18n.LABELS`` for the keys."""
