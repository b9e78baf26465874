"""A full build of the sample issue, checked by reading the PDF back.

The sample is built once per session (``sample_build`` in conftest.py); the
tests read its main-language PDF back: text and text positions with pypdfium2,
structure (fonts, outline, links, metadata) with pikepdf. The fonts check
covers every language edition the build wrote.
"""

from __future__ import annotations

import calendar
import copy
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml
from fontTools.ttLib import TTFont

from bulletin.build import BuildResult, Session, build_issue
from bulletin.compose import Plan
from bulletin.manifest.load import LoadedIssue, load_issue
from bulletin.model.issue import Story
from bulletin.photos.placement import Placement, measure_placements
from conftest import (
    REFERENCE,
    SAMPLE,
    SAMPLE_MONTH,
    SAMPLE_MONTHS,
    SampleFacts,
    layouts_recorded,
)
from generated_builds import plan_languages

A4 = (595.28, 841.89)
"""ISO A4 in PDF points (210 x 297 mm)."""
MONTH_COMMA_YEAR = re.compile(rf"\b({'|'.join(calendar.month_name[1:])}), (\d{{4}})$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Characters a text extractor puts at a line break inside a word: the hyphen
# WeasyPrint adds when it hyphenates (U+2010), and pdfium's marker (U+FFFE)
# for a hyphen it found at the end of a line.
BREAK_HYPHENS = "\u2010\ufffe"


@dataclass(frozen=True)
class Line:
    """One line of text on a page, as the PDF draws it."""

    page: int
    """0-based page index."""
    x: float
    """Left edge of its first character, in points from the page's left edge."""
    text: str
    """Its characters."""


@dataclass(frozen=True)
class PdfText:
    """The text of the built PDF."""

    pages: list[str]
    """The text of each page, whitespace collapsed."""
    lines: list[Line]
    """Every line of every page, in drawing order."""
    width: float
    """Width of the first page, in points."""


@pytest.fixture(scope="module")
def loaded() -> LoadedIssue:
    return load_issue(SAMPLE, SAMPLE_MONTH)


@pytest.fixture(scope="module")
def pdf(sample_build: BuildResult) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(sample_build.path) as document:
        yield document


@pytest.fixture(scope="module")
def text(sample_build: BuildResult) -> PdfText:
    document = pdfium.PdfDocument(sample_build.path)
    try:
        pages, lines = [], []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(_collapse(textpage.get_text_range()))
            lines.extend(_lines(index, textpage))
        width = document[0].get_size()[0]
    finally:
        document.close()
    return PdfText(pages, lines, width)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _lines(page: int, textpage: pdfium.PdfTextPage) -> Iterator[Line]:
    """Yield the lines of a page: runs of characters between line breaks."""
    start: float | None = None
    characters: list[str] = []
    for index in range(textpage.count_chars()):
        character = textpage.get_text_range(index, 1)
        if character in {"\r", "\n", ""}:
            if start is not None:
                yield Line(page, start, "".join(characters))
            start, characters = None, []
            continue
        if start is None:
            start = textpage.get_charbox(index)[0]
        characters.append(character)
    if start is not None:
        yield Line(page, start, "".join(characters))


def _stories(loaded: LoadedIssue) -> list[Story]:
    return [block for block in loaded.issue.stories if isinstance(block, Story)]


def _reference_credits() -> list[str]:
    credits = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        line = _collapse(line)
        if line.startswith("Photo by"):
            # The reference writes a month-precision credit as "May, 2021"; we
            # print "May 2021", as English style has no comma between a month
            # and a year with no day. Only that comma is normalised.
            credits.append(MONTH_COMMA_YEAR.sub(r"\1 \2", line))
    return credits


def test_build_writes_the_issue_pdf(sample_build: BuildResult, pdf: pikepdf.Pdf) -> None:
    assert sample_build.path.name == "iom-central-asia-bulletin-2021-05.pdf"
    assert sample_build.path.parent.name == SAMPLE_MONTH
    assert sample_build.size == sample_build.path.stat().st_size
    assert sample_build.page_count == len(pdf.pages)


def test_page_count_within_budget(sample_build: BuildResult, loaded: LoadedIssue) -> None:
    assert 2 <= sample_build.page_count <= loaded.publication.page_budget


def test_the_sample_facts_are_the_builds(
    sample_builds: list[BuildResult], loaded: LoadedIssue, sample_facts: SampleFacts
) -> None:
    assert {
        (result.language, result.page_count)
        for result in sample_builds
        if result.edition != "print"
    } == {(language, sample_facts.pages[language]) for language in sample_facts.languages}
    assert loaded.publication.page_budget == sample_facts.page_budget
    assert tuple(block.id for block in loaded.issue.stories) == sample_facts.stories
    assert sum(len(story.photos) for story in _stories(loaded)) == sample_facts.photos


def test_every_page_is_a4(pdf: pikepdf.Pdf) -> None:
    sizes = []
    for page in pdf.pages:
        left, bottom, right, top = (float(value) for value in page.MediaBox)
        sizes.append((right - left, top - bottom))

    assert all(
        abs(width - A4[0]) <= 0.5 and abs(height - A4[1]) <= 0.5 for width, height in sizes
    ), sizes


def test_every_reference_credit_is_printed(text: PdfText) -> None:
    credits = _reference_credits()
    printed = " ".join(text.pages)

    assert len(credits) == 6
    assert "Photo by IOM, Kazakhstan, May 2021" in credits
    assert [credit for credit in credits if credit not in printed] == []


def test_every_reference_email_is_printed(text: PdfText) -> None:
    emails = EMAIL.findall(REFERENCE.read_text(encoding="utf-8"))
    printed = set(EMAIL.findall(" ".join(text.pages)))

    assert len(set(emails)) == 6
    assert [email for email in emails if email not in printed] == []


def _columns(starts: list[float]) -> list[float]:
    """Return the left edge of each column, from the left edges of its lines.

    Lines of one column start within a paragraph indent of each other; columns
    are at least a column width apart.
    """
    columns: list[float] = []
    for x in sorted(starts):
        if not columns or x - columns[-1] > 15:
            columns.append(x)
    return columns


def _body_lines(story: Story, lines: list[Line]) -> list[Line]:
    """Return the lines that are part of ``story``'s body text."""
    body = _collapse(story.body)
    found = []
    for line in lines:
        words = line.text.replace("\ufffe", "-").rstrip(BREAK_HYPHENS)
        # Short lines ("Istanbul") could come from a headline as well.
        if len(words) >= 12 and words in body:
            found.append(line)
    return found


def test_story_bodies_are_set_in_their_columns(
    text: PdfText, loaded: LoadedIssue, sample_plans: dict[str, Plan]
) -> None:
    choices = sample_plans["en"].layout.choices
    found, positions = {}, {}
    for story in _stories(loaded):
        by_page: dict[int, list[float]] = {}
        for line in _body_lines(story, text.lines):
            by_page.setdefault(line.page, []).append(line.x)
        # The page showing the most columns of the story; they sit side by side.
        columns = max((_columns(starts) for starts in by_page.values()), key=len)
        count = choices[story.id].columns
        left = text.width * 0.0714  # the 15 mm margin of A4
        width = text.width - 2 * left
        # Column k of n starts k/n of the way across the text (a gutter further):
        # a photo in the first column leaves its text in the others.
        found[story.id] = all(
            any(abs((x - left) / width - k / count) < 0.06 for k in range(count)) for x in columns
        ) and len(columns) >= (count - 1 if choices[story.id].side is not None else count)
        positions[story.id] = (count, [round(x, 1) for x in columns])

    assert all(found.values()), f"columns and their starts (pt): {positions}"
    assert {choice.columns for choice in choices.values()} >= {2}


def _fonts(resources: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """Yield the fonts of ``resources`` and of the form XObjects it uses."""
    yield from resources.get("/Font", pikepdf.Dictionary()).values()
    for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject.Resources)


@dataclass(frozen=True)
class Face:
    """A font file of fonts/ and the names a PDF may call it by."""

    file: str
    postscript: str
    """Its PostScript name (name table ID 6): NotoSans-Bold."""
    description: str
    """Family and style as Pango describes it, spaces as hyphens: Noto-Sans-Bold."""
    revision: tuple[float, int]
    """Its head table's fontRevision and created: the same font, not a namesake."""


def _face(path: Path | io.BytesIO, file: str) -> Face:
    font = TTFont(path)
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1)
    style = names.getDebugName(17) or names.getDebugName(2)
    words = [family] if style == "Regular" else [family, style]
    return Face(
        file,
        names.getDebugName(6),
        "-".join(" ".join(words).split()),
        (font["head"].fontRevision, font["head"].created),
    )


def _embedded(path: Path) -> dict[str, Face]:
    """Return the fonts a PDF uses: the name it gives each, and the program it embeds."""
    used = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in _fonts(page.Resources):
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                assert program is not None, f"{path.name}: {font.BaseFont} is not embedded"
                subset = re.fullmatch(r"/[A-Z]{6}\+(.+)", str(font.BaseFont))
                assert subset, f"{path.name}: {font.BaseFont} is not a subset (ABCDEF+Name)"
                used[subset[1]] = _face(io.BytesIO(program.read_bytes()), "embedded")
    return used


def test_only_fonts_from_fonts_folder_all_embedded(sample_builds: list[BuildResult]) -> None:
    files = sorted((SAMPLE / "fonts").glob("*.ttf"))
    ours = {face.postscript: face for face in (_face(path, path.name) for path in files)}

    for edition in sample_builds:
        used = _embedded(edition.path)
        assert used, f"{edition.path.name} uses no fonts"
        for name, embedded in used.items():
            face = ours.get(embedded.postscript)
            where = f"{edition.path.name}: {name}"
            assert face is not None, f"{where} embeds {embedded.postscript}, not a font of fonts/"
            assert embedded.revision == face.revision, f"{where} is not the font of {face.file}"
            # WeasyPrint 70 names a font after its Pango description (Noto-Sans-Bold,
            # weasyprint/pdf/fonts.py), not its PostScript name (NotoSans-Bold).
            assert name in {face.postscript, face.description}, f"{where} is not {face.file}"


def test_one_bookmark_per_story(pdf: pikepdf.Pdf, text: PdfText, loaded: LoadedIssue) -> None:
    with pdf.open_outline() as outline:
        entries = [
            (item.title, len(item.children), pikepdf.Page(item.destination[0]).index)
            for item in outline.root
        ]

    assert [(title, children) for title, children, _ in entries] == [
        (block.title, 0) for block in loaded.issue.stories
    ]
    # Each bookmark leads to the page where its headline is printed.
    assert [title in text.pages[page] for title, _, page in entries] == [True] * len(entries)


def test_contact_emails_are_mailto_links(pdf: pikepdf.Pdf, loaded: LoadedIssue) -> None:
    uris = [
        str(annotation.A.URI)
        for page in pdf.pages
        for annotation in page.get("/Annots", pikepdf.Array())
        if annotation.get("/Subtype") == "/Link"
        and "/A" in annotation
        and annotation.A.get("/S") == "/URI"
    ]

    emails = [email for office in loaded.publication.contacts.offices for email in office.emails]
    assert [uri for uri in uris if uri.startswith("mailto:")] == [f"mailto:{e}" for e in emails]
    assert len(emails) == 6


def test_document_metadata(pdf: pikepdf.Pdf, loaded: LoadedIssue) -> None:
    assert str(pdf.docinfo["/Title"]) == "IOM Central Asia Bulletin — May 2021"
    assert str(pdf.docinfo["/Author"]) == loaded.publication.publisher
    assert str(pdf.Root.Lang) == "en"


def test_every_photo_is_embedded(
    pdf: pikepdf.Pdf, loaded: LoadedIssue, sample_facts: SampleFacts
) -> None:
    images = {
        xobject.objgen
        for page in pdf.pages
        for xobject in page.Resources.get("/XObject", pikepdf.Dictionary()).values()
        if xobject.get("/Subtype") == "/Image"
    }

    assert (
        len(images) == sum(len(story.photos) for story in _stories(loaded)) == sample_facts.photos
    )


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_every_issue_in_the_repository_builds(
    month: str, sample_builds: list[BuildResult], tmp_path: Path
) -> None:
    # The sample is already built for this session; build any other issue here.
    results = sample_builds if month == SAMPLE_MONTH else build_issue(SAMPLE, month, tmp_path)

    assert results
    assert all(result.path.is_file() and result.page_count >= 1 for result in results)


def test_the_contents_pages_a_build_notes_are_a_guess_checked_not_trusted(
    sample_editions: dict[str, BuildResult], tmp_path: Path, sample_facts: SampleFacts
) -> None:
    """A later build starts from the noted pages, and prints them only once they are checked."""
    noted = tmp_path / ".cache" / "pages" / f"{SAMPLE_MONTH}-en.json"
    noted.parent.mkdir(parents=True)
    stories = [block.id for block in load_issue(SAMPLE, SAMPLE_MONTH).issue.stories]
    assert tuple(stories) == sample_facts.stories
    noted.write_text(json.dumps(dict.fromkeys(stories, 9)))

    (email,) = build_issue(SAMPLE, SAMPLE_MONTH, tmp_path, language="en", edition="email")

    assert email.path.read_bytes() == sample_editions["email"].path.read_bytes()
    # It notes the pages its stories start on, as the contents list prints them.
    assert json.loads(noted.read_text()) == sample_facts.start_pages


def test_a_build_of_the_translation_alone_crops_its_photos_as_the_full_build(
    sample_builds: list[BuildResult], tmp_path: Path
) -> None:
    """The languages not built still have a say in the crops: the same pages, byte for byte."""
    (alone,) = build_issue(SAMPLE, SAMPLE_MONTH, tmp_path, language="ru", edition="email")
    (full,) = [r for r in sample_builds if (r.language, r.edition) == ("ru", "email")]
    assert alone.path.read_bytes() == full.path.read_bytes()
    # The main language was measured too, and its measures kept for the next build.
    assert sorted(path.name for path in (tmp_path / ".cache" / "measures").iterdir()) == [
        f"{SAMPLE_MONTH}-en.json",
        f"{SAMPLE_MONTH}-ru.json",
    ]


def test_a_later_build_measures_only_the_story_edited(project: Path, tmp_path: Path) -> None:
    """The measures a build keeps in out/.cache serve the next build, in another process too."""
    out = project / "out"
    (first,) = build_issue(project, SAMPLE_MONTH, out, language="en", edition="email")
    before = first.path.read_bytes()
    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    issue.write_text(issue.read_text().replace("was organized by", "was organised by", 1))
    with layouts_recorded() as laid_out:
        (again,) = build_issue(project, SAMPLE_MONTH, out, language="en", edition="email")
    stories = [story.id for story in _stories(load_issue(project, SAMPLE_MONTH))]
    # The measuring layout holds the parts of the story edited that its text
    # changes (its body at two and at three columns, plain and with its photo inside),
    # then the issue is laid out.
    assert laid_out == [
        [
            "m-almaty-process-body2",
            "m-almaty-process-body3",
            "m-almaty-process-inline2",
            "m-almaty-process-inline3",
        ],
        stories,
    ]
    (fresh,) = build_issue(project, SAMPLE_MONTH, tmp_path, language="en", edition="email")
    assert again.path.read_bytes() == fresh.path.read_bytes() != before


@pytest.fixture(scope="module")
def built_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of a build of the sample's English email edition: copy it."""
    out = tmp_path_factory.mktemp("built") / "out"
    build_issue(SAMPLE, SAMPLE_MONTH, out, language="en", edition="email")
    return out


@pytest.mark.parametrize(
    "kept",
    [
        "{not json",
        '{"fronts": {}, "parts": []}',
        '{"fronts": {}, "parts": {"k": {"height": 1}}}',
        '{"fronts": {}, "parts": {"k": {"height": 1.0, "margin": 0.0, "flow": [[0, 1, true]], '
        '"columns": 2, "fixed": 0.0}}}',
        "SAMPLE-WITH-WRONG-TYPES",
    ],
)
def test_measures_that_are_not_sound_are_measured_again(
    kept: str, sample_editions: dict[str, BuildResult], built_out: Path, tmp_path: Path
) -> None:
    # The output of an earlier build (its sets linked relatively: a copy is whole).
    out = tmp_path / "out"
    shutil.copytree(built_out, out, symlinks=True)
    path = out / ".cache" / "measures" / f"{SAMPLE_MONTH}-en.json"
    if kept == "SAMPLE-WITH-WRONG-TYPES":
        # Every length turned into text: the keys match, the values do not.
        sound = json.loads(path.read_text())
        for part in sound["parts"].values():
            part["height"] = str(part["height"])
        kept = json.dumps(sound)
    path.write_text(kept)

    (again,) = build_issue(SAMPLE, SAMPLE_MONTH, out, language="en", edition="email")

    assert again.path.read_bytes() == sample_editions["email"].path.read_bytes()
    assert json.loads(path.read_text())["parts"], "the sound measures are kept again"


def test_library_photo_credit_and_call_out_without_kicker_print(
    project: Path, tmp_path: Path
) -> None:
    """A credit with a licence and a year, a call-out with no kicker, read back from the PDF."""
    manifest = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace(
        "          by: IOM\n          place: Istanbul\n          date: 2021-05-26\n",
        "          by: Jane Doe\n          date: 2019\n          licence: CC BY 4.0\n",
    ).replace("    kicker: Survey results\n", "")
    manifest.write_text(text, encoding="utf-8")

    [result] = build_issue(project, SAMPLE_MONTH, tmp_path / "out", language="en", edition="email")

    document = pdfium.PdfDocument(result.path)
    try:
        printed = " ".join(
            " ".join(document[index].get_textpage().get_text_range().split())
            for index in range(len(document))
        )
    finally:
        document.close()
    assert "Photo by Jane Doe, 2019, CC BY 4.0" in printed
    assert "SURVEY RESULTS" not in printed
    assert "Returned migrants rate their reintegration sessions" in printed


def _share_photos(project: Path) -> None:
    """Repeat four of the sample's stories, with their photos, and give the last the lead's too."""
    folder = project / "issues" / SAMPLE_MONTH
    issue_file, translation_file = folder / "issue.yaml", folder / "issue.ru.yaml"
    issue = yaml.safe_load(issue_file.read_text())
    translation = yaml.safe_load(translation_file.read_text())
    stories = issue["stories"]
    lead, last = stories[0], stories[5]
    assert last["id"] == "national-dialogue-trafficking"
    last["photos"].append({**copy.deepcopy(lead["photos"][0]), "alt": "The delegates again"})
    translation["stories"][last["id"]]["photos"].append(
        {**translation["stories"][lead["id"]]["photos"][0], "alt": "Снова делегаты"}
    )
    for story in copy.deepcopy(stories[0:5]):
        translation["stories"][f"{story['id']}-again"] = translation["stories"][story["id"]]
        story["id"] = f"{story['id']}-again"
        stories.append(story)
    issue_file.write_text(yaml.safe_dump(issue, allow_unicode=True))
    translation_file.write_text(yaml.safe_dump(translation, allow_unicode=True))


def test_one_photo_in_several_stories_is_placed_at_each_size_with_one_crop_per_story(
    project: Path, tmp_path: Path
) -> None:
    """A photo may serve stories of different treatments, in every language and edition."""
    _share_photos(project)

    # The plans below share the build's measures (a cache of the measuring layouts).
    session = Session()
    results = build_issue(project, SAMPLE_MONTH, tmp_path, session=session)

    assert sorted((r.edition, r.language) for r in results) == [
        (edition, language)
        for edition in ("archive", "email", "print")
        for language in ("en", "ru")
    ]
    photos = (project / "issues" / SAMPLE_MONTH / "photos").resolve()
    sources = {path.as_uri(): path for path in photos.glob("*.jpg")}
    for result in results:
        # Each prepared once, for the largest of its frames.
        assert sorted(photo.source for photo in result.photos) == sorted(sources.values())
    placed: dict[str, dict[Path, list[Placement]]] = {}
    plans = plan_languages(project, SAMPLE_MONTH, session.measures)
    for language in ("en", "ru"):
        loaded = load_issue(project, SAMPLE_MONTH, language=language)
        plan = plans[language]
        if language == "en":
            # The lead's photo serves stories of different treatments.
            lead_photo = _stories(loaded)[0].photos[0].file
            treatments = {
                plan.layout.choices[story.id].treatment
                for story in _stories(loaded)
                if any(photo.file == lead_photo for photo in story.photos)
            }
            assert "group" in treatments and len(treatments) >= 2
        placed[language] = {}
        for placement in measure_placements(plan.laid_out.document, sources):
            placed[language].setdefault(placement.source, []).append(placement)
    # The case the check of the placed photos once refused: one photo shown
    # in two frames of different sizes (each placement is now checked
    # against the layout's own, whatever its crop).
    assert any(
        first.width_in > second.width_in * 1.5
        for group in placed["en"].values()
        for first in group
        for second in group
    )
    # Each story's crop of a photo is the same in both languages.
    english, russian = placed["en"], placed["ru"]
    assert english.keys() == russian.keys()
    for path, group in english.items():
        assert [p.crop for p in russian[path]] == [
            pytest.approx(p.crop, abs=0.002) for p in group
        ], path.name
