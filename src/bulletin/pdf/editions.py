"""The editions of an issue, each made for its readers, and what makes each PDF.

- **email** (``<slug>-YYYY-MM.pdf``): the file partners receive. Photos at
  screen resolution to fit a size budget; tagged PDF/UA-1 with the language,
  alt text, links and one bookmark per story.
- **print** (``<slug>-YYYY-MM-print.pdf``): for the printer. A4 trim with
  bleed and crop marks, photos at up to print resolution, sRGB output intent.
- **archive** (``<slug>-YYYY-MM-archive.pdf``): kept for years. PDF/A-3b with
  the manifests attached as its source and full XMP metadata.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from bulletin.errors import BulletinError
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import ArchiveEdition, EmailEdition, PrintEdition

SUFFIXES = {"email": "", "print": "-print", "archive": "-archive"}
PT_PER_MM = 72 / 25.4
# Crop marks stand off the bleed by this much, so trimming never cuts into them.
CROP_MARK_OFFSET_MM = 2.0

Finisher = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Edition:
    """How one edition is made."""

    name: str
    """``email``, ``print`` or ``archive``."""
    target: Path
    """The file it is written to."""
    settings: EmailEdition | PrintEdition | ArchiveEdition
    """Its settings from ``publication.yaml``."""
    stylesheet: str = ""
    """Page set-up (bleed, marks) given to the layout engine as a user style sheet."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """WeasyPrint options: PDF variant, output intent, attachments."""
    finisher: Finisher | None = None
    """Amends the PDF objects before they are written."""


def plan_editions(
    loaded: LoadedIssue, folder: Path, name: str, only: str | None = None
) -> tuple[Edition, ...]:
    """Return the editions to build into ``folder``: ``only`` one, or all in ``publication.yaml``.

    ``name`` is the file name the editions share (``<slug>-YYYY-MM``, with a
    language suffix for a translation), each adding its own suffix.
    """
    configured = loaded.publication.editions
    names = configured.names()
    if only is not None:
        if only not in names:
            known = ", ".join(names)
            raise BulletinError(
                [
                    loaded.problem(
                        ("editions",),
                        f"there is no {only} edition here (editions: {known}): "
                        f"add '{only}:' under editions to build it",
                        publication=True,
                    )
                ]
            )
        names = (only,)
    return tuple(_edition(loaded, folder, name, edition) for edition in names)


def _edition(loaded: LoadedIssue, folder: Path, name: str, edition: str) -> Edition:
    target = folder / f"{name}{SUFFIXES[edition]}.pdf"
    settings = getattr(loaded.publication.editions, edition)
    if isinstance(settings, EmailEdition):
        # PDF/UA-1: tags with alt text, reading order and link annotations,
        # /Lang, the title shown in the window bar, bookmarks from headlines.
        return Edition(edition, target, settings, options={"pdf_variant": "pdf/ua-1"})
    if isinstance(settings, PrintEdition):
        bleed = settings.bleed_mm
        # WeasyPrint draws crop marks in the outer half of the CSS bleed area,
        # so that area holds the bleed proper, a gap, then the marks. The PDF
        # BleedBox is set to the bleed proper by the finisher.
        area = 2 * (bleed + CROP_MARK_OFFSET_MM)
        stylesheet = (
            f"@page {{ bleed: {area:g}mm; marks: crop; }}\n:root {{ --bleed: {bleed:g}mm; }}\n"
        )
        return Edition(
            edition,
            target,
            settings,
            stylesheet=stylesheet,
            options={"output_intent": "srgb"},
            finisher=functools.partial(_set_bleed_box, bleed_pt=bleed * PT_PER_MM),
        )
    assert isinstance(settings, ArchiveEdition)
    return Edition(
        edition,
        target,
        settings,
        options={
            "pdf_variant": "pdf/a-3b",
            "pdf_tags": True,
            "attachments": _manifests(loaded),
        },
        finisher=functools.partial(_finish_archive, xmp=archive_xmp(loaded, name)),
    )


def issue_datetime(loaded: LoadedIssue) -> dt.datetime:
    """Return the first day of the issue's month, midnight UTC: every date the files carry."""
    return dt.datetime.combine(loaded.issue.date, dt.time(), tzinfo=dt.UTC)


def _manifests(loaded: LoadedIssue) -> list[Any]:
    """Return the manifests as PDF attachments, the issue's source (PDF/A-3 "Source")."""
    from weasyprint import Attachment

    publication_file, issue_file = loaded.manifests[0], loaded.manifests[-1]
    language = loaded.language
    files = [
        (issue_file, "The issue's manifest: its stories, in reading order"),
        (issue_file.with_name(f"issue.{language}.yaml"), f"The issue's text in {language}"),
        (publication_file, "The publication's settings"),
        (
            publication_file.with_name(f"publication.{language}.yaml"),
            f"The publication's text in {language}",
        ),
    ]
    when = issue_datetime(loaded)
    attachments = []
    # A translation's own files exist only for a language edition.
    for path, description in ((path, text) for path, text in files if path.is_file()):
        # A data: URL fixes the media type; guessed from the name, it would
        # depend on the machine's MIME database.
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        attachments.append(
            Attachment(
                url=f"data:application/yaml;base64,{data}",
                name=path.name,
                description=description,
                created=when,
                modified=when,
                relationship="Source",
            )
        )
    return attachments


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"
_XMP = "http://ns.adobe.com/xap/1.0/"
_XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
# The prefixes WeasyPrint's own XMP uses (and the usual ones).
for _prefix, _uri in (("rdf", _RDF), ("dc", _DC), ("xmp", _XMP), ("xmpMM", _XMP_MM)):
    register_namespace(_prefix, _uri)


def archive_xmp(loaded: LoadedIssue, identifier: str) -> bytes:
    """Return the XMP properties the archive adds to WeasyPrint's (title, dates, producer).

    Only schemas PDF/A predefines are used (Dublin Core, XMP basic, XMP media
    management), so no extension schema needs declaring.
    """
    publication, issue = loaded.publication, loaded.issue
    kickers = list(dict.fromkeys(block.kicker for block in issue.stories if block.kicker))
    description = Element(f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})

    def container(name: str, kind: str, values: list[str]) -> None:
        holder = SubElement(SubElement(description, name), f"{{{_RDF}}}{kind}")
        for value in values:
            SubElement(holder, f"{{{_RDF}}}li").text = value

    container(f"{{{_DC}}}publisher", "Bag", [publication.publisher])
    container(f"{{{_DC}}}language", "Bag", [publication.language])
    container(f"{{{_DC}}}subject", "Bag", kickers)
    # The month the issue covers, as an XMP date of month precision.
    container(f"{{{_DC}}}date", "Seq", [issue.month])
    SubElement(description, f"{{{_DC}}}identifier").text = identifier
    SubElement(description, f"{{{_XMP}}}MetadataDate").text = issue.date.isoformat()
    # Derived from the publication, month and language, never random: same
    # input, same file.
    document_id = uuid.uuid5(uuid.NAMESPACE_URL, f"bulletin:{identifier}")
    SubElement(description, f"{{{_XMP_MM}}}DocumentID").text = f"uuid:{document_id}"
    return tostring(description, encoding="unicode").encode()


def _finish_archive(document: Any, pdf: Any, *, xmp: bytes) -> None:
    """Complete WeasyPrint's PDF/A: more XMP properties, and no image interpolation."""
    del document
    import pydyf

    # WeasyPrint lists each attachment twice in /AF (once from the name tree,
    # once from its file specification): once is enough.
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    packet = b"".join(metadata.stream)
    if b"</rdf:RDF>" not in packet:
        raise AssertionError("WeasyPrint's XMP packet has no rdf:RDF element")
    # One rdf:RDF: readers such as pikepdf's and Adobe's XMP toolkit read only the first.
    metadata.stream = [packet.replace(b"</rdf:RDF>", xmp + b"</rdf:RDF>", 1)]
    # Left readable by tools that look for XMP without parsing the PDF.
    metadata.compress = False
    for pdf_object in pdf.objects:
        extra = getattr(pdf_object, "extra", None)
        if isinstance(extra, dict) and extra.get("Subtype") == "/Image":
            # PDF/A forbids /Interpolate true (ISO 19005-2, 6.2.8); WeasyPrint
            # sets it for every image with image-rendering: auto (WeasyPrint #1661).
            extra["Interpolate"] = "false"


def _set_bleed_box(document: Any, pdf: Any, *, bleed_pt: float) -> None:
    """Set each page's BleedBox to the trim plus the bleed, inside the area with the marks."""
    del document
    import pydyf

    for pdf_object in pdf.objects:
        if isinstance(pdf_object, dict) and pdf_object.get("Type") == "/Page":
            left, top, right, bottom = pdf_object["TrimBox"]
            pdf_object["BleedBox"] = pydyf.Array(
                [left - bleed_pt, top - bleed_pt, right + bleed_pt, bottom + bleed_pt]
            )
