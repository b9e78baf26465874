"""The manifest models on their own: plain data, validated without touching files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from bulletin.model.issue import Issue, PartialDate, Photo, Story

NOT_A_DATE = (
    "'{value}' is not a date: write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes for a "
    'month ("2021-05"), or YYYY for a year (2021)'
)


def _photo(**changes: Any) -> dict[str, Any]:
    photo = {
        "file": "photos/istanbul-2021-05-26.jpg",
        "alt": "Delegates around a conference table",
        "credit": {"by": "IOM", "place": "Istanbul", "date": "2021-05-26"},
    }
    return photo | changes


def _story(story_id: str, **changes: Any) -> dict[str, Any]:
    story = {
        "id": story_id,
        "kicker": "Regional cooperation",
        "title": "A meeting in Istanbul",
        "body": "The meeting brought together 35 delegates.",
        "photos": [_photo()],
    }
    return story | changes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2021-05-26", (2021, 5, 26), id="day"),
        pytest.param("2021-05", (2021, 5, None), id="month"),
        pytest.param(" 2021-05 ", (2021, 5, None), id="month-with-spaces"),
        pytest.param("2021", (2021, None, None), id="year"),
        pytest.param(2021, (2021, None, None), id="year-unquoted"),
        pytest.param(dt.date(2021, 5, 26), (2021, 5, 26), id="date-object"),
        pytest.param(dt.datetime(2021, 5, 26, 14, 30), (2021, 5, 26), id="datetime-object"),
    ],
)
def test_partial_date_keeps_the_precision_it_is_given(
    value: object, expected: tuple[int, int, int | None]
) -> None:
    date = PartialDate.model_validate(value)

    assert (date.year, date.month, date.day) == expected


@pytest.mark.parametrize(
    ("value", "first_day"),
    [
        pytest.param("2021-05-26", dt.date(2021, 5, 26), id="day"),
        pytest.param("2021-05", dt.date(2021, 5, 1), id="month"),
        pytest.param("2021", dt.date(2021, 1, 1), id="year"),
    ],
)
def test_partial_date_first_day(value: str, first_day: dt.date) -> None:
    assert PartialDate.model_validate(value).first_day == first_day


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2021-02-30", id="day-that-does-not-exist"),
        pytest.param("2021-13", id="month-13"),
        pytest.param("2021-00", id="month-0"),
        pytest.param("2021-5", id="month-without-zero"),
        pytest.param("26.05.2021", id="day-first"),
        pytest.param("May 2021", id="words"),
        pytest.param(20210526, id="number"),
        pytest.param("21", id="two-digit-year"),
        pytest.param(True, id="boolean"),
    ],
)
def test_partial_date_refuses_other_forms(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        PartialDate.model_validate(value)

    assert [(e["type"], e["msg"]) for e in caught.value.errors()] == [
        ("date_format", NOT_A_DATE.format(value=value))
    ]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"year": 2021, "month": 13}, id="month-13"),
        pytest.param({"year": 2021, "month": 2, "day": 30}, id="february-30"),
    ],
)
def test_partial_date_as_fields_is_checked_like_text(value: dict[str, int]) -> None:
    # YAML lets a user write the date as fields (date: {year: 2021, month: 13});
    # an impossible date must be refused here, not crash the layout later.
    with pytest.raises(ValidationError):
        PartialDate.model_validate(value)


def test_photo_is_plain_data_without_a_folder_to_check_against() -> None:
    # No validation context, no file system: the file need not exist.
    photo = Photo.model_validate(_photo(file="photos/not-here.jpg"))

    assert photo.file == "photos/not-here.jpg"


def test_issue_month_written_as_a_date_becomes_year_and_month() -> None:
    issue = Issue.model_validate({"month": dt.date(2021, 5, 1), "stories": [_story("a")]})

    assert (issue.month, issue.date) == ("2021-05", dt.date(2021, 5, 1))


def test_issue_refuses_a_story_id_used_twice() -> None:
    with pytest.raises(ValidationError) as caught:
        Issue.model_validate({"month": "2021-05", "stories": [_story("a"), _story("a")]})

    assert [(e["type"], e["loc"], e["msg"]) for e in caught.value.errors()] == [
        ("duplicate_id", ("stories",), "story id 'a' is used twice: give each story its own id")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "Read [the report](ftp://example.org/report.pdf).",
            "link 'ftp://example.org/report.pdf' is not allowed: "
            "use an https://, http:// or mailto: address",
            id="ftp-link",
        ),
        pytest.param(
            "See [below](#contacts).",
            "link '#contacts' is not allowed: use an https://, http:// or mailto: address",
            id="anchor-link",
        ),
    ],
)
def test_story_body_refuses_links_a_reader_cannot_follow(body: str, expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Story.model_validate(_story("a", body=body))

    assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [(("body",), expected)]


def test_models_are_frozen() -> None:
    story = Story.model_validate(_story("a"))

    with pytest.raises(ValidationError, match="frozen"):
        story.title = "Another title"  # type: ignore[misc]
