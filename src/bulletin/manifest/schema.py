"""Describe the manifests as JSON Schema, for editors that complete and check YAML while typing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bulletin.model.issue import Issue, Publication
from bulletin.output import write_output

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "issue.schema.json": Issue,
    "publication.schema.json": Publication,
}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def manifest_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return the JSON Schema of one kind of manifest, field docs as descriptions."""
    return {"$schema": DIALECT, **model.model_json_schema()}


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema of each kind of manifest into ``folder``; return the files written."""
    return [
        write_output(folder / name, _dump(manifest_schema(model)))
        for name, model in SCHEMA_FILES.items()
    ]


def _dump(schema: dict[str, Any]) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode()
