"""``bulletin import``: a Word story appended to the issue, every other line kept as it was."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docxfiles import add_link, add_photo, photo_bytes, story_document
from PIL import Image
from typer.testing import CliRunner, Result

from bulletin.cli import app
from bulletin.manifest.load import load_issue
from bulletin.model.issue import Story

FIXTURES = Path(__file__).parent / "fixtures"
# Where the model requires a photo, a story imported without one says so.
PHOTO_REQUIRED = Story.model_fields["photos"].is_required()
AND_A_PHOTO = " and a photo" if PHOTO_REQUIRED else ""
# Where a story may go without one, a new issue's examples hold one more (8 lines).
SHIFT = 0 if PHOTO_REQUIRED else 8
PHOTOS_MISSING = (
    [
        f"  issues/2021-06/issue.yaml:{83 + SHIFT}:5: stories[0].photos: required "
        "field 'photos' is "
        "missing: add it (One or more photos; the first is the lead photo across the text width)"
    ]
    if PHOTO_REQUIRED
    else []
)


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def july(may_latest: Path) -> Path:
    """Return a project with July 2021 just started (after the sample, in two languages)."""
    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    return may_latest


STORY = """\
  - id: mobile-clinics-reach-1240-migrants-in
    # From story.docx: add each photo's credit.
    kicker: Migration health
    title: Mobile clinics reach 1,240 migrants in G‘ijduvon
    body: |
      In May the clinics saw **1,240 patients**, most of them *seasonal workers* back from \
Russia. Read the [IOM report](https://www.iom.int/migration-health) for more.

      ### What the clinics offer

      - blood pressure and diabetes checks
        - for children under five
      - tuberculosis screening

      #### How to find them

      1. Call the hotline
      2. Ask for the nearest clinic

      Write to [iomtashkent@iom.int](mailto:iomtashkent@iom.int) with questions. Prices are \
in \\*sum\\* \\[local currency\\].
    photos:
      - file: photos/mobile-clinics-reach-1240-migrants-in-1.jpg
        alt: A nurse checks a patient
        caption: A mobile clinic in Bukhara region.
        # Who took the photo, where and when: remove the '# ' below and fill in.
        # credit:
        #   by:
        #   place:
        #   date:
      - file: photos/mobile-clinics-reach-1240-migrants-in-2.png
        alt: Migrants queue outside
        # Who took the photo, where and when: remove the '# ' below and fill in.
        # credit:
        #   by:
        #   place:
        #   date:
"""


def test_a_word_story_in_a_new_month(july: Path, tmp_path: Path) -> None:
    document = story_document(tmp_path / "story.docx")
    manifest = july / "issues" / "2021-06" / "issue.yaml"
    before = manifest.read_text(encoding="utf-8")
    result = _run("import", "2021-06", document, "--root", july)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Imported “Mobile clinics reach 1,240 migrants in G‘ijduvon” from story.docx as story 1 "
        f"(mobile-clinics-reach-1240-migrants-in), issues/2021-06/issue.yaml:{83 + SHIFT}.",
        "  issues/2021-06/photos/mobile-clinics-reach-1240-migrants-in-1.jpg: 1600 × 1200 px, "
        "with its alt text",
        "  issues/2021-06/photos/mobile-clinics-reach-1240-migrants-in-2.png: 800 × 1000 px, "
        "with its alt text",
        "To fill in (bulletin check names them too):",
        f"  issues/2021-06/issue.yaml:{103 + SHIFT}:9: stories[0].photos[0].credit: "
        "required field 'credit' "
        "is missing: add it (The photo credit printed under the photo)",
        f"  issues/2021-06/issue.yaml:{111 + SHIFT}:9: stories[0].photos[1].credit: "
        "required field 'credit' "
        "is missing: add it (The photo credit printed under the photo)",
        "Note: issue.ru.yaml has no Russian text for it yet: bulletin translate 2021-06 "
        "--language ru.",
    ]
    after = manifest.read_text(encoding="utf-8")
    # The new month's commented examples stay, and the story comes after them.
    assert after == before + "\n" + STORY
    assert after.splitlines()[82 + SHIFT] == "  - id: mobile-clinics-reach-1240-migrants-in"
    photos = manifest.parent / "photos"
    with Image.open(photos / "mobile-clinics-reach-1240-migrants-in-1.jpg") as lead:
        assert (lead.format, lead.size) == ("JPEG", (1600, 1200))
    with Image.open(photos / "mobile-clinics-reach-1240-migrants-in-2.png") as second:
        assert (second.format, second.size) == ("PNG", (800, 1000))


def test_check_then_asks_for_the_credits(july: Path, tmp_path: Path) -> None:
    _run("import", "2021-06", story_document(tmp_path / "story.docx"), "--root", july)
    result = _run("check", "2021-06", "--quick", "--root", july)
    errors = [line.strip() for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        f"issues/2021-06/issue.yaml:{103 + SHIFT}:9: error: "
        "stories[0].photos[0].credit: required field "
        "'credit' is missing: add it (The photo credit printed under the photo)",
        f"issues/2021-06/issue.yaml:{111 + SHIFT}:9: error: "
        "stories[0].photos[1].credit: required field "
        "'credit' is missing: add it (The photo credit printed under the photo)",
    ]


def _fill_credits(manifest: Path) -> None:
    text = manifest.read_text(encoding="utf-8")
    text = text.replace(
        "        # credit:\n        #   by:\n        #   place:\n        #   date:\n",
        '        credit:\n          by: IOM\n          place: Bukhara\n          date: "2021-06"\n',
    )
    manifest.write_text(text, encoding="utf-8")


def test_the_imported_story_validates_once_credited(july: Path, tmp_path: Path) -> None:
    _run("import", "2021-06", story_document(tmp_path / "story.docx"), "--root", july)
    _fill_credits(july / "issues" / "2021-06" / "issue.yaml")
    story = load_issue(july, "2021-06").issue.stories[0]
    assert story.id == "mobile-clinics-reach-1240-migrants-in"
    assert story.kicker == "Migration health"
    assert [photo.alt for photo in story.photos] == [  # type: ignore[union-attr]
        "A nurse checks a patient",
        "Migrants queue outside",
    ]


def test_appended_after_the_last_story_every_line_kept(project: Path, tmp_path: Path) -> None:
    manifest = project / "issues" / "2021-05" / "issue.yaml"
    before = manifest.read_text(encoding="utf-8")
    result = _run("import", "2021-05", story_document(tmp_path / "story.docx"), "--root", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Imported “Mobile clinics reach 1,240 migrants in G‘ijduvon” from story.docx as story 8 "
        "(mobile-clinics-reach-1240-migrants-in), issues/2021-05/issue.yaml:123."
    )
    assert result.stdout.splitlines()[-2:] == [
        "Note: 2021-05 is published: a change to its manifests changes its archive PDF at least, "
        "which bulletin archive replaces only with --republish.",
        "Note: issue.ru.yaml has no Russian text for it yet: bulletin translate 2021-05 "
        "--language ru.",
    ]
    after = manifest.read_text(encoding="utf-8")
    lines, old = after.splitlines(keepends=True), before.splitlines(keepends=True)
    # The story goes after the last call-out, before the closing comment and field.
    assert lines[:121] == old[:121]
    assert lines[121] == "\n"
    assert "".join(lines[122 : 122 + STORY.count("\n")]) == STORY
    assert lines[122 + STORY.count("\n") :] == old[121:]
    _fill_credits(manifest)
    issue = load_issue(project, "2021-05").issue
    assert [block.id for block in issue.stories][-2:] == [
        "reintegration-survey",
        "mobile-clinics-reach-1240-migrants-in",
    ]
    assert issue.published is True


def test_a_second_import_gets_its_own_id_and_photo_names(july: Path, tmp_path: Path) -> None:
    document = story_document(tmp_path / "story.docx")
    _run("import", "2021-06", document, "--root", july)
    photos = july / "issues" / "2021-06" / "photos"
    first = _tree(photos)
    result = _run("import", "2021-06", document, "--root", july)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Imported “Mobile clinics reach 1,240 migrants in G‘ijduvon” from story.docx as story 2 "
        f"(mobile-clinics-reach-1240-migrants-in-2), issues/2021-06/issue.yaml:{119 + SHIFT}.",
        "  issues/2021-06/photos/mobile-clinics-reach-1240-migrants-in-2-1.jpg: 1600 × 1200 "
        "px, with its alt text",
        "  issues/2021-06/photos/mobile-clinics-reach-1240-migrants-in-2-2.png: 800 × 1000 px, "
        "with its alt text",
    ]
    assert {name: data for name, data in _tree(photos).items() if name in first} == first


def test_a_plain_document(july: Path, tmp_path: Path) -> None:
    # No styles at all, as a document typed in an email client and pasted into Word.
    document = docx.Document()
    document.add_paragraph("Almaty hosts a job fair for returning migrants")
    document.add_paragraph("Over 40 employers came.")
    link = document.add_paragraph("See ")
    add_link(link, "file:///C:/Users/officer/fair.xlsx", "the list")
    link.add_run(".")
    path = tmp_path / "fair.docx"
    document.save(path)
    result = _run("import", "2021-06", path, "--root", july)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Imported “Almaty hosts a job fair for returning migrants” from fair.docx as story 1 "
        f"(almaty-hosts-a-job-fair-for), issues/2021-06/issue.yaml:{83 + SHIFT}.",
        "Note: no paragraph is styled Title or Heading 1: the first paragraph became the title.",
        "Note: the link on 'the list' went to 'file:///C:/Users/officer/fair.xlsx', which readers "
        "cannot open: it is plain text now.",
        "To fill in (bulletin check names them too):",
        f"  issues/2021-06/issue.yaml:{83 + SHIFT}:5: stories[0].kicker: required "
        "field 'kicker' is "
        'missing: add it (Section label above the headline ("Direct assistance"))',
        *PHOTOS_MISSING,
        "Note: issue.ru.yaml has no Russian text for it yet: bulletin translate 2021-06 "
        "--language ru.",
    ]
    text = (july / "issues" / "2021-06" / "issue.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  - id: almaty-hosts-a-job-fair-for\n"
        f"    # From fair.docx: add the kicker{AND_A_PHOTO}.\n"
        "    title: Almaty hosts a job fair for returning migrants\n"
        "    body: |\n"
        "      Over 40 employers came.\n"
        "\n"
        "      See the list.\n"
    )


def test_photo_without_alt_text_and_cyrillic_title(july: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Горячая линия 1414: ответы мигрантам", level=1)
    document.add_paragraph("Текст.")
    add_photo(document, photo_bytes((1200, 800), (10, 120, 60)), "")
    path = tmp_path / "hotline.docx"
    document.save(path)
    result = _run("import", "2021-06", path, "--root", july)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "Imported “Горячая линия 1414: ответы мигрантам” from hotline.docx as story 1 "
        f"(goryachaya-liniya-1414-otvety-migrantam), issues/2021-06/issue.yaml:{83 + SHIFT}.",
        "  issues/2021-06/photos/goryachaya-liniya-1414-otvety-migrantam-1.jpg: 1200 × 800 px, "
        "no alt text in the document",
    ]
    assert (
        f"  issues/2021-06/issue.yaml:{89 + SHIFT}:9: stories[0].photos[0].alt: "
        "required field 'alt' is "
        "missing: add it (What the photo shows, for readers who cannot see it (screen readers, "
        "tagged PDF))"
    ) in result.stdout.splitlines()
    text = (july / "issues" / "2021-06" / "issue.yaml").read_text(encoding="utf-8")
    # A colon in the title is quoted, so YAML reads it whole.
    assert "    title: 'Горячая линия 1414: ответы мигрантам'\n" in text


def test_crlf_manifest_keeps_its_line_ends(project: Path, tmp_path: Path) -> None:
    manifest = project / "issues" / "2021-05" / "issue.yaml"
    crlf = manifest.read_bytes().replace(b"\n", b"\r\n")
    manifest.write_bytes(crlf)
    result = _run("import", "2021-05", story_document(tmp_path / "s.docx"), "--root", project)
    assert result.exit_code == 0, result.output
    after = manifest.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n")
    assert after.startswith(crlf[: crlf.index(b"  # This issue") if b"  # This" in crlf else 100])


@pytest.mark.parametrize(
    ("stories", "expected"),
    [
        ("stories: []\n", "stories:\n  - id: a-story\n"),
        ("", "stories:\n  - id: a-story\n"),
    ],
)
def test_empty_or_absent_stories(
    project: Path, tmp_path: Path, stories: str, expected: str
) -> None:
    manifest = project / "issues" / "2021-05" / "issue.yaml"
    manifest.write_text('month: "2021-05"\nnumber: 5\n' + stories, encoding="utf-8")
    document = docx.Document()
    document.add_heading("A story", level=1)
    document.add_paragraph("Its text.")
    path = tmp_path / "a.docx"
    document.save(path)
    assert _run("import", "2021-05", path, "--root", project).exit_code == 0
    text = manifest.read_text(encoding="utf-8")
    assert text.startswith('month: "2021-05"\nnumber: 5\n' + expected)
    assert yaml.safe_load(text)["stories"][0]["id"] == "a-story"


def _not_docx(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "story.docx"
    text.write_text("Dear colleagues, please find the story below.", encoding="utf-8")
    old = tmp_path / "story.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    odt = tmp_path / "story.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    other_zip = tmp_path / "photos.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("istanbul.jpg", photo_bytes((10, 10), (0, 0, 0)))
    return {"text": text, "doc": old, "odt": odt, "zip": other_zip}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "text",
            "{tmp}/story.docx: not a Word document (.docx): save it from Word, LibreOffice or "
            "Google Docs (File > Download > Microsoft Word) as .docx, then import that",
        ),
        (
            "zip",
            "{tmp}/photos.docx: not a Word document (.docx): save it from Word, LibreOffice or "
            "Google Docs (File > Download > Microsoft Word) as .docx, then import that",
        ),
        (
            "doc",
            "{tmp}/story.doc: this is an old Word document (.doc): open it in Word or LibreOffice "
            "and save it as .docx (Word Document), then import that",
        ),
        (
            "odt",
            "{tmp}/story.odt: this is an OpenDocument file (.odt): save it as .docx (Word "
            "Document) in LibreOffice, then import that",
        ),
        (
            "missing",
            "{tmp}/missing.docx: no such file: check the name and folder of the Word document",
        ),
    ],
)
def test_what_is_not_a_word_document(
    project: Path, tmp_path: Path, case: str, message: str
) -> None:
    files = _not_docx(tmp_path)
    path = files.get(case, tmp_path / "missing.docx")
    before = _tree(project / "issues")
    result = _run("import", "2021-05", path, "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == message.format(tmp=tmp_path) + "\n"
    assert _tree(project / "issues") == before


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2021-5", "bulletin: '2021-5' is not a month: write it as YYYY-MM, like 2021-05"),
        (
            "2021-09",
            "issues/2021-09/issue.yaml: there is no issue for 2021-09 yet: start it with "
            "bulletin new 2021-09",
        ),
    ],
)
def test_bad_month(project: Path, tmp_path: Path, month: str, message: str) -> None:
    before = _tree(project / "issues")
    result = _run("import", month, story_document(tmp_path / "s.docx"), "--root", project)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert _tree(project / "issues") == before


def test_a_manifest_that_is_not_yaml_is_left_alone(project: Path, tmp_path: Path) -> None:
    manifest = project / "issues" / "2021-05" / "issue.yaml"
    manifest.write_text('month: "2021-05"\nstories:\n  - id: x\n   title: y\n', encoding="utf-8")
    before = _tree(project / "issues")
    result = _run("import", "2021-05", story_document(tmp_path / "s.docx"), "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "issues/2021-05/issue.yaml:4:4: not valid YAML (expected <block end>, but found "
        "'<block mapping start>'): correct it first (bulletin check says how), then import "
        "again\n"
    )
    assert _tree(project / "issues") == before


def test_a_document_from_libreoffice(july: Path) -> None:
    # Saved by LibreOffice 7.4 from an .odt (fixtures/make_libreoffice_story.py remakes it):
    # its own list, style and image XML, and "caption" for Word's "Caption" style.
    fixture = FIXTURES / "libreoffice-story.docx"
    with zipfile.ZipFile(fixture) as archive:
        assert b"<Application>LibreOffice/7.4" in archive.read("docProps/app.xml")
    result = _run("import", "2021-06", fixture, "--root", july)
    assert result.exit_code == 0, result.output
    text = (july / "issues" / "2021-06" / "issue.yaml").read_text(encoding="utf-8")
    story = text[text.index("  - id: mobile-clinics") :]
    assert story == STORY.replace("story.docx", "libreoffice-story.docx")


def test_an_empty_document_is_refused(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    before = _tree(project / "issues")
    result = _run("import", "2021-05", path, "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{path}: the document has no text and no photos: nothing to import\n"
    assert _tree(project / "issues") == before


def test_other_images_and_tables(july: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("A story with a GIF", level=1)
    gif = photo_bytes((300, 200), (200, 10, 10), "GIF")
    add_photo(document, gif, "A red square")
    add_photo(document, gif, "The same square")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Bishkek"
    table.cell(0, 1).text = "120 families"
    path = tmp_path / "gif.docx"
    document.save(path)
    result = _run("import", "2021-06", path, "--root", july)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:5] == [
        "  issues/2021-06/photos/a-story-with-a-gif-1.png: 300 × 200 px, with its alt text",
        "Note: a table became plain paragraphs, one per cell.",
        "Note: image 2 is image 1 again: kept once.",
        "Note: image 1 (image/gif) was converted to PNG.",
    ]
    text = (july / "issues" / "2021-06" / "issue.yaml").read_text(encoding="utf-8")
    assert "    body: |\n      Bishkek\n\n      120 families\n    photos:\n" in text
    with Image.open(july / "issues" / "2021-06" / "photos" / "a-story-with-a-gif-1.png") as png:
        assert (png.format, png.size) == ("PNG", (300, 200))


def test_an_image_pillow_cannot_read_is_left_out(july: Path, tmp_path: Path) -> None:
    # As an EMF drawing or a damaged picture would be: the rest of the story comes in.
    document = docx.Document()
    document.add_heading("A story with a chart", level=1)
    document.add_paragraph("Text.")
    add_photo(document, photo_bytes((300, 200), (0, 0, 0), "PNG"), "A chart")
    made = tmp_path / "made.docx"
    document.save(made)
    path = tmp_path / "chart.docx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(
                item, b"\x01\x00\x00\x00 EMF" if item.filename.startswith("word/media/") else data
            )
    result = _run("import", "2021-06", path, "--root", july)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Note: image 1 (image/png) is not a photo bulletin can use (a drawing or chart?): export "
        "it as JPEG or PNG and add it under photos by hand."
    )
    assert list((july / "issues" / "2021-06" / "photos").iterdir()) == []


def test_an_imported_story_prints(july: Path, tmp_path: Path) -> None:
    import pypdfium2

    from bulletin.build import build_issue

    _run("import", "2021-06", story_document(tmp_path / "story.docx"), "--root", july)
    _fill_credits(july / "issues" / "2021-06" / "issue.yaml")
    (july / "issues" / "2021-06" / "issue.ru.yaml").unlink()  # English only here
    [result] = build_issue(july, "2021-06", tmp_path / "out", edition="email")
    pdf = pypdfium2.PdfDocument(result.path)
    raw = "\n".join(page.get_textpage().get_text_range() for page in pdf).replace("\r\n", "\n")
    # Words as printed, whatever the line breaks: hyphenated words joined again.
    text = " ".join(re.sub("\u2010\n", "", raw).split())
    for words in (
        "Mobile clinics reach 1,240 migrants in G‘ijduvon",
        "What the clinics offer",
        "for children under five",
        "Ask for the nearest clinic",
        "are in *sum* [local currency].",
        "A mobile clinic in Bukhara region. Photo by IOM, Bukhara, June 2021",
    ):
        assert words in text
    # The nested item's marker is a character the bundled fonts have.
    assert "\n– \n" in raw


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (
            # Items at column 0, the last body kept with its blank lines (|+).
            'month: "2021-05"\nstories:\n- id: first\n  title: T\n  body: |+\n    text\n\n\n'
            "# a comment\npublished: false\n",
            'month: "2021-05"\nstories:\n- id: first\n  title: T\n  body: |+\n    text\n\n\n'
            f"- id: a-story\n  # From a.docx: add the kicker{AND_A_PHOTO}.\n  title: A story\n"
            "  body: |\n    Its text.\n# a comment\npublished: false\n",
        ),
        (
            'month: "2021-05"\nstories:\n  - id: first\n    title: T  # a note\n'
            "    # caption: commented out, part of the story\n\nnumber: 5\n",
            'month: "2021-05"\nstories:\n  - id: first\n    title: T  # a note\n'
            "    # caption: commented out, part of the story\n\n"
            f"  - id: a-story\n    # From a.docx: add the kicker{AND_A_PHOTO}.\n"
            "    title: A story\n"
            "    body: |\n      Its text.\n\nnumber: 5\n",
        ),
    ],
)
def test_lists_written_otherwise(
    project: Path, tmp_path: Path, manifest: str, expected: str
) -> None:
    path = project / "issues" / "2021-05" / "issue.yaml"
    path.write_text(manifest, encoding="utf-8")
    document = docx.Document()
    document.add_heading("A story", level=1)
    document.add_paragraph("Its text.")
    document.save(tmp_path / "a.docx")
    result = _run("import", "2021-05", tmp_path / "a.docx", "--root", project)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == expected
    stories = yaml.safe_load(expected)["stories"]
    assert stories[0] == yaml.safe_load(manifest)["stories"][0]
