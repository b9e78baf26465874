"""Preflight an issue: find what would embarrass us in print before anyone sees the PDF.

After validation, the manifests are read for what no schema catches (characters
the fonts lack, typing slips, malformed links), then the issue is laid out as the
build lays it out and the layout is inspected (pages, overflow, photo resolution).
Preflight reports; it never rewrites the author's text.

An *error* would show in print: an empty box for a missing glyph, text running
out of its column, a blurred photo, a page beyond the budget. A *warning* is
worth a look before printing: typography, a nearly empty page, an http link.
"""

from __future__ import annotations

import bisect
import html
import itertools
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from bulletin.engine import tree
from bulletin.engine.log import collect_log, missing_character
from bulletin.errors import BulletinError, Problem
from bulletin.html import contract
from bulletin.manifest.load import LoadedIssue, Loc, load_issue
from bulletin.model.issue import Stats, Story
from bulletin.pdf.fonts import list_fonts
from bulletin.photos.check import PhotoInfo, check_photos

Severity = Literal["error", "warning"]
Depth = Literal["validation", "manifests", "layout"]
"""How far to check: validate only, also read the manifests, or also lay the issue out."""

# Effective resolution of a photo at its printed size, in pixels per inch.
PRINT_PPI = 200
MIN_PPI = 120

# A page whose lines and photos cover less than this share of its height is
# nearly empty. Full pages of the sample cover 74-86 %, its last page 54 %.
NEARLY_EMPTY = 0.25

PX_PER_MM = 96 / 25.4
# Overflow below this (CSS px, about 0.1 mm) is rounding, not a defect.
TOLERANCE_PX = 0.5

CHECKS = ("glyphs", "pages", "overflow", "photos", "text", "links")


@dataclass(frozen=True)
class Finding:
    """One thing preflight found, where it is, and how bad it is."""

    severity: Severity
    """``error``: it would show in print; ``warning``: worth a look."""
    check: str
    """The check that found it: one of :data:`CHECKS`, or ``validation`` or ``render``."""
    story: str | None
    """The id of the story or call-out it belongs to, or None for the whole issue."""
    problem: Problem
    """File, line, column, field and message."""

    def __str__(self) -> str:
        """Return the finding as ``file:line:col: severity: where: message``."""
        where = f"{self.severity}: {self.problem.where}" if self.problem.where else self.severity
        return str(replace(self.problem, where=where))

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as plain data, for JSON."""
        problem = self.problem
        return {
            "severity": self.severity,
            "check": self.check,
            "story": self.story,
            "file": problem.file,
            "line": problem.line,
            "column": problem.column,
            "where": problem.where,
            "message": problem.message,
        }


@dataclass(frozen=True)
class StoryHeading:
    """A story or call-out as the report names it."""

    id: str
    """The story's id."""
    number: int
    """Its place in the issue, from 1."""
    kind: str
    """``story`` or ``stats``."""
    title: str
    """Its headline."""
    line: int | None
    """Where it starts in issue.yaml."""


@dataclass(frozen=True)
class Report:
    """What preflight found in one issue."""

    month: str
    """The issue's month, YYYY-MM."""
    manifest: str
    """The issue's manifest, as the user knows it (``issues/2021-05/issue.yaml``)."""
    depth: Depth
    """How far the checks went (less than asked when validation failed)."""
    findings: tuple[Finding, ...]
    """Everything found, in reading order."""
    stories: tuple[StoryHeading, ...] = ()
    """The issue's stories, in reading order (empty when validation failed)."""
    pages: int | None = None
    """Pages the issue takes, when it was laid out."""
    page_budget: int | None = None
    """The most pages the publication allows."""

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return sum(1 for finding in self.findings if finding.severity == "warning")

    def passed(self, *, strict: bool = False) -> bool:
        """Return whether the issue may go to print: no errors (nor warnings, when strict)."""
        return not self.errors and not (strict and self.warnings)


def inspect_issue(
    root: Path, month: str, *, depth: Depth = "layout", language: str | None = None
) -> Report:
    """Return the preflight report of the issue of ``month`` under ``root``.

    With ``language``, inspect that language edition: its text is checked
    where its translation file has it. Problems in the input are findings,
    never exceptions: a manifest that does not validate gives a report of its
    validation errors.
    """
    manifest = f"issues/{month}/issue{f'.{language}' if language else ''}.yaml"
    try:
        loaded = load_issue(root, month, language=language)
        photos = check_photos(loaded)
    except BulletinError as error:
        return Report(month, manifest, "validation", _from_error(error, "validation"))
    if language is None:
        manifest = loaded.problem((), "").file
    issue = _IssueText(loaded)
    budget = loaded.publication.page_budget
    if depth == "validation":
        return Report(month, manifest, depth, (), issue.headings, None, budget)
    findings, missing = _check_glyphs(issue)
    findings.extend([*_check_text(issue), *_check_links(issue)])
    pages = None
    if depth == "layout":
        try:
            layout_findings, pages = _inspect_layout(issue, photos, missing)
        except BulletinError as error:
            layout_findings = list(_from_error(error, "render"))
        findings.extend(layout_findings)
    return Report(month, manifest, depth, issue.ordered(findings), issue.headings, pages, budget)


def format_report(report: Report, *, as_json: bool = False) -> str:
    """Return ``report`` for people (grouped by story), or as a JSON list of findings."""
    if as_json:
        return json.dumps([f.as_dict() for f in report.findings], indent=2, ensure_ascii=False)
    lines = [_title(report)]
    groups: dict[str | None, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.story, []).append(finding)
    headings = {story.id: story for story in report.stories}
    for story, findings in groups.items():
        lines.append("")
        lines.append(_group_heading(headings.get(story) if story else None, findings))
        lines.extend(f"  {finding}" for finding in findings)
    lines.append("")
    lines.extend(_summary(report))
    return "\n".join(lines)


# ---- Reading the manifests ---------------------------------------------------


_Kind = Literal["prose", "markdown", "email", "url"]


@dataclass(frozen=True)
class _Field:
    """A text of the manifests that the layout prints (or links to)."""

    loc: Loc
    """Path of the field in its manifest."""
    publication: bool
    """Whether it is in publication.yaml (else issue.yaml)."""
    story: str | None
    """The story it belongs to."""
    kind: _Kind
    """How it is printed: plain text, Markdown, an address, or a link target only."""
    family: str
    """The font family it is set in."""
    text: str
    """The value as written in YAML (before surrounding blanks are trimmed)."""


class _Manifest:
    """One manifest's text and YAML nodes, to point at a character inside a value."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]

    def node(self, loc: Loc) -> yaml.Node | None:
        """Return the node at ``loc``, if there is one."""
        node: yaml.Node | None = self.root
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if part < len(node.value) else None
            else:
                return None
        return node

    def position(self, loc: Loc, offset: int) -> tuple[int, int] | None:
        """Return the line and column of the character at ``offset`` of the value at ``loc``."""
        node = self.node(loc)
        if not isinstance(node, yaml.ScalarNode):
            return None
        indices = self._align(node)
        if not indices:
            return None
        index = indices[min(offset, len(indices) - 1)]
        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def _align(self, node: yaml.ScalarNode) -> list[int]:
        """Return the index in the file of each character of the node's value.

        YAML folds lines, drops indentation and decodes escapes; walk the source
        and the value side by side, matching each character of the value to the
        source character it comes from.
        """
        text, value, style = self.text, str(node.value), node.style
        start, end = node.start_mark.index, node.end_mark.index
        block = style in {"|", ">"}
        if block:
            newline = text.find("\n", start, end)
            start = end if newline < 0 else newline + 1
        elif style in {"'", '"'}:
            start += 1
        indent = _block_indent(text[start:end]) if block else 0
        indices: list[int] = []
        s, line_start = start, block
        for char in value:
            while s < end:
                if line_start:
                    s = _skip_indent(text, s, end, indent if block else None)
                    line_start = False
                    continue
                source = text[s]
                if style == '"' and source == "\\":
                    after = text[s + 1] if s + 1 < end else ""
                    if after in {"\n", "\r"}:  # an escaped line break makes nothing
                        s, line_start = text.find("\n", s, end) + 1 or end, True
                        continue
                    indices.append(s)
                    s += 2 + {"x": 2, "u": 4, "U": 8}.get(after, 0)
                    break
                s += 1
                if source == "\n":
                    line_start = True
                if source == char or (source == "\n" and char in " \n"):
                    indices.append(s - 1)
                    break
            else:
                indices.append(max(start, end - 1))
        return indices


def _block_indent(content: str) -> int:
    for line in content.split("\n"):
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _skip_indent(text: str, s: int, end: int, indent: int | None) -> int:
    """Return the index after the indentation at ``s`` (all blanks when ``indent`` is None)."""
    limit = end if indent is None else min(end, s + indent)
    while s < limit and text[s] in (" " if indent is not None else " \t"):
        s += 1
    return s


class _IssueText:
    """The printed texts of an issue, with their positions in the manifests."""

    def __init__(self, loaded: LoadedIssue) -> None:
        self.loaded = loaded
        publication_file, issue_file = loaded.manifests
        self.manifests = {True: _Manifest(publication_file), False: _Manifest(issue_file)}
        # A language edition's words live in its translation files.
        self.texts = {
            pub: (_Manifest(path), path)
            for pub, path in zip((True, False), loaded.texts, strict=True)
            if path
        }
        self.index = {block.id: number for number, block in enumerate(loaded.issue.stories)}
        self.headings = tuple(
            StoryHeading(
                block.id,
                number + 1,
                block.kind,
                block.title,
                loaded.positions[-1].get(("stories", number), (None, None))[0],
            )
            for number, block in enumerate(loaded.issue.stories)
        )
        self.fields = list(self._fields())

    def problem(
        self, loc: Loc, message: str, *, publication: bool = False, offset: int | None = None
    ) -> Problem:
        """Return a problem at field ``loc``, or at the character ``offset`` of its value."""
        translated = self._translated(loc, publication)
        if translated is not None:
            manifest, path, file_loc = translated
            node = manifest.node(file_loc)
            assert node is not None, "_translated returns only locations that exist"
            position = manifest.position(file_loc, offset) if offset is not None else None
            line, column = position or (node.start_mark.line + 1, node.start_mark.column + 1)
            root = self.loaded.root
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            return Problem(name, line, column, self.loaded.problem(loc, "").where, message)
        problem = self.loaded.problem(loc, message, publication=publication)
        if offset is None:
            return problem
        position = self.manifests[publication].position(loc, offset)
        if position is None:
            return problem
        return replace(problem, line=position[0], column=position[1])

    def node(self, loc: Loc, publication: bool) -> yaml.Node | None:
        """Return the YAML node holding the printed text of ``loc``."""
        translated = self._translated(loc, publication)
        if translated is not None:
            manifest, _, file_loc = translated
            return manifest.node(file_loc)
        return self.manifests[publication].node(loc)

    def _translated(self, loc: Loc, publication: bool) -> tuple[_Manifest, Path, Loc] | None:
        """Return where the translation of ``loc`` is written, if this edition has one."""
        if publication not in self.texts:
            return None
        manifest, path = self.texts[publication]
        file_loc = loc
        if not publication:
            if len(loc) < 3 or loc[0] != "stories" or not isinstance(loc[1], int):
                return None
            file_loc = ("stories", self.loaded.issue.stories[loc[1]].id, *loc[2:])
        elif loc[-1] in {"emails", "url"} or "emails" in loc:
            return None
        node = manifest.node(file_loc)
        return (manifest, path, file_loc) if isinstance(node, yaml.ScalarNode) else None

    def story_loc(self, story: str) -> Loc:
        """Return the path of story ``story`` in issue.yaml."""
        return ("stories", self.index[story])

    def ordered(self, findings: Sequence[Finding]) -> tuple[Finding, ...]:
        """Return ``findings`` issue-wide first, then story by story, each in file order."""

        def key(finding: Finding) -> tuple[int, str, int, int]:
            group = -1 if finding.story is None else self.index.get(finding.story, -1)
            problem = finding.problem
            return (group, problem.file, problem.line or 0, problem.column or 0)

        return tuple(sorted(findings, key=key))

    def _fields(self) -> Iterator[_Field]:
        publication = self.loaded.publication
        sans, serif = contract.DISPLAY_FAMILY, contract.TEXT_FAMILY

        def make(
            loc: Loc, kind: _Kind, story: str | None, family: str = sans, *, pub: bool = False
        ) -> _Field | None:
            node = self.node(loc, pub)
            if not isinstance(node, yaml.ScalarNode) or not node.value:
                return None
            return _Field(loc, pub, story, kind, family, str(node.value))

        wanted: list[_Field | None] = [
            make(("name",), "prose", None, pub=True),
            make(("publisher",), "prose", None, pub=True),
            make(("contacts", "heading"), "prose", None, pub=True),
        ]
        for i, office in enumerate(publication.contacts.offices):
            wanted.append(make(("contacts", "offices", i, "country"), "prose", None, pub=True))
            for j in range(len(office.emails)):
                loc = ("contacts", "offices", i, "emails", j)
                wanted.append(make(loc, "email", None, pub=True))
        for i in range(len(publication.social)):
            wanted.append(make(("social", i, "label"), "prose", None, pub=True))
            wanted.append(make(("social", i, "url"), "url", None, pub=True))
        for i, block in enumerate(self.loaded.issue.stories):
            at: Loc = ("stories", i)
            for name in ("kicker", "title", "standfirst"):
                wanted.append(make((*at, name), "prose", block.id))
            if isinstance(block, Story):
                wanted.append(make((*at, "body"), "markdown", block.id, serif))
                for j in range(len(block.photos)):
                    photo = (*at, "photos", j)
                    wanted.append(make((*photo, "caption"), "prose", block.id))
                    wanted.append(make((*photo, "credit", "by"), "prose", block.id))
                    wanted.append(make((*photo, "credit", "place"), "prose", block.id))
            elif isinstance(block, Stats):
                wanted.append(make((*at, "intro"), "markdown", block.id, serif))
                for j in range(len(block.figures)):
                    wanted.append(make((*at, "figures", j, "value"), "prose", block.id))
                    wanted.append(make((*at, "figures", j, "label"), "prose", block.id))
        yield from (f for f in wanted if f is not None)


def _from_error(error: BulletinError, check: str) -> tuple[Finding, ...]:
    return tuple(Finding("error", check, None, problem) for problem in error.problems)


# ---- 1. Glyphs -----------------------------------------------------------------


def _font_coverage(fonts_dir: Path) -> dict[str, frozenset[int]]:
    """Return the code points each font family in ``fonts_dir`` has, over all its faces."""
    from fontTools.ttLib import TTFont

    families: dict[str, set[int]] = {}
    for path in list_fonts(fonts_dir):
        font = TTFont(path, lazy=True)
        try:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1) or path.stem
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


def _check_glyphs(issue: _IssueText) -> tuple[list[Finding], set[str]]:
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


def _cross_check_glyphs(
    issue: _IssueText, drawn: Sequence[str], reported: set[str]
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


# ---- 5. Text hygiene -----------------------------------------------------------

# Parts of a text that are addresses or code, not prose: masked before the checks.
_NOT_PROSE = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|(?<=\]\()[^)\s]*(?:\s+\"[^\"]*\")?(?=\))"  # Markdown link target and title
    r"|(?<=<)[^<>\s]+(?=>)"  # autolink
    r"|\b(?:https?://|mailto:|www\.)\S+"  # bare address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email
)
_MASK = "\x00"
_DOUBLED_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_DOUBLED_PUNCTUATION = re.compile(r"(?<!\.)\.\.(?!\.)|([,;:!?])\1+")
_SPACE_BEFORE = re.compile(r"(?<=\S)[ \t]+([,.;:!?])(?=[\s)\]\u201d\u2019\"']|$)")
_STRAIGHT_QUOTE = re.compile(r"[\"']")
_WORD = re.compile(r"[^\W\d_]+")
# Typographic quotes, named: several look alike in an editor.
_LSQUO, _RSQUO, _LDQUO, _RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
_OPENERS = " \t\n([{/\u2013\u2014" + _LSQUO + _LDQUO + _MASK
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_QUOTES = {_LDQUO: _RDQUO, _LSQUO: _RSQUO}
_ENUMERATOR = re.compile(r"(?:^|\s)\w{1,2}$")


def _mask(text: str) -> str:
    return _NOT_PROSE.sub(lambda m: _MASK * len(m.group()), text)


def _check_text(issue: _IssueText) -> Iterator[Finding]:
    prose = [f for f in issue.fields if f.kind in {"prose", "markdown"}]
    masked = {f: _mask(f.text) for f in prose}
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in masked.values():
        found = [(m.group().casefold(), m) for m in _WORD.finditer(text)]
        words.update(word for word, _ in found)
        pairs.update((a, b) for (a, _), (b, _) in _split_candidates(text, found))
    english = issue.loaded.publication.language.split("-")[0] == "en"
    for item in prose:
        text = masked[item]
        slips = [
            *_typing_slips(text),
            *_split_words(text, words, pairs),
            *_unbalanced(text, quotes=english),
        ]
        seen: dict[str, list[int]] = {}
        for offset, message in sorted(slips):
            seen.setdefault(message, []).append(offset)
        for message, offsets in seen.items():
            times = f" ({len(offsets)} times in this field)" if len(offsets) > 1 else ""
            problem = issue.problem(
                item.loc, message + times, publication=item.publication, offset=offsets[0]
            )
            yield Finding("warning", "text", item.story, problem)


def _typing_slips(text: str) -> Iterator[tuple[int, str]]:
    for match in _DOUBLED_SPACE.finditer(text):
        yield match.start(), "doubled space — write one"
    for match in _DOUBLED_PUNCTUATION.finditer(text):
        marks = match.group()
        yield match.start(), f'doubled punctuation "{marks}" — write one "{marks[0]}"'
    for match in _SPACE_BEFORE.finditer(text):
        yield match.start(), f'space before "{match.group(1)}" — remove it'
    for match in _STRAIGHT_QUOTE.finditer(text):
        at = match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if match.group() == '"':
            curly = _LDQUO if before in _OPENERS else _RDQUO
            yield at, f'straight quote " — write {curly}'
        elif before.isalnum() and after.isalpha():
            yield at, f"straight apostrophe ' — write {_RSQUO}"
        else:
            yield at, f"straight quote ' — write {_LSQUO if before in _OPENERS else _RSQUO}"


def _split_candidates(
    text: str, words: Sequence[tuple[str, re.Match[str]]]
) -> Iterator[tuple[tuple[str, re.Match[str]], tuple[str, re.Match[str]]]]:
    """Yield neighbouring words separated by a single blank, both of two letters or more."""
    for first, second in itertools.pairwise(words):
        gap = text[first[1].end() : second[1].start()]
        if gap in {" ", "\n"} and len(first[0]) > 1 and len(second[0]) > 1:
            yield first, second


def _split_words(
    text: str, words: Counter[str], pairs: Counter[tuple[str, str]]
) -> Iterator[tuple[int, str]]:
    """Yield words split by a stray blank: "fam ily" where "family" is written elsewhere.

    Hyphenation dictionaries hold patterns, not words, and would accept almost
    any pair; the issue's own words tell a split word from two real ones.
    """
    found = [(m.group().casefold(), m) for m in _WORD.finditer(text)]
    for (a, first), (b, second) in _split_candidates(text, found):
        joined = a + b
        alone = min(words[a] - pairs[a, b], words[b] - pairs[a, b])
        if words[joined] and alone == 0:
            shown = f"{first.group()} {second.group()}"
            fixed = first.group() + second.group()
            yield (
                first.start(),
                f'"{shown}" looks like one word split by a stray space ("{joined}" appears '
                f'elsewhere in the issue) — write "{fixed}"',
            )


def _unbalanced(text: str, *, quotes: bool) -> Iterator[tuple[int, str]]:
    closers = {close: open_ for open_, close in _PAIRS.items()}
    if quotes:
        closers[_RDQUO] = _LDQUO
    stacks: dict[str, list[int]] = {opener: [] for opener in (*_PAIRS, *_QUOTES)}
    for at, char in enumerate(text):
        if char in _PAIRS or (quotes and char in _QUOTES):
            stacks[char].append(at)
        elif quotes and char == _RSQUO and stacks[_LSQUO]:
            stacks[_LSQUO].pop()  # else an apostrophe
        elif char in closers:
            opener = closers[char]
            if stacks[opener]:
                stacks[opener].pop()
            elif not (char == ")" and _ENUMERATOR.search(text, 0, at)):
                kind = "bracket" if opener in _PAIRS else "quote"
                yield (
                    at,
                    (
                        f'unbalanced {kind}: "{char}" closes nothing — add "{opener}" before it '
                        "or remove it"
                    ),
                )
    for opener, positions in stacks.items():
        kind = "bracket" if opener in _PAIRS else "quote"
        closer = _PAIRS.get(opener) or _QUOTES[opener]
        for at in positions:
            yield (
                at,
                (
                    f'unbalanced {kind}: "{opener}" is never closed — close it with "{closer}" '
                    "or remove it"
                ),
            )


# ---- 6. Links ------------------------------------------------------------------

_LINK = re.compile(r"\b(?:https?|mailto):[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _check_links(issue: _IssueText) -> Iterator[Finding]:
    for item in issue.fields:
        if item.kind == "email":
            links: list[tuple[int, str]] = [(0, "mailto:" + item.text.strip())]
        elif item.kind == "url":
            links = [(0, item.text.strip())]
        else:
            links = [(m.start(), m.group().rstrip(".,;:!?")) for m in _LINK.finditer(item.text)]
        for offset, link in links:
            found = _link_problem(link)
            if found:
                severity, message = found
                problem = issue.problem(
                    item.loc, message, publication=item.publication, offset=offset
                )
                yield Finding(severity, "links", item.story, problem)


def _link_problem(link: str) -> tuple[Severity, str] | None:
    """Return the severity and description of what is wrong with ``link``, or None."""
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        reason = _email_problem(parts.path)
        if reason:
            return "error", f'email address "{parts.path}" is not well-formed: {reason}'
        return None
    if scheme not in {"http", "https"}:
        return None
    host = parts.hostname or ""
    if "." not in host:
        return "error", (
            f'link "{link}" has no domain: a web address starts with https:// and a '
            "domain, like https://www.iom.int/"
        )
    if scheme == "http":
        secure = "https" + link[len("http") :]
        return "warning", f'link "{link}" is not https — write {secure} if the site has it'
    return None


def _email_problem(address: str) -> str | None:
    """Return what makes ``address`` malformed, in plain words, or None."""
    if any(char.isspace() for char in address):
        return "it contains a space"
    if address.count("@") != 1:
        return "it needs exactly one @"
    local, domain = address.split("@")
    if not local or not domain:
        return "it needs a name before the @ and a domain after it"
    if ".." in address:
        return "it has two dots in a row"
    if not _LOCAL_PART.match(local):
        bad = sorted({c for c in local if not re.match(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", c)})
        if bad:
            return f"the name before the @ has {', '.join(repr(c) for c in bad)}"
        return "the name before the @ starts or ends with a dot"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f'the domain "{domain}" is not valid'
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return f'the domain "{domain}" is not valid'
    if not (labels[-1].isalpha() and len(labels[-1]) >= 2) and not labels[-1].startswith("xn--"):
        return f'the domain "{domain}" does not end in a top-level domain like .org'
    return None


# ---- 2-4. The layout: pages, overflow, photos ------------------------------------


@dataclass
class _Page:
    """What one page of the layout holds."""

    number: int
    """The page number, from 1."""
    box: Any
    """WeasyPrint's page box."""
    stories: list[str] = field(default_factory=list)
    """Ids of the stories with a part on the page, in order."""
    front: bool = False
    """Whether the masthead or the contents are on the page."""
    contacts: bool = False
    """Whether the contacts (or part of them) are on the page."""
    spans: list[tuple[float, float]] = field(default_factory=list)
    """Vertical extents of every line and image on the page (CSS px)."""


@dataclass(frozen=True)
class _Place:
    """Where a box sits: in which story and field, and inside which area it must stay."""

    story: str | None
    loc: Loc
    publication: bool
    area: tuple[float, float, float, float]
    """Left, right, top and bottom of the area (CSS px)."""
    column: bool
    """Whether the area is a column of a multi-column body."""


@dataclass(frozen=True)
class _Overflow:
    place: _Place
    page: int
    amount: float
    side: Literal["left", "right", "bottom"]
    text: str


# The masthead bleeds to the page edges on purpose (negative margins); the
# contents and the closing space print no manifest text of their own.
_SKIPPED = frozenset({contract.MASTHEAD, contract.CONTENTS, contract.CLOSING_SPACE})
# Text boxes are taller than their lines (ascenders, descenders): only blocks
# and lines are measured against the foot of the page (tree.is_inline).


class _Layout:
    """Walk the layout tree of every page once, gathering what the checks need."""

    def __init__(self, issue: _IssueText, document: Any) -> None:
        self.issue = issue
        self.pages: list[_Page] = []
        self.overflows: list[_Overflow] = []
        self.images: dict[tuple[str, int], Any] = {}
        self._figures: dict[str, dict[int, int]] = {}
        for number, page in enumerate(document.pages, start=1):
            box = tree.page_box(page)
            left, top = box.content_box_x(), box.content_box_y()
            area = (left, left + box.width, top, top + box.height)
            scan = _Page(number, box)
            for child in box.children:
                if not tree.is_margin_box(child):
                    self._visit(child, _Place(None, (), False, area, False), scan)
            self.pages.append(scan)

    def _visit(self, box: Any, place: _Place, page: _Page) -> None:
        classes = tree.class_names(box)
        if tree.is_line_or_image(box):
            y = box.border_box_y()
            page.spans.append((y, y + box.border_height()))
        if classes & _SKIPPED:
            page.front = page.front or bool(classes & {contract.MASTHEAD, contract.CONTENTS})
            place = replace(place, loc=())
        else:
            place = self._place(box, classes, place, page)
        if place.loc:
            self._measure(box, place, page.number)
            if tree.is_replaced(box) and place.story and place.loc[2:3] == ("photos",):
                self.images.setdefault((place.story, int(place.loc[3])), box)
        element = getattr(box, "element", None)
        count = box.style["column_count"] if hasattr(box, "style") else None
        columns = isinstance(count, int) and count > 1 and element is not None
        for child in getattr(box, "children", None) or ():
            inner = place
            if columns and getattr(child, "element", None) is element:
                # A column of this body: a copy of the body box, one column wide.
                left = child.content_box_x()
                area = (left, left + child.width, *place.area[2:])
                inner = replace(place, area=area, column=True)
            self._visit(child, inner, page)

    def _place(self, box: Any, classes: set[str], place: _Place, page: _Page) -> _Place:
        """Return where ``box`` sits, from its classes and its parent's place."""
        issue = self.issue
        story = box.element.get("id") if classes & contract.BLOCK_CLASSES else None
        if story in issue.index:
            if story not in page.stories:
                page.stories.append(story)
            return replace(place, story=story, loc=issue.story_loc(story), publication=False)
        if contract.CONTACTS in classes:
            page.contacts = True
            return replace(place, story=None, loc=("contacts",), publication=True)
        if place.story is None:
            return place
        at = issue.story_loc(place.story)
        if contract.PHOTO in classes:
            # Photos are placed in manifest order: the lead, then the others.
            numbers = self._figures.setdefault(place.story, {})
            number = numbers.setdefault(id(box.element), len(numbers))
            return replace(place, loc=(*at, "photos", number))
        name = next((f for css, f in contract.FIELD_CLASSES.items() if css in classes), None)
        return replace(place, loc=(*at, name)) if name else place

    def _measure(self, box: Any, place: _Place, page: int) -> None:
        left, right, _, bottom = place.area
        x, y = box.border_box_x(), box.border_box_y()
        beyond: dict[Literal["left", "right", "bottom"], float] = {
            "right": x + box.border_width() - right,
            "left": left - x,
        }
        if not tree.is_inline(box):
            beyond["bottom"] = y + box.border_height() - bottom
        side, amount = max(beyond.items(), key=lambda item: item[1])
        if amount > TOLERANCE_PX:
            text = str(getattr(box, "text", "") or "")
            self.overflows.append(_Overflow(place, page, amount, side, text))


def _inspect_layout(
    issue: _IssueText, photos: dict[Path, PhotoInfo], missing: set[str]
) -> tuple[list[Finding], int]:
    """Lay the issue out as the build does; return what its layout shows, and its pages.

    ``missing`` are the characters the font check already reported.
    """
    from bulletin.build import typeset_issue

    document = typeset_issue(issue.loaded, write=False).document
    layout = _Layout(issue, document)
    findings = [
        *_check_budget(issue, layout.pages),
        *_check_fill(issue, layout.pages),
        *_report_overflows(issue, layout.overflows),
        *_check_photos(issue, photos, layout.images),
        *_cross_check_glyphs(issue, _draw(issue, document), missing),
    ]
    return findings, len(layout.pages)


def _draw(issue: _IssueText, document: Any) -> list[str]:
    """Draw ``document`` as the PDF writer does; return the characters drawn as empty boxes.

    WeasyPrint finds a missing glyph only when it draws the text, and logs it
    at WARNING.
    """
    # The records become findings; they are not printed as they come.
    with collect_log() as drawn:
        document.write_pdf()
    missing: list[str] = []
    errors: list[str] = []
    for record in drawn.records:
        message = record.getMessage()
        char = missing_character(message)
        if char is not None:
            missing.append(char)
        elif record.levelno >= logging.ERROR:
            errors.append(message.splitlines()[0])
    if errors:
        file = issue.loaded.problem((), "").file
        raise BulletinError(
            Problem(file, None, None, "", f"the layout engine failed: {error}") for error in errors
        )
    return missing


def _report_overflows(issue: _IssueText, overflows: Sequence[_Overflow]) -> Iterator[Finding]:
    """Return one finding per field and page: its worst overflow, quoting the text."""
    worst: dict[tuple[Loc, bool, int], _Overflow] = {}
    texts: dict[tuple[Loc, bool, int], str] = {}
    for overflow in overflows:
        key = (overflow.place.loc, overflow.place.publication, overflow.page)
        if key not in worst or overflow.amount > worst[key].amount:
            worst[key] = overflow
        if overflow.text.strip() and key not in texts:
            texts[key] = overflow.text.strip()
    fields = {(f.loc, f.publication): f for f in issue.fields}
    for key, overflow in worst.items():
        place = overflow.place
        # Quote the whole word from the manifest: the engine may have broken it
        # after a slash, and the manifest says where it is.
        word, offset = _word_at(fields.get(key[:2]), texts.get(key, ""))
        edge = {"right": "right edge", "left": "left edge", "bottom": "foot"}[overflow.side]
        frame = "its column" if place.column and overflow.side != "bottom" else "the text area"
        if _LINK.match(word):
            fix = "put the address behind link text: [text](https://…)"
        elif word:
            fix = "it cannot be broken across lines: shorten it, or add a space or a hyphen"
        else:
            fix = "make it narrower"
        if word:
            what = f'"{_excerpt(word)}"'
        else:
            what = "the photo" if place.loc[2:3] == ("photos",) else "a block"
        message = (
            f"on page {overflow.page}, {what} runs {overflow.amount / PX_PER_MM:.0f} mm past "
            f"the {edge} of {frame} — {fix}"
        )
        problem = issue.problem(place.loc, message, publication=place.publication, offset=offset)
        yield Finding("error", "overflow", place.story, problem)


def _word_at(item: _Field | None, text: str) -> tuple[str, int | None]:
    """Return the word of ``item`` holding the start of ``text``, and its offset, if found."""
    if not text:
        return "", None
    probe = text.split()[0][:24]
    at = item.text.find(probe) if item else -1
    if item is None or at < 0:
        return text.split()[0], None
    start = at
    while start and not item.text[start - 1].isspace() and item.text[start - 1] not in "(<":
        start -= 1
    end = at
    while end < len(item.text) and not item.text[end].isspace() and item.text[end] not in ")>":
        end += 1
    return item.text[start:end], start


def _excerpt(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _check_budget(issue: _IssueText, scans: Sequence[_Page]) -> Iterator[Finding]:
    budget = issue.loaded.publication.page_budget
    if len(scans) <= budget:
        return
    beyond: list[str] = []
    for scan in scans[budget:]:
        beyond.extend(s for s in scan.stories if s not in beyond)
    names = [f'"{issue.headings[issue.index[s]].title}"' for s in beyond]
    if any(scan.contacts for scan in scans[budget:]):
        names.append("the contacts")
    pages = f"page {budget + 1}" if len(scans) == budget + 1 else f"pages {budget + 1}-{len(scans)}"
    message = (
        f"the issue takes {len(scans)} pages but the budget is {budget}: {_join(names)} "
        f"{'runs' if len(names) == 1 else 'run'} onto {pages} — shorten stories, or raise "
        "page_budget"
    )
    problem = issue.loaded.problem(("page_budget",), message, publication=True)
    yield Finding("error", "pages", None, problem)


def _join(names: Sequence[str]) -> str:
    if len(names) < 2:
        return "".join(names) or "nothing"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _check_fill(issue: _IssueText, pages: Sequence[_Page]) -> Iterator[Finding]:
    file = issue.loaded.problem((), "").file
    for scan in pages:
        top, height = scan.box.content_box_y(), scan.box.height
        used = _covered(scan.spans, top, top + height) / height
        if used == 0:
            message = f"page {scan.number} is blank — remove what forces the break before it"
        elif used < NEARLY_EMPTY:
            held = [f'"{issue.headings[issue.index[s]].title}"' for s in scan.stories]
            if scan.front:
                held.insert(0, "the masthead and contents")
            if scan.contacts:
                held.append("the contacts")
            message = (
                f"page {scan.number} is nearly empty: text and photos fill {used:.0%} of it "
                f"(it holds {_join(held)}) — shorten or lengthen the stories around it"
            )
        else:
            continue
        yield Finding("warning", "pages", None, Problem(file, None, None, "", message))


def _covered(spans: Sequence[tuple[float, float]], top: float, bottom: float) -> float:
    """Return how much of [top, bottom] the ``spans`` cover together."""
    total, reach = 0.0, top
    for start, end in sorted(spans):
        start, end = max(start, reach), min(end, bottom)
        if end > start:
            total += end - start
            reach = end
    return total


def _check_photos(
    issue: _IssueText, photos: dict[Path, PhotoInfo], images: dict[tuple[str, int], Any]
) -> Iterator[Finding]:
    for (story, number), box in images.items():
        block = issue.loaded.issue.stories[issue.index[story]]
        if not isinstance(block, Story) or number >= len(block.photos):
            continue
        info = photos.get(Path(block.photos[number].file))
        width, height = float(box.width), float(box.height)
        if info is None or width <= 0 or height <= 0:
            continue
        ppi = _effective_ppi(info.width, info.height, width, height, str(box.style["object_fit"]))
        if ppi >= PRINT_PPI:
            continue
        scale = PRINT_PPI / ppi
        shown = info.path.relative_to(issue.loaded.issue_dir.resolve()).as_posix()
        message = (
            f'photo "{shown}" prints at {ppi:.0f} ppi: its {info.width} x {info.height} px '
            f"fill a frame of {width / PX_PER_MM:.0f} x {height / PX_PER_MM:.0f} mm; print "
            f"needs {math.ceil(info.width * scale)} x {math.ceil(info.height * scale)} px "
            f"({PRINT_PPI} ppi) — use a larger original"
        )
        severity: Severity = "error" if ppi < MIN_PPI else "warning"
        loc = (*issue.story_loc(story), "photos", number, "file")
        yield Finding(severity, "photos", story, issue.problem(loc, message))


def _effective_ppi(pixels_x: int, pixels_y: int, width: float, height: float, fit: str) -> float:
    """Return the pixels per inch a ``pixels_x`` x ``pixels_y`` image gets in a frame (CSS px).

    ``fit`` is the CSS object-fit: ``cover`` scales the image to fill the frame
    and crops it, ``contain`` fits it whole, ``fill`` stretches it.
    """
    across, down = width / pixels_x, height / pixels_y  # CSS px per image pixel
    scale = {
        "cover": max(across, down),
        "contain": min(across, down),
        "none": 1.0,
        "scale-down": min(1.0, across, down),
    }.get(fit, max(across, down))  # fill: the more stretched direction counts
    return 96 / scale


# ---- The report for people -------------------------------------------------------


def _title(report: Report) -> str:
    if report.depth == "validation" and not report.stories:
        return f"Preflight of {report.manifest}: the manifests must be valid first."
    if report.pages is None:
        return f"Preflight of {report.manifest}: {_count(len(report.stories), 'story')}"
    return (
        f"Preflight of {report.manifest}: {_count(report.pages, 'page')} "
        f"(budget {report.page_budget}), {_count(len(report.stories), 'story')}"
    )


def _group_heading(story: StoryHeading | None, findings: Sequence[Finding]) -> str:
    if story is None:
        publication = all(
            re.search(r"publication(\.[\w-]+)?\.yaml$", f.problem.file) for f in findings
        )
        return "Publication (masthead and contacts)" if publication else "Whole issue"
    label = "Story" if story.kind == "story" else "Call-out"
    line = f", line {story.line}" if story.line else ""
    return f"{label} {story.number}: “{story.title}” ({story.id}{line})"


def _summary(report: Report) -> list[str]:
    if report.depth == "validation":
        if report.errors:
            return [f"{_count(report.errors, 'error')}: fix the manifests, then check again."]
        return [
            "The manifests are valid and every photo can be read.",
            "This was validation only: run without --quick to lay the issue out and preflight it.",
        ]
    if not report.findings:
        checked = (
            "every character has a glyph, and the text and links look clean"
            if report.depth == "manifests"
            else "every character has a glyph, the issue keeps to its page budget, nothing "
            f"runs out of its column, every photo prints at {PRINT_PPI} ppi or more, and the "
            "text and links look clean"
        )
        return [f"No problems found: {checked}."]
    counts = f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}"
    if report.errors:
        return [
            f"{counts}: not ready for print. Each error would show in print: fix it first.",
            "Each line gives the file, line and column to edit.",
        ]
    return [
        f"{counts}: the issue may go to print, but each warning is worth a look",
        "(--strict fails on warnings too). Each line gives the file, line and column to edit.",
    ]


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"
