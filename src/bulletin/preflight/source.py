"""Read the manifests again as text: each field's characters, and where each lies in its file."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import yaml

from bulletin.errors import Problem
from bulletin.html import contract
from bulletin.manifest.load import LoadedIssue
from bulletin.manifest.messages import Loc
from bulletin.model.issue import Stats, Story
from bulletin.preflight.report import Finding, StoryHeading

_Kind = Literal["prose", "markdown", "email", "url"]


@dataclass(frozen=True)
class Field:
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


class ManifestText:
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


class IssueText:
    """The printed texts of an issue, with their positions in the manifests."""

    def __init__(self, loaded: LoadedIssue) -> None:
        self.loaded = loaded
        publication_file, issue_file = loaded.manifests
        self.manifests = {True: ManifestText(publication_file), False: ManifestText(issue_file)}
        # A language edition's words live in its translation files.
        self.texts = {
            pub: (ManifestText(path), path)
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

    def _translated(self, loc: Loc, publication: bool) -> tuple[ManifestText, Path, Loc] | None:
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

    def _fields(self) -> Iterator[Field]:
        publication = self.loaded.publication
        sans, serif = contract.DISPLAY_FAMILY, contract.TEXT_FAMILY

        def make(
            loc: Loc, kind: _Kind, story: str | None, family: str = sans, *, pub: bool = False
        ) -> Field | None:
            node = self.node(loc, pub)
            if not isinstance(node, yaml.ScalarNode) or not node.value:
                return None
            return Field(loc, pub, story, kind, family, str(node.value))

        wanted: list[Field | None] = [
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
