"""The JSON Schema of the manifests: committed, complete, and true to the validation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bulletin.manifest.safe_yaml import ManifestLoader
from bulletin.manifest.schema import SCHEMA_FILES, manifest_schema, write_schemas
from conftest import REPO, SAMPLE

BAD = REPO / "tests" / "manifest" / "cases" / "bad"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _read(path: Path) -> Any:
    # Read as an editor's YAML 1.2 language server does: dates stay text.
    return yaml.load(path.read_text(), Loader=ManifestLoader)


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schema" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_the_generated_one(tmp_path: Path) -> None:
    for written in write_schemas(tmp_path):
        committed = REPO / "schema" / written.name
        assert committed.read_bytes() == written.read_bytes(), (
            f"{committed} is out of date: run 'bulletin schema' and commit the result"
        )


def _manifests() -> list[tuple[Path, str]]:
    issues = sorted((SAMPLE / "issues").glob("*/issue.yaml"))
    return [(SAMPLE / "issues" / "publication.yaml", "publication.schema.json")] + [
        (path, "issue.schema.json") for path in issues
    ]


@pytest.mark.parametrize(
    ("manifest", "name"),
    _manifests(),
    ids=lambda v: str(v.relative_to(SAMPLE)) if isinstance(v, Path) else v,
)
def test_every_manifest_names_its_schema_and_matches_it(manifest: Path, name: str) -> None:
    first_line = manifest.read_text().splitlines()[0]
    match = MODELINE.match(first_line)
    assert match, f"{manifest} does not start with its yaml-language-server line"
    assert (manifest.parent / match[1]).resolve() == SAMPLE / "schema" / name
    errors = [error.message for error in _validator(name).iter_errors(_read(manifest))]
    assert errors == []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("misspelt_field", "Additional properties are not allowed ('credt' was unexpected)"),
        ("unknown_field", "Additional properties are not allowed ('author' was unexpected)"),
        ("missing_title", "'title' is a required property"),
        ("columns_out_of_range", "4 is not one of [1, 2, 3]"),
        ("bad_story_id", "'Family Return' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
        ("month_in_words", "'May 2021' does not match '^\\\\d{4}-(0[1-9]|1[0-2])$'"),
        ("date_in_wrong_form", "'26/05/2021' does not match '^\\\\d{4}(-\\\\d{2}(-\\\\d{2})?)?$'"),
        ("number_zero", "0 is less than the minimum of 1"),
    ],
)
def test_an_editor_flags_the_usual_mistakes_while_typing(case: str, message: str) -> None:
    assert message in _messages(
        _validator("issue.schema.json").iter_errors(_read(BAD / f"{case}.yaml"))
    )


def _messages(errors: Iterable[jsonschema.ValidationError]) -> set[str]:
    """Return every message, with those of each block kind a story was tried against."""
    found: set[str] = set()
    for error in errors:
        found |= {error.message} | _messages(error.context or [])
    return found


def _documented(schema: dict[str, Any], spec: dict[str, Any]) -> bool:
    """Tell whether a field has a description, its own or that of the group it refers to."""
    if spec.get("description"):
        return True
    target = spec.get("$ref", "").removeprefix("#/$defs/")
    return bool(schema.get("$defs", {}).get(target, {}).get("description"))


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [("", name, spec) for name, spec in schema.get("properties", {}).items()]
    for model, definition in schema.get("$defs", {}).items():
        found += [(model, name, spec) for name, spec in definition.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_field_carries_its_documentation(name: str) -> None:
    schema = manifest_schema(SCHEMA_FILES[name])
    properties = _properties(schema)
    assert len(properties) > 10
    assert [
        f"{model}.{field}" for model, field, spec in properties if not _documented(schema, spec)
    ] == []


def test_the_field_docs_are_the_descriptions() -> None:
    issue = manifest_schema(SCHEMA_FILES["issue.schema.json"])
    assert issue["$defs"]["Credit"]["properties"]["by"]["description"] == (
        'The photographer or organisation credited ("IOM", "Jane Doe/IOM").'
    )
