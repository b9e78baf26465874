"""The partner list: read as Excel and Outlook write it, every mistake told at once."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BulletinError
from bulletin.mail.partners import Partner, PartnerRules, load_partners
from mail.mailtest import PARTNERS, SAMPLE_MONTH, Server, configure_mail, plain_smtp

RULES = PartnerRules(SAMPLE_MONTH, ("en", "ru"), ("donors", "government"), archive_url=True)

MISTAKES_CSV = [
    "mistakes.csv:2: email: 'amina@@example.org' is not a valid email address: the part "
    "after the @-sign contains invalid characters: '@'",
    "mistakes.csv:3: language: the 2021-05 issue has no edition in 'kk': use one of en, ru "
    "(or translate the issue into it first)",
    "mistakes.csv:4: groups: unknown group 'donnors' — did you mean 'donors'?",
    "mistakes.csv:5: email: 'BAKYT@example.org' is listed already, on line 3: a partner gets "
    "one message per issue, so delete one of the two",
    "mistakes.csv:6: delivery: 'pdf' is not a way to deliver: use attachment (the PDF "
    "attached, the default) or link (a link to the issue's page, no attachment)",
    "mistakes.csv:7: name: is empty: write the partner's name, which the message greets",
    "mistakes.csv:8: email: is empty: write the partner's email address",
    "mistakes.csv:9: email: 'farida@example' is not a valid email address: the part after the "
    "@-sign is not valid. It should have a period",
    "mistakes.csv:9: groups: unknown group 'press': the groups are donors, government "
    "(mail.groups)",
]
MISTAKES_YAML = [
    "mistakes.yaml:3:12: partners[0].email: 'amina@@example.org' is not a valid email "
    "address: the part after the @-sign contains invalid characters: '@'",
    "mistakes.yaml:6:15: partners[1].language: the 2021-05 issue has no edition in 'kk': use "
    "one of en, ru (or translate the issue into it first)",
    "mistakes.yaml:9:13: partners[2].groups: unknown group 'donnors' — did you mean 'donors'?",
    "mistakes.yaml:11:12: partners[3].email: 'Bakyt@example.org' is listed already, on line "
    "4: a partner gets one message per issue, so delete one of the two",
    "mistakes.yaml:14:15: partners[4].delivery: 'pdf' is not a way to deliver: use attachment "
    "(the PDF attached, the default) or link (a link to the issue's page, no attachment)",
    "mistakes.yaml:16:5: partners[5].emial: unknown field — did you mean 'email'?",
]


def load(path: Path, rules: PartnerRules = RULES) -> list[Partner]:
    return load_partners(path, path.name, rules)


def problems(path: Path, rules: PartnerRules = RULES) -> list[str]:
    with pytest.raises(BulletinError) as raised:
        load(path, rules)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("name", "expected"), [("mistakes.csv", MISTAKES_CSV), ("mistakes.yaml", MISTAKES_YAML)]
)
def test_every_mistake_is_told_and_nothing_is_sent(
    name: str, expected: list[str], mail_project: Path, smtp_server: Server
) -> None:
    shutil.copy(PARTNERS / name, mail_project / name)
    configure_mail(
        mail_project,
        plain_smtp(smtp_server.port),
        partners=name,
        archive_url="https://bulletin.iom-ca.example.org/",
        groups="[donors, government]",
    )
    result = CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(mail_project)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        *expected,
        f"{len(expected)} problems; nothing was sent.",
    ]
    assert smtp_server.recorder.messages == []
    assert not (mail_project / "out/mail").exists()


def test_a_link_needs_the_archive_address() -> None:
    rules = dataclasses.replace(RULES, archive_url=False)
    assert (
        "mistakes.csv:9: delivery: link needs the archive site's address: set mail.archive_url "
        "in issues/publication.yaml"
    ) in problems(PARTNERS / "mistakes.csv", rules)


def test_an_undeclared_group_says_where_to_declare_it(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text("name,email,groups\nAmina,amina@example.org,donors\n")
    assert problems(path, dataclasses.replace(RULES, groups=())) == [
        "partners.csv:2: groups: unknown group 'donors': declare it under mail.groups in "
        "issues/publication.yaml"
    ]


def test_excel_csv_and_yaml_list_the_same_partners() -> None:
    from_csv = load(PARTNERS / "sample.csv")
    from_yaml = load(PARTNERS / "sample.yaml")
    assert [dataclasses.replace(p, line=0) for p in from_csv] == [
        dataclasses.replace(p, line=0) for p in from_yaml
    ]
    assert from_csv[0] == Partner(
        "Aigerim Bekova",
        "aigerim.bekova@example.org",
        "Ministry of Labour",
        "ru",
        ("government",),
        "attachment",
        2,
    )
    # "RU" is ru; an empty language is the main one; groups split on ";"; the domain is
    # lower-cased by email-validator, the mailbox name kept as written.
    assert [(p.email, p.language, p.groups, p.delivery) for p in from_csv[1:4]] == [
        ("John.Smith@example.org", "en", ("donors",), "link"),
        ("olga.ivanova@example.org", "ru", ("donors", "government"), "attachment"),
        ("dilnoza@example.net", "en", (), "attachment"),
    ]
    assert [p.line for p in from_yaml] == [3, 8, 14, 18, 22, 27]


def test_an_outlook_export_is_read_by_its_own_column_names() -> None:
    partners = load(PARTNERS / "outlook.csv")
    assert [(p.name, p.email, p.organisation, p.language, p.groups) for p in partners] == [
        (
            "Aigerim Bekova",
            "aigerim.bekova@example.org",
            "Ministry of Labour",
            "ru",
            ("government",),
        ),
        ("John Smith", "john.smith@example.org", "Donor Agency", "en", ("donors", "government")),
    ]


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        ("Name,Email,Language\r\n", ","),
        ("\ufeffNAME;E-MAIL;language\r\n", ";"),
        ("name\temail\tlanguage\n", "\t"),
    ],
)
def test_delimiter_bom_and_heading_case(tmp_path: Path, data: str, delimiter: str) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(
        data + delimiter.join(["Timur Aliev", "timur@example.com", "ru"]) + "\n", encoding="utf-8"
    )
    [partner] = load(path)
    assert (partner.name, partner.email, partner.language) == (
        "Timur Aliev",
        "timur@example.com",
        "ru",
    )


def test_excel_unicode_text_is_utf16(tmp_path: Path) -> None:
    path = tmp_path / "partners.txt"
    path.write_bytes("name\temail\nТимур Алиев\ttimur@example.com\n".encode("utf-16"))
    [partner] = load(path)
    assert partner.name == "Тимур Алиев"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "Name;Organisation\nAmina;IOM\n",
            [
                "partners.csv:1: there is no 'email' column (the columns are Name, "
                "Organisation): line 1 names the columns: name, email, organisation, language, "
                "groups, delivery"
            ],
        ),
        (
            "name,email,langauge\nAmina,amina@example.org,ru\n",
            ["partners.csv:1: column 'langauge' — did you mean 'language'?"],
        ),
        (
            "name,email\nSmith, John,john@example.org\n",
            [
                "partners.csv:2: this line has 3 values but line 1 names 2 columns: a value "
                "holding ',' must be in double quotes"
            ],
        ),
        ("name,email\n\n", ["partners.csv: the partner list has no partners in it"]),
        ("", ["partners.csv: the file is empty: write the column names on line 1"]),
    ],
)
def test_a_broken_list_says_what_to_do(tmp_path: Path, data: str, expected: list[str]) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(data)
    assert problems(path) == expected


def test_a_list_not_in_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes("name,email\nJosé,jose@example.org\n".encode("cp1252"))
    assert problems(path) == [
        "partners.csv:2: the file is not UTF-8 text: in Excel, save it as 'CSV UTF-8 (Comma "
        "delimited)'; from Outlook, export it, open it in Excel and save it so"
    ]


def test_a_missing_list_says_how_to_make_one(tmp_path: Path) -> None:
    assert problems(tmp_path / "partners.csv") == [
        "partners.csv: there is no partner list here: create it (a CSV with the columns name, "
        "email, organisation, language, groups, delivery), or set mail.partners in "
        "issues/publication.yaml"
    ]


def test_yaml_words_stay_words(tmp_path: Path) -> None:
    # YAML 1.1 reads "no" (Norwegian) as false and "on" as true: here they stay text.
    path = tmp_path / "partners.yaml"
    path.write_text("partners:\n  - name: On\n    email: on@example.org\n    language: no\n")
    rules = dataclasses.replace(RULES, languages=("en", "no"))
    [partner] = load(path, rules)
    assert (partner.name, partner.language) == ("On", "no")
