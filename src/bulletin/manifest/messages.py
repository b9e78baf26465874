"""Say in plain words what is wrong in a manifest, and where: YAML and schema errors."""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.model.issue import (
    BLOCK_TAGS,
    MONTH_PATTERN,
)

if TYPE_CHECKING:
    from bulletin.manifest.safe_yaml import Marks


Loc = tuple[str | int, ...]


def gap_problem(
    root: Path, path: Path, marks: Marks, loc: tuple[str | int, ...], message: str
) -> Problem:
    # A gap names the place where text should be: point at it, or at its
    # nearest parent that exists in the file.
    """Return a problem at ``loc`` of the file at ``path``, or at its nearest parent found there."""
    for depth in range(len(loc), -1, -1):
        position = marks.keys.get(loc[:depth]) or marks.values.get(loc[:depth])
        if position:
            return Problem(display_path(root, path), *position, where(loc), message)
    return Problem(display_path(root, path), None, None, where(loc), message)


def position(problem: Problem) -> tuple[int, int]:
    """Return where ``problem`` lies in its file, for sorting (0 when unknown)."""
    return (problem.line or 0, problem.column or 0)


_SYNTAX_HELP: tuple[tuple[str, str], ...] = (
    (
        "found character '\\t' that cannot start any token",
        "a tab is used for indentation: YAML needs spaces (set your editor to insert spaces)",
    ),
    (
        "mapping values are not allowed here",
        "a colon followed by a space inside a value: put the whole value in quotes "
        '(title: "Migration: the next steps")',
    ),
    (
        "found unexpected end of stream",
        "a quote is opened but never closed: add the closing quote",
    ),
    (
        "found unknown escape character",
        "a backslash inside double quotes: use single quotes, or write \\\\ for a backslash",
    ),
    (
        "could not find expected ':'",
        "a line that is neither 'key: value' nor part of the text above it: check the "
        "indentation, or use | for text over several lines",
    ),
    (
        "did not find expected key",
        "the indentation does not line up with the fields around it: align it with the field above",
    ),
    (
        "did not find expected '-' indicator",
        "a list item is not indented like the others: start each item with '-' at the same column",
    ),
    (
        "found undefined alias",
        "'*' starts an alias in YAML: put the value in quotes",
    ),
    (
        "but found '<scalar>'",
        "text goes on after a quote, ] or } that YAML reads as the end of the value: put the "
        "whole value in quotes, with the other kind of quote inside ('\"Border\" health')",
    ),
    (
        "but found another document",
        "'---' starts a second document: a manifest is one document, so delete the line "
        "(and move the fields below it up into the first)",
    ),
    (
        "expected <block end>",
        "the indentation does not line up with the fields around it: align it with the field "
        "above (a list item starts with '- ', a dash and a space)",
    ),
)
_CANNOT_START = re.compile(r"found character '(.)' that cannot start any token")
_INDENTED_KEY = re.compile(r"[ \t]*(?:- )?[\w-]+")
_UNCLOSED_QUOTE = "a quote is opened but never closed: add the closing quote"
# A line that starts a field ("  title: …", "- id: …") inside a quoted value
# means the quote swallowed the fields after it.
_FIELD_LINE = re.compile(r"\n[ \t]*(?:- )?[\w-]+:(?:[ \t]|$)", re.MULTILINE)


def syntax_error(name: str, text: str, error: yaml.MarkedYAMLError) -> ManifestError:
    """Return a YAML syntax error of the file ``name`` in plain words, at its place."""
    mark = error.problem_mark or error.context_mark
    problem = str(error.problem or "")
    context = str(error.context or "")
    found = f"{context} {problem}"
    message = next((help_ for key, help_ in _SYNTAX_HELP if key in found), None)
    if (start := _CANNOT_START.search(found)) and start[1] != "\t":
        message = f"a value cannot start with '{start[1]}' in YAML: put the value in quotes"
    if "mapping values are not allowed" in problem and mark is not None:
        line_start = text.rfind("\n", 0, mark.index) + 1
        if _INDENTED_KEY.fullmatch(text, line_start, mark.index):
            # "key:" alone at the start of its line: the line is indented too far
            # and reads as the continuation of the value above.
            message = (
                "this field is indented further than the fields around it: "
                "align it with the field above"
            )
    if message is None:
        message = f"not valid YAML ({problem or context}): check the lines around here"
    if "could not find expected ':'" in problem and error.context_mark is not None:
        # A line of text where a field should be: YAML reads on to the next
        # colon, often lines further down; the mistake is where the line starts.
        mark = error.context_mark
    if mark is not None and (pasted := _pasted_paragraph(text, mark.index)) is not None:
        message, mark = pasted
    if "end of stream" in problem and error.context_mark is not None:
        mark = error.context_mark
    elif mark is not None and (opened := _unclosed_quote(text, mark.index)) is not None:
        # The parser only stumbles where the runaway quote ends, often many
        # lines further down; the mistake is where it starts.
        message, mark = _UNCLOSED_QUOTE, opened
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return ManifestError.single(name, message, line=line, column=column)


_BLOCK_START = re.compile(r"^([ \t]*(?:- )?)([\w-]+):[ \t]*([|>])[-+0-9]*[ \t]*(?:#.*)?$")
_FIELD_START = re.compile(r"[ \t]*(?:- )?[\w-]+:(?:[ \t]|$)|[ \t]*-(?:[ \t]|$)|[ \t]*#")


def _pasted_paragraph(text: str, at: int) -> tuple[str, yaml.Mark] | None:
    """Return the message and place of a paragraph pasted without the indentation of its text.

    ``body: |`` takes the lines indented below it; a pasted line that starts
    further left ends the text, and YAML stumbles on it or below it. Look for
    that line up to ``at``: text, not a field, after the lines of a ``|`` or ``>``.
    """
    end = text.find("\n", at)
    # The block being read: its field, the field's indent, the indicator, the
    # indent of its text (None until its first line).
    block: tuple[str, int, str, int | None] | None = None
    offset = 0
    for number, line in enumerate(text[: end if end >= 0 else len(text)].split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and line.strip():
            name, field_indent, indicator, text_indent = block
            if text_indent is None:
                block = (name, field_indent, indicator, indent) if indent > field_indent else None
            elif indent < text_indent and _FIELD_START.match(line):
                block = None  # the next field: the text ended as it should
            elif indent < text_indent:
                return (
                    f"this line is not indented like the text of '{name}' above it, so YAML "
                    f"cannot read it: indent it by {text_indent} spaces, as the lines above "
                    f"(the text of '{name}: {indicator}' is the lines indented below it)",
                    yaml.Mark("", offset + indent, number, indent, text, offset + indent),
                )
        if (start := _BLOCK_START.match(line)) is not None:
            block = (start[2], len(start[1]), start[3], None)
        offset += len(line) + 1
    return None


def _unclosed_quote(text: str, end: int) -> yaml.Mark | None:
    """Return where a quoted value that swallowed whole fields starts, before ``end``."""
    found = None
    try:
        for token in yaml.scan(text):
            if token.start_mark.index >= end:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in {'"', "'"}
                and _FIELD_LINE.search(text, token.start_mark.index, token.end_mark.index)
            ):
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


def reader_error(name: str, text: str, error: yaml.reader.ReaderError) -> ManifestError:
    """Return a character the YAML reader refused, in plain words, at its place."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    return ManifestError.single(
        name,
        f"the file contains an invisible control character (U+{error.character:04X}) that "
        "YAML does not allow: delete it (it often comes from copying text out of a PDF)",
        line=line,
        column=column,
    )


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop the union tags pydantic puts into a location (``stories.2.story``)."""
    cleaned: list[str | int] = []
    for part in loc:
        after_index = bool(cleaned) and isinstance(cleaned[-1], int)
        if isinstance(part, str) and part in BLOCK_TAGS and after_index:
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def where(loc: Loc) -> str:
    """Return a field path as messages name it: ``stories[2].photos[0].file``."""
    where = ""
    for part in loc:
        part = part if isinstance(part, int) else short(part)
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else part)
    return where


_SHORT = 60


def short(text: object) -> str:
    """Return ``text`` fit to quote in a one-line message: on one line, at most 60 characters."""
    flat = " ".join(str(text).split())
    flat = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in flat)
    return flat if len(flat) <= _SHORT else flat[: _SHORT - 1] + "…"


def describe(
    name: str, model: type[BaseModel], data: Any, marks: Marks, error: dict[str, Any]
) -> Problem | None:
    """Return the problem behind one pydantic error, or None when another one tells it."""
    loc = _clean_loc(tuple(error["loc"]))
    kind = str(error["type"])
    if kind == "missing":
        if _misspelt(model, data, loc):
            return None  # "unknown field 'credt' — did you mean 'credit'?" says it all
        parent = loc[:-1]
        line, column = marks.values.get(parent, marks.values.get((), (1, 1)))
        field = loc[-1]
        help_ = _field_help(model, data, loc)
        return Problem(
            name,
            line,
            column,
            where(loc),
            f"required field '{field}' is missing: add it" + (f" ({help_})" if help_ else ""),
        )
    if kind == "extra_forbidden":
        position = marks.keys.get(loc) or marks.values.get(loc)
        known = _known_fields(model, data, loc[:-1])
        message = f"unknown field '{short(loc[-1])}'"
        if close := _close_field(str(loc[-1]), known):
            message += f" — did you mean '{close}'?"
        elif known:
            message += f" — the fields here are {', '.join(known)}"
        return Problem(name, *_split(position), where(loc), message)
    if kind == "duplicate_id":
        loc = (*loc, error["ctx"]["index"], "id")
    if kind == "block_kind":
        loc_kind = (*loc, "kind")
        position = marks.values.get(loc_kind)
        return Problem(
            name, *_split(position or marks.values.get(loc)), where(loc_kind), error["msg"]
        )
    position = marks.values.get(loc) or marks.values.get(loc[:-1])
    message = _plain_message(error)
    given = error.get("input")
    if kind in _GROUP_TYPES and given is not None and (fields := _known_fields(model, data, loc)):
        message = (
            f"must be a group of fields ({', '.join(fields)}) on lines indented below it, "
            f"not {_shown(given)}"
        )
    if loc in marks.commented:
        message += " (YAML reads everything after ' #' as a comment: put the value in quotes)"
    return Problem(name, *_split(position), where(loc), message)


_GROUP_TYPES = frozenset({"model_type", "dict_type", "model_attributes_type"})


def close_field(name: str, known: list[str]) -> str | None:
    """Return the name of ``known`` that ``name`` is most likely a misspelling of, if any."""
    return _close_field(name, known)


def _close_field(name: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _misspelt(model: type[BaseModel], data: Any, loc: Loc) -> bool:
    """Tell whether the missing field at ``loc`` is there under a misspelt name."""
    parent = _value_at(data, loc[:-1])
    if not isinstance(parent, dict):
        return False
    known = _known_fields(model, data, loc[:-1])
    return any(key not in known and _close_field(str(key), known) == loc[-1] for key in parent)


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _split(position: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return position if position else (None, None)


_PATTERN_HELP = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "use lower-case letters, digits and hyphens only, like "
    "almaty-process",
    r"^#[0-9A-Fa-f]{6}$": 'write a colour as "#RRGGBB" in quotes, like "#0033A0"',
    MONTH_PATTERN: 'write the month as "YYYY-MM" in quotes, like "2021-05"',
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "write a language code like en, ru or kk",
}
_TYPE_HELP = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "list_type": "must be a list (lines starting with '- ')",
    "model_type": "must be a group of fields (key: value lines indented below it)",
    "dict_type": "must be a group of fields (key: value lines indented below it)",
    "model_attributes_type": "must be a group of fields (key: value lines indented below it)",
    "bool_type": "must be true or false",
}


def _shown(given: Any) -> str:
    if isinstance(given, dict | list):
        return "a group of fields" if isinstance(given, dict) else "a list"
    return f"'{short(given)}'"


def _plain_message(error: dict[str, Any]) -> str:
    kind = str(error["type"])
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind in _TYPE_HELP:
        if given is None:
            return f"is empty: it {_TYPE_HELP[kind]}"
        if isinstance(given, bool) and kind == "string_type":
            word = str(given).lower()
            return f'must be text, not {word}: write "{word}" in quotes if you mean the word'
        return f"{_TYPE_HELP[kind]}, not {_shown(given)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "needs at least one item" if least == 1 else f"needs at least {least} items"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"is {len(str(given)):,} characters; the most is {limit:,}: shorten it"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} items"
    if kind == "string_pattern_mismatch":
        return f"'{short(given)}' is not valid: " + _PATTERN_HELP.get(
            str(ctx.get("pattern")), f"it must match {ctx.get('pattern')}"
        )
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, not '{short(given)}'"
    if kind in {"greater_than_equal", "less_than_equal"}:
        limit = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return f"must be {word} {limit}, not {given}"
    message = str(error["msg"]).removeprefix("Value error, ")
    # A custom message quotes the value: keep it on one line, and short.
    return message.replace(str(given), short(given)) if isinstance(given, str) else message


def _model_at(model: type[BaseModel], data: Any, loc: Loc) -> type[BaseModel] | None:
    """Return the model that validates the mapping at ``loc``, following ``data``."""
    current: Any = model
    value = data
    for part in loc:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            current = _item_type(current, value)
        else:
            if typing.get_origin(mapping := _unwrap(current, value)) is dict:
                # A mapping by key (a translation's stories by id): its values' model.
                value = value.get(part) if isinstance(value, dict) else None
                current = _unwrap(typing.get_args(mapping)[1], value)
                continue
            if not (isinstance(current, type) and issubclass(current, BaseModel)):
                return None
            field = current.model_fields.get(part)
            if field is None:
                return None
            value = value.get(part) if isinstance(value, dict) else None
            current = _unwrap(field.annotation, value)
    current = _unwrap(current, value)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, value: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], value)
    if origin in {typing.Union, types.UnionType}:
        options = [_unwrap(arg, value) for arg in typing.get_args(annotation)]
        models = [opt for opt in options if isinstance(opt, type) and issubclass(opt, BaseModel)]
        kind = value.get("kind", "story") if isinstance(value, dict) else None
        for option in models:
            kind_field = option.model_fields.get("kind")
            if kind_field is not None and kind in typing.get_args(kind_field.annotation):
                return option
        return models[0] if len(models) == 1 else annotation
    return annotation


def _item_type(annotation: Any, value: Any) -> Any:
    annotation = _unwrap(annotation, None)
    if typing.get_origin(annotation) is list:
        return _unwrap(typing.get_args(annotation)[0], value)
    return annotation


def _known_fields(model: type[BaseModel], data: Any, loc: Loc) -> list[str]:
    found = _model_at(model, data, loc)
    return list(found.model_fields) if found else []


def _field_help(model: type[BaseModel], data: Any, loc: Loc) -> str:
    found = _model_at(model, data, loc[:-1])
    if found is None:
        return ""
    field = found.model_fields.get(str(loc[-1]))
    description = field.description if field else None
    return description.split(":")[0].rstrip(".") if description else ""
