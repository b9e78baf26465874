"""The package's import rules: the engine's internals stay in engine/, private names at home."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

# What WeasyPrint documents as its API: the names of weasyprint.__all__, the
# font configuration, and the URL fetcher a caller may subclass.
PUBLIC_API = {
    "weasyprint": {"CSS", "DEFAULT_OPTIONS", "HTML", "VERSION", "Attachment", "Document", "Page"},
    "weasyprint.text.fonts": {"FontConfiguration"},
    "weasyprint.urls": {"URLFetcher"},
}
# Only these folders may reach the engine's internals: bulletin's engine
# package and its tests.
ENGINE_HOMES = (REPO / "src" / "bulletin" / "engine", REPO / "tests" / "engine")
CHECKED = ("src", "tests", "benchmarks", "scripts")


def _python_files() -> Iterator[Path]:
    for folder in CHECKED:
        for path in sorted((REPO / folder).rglob("*.py")):
            if "vendor" not in path.relative_to(REPO).parts:
                yield path


def _engine_imports(path: Path) -> Iterator[tuple[int, str]]:
    """Yield each ``weasyprint`` import of ``path`` beyond the public API, with its line."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("weasyprint."):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "weasyprint":
            allowed = PUBLIC_API.get(node.module or "", set())
            for alias in node.names:
                if alias.name not in allowed:
                    yield node.lineno, f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr == "_page_box":
            yield node.lineno, "._page_box"


@pytest.mark.parametrize(
    "path",
    [p for p in _python_files() if not any(p.is_relative_to(home) for home in ENGINE_HOMES)],
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_only_the_engine_package_reaches_the_engines_internals(path: Path) -> None:
    assert list(_engine_imports(path)) == []


def test_the_rule_sees_an_internal_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import weasyprint\n"
        "from weasyprint import HTML\n"
        "from weasyprint.layout import block\n"
        "import weasyprint.document\n"
        "x = page._page_box\n"
    )
    assert list(_engine_imports(sample)) == [
        (3, "from weasyprint.layout import block"),
        (4, "import weasyprint.document"),
        (5, "._page_box"),
    ]


def _private_imports(path: Path) -> Iterator[tuple[int, str]]:
    """Yield each private name of another module that ``path`` imports or reaches, with its line."""
    tree = ast.parse(path.read_text(), str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {
            "bulletin",
            "conftest",
        }:
            module = node.module or ""
            if any(part.startswith("_") for part in module.split(".")):
                yield node.lineno, f"from {module}"
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private:
                    yield node.lineno, f"from {module} import {alias.name}"
                if not private:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "bulletin":
                    modules.add((alias.asname or alias.name).split(".")[0])
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        yield node.lineno, f"import {alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            yield node.lineno, f"{node.value.id}.{node.attr}"


@pytest.mark.parametrize(
    "path", list(_python_files()), ids=lambda path: str(path.relative_to(REPO))
)
def test_no_module_imports_another_modules_private_names(path: Path) -> None:
    assert list(_private_imports(path)) == []


def test_the_rule_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from bulletin.manifest.load import load_issue, _where\n"
        "from bulletin.engine import column\n"
        "from bulletin.build import _lay_out\n"
        "import bulletin._secret\n"
        "x = column._patched\n"
        "y = self._own\n"
    )
    assert list(_private_imports(sample)) == [
        (1, "from bulletin.manifest.load import _where"),
        (3, "from bulletin.build import _lay_out"),
        (4, "import bulletin._secret"),
        (5, "column._patched"),
    ]
