"""Typography a designer would circle: tracked capitals that copy out with spaces in them."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bulletin.pdf.typeset import Typesetter
from conftest import REPO

LAYOUT = REPO / "layouts" / "standard"
# Words set in tracked capitals, in both languages; "Tajikistan" and "Aral Sea"
# are the pairs (A-J, A-R) whose gap crossed a tenth of an em.
WORDS = [
    "Aral Sea",
    "Аральское море",
    "Tajikistan",
    "Таджикистан",
    "Regional cooperation",
    "Direct assistance",
    "Partnership in action",
    "Field notes",
    "Livelihoods",
    "Border management",
    "Survey results",
    "UN Network on Migration in Kyrgyzstan",
    "Kazakhstan",
    "Кыргызстан",
    "Прямая помощь",
    "October 2028",
    "Январь 2028 г.",
]
# Each class of the layout that sets tracked capitals.
CLASSES = {
    "kicker": '<p class="kicker">{}</p>',
    "masthead": '<p class="masthead-meta"><span>{}</span></p>',
    "contents": '<p class="contents-kicker">{}</p>',
    "contents-heading": '<h2 class="contents-heading">{}</h2>',
    "office": '<dl class="offices"><div class="office"><dt>{}</dt></div></dl>',
}


@pytest.fixture(scope="module")
def tracked_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = "".join(
        pattern.format(html.escape(word)) for pattern in CLASSES.values() for word in WORDS
    )
    document = (
        '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="style.css">'
        "<style>:root { --primary: #0033a0 } .masthead-meta { color: #000 }"
        " @page { @bottom-left { content: none } @bottom-right { content: none } }</style>"
        f"</head><body>{body}</body></html>"
    )
    typesetter = Typesetter(
        base_dir=LAYOUT, folders=[LAYOUT], fonts_dir=REPO / "fonts", source="tracked"
    )
    path = tmp_path_factory.mktemp("typography") / "tracked.pdf"
    path.write_bytes(typesetter.render_pdf(document).data)
    return path


def _words(text: str) -> list[str]:
    """Return the words of ``text`` (a line that wraps in a narrow column breaks none)."""
    return text.split()


def test_tracked_capitals_copy_out_of_the_pdf_without_inner_spaces(tracked_pdf: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: scripts/bootstrap.sh test installs poppler-utils"
    copied = subprocess.run(
        [pdftotext, str(tracked_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    expected = [part for _ in CLASSES for word in WORDS for part in word.upper().split()]
    assert _words(copied) == expected


def test_tracked_capitals_read_back_with_pdfium_too(tracked_pdf: Path) -> None:
    document = pdfium.PdfDocument(tracked_pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()

    assert _words(text) == [
        part for _ in CLASSES for word in WORDS for part in word.upper().split()
    ]
