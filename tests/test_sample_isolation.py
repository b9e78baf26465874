"""The suite tests bulletin on its own copy of the sample: a user's draft month changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, SAMPLE, SAMPLE_MONTHS, copy_sample

# A month as a comms officer leaves it mid-draft: YAML that does not parse, a photo not there.
DRAFT = """\
month: "2021-07"
number: 7
stories:
  - id: draft
    title: Still being written
    body: |
      To be continued
    photos:
      - file: photos/missing.jpg
        credit: [unclosed
"""

# Records every test collected, before -k deselects any, into the file $COLLECTED.
RECORDER = textwrap.dedent(
    """
    import os
    import pytest

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(items):
        with open(os.environ["COLLECTED"], "w") as out:
            out.write("\\n".join(item.nodeid for item in items))
    """
)


def _clone(target: Path) -> Path:
    """Copy the repository's project and test files to ``target``, as a clone holds them.

    Only the sample months are copied from ``issues/``: the live folder may hold a user's
    own months, drafts among them, which a clone of bulletin would not have.
    """
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis", "out")
    for name in ("tests", "layouts", "fonts", "schema"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    copy_sample(target / "sample")
    (target / "sample" / "issues").rename(target / "issues")
    shutil.rmtree(target / "sample")
    shutil.copy2(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def _pytest(clone: Path, plugins: Path, collected: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(plugins), "COLLECTED": str(collected)}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "recorder", *args]
    result = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_the_sample_copy_holds_the_sample_months_only() -> None:
    months = sorted(path.name for path in (SAMPLE / "issues").iterdir() if path.is_dir())
    assert months == sorted(SAMPLE_MONTHS)
    assert SAMPLE.resolve() != REPO.resolve() and REPO not in SAMPLE.parents


def test_a_broken_draft_month_in_issues_changes_nothing_in_the_suite(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "recorder.py").write_text(RECORDER)
    clone = _clone(tmp_path / "clone")
    this_module = "tests/test_sample_isolation.py"
    before = tmp_path / "before.txt"
    _pytest(clone, plugins, before, "--collect-only", "-q", "--ignore", this_module)

    draft = clone / "issues" / "2021-07"
    draft.mkdir()
    (draft / "issue.yaml").write_text(DRAFT)
    after = tmp_path / "after.txt"
    # The tests that walk the issues: every issue validates, every manifest names its schema.
    # The whole suite is collected; those of its tests that walk every issue folder run: each
    # issue validates, each manifest names its schema.
    selected = "manifest and (every_issue or every_manifest)"
    output = _pytest(clone, plugins, after, "-q", "--ignore", this_module, "-k", selected)
    assert after.read_text() == before.read_text()
    assert "2021-07" not in after.read_text()
    walking = [
        line
        for line in after.read_text().splitlines()
        if line.startswith("tests/manifest/")
        and ("::test_every_issue" in line or "::test_every_manifest" in line)
    ]
    assert len(walking) >= 2 * len(SAMPLE_MONTHS)
    assert output.splitlines()[-1].startswith(f"{len(walking)} passed, ")
