"""The bundled fonts cover the region's languages, and the build can use no other font."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont

from bulletin.errors import RenderError
from bulletin.pdf import fonts
from bulletin.pdf.fonts import list_fonts
from bulletin.pdf.typeset import render_pdf
from conftest import SAMPLE

FONTS = SAMPLE / "fonts"
LAYOUT = SAMPLE / "layouts" / "standard"
FONT_FILES = list_fonts(FONTS)

ALPHABETS = {
    "latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "kazakh": "ӘәҒғҚқҢңӨөҰұҮүҺһІі",
    "kyrgyz": "ҢңӨөҮү",
    "tajik": "ҒғӢӣҚқӮӯҲҳҶҷ",
    "uzbek-cyrillic": "ЎўҚқҒғҲҳ",
    # O and G take U+02BB MODIFIER LETTER TURNED COMMA, escaped to stay visible.
    "uzbek-latin": "O\u02bb o\u02bb G\u02bb g\u02bb Sh sh Ch ch",
    "turkmen": "ÄäÇçŇňÖöŞşÜüÝýŽž",
    "turkish": "ÇçĞğİıÖöŞşÜü",
    "punctuation": "“”‘’«»–—…№",
}
STYLES = {
    "Regular": "normal normal",
    "Italic": "normal italic",
    "Bold": "bold normal",
    "Bold Italic": "bold italic",
}


def _postscript_name(font: TTFont) -> str:
    return str(font["name"].getDebugName(6))


def _html(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="style.css"></head><body>{body}</body></html>'
    )


def _render(body: str) -> bytes:
    return render_pdf(
        _html(body), base_dir=LAYOUT, folders=[LAYOUT], fonts_dir=FONTS, source="sample.html"
    ).data


def _embedded_fonts(data: bytes) -> set[str]:
    """Return the PostScript names of the font programs embedded in a PDF."""
    names = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", pikepdf.Dictionary()).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                assert program is not None, f"{font.BaseFont} is not embedded"
                names.add(_postscript_name(TTFont(io.BytesIO(program.read_bytes()))))
    return names


def _text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


OURS = {_postscript_name(TTFont(path)) for path in FONT_FILES}


def test_fonts_folder_has_both_families_in_four_styles() -> None:
    faces = set()
    for path in FONT_FILES:
        names = TTFont(path)["name"]
        faces.add((names.getDebugName(1), names.getDebugName(2)))

    # The name table gives bold faces their own family ("Noto Sans"/"Bold" is
    # family 1 "Noto Sans", subfamily 2 "Bold"); italic ones the same way.
    assert faces == {(family, style) for family in ("Noto Serif", "Noto Sans") for style in STYLES}


@pytest.mark.parametrize("path", FONT_FILES, ids=lambda path: path.stem)
def test_face_covers_the_region_s_letters(path: Path) -> None:
    cmap = TTFont(path).getBestCmap()

    missing = {
        alphabet: "".join(sorted({c for c in letters if c != " " and ord(c) not in cmap}))
        for alphabet, letters in ALPHABETS.items()
    }

    assert {alphabet: letters for alphabet, letters in missing.items() if letters} == {}


def test_every_face_prints_the_region_s_letters() -> None:
    letters = " ".join(ALPHABETS.values())
    paragraphs = "".join(
        f"<p style=\"font: {style} 10pt '{family}'\">{letters}</p>"
        for family in ("Noto Serif", "Noto Sans")
        for style in STYLES.values()
    )

    data = _render(paragraphs)  # A letter without a glyph raises RenderError.

    assert _embedded_fonts(data) == OURS
    printed = _text(data)
    assert [c for c in letters if c not in printed] == []


def test_a_letter_without_a_glyph_fails_the_render() -> None:
    with pytest.raises(RenderError) as caught:
        _render("<p>Алматы 中</p>")

    assert [str(problem) for problem in caught.value.problems] == [
        "sample.html: a character has no glyph in the bundled fonts: .notdef glyph rendered "
        'for Unicode string unsupported by fonts: "中" (U+4E2D)'
    ]


@pytest.mark.parametrize(
    "family",
    [
        pytest.param('"Arial"', id="arial"),
        pytest.param('"DejaVu Sans"', id="dejavu-sans"),
        pytest.param('"Liberation Serif"', id="liberation-serif"),
        pytest.param("monospace", id="monospace"),
        pytest.param("cursive", id="cursive"),
    ],
)
def test_a_family_not_in_fonts_falls_back_to_a_bundled_font(family: str) -> None:
    data = _render(f"<p style='font-family: {family}'>Қазақстан, O\u02bbzbekiston — Türkiye</p>")

    used = _embedded_fonts(data)

    assert used
    assert used <= OURS


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """Return a folder any user may read (pytest's own are its owner's only)."""
    folder = Path(tempfile.mkdtemp(prefix="bulletin-fonts-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


CONFINE = """
import os, sys
sys.path.insert(0, sys.argv[1])
from bulletin_fonts import confine_fonts
from pathlib import Path
confine_fonts(Path(sys.argv[2]))
print(os.environ["FONTCONFIG_FILE"])
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="runs as two users: needs root (CI is root)")
def test_each_user_of_a_machine_has_a_font_configuration_of_their_own(
    world_readable: Path,
) -> None:
    # Run as root, then as an unprivileged user, with the same temporary folder (/tmp on a
    # shared machine): the second must not need to write into the first one's folder.
    tmp_path = world_readable
    shared = tmp_path / "tmp"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)
    code = tmp_path / "code"
    code.mkdir()
    shutil.copy(Path(fonts.__file__), code / "bulletin_fonts.py")
    fonts_dir = tmp_path / "fonts"
    shutil.copytree(SAMPLE / "fonts", fonts_dir)
    python = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    assert python
    environment = {
        "TMPDIR": str(shared),
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(shared),
    }

    def confine(*user: str) -> Path:
        command = [*user, python, "-c", CONFINE, str(code), str(fonts_dir)]
        done = subprocess.run(command, cwd=shared, env=environment, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return Path(done.stdout.strip())

    root = confine()
    # A folder under the unprivileged user's name that they do not own is not used either.
    (shared / "bulletin-fontconfig-65534").mkdir(mode=0o755)
    nobody = confine("runuser", "-u", "nobody", "--")
    assert root.parent == shared / "bulletin-fontconfig-0"
    assert nobody.parent.parent == shared
    assert nobody.parent.name.startswith("bulletin-fontconfig-")
    assert nobody.parent not in (root.parent, shared / "bulletin-fontconfig-65534")
    assert nobody.parent.stat().st_uid == 65534
    assert f"<dir>{fonts_dir}</dir>" in nobody.read_text()
    (shared / "bulletin-fontconfig-65534").rmdir()
    assert confine("runuser", "-u", "nobody", "--").parent == shared / "bulletin-fontconfig-65534"
