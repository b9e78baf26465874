"""The engine's internals bulletin relies on are all listed, and all present in the engine."""

from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path

import pytest
import weasyprint
from weasyprint.layout import column as engine_column

from bulletin.engine import column, internals
from bulletin.engine.column import PatchError, apply_patch
from conftest import REPO

ENGINE = REPO / "src" / "bulletin" / "engine"


def test_the_engine_installed_is_the_one_the_internals_were_read_from() -> None:
    assert weasyprint.__version__ == internals.ENGINE_VERSION


@pytest.mark.parametrize("name", sorted(internals.INTERNALS))
def test_every_internal_name_is_in_the_engine(name: str) -> None:
    found = internals.resolve(name)
    if name in internals.INSTANCE_ATTRIBUTES:
        # Set by the constructor: look for the assignment in its source.
        attribute = name.rsplit(".", 1)[1]
        assert f"self.{attribute} =" in inspect.getsource(found)


def test_a_name_the_engine_lacks_is_refused() -> None:
    with pytest.raises(LookupError, match=r"^the engine has no weasyprint\.layout\.nothing_here$"):
        internals.resolve("weasyprint.layout.nothing_here")


def _weasyprint_names(path: Path) -> set[str]:
    """Return every ``weasyprint`` name ``path`` imports, dotted from its module."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint"):
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _listed(name: str) -> bool:
    """Return whether ``name`` is listed, or is a module some listed name is taken from."""
    return any(listed == name or listed.startswith(f"{name}.") for listed in internals.INTERNALS)


def test_every_engine_name_imported_in_the_engine_package_is_listed() -> None:
    imported = set().union(*(_weasyprint_names(p) for p in ENGINE.glob("*.py")))
    assert {name for name in imported if not _listed(name)} == set()


def test_the_vendored_column_layout_is_the_engines_byte_for_byte() -> None:
    spec = importlib.util.find_spec("weasyprint.layout.column")
    assert spec is not None and spec.origin is not None
    assert column.VENDORED.read_bytes() == Path(spec.origin).read_bytes()


def test_the_patch_applies_and_keeps_the_engines_arguments() -> None:
    patched = column.patched()
    ours = list(inspect.signature(column.columns_layout).parameters)
    assert list(inspect.signature(engine_column.columns_layout).parameters) == ours
    assert list(inspect.signature(patched.columns_layout).parameters) == [
        *ours,
        "trusted",
        "missed",
    ]
    # The patched layout runs in the engine's package: its helpers are the engine's.
    assert patched.absolute_layout is internals.resolve(
        "weasyprint.layout.absolute.absolute_layout"
    )


def test_a_patch_that_no_longer_applies_names_its_hunk() -> None:
    original = column.VENDORED.read_text()
    changed = original.replace("balancing = True", "balancing = 1")
    with pytest.raises(PatchError, match=r"^column.patch: hunk 4 \(line 268\) does not apply"):
        apply_patch(changed, column.PATCH.read_text())
