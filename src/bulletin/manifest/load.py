"""Load and validate the manifests: ``issues/publication.yaml`` and ``issues/YYYY-MM/issue.yaml``.

Every problem is reported at once, each with the file, line and column it
comes from (taken from the YAML nodes) and a plain-words fix.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.i18n import LABEL_KEYS, babel_locale, labels_for, labels_for_keys
from bulletin.manifest.translate import translate_issue, translate_publication
from bulletin.model.issue import (
    BLOCK_TAGS,
    MONTH,
    MONTH_PATTERN,
    Issue,
    IssueTranslation,
    Publication,
    PublicationTranslation,
)

MAX_MANIFEST_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40
_TRANSLATION_NAME = re.compile(r"^issue\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.yaml$")

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedIssue:
    """A validated issue with its publication and where they came from."""

    root: Path
    """The project folder holding ``issues/``, ``layouts/`` and ``fonts/``."""
    publication: Publication
    """The publication's settings."""
    issue: Issue
    """The month's content."""
    issue_dir: Path
    """The issue folder (``issues/2021-05``)."""
    manifests: tuple[Path, ...]
    """The manifest files read, publication first."""
    positions: tuple[dict[Loc, tuple[int, int]], ...]
    """Line and column of every value in each manifest, by field path."""
    language: str = ""
    """The language of this edition, as a BCP 47 tag."""
    labels: dict[str, str] = field(default_factory=dict)
    """The words the layout prints in this language (see ``bulletin.i18n``)."""
    texts: tuple[Path | None, Path | None] = (None, None)
    """The translation files of a language edition: publication's, issue's."""

    def problem(self, loc: Loc, message: str, *, publication: bool = False) -> Problem:
        """Return a problem at the field ``loc`` of ``issue.yaml`` (or ``publication.yaml``)."""
        which = 0 if publication else -1
        line, column = self.positions[which].get(loc, (None, None))
        name = display_path(self.root, self.manifests[which])
        return Problem(name, line, column, _where(loc), message)


class _Loader(yaml.SafeLoader):
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


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^-?(?:0|[1-9][0-9]*)$", list("-0123456789")),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


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
class _Marks:
    """Positions of every key and value in a YAML document, by field path."""

    keys: dict[Loc, tuple[int, int]]
    values: dict[Loc, tuple[int, int]]
    commented: set[Loc] = field(default_factory=set)
    """Empty values followed by a comment: ``color: #0033A0`` unquoted."""


def issue_languages(root: Path, month: str) -> list[str]:
    """Return the languages of the issue of ``month``: its translations' ("ru"), sorted."""
    folder = root / "issues" / month
    return sorted(
        match[1]
        for path in folder.glob("issue.*.yaml")
        if (match := _TRANSLATION_NAME.match(path.name))
    )


def load_issue(root: Path, month: str, *, language: str | None = None) -> LoadedIssue:
    """Return the validated publication and issue for ``month`` under ``root``.

    With ``language``, return the edition in that language: the source with the
    text of ``issue.<language>.yaml`` and ``publication.<language>.yaml``.
    """
    loaded = _load_source(root, month)
    main = loaded.publication.language
    if language is None or language == main:
        source = (loaded.manifests[0], _Marks({}, loaded.positions[0]))
        return _with_labels(loaded, main, loaded.publication.labels, source)
    return _load_translation(loaded, language)


def read_manifest(root: Path, path: Path) -> Any:
    """Return the data of the manifest at ``path``, read as ``load_issue`` reads YAML.

    The data is not validated: a command that edits a draft (``bulletin
    translate``) reads what is there even while a photo credit is missing.
    """
    marks = _Marks({}, {})
    data, found = _read_yaml(path, display_path(root, path), marks)
    if found:
        raise ManifestError(found)
    return data


def read_translation(root: Path, path: Path) -> IssueTranslation:
    """Return the translation file at ``path`` validated on its own, not against its source."""
    problems: list[Problem] = []
    text = _load_model(root, path, IssueTranslation, {}, problems, _Marks({}, {}))
    if text is None or problems:
        raise ManifestError(problems)
    return text


def _load_source(root: Path, month: str) -> LoadedIssue:
    if not MONTH.match(month):
        raise ManifestError.single(
            "bulletin", f"'{month}' is not a month: write it as YYYY-MM, like 2021-05"
        )
    issues_dir = root / "issues"
    issue_dir = issues_dir / month
    issue_file = issue_dir / "issue.yaml"
    if not issue_file.is_file():
        known = sorted(p.parent.name for p in issues_dir.glob("*/issue.yaml"))
        hint = f"issues here: {', '.join(known)}" if known else "there are no issues yet"
        raise ManifestError.single(
            display_path(root, issue_file),
            f"no issue for {month}: create {display_path(root, issue_file)} ({hint})",
        )
    publication_file = issues_dir / "publication.yaml"
    problems: list[Problem] = []
    publication_marks, marks = _Marks({}, {}), _Marks({}, {})
    publication = _load_model(
        root, publication_file, Publication, {"issues_dir": issues_dir}, problems, publication_marks
    )
    issue = _load_model(root, issue_file, Issue, {"issue_dir": issue_dir}, problems, marks)
    loaded = None
    if publication is not None and issue is not None:
        loaded = LoadedIssue(
            root,
            publication,
            issue,
            issue_dir,
            (publication_file, issue_file),
            (publication_marks.values, marks.values),
        )
        if issue.month != month:
            problems.append(
                loaded.problem(
                    ("month",),
                    f"says {issue.month} but the folder is {month}: make them the same",
                )
            )
    if problems or loaded is None:
        raise ManifestError(problems)
    return loaded


def _load_translation(loaded: LoadedIssue, language: str) -> LoadedIssue:
    root = loaded.root
    fallback = loaded.publication.translation_fallback
    issue_file = loaded.issue_dir / f"issue.{language}.yaml"
    publication_file = root / "issues" / f"publication.{language}.yaml"
    if not issue_file.is_file():
        raise ManifestError.single(
            display_path(root, issue_file),
            f"there is no {language} edition of this issue: create {issue_file.name}",
        )
    problems: list[Problem] = []
    issue_marks, publication_marks = _Marks({}, {}), _Marks({}, {})
    issue_text = _load_model(root, issue_file, IssueTranslation, {}, problems, issue_marks)
    publication_text: PublicationTranslation | None = None
    if publication_file.is_file():
        publication_text = _load_model(
            root, publication_file, PublicationTranslation, {}, problems, publication_marks
        )
    elif not fallback:
        problems.append(
            Problem(
                display_path(root, publication_file),
                None,
                None,
                "",
                f"the {language} edition needs the publication's text in {language}: create "
                f"{publication_file.name} (name, publisher, contacts, social)",
            )
        )
    if issue_text is None or problems:
        raise ManifestError(problems)
    files = {
        "issue": (issue_file, issue_marks),
        "publication": (publication_file, publication_marks),
    }
    for name, text in (("issue", issue_text), ("publication", publication_text)):
        if text is not None and text.language != language:
            path, marks = files[name]
            line, column = marks.values.get(("language",), (None, None))
            problems.append(
                Problem(
                    display_path(root, path),
                    line,
                    column,
                    "language",
                    f"says '{text.language}' but the file name says '{language}': "
                    "make them the same",
                )
            )
    issue, gaps = translate_issue(loaded.issue, issue_text, fallback=fallback)
    publication = loaded.publication
    if publication_text is not None:
        publication, more = translate_publication(publication, publication_text, fallback=fallback)
        gaps += more
    else:
        publication = publication.model_copy(update={"language": language})
    for gap in gaps:
        path, marks = files[gap.file]
        problems.append(_gap_problem(root, path, marks, gap.loc, gap.message))
    if problems:
        raise ManifestError(problems)
    texts = (publication_file if publication_text else None, issue_file)
    translated = replace(loaded, publication=publication, issue=issue, texts=texts)
    extra = publication_text.labels if publication_text else {}
    return _with_labels(translated, language, extra, (publication_file, publication_marks))


def _gap_problem(
    root: Path, path: Path, marks: _Marks, loc: tuple[str | int, ...], message: str
) -> Problem:
    # A gap names the place where text should be: point at it, or at its
    # nearest parent that exists in the file.
    for depth in range(len(loc), -1, -1):
        position = marks.keys.get(loc[:depth]) or marks.values.get(loc[:depth])
        if position:
            return Problem(display_path(root, path), *position, _where(loc), message)
    return Problem(display_path(root, path), None, None, _where(loc), message)


def _with_labels(
    loaded: LoadedIssue,
    language: str,
    extra: dict[str, str],
    source: tuple[Path, _Marks],
) -> LoadedIssue:
    path, marks = source
    try:
        Locale.parse(babel_locale(language))
    except (UnknownLocaleError, ValueError):
        raise ManifestError(
            [
                _gap_problem(
                    loaded.root,
                    path,
                    marks,
                    ("language",),
                    f"'{language}' is not a language bulletin can write dates in: use a "
                    "language code such as en, ru, kk, ky, tg, uz or tk",
                )
            ]
        ) from None
    labels = labels_for(language, extra)
    unknown = sorted(set(extra) - LABEL_KEYS)
    if labels is None or unknown:
        if unknown:
            message = (
                f"unknown label '{unknown[0]}': the labels are {', '.join(sorted(LABEL_KEYS))}"
            )
        else:
            missing = sorted(LABEL_KEYS - labels_for_keys(language, extra))
            message = (
                f"bulletin does not know the layout's words in '{language}': add labels with "
                f"{', '.join(missing)} to {path.name}"
            )
        raise ManifestError([_gap_problem(loaded.root, path, marks, ("labels",), message)])
    return replace(loaded, language=language, labels=labels)


_ModelT = typing.TypeVar("_ModelT", bound=BaseModel)


def _load_model(
    root: Path,
    path: Path,
    model: type[_ModelT],
    context: dict[str, Any],
    problems: list[Problem],
    marks: _Marks,
) -> _ModelT | None:
    name = display_path(root, path)
    try:
        data, found = _read_yaml(path, name, marks)
    except ManifestError as error:
        problems.extend(error.problems)
        return None
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
            described = (_describe(name, model, data, marks, dict(d)) for d in error.errors())
            found.extend(p for p in described if p is not None and p.where not in told)
    problems.extend(sorted(found, key=_position))
    return None if found else result


def _position(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def _read_yaml(path: Path, name: str, marks: _Marks) -> tuple[Any, list[Problem]]:
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
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        raise _reader_error(name, text, error) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        builder = _Builder(name, marks, loader, text)
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
        raise _syntax_error(name, text, error) from None
    except yaml.YAMLError as error:
        raise ManifestError.single(name, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return data, builder.problems


class _Builder:
    """Turn a composed YAML node tree into Python data, recording positions."""

    def __init__(self, name: str, marks: _Marks, loader: _Loader, text: str) -> None:
        self.name = name
        self.text = text
        self.marks = marks
        self.loader = loader
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
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
                    _where(loc),
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
                        Problem(self.name, *key_mark, _where(loc), "a key must be a plain word")
                    )
                    continue
                if key in result:
                    self.problems.append(
                        Problem(
                            self.name,
                            *key_mark,
                            _where((*loc, key)),
                            f"'{_short(key)}' appears twice here; only one would be kept and the "
                            "other silently lost: merge them or delete one",
                        )
                    )
                    continue
                self.marks.keys[(*loc, key)] = key_mark
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
            rest = self.text[node.end_mark.index :].split("\n", 1)[0]
            if rest.lstrip().startswith("#"):
                self.marks.commented.add(loc)
        return self._scalar(node)

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
                f"cannot read '{_short(node.value)}' as {tag}: delete the tag and write the value "
                "as plain text",
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            ) from None


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


def _syntax_error(name: str, text: str, error: yaml.MarkedYAMLError) -> ManifestError:
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
    if "end of stream" in problem and error.context_mark is not None:
        mark = error.context_mark
    elif mark is not None and (opened := _unclosed_quote(text, mark.index)) is not None:
        # The parser only stumbles where the runaway quote ends, often many
        # lines further down; the mistake is where it starts.
        message, mark = _UNCLOSED_QUOTE, opened
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return ManifestError.single(name, message, line=line, column=column)


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


def _reader_error(name: str, text: str, error: yaml.reader.ReaderError) -> ManifestError:
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


def _where(loc: Loc) -> str:
    where = ""
    for part in loc:
        part = part if isinstance(part, int) else _short(part)
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else part)
    return where


_SHORT = 60


def _short(text: object) -> str:
    """Return ``text`` fit to quote in a one-line message: on one line, at most 60 characters."""
    flat = " ".join(str(text).split())
    flat = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in flat)
    return flat if len(flat) <= _SHORT else flat[: _SHORT - 1] + "…"


def _describe(
    name: str, model: type[BaseModel], data: Any, marks: _Marks, error: dict[str, Any]
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
            _where(loc),
            f"required field '{field}' is missing: add it" + (f" ({help_})" if help_ else ""),
        )
    if kind == "extra_forbidden":
        position = marks.keys.get(loc) or marks.values.get(loc)
        known = _known_fields(model, data, loc[:-1])
        message = f"unknown field '{_short(loc[-1])}'"
        if close := _close_field(str(loc[-1]), known):
            message += f" — did you mean '{close}'?"
        elif known:
            message += f" — the fields here are {', '.join(known)}"
        return Problem(name, *_split(position), _where(loc), message)
    if kind == "duplicate_id":
        loc = (*loc, error["ctx"]["index"], "id")
    if kind == "block_kind":
        loc_kind = (*loc, "kind")
        position = marks.values.get(loc_kind)
        return Problem(
            name, *_split(position or marks.values.get(loc)), _where(loc_kind), error["msg"]
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
    return Problem(name, *_split(position), _where(loc), message)


_GROUP_TYPES = frozenset({"model_type", "dict_type", "model_attributes_type"})


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
    return f"'{_short(given)}'"


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
        return f"'{_short(given)}' is not valid: " + _PATTERN_HELP.get(
            str(ctx.get("pattern")), f"it must match {ctx.get('pattern')}"
        )
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, not '{_short(given)}'"
    if kind in {"greater_than_equal", "less_than_equal"}:
        limit = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return f"must be {word} {limit}, not {given}"
    message = str(error["msg"]).removeprefix("Value error, ")
    # A custom message quotes the value: keep it on one line, and short.
    return message.replace(str(given), _short(given)) if isinstance(given, str) else message


def _model_at(model: type[BaseModel], data: Any, loc: Loc) -> type[BaseModel] | None:
    """Return the model that validates the mapping at ``loc``, following ``data``."""
    current: Any = model
    value = data
    for part in loc:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            current = _item_type(current, value)
        else:
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
