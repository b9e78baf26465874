"""Check 1, glyphs: every character of the text has a glyph in the font it is set in."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from bulletin.errors import Problem
from bulletin.pdf.fonts import list_fonts
from bulletin.preflight.report import Finding
from bulletin.preflight.source import IssueText


def _font_coverage(fonts_dir: Path) -> dict[str, frozenset[int]]:
    """Return the code points each font family in ``fonts_dir`` has, over all its faces."""
    faces = []
    for path in list_fonts(fonts_dir):
        stat = path.stat()
        faces.append((path, stat.st_mtime_ns, stat.st_size))
    # Reading the character maps takes most of a second: once a process,
    # while the fonts stay as they are (a build checks every language).
    return _coverage(tuple(faces))


@functools.lru_cache(maxsize=4)
def _coverage(faces: tuple[tuple[Path, int, int], ...]) -> dict[str, frozenset[int]]:
    from fontTools.ttLib import TTFont

    families: dict[str, set[int]] = {}
    for path, _, _ in faces:
        font = TTFont(path, lazy=True)
        try:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1) or path.stem
            # Only the code points are needed, not the glyphs' names: numbered
            # names spare decoding the 'post' table, half the time.
            font.setGlyphOrder([f"glyph{i:05d}" for i in range(font["maxp"].numGlyphs)])
            families.setdefault(family, set()).update(font.getBestCmap() or {})
        finally:
            font.close()
    return {family: frozenset(points) for family, points in families.items()}


def _needs_glyph(char: str) -> bool:
    """Return whether ``char`` is drawn (blanks and invisible format characters are not)."""
    if char.isspace():
        return False
    category = unicodedata.category(char)
    if category in {"Cc", "Cf", "Zs", "Zl", "Zp"}:
        return False
    # Variation selectors and other default-ignorable code points are never drawn.
    point = ord(char)
    return not (0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF or point == 0x034F)


def _describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    return f'"{char}" (U+{ord(char):04X}{" " + name if name else ""})'


def check_glyphs(issue: IssueText) -> tuple[list[Finding], set[str]]:
    """Return a finding per character the font of its field lacks, and those characters."""
    coverage = _font_coverage(issue.loaded.root / "fonts")
    everything = frozenset().union(*coverage.values())
    findings: list[Finding] = []
    reported: set[str] = set()
    for item in issue.fields:
        if item.kind == "url":
            continue
        points = coverage.get(item.family, everything)
        font = item.family if item.family in coverage else "the bundled fonts"
        missing: dict[str, list[int]] = {}
        for offset, char in enumerate(item.text):
            if ord(char) not in points and _needs_glyph(char):
                missing.setdefault(char, []).append(offset)
        for char, offsets in missing.items():
            times = f" ({len(offsets)} times in this field)" if len(offsets) > 1 else ""
            message = (
                f"no glyph for {_describe_char(char)} in {font}, the font of this text: "
                f"it would print as an empty box{times} — replace it or remove it"
            )
            problem = issue.problem(
                item.loc, message, publication=item.publication, offset=offsets[0]
            )
            findings.append(Finding("error", "glyphs", item.story, problem))
        reported.update(missing)
    return findings, reported


def cross_check_glyphs(
    issue: IssueText, drawn: Sequence[str], reported: set[str]
) -> Iterator[Finding]:
    """Return findings for empty boxes the engine drew that the font check missed.

    Such a character was not typed in a field as such: a Markdown entity
    (``&#x4E2D;``) or text the layout adds.
    """
    for char in dict.fromkeys(drawn):
        if char in reported:
            continue
        message = (
            f"the layout engine found no glyph for {_describe_char(char)} and drew an "
            "empty box — replace the character or remove it"
        )
        found = next((f for f in issue.fields if char in html.unescape(f.text)), None)
        if found is None:
            problem = Problem(issue.loaded.problem((), "").file, None, None, "", message)
            yield Finding("error", "glyphs", None, problem)
            continue
        offset = next(
            (m.start() for m in _ENTITY.finditer(found.text) if html.unescape(m.group()) == char),
            found.text.find(char),
        )
        problem = issue.problem(
            found.loc, message, publication=found.publication, offset=max(offset, 0)
        )
        yield Finding("error", "glyphs", found.story, problem)


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
