"""Typesetting: the engine's errors and missing glyphs fail the build; its log is never printed."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bulletin.errors import RenderError
from bulletin.pdf.typeset import Typesetter

PAGE = "<style>@page { size: A6; margin: 1cm } body { font-family: 'Noto Serif' }</style>"


@pytest.fixture
def typesetter(tmp_path: Path, sample_root: Path) -> Typesetter:
    return Typesetter(
        base_dir=tmp_path, folders=[tmp_path], fonts_dir=sample_root / "fonts", source="test.html"
    )


def test_a_document_is_typeset_into_a_pdf_of_its_pages(typesetter: Typesetter) -> None:
    rendered = typesetter.render_pdf(PAGE + "<p>One</p><p style='break-before: page'>Two</p>")
    assert rendered.page_count == 2
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf:
        assert len(pdf.pages) == 2


def test_laid_out_only_it_writes_nothing_until_asked(typesetter: Typesetter) -> None:
    laid = typesetter.render_pdf(PAGE + "<p>One</p>", write=False)
    assert (laid.data, laid.page_count) == (b"", 1)
    written = typesetter.write_pdf(laid)
    assert written.data.startswith(b"%PDF-") and written.page_count == 1


def test_a_missing_image_fails_with_the_engines_words(typesetter: Typesetter) -> None:
    with pytest.raises(RenderError) as caught:
        typesetter.render_pdf(PAGE + '<img src="nowhere.jpg">')
    [problem] = caught.value.problems
    assert problem.file == "test.html"
    assert problem.message.startswith(
        "the layout engine could not load a resource: Failed to load image at "
    )


def test_a_character_no_font_has_fails_the_build(typesetter: Typesetter) -> None:
    # U+13000 (an Egyptian hieroglyph) is in none of the bundled fonts.
    with pytest.raises(RenderError) as caught:
        typesetter.render_pdf(PAGE + "<p>\U00013000</p>")
    [problem] = caught.value.problems
    assert problem.message.startswith("a character has no glyph in the bundled fonts: ")


def test_the_engines_warnings_are_passed_on_once_and_not_printed(
    typesetter: Typesetter, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.WARNING):
        typesetter.render_pdf(PAGE + "<p style='colour: red'>One</p>")
    engine = [r for r in caplog.records if r.name.startswith("weasyprint")]
    ours = [r.getMessage() for r in caplog.records if r.name == "bulletin.pdf.typeset"]
    assert engine == []
    assert len(ours) == 1 and ours[0].startswith("layout engine: Ignored `colour: red`")
    assert capsys.readouterr() == ("", "")


def test_the_source_date_stands_for_now_while_rendering_only(
    typesetter: Typesetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = typesetter.render_pdf(PAGE + "<p>One</p>", source_date=1_620_000_000)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    again = typesetter.render_pdf(PAGE + "<p>One</p>", source_date=1_620_000_000)
    assert first.data == again.data


def test_an_image_is_swapped_without_a_new_layout(tmp_path: Path, typesetter: Typesetter) -> None:
    Image.new("RGB", (40, 20), "#000").save(tmp_path / "dark.png")
    Image.new("RGB", (40, 20), "#fff").save(tmp_path / "light.png")
    laid = typesetter.render_pdf(PAGE + '<img src="dark.png" style="width: 4cm">', write=False)
    dark = typesetter.write_pdf(laid)
    light = typesetter.rewrite_pdf(laid, images={"dark.png": (tmp_path / "light.png").as_uri()})
    assert light.page_count == 1 and light.data != dark.data
    with pikepdf.open(io.BytesIO(light.data)) as pdf:
        [image] = [pikepdf.PdfImage(x) for x in pdf.pages[0].get_images().values()]
        assert image.as_pil_image().getpixel((0, 0)) == (255, 255, 255)
