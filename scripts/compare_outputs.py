"""Build the sample's PDFs and the archive site, and record or compare the sha256 of every file.

    python scripts/compare_outputs.py record outputs.json   # before a change
    python scripts/compare_outputs.py check outputs.json    # after it: exit 1 on any difference
    python scripts/compare_outputs.py record outputs.json --code main   # main's code

With ``--code REV`` the outputs are built by the code of that commit (its
``src/``, checked out apart), from this checkout's issues, layouts and fonts.

A restructuring that must not change behaviour is checked with it: the sample
issue's six PDFs (``bulletin build 2021-05``, which sets ``SOURCE_DATE_EPOCH``
from the issue's month) and every file of the archive site (``bulletin
archive``) must come out byte for byte the same. The caches and other
dot-folders (``.cache``, ``.archive-state``, ``.builds``) are left out: they
hold fingerprints of bulletin's own code, which a change of code changes by
design; the files they hold are compared where the output links to them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MONTH = "2021-05"


def _digests(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file under ``folder``, by relative path.

    Folders named with a dot (caches, the build's staging folders) are left
    out; links are followed, so ``out/<month>`` is read wherever it points.
    """
    found = {}
    for top, folders, files in os.walk(folder, followlinks=True):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(top, name)
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return dict(sorted(found.items()))


def build_outputs(python: Path, code: str | None) -> dict[str, dict[str, str]]:
    """Build the sample issue and the archive site afresh; return the digests of both."""
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    with tempfile.TemporaryDirectory() as scratch:
        if code is not None:
            source = Path(scratch, "code")
            source.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", code, "src"], check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
            environment["PYTHONPATH"] = str(source / "src")
        pdfs, site = Path(scratch, "pdfs"), Path(scratch, "site")
        bulletin = [str(python), "-c", "from bulletin.cli import app; app()"]
        for command in (
            [*bulletin, "build", MONTH, "--root", str(REPO), "--out", str(pdfs)],
            [*bulletin, "archive", "--root", str(REPO), "--out", str(site)],
        ):
            subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)
        return {"build": _digests(pdfs), "archive": _digests(site)}


def main() -> int:
    """Record the digests in a file, or compare a fresh build with the ones recorded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "check"])
    parser.add_argument("record", type=Path)
    parser.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python")
    parser.add_argument("--code", help="build with the code of this commit (default: this tree)")
    arguments = parser.parse_args()
    outputs = build_outputs(arguments.python, arguments.code)
    counts = ", ".join(f"{len(files)} {name} files" for name, files in outputs.items())
    if arguments.mode == "record":
        arguments.record.write_text(json.dumps(outputs, indent=1, sort_keys=True) + "\n")
        print(f"recorded {counts} in {arguments.record}")
        return 0
    recorded = json.loads(arguments.record.read_text())
    differences = [
        f"{name}/{path}: {recorded[name].get(path, 'absent')} -> {files.get(path, 'absent')}"
        for name, files in outputs.items()
        for path in sorted(set(files) | set(recorded.get(name, {})))
        if files.get(path) != recorded.get(name, {}).get(path)
    ]
    for line in differences:
        print(line)
    print(f"{'DIFFERENT' if differences else 'identical'}: {counts}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
