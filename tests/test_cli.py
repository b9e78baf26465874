"""The ``bulletin`` command: one line per problem, exit 1, and nothing lost on failure."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner, Result

from bulletin.cli import app
from bulletin.preflight import inspect as preflight
from conftest import REPO, litter, published, shorten_issue

MANIFESTS = Path(__file__).parent / "manifest" / "cases"
ISSUE = "issues/2021-05/issue.yaml"
PDF = "out/2021-05/iom-central-asia-bulletin-2021-05.pdf"
PREVIOUS = b"%PDF-1.7 the last good build, to be kept byte for byte\n%%EOF\n"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def _previous_build(project: Path) -> Path:
    pdf = project / PDF
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(PREVIOUS)
    return pdf


def _left_in(folder: Path) -> list[str]:
    # The prepared-photo cache under out/.cache is kept across builds on purpose.
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not path.relative_to(folder).as_posix().startswith(".cache")
    )


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the folder that temporary files go to during the test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _temporary_files(scratch: Path) -> list[str]:
    # The fontconfig setup is kept across builds on purpose (bulletin.pdf.fonts).
    return [name for name in _left_in(scratch) if not name.startswith("bulletin-fontconfig")]


def test_quick_check_of_a_clean_issue(project: Path) -> None:
    result = _run("check", "2021-05", "--quick", "--root", project)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Preflight of issues/2021-05/issue.yaml: 7 stories" in result.stdout
    assert "Preflight of issues/2021-05/issue.ru.yaml: 7 stories" in result.stdout
    assert result.stdout.count("The manifests are valid and every photo can be read.") == 2


def test_check_lists_every_problem_one_per_line(project: Path) -> None:
    shutil.copy(MANIFESTS / "ten_mistakes.yaml", project / ISSUE)
    result = _run("check", "2021-05", "--quick", "--root", project)
    lines = result.stdout.splitlines()
    problems = [line.strip() for line in lines if line.startswith("  issues/")]
    assert result.exit_code == 1
    assert len(problems) == 10
    assert problems[0] == "issues/2021-05/issue.yaml:3:9: error: number: must be at least 1, not 0"
    assert lines[-1] == "10 errors: fix the manifests, then check again."


def test_check_reports_bad_photos(project: Path) -> None:
    (project / "issues/2021-05/photos/istanbul-2021-05-26.jpg").write_bytes(b"")
    result = _run("check", "2021-05", "--root", project)
    assert result.exit_code == 1
    assert (
        "  issues/2021-05/issue.yaml:14:15: error: stories[0].photos[0].file: photo "
        "'photos/istanbul-2021-05-26.jpg' is an empty file: export the photo again"
    ) in result.stdout.splitlines()


@pytest.mark.parametrize("manifest", ["clean", "ten_mistakes.yaml"])
def test_quick_check_never_loads_the_layout_engine(project: Path, manifest: str) -> None:
    if manifest != "clean":
        shutil.copy(MANIFESTS / manifest, project / ISSUE)
    script = (
        "import sys\n"
        "from bulletin.cli import app\n"
        "try:\n"
        f"    app(['check', '2021-05', '--quick', '--root', {str(project)!r}])\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'weasyprint', 'pydyf'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    code = "0" if manifest == "clean" else "1"
    assert done.stdout.splitlines()[-2:] == [f"exit {code}", "[]"]


def test_build_prints_problems_and_writes_nothing(project: Path) -> None:
    shutil.copy(MANIFESTS / "bad" / "misspelt_field.yaml", project / ISSUE)
    # The case has three of the sample's stories: the Russian file has seven.
    (project / "issues/2021-05/issue.ru.yaml").unlink()
    result = _run("build", "2021-05", "--edition", "email", "--root", project)
    assert (result.exit_code, result.stderr) == (
        1,
        "issues/2021-05/issue.yaml:15:9: stories[0].photos[0].credt: unknown field 'credt' — "
        "did you mean 'credit'?\n",
    )
    assert not (project / "out").exists()


def test_a_bug_keeps_its_traceback(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(root: Path, month: str, **options: object) -> None:
        raise RuntimeError("a bug in bulletin")

    monkeypatch.setattr(preflight, "inspect_issue", broken)
    result = _run("check", "2021-05", "--root", project)
    assert isinstance(result.exception, RuntimeError)


def test_schema_writes_both_schemas(tmp_path: Path) -> None:
    result = _run("schema", "--out", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        str(tmp_path / "issue.schema.json"),
        str(tmp_path / "publication.schema.json"),
    ]
    for name in ("issue.schema.json", "publication.schema.json"):
        assert (tmp_path / name).read_bytes() == (REPO / "schema" / name).read_bytes()


# A failed build keeps the last good PDF byte for byte and leaves no temporary file.


def test_failing_at_validation_keeps_the_previous_pdf(project: Path) -> None:
    pdf = _previous_build(project)
    shutil.copy(MANIFESTS / "bad" / "duplicate_key.yaml", project / ISSUE)
    assert _run("build", "2021-05", "--edition", "email", "--root", project).exit_code == 1
    assert pdf.read_bytes() == PREVIOUS
    assert published(project / "out") == ["2021-05", PDF.removeprefix("out/")]
    assert litter(project / "out") == []


def test_failing_at_rendering_keeps_the_previous_pdf(project: Path, scratch: Path) -> None:
    shorten_issue(project)
    pdf = _previous_build(project)
    path = project / ISSUE
    # No bundled font has these characters: the layout engine fails the build
    # (forced past the check that finds them first).
    path.write_text(path.read_text().replace("title: Sixth Senior", "title: 第六次 Sixth Senior"))
    result = _run("build", "2021-05", "--edition", "email", "--force", "--root", project)
    assert result.exit_code == 1
    assert "a character has no glyph in the bundled fonts" in result.stderr
    assert pdf.read_bytes() == PREVIOUS
    assert published(project / "out") == ["2021-05", PDF.removeprefix("out/")]
    assert litter(project / "out") == []
    assert _temporary_files(scratch) == []


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("os.fsync", errno.ENOSPC),  # the disk fills up while writing
        ("tempfile.mkdtemp", errno.EACCES),  # the output folder is not writable
    ],
)
def test_failing_at_writing_keeps_the_previous_pdf(
    project: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch, broken: str, reason: int
) -> None:
    shorten_issue(project)
    # A first build prepares the photos, so that only the PDF is left to write.
    assert _run("build", "2021-05", "--edition", "email", "--root", project).exit_code == 0
    pdf = project / PDF
    pdf.write_bytes(PREVIOUS)
    module, name = broken.split(".")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(reason, os.strerror(reason))

    monkeypatch.setattr(f"bulletin.output.{module}.{name}", fail)
    result = _run("build", "2021-05", "--edition", "email", "--root", project)
    assert (result.exit_code, result.stderr) == (
        1,
        f"{project / PDF}: cannot write the output ({os.strerror(reason)}): check the folder "
        "exists, is writable and has free space, or choose another with --out\n",
    )
    assert pdf.read_bytes() == PREVIOUS
    assert published(project / "out") == ["2021-05", PDF.removeprefix("out/")]
    assert litter(project / "out") == []
    assert _temporary_files(scratch) == []


def test_an_output_folder_that_cannot_be_made_is_reported(project: Path) -> None:
    shorten_issue(project)
    (project / "out").mkdir()
    (project / "out/2021-05").write_text("a file where the month's folder should be")
    result = _run("build", "2021-05", "--edition", "email", "--root", project)
    assert (result.exit_code, result.stderr) == (
        1,
        f"{project / PDF}: cannot write the output (File exists): check the folder exists, is "
        "writable and has free space, or choose another with --out\n",
    )


def test_two_builds_at_once_both_write_a_whole_pdf(project: Path) -> None:
    shorten_issue(project)
    command = [
        Path(sys.executable).parent / "bulletin",
        *("build", "2021-05", "--edition", "email", "--root", project),
    ]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    outcomes = [(run.communicate()[1], run.returncode) for run in runs]
    assert outcomes == [(b"", 0), (b"", 0)]
    with pikepdf.open(project / PDF) as pdf:
        assert len(pdf.pages) == 1  # the one story fits page 1 whole
    assert published(project / "out") == ["2021-05", PDF.removeprefix("out/")]
    assert litter(project / "out") == []


# ---- The checks a build runs -------------------------------------------------------

# The composer sets the 4:3 photo at the top of the first of three columns (56.7 mm).
SMALL_PHOTO = (
    'photo "photos/bishkek-2021-05.jpg" prints at {ppi} ppi: its 40 x 30 px fill a frame of '
    "57 x {height} mm; print needs 447 x 335 px (200 ppi) — use a larger original"
)


def _small_photos(project: Path, size: tuple[int, int] = (40, 30)) -> None:
    from PIL import Image

    Image.new("RGB", size, (120, 90, 60)).save(
        project / "issues/2021-05/photos/bishkek-2021-05.jpg"
    )


def test_build_refuses_a_photo_too_small_for_the_print_edition(project: Path) -> None:
    _small_photos(project)
    result = _run("build", "2021-05", "--edition", "print", "--language", "en", "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "issues/2021-05/issue.yaml:49:15: error: stories[2].photos[0].file: "
        + SMALL_PHOTO.format(ppi=18, height=43),
        "1 error would show in the PDF; nothing was written: fix it, or build anyway with --force.",
    ]
    assert not (project / "out/2021-05").exists()


def test_build_with_force_prints_the_error_and_builds(project: Path) -> None:
    _small_photos(project)
    result = _run(
        "build", "2021-05", "--edition", "print", "--language", "en", "--force", "--root",
        project,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "issues/2021-05/issue.yaml:49:15: error: stories[2].photos[0].file: "
        + SMALL_PHOTO.format(ppi=18, height=43),
    ]
    assert (project / "out/2021-05/iom-central-asia-bulletin-2021-05-print.pdf").is_file()


def test_email_build_warns_of_a_photo_too_small_for_print(project: Path) -> None:
    _small_photos(project)
    result = _run("build", "2021-05", "--edition", "email", "--language", "en", "--root", project)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "issues/2021-05/issue.yaml:49:15: warning: stories[2].photos[0].file: "
        + SMALL_PHOTO.format(ppi=18, height=43)
        + " (an error in the print edition)",
    ]
    assert (project / PDF).is_file()


def test_build_refuses_raw_html_and_points_at_it(project: Path) -> None:
    issue = project / ISSUE
    text = issue.read_text(encoding="utf-8")
    issue.write_text(
        text.replace(
            "    body: |\n      On May 26, 2021",
            '    body: |\n      See <img src="x.jpg"> and <script>alert(1)</script>.\n\n'
            "      On May 26, 2021",
            1,
        ),
        encoding="utf-8",
    )
    result = _run("build", "2021-05", "--edition", "email", "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        'issues/2021-05/issue.yaml:10:11: error: stories[0].body: raw HTML "<img src="x.jpg">" '
        "is not allowed in the text, and would print as it is written: remove it, and add the "
        "photo under 'photos', with its alt text and credit",
        'issues/2021-05/issue.yaml:10:33: error: stories[0].body: raw HTML "<script>" is not '
        "allowed in the text, and would print as it is written: remove it (write Markdown: "
        "*italics*, **bold**, [links](https://…), lists)",
        'issues/2021-05/issue.yaml:10:49: error: stories[0].body: raw HTML "</script>" is not '
        "allowed in the text, and would print as it is written: remove it (write Markdown: "
        "*italics*, **bold**, [links](https://…), lists)",
        "3 errors would show in the PDF; nothing was written: fix them, or build anyway with "
        "--force.",
    ]
    assert not (project / "out/2021-05").exists()


def test_build_refuses_a_photo_of_100_x_75_px_for_print(project: Path) -> None:
    _small_photos(project, (100, 75))
    result = _run("build", "2021-05", "--edition", "print", "--language", "en", "--root", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "issues/2021-05/issue.yaml:49:15: error: stories[2].photos[0].file: photo "
        '"photos/bishkek-2021-05.jpg" prints at 45 ppi: its 100 x 75 px fill a frame of '
        "57 x 43 mm; print needs 447 x 335 px (200 ppi) — use a larger original"
    )
