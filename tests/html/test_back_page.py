"""The designed back page: about text, contacts, social addresses printed, a QR code, a photo."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from bulletin.build import build_issue
from bulletin.html.layout import printed_address
from conftest import SAMPLE_MONTH, shorten_issue

WEBSITE = "https://www.iom.int/central-asia/bulletin"
ABOUT = "The *IOM Central Asia Bulletin* reports each month on the work of the missions."


def _back_page(project: Path) -> None:
    publication = project / "issues" / "publication.yaml"
    publication.write_text(
        publication.read_text() + f"about: |\n  {ABOUT}\nwebsite: {WEBSITE}\n",
        encoding="utf-8",
    )
    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    issue.write_text(
        issue.read_text() + "back_photo:\n"
        "  file: photos/bishkek-2021-05.jpg\n"
        "  alt: Focal points around a table in Bishkek\n"
        '  credit: {by: IOM, place: Bishkek, date: "2021-05"}\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def back_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_sample

    project = copy_sample(tmp_path_factory.mktemp("back") / "project")
    shorten_issue(project)
    _back_page(project)
    [result] = build_issue(project, SAMPLE_MONTH, project / "out", edition="email")
    return result.path


def _last_page(path: Path) -> tuple[str, np.ndarray]:
    document = pdfium.PdfDocument(path)
    try:
        page = document[len(document) - 1]
        text = " ".join(page.get_textpage().get_text_range().split())
        pixels = np.asarray(page.render(scale=200 / 72).to_pil().convert("L"))
    finally:
        document.close()
    return text, pixels


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        ("https://www.facebook.com/IOMCentralAsia", "facebook.com/IOMCentralAsia"),
        ("https://t.me/iom_ca/", "t.me/iom_ca"),
        ("https://example.org/a?b=1", "example.org/a?b=1"),
        ("mailto:news@iom.int", "news@iom.int"),
    ],
)
def test_addresses_are_printed_as_a_reader_types_them(url: str, printed: str) -> None:
    assert printed_address(url) == printed


def test_the_back_page_prints_about_contacts_and_addresses(back_pdf: Path) -> None:
    text, _ = _last_page(back_pdf)

    assert "The IOM Central Asia Bulletin reports each month on the work of the missions." in text
    assert "Contact IOM missions in Central Asia" in text
    assert "Follow us on Facebook · facebook.com/IOMCentralAsia" in text
    assert "iom.int/central-asia/bulletin" in text
    assert "Photo by IOM, Bishkek, May 2021" in text


def test_the_qr_code_opens_the_website(back_pdf: Path) -> None:
    _, pixels = _last_page(back_pdf)

    decoded, points, _ = cv2.QRCodeDetector().detectAndDecode(pixels)

    assert points is not None
    assert decoded == WEBSITE
