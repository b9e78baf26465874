"""bulletin preview: a PNG of every page, a contact sheet and the social images, read back."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageStat
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.preview.pictures import PAGE_WIDTH, make_previews
from conftest import shorten_issue

MONTH = "2021-05"
A4 = 297 / 210


@pytest.fixture
def short(project: Path) -> Path:
    """Return a project copy whose sample issue is one story, in English."""
    shorten_issue(project)
    return project


def _pages(pdf: Path) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def test_every_page_a_contact_sheet_and_two_social_sizes(short: Path) -> None:
    out = short / "out"
    pictures = make_previews(short, MONTH, out)
    folder = out / MONTH / "preview"
    count = _pages(out / MONTH / "iom-central-asia-bulletin-2021-05.pdf")
    assert count >= 1
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(
        [
            *(f"page-{number:02d}.png" for number in range(1, count + 1)),
            "contact-sheet.png",
            "social-1080x1080.png",
            "social-1200x630.png",
        ]
    )
    assert sorted(picture.path.name for picture in pictures) == names
    for picture in pictures:
        with Image.open(picture.path) as image:
            assert image.format == "PNG"
            assert image.mode == "RGB"
            assert image.size == (picture.width, picture.height)
            if picture.kind == "page":
                assert image.size == (PAGE_WIDTH, round(PAGE_WIDTH * A4))
    with Image.open(folder / "social-1200x630.png") as card:
        assert card.size == (1200, 630)
        # The lead photo fills the card's top right: its colours, not the paper's.
        photo = card.crop((700, 40, 1160, 380))
        with Image.open(short / "issues" / MONTH / "photos" / "istanbul-2021-05-26.jpg") as lead:
            expected = ImageStat.Stat(lead.convert("RGB")).mean
        assert ImageStat.Stat(photo).mean == pytest.approx(expected, abs=25)
        # Page 1 lies on the paper at the left: its text columns, mostly white.
        page = card.crop((60, 470, 380, 560))
        assert min(ImageStat.Stat(page).mean) > 200
    with Image.open(folder / "social-1080x1080.png") as square:
        assert square.size == (1080, 1080)
    with Image.open(folder / "contact-sheet.png") as sheet:
        assert sheet.width >= min(count, 4) * 420


def test_a_page_the_issue_no_longer_has_is_removed(short: Path) -> None:
    out = short / "out"
    folder = out / MONTH / "preview"
    folder.mkdir(parents=True)
    (folder / "page-09.png").write_bytes(b"an old page")
    make_previews(short, MONTH, out)
    assert not (folder / "page-09.png").exists()


def test_each_language_has_its_pictures(project: Path) -> None:
    out = project / "out"
    pictures = make_previews(project, MONTH, out, language="ru")
    assert {picture.language for picture in pictures} == {"ru"}
    assert {picture.path.name for picture in pictures if picture.kind == "social"} == {
        "social-1200x630-ru.png",
        "social-1080x1080-ru.png",
    }


def test_command_names_each_picture(short: Path) -> None:
    result = CliRunner().invoke(app, ["preview", MONTH, "--root", str(short)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    folder = short / "out" / MONTH / "preview"
    assert lines[0] == f"{folder / 'page-01.png'} (page, 1240 × 1754)"
    assert f"{folder / 'contact-sheet.png'} (contact sheet, " in result.stdout
    assert lines[-2:] == [
        f"{folder / 'social-1200x630.png'} (social, 1200 × 630)",
        f"{folder / 'social-1080x1080.png'} (social, 1080 × 1080)",
    ]


def test_command_refuses_a_month_without_an_issue(short: Path) -> None:
    result = CliRunner().invoke(app, ["preview", "2030-01", "--root", str(short)])
    assert result.exit_code == 1
    assert result.stderr.startswith("issues/2030-01/issue.yaml: no issue for 2030-01")
