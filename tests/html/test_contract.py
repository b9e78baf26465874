"""The layout contract: written once, repeated in the entry template, enforced on every layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BulletinError
from bulletin.html import contract
from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from conftest import SAMPLE_MONTH, shorten_issue

ENTRY = Path("layouts") / "standard" / "issue.html.j2"
HINT = (
    "which bulletin needs: see the layout contract in the opening comment of the "
    "standard layout's issue.html.j2"
)


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / "layouts" / "standard" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _problems(project: Path) -> list[str]:
    with pytest.raises(BulletinError) as caught:
        render_html(load_issue(project, SAMPLE_MONTH))
    return [str(problem) for problem in caught.value.problems]


def test_the_standard_layout_keeps_the_contract(sample_root: Path) -> None:
    html = render_html(load_issue(sample_root, SAMPLE_MONTH))
    blocks = [block.id for block in load_issue(sample_root, SAMPLE_MONTH).issue.stories]
    contract.check_html(html, ENTRY, blocks)


def test_a_layout_without_main_is_refused_naming_the_file(project: Path) -> None:
    _edit(project, "issue.html.j2", "<main>", "<div>")
    _edit(project, "issue.html.j2", "</main>", "</div>")
    assert _problems(project) == [
        f"{ENTRY.as_posix()}: the layout lacks <main> (where the stories go), {HINT}"
    ]


def test_every_missing_part_is_named_at_once(project: Path) -> None:
    _edit(project, "issue.html.j2", '<footer class="contacts">', '<footer class="closing">')
    _edit(project, "issue.html.j2", '<nav class="contents"', '<nav class="toc"')
    _edit(project, "stats.html.j2", 'class="stats"', 'class="callout"')
    ids = [b.id for b in load_issue(project, SAMPLE_MONTH).issue.stories if b.kind == "stats"]
    assert _problems(project) == [
        f'{ENTRY.as_posix()}: the layout lacks class "contents", class "contacts" and an element '
        f'of class "story" or "stats" with the id {" / ".join(ids)}, {HINT}'
    ]


def test_the_build_stops_with_the_message_and_writes_nothing(project: Path) -> None:
    shorten_issue(project)
    _edit(project, "issue.html.j2", "<main>", "<section>")
    _edit(project, "issue.html.j2", "</main>", "</section>")
    result = CliRunner().invoke(app, ["build", SAMPLE_MONTH, "--root", str(project)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"{ENTRY.as_posix()}: the layout lacks <main> (where the stories go), {HINT}\n",
    )
    assert not (project / "out").exists()


def test_a_layout_that_hides_main_is_refused_naming_the_file(project: Path) -> None:
    # The contract holds in the HTML, but a style keeps <main> from being
    # laid out: the composer finds nowhere for the stories to start.
    shorten_issue(project)
    _edit(project, "issue.html.j2", "<main>", '<main style="display: none">')
    result = CliRunner().invoke(app, ["build", SAMPLE_MONTH, "--root", str(project)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"{ENTRY.as_posix()}: the layout hides <main> (where the stories go): a style sets "
        "it, or an element around it, to display: none; let it show\n",
    )
    assert not (project / "out").exists()


def test_the_entry_template_repeats_the_contract(sample_root: Path) -> None:
    text = (sample_root / ENTRY).read_text()
    comment = text[: text.index("-#}")]
    assert f"<{contract.MAIN_TAG}>" in comment
    classes = {
        *contract.BLOCK_CLASSES,
        *contract.REQUIRED_CLASSES,
        contract.STORY_HEAD,
        contract.PHOTO_ROWS,
        contract.SIDE_PHOTO,
        contract.PULL_QUOTE,
        contract.BODY,
        contract.PHOTO,
        contract.FIGURES,
        contract.FIGURE,
        contract.FIGURE_VALUE,
        contract.BACK_PHOTO,
        contract.BACK_PANEL,
        contract.HEADLINE,
        *contract.HEADLINE_STEPS.values(),
        *contract.FIELD_CLASSES,
    }
    named = set(re.findall(r'"([a-z0-9-]+)"', comment))
    assert classes <= named
    assert f'"{contract.TEXT_FAMILY}"' in comment and f'"{contract.DISPLAY_FAMILY}"' in comment
