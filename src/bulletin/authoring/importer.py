"""Bring a story in from a Word document (.docx): text, emphasis, lists, links and photos.

The document is converted by mammoth (its styles mapped to what a story has:
Title, Subtitle or Kicker, Standfirst, Caption, headings), then written as a
new story at the end of the issue's ``stories:`` list. The manifest is edited
as text, so the officer's comments and layout stay exactly as they were;
embedded photos go to ``photos/`` with their alt text, and what the document
cannot say (the kicker, each photo's credit) is left for ``check`` to ask for.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from bulletin.authoring import yamltext
from bulletin.authoring.wordhtml import IMAGE_SRC, Draft, read_story
from bulletin.errors import BulletinError, ManifestError, Problem, display_path
from bulletin.manifest.load import check_month, issue_languages, load_issue
from bulletin.model.issue import Story

_MAX_MANIFEST = 1_000_000
_MAX_DOCX = 200_000_000
_MAX_ID = 48

# Word's and Google Docs' style names for what a story has; mammoth maps
# Heading 1-6 itself.
STYLE_MAP = """\
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.kicker:fresh
p[style-name='Kicker'] => p.kicker:fresh
p[style-name='Standfirst'] => p.standfirst:fresh
p[style-name='Caption'] => p.caption:fresh
"""


@dataclass(frozen=True)
class ImportedPhoto:
    """A photo taken out of the document."""

    path: Path
    """Where it was written (``issues/2021-07/photos/<id>-1.jpg``)."""
    width: int
    """Its width in pixels."""
    height: int
    """Its height in pixels."""
    alt: str
    """Its alt text from the document, or ``""``."""


@dataclass(frozen=True)
class ImportedStory:
    """What ``import_story`` added to the issue."""

    manifest: Path
    """The issue's ``issue.yaml``."""
    story_id: str
    """The new story's id."""
    title: str
    """Its headline, or ``""`` when the document has none."""
    index: int
    """Its place in the issue's stories, from 0."""
    line: int
    """The line of ``issue.yaml`` where it starts."""
    photos: tuple[ImportedPhoto, ...]
    """The photos written into ``photos/``."""
    notes: tuple[str, ...]
    """What did not come across as it was."""
    to_fill_in: tuple[Problem, ...]
    """What validation still asks for in the new story (kicker, credits…)."""
    languages: tuple[str, ...]
    """The issue's translations, which do not have this story yet."""
    published: bool = False
    """True when the issue says ``published: true``: it has gone out to readers."""


def import_story(root: Path, month: str, document: Path) -> ImportedStory:
    """Append the story of the Word file ``document`` to the issue of ``month`` under ``root``."""
    check_month(month)
    folder = root / "issues" / month
    manifest = folder / "issue.yaml"
    shown = display_path(root, manifest)
    if not manifest.is_file():
        raise BulletinError.single(
            shown, f"there is no issue for {month} yet: start it with bulletin new {month}"
        )
    html, images = _convert(document)
    draft = read_story(html)
    if not (draft.title or draft.body or draft.kicker or draft.pictures):
        raise BulletinError.single(
            str(document), "the document has no text and no photos: nothing to import"
        )
    text = _read_manifest(manifest, shown)
    stories, ids = _stories_node(text, shown)
    story_id = _unique(_slug(draft.title) or "story", ids)
    photos_dir = folder / "photos"
    planned = _plan_photos(draft, images, photos_dir, story_id)
    photo_lines = [(f"photos/{path.name}", picture) for path, _, picture, _ in planned]
    lines = _story_lines(draft, story_id, photo_lines, document.name)
    edit = _append(text, stories, lines, shown)
    check = yaml.compose(edit.text, Loader=yaml.SafeLoader)
    if _last_id(check) != story_id:  # pragma: no cover - a bug, not a user error
        raise RuntimeError("the story was not appended as the last item of stories")
    written = _write(manifest, edit.text, planned)
    notes = list(draft.notes)
    if draft.title_from_first_paragraph:
        notes.insert(
            0, "no paragraph is styled Title or Heading 1: the first paragraph became the title"
        )
    notes += [note for *_, note in planned if note]
    languages = tuple(issue_languages(root, month))
    return ImportedStory(
        manifest,
        story_id,
        draft.title,
        edit.index,
        edit.line,
        written,
        tuple(notes),
        _still_to_fill(root, month, edit.index),
        languages,
        _published(check),
    )


@dataclass(frozen=True)
class _Image:
    data: bytes
    content_type: str
    alt: str


def _convert(document: Path) -> tuple[str, list[_Image]]:
    """Return mammoth's HTML of ``document`` and its images, refusing what is not a .docx."""
    name = str(document)
    if not document.is_file():
        raise BulletinError.single(
            name, "no such file: check the name and folder of the Word document"
        )
    try:
        head = document.read_bytes()[:8] if document.stat().st_size else b""
    except OSError as error:
        raise BulletinError.single(name, f"cannot read the file: {error.strerror}") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BulletinError.single(
            name,
            "this is an old Word document (.doc): open it in Word or LibreOffice and save it "
            "as .docx (Word Document), then import that",
        )
    if document.stat().st_size > _MAX_DOCX:
        raise BulletinError.single(name, "the file is over 200 MB: is it the right document?")
    not_docx = BulletinError.single(
        name,
        "not a Word document (.docx): save it from Word, LibreOffice or Google Docs "
        "(File > Download > Microsoft Word) as .docx, then import that",
    )
    try:
        with zipfile.ZipFile(document) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis"
            ):
                raise BulletinError.single(
                    name,
                    "this is an OpenDocument file (.odt): save it as .docx (Word Document) in "
                    "LibreOffice, then import that",
                )
            if "word/document.xml" not in names:
                raise not_docx
    except zipfile.BadZipFile:
        raise not_docx from None
    import mammoth  # only this command needs it: keep the CLI's start quick

    images: list[_Image] = []

    def keep(image: Any) -> dict[str, str]:
        with image.open() as stream:
            data = stream.read()
        images.append(_Image(data, str(image.content_type or ""), str(image.alt_text or "")))
        return {"src": f"{IMAGE_SRC}{len(images) - 1}"}

    try:
        with document.open("rb") as stream:
            result = mammoth.convert_to_html(
                stream, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(keep)
            )
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as error:
        raise BulletinError.single(
            name, f"cannot read this Word document ({error}): open it in Word and save it again"
        ) from None
    return str(result.value), images


def _read_manifest(manifest: Path, shown: str) -> str:
    raw = manifest.read_bytes()
    if len(raw) > _MAX_MANIFEST:
        raise ManifestError.single(shown, "the file is over 1 MB: is this the right file?")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError.single(
            shown, "the file is not UTF-8 text: save it as UTF-8 in your editor"
        ) from None


def _stories_node(
    text: str, shown: str
) -> tuple[tuple[yaml.Node | None, yaml.Node | None], set[str]]:
    """Return the ``stories`` key and value nodes of the manifest, and the ids in use."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ManifestError.single(
            shown,
            f"not valid YAML ({error.problem or error.context}): correct it first "
            "(bulletin check says how), then import again",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except (yaml.YAMLError, RecursionError):
        raise ManifestError.single(
            shown, "not valid YAML: correct it first, then import again"
        ) from None
    if root is None:
        return (None, None), set()
    if not isinstance(root, yaml.MappingNode):
        raise ManifestError.single(
            shown, "expected fields (key: value lines) at the top: correct it first", line=1
        )
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "stories":
            ids: set[str] = set()
            if isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.MappingNode):
                        ids |= {
                            v.value
                            for k, v in item.value
                            if isinstance(k, yaml.ScalarNode)
                            and k.value == "id"
                            and isinstance(v, yaml.ScalarNode)
                        }
            return (key, value), ids
    return (None, None), set()


def _published(root: yaml.Node | None) -> bool:
    if not isinstance(root, yaml.MappingNode):
        return False
    return any(
        getattr(key, "value", None) == "published" and getattr(value, "value", None) == "true"
        for key, value in root.value
    )


def _last_id(root: yaml.Node | None) -> str | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if getattr(key, "value", None) == "stories" and isinstance(value, yaml.SequenceNode):
            last = value.value[-1] if value.value else None
            if isinstance(last, yaml.MappingNode):
                for k, v in last.value:
                    if getattr(k, "value", None) == "id":
                        return str(v.value)
    return None


_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіўҳҷӣ",
        [
            *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o"),
            *("p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e"),
            *("yu", "ya", "a", "g", "q", "n", "o", "u", "u", "h", "i", "o", "h", "j", "i"),
        ],
        strict=True,
    )
)


def _slug(title: str) -> str:
    """Return a story id made of the title's first words: lower-case letters, digits, hyphens."""
    # "1,240" and "1 240" are one number: keep them one word (1240).
    title = re.sub(r"(?<=\d)[,.\u00a0\u202f ](?=\d{3}(?!\d))", "", title)
    letters = []
    for char in title.lower():
        letters.append(_CYRILLIC.get(char, char))
    ascii_text = unicodedata.normalize("NFKD", "".join(letters)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > _MAX_ID or longer.count("-") >= 6:
            break
        slug = longer
    return slug or (words[0][:_MAX_ID] if words else "")


def _unique(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


_SUFFIX = {"JPEG": ".jpg", "PNG": ".png"}


def _plan_photos(
    draft: Draft, images: list[_Image], photos_dir: Path, story_id: str
) -> list[tuple[Path, bytes, Any, str]]:
    """Return, per picture kept: its new path, its bytes, the picture and a note (or ``""``).

    JPEG and PNG are kept as they are; other images Pillow can read become PNG;
    drawings it cannot (EMF, WMF) are left out with a note. A picture embedded
    twice is kept once.
    """
    planned: list[tuple[Path, bytes, Any, str]] = []
    seen: dict[str, int] = {}
    kept = []
    for position, picture in enumerate(draft.pictures, start=1):
        image = images[picture.index]
        digest = hashlib.sha256(image.data).hexdigest()
        if digest in seen:
            draft.notes.append(f"image {position} is image {seen[digest]} again: kept once")
            continue
        seen[digest] = position
        try:
            with Image.open(io.BytesIO(image.data)) as opened:
                opened.load()
                kind = opened.format or ""
                data = image.data
                note = ""
                if kind not in _SUFFIX:
                    buffer = io.BytesIO()
                    opened.save(buffer, "PNG")
                    data, kind = buffer.getvalue(), "PNG"
                    note = f"image {position} ({image.content_type}) was converted to PNG"
        except (UnidentifiedImageError, OSError, ValueError):
            draft.notes.append(
                f"image {position} ({image.content_type or 'unknown type'}) is not a photo "
                "bulletin can use (a drawing or chart?): export it as JPEG or PNG and add it "
                "under photos by hand"
            )
            continue
        kept.append((picture, data, kind, note))
    used: set[str] = set()
    for number, (picture, data, kind, note) in enumerate(kept, start=1):
        path = _free_name(photos_dir, f"{story_id}-{number}", _SUFFIX[kind], used)
        used.add(path.name)
        planned.append((path, data, picture, note))
    return planned


def _free_name(folder: Path, stem: str, suffix: str, used: set[str]) -> Path:
    candidate, extra = folder / f"{stem}{suffix}", 1
    while candidate.exists() or candidate.name in used:
        extra += 1
        candidate = folder / f"{stem}-{extra}{suffix}"
    return candidate


def _story_lines(
    draft: Draft, story_id: str, photos: list[tuple[str, Any]], source: str
) -> list[str]:
    """Return the new story as manifest lines, indented as an item of ``stories`` at column 0."""
    missing = []
    if not draft.kicker:
        missing.append("the kicker")
    if not draft.title:
        missing.append("the title")
    if not draft.body:
        missing.append("the body")
    if not photos and Story.model_fields["photos"].is_required():
        missing.append("a photo")
    elif any(not picture.alt for _, picture in photos):
        missing.append("the alt text of each photo")
    if photos:
        missing.append("each photo's credit")
    lines = [f"- id: {story_id}", f"  # From {_comment(source)}."]
    if missing:
        lines[-1] = f"  # From {_comment(source)}: add {_and(missing)}."
    if draft.kicker:
        lines.append(f"  kicker: {yamltext.scalar(draft.kicker)}")
    if draft.title:
        lines.append(f"  title: {yamltext.scalar(draft.title)}")
    if draft.standfirst:
        lines.append(f"  standfirst: {yamltext.scalar(draft.standfirst)}")
    if draft.body:
        lines += yamltext.block("body", draft.body, 2)
    if photos:
        lines.append("  photos:")
    for file, picture in photos:
        lines.append(f"    - file: {yamltext.scalar(file)}")
        if picture.alt:
            lines.append(f"      alt: {yamltext.scalar(picture.alt)}")
        if picture.caption:
            lines.append(f"      caption: {yamltext.scalar(picture.caption)}")
        lines += [
            "      # Who took the photo, where and when: remove the '# ' below and fill in.",
            "      # credit:",
            "      #   by:",
            "      #   place:",
            "      #   date:",
        ]
    return lines


def _comment(text: str) -> str:
    return " ".join(text.split())


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class _Edit:
    text: str
    index: int
    line: int


def _append(
    text: str, stories: tuple[yaml.Node | None, yaml.Node | None], item: list[str], shown: str
) -> _Edit:
    """Return ``text`` with ``item`` added as the last story, every other line kept as it is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    key, value = stories
    if key is None:
        base = text if not text or text.endswith(("\n", "\r")) else text + newline
        lines = ["stories:", *("  " + line if line else line for line in item)]
        addition = newline.join(lines) + newline
        return _Edit(base + addition, 0, base.count("\n") + 2)
    assert value is not None
    flow = text[value.start_mark.index : value.start_mark.index + 1] == "["
    if isinstance(value, yaml.SequenceNode) and value.value and not flow:
        indent = _dash_column(text, value)
        end, kept_blank = _item_end(text, value.value[-1], indent)
        spacer = "" if kept_blank else newline  # a |+ block ends with blank lines of its own
        prefix = " " * indent
        block = newline.join(prefix + line if line else line for line in item)
        head, tail = text[:end], text[end:]
        addition = newline + spacer + block
        if not tail.startswith(("\n", "\r")):
            addition += newline
        return _Edit(head + addition + tail, len(value.value), head.count("\n") + 2 + len(spacer))
    if isinstance(value, yaml.SequenceNode) and value.value:
        raise ManifestError.single(
            shown,
            "stories is written on one line, in [ ]: write it as a list of '- ' items first",
            line=value.start_mark.line + 1,
            column=value.start_mark.column + 1,
        )
    if not (
        isinstance(value, yaml.SequenceNode)
        or (isinstance(value, yaml.ScalarNode) and value.value == "")
    ):
        raise ManifestError.single(
            shown,
            "stories must be a list of '- ' items: correct it first, then import again",
            line=value.start_mark.line + 1,
            column=value.start_mark.column + 1,
        )
    # Empty ("stories:" with its examples commented out, or "stories: []"): the
    # story goes after the comments that follow, before the next field.
    if isinstance(value, yaml.SequenceNode):  # "[]": take it out
        text = text[: value.start_mark.index].rstrip(" ") + text[value.end_mark.index :]
    line_end = text.find("\n", key.end_mark.index)
    region_end = _region_end(text, len(text) if line_end < 0 else line_end + 1)
    head = text[:region_end].rstrip("\r\n") + newline
    tail = text[region_end:]
    if not head.rstrip().endswith("stories:"):
        head += newline  # a blank line after the comments
    block = newline.join("  " + line if line else line for line in item) + newline
    if tail:
        block += newline
    return _Edit(head + block + tail, 0, head.count("\n") + 1)


def _dash_column(text: str, sequence: yaml.SequenceNode) -> int:
    """Return the column of the ``-`` of the sequence's items."""
    first = sequence.value[0]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    dash = text.find("-", line_start, first.start_mark.index)
    return dash - line_start if dash >= 0 else first.start_mark.column


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _item_end(text: str, item: yaml.Node, indent: int) -> tuple[int, bool]:
    """Return the index just past the last line of ``item`` and its own trailing comments.

    The flag is true after a ``|+`` block, whose blank lines belong to its text.
    """
    last = _last_scalar(item)
    header = text[last.start_mark.index : last.start_mark.index + 3]
    if isinstance(last, yaml.ScalarNode) and last.style in {"|", ">"} and "+" in header:
        # A block kept with its trailing blank lines (|+): they are part of the text,
        # so the story goes right after them (before the last line break).
        return last.end_mark.index - 1, True
    end = len(text[: last.end_mark.index].rstrip())
    line_end = text.find("\n", end)
    end = len(text) if line_end < 0 else line_end
    # Comment lines indented under the item belong to it (a field commented out).
    while True:
        next_start = end + 1
        next_end = text.find("\n", next_start)
        line = text[next_start : len(text) if next_end < 0 else next_end].rstrip("\r")
        stripped = line.lstrip(" ")
        if next_start >= len(text) or not stripped.startswith("#"):
            break
        if len(line) - len(stripped) <= indent:
            break
        end = len(text) if next_end < 0 else next_end
    return (end - 1 if end > 0 and text[end - 1] == "\r" else end), False


def _region_end(text: str, start: int) -> int:
    """Return where the next top-level field starts after ``start`` (or the end of the text)."""
    position = start
    while position < len(text):
        line_end = text.find("\n", position)
        line = text[position : len(text) if line_end < 0 else line_end]
        if line and not line[0].isspace() and not line.startswith("#"):
            return position
        if line_end < 0:
            break
        position = line_end + 1
    return len(text)


def _write(
    manifest: Path, text: str, planned: list[tuple[Path, bytes, Any, str]]
) -> tuple[ImportedPhoto, ...]:
    """Write the photos (never replacing a file), then the manifest through a rename."""
    written: list[Path] = []
    photos: list[ImportedPhoto] = []
    try:
        if planned:
            planned[0][0].parent.mkdir(exist_ok=True)
        for path, data, picture, _ in planned:
            with path.open("xb") as stream:
                written.append(path)
                stream.write(data)
            with Image.open(io.BytesIO(data)) as opened:
                photos.append(ImportedPhoto(path, opened.width, opened.height, picture.alt))
        handle, temporary = tempfile.mkstemp(prefix=".issue-", suffix=".yaml", dir=manifest.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
            os.chmod(temporary, manifest.stat().st_mode & 0o7777)
            os.replace(temporary, manifest)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return tuple(photos)


def _still_to_fill(root: Path, month: str, index: int) -> tuple[Problem, ...]:
    """Return what validation still asks for in story ``index`` (kicker, credits, alt text)."""
    try:
        load_issue(root, month)
    except ManifestError as error:
        mine = f"stories[{index}]"
        return tuple(
            p
            for p in error.problems
            if p.where == mine or p.where.startswith((mine + ".", mine + "["))
        )
    return ()
