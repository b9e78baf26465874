"""Read and check the partner list: a CSV from Excel or Outlook, or the same in YAML.

Every mistake is reported at once, each with the file and line (and column,
in YAML) it is on. The list is personal data: nothing here writes it anywhere.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from email_validator import EmailNotValidError, validate_email

from bulletin.errors import BulletinError, Problem

MAX_LIST_BYTES = 20_000_000
FIELDS = ("name", "email", "organisation", "language", "groups", "delivery")
DELIVERIES = ("attachment", "link")
Delivery = Literal["attachment", "link"]

# Column headings as Excel sheets and Outlook exports write them, by field.
# Compared case-insensitively, with spaces, "-" and "_" run together.
_HEADINGS = {
    "name": ("name", "full name", "display name", "contact", "contact name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "e-mail 1 address"),
    "organisation": ("organisation", "organization", "company", "org", "institution"),
    "language": ("language", "lang"),
    "groups": ("groups", "group", "categories", "category"),
    "delivery": ("delivery",),
    "first name": ("first name", "given name"),
    "last name": ("last name", "surname", "family name"),
}
_DELIMITERS = (",", ";", "\t")
_GROUP_SEPARATOR = re.compile(r"[;,]")


@dataclass(frozen=True)
class Partner:
    """One partner: who gets the bulletin, in which language, and how."""

    name: str
    """The name the message greets ("Aigerim Bekova")."""
    email: str
    """The address, as email-validator normalises it (domain in lower case, and in its
    ASCII form for an international domain)."""
    organisation: str
    """The partner's organisation, or ``""``."""
    language: str
    """The language of the edition they receive ("en", "ru")."""
    groups: tuple[str, ...]
    """The groups they belong to (``donors``), declared in ``publication.yaml``."""
    delivery: Delivery
    """``attachment`` (the email edition attached) or ``link`` (a link, no attachment)."""
    line: int
    """The line of the partner list they are on, to point at them without naming them."""

    @property
    def key(self) -> str:
        """Return what identifies the partner in the send log: the address, case folded."""
        return self.email.casefold()


@dataclass(frozen=True)
class PartnerRules:
    """What a partner list is checked against: the issue and the publication's settings."""

    month: str
    """The issue's month, for messages."""
    languages: tuple[str, ...]
    """The languages the issue has an edition in, main language first."""
    groups: tuple[str, ...]
    """The groups declared under ``mail.groups``."""
    archive_url: bool
    """Whether the publication gives the archive site's address (``delivery: link`` needs it)."""
    publication_file: str = "issues/publication.yaml"
    """The publication's manifest, as messages name it."""


@dataclass
class _Cell:
    value: str | list[str]
    line: int
    column: int | None


@dataclass
class _Record:
    line: int
    column: int | None
    index: int | None = None
    """The partner's place in a YAML list (messages name ``partners[3].email``)."""
    cells: dict[str, _Cell] = field(default_factory=dict)
    misspelt: set[str] = field(default_factory=set)
    """Fields written under a misspelt name (``emial``), already reported as such."""


def load_partners(path: Path, name: str, rules: PartnerRules) -> list[Partner]:
    """Return the partners listed in ``path`` (shown as ``name``), or raise every mistake."""
    if not path.is_file():
        raise BulletinError.single(
            name,
            "there is no partner list here: create it (a CSV with the columns name, email, "
            "organisation, language, groups, delivery), or set mail.partners in "
            f"{rules.publication_file}",
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BulletinError.single(name, f"cannot read the file: {error.strerror}") from None
    if len(raw) > MAX_LIST_BYTES:
        raise BulletinError.single(
            name, f"the file is {len(raw):,} bytes: is this the partner list?"
        )
    text = _decode(raw, name)
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        records, problems = _yaml_records(text, name)
    elif suffix in {".csv", ".txt"}:
        records, problems = _csv_records(text, name)
    else:
        raise BulletinError.single(
            name, "a partner list is a .csv file (from Excel or Outlook) or a .yaml file"
        )
    partners: list[Partner] = []
    seen: dict[str, int] = {}
    for record in records:
        partner, address = _check(record, name, rules, problems)
        if address:
            key = address.casefold()
            if key in seen:
                cell = record.cells["email"]
                problems.append(
                    Problem(
                        name,
                        cell.line,
                        cell.column,
                        _where(record, "email"),
                        f"'{address}' is listed already, on line {seen[key]}: a partner gets "
                        "one message per issue, so delete one of the two",
                    )
                )
                continue
            seen[key] = record.line
        if partner is not None:
            partners.append(partner)
    if not problems and not partners:
        problems.append(Problem(name, None, None, "", "the partner list has no partners in it"))
    if problems:
        raise BulletinError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return partners


def _decode(raw: bytes, name: str) -> str:
    # Excel's "Unicode Text" is UTF-16; its "CSV UTF-8" starts with a BOM.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BulletinError.single(
            name,
            "the file is not UTF-8 text: in Excel, save it as 'CSV UTF-8 (Comma delimited)'; "
            "from Outlook, export it, open it in Excel and save it so",
            line=line,
        ) from None


def _heading_key(heading: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", heading).casefold().split()).replace("e mail", "e-mail")


_KNOWN = {_heading_key(h): field for field, headings in _HEADINGS.items() for h in headings}


def _csv_records(text: str, name: str) -> tuple[list[_Record], list[Problem]]:
    header_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        raise BulletinError.single(
            name, "the file is empty: write the column names on line 1"
        ) from None
    except csv.Error as error:
        raise BulletinError.single(name, f"cannot read the line as CSV: {error}", line=1) from None
    columns: dict[int, str] = {}
    for index, heading in enumerate(header):
        key = _KNOWN.get(_heading_key(heading))
        if key is None:
            continue
        if key in columns.values():
            problems.append(
                Problem(
                    name, 1, None, "", f"two columns are named '{key}': keep one, rename the other"
                )
            )
            continue
        columns[index] = key
    found = set(columns.values())
    for heading in header:
        if _heading_key(heading) in _KNOWN or not heading.strip():
            continue
        missing = [f for f in FIELDS if f not in found]
        close = difflib.get_close_matches(_heading_key(heading), missing, n=1, cutoff=0.75)
        if close:
            problems.append(
                Problem(
                    name, 1, None, "", f"column '{heading.strip()}' — did you mean '{close[0]}'?"
                )
            )
    named = "name" in found or "first name" in found or "last name" in found
    for needed, present in (("email", "email" in found), ("name", named)):
        if not present:
            headings = ", ".join(h.strip() for h in header if h.strip()) or "none"
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    "",
                    f"there is no '{needed}' column (the columns are {headings}): "
                    "line 1 names the columns: name, email, organisation, language, groups, "
                    "delivery",
                )
            )
    if problems:
        raise BulletinError(problems)
    records: list[_Record] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(name, line, None, "", f"cannot read the line as CSV: {error}"))
            break
        if not any(cell.strip() for cell in row):
            continue
        extra = [cell for index, cell in enumerate(row) if index >= len(header) and cell.strip()]
        if extra:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    "",
                    f"this line has {len(row)} values but line 1 names {len(header)} columns: "
                    f"a value holding '{delimiter}' must be in double quotes",
                )
            )
            continue
        record = _Record(line, None)
        for index, key in columns.items():
            value = row[index].strip() if index < len(row) else ""
            record.cells[key] = _Cell(value, line, None)
        _join_name(record)
        records.append(record)
    return records, problems


def _join_name(record: _Record) -> None:
    """Make ``name`` from Outlook's first and last name columns, when there is no name."""
    first = record.cells.pop("first name", None)
    last = record.cells.pop("last name", None)
    if record.cells.get("name") and record.cells["name"].value:
        return
    parts = [str(cell.value) for cell in (first, last) if cell is not None and cell.value]
    if parts:
        record.cells["name"] = _Cell(" ".join(parts), record.line, None)


def _yaml_records(text: str, name: str) -> tuple[list[_Record], list[Problem]]:
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise BulletinError.single(
            name,
            f"not valid YAML ({error.problem or error.context}): check the lines around here",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise BulletinError.single(name, f"not valid YAML: {error}") from None
    problems: list[Problem] = []
    items = document
    if isinstance(document, yaml.MappingNode):
        keys = {key.value: value for key, value in document.value}
        if set(keys) != {"partners"}:
            line, column = _mark(document)
            raise BulletinError.single(
                name,
                "expected one field, 'partners', with the list of partners below it",
                line=line,
                column=column,
            )
        items = keys["partners"]
    if not isinstance(items, yaml.SequenceNode):
        line, column = _mark(items) if items is not None else (1, 1)
        raise BulletinError.single(
            name,
            "expected the list of partners, each starting with '- name:'",
            line=line,
            column=column,
        )
    records = []
    for index, item in enumerate(items.value):
        where = f"partners[{index}]"
        line, column = _mark(item)
        if not isinstance(item, yaml.MappingNode):
            problems.append(
                Problem(name, line, column, where, "must be a partner's fields (name: …, email: …)")
            )
            continue
        record = _Record(line, column, index)
        for key_node, value_node in item.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            key_line, key_column = _mark(key_node)
            field_name = {"organization": "organisation"}.get(key, key)
            if field_name not in FIELDS:
                close = difflib.get_close_matches(key, FIELDS, n=1, cutoff=0.6)
                hint = f" — did you mean '{close[0]}'?" if close else f": use {', '.join(FIELDS)}"
                record.misspelt.update(close)
                problems.append(
                    Problem(name, key_line, key_column, f"{where}.{key}", f"unknown field{hint}")
                )
                continue
            if field_name in record.cells:
                problems.append(
                    Problem(
                        name,
                        key_line,
                        key_column,
                        f"{where}.{key}",
                        f"'{key}' appears twice: keep one",
                    )
                )
                continue
            value_line, value_column = _mark(value_node)
            value = _yaml_value(value_node)
            if value is None:
                problems.append(
                    Problem(
                        name,
                        value_line,
                        value_column,
                        f"{where}.{key}",
                        "must be text" + (" or a list of group names" if key == "groups" else ""),
                    )
                )
                continue
            record.cells[field_name] = _Cell(value, value_line, value_column)
        records.append(record)
    return records, problems


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_value(node: yaml.Node) -> str | list[str] | None:
    # Every scalar is taken as written: a language "no" stays "no", not false.
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag.endswith(":null") and node.style is None else str(node.value).strip()
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(item, yaml.ScalarNode) for item in node.value
    ):
        return [str(item.value).strip() for item in node.value]
    return None


def _where(record: _Record, key: str) -> str:
    return key if record.index is None else f"partners[{record.index}].{key}"


def _check(
    record: _Record, name: str, rules: PartnerRules, problems: list[Problem]
) -> tuple[Partner | None, str]:
    """Return the partner of ``record`` and its address, normalised.

    The partner is None when ``record`` has mistakes, added to ``problems``;
    the address is ``""`` when it is not valid.
    """
    before = len(problems)

    def report(key: str, message: str) -> None:
        cell = record.cells.get(key)
        line, column = (cell.line, cell.column) if cell else (record.line, record.column)
        problems.append(Problem(name, line, column, _where(record, key), message))

    def text(key: str) -> str:
        cell = record.cells.get(key)
        if cell is None:
            return ""
        if isinstance(cell.value, list):
            report(key, "must be text, not a list")
            return ""
        return cell.value

    partner_name = text("name")
    if not partner_name and "name" not in record.misspelt:
        state = "is missing" if "name" not in record.cells else "is empty"
        report("name", f"{state}: write the partner's name, which the message greets")
    address = text("email")
    normalized = ""
    if not address:
        if "email" not in record.misspelt:
            state = "is missing" if "email" not in record.cells else "is empty"
            report("email", f"{state}: write the partner's email address")
    else:
        try:
            checked = validate_email(address, check_deliverability=False)
            # An international domain is sent as its ASCII form (IDNA), which every
            # server takes; only a mailbox name in another script needs SMTPUTF8.
            normalized = checked.ascii_email or checked.normalized
        except EmailNotValidError as error:
            reason = str(error).rstrip(".")
            report(
                "email",
                f"'{address}' is not a valid email address: {reason[:1].lower()}{reason[1:]}",
            )
    language = text("language").casefold() or rules.languages[0]
    if language not in rules.languages:
        report(
            "language",
            f"the {rules.month} issue has no edition in '{text('language')}': use one of "
            f"{', '.join(rules.languages)} (or translate the issue into it first)",
        )
    delivery = text("delivery").casefold() or "attachment"
    if delivery not in DELIVERIES:
        report(
            "delivery",
            f"'{text('delivery')}' is not a way to deliver: use attachment (the PDF attached, "
            "the default) or link (a link to the issue's page, no attachment)",
        )
    elif delivery == "link" and not rules.archive_url:
        report(
            "delivery",
            "link needs the archive site's address: set mail.archive_url in "
            f"{rules.publication_file}",
        )
    groups = list(_groups(record.cells.get("groups")))
    for group in groups:
        if group in rules.groups:
            continue
        close = difflib.get_close_matches(group, rules.groups, n=1, cutoff=0.6)
        if close:
            hint = f" — did you mean '{close[0]}'?"
        elif rules.groups:
            hint = f": the groups are {', '.join(rules.groups)} (mail.groups)"
        else:
            hint = f": declare it under mail.groups in {rules.publication_file}"
        report("groups", f"unknown group '{group}'{hint}")
    if len(problems) > before:
        return None, normalized
    organisation = text("organisation")
    partner = Partner(
        partner_name,
        normalized,
        organisation,
        language,
        tuple(dict.fromkeys(groups)),
        "link" if delivery == "link" else "attachment",
        record.line,
    )
    return partner, normalized


def _groups(cell: _Cell | None) -> Iterator[str]:
    if cell is None:
        return
    values: Iterable[str] = (
        cell.value if isinstance(cell.value, list) else _GROUP_SEPARATOR.split(cell.value)
    )
    for value in values:
        if value.strip():
            yield value.strip().casefold()
