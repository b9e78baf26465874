"""``bulletin translate``: every text in its place, the source beside it, no translation lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bulletin.authoring.translate import digest
from bulletin.cli import app
from bulletin.manifest.load import load_issue, read_translation

RU = "issues/2021-05/issue.ru.yaml"
PUBLISHED = (
    "Note: 2021-05 is published: a change to its manifests changes its archive PDF at least, "
    "which bulletin archive replaces only with --republish."
)


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_sample_translation_is_kept_word_for_word(project: Path) -> None:
    before = load_issue(project, "2021-05", language="ru").issue
    result = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"Updated {RU}: 44 texts, all translated.\n{PUBLISHED}\n"
    assert load_issue(project, "2021-05", language="ru").issue == before
    text = (project / RU).read_text(encoding="utf-8")
    assert text.startswith(
        "# Russian edition of the May 2021 sample issue\n"
        "language: ru\n"
        "stories:\n"
        "  almaty-process:\n"
        f"    # en {digest('Regional cooperation')}: Regional cooperation\n"
        "    kicker: Региональное сотрудничество\n"
    )
    assert (
        "    photos:\n"
        f"      - # en {digest('IOM staff helping members of the returning family load their belongings into a minibus')}: "  # noqa: E501
        "IOM staff helping members of the returning family load their belongings into a minibus\n"
        "        alt: Сотрудники МОМ помогают членам возвращающейся семьи погрузить вещи в "
        "микроавтобус\n"
        "        credit:\n"
        f"          # en {digest('IOM')}: IOM\n"
        "          by: МОМ\n"
    ) in text
    again = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert again.stdout == f"{RU} is up to date (nothing written): 44 texts, all translated.\n"
    assert (project / RU).read_text(encoding="utf-8") == text


def test_edits_to_the_source_are_reported(project: Path) -> None:
    source = project / "issues" / "2021-05" / "issue.yaml"
    assert _run("translate", "2021-05", "--language", "ru", "--root", project).exit_code == 0
    _edit(
        source,
        "    title: Sixth Senior Officials Meeting of the Almaty Process in Istanbul\n",
        "    title: The Sixth Senior Officials Meeting of the Almaty Process, in Istanbul\n",
    )
    _edit(
        source,
        "    title: The Sixth Senior Officials Meeting of the Almaty Process, in Istanbul\n",
        "    title: The Sixth Senior Officials Meeting of the Almaty Process, in Istanbul\n"
        "    standfirst: Home at last.\n",
    )
    result = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"Updated {RU}: 45 texts: 44 translated, 1 not translated yet, 1 changed in the source "
        "since translated.",
        f"  {RU}:9:5: stories.almaty-process.title: the source changed since it was translated: "
        "update it, then delete the CHANGED line above it",
        f"  {RU}:11:5: stories.almaty-process.standfirst: not translated yet: write it below the "
        "source text",
        PUBLISHED,
    ]
    text = (project / RU).read_text(encoding="utf-8")
    new_title = "The Sixth Senior Officials Meeting of the Almaty Process, in Istanbul"
    assert text.splitlines()[6:9] == [
        "    # CHANGED in en since translated: update the text below, then delete this line",
        f"    # en {digest(new_title)}: {new_title}",
        "    title: Шестое совещание старших должностных лиц Алматинского процесса в Стамбуле",
    ]
    assert text.splitlines()[9:11] == [
        f"    # en {digest('Home at last.')}: Home at last.",
        "    standfirst:",
    ]
    # The file is a translation as any other: the loader names the gap, not the comments.
    assert read_translation(project, project / RU).stories["almaty-process"].title == (
        "Шестое совещание старших должностных лиц Алматинского процесса в Стамбуле"
    )
    check = _run("translate", "2021-05", "--language", "ru", "--root", project, "--check")
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == (
        f"{RU}: 45 texts: 44 translated, 1 not translated yet, 1 changed in the source since "
        "translated."
    )
    # Still changed until the translator says otherwise, however often it runs.
    assert _run("translate", "2021-05", "--language", "ru", "--root", project).stdout.startswith(
        f"{RU} is up to date (nothing written): 45 texts: 44 translated, 1 not translated yet, "
        "1 changed"
    )
    # The translator updates the title, deletes the CHANGED line, translates the standfirst.
    ru = project / RU
    _edit(
        ru,
        "    # CHANGED in en since translated: update the text below, then delete this line\n",
        "",
    )
    _edit(ru, "    standfirst:\n", "    standfirst: Наконец дома.\n")
    done = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert done.stdout == f"{RU} is up to date (nothing written): 45 texts, all translated.\n"
    assert load_issue(project, "2021-05", language="ru").issue.stories[0].standfirst == (  # type: ignore[union-attr]
        "Наконец дома."
    )


def test_a_new_story_and_a_removed_one(project: Path, tmp_path: Path) -> None:
    source = project / "issues" / "2021-05" / "issue.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("  - id: almaty-process\n")
    end = text.index("  - id: family-return-karakalpakstan\n")
    renamed = text[start:end].replace("id: almaty-process", "id: almaty-process-2021")
    source.write_text(text[:start] + renamed + text[end:], encoding="utf-8")
    result = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Updated {RU}: 44 texts: 38 translated, 6 not translated yet."
    assert lines[1] == (
        f"  {RU}:6:5: stories.almaty-process-2021.kicker: not translated yet: write it below the "
        "source text"
    )
    assert lines[-2:] == [
        "Note: story 'almaty-process' is no longer in issue.yaml: its translation is kept as "
        "comments at the end of the file.",
        PUBLISHED,
    ]
    written = (project / RU).read_text(encoding="utf-8")
    tail = written[written.index("# Texts the source no longer has") :].splitlines()
    assert tail[:5] == [
        "# Texts the source no longer has, kept in case a story or photo was only renamed or",
        "# moved: copy what is still wanted to its place above (without the '# '), or delete these",
        "# lines.",
        "#   almaty-process:",
        "#     kicker: Региональное сотрудничество",
    ]
    assert read_translation(project, project / RU).language == "ru"
    # A second run keeps them, and a photo taken out of a story joins them.
    source = project / "issues" / "2021-05" / "issue.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("    photos:\n", text.index("  - id: family-return-karakalpakstan\n"))
    end = text.index("    layout:\n", start)
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    again = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert again.stdout.splitlines()[-2] == (
        "Note: stories.family-return-karakalpakstan.photos[0] is no longer in issue.yaml: its "
        "translation is kept as comments at the end of the file."
    )
    rewritten = (project / RU).read_text(encoding="utf-8")
    assert rewritten.endswith(
        "\n".join(tail) + "\n#   stories.family-return-karakalpakstan.photos[0]:\n"
        "#     alt: Сотрудники МОМ помогают членам возвращающейся семьи погрузить вещи в "
        "микроавтобус\n"
        "#     credit:\n"
        "#       by: МОМ\n"
        "#       place: Казахстан\n"
    )


def test_a_translation_started_by_new(may_latest: Path, tmp_path: Path) -> None:
    from docxfiles import story_document

    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    _run("import", "2021-06", story_document(tmp_path / "story.docx"), "--root", may_latest)
    result = _run("translate", "2021-06", "--language", "ru", "--root", may_latest)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Updated issues/2021-06/issue.ru.yaml: 6 texts: 0 translated, 6 not translated yet."
    )
    text = (may_latest / "issues" / "2021-06" / "issue.ru.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:7] == [
        "# Russian text of issues/2021-06/issue.yaml. Write every story's",
        "# text to translate into this file, with the main language's beside it, with",
        "#   bulletin translate 2021-06 --language ru",
        "language: ru",
        "stories:",
        "  mobile-clinics-reach-1240-migrants-in:",
        f"    # en {digest('Migration health')}: Migration health",
    ]
    assert (
        read_translation(may_latest, may_latest / "issues/2021-06/issue.ru.yaml")
        .stories["mobile-clinics-reach-1240-migrants-in"]
        .kicker
        is None
    )


def test_a_language_without_a_file_yet(project: Path) -> None:
    result = _run("translate", "2021-05", "--language", "kk", "--root", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Wrote issues/2021-05/issue.kk.yaml: 42 texts: 0 translated, 42 not translated yet."
    )
    text = (project / "issues" / "2021-05" / "issue.kk.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:4] == [
        '# Kazakh text of issues/2021-05/issue.yaml. Each "# en …:" line shows the English text;',
        "# write the translation in the field below it. Run",
        "#   bulletin translate 2021-05 --language kk",
        "# again after the English changes: it keeps what is translated and marks what changed.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["2021-5", "--language", "ru"],
            "bulletin: '2021-5' is not a month: write it as YYYY-MM, like 2021-05",
        ),
        (
            ["2021-05", "--language", "Russian"],
            "bulletin: --language Russian: write a language code such as ru, kk, ky, tg, uz or tk",
        ),
        (
            ["2021-05", "--language", "en"],
            "bulletin: --language en: en is the publication's own language (issue.yaml); give the "
            "language to translate into",
        ),
        (
            ["2021-09", "--language", "ru"],
            "issues/2021-09/issue.yaml: there is no issue for 2021-09 yet: start it with bulletin "
            "new 2021-09",
        ),
    ],
)
def test_bad_arguments(project: Path, args: list[str], message: str) -> None:
    before = (project / RU).read_bytes()
    result = _run("translate", *args, "--root", project)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert (project / RU).read_bytes() == before


def test_a_broken_translation_is_not_rewritten(project: Path) -> None:
    ru = project / RU
    _edit(
        ru,
        "    kicker: Региональное сотрудничество\n",
        "    kicker: Региональное сотрудничество\n    kicker: Региональное\n",
    )
    before = ru.read_bytes()
    result = _run("translate", "2021-05", "--language", "ru", "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"{RU}:6:5: stories.almaty-process.kicker: 'kicker' appears twice here; only one would "
        "be kept and the other silently lost: merge them or delete one\n"
    )
    assert ru.read_bytes() == before


def test_a_month_without_text_yet(may_latest: Path) -> None:
    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    ru = may_latest / "issues" / "2021-06" / "issue.ru.yaml"
    skeleton = ru.read_bytes()
    result = _run("translate", "2021-06", "--language", "ru", "--root", may_latest)
    assert result.stdout == (
        "issues/2021-06/issue.ru.yaml is up to date (nothing written): issue.yaml has no text "
        "to translate yet.\n"
    )
    assert ru.read_bytes() == skeleton  # new writes what translate would
    source = may_latest / "issues" / "2021-06" / "issue.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "  - id: just-an-id\n", encoding="utf-8")
    for _ in range(2):
        again = _run("translate", "2021-06", "--language", "ru", "--root", may_latest)
        assert again.exit_code == 0, again.output
    assert ru.read_text(encoding="utf-8").endswith("stories:\n  just-an-id: {}\n")


def test_a_photo_with_nothing_to_translate_keeps_its_place(
    may_latest: Path, tmp_path: Path
) -> None:
    import docx
    from docxfiles import add_photo, photo_bytes

    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    document = docx.Document()
    document.add_heading("Two photos", level=1)
    add_photo(document, photo_bytes((900, 600), (10, 10, 10)), "")
    add_photo(document, photo_bytes((900, 600), (90, 90, 90)), "The second photo")
    document.save(tmp_path / "two.docx")
    _run("import", "2021-06", tmp_path / "two.docx", "--root", may_latest)
    result = _run("translate", "2021-06", "--language", "ru", "--root", may_latest)
    assert result.exit_code == 0, result.output
    ru = may_latest / "issues" / "2021-06" / "issue.ru.yaml"
    assert ru.read_text(encoding="utf-8").endswith(
        "    photos:\n"
        "      - {}\n"
        f"      - # en {digest('The second photo')}: The second photo\n"
        "        alt:\n"
    )
    assert len(read_translation(may_latest, ru).stories["two-photos"].photos or []) == 2
