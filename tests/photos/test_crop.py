"""Crops that keep the subject: faces found and never cut, focus obeyed, limits kept."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bulletin.build import typeset_issue
from bulletin.manifest.load import load_issue
from bulletin.model.issue import Focus, Story
from bulletin.photos.crop import (
    MIN_KEPT,
    Subject,
    crop_box,
    crop_range,
    find_subject,
    kept_share,
    look_up_subjects,
)
from bulletin.photos.placement import measure_placements
from generated import ASPECTS, GeneratedIssue, GeneratedPhoto, draw_photo, make_issue

PANORAMA = 3.2  # today's widest lead photo frame: 180 x 56 mm


def _fractions(photo: GeneratedPhoto, box: tuple[int, int, int, int]) -> tuple[float, ...]:
    width, height = photo.size
    return (box[0] / width, box[1] / height, box[2] / width, box[3] / height)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 0.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _photos(tmp_path: Path, count: int, **options: object) -> list[GeneratedPhoto]:
    rng = random.Random(f"crop-{count}-{sorted(options.items())}")
    return [
        draw_photo(tmp_path / f"{index}.jpg", rng, **options)  # type: ignore[arg-type]
        for index in range(count)
    ]


def test_faces_are_found_where_they_were_drawn(tmp_path: Path) -> None:
    photos = _photos(tmp_path, 24, people=None)
    drawn = found = 0
    for photo in photos:
        subject = find_subject(photo.path)
        truth = [_fractions(photo, face) for face in photo.faces]
        for face in subject.faces:
            # Every face found is one that was drawn: its centre lies in a drawn face.
            centre = ((face[0] + face[2]) / 2, (face[1] + face[3]) / 2)
            assert any(t[0] <= centre[0] <= t[2] and t[1] <= centre[1] <= t[3] for t in truth)
        drawn += len(truth)
        found += len(subject.faces)
        if subject.faces:
            assert subject.found == "faces"
    assert drawn > 20
    assert found >= 0.85 * drawn


@pytest.mark.parametrize("aspect", [16 / 9, 3 / 2, 4 / 3, 1.0])
def test_a_panorama_crop_keeps_every_face_found_with_room_above(
    tmp_path: Path, aspect: float
) -> None:
    photos = _photos(tmp_path, 6, aspect=aspect, people=3)
    assert sum(len(find_subject(photo.path).faces) for photo in photos) >= 15
    for photo in photos:
        subject = find_subject(photo.path)
        low, high = crop_range(photo.size, subject)
        for frame in (low, photo.aspect, high):
            box = crop_box(photo.size, subject, frame)
            for face in subject.faces:
                height = face[3] - face[1]
                with_room = (face[0], face[1] - 0.3 * height, face[2], face[3])
                assert _inside(with_room, box, slack=1e-9), (photo.path.name, frame)


def test_a_wide_frame_that_would_cut_a_face_is_outside_the_range(tmp_path: Path) -> None:
    [photo] = _photos(tmp_path, 1, aspect=3 / 2, people=1)
    subject = find_subject(photo.path)
    assert subject.faces

    _, high = crop_range(photo.size, subject)

    assert high < PANORAMA
    # The widest frame accepted still holds the face and its room, and nothing wider does.
    top, bottom = subject.box[1], subject.box[3]
    assert high == pytest.approx(min(photo.aspect / MIN_KEPT, photo.aspect / (bottom - top)))


@pytest.mark.parametrize("aspect", ASPECTS)
def test_no_crop_in_range_keeps_less_than_60_percent(tmp_path: Path, aspect: float) -> None:
    [photo] = _photos(tmp_path, 1, aspect=aspect)
    subject = find_subject(photo.path)

    low, high = crop_range(photo.size, subject)

    assert low <= photo.aspect <= high
    assert kept_share(photo.size, low) >= MIN_KEPT - 1e-9
    assert kept_share(photo.size, high) >= MIN_KEPT - 1e-9
    for frame in (low, high):
        left, top, right, bottom = crop_box(photo.size, subject, frame)
        assert (right - left) * (bottom - top) == pytest.approx(kept_share(photo.size, frame))


@pytest.mark.parametrize("aspect", [2 / 3, 3 / 4, 4 / 5])
def test_a_portrait_is_never_cut_into_a_landscape(tmp_path: Path, aspect: float) -> None:
    [photo] = _photos(tmp_path, 1, aspect=aspect)

    low, high = crop_range(photo.size, find_subject(photo.path))

    assert high <= 1.0
    assert low >= aspect * MIN_KEPT


def test_without_faces_the_crop_follows_the_most_detailed_part(tmp_path: Path) -> None:
    width, height = 1600, 900
    image = Image.new("RGB", (width, height), (170, 190, 210))
    draw = ImageDraw.Draw(image)
    rng = random.Random(3)
    # A chequered object in the right third, high up; the rest plain.
    for x in range(1150, 1450, 20):
        for y in range(60, 360, 20):
            shade = rng.randint(0, 255)
            draw.rectangle((x, y, x + 19, y + 19), fill=(shade, shade // 2, 40))
    path = tmp_path / "still.jpg"
    image.save(path, quality=90)

    subject = find_subject(path)

    assert subject.found == "detail" and subject.faces == ()
    object_box = (1150 / width, 60 / height, 1450 / width, 360 / height)
    assert _inside(subject.box, object_box, slack=0.03)
    # A portrait frame cut from it shows the object, not the middle of the sky.
    left, _, right, _ = crop_box((width, height), subject, 1.0)
    assert left <= object_box[0] and object_box[2] <= right
    _, top, _, bottom = crop_box((width, height), subject, PANORAMA)
    assert top <= object_box[1] + 0.02 and bottom >= object_box[3] - 0.02


def test_a_plain_photo_is_cropped_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (1200, 800), (200, 200, 200)).save(path)

    subject = find_subject(path)

    assert subject.found == "plain"
    assert crop_box((1200, 800), subject, 3.0) == pytest.approx((0.0, 0.25, 1.0, 0.75))


def test_focus_given_in_the_manifest_wins_over_what_is_found(tmp_path: Path) -> None:
    [photo] = _photos(tmp_path, 1, aspect=16 / 9, people=2)

    subject = find_subject(photo.path, Focus(x=80, y=10))

    assert subject == Subject((0.8, 0.1, 0.8, 0.1), (), "focus")
    assert subject.css_position == "80% 10%"
    # The point at 10 % of the height stays at 10 % of the frame.
    _, top, _, bottom = crop_box(photo.size, subject, PANORAMA)
    assert (0.1 - top) / (bottom - top) == pytest.approx(0.1)


def test_the_same_photo_gives_the_same_subject_from_another_file(tmp_path: Path) -> None:
    [photo] = _photos(tmp_path, 1, aspect=3 / 2, people=2)
    copy = tmp_path / "copy" / "same.jpg"
    copy.parent.mkdir()
    copy.write_bytes(photo.path.read_bytes())

    assert find_subject(copy) == find_subject(photo.path)
    assert find_subject(copy).css_position == find_subject(photo.path).css_position


def test_an_upright_photo_is_analysed_upright(tmp_path: Path) -> None:
    [photo] = _photos(tmp_path, 1, aspect=3 / 2, people=1)
    upright = find_subject(photo.path)
    # The same pixels stored on their side, with the EXIF orientation that turns them back.
    turned = tmp_path / "turned.jpg"
    with Image.open(photo.path) as image:
        exif = image.getexif()
        exif[0x0112] = 6  # rotate 90° clockwise to view
        image.transpose(Image.Transpose.ROTATE_90).save(turned, exif=exif, quality=95)

    subject = find_subject(turned)

    assert len(subject.faces) == len(upright.faces) == 1
    assert subject.box == pytest.approx(upright.box, abs=0.03)


# In a fresh process: the subject of a photo, with the cache folder, as JSON,
# and whether the face detector was loaded.
READ_BACK = (
    "import dataclasses, json, sys\n"
    "from pathlib import Path\n"
    "from bulletin.photos.crop import find_subject, look_up_subjects\n"
    "photo, folder = Path(sys.argv[1]), Path(sys.argv[2])\n"
    "for path, text in look_up_subjects([photo], folder):\n"
    "    path.write_text(text)\n"
    "subject = find_subject(photo)\n"
    "print(json.dumps([dataclasses.asdict(subject), 'cv2' in sys.modules]))\n"
)


def _read_back(photo: Path, folder: Path) -> tuple[Subject, bool]:
    done = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(photo), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    fields, detector = json.loads(done.stdout)
    box = tuple(fields["box"])
    faces = tuple(tuple(face) for face in fields["faces"])
    return Subject(box, faces, fields["found"]), detector  # type: ignore[arg-type]


def test_a_kept_subject_is_read_back_by_the_next_build_not_looked_for_again(
    tmp_path: Path,
) -> None:
    [photo] = _photos(tmp_path, 1, aspect=3 / 2, people=2)
    folder = tmp_path / "subjects"

    [(kept, text)] = look_up_subjects([photo.path], folder)
    assert kept.parent == folder
    folder.mkdir()
    kept.write_text(text)
    found = find_subject(photo.path)
    again, detector = _read_back(photo.path, folder)

    assert found.faces
    assert again == found
    assert not detector
    assert len(list(folder.iterdir())) == 1


def test_a_damaged_kept_subject_is_looked_for_again(tmp_path: Path) -> None:
    [photo] = _photos(tmp_path, 1, aspect=4 / 3, people=1)
    folder = tmp_path / "subjects"
    [(kept, _)] = look_up_subjects([photo.path], folder)
    folder.mkdir()
    kept.write_text('{"box": [0.1, 0.2, 0.3], "faces": [], "found": "faces"}')

    again, detector = _read_back(photo.path, folder)

    assert again == find_subject(photo.path)
    assert detector
    assert json.loads(kept.read_text())["box"] == list(again.box)


@pytest.fixture(scope="module")
def generated_issue(tmp_path_factory: pytest.TempPathFactory) -> GeneratedIssue:
    # Seed 2: three stories, each lead photo with people or a building.
    return make_issue(2, tmp_path_factory.mktemp("crop-issue"))


@pytest.mark.parametrize("language", [None, "ru"])
def test_the_layout_crops_lead_photos_around_their_subject(
    generated_issue: GeneratedIssue, language: str | None
) -> None:
    loaded = load_issue(generated_issue.root, generated_issue.month, language=language)
    document = typeset_issue(loaded, write=False).laid_out.document
    leads = {
        Path(block.photos[0].file): block.photos[0]
        for block in loaded.issue.stories
        if isinstance(block, Story) and block.photos
    }

    placements = measure_placements(document, {path.as_uri(): path for path in leads})

    assert {placement.source for placement in placements} == set(leads)
    faces = 0
    for placement in placements:
        drawn = generated_issue.photos[placement.source.relative_to(loaded.issue_dir).as_posix()]
        subject = find_subject(placement.source, leads[placement.source].focus)
        aspect = placement.width_in / placement.height_in
        # The engine paints exactly the crop crop_box computes...
        assert placement.crop == pytest.approx(crop_box(drawn.size, subject, aspect), abs=0.002)
        # ...and that crop keeps every face found with room above it.
        for face in subject.faces:
            room = (face[0], face[1] - 0.3 * (face[3] - face[1]), face[2], face[3])
            assert _inside(room, placement.crop, slack=0.002)
            faces += 1
    assert faces >= 2
