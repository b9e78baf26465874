"""No ladders: never three lines in a row of one column ending in a hyphen, in any language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin.compose import Plan
from bulletin.engine.tree import children, is_line, page_boxes
from bulletin.pdf.typeset import Typesetter
from generated_builds import GeneratedBuilds, seed_param

HYPHENS = ("-", "\u2010", "\u00ad")
# Generated issues with ladders before the limit (3 to 16 an edition), in
# two and three columns, with Russian's long words.
SEEDS = (2, 7, 11)


def _text(box: Any) -> str:
    text = getattr(box, "text", None)
    if isinstance(text, str) and not children(box):
        return text
    return "".join(_text(child) for child in children(box))


def _columns(document: Any) -> Iterator[list[str]]:
    """Yield each run of lines down a column of each page, top to bottom, as the engine set them.

    A column is the lines that start at one distance from the page's left; a
    run of them ends where the next line does not follow on (a gap of half a
    line or more: another story's head, a photo or a pull quote between). A
    reader sees a ladder in lines that follow one another, not in the last
    lines of one story's column and the first of the next story's below its
    headline (the sample's English once had two of each in one column of page 2).
    """
    for page in page_boxes(document):
        columns: dict[int, list[Any]] = {}
        for box in page.descendants():
            if is_line(box):
                columns.setdefault(round(box.position_x), []).append(box)
        for lines in columns.values():
            run: list[Any] = []
            for line in sorted(lines, key=lambda line: line.position_y):
                if run and line.position_y - (run[-1].position_y + run[-1].height) > (
                    line.height / 2
                ):
                    yield [_text(each) for each in run]
                    run = []
                run.append(line)
            if run:
                yield [_text(each) for each in run]


def _ladders(document: Any) -> tuple[int, int, list[list[str]]]:
    """Return the lines, those ending in a hyphen, and every run of three or more of those."""
    total = hyphenated = 0
    found: list[list[str]] = []
    for lines in _columns(document):
        run: list[str] = []
        for text in [*lines, ""]:
            if text.rstrip(" ").endswith(HYPHENS) and len(text.strip()) > 1:
                run.append(text)
                continue
            if len(run) >= 3:
                found.append(run)
            run = []
        total += len(lines)
        hyphenated += sum(text.rstrip(" ").endswith(HYPHENS) for text in lines)
    return total, hyphenated, found


def _assert_no_ladders(document: Any) -> None:
    total, hyphenated, ladders = _ladders(document)
    # Words are broken (the check sees hyphens), never three lines in a row.
    assert total > 150 and hyphenated > 10, (total, hyphenated)
    assert ladders == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_sample_has_no_ladders(sample_plans: dict[str, Plan], language: str) -> None:
    _assert_no_ladders(sample_plans[language].laid_out.document)


@pytest.mark.parametrize(
    ("seed", "language"),
    [seed_param(seed, language) for seed in SEEDS for language in ("en", "ru")],
)
def test_generated_issues_have_no_ladders(
    generated_builds: GeneratedBuilds, seed: int, language: str
) -> None:
    _assert_no_ladders(generated_builds.plan(seed, language).laid_out.document)


def test_a_paragraph_keeps_its_lines_across_a_column_break(tmp_path: Path) -> None:
    # The count of hyphenated lines follows a paragraph into the next column:
    # it breaks into the same lines in one column as in three.
    words = " ".join(["intergovernmental telecommunications internationalisation"] * 30)
    page = (
        "<html lang='en'><body style='margin: 0; font: 10pt/13pt \"Noto Serif\"; "
        "hyphens: auto; text-align: left'>"
        "<div style='width: 45mm; columns: {columns}; column-gap: 5mm; "
        "width: {width}mm'><p style='margin: 0'>{words}</p></div></body></html>"
    )
    fonts = Path(__file__).resolve().parents[2] / "fonts"
    typesetter = Typesetter(base_dir=tmp_path, folders=[tmp_path], fonts_dir=fonts, source="test")
    found = []
    for columns, width in ((1, 45), (3, 145)):
        html = page.format(columns=columns, width=width, words=words)
        document = typesetter.render_pdf(html, write=False).document
        lines = [line for column in _columns(document) for line in column]
        found.append(lines)
        _, hyphenated, ladders = _ladders(document)
        assert hyphenated > 10 and ladders == []
    assert found[0] == found[1]
