"""Language editions read back from their PDFs: Russian sample, Kazakh and Tajik text."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from bulletin.build import BuildResult, build_issue
from conftest import SAMPLE_MONTH

KAZAKH = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"
TAJIK = "Ғғ Ӣӣ Ққ Ӯӯ Ҳҳ Ҷҷ"


def _lines(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [
            line.strip()
            for page in document
            for line in page.get_textpage().get_text_range().splitlines()
        ]
    finally:
        document.close()


def _font_names(path: Path) -> set[str]:
    names = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.resources.get("/Font", {}).values():
                names.add(str(font.BaseFont).split("+")[-1])
    return names


@pytest.fixture(scope="module")
def russian(sample_builds: list[BuildResult]) -> Path:
    [result] = [r for r in sample_builds if r.path.name.endswith("-ru.pdf")]
    return result.path


def test_every_language_is_built_with_its_suffix(sample_builds: list[BuildResult]) -> None:
    assert [r.path.name for r in sample_builds if r.edition == "email"] == [
        "iom-central-asia-bulletin-2021-05.pdf",
        "iom-central-asia-bulletin-2021-05-ru.pdf",
    ]


def test_russian_credits_use_russian_dates(russian: Path) -> None:
    lines = _lines(russian)
    # Babel writes "г." after a narrow no-break space, as CLDR has it; the
    # typography keeps the day with its month.
    assert "Фото: МОМ, Стамбул, 26\u00a0мая 2021\u202fг." in lines
    assert "Фото: МОМ, Бишкек, май 2021\u202fг." in lines
    assert "Фото: МОМ, Казахстан, май 2021\u202fг." in lines


def test_russian_labels_and_metadata(russian: Path) -> None:
    lines = _lines(russian)
    assert "В\u00a0ЭТОМ ВЫПУСКЕ" in lines  # a one-letter word stays with the next
    assert any(re.search(r"стр\. 1 из \d$", line) for line in lines)
    assert "Контакты миссий МОМ в\u00a0Центральной Азии" in lines
    with pikepdf.open(russian) as pdf:
        assert str(pdf.Root.Lang) == "ru"
        assert str(pdf.docinfo["/Title"]).startswith("Бюллетень МОМ по Центральной Азии")


def test_russian_words_are_hyphenated_at_line_ends(russian: Path) -> None:
    # WeasyPrint breaks a word with U+2010 HYPHEN; a Cyrillic letter before it
    # and a lower-case Cyrillic letter starting the next line is a hyphenation.
    lines = _lines(russian)
    broken = [
        (line, following)
        for line, following in itertools.pairwise(lines)
        if re.search(r"[а-яё]\u2010$", line) and re.match(r"[а-яё]", following)
    ]
    assert len(broken) >= 10


def test_kazakh_and_tajik_letters_render_with_bundled_fonts_only(project: Path) -> None:
    (project / "issues/publication.kk.yaml").write_text(
        "language: kk\n"
        "name: Орталық Азия бюллетені\n"
        "labels:\n"
        "  in_this_issue: Осы нөмірде\n"
        "  issue: Нөмір\n"
        "  page: бет\n"
        "  of: /\n"
        '  credit: "Фото: {by}, {place}, {date}"\n',
        encoding="utf-8",
    )
    (project / "issues/2021-05/issue.kk.yaml").write_text(
        "language: kk\n"
        "stories:\n"
        "  almaty-process:\n"
        f"    title: Қазақ әліпбиі — {KAZAKH}\n"
        "    body: |\n"
        f"      Қазақша мәтін: {KAZAKH}. Тоҷикӣ: {TAJIK}. Ҳамаи ҳарфҳо дар ҳуруф ҳастанд.\n",
        encoding="utf-8",
    )
    publication = project / "issues/publication.yaml"
    publication.write_text(
        publication.read_text().replace(
            "page_budget: 8", "page_budget: 8\ntranslation_fallback: true"
        )
    )
    [result] = build_issue(project, SAMPLE_MONTH, project / "out", language="kk", edition="email")
    assert result.path.name == "iom-central-asia-bulletin-2021-05-kk.pdf"
    text = "\n".join(_lines(result.path))
    for letter in (KAZAKH + TAJIK).replace(" ", ""):
        assert letter in text, f"{letter} (U+{ord(letter):04X}) missing"
    assert "2021\u202fж. 26\u00a0мамыр" in text  # Kazakh date order, from Babel
    # WeasyPrint names embedded fonts after family and style: "Noto-Sans-Bold".
    fonts = _font_names(result.path)
    assert fonts, "no fonts found"
    assert all(re.fullmatch(r"Noto-(Sans|Serif)(-[A-Za-z]+)*", name) for name in fonts), fonts
