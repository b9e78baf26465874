"""Typography of the printed text: quotes, dashes, ellipses and no-break spaces by language."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bulletin.build import build_issue
from bulletin.html.typography import curl_quotes, typeset_html, typeset_text

NB = "\u00a0"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Quotes and apostrophes, English.
        ('He said "it works"', "en", "He said “it works”"),
        ("the year's end", "en", "the year’s end"),
        ("the migrants' rights", "en", "the migrants’ rights"),
        ("'satisfied' or 'very satisfied'", "en", "‘satisfied’ or ‘very satisfied’"),
        ("the '90s", "en", "the ’90s"),
        ("\"A 'quote' inside\"", "en", "“A ‘quote’ inside”"),
        ('("bracketed")', "en", "(“bracketed”)"),
        # Russian: guillemets outside, „ “ inside, an em dash after a no-break space.
        ('Он сказал "привет"', "ru", "Он сказал «привет»"),
        ('"Проект "Мост" начат"', "ru", "«Проект „Мост“ начат»"),
        ("Миграция -- это движение", "ru", f"Миграция{NB}— это движение"),
        ("Миграция - это движение", "ru", f"Миграция{NB}— это движение"),
        ("встреча в Москве", "ru", f"встреча в{NB}Москве"),
        # Other languages of the region and beyond.
        ('"Жоба" басталды', "kk", "«Жоба» басталды"),
        ('"Лоиҳа" оғоз шуд', "tg", "«Лоиҳа» оғоз шуд"),
        ('"Proje" başladı', "tr", "“Proje” başladı"),
        ('Er sagte "Hallo"', "de", "Er sagte „Hallo“"),
        ('Il a dit "bonjour"', "fr", "Il a dit «bonjour»"),
        ('Il a dit " bonjour "', "fr", f"Il a dit «{NB}bonjour{NB}»"),
        ('"Loyiha" boshlandi', "uz", "“Loyiha” boshlandi"),
        # Uzbek letters are letters: left alone, or made the letter in Uzbek text.
        ("G‘ijduvon and Xo‘jand", "en", "G‘ijduvon and Xo‘jand"),
        ('"G‘ijduvon" and Xo‘jand', "en", "“G‘ijduvon” and Xo‘jand"),
        ("Oʻzbekiston, maʼlumot", "uz", "Oʻzbekiston, maʼlumot"),
        ("G'ijduvon, Xo'jand, ma'lumot", "uz", "Gʻijduvon, Xoʻjand, maʼlumot"),
        (
            "Tajik ҳ ӯ ҷ and Kazakh ә ғ қ ң ө ұ ү һ і",
            "en",
            "Tajik ҳ ӯ ҷ and Kazakh ә ғ қ ң ө ұ ү һ і",
        ),
        # Dashes and ellipses.
        ("May -- June", "en", "May – June"),
        ("wait --- no", "en", "wait — no"),
        ("2019 - 2021", "en", "2019 – 2021"),
        ("and so on...", "en", "and so on…"),
        ("well-known, co-operation", "en", "well-known, co-operation"),
        ("four dots....", "en", "four dots...."),
        # No-break spaces: digit groups, units, dates.
        ("1 240 people", "en", f"1{NB}240 people"),
        ("1 240 ha", "en", f"1{NB}240{NB}ha"),
        ("12 500 000 km", "en", f"12{NB}500{NB}000{NB}km"),
        ("95 % of them", "en", f"95{NB}% of them"),
        ("on May 26, 2021", "en", f"on May{NB}26, 2021"),
        ("on 21 May", "en", f"on 21{NB}May"),
        ("USD 5 000", "en", f"USD{NB}5{NB}000"),
        ("1.2 million", "en", f"1.2{NB}million"),
        ("26 мая 2021 г.", "ru", f"26{NB}мая 2021{NB}г."),
        ("1 240 га", "ru", f"1{NB}240{NB}га"),
        ("in 2021 we", "en", "in 2021 we"),
        ("5 May", "en", f"5{NB}May"),
        ("5 more", "en", "5 more"),
        # Addresses are printed as written.
        ("see https://example.org/a--b...c's", "en", "see https://example.org/a--b...c's"),
        ("write to jane.o'neil@example.org", "en", "write to jane.o'neil@example.org"),
    ],
)
def test_typeset_text(text: str, language: str, expected: str) -> None:
    assert typeset_text(text, language) == expected


def test_curl_quotes_keeps_offsets() -> None:
    text = 'He said "it\'s" -- and... 1 240'
    curled = curl_quotes(text, "en")
    assert curled == "He said “it’s” -- and... 1 240"
    assert len(curled) == len(text)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # A quote opened before an inline element and closed after it.
        ('<p>"<em>Hello</em>," she said</p>', "<p>“<em>Hello</em>,” she said</p>"),
        # Attributes, tags and code stay as they are; entities are read as text.
        (
            '<p title="a \'b\'"><a href="https://x.org/a--b">a--b</a> <code>"x"--y</code></p>',
            '<p title="a \'b\'"><a href="https://x.org/a--b">a–b</a> <code>"x"--y</code></p>',
        ),
        ("<p>&quot;x&quot; &amp; &#39;y&#39; &lt;z&gt;</p>", "<p>“x” &amp; ‘y’ &lt;z&gt;</p>"),
        (
            "<style>q::before { content: \"'\" }</style><p>it's</p>",
            '<style>q::before { content: "\'" }</style><p>it’s</p>',
        ),
        # A paragraph ends what a quote can close: the next one starts afresh.
        ('<p>"Open</p><p>"Again"</p>', "<p>“Open</p><p>“Again”</p>"),
        ("<li>1 240 ha</li>", f"<li>1{NB}240{NB}ha</li>"),
    ],
)
def test_typeset_html(markup: str, expected: str) -> None:
    assert typeset_html(markup, "en") == expected


def test_pdf_prints_curly_quotes_and_keeps_the_manifest(project: Path, tmp_path: Path) -> None:
    """The build prints typeset text; the officer's file is not rewritten."""
    manifest = project / "issues" / "2021-05" / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = (
        text.replace(
            "title: Sixth Senior Officials Meeting of the Almaty Process in Istanbul",
            "title: 'The \"Almaty Process\" meets -- at last... from G‘ijduvon to Xo‘jand'",
        )
        .replace(
            # Three figures side by side: a figure that may break takes two lines.
            'value: "95%"',
            'value: "12 500 ha"\n        label: of land\n      - value: "95%"',
        )
        .replace(
            "kicker: Regional cooperation",
            "kicker: Partners' cooperation",
        )
    )
    manifest.write_text(text, encoding="utf-8")
    before = manifest.read_bytes()
    [result] = build_issue(project, "2021-05", tmp_path / "out", language="en", edition="email")
    document = pdfium.PdfDocument(result.path)
    try:
        printed = " ".join(
            document[index].get_textpage().get_text_range() for index in range(len(document))
        )
    finally:
        document.close()
    # The figure is one line: no line break between its number and its unit.
    assert re.search("12[ \u00a0]500[ \u00a0]ha", printed)
    printed = " ".join(printed.split())
    assert "The “Almaty Process” meets – at last… from G‘ijduvon to Xo‘jand" in printed
    assert "PARTNERS’ COOPERATION" in printed  # the layout sets kickers in capitals
    assert '"' not in printed
    assert manifest.read_bytes() == before
