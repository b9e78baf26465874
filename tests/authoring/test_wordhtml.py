"""mammoth's HTML of a Word document, read as a story: what each construct becomes."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from bulletin.authoring.wordhtml import read_story

TITLE = '<h1 class="title">A title</h1>'


@pytest.mark.parametrize(
    ("html", "body"),
    [
        ("<p>Plain text.</p><p>Two paragraphs.</p>", "Plain text.\n\nTwo paragraphs.\n"),
        ("<p><strong>Bold </strong>then <em> italic</em>.</p>", "**Bold** then *italic*.\n"),
        ("<p><strong><em>both</em></strong></p>", "***both***\n"),
        ("<p>a * b _c_ [d] `e` \\ f</p>", "a \\* b \\_c\\_ \\[d\\] \\`e\\` \\\\ f\n"),
        ("<p># not a heading</p>", "\\# not a heading\n"),
        ("<p>2021. A year</p>", "2021\\. A year\n"),
        ("<p>- not a list</p>", "\\- not a list\n"),
        ("<p>&lt;script&gt; and 3 &lt; 4 &amp;amp;</p>", "\\<script> and 3 < 4 \\&amp;\n"),
        ("<p>line one<br />line two</p>", "line one\\\nline two\n"),
        (
            '<p><a href="https://example.org/a b(c)">the site</a></p>',
            "[the site](https://example.org/a%20b%28c%29)\n",
        ),
        ('<p><a href="#_Toc1">a bookmark</a></p>', "a bookmark\n"),
        (
            '<p>Text<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p>'
            '<ol><li id="footnote-1"><p>The note. <a href="#footnote-ref-1">↑</a></p></li></ol>',
            "Text\\[1\\]\n\n1. The note.\n",
        ),
        ("<h2>Sub</h2><h3>Subsub</h3><h4>Deeper</h4>", "### Sub\n\n#### Subsub\n\n#### Deeper\n"),
        ("<h1>Second h1</h1><h3>Under</h3>", "### Second h1\n\n#### Under\n"),
        (
            "<ol><li>one<ol><li>one a</li></ol></li><li>two<br />more</li></ol>",
            "1. one\n   1. one a\n2. two\\\n   more\n",
        ),
        (
            "<table><tr><td><p>cell one</p></td><td>cell two</td></tr></table>",
            "cell one\n\ncell two\n",
        ),
        ("<p>tab\tand  spaces\u00a0kept</p>", "tab and spaces\u00a0kept\n"),
    ],
)
def test_body(html: str, body: str) -> None:
    assert read_story(TITLE + html).body == body


def test_the_markdown_prints_the_words_as_written() -> None:
    html = "<p>a * b _c_ [d] `e` \\ f # g 2021. &lt;b&gt; &amp;copy;</p>"
    rendered = MarkdownIt("commonmark", {"html": False}).render(read_story(TITLE + html).body)
    assert rendered == "<p>a * b _c_ [d] `e` \\ f # g 2021. &lt;b&gt; &amp;copy;</p>\n"


def test_parts_of_a_story() -> None:
    draft = read_story(
        '<p class="kicker">Direct assistance</p><h1 class="title">Home  again</h1>'
        '<p class="standfirst">A family returns.</p><p>Text.</p>'
        '<p><img src="bulletin-image:0" alt="A family" /></p><p class="caption">At the border.</p>'
        '<p class="caption">Not after a photo: a paragraph.</p>'
    )
    assert (draft.kicker, draft.title, draft.standfirst) == (
        "Direct assistance",
        "Home again",
        "A family returns.",
    )
    assert draft.body == "Text.\n\nNot after a photo: a paragraph.\n"
    assert [(p.index, p.alt, p.caption) for p in draft.pictures] == [
        (0, "A family", "At the border.")
    ]


def test_title_falls_back_to_the_first_short_paragraph() -> None:
    draft = read_story("<p>First words</p><p>Body.</p>")
    assert (draft.title, draft.title_from_first_paragraph, draft.body) == (
        "First words",
        True,
        "Body.\n",
    )
    long_first = read_story(f"<p>{'word ' * 60}</p>")
    assert (long_first.title, long_first.title_from_first_paragraph) == ("", False)


def test_links_readers_cannot_follow_become_text() -> None:
    draft = read_story(TITLE + '<p><a href="javascript:alert(1)">click</a></p>')
    assert draft.body == "click\n"
    assert draft.notes == [
        "the link on 'click' went to 'javascript:alert(1)', which readers cannot open: "
        "it is plain text now"
    ]
