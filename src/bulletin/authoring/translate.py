"""Write or bring up to date an issue's translation file, ``issue.<lang>.yaml``.

Every text of ``issue.yaml`` that a translation carries (the fields of
:class:`~bulletin.model.issue.BlockText` and the models under it) gets its
place in the file, with the source text beside it as a comment:

    # en 3f2a9c1b: Regional cooperation
    kicker: Региональное сотрудничество

The eight hex digits are a digest of the source text the translation was made
from. When the source changes, the comment shows the new text and a line
``# CHANGED in en since translated`` is added above it, which the translator
deletes once the translation is updated. Comments are invisible to the
loader, so the file validates as any translation does. Translations already
written are kept; those of stories no longer in the source are kept too, as
comments at the end, in case a story was only renamed.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bulletin.authoring import yamltext
from bulletin.authoring.new import language_name
from bulletin.errors import BulletinError, ManifestError, display_path
from bulletin.manifest.load import check_month, read_manifest, read_translation
from bulletin.model.issue import BlockText

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DIGEST = re.compile(r"^#\s*([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*) ([0-9a-f]{8}):")
_CHANGED = re.compile(r"^#\s*CHANGED\b")
_PROSE = frozenset({"body", "intro"})

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Entry:
    """A text of the translation that needs the translator."""

    line: int
    """The line of the field in the translation file."""
    column: int
    """Its column."""
    where: str
    """The field (``stories.almaty-process.title``)."""
    state: typing.Literal["missing", "changed"]
    """``missing``: not translated yet; ``changed``: the source changed since."""


@dataclass(frozen=True)
class TranslationReport:
    """What ``update_translation`` wrote and what is left to do."""

    path: Path
    """The translation file."""
    created: bool
    """True when the file did not exist before."""
    changed: bool
    """True when the file was written (False: it was up to date)."""
    texts: int
    """How many texts the source has to translate."""
    todo: tuple[Entry, ...]
    """The texts not translated yet, or changed in the source since they were."""
    kept_aside: tuple[str, ...]
    """Stories, photos and figures no longer in the source (``stories.x.photos[1]``), whose
    translations were kept as comments at the end of the file."""
    published: bool = False
    """True when the issue says ``published: true``: its archive PDF carries this file."""


def update_translation(
    root: Path, month: str, language: str, *, write: bool = True
) -> TranslationReport:
    """Write ``issues/<month>/issue.<language>.yaml`` with every text of the issue to translate.

    With ``write`` false, only say what is missing or changed.
    """
    check_month(month)
    if not _LANGUAGE.match(language):
        raise BulletinError.single(
            "bulletin",
            f"--language {language}: write a language code such as ru, kk, ky, tg, uz or tk",
        )
    folder = root / "issues" / month
    source_path = folder / "issue.yaml"
    if not source_path.is_file():
        raise BulletinError.single(
            display_path(root, source_path),
            f"there is no issue for {month} yet: start it with bulletin new {month}",
        )
    main = _main_language(root)
    if language == main:
        raise BulletinError.single(
            "bulletin",
            f"--language {language}: {language} is the publication's own language (issue.yaml); "
            "give the language to translate into",
        )
    source = read_manifest(root, source_path)
    blocks = _blocks(source)
    path = folder / f"issue.{language}.yaml"
    old_text = path.read_text(encoding="utf-8") if path.is_file() else None
    existing = read_translation(root, path) if old_text is not None else None
    if existing is not None and existing.language != language:
        raise ManifestError.single(
            display_path(root, path),
            f"says '{existing.language}' but the file name says '{language}': make them the "
            "same, then run bulletin translate again",
        )
    comments = _comments(old_text) if old_text else {}
    writer = _Writer(main, comments)
    lines = _header(old_text, month, language, main)
    lines += [f"language: {language}", "stories:" if blocks else "stories: {}"]
    known = existing.stories if existing else {}
    for story_id, block in blocks:
        text = known.get(story_id)
        lines.append(f"  {story_id}:")
        before = len(lines)
        writer.fields(BlockText, block, text, ("stories", story_id), 4, lines)
        if len(lines) == before:  # nothing to translate in it yet
            lines[-1] = f"  {story_id}: {{}}"
    gone = [story_id for story_id in known if story_id not in dict(blocks)]
    aside: dict[str, Any] = {
        story_id: known[story_id].model_dump(exclude_none=True) for story_id in gone
    }
    aside |= {_where(loc): words.model_dump(exclude_none=True) for loc, words in writer.dropped}
    earlier = _earlier_aside(old_text)
    if aside or earlier:
        lines += ["", *_kept_aside(aside, earlier)]
    new_text = "\n".join(lines) + "\n"
    changed = new_text != old_text
    if write and changed:
        _replace(path, new_text)
    todo = tuple(
        Entry(line + 1, column + 1, _where(loc), state) for loc, state, line, column in writer.todo
    )
    published = isinstance(source, dict) and source.get("published") is True
    return TranslationReport(
        path, old_text is None, write and changed, writer.count, todo, tuple(aside), published
    )


def _main_language(root: Path) -> str:
    path = root / "issues" / "publication.yaml"
    data = read_manifest(root, path) if path.is_file() else None
    value = data.get("language") if isinstance(data, dict) else None
    return value if isinstance(value, str) and _LANGUAGE.match(value) else "en"


def _blocks(source: Any) -> list[tuple[str, dict[str, Any]]]:
    """Return the stories of the (unvalidated) source as (id, fields), skipping what has no id."""
    stories = source.get("stories") if isinstance(source, dict) else None
    found: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for block in stories if isinstance(stories, list) else []:
        story_id = block.get("id") if isinstance(block, dict) else None
        if isinstance(story_id, str | int) and str(story_id) not in seen:
            seen.add(str(story_id))
            found.append((str(story_id), block))
    return found


def digest(text: str) -> str:
    """Return the short digest recorded beside a translation: 8 hex digits of its source."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


@dataclass
class _Comment:
    digest: str | None
    changed: bool


def _comments(text: str) -> dict[Loc, _Comment]:
    """Return, for each field of a translation file, the digest and mark commented above it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # read_translation has already said what is wrong
        return {}
    found: dict[Loc, _Comment] = {}

    def gap(start: int, end: int) -> _Comment:
        recorded, changed = None, False
        for line in text[start:end].splitlines():
            line = line.strip().lstrip("-").strip()
            if match := _DIGEST.match(line):
                recorded = match[2]
            changed = changed or bool(_CHANGED.match(line))
        return _Comment(recorded, changed)

    def walk(node: yaml.Node, loc: Loc, cursor: int) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found[(*loc, str(key.value))] = gap(cursor, key.start_mark.index)
                walk(value, (*loc, str(key.value)), key.end_mark.index)
                cursor = value.end_mark.index
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index), cursor)
                cursor = item.end_mark.index

    if root is not None:
        walk(root, (), 0)
    return found


class _Writer:
    """Write the fields of a translation model for one source block, collecting what is to do."""

    def __init__(self, main: str, comments: dict[Loc, _Comment]) -> None:
        self.main = main
        self.comments = comments
        self.count = 0
        self.todo: list[tuple[Loc, typing.Literal["missing", "changed"], int, int]] = []
        self.dropped: list[tuple[Loc, BaseModel]] = []

    def fields(
        self,
        model: type[BaseModel],
        source: dict[str, Any],
        text: BaseModel | None,
        loc: Loc,
        indent: int,
        lines: list[str],
        *,
        first_prefix: str = "",
    ) -> None:
        """Append the lines of every field of ``model`` that ``source`` has a text for."""
        pad = " " * indent
        for name, field in model.model_fields.items():
            value = source.get(name)
            translated = getattr(text, name, None) if text is not None else None
            nested = _nested_model(field.annotation)
            prefix = first_prefix or pad
            if nested is not None and typing.get_origin(_strip(field.annotation)) is list:
                items = value if isinstance(value, list) else []
                done = translated or []
                for index in range(len(items), len(done)):
                    # A photo or figure the source no longer has: its words are kept aside.
                    self.dropped.append(((*loc, name, index), done[index]))
                if not items:
                    continue
                lines.append(f"{prefix}{name}:")
                first_prefix = ""
                for index, item in enumerate(items):
                    words = done[index] if index < len(done) else None
                    before = len(lines)
                    self.fields(
                        nested,
                        item if isinstance(item, dict) else {},
                        words,
                        (*loc, name, index),
                        indent + 4,
                        lines,
                        first_prefix=pad + "  - ",
                    )
                    if len(lines) == before:  # nothing in it to translate yet: keep its place
                        lines.append(f"{pad}  - {{}}")
            elif nested is not None:
                if not isinstance(value, dict) or not any(
                    _text_of(value.get(key)) for key in nested.model_fields
                ):
                    continue
                lines.append(f"{prefix}{name}:")
                first_prefix = ""
                self.fields(nested, value, translated, (*loc, name), indent + 2, lines)
            else:
                wording = _text_of(value)
                if wording is None:
                    continue
                optional = model.__name__ == "FigureText" and name == "value"
                self._text(name, wording, translated, (*loc, name), prefix, pad, lines, optional)
                first_prefix = ""

    def _text(
        self,
        name: str,
        source: str,
        translated: str | None,
        loc: Loc,
        prefix: str,
        pad: str,
        lines: list[str],
        optional: bool,
    ) -> None:
        current = digest(source)
        before = self.comments.get(loc, _Comment(None, False))
        if optional and translated is None:
            # The source's figure prints unless the translator writes one.
            lines.append(
                f"{prefix}# {name}: {yamltext.scalar(source)}    (optional: the figure as written "
                "in this language; the source's is printed otherwise)"
            )
            return
        self.count += 1
        changed = translated is not None and (
            before.changed or (before.digest is not None and before.digest != current)
        )
        comment = []
        if changed:
            comment.append(
                f"# CHANGED in {self.main} since translated: update the text below, then delete "
                "this line"
            )
        shown = source.strip("\n").split("\n")
        if len(shown) == 1:
            comment.append(f"# {self.main} {current}: {shown[0]}")
        else:
            comment.append(f"# {self.main} {current}: |")
            comment += [f"#   {line}" if line.strip() else "#" for line in shown]
        lines.append(prefix + comment[0])
        lines += [pad + line for line in comment[1:]]
        line = len(lines)
        if translated is None:
            lines.append(f"{pad}{name}:")
            self.todo.append((loc, "missing", line, len(pad)))
        elif name in _PROSE or "\n" in translated:
            lines += yamltext.block(name, translated, len(pad))
        else:
            lines.append(f"{pad}{name}: {yamltext.scalar(translated)}")
        if changed:
            self.todo.append((loc, "changed", line, len(pad)))


def _text_of(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return text or None
    return None


def _strip(annotation: Any) -> Any:
    """Return ``annotation`` without ``Annotated`` and ``| None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if origin in {typing.Union, types.UnionType} and len(args) == 1:
        return _strip(args[0])
    return annotation


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """Return the model a field holds (itself, or as list items), if any."""
    inner = _strip(annotation)
    if typing.get_origin(inner) is list:
        inner = _strip(typing.get_args(inner)[0])
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _where(loc: Loc) -> str:
    where = ""
    for part in loc:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where


def _header(old_text: str | None, month: str, language: str, main: str) -> list[str]:
    """Return the comment lines at the top of the file: the translator's own, or ours."""
    if old_text:
        kept = []
        for line in old_text.splitlines():
            if not line.startswith("#"):
                break
            kept.append(line)
        if kept:
            return kept
    return [
        f'# {language_name(language)} text of issues/{month}/issue.yaml. Each "# {main} …:" '
        f"line shows the {language_name(main)} text;",
        "# write the translation in the field below it. Run",
        f"#   bulletin translate {month} --language {language}",
        f"# again after the {language_name(main)} changes: it keeps what is translated and "
        "marks what changed.",
    ]


_ASIDE = [
    "# Texts the source no longer has, kept in case a story or photo was only renamed or",
    "# moved: copy what is still wanted to its place above (without the '# '), or delete these",
    "# lines.",
]


def _earlier_aside(old_text: str | None) -> list[str]:
    """Return the texts kept aside by an earlier run, as their comment lines."""
    if not old_text or _ASIDE[0] not in old_text:
        return []
    tail = old_text[old_text.index(_ASIDE[0]) :].splitlines()
    return [line for line in tail[len(_ASIDE) :] if line.startswith("#")]


def _kept_aside(aside: dict[str, Any], earlier: list[str]) -> list[str]:
    dumped = yaml.safe_dump(aside, allow_unicode=True, sort_keys=False, width=100) if aside else ""
    return [
        *_ASIDE,
        *earlier,
        *(f"#   {line}" for line in dumped.rstrip("\n").split("\n") if line),
    ]


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
