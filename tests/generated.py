"""Seeded bulletin issues nobody on the team wrote: other publications, lengths and photos.

``make_issue(seed, root)`` writes a complete project folder under ``root``
(``issues/publication.yaml`` and its Russian text, ``issues/YYYY-MM/issue.yaml``
and ``issue.ru.yaml``, photos as real JPEG files, and the repository's
``layouts/`` and ``fonts/``) and returns what it made, with the ground truth
of every photo: where its faces and its subject are. The same seed always
writes the same files, byte for byte.

Ranges: 3–15 stories of 60–1,500 words, 0–4 photos each (no photo only where
the model allows a story without one) with aspect ratios from 2:3 to 21:9,
zero to two statistics call-outs, pull quotes (where the model has ``quote``),
and a Russian translation whose every text is 15–25 % longer than the English.
Photos are drawn, not noise: people with faces a face detector finds, or one
detailed object (a building, a tree) on a plain ground, so that crops and
subject detection can be tested against known positions.
"""

from __future__ import annotations

import io
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageChops, ImageDraw

from bulletin.model.issue import BlockText, Issue, Photo, Publication, Story

REPO = Path(__file__).resolve().parent.parent
MIN_STORIES, MAX_STORIES = 3, 15
MIN_WORDS, MAX_WORDS = 60, 1500
MAX_PHOTOS = 4
# Aspect ratios (width / height) of the photos drawn: from 2:3 portrait to 21:9.
ASPECTS = (2 / 3, 3 / 4, 4 / 5, 1.0, 5 / 4, 4 / 3, 3 / 2, 16 / 9, 2.0, 21 / 9)
MIN_ASPECT, MAX_ASPECT = 2 / 3, 21 / 9
# How much longer the Russian text is than the English, in characters.
RU_LONGER = (1.15, 1.25)
# The ratio drawn for an issue, inside RU_LONGER with room for a word's rounding.
RU_DRAWN = (1.17, 1.23)
PHOTO_LONG_SIDE = (1200, 1800)

Box = tuple[int, int, int, int]
"""A region of a photo in pixels: left, top, right, bottom."""


@dataclass(frozen=True)
class GeneratedPhoto:
    """A photo drawn for an issue, with what it shows and where."""

    path: Path
    """The JPEG file."""
    size: tuple[int, int]
    """Width and height in pixels."""
    faces: tuple[Box, ...]
    """Each face drawn (forehead to chin, ear to ear), in pixels; none for a still life."""
    subject: Box
    """The region holding the subject: every person (head to shoulders) or the object."""

    @property
    def aspect(self) -> float:
        """Return width divided by height."""
        return self.size[0] / self.size[1]


@dataclass(frozen=True)
class GeneratedIssue:
    """A project folder written by :func:`make_issue`."""

    root: Path
    """The project folder (holding ``issues/``, ``layouts/`` and ``fonts/``)."""
    month: str
    """The issue's month, "YYYY-MM"."""
    languages: tuple[str, ...]
    """The languages the issue has, main first."""
    stories: int
    """Stories in the issue (call-outs not counted)."""
    stats: int
    """Statistics call-outs in the issue."""
    words: dict[str, int]
    """Words of each story's English body, by story id."""
    photos: dict[str, GeneratedPhoto] = field(default_factory=dict)
    """Every photo drawn, by its path relative to the issue folder."""


def supports_photoless() -> bool:
    """Return whether the model lets a story have no photo."""
    return not any(getattr(item, "min_length", 0) for item in Story.model_fields["photos"].metadata)


def supports_quote() -> bool:
    """Return whether the model has a pull quote (``quote:``) on stories."""
    return "quote" in Story.model_fields and "quote" in BlockText.model_fields


def supports_back_page() -> bool:
    """Return whether the model has the back page's fields (about, website, back_photo)."""
    return "website" in Publication.model_fields and "back_photo" in Issue.model_fields


def supports_focus() -> bool:
    """Return whether the model has ``focus:`` on photos."""
    return "focus" in Photo.model_fields


def make_issue(
    seed: int,
    root: Path,
    *,
    quotes: bool | None = None,
    photoless: bool | None = None,
    focus: bool = False,
    translation: bool = True,
) -> GeneratedIssue:
    """Write the project of issue ``seed`` under ``root``; return what was written.

    ``quotes`` and ``photoless`` default to what the model supports (pull
    quotes, stories without photos); ``focus`` writes ``focus:`` on about a
    third of the photos (only where the model has it); ``translation`` adds
    the Russian text of the issue and the publication.
    """
    rng = random.Random(f"bulletin-generated-{seed}")
    quotes = supports_quote() if quotes is None else quotes
    photoless = supports_photoless() if photoless is None else photoless
    focus = focus and supports_focus()
    for name in ("layouts", "fonts"):
        if not (root / name).exists():
            shutil.copytree(REPO / name, root / name)
    month = f"{rng.randint(2022, 2031)}-{rng.randint(1, 12):02d}"
    issue_dir = root / "issues" / month
    (issue_dir / "photos").mkdir(parents=True, exist_ok=True)
    ratio = rng.uniform(*RU_DRAWN)
    writer = _Writer(rng, ratio)

    story_count = rng.randint(MIN_STORIES, MAX_STORIES)
    stats_count = rng.choice((0, 0, 1, 1, 1, 2))
    blocks: list[dict[str, Any]] = []
    translated: dict[str, dict[str, Any]] = {}
    photos: dict[str, GeneratedPhoto] = {}
    words: dict[str, int] = {}
    used_ids: set[str] = set()
    for index in range(story_count):
        story, text, drawn, count = _story(
            writer, index, month, issue_dir, used_ids, quotes=quotes, photoless=photoless
        )
        if focus:
            for photo, drawn_photo in zip(story.get("photos", []), drawn, strict=True):
                if rng.random() < 0.35:
                    photo["focus"] = _focus_of(drawn_photo)
        blocks.append(story)
        translated[story["id"]] = text
        words[story["id"]] = count
        photos.update({str(each.path.relative_to(issue_dir)): each for each in drawn})
    for _ in range(stats_count):
        stats, text = _stats(writer, used_ids)
        blocks.insert(rng.randint(1, len(blocks)), stats)
        translated[stats["id"]] = text

    issue: dict[str, Any] = {"month": month}
    if rng.random() < 0.7:
        issue["number"] = rng.randint(1, 240)
    issue["stories"] = blocks
    back_page = supports_back_page()
    if back_page and rng.random() < 0.4:
        relative = "photos/back-page.jpg"
        drawn_back = draw_photo(issue_dir / relative, rng, aspect=rng.choice((3 / 2, 16 / 9, 2.0)))
        photos[relative] = drawn_back
        issue["back_photo"], translated_back = _photo_entry(writer, relative, month, drawn_back)
    else:
        translated_back = None
    _dump(issue_dir / "issue.yaml", issue, "Generated issue")
    languages: tuple[str, ...] = ("en",)
    if translation:
        translation_data: dict[str, Any] = {"language": "ru", "stories": translated}
        if translated_back is not None:
            translation_data["back_photo"] = translated_back
        _dump(issue_dir / "issue.ru.yaml", translation_data, "Generated issue, Russian text")
        languages = ("en", "ru")
    publication, publication_ru = _publication(
        rng, writer, words, photos, stats_count, back_page=back_page
    )
    _dump(root / "issues" / "publication.yaml", publication, "Generated publication")
    if translation:
        _dump(root / "issues" / "publication.ru.yaml", publication_ru, "Russian text")
    return GeneratedIssue(root, month, languages, story_count, stats_count, words, photos)


# ---- Manifests -------------------------------------------------------------


class _Literal(str):
    """Text written as a YAML block (``|``)."""


def _represent_literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


class _Dumper(yaml.SafeDumper):
    """YAML as an officer would write it: bodies as blocks, keys in the model's order."""


_Dumper.add_representer(_Literal, _represent_literal)


def _dump(path: Path, data: dict[str, Any], comment: str) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def _story(
    writer: _Writer,
    index: int,
    month: str,
    issue_dir: Path,
    used_ids: set[str],
    *,
    quotes: bool,
    photoless: bool,
) -> tuple[dict[str, Any], dict[str, Any], list[GeneratedPhoto], int]:
    rng = writer.rng
    # Lengths spread evenly on a log scale: as many briefs as long reads.
    target = round(math.exp(rng.uniform(math.log(MIN_WORDS), math.log(MAX_WORDS))))
    kicker = writer.pair(_KICKERS)
    title = writer.title()
    story_id = _unique_id(title[0], used_ids)
    story: dict[str, Any] = {"id": story_id, "kicker": kicker[0], "title": title[0]}
    text: dict[str, Any] = {"kicker": kicker[1], "title": title[1]}
    if rng.random() < 0.4:
        standfirst = writer.sentences(rng.randint(16, 34))
        story["standfirst"], text["standfirst"] = standfirst
    body, body_ru, count, quote = writer.body(target)
    story["body"], text["body"] = _Literal(body), _Literal(body_ru)
    if quotes and quote is not None and rng.random() < 0.45:
        story["quote"], text["quote"] = quote

    weights = (0.12 if photoless else 0.0, 0.5, 0.22, 0.09, 0.07)
    photo_count = rng.choices(range(MAX_PHOTOS + 1), weights=weights)[0]
    drawn: list[GeneratedPhoto] = []
    photo_texts: list[dict[str, Any]] = []
    story_photos: list[dict[str, Any]] = []
    for number in range(photo_count):
        relative = f"photos/{story_id}-{number + 1}.jpg"
        photo = draw_photo(issue_dir / relative, rng)
        drawn.append(photo)
        entry, entry_ru = _photo_entry(writer, relative, month, photo)
        story_photos.append(entry)
        photo_texts.append(entry_ru)
    if story_photos:
        story["photos"] = story_photos
        text["photos"] = photo_texts
    story["layout"] = {"columns": _columns(rng, target)}
    return story, text, drawn, count


def _columns(rng: random.Random, words: int) -> int:
    if words < 150:
        return rng.choice((1, 2, 2))
    return rng.choices((1, 2, 3), weights=(0.08, 0.62, 0.3))[0]


def _photo_entry(
    writer: _Writer, relative: str, month: str, photo: GeneratedPhoto
) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = writer.rng
    people = len(photo.faces)
    alt = writer.alt(people)
    by, place = writer.pair(_AGENCIES), writer.pair(_PLACES)
    date: str = month if rng.random() < 0.3 else f"{month}-{rng.randint(1, 28):02d}"
    entry: dict[str, Any] = {
        "file": relative,
        "alt": alt[0],
        "credit": {"by": by[0], "place": place[0], "date": date},
    }
    entry_ru: dict[str, Any] = {"alt": alt[1], "credit": {"by": by[1], "place": place[1]}}
    if rng.random() < 0.4:
        caption = writer.sentences(rng.randint(8, 22))
        entry["caption"], entry_ru["caption"] = caption
    return entry, entry_ru


def _focus_of(photo: GeneratedPhoto) -> dict[str, float]:
    """Return the photo's subject centre as ``focus:`` percentages."""
    left, top, right, bottom = photo.faces[0] if photo.faces else photo.subject
    width, height = photo.size
    return {
        "x": round(100 * (left + right) / 2 / width, 1),
        "y": round(100 * (top + bottom) / 2 / height, 1),
    }


def _stats(writer: _Writer, used_ids: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = writer.rng
    kicker, title = writer.pair(_STATS_KICKERS), writer.title()
    intro = writer.paragraph(rng.randint(30, 110))
    figures, figures_ru = [], []
    for _ in range(rng.randint(1, 4)):
        value, value_ru = _figure_value(rng)
        label = writer.sentences(rng.randint(5, 18), end="")
        figures.append({"value": value, "label": label[0]})
        figures_ru.append({"value": value_ru, "label": label[1]})
    stats = {
        "kind": "stats",
        "id": _unique_id(title[0], used_ids),
        "kicker": kicker[0],
        "title": title[0],
        "intro": _Literal(intro[0]),
        "figures": figures,
    }
    text = {
        "kicker": kicker[1],
        "title": title[1],
        "intro": _Literal(intro[1]),
        "figures": figures_ru,
    }
    return stats, text


def _figure_value(rng: random.Random) -> tuple[str, str]:
    """Return a figure as an officer types it, in English and Russian."""
    kind = rng.choice(("percent", "area", "distance", "count", "money", "people"))
    if kind == "percent":
        value = rng.randint(3, 99)
        return f"{value}%", f"{value} %"
    if kind == "area":
        value = rng.randint(1_000, 9_999)
        return f"{value // 1000} {value % 1000:03d} ha", f"{value // 1000} {value % 1000:03d} га"
    if kind == "distance":
        value = rng.randint(120, 4_800)
        grouped = f"{value:,}"
        return f"{grouped} km", f"{grouped.replace(',', ' ')} км"
    if kind == "money":
        value = rng.randint(12, 95) / 10
        return f"${value:.1f} million", f"{value:.1f} млн долл.".replace(".", ",", 1)
    if kind == "people":
        value = rng.randint(1_200, 48_000)
        return f"{value:,}", f"{value:,}".replace(",", " ")
    value = rng.randint(2, 480)
    return str(value), str(value)


def _unique_id(title: str, used: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:5]
    base = "-".join(words) or "story"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def _publication(
    rng: random.Random,
    writer: _Writer,
    words: dict[str, int],
    photos: dict[str, GeneratedPhoto],
    stats: int,
    *,
    back_page: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    theme, theme_ru = rng.choice(_THEMES)
    region, region_ru = rng.choice(_REGIONS)
    kind, kind_ru = rng.choice((("Bulletin", "Бюллетень"), ("Newsletter", "Вестник")))
    org, org_ru = rng.choice(_ORGANISATIONS)
    name = f"{region} {theme} {kind}"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    primary, accent = rng.choice(_PALETTES)
    domain = re.sub(r"[^a-z]+", "", org.lower()) + ".org"
    offices, offices_ru = [], []
    for country, country_ru in rng.sample(_COUNTRIES, rng.randint(1, 6)):
        local = re.sub(r"[^a-z]+", "", country.lower())
        emails = [f"{local}@{domain}"]
        if rng.random() < 0.35:
            emails.append(f"info.{local}@{domain}")
        offices.append({"country": country, "emails": emails})
        offices_ru.append({"country": country_ru})
    social, social_ru = [], []
    for network, handle_ru in rng.sample(_NETWORKS, rng.randint(0, 3)):
        social.append(
            {"label": f"Follow us on {network}", "url": f"https://{network.lower()}.com/{slug}"}
        )
        social_ru.append({"label": f"{handle_ru} {network}"})
    # Generous: the Russian text is longer, and today's layout leaves holes.
    estimate = sum(words.values()) / 650 + len(photos) * 0.22 + stats * 0.3 + len(words) * 0.12 + 1
    publication: dict[str, Any] = {
        "name": name,
        "publisher": org,
        "slug": slug,
        "language": "en",
        "layout": "standard",
        "colors": {"primary": primary, "accent": accent},
        "page_budget": min(64, math.ceil(estimate * 2) + 2),
        "contacts": {"heading": f"Contact {org}", "offices": offices},
        "social": social,
    }
    if not social:
        del publication["social"]
    about: tuple[str, str] | None = None
    if back_page:
        if rng.random() < 0.6:
            about = writer.paragraph(rng.randint(30, 110))
            publication["about"] = _Literal(about[0])
        if rng.random() < 0.7:
            publication["website"] = f"https://{domain}/{slug}"
    publication_ru: dict[str, Any] = {
        "language": "ru",
        "name": f"{kind_ru} «{theme_ru}» — {region_ru}",
        "publisher": org_ru,
        "contacts": {"heading": f"Контакты: {org_ru}", "offices": offices_ru},
    }
    if social_ru:
        publication_ru["social"] = social_ru
    if about is not None:
        publication_ru["about"] = _Literal(about[1])
    return publication, publication_ru


# ---- Text ------------------------------------------------------------------


class _Writer:
    """Text in English and the same text in Russian, longer by ``ratio`` in characters."""

    def __init__(self, rng: random.Random, ratio: float) -> None:
        self.rng = rng
        self.ratio = ratio

    def pair(self, choices: tuple[tuple[str, str], ...]) -> tuple[str, str]:
        return self.rng.choice(choices)

    def title(self) -> tuple[str, str]:
        rng = self.rng
        english = " ".join(rng.choice(part) for part in _TITLE_PARTS)
        if rng.random() < 0.3:
            english += f" in {rng.choice(_PLACES)[0]}"
        return english, self.russian(len(english), capital=True, end="")

    def alt(self, people: int) -> tuple[str, str]:
        rng = self.rng
        if people:
            who = "A person" if people == 1 else f"{people} people"
            english = f"{who} {rng.choice(_ALT_ACTIONS)} {rng.choice(_ALT_SETTINGS)}"
        else:
            english = f"{rng.choice(_ALT_OBJECTS)} {rng.choice(_ALT_SETTINGS)}"
        return english, self.russian(len(english), capital=True, end="")

    def sentences(self, words: int, end: str = ".") -> tuple[str, str]:
        """Return about ``words`` words of prose, and the Russian of it."""
        english = self._english(words, end)
        return english, self.russian(len(english), capital=True, end=end)

    def paragraph(self, words: int) -> tuple[str, str]:
        """Return a paragraph of prose with emphasis and links here and there."""
        english = self._prose(words)
        return english, self._prose_ru(len(english))

    def body(self, target: int) -> tuple[str, str, int, tuple[str, str] | None]:
        """Return a Markdown body of about ``target`` words, its Russian, its words and a quote."""
        rng = self.rng
        english: list[str] = []
        russian: list[str] = []
        quote: tuple[str, str] | None = None
        count = 0
        while count < target:
            left = target - count
            size = left if left < 60 else min(left, rng.randint(40, 170))
            roll = rng.random()
            if count and left > 80 and roll < 0.06:
                heading = self._english(rng.randint(2, 6), "")
                english.append(f"### {heading}")
                russian.append(f"### {self.russian(len(heading), capital=True, end='')}")
                count += len(heading.split())
                continue
            if count and left > 90 and roll < 0.12:
                items = [self._english(rng.randint(5, 16), ";") for _ in range(rng.randint(2, 5))]
                english.append("\n".join(f"- {item}" for item in items))
                russian.append(
                    "\n".join(
                        f"- {self.russian(len(item), capital=True, end=';')}" for item in items
                    )
                )
                count += sum(len(item.split()) for item in items)
                continue
            paragraph = self._prose(size)
            english.append(paragraph)
            russian.append(self._prose_ru(len(paragraph)))
            count += len(paragraph.split())
            if quote is None and size >= 30:
                quoted = self._english(rng.randint(10, 26), ".")
                quote = (quoted, self.russian(len(quoted), capital=True, end="."))
        return "\n\n".join(english) + "\n", "\n\n".join(russian) + "\n", count, quote

    def _prose(self, words: int) -> str:
        """Return prose of ``words`` words, with Markdown emphasis and a link now and then."""
        rng = self.rng
        sentences: list[str] = []
        count = 0
        while count < words:
            length = min(words - count, rng.randint(9, 30))
            if words - count - length < 5:
                length = words - count
            sentence = self._english(length, ".")
            roll = rng.random()
            if roll < 0.05:
                sentence = _mark(sentence, rng, "*{}*")
            elif roll < 0.08:
                slug = "-".join(rng.sample(_WORDS_LINK, 2))
                sentence = _mark(sentence, rng, "[{}](https://example.org/" + slug + ")")
            sentences.append(sentence)
            count += length
        return " ".join(sentences)

    def _prose_ru(self, characters: int) -> str:
        rng = self.rng
        target = round(characters * self.ratio)
        sentences: list[str] = []
        size = -1
        while size < target - 2:
            left = target - size - 1
            length = left if left < 90 else rng.randint(60, min(200, left - 30))
            sentence = self.russian(length, capital=True, end=".", exact=False)
            if rng.random() < 0.05:
                sentence = _mark(sentence, rng, "*{}*")
            sentences.append(sentence)
            size += len(sentence) + 1
        return " ".join(sentences)

    def _english(self, words: int, end: str) -> str:
        rng = self.rng
        picked: list[str] = []
        while len(picked) < words:
            roll = rng.random()
            if roll < 0.05:
                picked.append(str(rng.choice((rng.randint(2, 99), rng.randint(1990, 2031)))))
            elif roll < 0.12:
                picked.append(rng.choice(_LONG_WORDS))
            elif roll < 0.2:
                picked.append(rng.choice(_PLACES)[0])
            else:
                picked.append(rng.choice(_WORDS))
        text = " ".join(picked[:words])
        if words > 12 and rng.random() < 0.5:
            cut = text.split(" ")
            at = rng.randint(4, len(cut) - 4)
            cut[at] += ","
            text = " ".join(cut)
        return text[0].upper() + text[1:] + end

    def russian(self, characters: int, *, capital: bool, end: str, exact: bool = True) -> str:
        """Return Russian words of about ``characters`` × ratio characters (``exact``: ×1)."""
        rng = self.rng
        target = max(3, round(characters * (self.ratio if exact else 1.0)))
        picked: list[str] = []
        size = -1
        while size < target - len(end):
            roll = rng.random()
            word = rng.choice(_LONG_WORDS_RU) if roll < 0.12 else rng.choice(_WORDS_RU)
            if roll > 0.96:
                word = str(rng.randint(2, 99))
            picked.append(word)
            size += len(word) + 1
        # The last word may overshoot: leave it out when that comes closer.
        if len(picked) > 1 and size - (target - len(end)) > len(picked[-1]) / 2:
            picked.pop()
        text = " ".join(picked)
        if capital:
            text = text[0].upper() + text[1:]
        return text + end


def _mark(sentence: str, rng: random.Random, pattern: str) -> str:
    words = sentence[:-1].split(" ")
    if len(words) < 5:
        return sentence
    start = rng.randint(1, len(words) - 3)
    span = rng.randint(1, 3)
    inner = " ".join(words[start : start + span]).rstrip(",")
    trail = "," if words[start + span - 1].endswith(",") else ""
    words[start : start + span] = [pattern.format(inner) + trail]
    return " ".join(words) + sentence[-1]


# ---- Photos ----------------------------------------------------------------


def draw_photo(
    path: Path,
    rng: random.Random,
    *,
    aspect: float | None = None,
    people: int | None = None,
    long_side: int | None = None,
) -> GeneratedPhoto:
    """Draw a photo into ``path`` (JPEG): people with faces, or one detailed object.

    ``aspect`` (width / height), ``people`` (0 for an object on a plain
    ground) and ``long_side`` (pixels) are drawn at random when not given.
    """
    aspect = rng.choice(ASPECTS) if aspect is None else aspect
    long_side = rng.randint(*PHOTO_LONG_SIDE) if long_side is None else long_side
    if aspect >= 1:
        size = (long_side, round(long_side / aspect))
    else:
        size = (round(long_side * aspect), long_side)
    if people is None:
        people = rng.choices((0, 1, 2, 3, 4, 5), weights=(0.35, 0.25, 0.18, 0.1, 0.07, 0.05))[0]
    image = _background(size, rng)
    draw = ImageDraw.Draw(image)
    if people:
        faces, subject = _people(draw, size, rng, people)
    else:
        faces, subject = (), _still_life(draw, size, rng)
    image = _photographic(image, rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    stream = io.BytesIO()
    image.save(stream, "JPEG", quality=86)
    path.write_bytes(stream.getvalue())
    return GeneratedPhoto(path, size, faces, subject)


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Return a plain ground: a sky or wall fading into a floor."""
    height = size[1]
    top = tuple(rng.randint(150, 215) for _ in range(3))
    bottom = tuple(max(0, channel - rng.randint(40, 90)) for channel in top)
    column = Image.new("RGB", (1, height))
    horizon = rng.uniform(0.55, 0.8)
    floor = tuple(rng.randint(70, 140) for _ in range(3))
    for y in range(height):
        t = y / height
        if t < horizon:
            color = tuple(
                round(a + (b - a) * t / horizon) for a, b in zip(top, bottom, strict=True)
            )
        else:
            color = floor
        column.putpixel((0, y), color)
    return column.resize(size, Image.Resampling.NEAREST)


def _people(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, count: int
) -> tuple[tuple[Box, ...], Box]:
    """Draw ``count`` people in a row placed off-centre; return their faces and their box."""
    width, height = size
    # Face width: large in a portrait of one, smaller in a group.
    share = rng.uniform(0.16, 0.26) if count == 1 else rng.uniform(0.08, 0.15)
    face_w = max(36, round(min(width, height * 1.1) * share))
    face_h = round(face_w * 1.3)
    gap = round(face_w * rng.uniform(1.5, 2.2))
    row = face_w + gap * (count - 1)
    while row > width - face_w * 0.8 and count > 1:
        gap = round(gap * 0.85)
        row = face_w + gap * (count - 1)
        if gap < face_w * 1.2:
            face_w = round(face_w * 0.9)
            face_h = round(face_w * 1.3)
    margin = round(face_w * 0.4)
    left = rng.randint(margin, max(margin, width - row - margin))
    # The eyes somewhere between 22 % and 55 % of the height.
    eye_line = rng.uniform(0.22, 0.55) * height
    faces: list[Box] = []
    shoulders = []
    for number in range(count):
        cx = left + face_w / 2 + gap * number
        cy = eye_line + face_h * 0.08 + rng.uniform(-0.12, 0.12) * face_h
        cy = min(max(cy, face_h * 0.75), height - face_h * 0.9)
        body = rng.choice(_SHIRTS)
        draw.rounded_rectangle(
            (cx - face_w * 1.1, cy + face_h * 0.45, cx + face_w * 1.1, height + face_w),
            radius=round(face_w * 0.4),
            fill=body,
        )
        _face(draw, cx, cy, face_w, rng)
        faces.append(
            (
                round(cx - face_w / 2),
                round(cy - face_h / 2),
                round(cx + face_w / 2),
                round(cy + face_h / 2),
            )
        )
        shoulders.append(round(cy + face_h * 0.9))
    subject = (
        max(0, round(faces[0][0] - face_w * 0.6)),
        max(0, round(min(face[1] for face in faces) - face_h * 0.1)),
        min(width, round(faces[-1][2] + face_w * 0.6)),
        min(height, max(shoulders)),
    )
    return tuple(faces), subject


def _face(draw: ImageDraw.ImageDraw, cx: float, cy: float, w: float, rng: random.Random) -> None:
    """Draw a face a cascade detector finds: dark eyes and brows, a lighter nose bridge."""
    h = w * 1.3
    skin = rng.choice(_SKINS)
    hair = rng.choice(_HAIRS)
    draw.ellipse((cx - w * 0.56, cy - h * 0.58, cx + w * 0.56, cy + h * 0.2), fill=hair)
    draw.ellipse((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), fill=skin)
    draw.chord((cx - w * 0.52, cy - h * 0.6, cx + w * 0.52, cy - h * 0.05), 180, 360, fill=hair)
    shade = tuple(round(c * 0.55) for c in skin)
    eyes = cy - h * 0.08
    for side in (-1, 1):
        ex = cx + side * w * 0.2
        draw.rectangle((ex - w * 0.13, eyes - h * 0.1, ex + w * 0.13, eyes - h * 0.07), fill=hair)
        draw.ellipse((ex - w * 0.13, eyes - h * 0.05, ex + w * 0.13, eyes + h * 0.05), fill=shade)
        draw.ellipse(
            (ex - w * 0.09, eyes - h * 0.03, ex + w * 0.09, eyes + h * 0.03), fill=(240, 240, 235)
        )
        draw.ellipse(
            (ex - w * 0.04, eyes - h * 0.03, ex + w * 0.04, eyes + h * 0.03), fill=(40, 30, 25)
        )
    nose = tuple(round(c * 0.8) for c in skin)
    draw.polygon(
        [(cx, eyes + h * 0.02), (cx - w * 0.07, cy + h * 0.15), (cx + w * 0.07, cy + h * 0.15)],
        fill=nose,
    )
    draw.chord(
        (cx - w * 0.17, cy + h * 0.2, cx + w * 0.17, cy + h * 0.32), 0, 180, fill=(150, 60, 60)
    )


def _still_life(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> Box:
    """Draw one detailed object (a building or a tree) off-centre; return its box."""
    width, height = size
    object_w = round(width * rng.uniform(0.2, 0.38))
    object_h = round(height * rng.uniform(0.35, 0.6))
    left = rng.choice(
        (rng.randint(0, max(1, width // 6)), rng.randint(width // 2, width - object_w))
    )
    top = rng.randint(round(height * 0.1), height - object_h - round(height * 0.05))
    box = (left, top, left + object_w, top + object_h)
    if rng.random() < 0.5:
        _building(draw, box, rng)
    else:
        _tree(draw, box, rng)
    return box


def _building(draw: ImageDraw.ImageDraw, box: Box, rng: random.Random) -> None:
    left, top, right, bottom = box
    wall = tuple(rng.randint(120, 200) for _ in range(3))
    draw.rectangle(box, fill=wall, outline=(40, 40, 40), width=max(2, (right - left) // 80))
    rows, cols = rng.randint(5, 9), rng.randint(3, 6)
    cell_w, cell_h = (right - left) / cols, (bottom - top) / rows
    for row in range(rows):
        for col in range(cols):
            lit = rng.random() < 0.3
            pane = (250, 230, 150) if lit else (45, 60, 80)
            x, y = left + col * cell_w, top + row * cell_h
            draw.rectangle(
                (x + cell_w * 0.2, y + cell_h * 0.2, x + cell_w * 0.8, y + cell_h * 0.75),
                fill=pane,
                outline=(20, 20, 20),
            )


def _tree(draw: ImageDraw.ImageDraw, box: Box, rng: random.Random) -> None:
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    trunk = (left + width * 0.44, top + height * 0.55, left + width * 0.56, bottom)
    draw.rectangle(trunk, fill=(90, 60, 35))
    for _ in range(220):
        x = rng.uniform(left, right)
        y = rng.uniform(top, top + height * 0.65)
        r = rng.uniform(width * 0.02, width * 0.07)
        green = (rng.randint(20, 80), rng.randint(90, 170), rng.randint(20, 70))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=green, outline=(15, 50, 15))


def _photographic(image: Image.Image, rng: random.Random) -> Image.Image:
    """Return ``image`` with sensor grain, as a camera would give it."""
    # Grain from the seeded generator (Pillow's effect_noise is not seeded), tiled.
    amplitude = rng.uniform(0.05, 0.09)
    tile = Image.frombytes("L", (256, 256), rng.randbytes(256 * 256))
    tile = tile.point(lambda value: round(128 + (value - 128) * amplitude))
    grain = Image.new("L", image.size)
    for x in range(0, image.width, 256):
        for y in range(0, image.height, 256):
            grain.paste(tile, (x, y))
    # Grain centred on 128: adding it and taking 128 off leaves the picture.
    return ImageChops.add(image, Image.merge("RGB", (grain,) * 3), 1.0, -128)


# ---- Vocabulary --------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS = _split(
    """the of and to in a for on with by from at as that this was were is are has have had
    project partners officers community communities families migrants workers women young
    people local national regional government ministry office offices training session sessions
    meeting meetings support services health water schools teachers farmers villages districts
    programme programmes plan plans report reports survey results data study research network
    staff volunteers centre centres border crossing roads transport jobs skills income grants
    safety protection rights access care clinics doctors nurses children parents youth leaders
    council councils mayor officials delegates experts donors funds budget year month week
    days first second new next last joint open public small large more most many several
    helped started opened visited met discussed agreed signed trained supported delivered
    reached built repaired planned reviewed presented launched shared collected improved
    together across during after before within between through around about over under
    also now then still only already again soon often"""
)
_LONG_WORDS = _split(
    """internationalisation intergovernmental responsibilities implementation
    representatives coordination sustainability accountability infrastructure
    rehabilitation reintegration administration documentation vulnerabilities
    recommendations comprehensive establishment neighbourhood telecommunications
    decentralisation interdepartmental counter-trafficking"""
)
_WORDS_LINK = ("report", "survey", "plan", "results", "news", "story", "data", "update")
_WORDS_RU = _split(
    """и в на с по для из от до при о об что это как так же уже еще также был была были
    проект партнеры сотрудники община общины семьи мигранты работники женщины молодежь
    люди местные национальные региональные правительство министерство офис тренинг
    сессия встреча встречи поддержка услуги здоровье вода школы учителя фермеры села
    районы программа план отчет опрос результаты данные исследование сеть персонал
    волонтеры центр граница дороги транспорт работа навыки доход гранты безопасность
    защита права доступ помощь клиники врачи дети родители лидеры совет мэр делегаты
    эксперты доноры бюджет год месяц неделя первый второй новый следующий совместный
    открытый помогли начали открыли посетили обсудили согласовали подписали обучили
    поддержали провели построили отремонтировали представили запустили собрали улучшили
    вместе после перед между через около более многие несколько теперь часто"""
)
_LONG_WORDS_RU = _split(
    """межправительственный ответственность реализация представители координация
    устойчивость подотчетность инфраструктура реабилитация реинтеграция администрация
    документация уязвимость рекомендации всеобъемлющий телекоммуникации
    децентрализация межведомственный противодействие"""
)
_TITLE_PARTS = (
    ("New", "Joint", "First", "Regional", "Local", "Second", "Open", "Mobile", "Community"),
    (
        "training",
        "clinic",
        "survey",
        "water project",
        "school programme",
        "border post",
        "youth forum",
        "grant scheme",
        "road repair",
        "health campaign",
    ),
    (
        "reaches",
        "opens for",
        "helps",
        "brings together",
        "supports",
        "starts with",
        "trains",
        "connects",
    ),
    (
        "families",
        "returning migrants",
        "rural women",
        "young people",
        "farmers",
        "teachers",
        "border officials",
        "local councils",
        "three districts",
        "village health workers",
    ),
)
_KICKERS = (
    ("Regional cooperation", "Региональное сотрудничество"),
    ("Direct assistance", "Прямая помощь"),
    ("Health", "Здоровье"),
    ("Aral Sea", "Аральское море"),
    ("Partnership in action", "Партнерство в действии"),
    ("Climate and migration", "Климат и миграция"),
    ("Field notes", "Заметки с мест"),
    ("Youth", "Молодежь"),
    ("Livelihoods", "Средства к существованию"),
    ("Border management", "Управление границами"),
)
_STATS_KICKERS = (
    ("Survey results", "Результаты опроса"),
    ("In numbers", "В цифрах"),
    ("The year so far", "Итоги года"),
)
_PLACES = (
    ("Nukus", "Нукус"),
    ("Osh", "Ош"),
    ("Khujand", "Худжанд"),
    ("Mary", "Мары"),
    ("Shymkent", "Шымкент"),
    ("Tbilisi", "Тбилиси"),
    ("Yerevan", "Ереван"),
    ("Chisinau", "Кишинев"),
    ("Karakol", "Каракол"),
    ("Samarkand", "Самарканд"),
)
_AGENCIES = (
    ("IOM", "МОМ"),
    ("UNICEF", "ЮНИСЕФ"),
    ("Project staff", "Сотрудники проекта"),
    ("Aigerim Sadykova", "Айгерим Садыкова"),
    ("Field office", "Полевой офис"),
)
_ALT_ACTIONS = (
    "standing in front of",
    "talking outside",
    "waiting near",
    "smiling at the camera beside",
    "listening at",
)
_ALT_SETTINGS = (
    "a community centre",
    "the new clinic",
    "a village school",
    "the border crossing point",
    "a water tower",
    "the district office",
)
_ALT_OBJECTS = ("A tall building with lit windows near", "A large tree beside", "An old tower at")
_THEMES = (
    ("Water", "Вода"),
    ("Health", "Здоровье"),
    ("Migration", "Миграция"),
    ("Schools", "Школы"),
    ("Farming", "Фермерство"),
    ("Youth", "Молодежь"),
)
_REGIONS = (
    ("South Caucasus", "Южный Кавказ"),
    ("Fergana Valley", "Ферганская долина"),
    ("Danube", "Дунай"),
    ("Caspian", "Каспий"),
    ("Highlands", "Нагорье"),
)
_ORGANISATIONS = (
    ("Riverside Health Network", "Сеть здравоохранения «Риверсайд»"),
    ("Open Schools Foundation", "Фонд «Открытые школы»"),
    ("Caspian Water Alliance", "Каспийский водный альянс"),
    ("Mountain Villages Trust", "Фонд горных сел"),
)
_COUNTRIES = (
    ("Armenia", "Армения"),
    ("Azerbaijan", "Азербайджан"),
    ("Georgia", "Грузия"),
    ("Kazakhstan", "Казахстан"),
    ("Kyrgyzstan", "Кыргызстан"),
    ("Moldova", "Молдова"),
    ("Tajikistan", "Таджикистан"),
    ("Uzbekistan", "Узбекистан"),
)
_NETWORKS = (
    ("Facebook", "Подписывайтесь на нас в"),
    ("Instagram", "Мы в"),
    ("LinkedIn", "Наша страница в"),
    ("YouTube", "Наш канал на"),
)
_PALETTES = (
    ("#0B5563", "#5FB3B3"),
    ("#7A1E48", "#E58FB1"),
    ("#2E4A1F", "#8DBF5A"),
    ("#5A2D82", "#B48EDB"),
    ("#8A3B12", "#E7A76C"),
    ("#1F3A93", "#7FA7E8"),
)
_SKINS = ((224, 172, 140), (198, 134, 96), (141, 85, 54), (240, 200, 170))
_HAIRS = ((30, 20, 15), (60, 40, 20), (90, 60, 30), (20, 20, 20))
_SHIRTS = ((50, 80, 140), (140, 40, 40), (60, 110, 60), (200, 170, 60), (90, 90, 90))
