"""Read a manifest's YAML without YAML's surprises, into a model, with every value's place."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.manifest.messages import (
    Loc,
    describe,
    position,
    reader_error,
    short,
    syntax_error,
    where,
)

MAX_MANIFEST_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40


class ManifestLoader(yaml.SafeLoader):
    """YAML with the surprises of YAML 1.1 taken out.

    ``no``/``yes``/``on``/``off`` stay words (only true/false are booleans);
    dates stay text so the model decides what a date is; and only plain whole
    numbers are numbers, so ``1.10``, ``0123``, ``1_000`` or ``1:30`` reach a
    text field exactly as written (YAML 1.1 reads them as 1.1, 83, 1000 and 90).
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node, refusing nesting deeper than any manifest needs."""
        # PyYAML composes recursively: without this limit a file of nested
        # brackets ends in a RecursionError instead of a message.
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise _TooLarge("is nested too deeply", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


ManifestLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^-?(?:0|[1-9][0-9]*)$", list("-0123456789")),
):
    ManifestLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


class _TooLarge(yaml.YAMLError):
    """The document nests or expands beyond what any manifest needs."""

    def __init__(self, reason: str, mark: yaml.Mark) -> None:
        super().__init__(reason)
        self.reason = reason
        self.mark = mark


@dataclass
class Marks:
    """Positions of every key and value in a YAML document, by field path."""

    keys: dict[Loc, tuple[int, int]]
    values: dict[Loc, tuple[int, int]]
    commented: set[Loc] = field(default_factory=set)
    """Empty values followed by a comment: ``color: #0033A0`` unquoted."""


_ModelT = typing.TypeVar("_ModelT", bound=BaseModel)


def load_model(
    root: Path,
    path: Path,
    model: type[_ModelT],
    context: dict[str, Any],
    problems: list[Problem],
    marks: Marks,
    *,
    raw: Raw | None = None,
) -> _ModelT | None:
    """Return the manifest at ``path`` validated as ``model``, or None with its problems added.

    ``raw`` receives the data as read, valid or not, for the checks that can
    still be made when it does not validate.
    """
    name = display_path(root, path)
    try:
        data, found = read_yaml(path, name, marks)
    except ManifestError as error:
        problems.extend(error.problems)
        return None
    if raw is not None:
        raw.data = data
    if "stories" in model.model_fields and isinstance(data, dict):
        # Told whatever else is wrong: the model checks ids only once every
        # story validates.
        found.extend(_duplicate_ids(name, data, marks))
    if data is None and not found:
        found.append(Problem(name, 1, 1, "", "the file is empty: write its fields in it"))
    elif not isinstance(data, dict) and not found:
        found.append(Problem(name, 1, 1, "", "expected fields (key: value lines) at the top"))
    result = None
    if isinstance(data, dict):
        try:
            result = model.model_validate(data, context=context)
        except ValidationError as error:
            # A value the reading already refused (a YAML tag) is not told twice.
            told = {problem.where for problem in found}
            described = (describe(name, model, data, marks, dict(d)) for d in error.errors())
            found.extend(p for p in described if p is not None and p.where not in told)
    problems.extend(sorted(dict.fromkeys(found), key=position))
    return None if found else result


@dataclass
class Raw:
    """What could be read of a manifest, valid or not."""

    data: Any = None
    """The data as read."""
    marks: Marks = field(default_factory=lambda: Marks({}, {}))
    """The place of each of its values."""

    def story_ids(self) -> list[str] | None:
        """Return the story ids as written, or None if the stories cannot be read."""
        stories = self.data.get("stories") if isinstance(self.data, dict) else None
        if not isinstance(stories, list):
            return None
        return [str(s["id"]) for s in stories if isinstance(s, dict) and s.get("id") is not None]


def _duplicate_ids(name: str, data: dict[str, Any], marks: Marks) -> list[Problem]:
    """Return a problem for each story id used a second time, as written."""
    stories = data.get("stories")
    seen: set[str] = set()
    found = []
    for index, story in enumerate(stories if isinstance(stories, list) else []):
        story_id = story.get("id") if isinstance(story, dict) else None
        if not isinstance(story_id, str):
            continue
        if story_id in seen:
            loc = ("stories", index, "id")
            line, column = marks.values.get(loc, (None, None))
            found.append(
                Problem(
                    name,
                    line,
                    column,
                    where(loc),
                    f"story id '{story_id}' is used twice: give each story its own id",
                )
            )
        seen.add(story_id)
    return found


def read_yaml(path: Path, name: str, marks: Marks) -> tuple[Any, list[Problem]]:
    """Return the document at ``path`` and the problems found reading it.

    The position of each node goes into ``marks``. A problem that leaves the
    rest readable (a key given twice) is returned with the data, so that the
    other problems of the file are reported with it; one that does not is raised.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ManifestError.single(name, f"cannot read the file: {error.strerror}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError.single(
            name,
            f"the file is {len(raw):,} bytes; a manifest is at most {MAX_MANIFEST_BYTES:,}: "
            "is this the right file?",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ManifestError.single(
            name,
            "the file is not UTF-8 text: save it as UTF-8 in your editor",
            line=line,
        ) from None
    try:
        loader = ManifestLoader(text)
    except yaml.reader.ReaderError as error:
        raise reader_error(name, text, error) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        builder = Builder(name, marks, loader, text)
        data = builder.build(node, ())
    except _TooLarge as error:
        raise ManifestError.single(
            name,
            f"the manifest {error.reason} (aliases or nesting): a bulletin manifest "
            "needs neither at this scale",
            line=error.mark.line + 1,
            column=error.mark.column + 1,
        ) from None
    except yaml.MarkedYAMLError as error:
        raise syntax_error(name, text, error) from None
    except yaml.YAMLError as error:
        raise ManifestError.single(name, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return data, builder.problems


# Fields that hold text to print. In a plain (unquoted) value, YAML reads " #"
# and all after it as a comment: "title: Hotline #1414" would print "Hotline".
TEXT_FIELDS = frozenset(
    {
        "title", "kicker", "standfirst", "body", "intro", "caption", "alt", "by", "place",
        "licence", "label", "value", "heading", "country", "name", "publisher",
    }
)  # fmt: skip
_COMMENT = re.compile(r"[ \t]+#")
_NOUNS = {"by": "credit", "value": "figure"}


def _quoted(text: str) -> str:
    """Return ``text`` as a YAML quoted value: in double quotes, or single if it has some."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


class Builder:
    """Turn a composed YAML node tree into Python data, recording positions."""

    def __init__(self, name: str, marks: Marks, loader: ManifestLoader, text: str) -> None:
        self.name = name
        self.text = text
        self.marks = marks
        self.loader = loader
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        """Return the data of ``node`` at field path ``loc``, recording its position."""
        self.count += 1
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if self.count > MAX_NODES or len(loc) > MAX_DEPTH:
            reason = (
                "is nested too deeply" if len(loc) > MAX_DEPTH else "expands to too many values"
            )
            raise _TooLarge(reason, node.start_mark)
        self.marks.values.setdefault(loc, (line, column))
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    self.name,
                    line,
                    column,
                    where(loc),
                    f"'{tag}' is a YAML tag, which a manifest does not use: delete it",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                # A key is a field name: take it as written ("5", "true", "no").
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if not key:
                    self.problems.append(
                        Problem(self.name, *key_mark, where(loc), "a key must be a plain word")
                    )
                    continue
                if key in result:
                    self.problems.append(
                        Problem(
                            self.name,
                            *key_mark,
                            where((*loc, key)),
                            f"'{short(key)}' appears twice here; only one would be kept and the "
                            "other silently lost: merge them or delete one",
                        )
                    )
                    continue
                self.marks.keys[(*loc, key)] = key_mark
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style is None:
            rest = self.text[node.end_mark.index :].split("\n", 1)[0]
            if node.value == "" and rest.lstrip().startswith("#"):
                self.marks.commented.add(loc)
            elif node.value and loc and loc[-1] in TEXT_FIELDS and _COMMENT.match(rest):
                self.problems.append(self._swallowed(node, loc, rest))
        return self._scalar(node)

    def _swallowed(self, node: yaml.ScalarNode, loc: Loc, rest: str) -> Problem:
        """Return the problem of a text whose end YAML reads as a comment."""
        lost = rest.lstrip()
        at = node.end_mark.index + len(rest) - len(lost)
        line = self.text.count("\n", 0, at) + 1
        column = at - (self.text.rfind("\n", 0, at) + 1) + 1
        field = str(loc[-1])
        whole = node.value + rest.rstrip()
        return Problem(
            self.name,
            line,
            column,
            where(loc),
            f"the text after ' #' is read as a comment and would be lost (\"{short(lost)}\"): "
            f"put the {_NOUNS.get(field, field)} in quotes: {field}: {_quoted(whole)}",
        )

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, KeyError):
            # Only an explicit tag gets here: "!!int many", "!!bool maybe".
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise ManifestError.single(
                self.name,
                f"cannot read '{short(node.value)}' as {tag}: delete the tag and write the value "
                "as plain text",
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            ) from None
