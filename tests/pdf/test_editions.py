"""The email, print and archive editions, checked by reading the PDFs back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pytest
import yaml
from PIL import Image

from bulletin.build import BuildResult, build_issue
from bulletin.errors import BulletinError
from conftest import SAMPLE, SAMPLE_MONTH
from pdf_images import placed_images

A4 = (595.28, 841.89)
MM = 72 / 25.4
SLUG = "iom-central-asia-bulletin"
ORIENTATION = 0x0112
ISSUE = yaml.safe_load((SAMPLE / "issues" / SAMPLE_MONTH / "issue.yaml").read_text())
STORIES = [block for block in ISSUE["stories"] if block.get("kind", "story") == "story"]


def boxes(path: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(path) as pdf:
        return [
            {
                name: [round(float(value), 2) for value in page.obj[f"/{name}"]]
                for name in ("MediaBox", "TrimBox", "BleedBox")
            }
            for page in pdf.pages
        ]


def effective_ppi(path: Path) -> list[float]:
    with pikepdf.open(path) as pdf:
        return [
            min(
                image.width_px / (image.placed_width / 72),
                image.height_px / (image.placed_height / 72),
            )
            for image in placed_images(pdf)
        ]


# ---- What the build writes ---------------------------------------------------


def test_every_edition_of_every_language_is_written(sample_builds: list[BuildResult]) -> None:
    names = sorted(result.path.name for result in sample_builds)
    assert names == sorted(
        f"{SLUG}-{SAMPLE_MONTH}{language}{edition}.pdf"
        for language in ("", "-ru")
        for edition in ("", "-print", "-archive")
    )
    for result in sample_builds:
        assert result.path.read_bytes()[:5] == b"%PDF-"
        assert result.size == result.path.stat().st_size


# ---- Page boxes ----------------------------------------------------------------


@pytest.mark.parametrize("edition", ["email", "archive"])
def test_screen_and_archive_editions_are_plain_a4(
    sample_editions: dict[str, BuildResult], edition: str
) -> None:
    for page in boxes(sample_editions[edition].path):
        assert page["MediaBox"] == page["TrimBox"] == page["BleedBox"] == [0, 0, *A4]


def test_print_edition_has_a4_trim_3mm_bleed_and_room_for_crop_marks(
    sample_editions: dict[str, BuildResult],
) -> None:
    bleed = round(3 * MM, 2)
    for page in boxes(sample_editions["print"].path):
        assert page["TrimBox"] == [0, 0, *A4]
        assert page["BleedBox"] == [-bleed, -bleed, A4[0] + bleed, A4[1] + bleed]
        media = page["MediaBox"]
        assert media[0] < -bleed - 3 * MM and media[2] > A4[0] + bleed + 3 * MM


def test_print_masthead_runs_into_the_bleed(sample_editions: dict[str, BuildResult]) -> None:
    # Page 1 as pixels at 1 px per point, the trim's top-left corner at (slug, slug).
    document = pypdfium2.PdfDocument(sample_editions["print"].path)
    image = document[0].render(scale=1).to_pil().convert("RGB")
    slug = (image.width - A4[0]) / 2
    inside_bleed = round(slug - 1.5 * MM)
    beyond_bleed = round(slug - 4.5 * MM)
    below_masthead = round(slug + 60 * MM)
    assert image.getpixel((inside_bleed, inside_bleed)) == pytest.approx((0, 51, 160), abs=8)
    assert image.getpixel((inside_bleed, round(slug + 20 * MM))) == pytest.approx(
        (0, 51, 160), abs=8
    )
    assert image.getpixel((beyond_bleed, round(slug + 20 * MM))) == (255, 255, 255)
    assert image.getpixel((inside_bleed, below_masthead)) == (255, 255, 255)
    document.close()


def test_print_edition_has_an_srgb_output_intent(sample_editions: dict[str, BuildResult]) -> None:
    with pikepdf.open(sample_editions["print"].path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert "sRGB" in str(intent.OutputConditionIdentifier)
        assert intent.DestOutputProfile.N == 3


# ---- Photos at their placed size -------------------------------------------------


def test_email_photos_are_150_ppi_at_their_placed_size(
    sample_editions: dict[str, BuildResult],
) -> None:
    ppi = effective_ppi(sample_editions["email"].path)
    assert len(ppi) == len(STORIES)
    assert all(149 <= value <= 151 for value in ppi), ppi


@pytest.mark.parametrize("edition", ["print", "archive"])
def test_print_and_archive_photos_are_up_to_300_ppi_never_enlarged(
    sample_editions: dict[str, BuildResult], edition: str
) -> None:
    path = sample_editions[edition].path
    ppi = effective_ppi(path)
    assert len(ppi) == len(STORIES)
    # The sample's photos are 1800 px wide: placed 180 mm wide, 254 ppi is all
    # they have (a little less where a crop narrows them); never under the 200 of print.
    assert all(200 <= value <= 300.5 for value in ppi), ppi
    with pikepdf.open(path) as pdf:
        assert all(image.width_px <= 1800 for image in placed_images(pdf))


def test_placed_photos_carry_no_metadata(sample_editions: dict[str, BuildResult]) -> None:
    for result in sample_editions.values():
        for photo in result.photos:
            with Image.open(photo.path) as image:
                assert not image.getexif() and "icc_profile" not in image.info


# ---- Email: tagged PDF/UA ---------------------------------------------------------


def struct_elements(node: Any) -> Iterator[Any]:
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary):
            yield from struct_elements(kid)


def test_email_edition_is_tagged_pdf_ua(sample_editions: dict[str, BuildResult]) -> None:
    with pikepdf.open(sample_editions["email"].path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.Root.Lang) == "en"
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
        assert str(pdf.docinfo.Title) == "IOM Central Asia Bulletin — May 2021"


def test_email_figures_carry_alt_text_story_by_story(
    sample_editions: dict[str, BuildResult],
) -> None:
    with pikepdf.open(sample_editions["email"].path) as pdf:
        figures = [
            str(element.Alt)
            for element in struct_elements(pdf.Root.StructTreeRoot)
            if element.S == "/Figure"
        ]
    assert figures == [story["photos"][0]["alt"] for story in STORIES]


def test_email_has_one_bookmark_per_story(sample_editions: dict[str, BuildResult]) -> None:
    with pikepdf.open(sample_editions["email"].path) as pdf, pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == [b["title"] for b in ISSUE["stories"]]


def test_email_mail_and_social_links_are_clickable(
    sample_editions: dict[str, BuildResult],
) -> None:
    publication = yaml.safe_load((SAMPLE / "issues" / "publication.yaml").read_text())
    expected = [
        f"mailto:{email}"
        for office in publication["contacts"]["offices"]
        for email in office["emails"]
    ] + [link["url"] for link in publication["social"]]
    with pikepdf.open(sample_editions["email"].path) as pdf:
        links = [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation
        ]
    assert links == expected


# ---- Archive: PDF/A-3b with its source -----------------------------------------------


def test_archive_is_identified_as_pdf_a_3b(sample_editions: dict[str, BuildResult]) -> None:
    with pikepdf.open(sample_editions["archive"].path) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("3", "B")
        assert pdf.trailer.ID[0] == pdf.trailer.ID[1]
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        # PDF/A forbids image interpolation (ISO 19005-2, 6.2.8).
        for page in pdf.pages:
            for image in page.get_images().values():
                assert not image.get("/Interpolate", False)
        assert "/Filter" not in pdf.Root.Metadata


def test_archive_carries_full_xmp_metadata(sample_editions: dict[str, BuildResult]) -> None:
    with pikepdf.open(sample_editions["archive"].path) as pdf:
        metadata = pdf.open_metadata()
        title = str(pdf.docinfo.Title)
        assert metadata["dc:title"] == title == "IOM Central Asia Bulletin — May 2021"
        assert metadata["dc:language"] == {"en"}
        assert metadata["dc:publisher"] == {
            "International Organization for Migration (IOM) — Central Asia"
        }
        assert metadata["dc:subject"] == {block["kicker"] for block in ISSUE["stories"]}
        assert metadata["dc:date"] == [SAMPLE_MONTH]
        assert metadata["dc:identifier"] == f"{SLUG}-{SAMPLE_MONTH}"
        assert metadata["xmp:CreateDate"] == "2021-05-01"
        assert re.fullmatch(r"uuid:[0-9a-f-]{36}", metadata["xmpMM:DocumentID"])


@pytest.mark.parametrize(
    ("language", "files"),
    [
        ("en", ["issue.yaml", "publication.yaml"]),
        ("ru", ["issue.yaml", "issue.ru.yaml", "publication.yaml", "publication.ru.yaml"]),
    ],
)
def test_archive_attaches_the_manifests_as_its_source(
    sample_builds: list[BuildResult], language: str, files: list[str]
) -> None:
    (archive,) = [r for r in sample_builds if (r.language, r.edition) == (language, "archive")]
    with pikepdf.open(archive.path) as pdf:
        assert sorted(pdf.attachments) == sorted(files)
        assert len(pdf.Root.AF) == len(files)
        for name, spec in pdf.attachments.items():
            assert spec.obj.AFRelationship == "/Source"
            attached = spec.get_file()
            assert attached.mime_type == "application/yaml"
            folder = SAMPLE / "issues" / (SAMPLE_MONTH if name.startswith("issue") else "")
            assert attached.read_bytes() == (folder / name).read_bytes()
        assert pdf.open_metadata()["dc:language"] == {language}


# ---- Builds of the same input ------------------------------------------------------------


def test_a_rebuild_elsewhere_is_byte_identical_and_reprocesses_no_photo(
    sample_editions: dict[str, BuildResult], project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere"
    again = build_issue(project, SAMPLE_MONTH, out, language="en")
    assert {r.edition: r.path.read_bytes() for r in again} == {
        edition: result.path.read_bytes() for edition, result in sample_editions.items()
    }
    # A text edit that reflows nothing places every photo as before: the cache serves them.
    issue_file = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    text = issue_file.read_text()
    assert "was organized by" in text
    issue_file.write_text(text.replace("was organized by", "was organised by", 1))
    (edited,) = build_issue(project, SAMPLE_MONTH, out, language="en", edition="archive")
    assert edited.path.read_bytes() != sample_editions["archive"].path.read_bytes()
    assert edited.photos and not any(photo.fresh for photo in edited.photos)


# ---- The email budget ----------------------------------------------------------------------


def camera_jpeg(path: Path, index: int, grain: Image.Image) -> None:
    """Replace the photo at ``path`` by a 24-megapixel camera JPEG of it, with sensor grain.

    Every third one was shot with the camera held sideways: stored rotated,
    with the EXIF orientation that turns it upright.
    """
    with Image.open(path) as photo:
        image = photo.convert("RGB").resize((6000, 4000), Image.Resampling.BICUBIC)
    image = Image.blend(image, grain, 0.3)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Camera maker", "Camera model"
    if index % 3 == 0:
        image = image.transpose(Image.Transpose.ROTATE_90)
        exif[ORIENTATION] = 6  # rotate 90° clockwise to view
    image.save(path, "JPEG", quality=92, exif=exif)


def sensor_grain() -> Image.Image:
    """Return 24 megapixels of texture: detail at every scale, as in a real scene."""
    coarse = Image.effect_noise((1500, 1000), 50).resize((6000, 4000), Image.Resampling.BILINEAR)
    tile = Image.effect_noise((1000, 1000), 30)
    fine = Image.new("L", (6000, 4000))
    for x in range(0, 6000, 1000):
        for y in range(0, 4000, 1000):
            fine.paste(tile, (x, y))
    return Image.blend(coarse, fine, 0.4).convert("RGB")


def test_email_stays_under_budget_with_24_megapixel_camera_photos(project: Path) -> None:
    photos = sorted((project / "issues" / SAMPLE_MONTH / "photos").glob("*.jpg"))
    assert len(photos) == len(STORIES)
    grain = sensor_grain()
    for index, photo in enumerate(photos):
        camera_jpeg(photo, index, grain)
    for photo in photos:
        with Image.open(photo) as image:
            assert image.width * image.height == 24_000_000
    # And a large PNG logo with a transparent background on the masthead.
    logo = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))
    logo.paste((255, 255, 255, 255), (200, 200, 2800, 800))
    logo.save(project / "issues" / "logo.png")
    publication = project / "issues" / "publication.yaml"
    publication.write_text(publication.read_text() + "logo: logo.png\n")

    (email,) = build_issue(project, SAMPLE_MONTH, project / "out", language="en", edition="email")

    assert email.size <= 3_000_000
    assert (email.ppi, email.quality) == (150, 82)
    ppi = effective_ppi(email.path)
    assert len(ppi) == len(photos) + 1 and all(149 <= value <= 151 for value in ppi), ppi
    with pikepdf.open(email.path) as pdf:
        # One resource dictionary serves every page: count each image once.
        images = {i.objgen: i for page in pdf.pages for i in page.get_images().values()}
        masked = [image for image in images.values() if "/SMask" in image]
    assert len(masked) == 1  # the logo, its transparency kept


def test_email_over_budget_steps_down_then_names_the_heaviest_photos(project: Path) -> None:
    publication = project / "issues" / "publication.yaml"
    publication.write_text(
        publication.read_text()
        + "editions:\n  email:\n    max_megabytes: 0.05\n    min_ppi: 120\n    min_quality: 74\n"
    )
    with pytest.raises(BulletinError) as caught:
        build_issue(project, SAMPLE_MONTH, project / "out", language="en")
    (problem,) = caught.value.problems
    assert (problem.file, problem.where) == (
        "issues/publication.yaml",
        "editions.email.max_megabytes",
    )
    assert re.fullmatch(
        r"the email edition would take \d\.\d\d MB even with photos at 120 ppi and JPEG "
        r"quality 74, over its budget of 0\.05 MB; the heaviest photos are "
        r"photos/[a-z0-9-]+\.jpg \(0\.\d\d MB\), photos/[a-z0-9-]+\.jpg \(0\.\d\d MB\), "
        r"photos/[a-z0-9-]+\.jpg \(0\.\d\d MB\): place fewer or smaller photos, or raise "
        r"max_megabytes",
        problem.message,
    ), problem.message
    assert not (project / "out" / SAMPLE_MONTH).exists()


def test_command_line_builds_the_edition_asked_for(project: Path) -> None:
    from typer.testing import CliRunner

    from bulletin.cli import app

    out = project / "out"
    args = ["build", SAMPLE_MONTH, "--root", str(project), "--out", str(out)]
    refused = CliRunner().invoke(app, [*args, "--edition", "poster"])
    assert refused.exit_code == 1
    assert "there is no poster edition here (editions: email, print, archive)" in refused.output
    assert not out.exists()


def test_unconfigured_edition_is_refused(project: Path) -> None:
    publication = project / "issues" / "publication.yaml"
    text = publication.read_text()
    publication.write_text(text + "editions:\n  email:\n  print:\n")
    with pytest.raises(BulletinError) as caught:
        build_issue(project, SAMPLE_MONTH, project / "out", edition="archive")
    (problem,) = caught.value.problems
    line = len(text.splitlines()) + 2  # where the editions mapping starts
    assert str(problem) == (
        f"issues/publication.yaml:{line}:3: editions: there is no archive edition here "
        "(editions: email, print): add 'archive:' under editions to build it"
    )
