"""Word documents for the import tests, made with python-docx as an officer's would be."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches
from docx.text.paragraph import Paragraph
from PIL import Image


def photo_bytes(size: tuple[int, int], colour: tuple[int, int, int], kind: str = "JPEG") -> bytes:
    """Return a photo of ``size`` pixels in one colour, as JPEG or PNG bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def add_link(paragraph: Paragraph, url: str, text: str) -> None:
    """Append a hyperlink run to ``paragraph``, as Word writes one."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def add_photo(document: docx.Document, data: bytes, alt: str) -> None:
    """Add a photo in a paragraph of its own, with ``alt`` as its alt text (Word's descr)."""
    document.add_picture(io.BytesIO(data), width=Inches(3))
    document.inline_shapes[-1]._inline.docPr.set("descr", alt)


def new_list(document: docx.Document, kind: str) -> int:
    """Add a two-level list definition (``bullet`` or ``decimal``), as Word makes; return its id."""
    numbering = document.part.numbering_part.element
    number = 90 + len(numbering.findall(qn("w:num")))
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
        f'<w:lvlText w:val="{"•" if kind == "bullet" else f"%{level + 1}."}"/></w:lvl>'
        for level in (0, 1)
    )
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'
        )
    )
    return number


def item(document: docx.Document, text: str, num_id: int, level: int = 0) -> Paragraph:
    """Add a list item at ``level`` of list ``num_id``, styled List Paragraph as in Word."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    nest(paragraph, num_id, level)
    return paragraph


def nest(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Put ``paragraph`` at ``level`` of list ``num_id``, as Word does for an indented item."""
    numbering = OxmlElement("w:numPr")
    for name, value in (("w:ilvl", level), ("w:numId", num_id)):
        element = OxmlElement(name)
        element.set(qn("w:val"), str(value))
        numbering.append(element)
    paragraph._p.get_or_add_pPr().append(numbering)


def story_document(path: Path) -> Path:
    """Write a whole story: kicker, title, emphasis, a link, subheadings, lists, two photos."""
    document = docx.Document()
    document.styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Migration health", style="Kicker")
    document.add_paragraph("Mobile clinics reach 1,240 migrants in G‘ijduvon", style="Title")
    opening = document.add_paragraph("In May the clinics saw ")
    opening.add_run("1,240 patients").bold = True
    opening.add_run(", most of them ")
    opening.add_run("seasonal workers").italic = True
    opening.add_run(" back from Russia. Read the ")
    add_link(opening, "https://www.iom.int/migration-health", "IOM report")
    opening.add_run(" for more.")
    add_photo(document, photo_bytes((1600, 1200), (180, 90, 40)), "A nurse checks a patient")
    document.add_paragraph("A mobile clinic in Bukhara region.", style="Caption")
    document.add_heading("What the clinics offer", level=1)
    bullets = new_list(document, "bullet")
    item(document, "blood pressure and diabetes checks", bullets)
    item(document, "for children under five", bullets, 1)
    item(document, "tuberculosis screening", bullets)
    document.add_heading("How to find them", level=2)
    numbers = new_list(document, "decimal")
    item(document, "Call the hotline", numbers)
    item(document, "Ask for the nearest clinic", numbers)
    closing = document.add_paragraph("Write to ")
    add_link(closing, "mailto:iomtashkent@iom.int", "iomtashkent@iom.int")
    closing.add_run(" with questions. Prices are in *sum* [local currency].")
    add_photo(document, photo_bytes((800, 1000), (40, 90, 180), "PNG"), "Migrants queue outside")
    document.save(path)
    return path
