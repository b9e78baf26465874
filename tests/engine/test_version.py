"""bulletin refuses, in one line, to run on another WeasyPrint release than the one it reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.engine.version import ENGINE_VERSION, require_engine

BULLETIN = Path(sys.executable).parent / "bulletin"


def _with_engine(folder: Path, version: str) -> dict[str, str]:
    """Put a WeasyPrint ``version`` first on the path, as pip would have installed it."""
    info = folder / f"weasyprint-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: weasyprint\nVersion: {version}\n")
    return {"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"}


@pytest.mark.parametrize("version", ["71.0", "70.1"])
def test_another_engine_release_stops_the_command_with_one_line(
    tmp_path: Path, version: str
) -> None:
    result = subprocess.run(
        [str(BULLETIN), "build", "2021-05", "--root", str(tmp_path)],
        env=_with_engine(tmp_path / "site", version),
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"bulletin: WeasyPrint {version} is installed, but bulletin works only with "
        "WeasyPrint 70.0, whose layout internals it reads: install it (pip install "
        "weasyprint==70.0; in a clone of bulletin: rm -r .venv, then make setup)\n"
    )


def test_the_engine_installed_here_is_the_one() -> None:
    assert ENGINE_VERSION == "70.0"
    require_engine()
