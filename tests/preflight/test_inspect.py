"""Preflight: each check fires on its case manifest and stays silent on the sample."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.preflight.formatting import format_report
from bulletin.preflight.inspect import inspect_issue
from bulletin.preflight.report import Report
from bulletin.preflight.source import ManifestText
from conftest import REPO, SAMPLE, SAMPLE_FACTS, SAMPLE_MONTH

CASES = REPO / "tests" / "preflight" / "cases"
ISSUE = f"issues/{SAMPLE_MONTH}/issue.yaml"


def _use_case(project: Path, case: str) -> Path:
    """Make ``case`` the project's issue of the sample month; return the project."""
    shutil.copy(CASES / f"{case}.yaml", project / "issues" / SAMPLE_MONTH / "issue.yaml")
    return project


# ---- The sample ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_report() -> Report:
    return inspect_issue(SAMPLE, SAMPLE_MONTH)


def test_sample_passes_without_errors_or_warnings(sample_report: Report) -> None:
    assert sample_report.findings == ()
    assert sample_report.passed(strict=True)
    assert format_report(sample_report) == (
        f"Preflight of {ISSUE}: {SAMPLE_FACTS.pages['en']} pages (budget "
        f"{SAMPLE_FACTS.page_budget}), "
        f"{len(SAMPLE_FACTS.stories)} stories\n"
        "\n"
        "No problems found: every character has a glyph, the issue keeps to its page "
        "budget, nothing runs out of its column, every photo prints at 200 ppi or more, "
        "no page leaves a hole, and the text and links look clean."
    )
    assert format_report(sample_report, as_json=True) == "[]"


# ---- Checks that read the manifests: glyphs, text, links ---------------------------

MANIFEST_CASES = {
    "missing_glyph": [
        f"{ISSUE}:8:41: error: stories[0].body: no glyph for "
        '"中" (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) in Noto Serif, the font of this text: '
        "it would print as an empty box — replace it or remove it",
        f"{ISSUE}:8:42: error: stories[0].body: no glyph for "
        '"国" (U+56FD CJK UNIFIED IDEOGRAPH-56FD) in Noto Serif, the font of this text: '
        "it would print as an empty box — replace it or remove it",
    ],
    "text_hygiene": [
        f"{ISSUE}:10:47: warning: stories[0].body: doubled space — write one",
        f'{ISSUE}:10:79: warning: stories[0].body: doubled punctuation ".." — write one "."',
        f'{ISSUE}:11:25: warning: stories[0].body: "fam ily" looks like one word split by a '
        'stray space ("family" appears elsewhere in the issue) — write "family"',
        f'{ISSUE}:11:46: warning: stories[0].body: space before "," — remove it',
        f'{ISSUE}:12:40: warning: stories[0].body: unbalanced bracket: "(" is never closed — '
        'close it with ")" or remove it',
        f'{ISSUE}:19:19: warning: stories[0].photos[0].caption: unbalanced quote: "“" is never '
        'closed — close it with "”" or remove it',
    ],
    # The build sets straight quotes, dashes and ellipses: only a quote it
    # cannot close is told, as it would print. Uzbek letters are letters.
    "quotes": [
        f'{ISSUE}:10:11: warning: stories[0].body: unbalanced quote: "“" is never closed — '
        'close it with "”" or remove it',
    ],
    # A title is printed as text; a body's tag would be printed as it is written.
    "raw_html": [
        f'{ISSUE}:9:19: error: stories[0].body: raw HTML "<b>" is not allowed in the text, '
        "and would print as it is written: remove it, and write **bold** instead",
        f'{ISSUE}:9:28: error: stories[0].body: raw HTML "</b>" is not allowed in the text, '
        "and would print as it is written: remove it, and write **bold** instead",
        f'{ISSUE}:10:7: error: stories[0].body: raw HTML "<img src="hotline.jpg" '
        'onerror="alert(1)">" is not allowed in the text, and would print as it is written: '
        "remove it, and add the photo under 'photos', with its alt text and credit",
    ],
    "links": [
        f'{ISSUE}:8:33: warning: stories[0].body: link "http://www.iom.int/hotline" is not '
        "https — write https://www.iom.int/hotline if the site has it",
        f'{ISSUE}:9:7: error: stories[0].body: link "https:/www.iom.int/summary" has no '
        "domain: a web address starts with https:// and a domain, like https://www.iom.int/",
        f'{ISSUE}:9:64: error: stories[0].body: email address "iom..astana@iom.int" is not '
        "well-formed: it has two dots in a row",
    ],
}


@pytest.mark.parametrize("case", MANIFEST_CASES)
def test_manifest_check_reports_exactly_its_case(project: Path, case: str) -> None:
    report = inspect_issue(_use_case(project, case), SAMPLE_MONTH, depth="manifests")
    assert [str(finding) for finding in report.findings] == MANIFEST_CASES[case]
    lines = format_report(report).splitlines()
    assert [line for line in lines if line.startswith("  ")] == [
        f"  {line}" for line in MANIFEST_CASES[case]
    ]


def test_report_groups_findings_under_their_story(project: Path) -> None:
    report = inspect_issue(_use_case(project, "links"), SAMPLE_MONTH, depth="manifests")
    assert format_report(report).splitlines()[:3] == [
        f"Preflight of {ISSUE}: 1 story",
        "",
        "Story 1: “A hotline for migrants” (migrant-hotline, line 4)",
    ]
    assert format_report(report).splitlines()[-2:] == [
        "2 errors, 1 warning: not ready for print. Each error would show in print: fix it first.",
        "Each line gives the file, line and column to edit.",
    ]


def test_warnings_fail_only_when_strict(project: Path) -> None:
    report = inspect_issue(_use_case(project, "text_hygiene"), SAMPLE_MONTH, depth="manifests")
    assert (report.errors, report.warnings) == (0, 6)
    assert report.passed()
    assert not report.passed(strict=True)


# ---- Checks that lay the issue out: pages, overflow, photos, drawn glyphs -------------

LAYOUT_CASE = [
    "issues/publication.yaml:11:14: error: page_budget: the issue takes 2 pages but the "
    'budget is 1: "Improving victim identification in Kazakhstan" and the contacts run onto '
    "page 2 — shorten stories, or raise page_budget",
    f"{ISSUE}:11:78: error: stories[0].body: on page 1, "
    '"https://www.iom.int/aaaaaaaaaaaaaaaaaaa…" runs 436 mm past the right edge of its '
    "column — put the address behind link text: [text](https://…)",
    f'{ISSUE}:13:15: error: stories[0].photos[0].file: photo "photos/small.jpg" prints at '
    "85 ppi: its 600 x 400 px fill a frame of 180 x 92 mm; print needs 1418 x 945 px "
    "(200 ppi) — use a larger original",
    f"{ISSUE}:23:29: error: stories[1].body: the layout engine found no glyph for "
    '"中" (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) and drew an empty box — replace the '
    "character or remove it",
]


@pytest.fixture(scope="module")
def layout_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Preflight the layout case once: the budget cut to 1 page, two photos too small."""
    project = tmp_path_factory.mktemp("layout") / "project"
    for name in ("issues", "layouts", "fonts"):
        shutil.copytree(SAMPLE / name, project / name)
    _use_case(project, "layout")
    photos = project / "issues" / SAMPLE_MONTH / "photos"
    Image.new("RGB", (600, 400), (90, 120, 160)).save(photos / "small.jpg")
    Image.new("RGB", (1200, 800), (90, 120, 160)).save(photos / "medium.jpg")
    publication = project / "issues" / "publication.yaml"
    text = publication.read_text()
    assert "page_budget: 8" in text
    publication.write_text(text.replace("page_budget: 8", "page_budget: 1"))
    return inspect_issue(project, SAMPLE_MONTH)


@pytest.mark.parametrize("line", LAYOUT_CASE, ids=lambda line: line.split(": ")[2][:30])
def test_layout_check_fires(layout_report: Report, line: str) -> None:
    assert f"  {line}" in format_report(layout_report).splitlines()


def test_layout_case_reports_nothing_else(layout_report: Report) -> None:
    assert [str(finding) for finding in layout_report.findings] == LAYOUT_CASE
    assert layout_report.pages == 2


def test_json_lists_every_finding_with_its_position(layout_report: Report) -> None:
    findings = json.loads(format_report(layout_report, as_json=True))
    assert [(f["check"], f["story"], f["severity"]) for f in findings] == [
        ("pages", None, "error"),
        ("overflow", "long-address", "error"),
        ("photos", "long-address", "error"),
        ("glyphs", "entity-glyph", "error"),
    ]
    assert findings[1] == {
        "severity": "error",
        "check": "overflow",
        "story": "long-address",
        "file": ISSUE,
        "line": 11,
        "column": 78,
        "where": "stories[0].body",
        "message": LAYOUT_CASE[1].split("stories[0].body: ")[1],
    }


# ---- The command -----------------------------------------------------------------


def test_check_command_exits_1_on_warnings_when_strict(project: Path) -> None:
    _use_case(project, "text_hygiene")
    result = CliRunner().invoke(app, ["check", SAMPLE_MONTH, "--root", str(project), "--strict"])
    assert result.exit_code == 1
    assert f"  {MANIFEST_CASES['text_hygiene'][4]}" in result.output.splitlines()


def test_quick_check_reports_validation_errors_as_json(project: Path) -> None:
    manifest = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    manifest.write_text(manifest.read_text().replace('month: "2021-05"', 'month: "2021-06"'))
    result = CliRunner().invoke(
        app, ["check", SAMPLE_MONTH, "--root", str(project), "--quick", "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "severity": "error",
            "check": "validation",
            "story": None,
            "file": ISSUE,
            "line": 3,
            "column": 8,
            "where": "month",
            "message": "says 2021-06 but the folder is 2021-05: make them the same",
        }
    ]


def test_quick_check_validates_without_loading_the_layout_engine() -> None:
    code = (
        "import sys\n"
        "from bulletin.cli import app\n"
        "try:\n"
        "    app(['check', sys.argv[1], '--quick', '--root', sys.argv[2]])\n"
        "except SystemExit as stop:\n"
        "    print(stop.code, 'weasyprint' in sys.modules, 'fontTools' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, SAMPLE_MONTH, str(SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = [
        "The manifests are valid and every photo can be read.",
        "This was validation only: run without --quick to lay the issue out and preflight it.",
    ]
    assert result.stdout.splitlines() == [
        f"Preflight of {ISSUE}: 7 stories",
        "",
        *report,
        "",
        f"Preflight of issues/{SAMPLE_MONTH}/issue.ru.yaml: 7 stories",
        "",
        *report,
        "0 False False",
    ]


# ---- Pointing into YAML values ---------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "text: plain words\n  folded onto a second line, and  a third\n",
        "text: 'single quoted, it''s folded\n  here'\n",
        'text: "double \\"quoted\\" caf\\u00e9,\n  folded"\n',
        "text: |\n  literal line one\n    indented more (two)\n\n  after a blank line\n",
        "text: >\n  folded block\n  on two lines\n\n  and a paragraph\n",
        "text: |\r\n  windows line\r\n  endings here\r\n",
    ],
    ids=["plain", "single", "double", "literal", "folded", "crlf"],
)
def test_every_character_of_a_value_maps_to_itself_in_the_file(tmp_path: Path, source: str) -> None:
    path = tmp_path / "issue.yaml"
    path.write_bytes(source.encode())
    manifest = ManifestText(path)
    value = yaml.safe_load(source)["text"]
    lines = path.read_text().split("\n")
    for offset, char in enumerate(value):
        line, column = manifest.position(("text",), offset) or (0, 0)
        found = lines[line - 1][column - 1] if column <= len(lines[line - 1]) else "\n"
        if char in " \n" and found in "\r\n":
            continue  # a folded line break
        if char == '"' or char == "é":
            assert found == "\\"  # an escape points at its backslash
        else:
            assert found == char, (offset, char, line, column)


# ---- Language editions -------------------------------------------------------------


def test_sample_russian_edition_passes(sample_root: Path) -> None:
    report = inspect_issue(sample_root, SAMPLE_MONTH, depth="manifests", language="ru")
    assert report.manifest == f"issues/{SAMPLE_MONTH}/issue.ru.yaml"
    assert report.findings == ()


def test_language_edition_is_checked_where_its_text_is_written(project: Path) -> None:
    path = project / "issues" / SAMPLE_MONTH / "issue.ru.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "в Стамбуле (Турецкая Республика)", "в Стамбуле中 (Турецкая Республика)..", 1
    )
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Стамбуле中" in row)
    column = text.splitlines()[line - 1].index("中") + 1
    report = inspect_issue(project, SAMPLE_MONTH, depth="manifests", language="ru")
    lines = [str(finding) for finding in report.findings]
    ru = f"issues/{SAMPLE_MONTH}/issue.ru.yaml"
    assert lines[0].startswith(
        f"{ru}:{line}:{column}: error: stories[0].body: no glyph for "
        '"中" (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) in Noto Serif'
    )
    assert any(
        entry.startswith(f"{ru}:{line}:") and "doubled punctuation" in entry for entry in lines
    ), lines
    # The English edition is untouched by the Russian file's mistakes.
    assert inspect_issue(project, SAMPLE_MONTH, depth="manifests").findings == ()


@pytest.mark.parametrize(
    ("title", "findings"),
    [
        # Straight quotes the build sets as « » and „ “: nothing to tell.
        ("'Проект \"Мост\" в Стамбуле'", []),
        ("«Проект „Мост“ в Стамбуле»", []),
        # One left open is told as the mark the build would print.
        (
            "'Проект \"Мост в Стамбуле'",
            [
                "issues/2021-05/issue.ru.yaml:6:20: warning: stories[0].title: unbalanced "
                'quote: "«" is never closed — close it with "»" or remove it'
            ],
        ),
    ],
)
def test_russian_quotes_are_checked_as_printed(
    project: Path, title: str, findings: list[str]
) -> None:
    path = project / "issues" / SAMPLE_MONTH / "issue.ru.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Шестое совещание старших должностных лиц Алматинского процесса в Стамбуле",
        f"title: {title}",
    )
    path.write_text(text, encoding="utf-8")
    report = inspect_issue(project, SAMPLE_MONTH, depth="manifests", language="ru")
    assert [str(finding) for finding in report.findings] == findings
