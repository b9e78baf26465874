"""Start a month's issue: ``issues/YYYY-MM/`` with its manifest, photos folder and translations."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from bulletin.errors import BulletinError
from bulletin.manifest.load import check_month, issue_languages
from bulletin.model.issue import MONTH, Story

_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class NewIssue:
    """What ``create_issue`` wrote, and what the officer should know about it."""

    folder: Path
    """The issue folder (``issues/2021-07``)."""
    files: tuple[Path, ...]
    """The files written: ``issue.yaml`` first, then one skeleton per translation."""
    number: int | None
    """The issue number written, or ``None`` when none could be worked out."""
    previous: str | None
    """The month of the issue the number follows (the latest before this one)."""
    languages: tuple[str, ...]
    """The translations started, as in the previous issue."""
    notes: tuple[str, ...]
    """Things worth a look: a gap of months, a previous issue without a number."""


def create_issue(root: Path, month: str, *, number: int | None = None) -> NewIssue:
    """Create ``issues/<month>/`` under ``root``: manifest, ``photos/`` and translations.

    The number follows the latest issue's; a month before the latest one is refused
    unless ``number`` is given, and nothing that exists is ever replaced.
    """
    check_month(month)
    issues = root / "issues"
    if not issues.is_dir():
        raise BulletinError.single(
            "issues",
            "there is no issues/ folder here: run bulletin in the project folder (the one "
            "holding issues/, layouts/ and fonts/), or give it with --root",
        )
    folder = issues / month
    _refuse_existing(root, folder, month)
    months = sorted(
        path.parent.name
        for path in issues.glob("*/issue.yaml")
        if MONTH.match(path.parent.name) and path.parent.name != month
    )
    earlier = [m for m in months if m < month]
    previous = earlier[-1] if earlier else None
    latest = months[-1] if months else None
    notes: list[str] = []
    if latest is not None and latest > month and number is None:
        raise BulletinError.single(
            f"issues/{month}",
            f"{month} comes before the latest issue, {latest}: check the month (to add an "
            f"earlier issue all the same, give its number: bulletin new {month} --number N)",
        )
    if number is None:
        number = _next_number(root, previous, notes)
    elif number < 1:
        raise BulletinError.single("bulletin", f"--number {number}: an issue number is 1 or more")
    if previous is not None:
        skipped = _months_between(previous, month)
        if skipped:
            shown = ", ".join(skipped[:3]) + (", …" if len(skipped) > 3 else "")
            notes.append(
                f"no issue for {shown} between {previous} and {month}: check the month"
                + (f" (numbered {number}, after {previous})" if number is not None else "")
            )
    for other in months:
        if other != month and number is not None and _number_of(root, other) == number:
            notes.append(f"{other} has number {number} too: correct one of them")
    languages = tuple(issue_languages(root, previous)) if previous else ()
    texts = {"issue.yaml": issue_text(month, number)}
    for language in languages:
        texts[f"issue.{language}.yaml"] = translation_skeleton(month, language)
    files = _write_new(folder, texts)
    return NewIssue(folder, files, number, previous, languages, tuple(notes))


def _refuse_existing(root: Path, folder: Path, month: str) -> None:
    if not folder.exists():
        return
    if not folder.is_dir():
        raise BulletinError.single(
            f"issues/{month}", "a file has this name: move it aside, then run bulletin new again"
        )
    manifests = sorted(
        {"issue.yaml"} & {path.name for path in folder.iterdir()}
        | {f"issue.{language}.yaml" for language in issue_languages(root, month)}
    )
    if manifests:
        raise BulletinError.single(
            f"issues/{month}/{manifests[0]}",
            f"the issue of {month} exists already: bulletin new never overwrites an issue; "
            f"edit issues/{month}/issue.yaml, or pick another month",
        )


def _number_of(root: Path, month: str) -> int | None:
    """Return the number in ``month``'s manifest, or ``None`` if it has none or cannot say."""
    path = root / "issues" / month / "issue.yaml"
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8")) if len(raw) <= _MAX_BYTES else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("number") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _next_number(root: Path, previous: str | None, notes: list[str]) -> int | None:
    if previous is None:
        notes.append("this is the first issue here: numbered 1 (give another with --number N)")
        return 1
    found = _number_of(root, previous)
    if found is None:
        notes.append(
            f"the issue before, {previous}, has no number that bulletin can read: this one has "
            "none either (add number: to issue.yaml, or run again with --number N)"
        )
        return None
    return found + 1


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    found: list[str] = []
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        name = f"{year:04d}-{month:02d}"
        if name >= last:
            return found
        found.append(name)


def language_name(language: str) -> str:
    """Return the English name of a language ("Russian" for ``ru``), or the code itself."""
    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name("en")
    except (UnknownLocaleError, ValueError):
        return language
    return name or language


def _write_new(folder: Path, texts: dict[str, str]) -> tuple[Path, ...]:
    """Write ``texts`` and ``photos/`` into ``folder``: all or nothing, replacing nothing."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; an issue folder is not
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        (staging / "photos").mkdir()
        if not folder.exists():
            os.rename(staging, folder)
        else:
            # The folder was made beforehand (photos first): add to it, replace nothing.
            for item in sorted(staging.iterdir()):
                target = folder / item.name
                if item.is_dir():
                    target.mkdir(exist_ok=True)
                else:
                    os.link(item, target)  # fails if the name was taken meanwhile
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tuple(folder / name for name in texts)


_SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/issue.schema.json\n"


def issue_text(month: str, number: int | None) -> str:
    """Return the manifest of a new issue: no stories yet, an example of each kind commented."""
    number_line = f"number: {number}\n" if number is not None else "# number: 1\n"
    return (
        _SCHEMA_LINE
        + f'month: "{month}"\n'
        + number_line
        + "published: false    # true once the issue has gone out to readers\n"
        + "stories:\n"
        + _examples().replace("MONTH", month)
    )


def _examples() -> str:
    """Return the commented examples, with a story without photos where the model allows one."""
    if Story.model_fields["photos"].is_required():
        return _EXAMPLES
    return _EXAMPLES.replace(_STATS_START, _TEXT_ONLY + _STATS_START)


_STATS_START = "  # A statistics call-out"
_TEXT_ONLY = """\
  # A story without a photo. Short ones (170 words or fewer, no pull quote)
  # may share a block of news in brief with the stories next to them.
  # - id: text-only-story
  #   kicker: In brief
  #   title: A story told in words alone
  #   body: |
  #     One or two paragraphs of text.

"""


_EXAMPLES = """\
  # The stories and call-outs, in reading order. Bring a story in from Word with
  #   bulletin import MONTH story.docx
  # or take an example below: remove the '# ' at the start of its lines, fill it
  # in, and put its photo in photos/. Then check the issue with
  #   bulletin check MONTH

  # A story with photos. bulletin sets it as the pages need: a photo across
  # the columns, a photo beside the text, or a pair or small grid of photos,
  # over two or three columns; it sizes and crops the photos (keeping at least
  # 60 % of each) to leave no holes in the pages.
  # - id: story-with-photos
  #   kicker: Direct assistance
  #   title: The headline, on one line of the manifest
  #   # The standfirst, the pull quote and a photo's caption and focus may be left out.
  #   standfirst: One or two sentences that sum the story up.
  #   # A pull quote: a sentence of the story, set large inside its columns,
  #   # written without quote marks (the layout adds the language's own).
  #   quote: The sessions gave me the courage to start again.
  #   body: |
  #     The text in Markdown. Paragraphs are separated by a blank line, with
  #     *emphasis*, **strong** words and [links](https://www.iom.int).
  #
  #     ### A subheading
  #
  #     - a list item
  #     - another list item
  #   photos:
  #     - file: photos/lead-photo.jpg
  #       alt: What the photo shows, for readers who cannot see it
  #       caption: A caption, printed before the credit.
  #       # Where the subject is, in percent from the top left: it stays in view
  #       # however the photo is cropped. Left out, bulletin looks for faces.
  #       focus: {x: 50, y: 30}
  #       credit:
  #         by: IOM
  #         place: Tashkent
  #         date: MONTH-01
  #     - file: photos/second-photo.jpg
  #       alt: What the second photo shows
  #       credit:
  #         by: IOM
  #         place: Bishkek
  #         # Only the month known: the month in quotes.
  #         date: "MONTH"
  #   layout:
  #     # A wish, kept unless another count closes a hole: 2 or 3 text
  #     # columns (1 is set as 2). Left out, bulletin chooses.
  #     columns: 3

  # A short story with one photo: across the columns or, if the photo is
  # no wider than 3:2 (portrait, square), beside the text.
  # - id: short-story
  #   kicker: Partnerships
  #   title: A short story
  #   body: |
  #     One paragraph of text.
  #   photos:
  #     - file: photos/short-story.jpg
  #       alt: What the photo shows
  #       credit:
  #         by: IOM
  #         place: Almaty
  #         date: "MONTH"

  # A statistics call-out: a short text and one to six large figures.
  # - kind: stats
  #   id: in-figures
  #   kicker: Survey results
  #   title: The call-out's heading
  #   intro: |
  #     A sentence introducing the figures.
  #   figures:
  #     - value: "95%"
  #       label: of respondents were satisfied with the sessions
  #     - value: "1,240"
  #       label: migrants received help to return home
"""


def translation_skeleton(month: str, language: str) -> str:
    """Return a translation file with no text yet, saying how to fill it in."""
    return (
        f"# {language_name(language)} text of issues/{month}/issue.yaml. Write every story's\n"
        "# text to translate into this file, with the main language's beside it, with\n"
        f"#   bulletin translate {month} --language {language}\n"
        f"language: {language}\n"
        "stories: {}\n"
    )
