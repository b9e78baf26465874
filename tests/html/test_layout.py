"""The HTML the standard layout makes of an issue, read back as a document tree.

The HTML is parsed with tinyhtml5 and queried with cssselect2: the parser and
selector engine WeasyPrint itself uses, so the tree is the one it lays out.
"""

from __future__ import annotations

from pathlib import Path

import cssselect2
import pytest
import tinyhtml5

from bulletin.errors import BulletinError
from bulletin.html.layout import format_credit, render_html
from bulletin.i18n import LABELS
from bulletin.manifest.load import LoadedIssue, load_issue
from bulletin.model.issue import Credit, Stats, Story
from conftest import SAMPLE, SAMPLE_MONTH

Node = cssselect2.ElementWrapper
"""An element of the parsed document, queryable with CSS selectors."""

LEAD_TITLE = "Sixth Senior Officials Meeting of the Almaty Process in Istanbul"


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _parse(html: str) -> Node:
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    return cssselect2.ElementWrapper.from_html_root(root)


def _all(scope: Node, selector: str) -> list[Node]:
    return list(scope.query_all(selector))


def _one(scope: Node, selector: str) -> Node:
    found = _all(scope, selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


def _attr(node: Node, name: str) -> str | None:
    value = node.etree_element.get(name)
    return None if value is None else str(value)


def _text(node: Node) -> str:
    return " ".join("".join(node.etree_element.itertext()).split())


@pytest.fixture(scope="module")
def sample() -> LoadedIssue:
    return load_issue(SAMPLE, SAMPLE_MONTH)


@pytest.fixture(scope="module")
def document(sample: LoadedIssue) -> Node:
    return _parse(render_html(sample))


def _stories(loaded: LoadedIssue) -> list[Story]:
    return [block for block in loaded.issue.stories if isinstance(block, Story)]


def test_document_language_and_title(document: Node) -> None:
    assert _attr(_one(document, "html"), "lang") == "en"
    assert _text(_one(document, "head > title")) == "IOM Central Asia Bulletin — May 2021"
    assert _attr(_one(document, 'meta[name="author"]'), "content") == (
        "International Organization for Migration (IOM) — Central Asia"
    )


def test_masthead(document: Node) -> None:
    assert _text(_one(document, ".masthead-month")) == "May 2021"
    assert _text(_one(document, ".masthead-number")) == "Issue 5"
    assert _text(_one(document, "h1.masthead-name")) == "IOM Central Asia Bulletin"


def test_one_article_per_story_in_reading_order(document: Node, sample: LoadedIssue) -> None:
    articles = _all(document, "main > article.story")

    assert [_attr(article, "id") for article in articles] == [s.id for s in _stories(sample)]


def test_story_parts_come_from_the_manifest(document: Node, sample: LoadedIssue) -> None:
    for story in _stories(sample):
        article = _one(document, f"article.story#{story.id}")
        paragraphs = [" ".join(p.split()) for p in story.body.split("\n\n") if p.strip()]

        assert _text(_one(article, ".story-head > .kicker")) == story.kicker
        assert _text(_one(article, ".story-head > h2.headline")) == story.title
        assert _attr(_one(article, ".photo-rows figure.photo > img"), "alt") == story.photos[0].alt
        assert _attr(_one(article, ".photo-rows figure.photo > img"), "src") == (
            Path(story.photos[0].file).as_uri()
        )
        assert [_text(p) for p in _all(article, "div.body > p")] == paragraphs


def test_photo_credits(document: Node) -> None:
    credits = [_text(c) for c in _all(document, "article.story figure.photo figcaption .credit")]

    assert credits == [
        "Photo by IOM, Istanbul, May 26, 2021",
        "Photo by IOM, Kazakhstan, May 2021",
        "Photo by IOM, Bishkek, May 2021",
        "Photo by IOM, Tashkent, May 22, 2021",
        "Photo by IOM, Dushanbe, May 25, 2021",
        "Photo by IOM, Almaty, May 28, 2021",
    ]


def test_body_columns_as_in_the_manifest(document: Node, sample: LoadedIssue) -> None:
    classes = {
        _attr(article, "id"): _attr(_one(article, "div.body"), "class")
        for article in _all(document, "article.story")
    }

    assert classes == {s.id: f"body columns-{s.layout.columns}" for s in _stories(sample)}
    # The sample sets its long trafficking story in three columns, the rest in two.
    assert classes["national-dialogue-trafficking"] == "body columns-3"
    assert classes["almaty-process"] == "body columns-2"


def test_standfirst_only_where_the_manifest_has_one(document: Node) -> None:
    standfirsts = {
        _attr(article, "id"): [_text(p) for p in _all(article, ".standfirst")]
        for article in _all(document, "article.story")
    }

    assert {key: value for key, value in standfirsts.items() if value} == {
        "family-return-karakalpakstan": [
            "IOM offices in Kazakhstan and Uzbekistan helped a large family of vulnerable "
            "migrants travel home from Karaganda to Nukus."
        ]
    }


def test_stats_block_with_its_figures(document: Node, sample: LoadedIssue) -> None:
    stats = next(block for block in sample.issue.stories if isinstance(block, Stats))
    section = _one(document, f"main > section.stats#{stats.id}")

    assert _text(_one(section, ".kicker")) == "Survey results"
    assert _text(_one(section, "h2.headline")) == (
        "Returned migrants rate their reintegration sessions"
    )
    assert _text(_one(section, ".stats-intro > p")) == " ".join(stats.intro.split())
    assert [
        (_text(_one(figure, ".figure-value")), _text(_one(figure, ".figure-label")))
        for figure in _all(section, "ul.figures > li.figure")
    ] == [(figure.value, figure.label) for figure in stats.figures]
    assert [figure.value for figure in stats.figures] == ["95%", "86%"]


def test_contacts_are_mailto_links(document: Node) -> None:
    offices = [
        (
            _text(_one(office, "dt")),
            [(_attr(a, "href"), _text(a)) for a in _all(office, "dd > a")],
        )
        for office in _all(document, "footer.contacts .office")
    ]

    assert _text(_one(document, "footer.contacts h2")) == "Contact IOM missions in Central Asia"
    assert offices == [
        (
            "Kazakhstan",
            [
                ("mailto:iomastana@iom.int", "iomastana@iom.int"),
                ("mailto:iomalmaty@iom.int", "iomalmaty@iom.int"),
            ],
        ),
        ("Kyrgyzstan", [("mailto:iomkyrgyzstan@iom.int", "iomkyrgyzstan@iom.int")]),
        ("Tajikistan", [("mailto:dushanbe@iom.int", "dushanbe@iom.int")]),
        ("Turkmenistan", [("mailto:iomashgabat@iom.int", "iomashgabat@iom.int")]),
        ("Uzbekistan", [("mailto:iomtashkent@iom.int", "iomtashkent@iom.int")]),
    ]


def test_in_this_issue_links_to_every_block(document: Node, sample: LoadedIssue) -> None:
    entries = _all(document, "nav.contents li > a")
    blocks = _all(document, "main > article.story, main > section.stats")

    assert _text(_one(document, "nav.contents > h2")) == "In this issue"
    assert [
        (_attr(a, "href"), _text(_one(a, ".contents-kicker")), _text(_one(a, ".contents-title")))
        for a in entries
    ] == [(f"#{block.id}", block.kicker, block.title) for block in sample.issue.stories]
    assert [_attr(a, "href") for a in entries] == [f"#{_attr(b, 'id')}" for b in blocks]


def test_title_with_markup_is_escaped(project: Path) -> None:
    title = '<script>alert("x")</script> & <b>more</b>'
    _replace_once(
        project / "issues" / SAMPLE_MONTH / "issue.yaml",
        f"title: {LEAD_TITLE}",
        f"title: '{title}'",
    )

    document = _parse(render_html(load_issue(project, SAMPLE_MONTH)))

    assert _all(document, "script") == []
    assert _all(document, "article b") == []
    # Printed as text, with the quotes set as English sets them.
    assert _text(_one(document, "#almaty-process h2.headline")) == (
        "<script>alert(“x”)</script> & <b>more</b>"
    )
    assert _text(_one(document, "head > title")) == "IOM Central Asia Bulletin — May 2021"


def test_raw_html_in_a_story_body_is_not_passed_through(project: Path) -> None:
    _replace_once(
        project / "issues" / SAMPLE_MONTH / "issue.yaml",
        "    body: |\n      On May 26, 2021",
        '    body: |\n      <div class="raw"><script>alert(1)</script></div>\n\n'
        "      Before <b>bold</b> after.\n\n      On May 26, 2021",
    )

    document = _parse(render_html(load_issue(project, SAMPLE_MONTH)))
    paragraphs = [_text(p) for p in _all(document, "#almaty-process div.body > p")]

    assert _all(document, "script, .raw, div.body b") == []
    assert paragraphs[:2] == [
        "<div class=”raw”><script>alert(1)</script></div>",
        "Before <b>bold</b> after.",
    ]


@pytest.mark.parametrize(
    ("template", "old", "new", "message"),
    [
        pytest.param(
            "issue.html.j2",
            "<title>{{ title }}</title>",
            "<title>{{ subtitle }}</title>",
            "'subtitle' is undefined",
            id="undefined-variable",
        ),
        pytest.param(
            "story.html.j2",
            "{{ block.kicker }}",
            "{{ block.section }}",
            "'dict object' has no attribute 'section'",
            id="undefined-attribute",
        ),
    ],
)
def test_template_using_an_undefined_name_fails(
    project: Path, template: str, old: str, new: str, message: str
) -> None:
    path = project / "layouts" / "standard" / template
    _replace_once(path, old, new)
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if new in text
    )
    loaded = load_issue(project, SAMPLE_MONTH)

    with pytest.raises(BulletinError) as caught:
        render_html(loaded)

    assert [str(problem) for problem in caught.value.problems] == [
        f"layouts/standard/{template}:{line}: the template uses a name it is not given "
        f"({message}): correct the template (its opening comment lists what it is given), "
        "or undo the edit"
    ]


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        pytest.param(
            {"by": "IOM", "place": "Istanbul", "date": "2021-05-26"},
            "Photo by IOM, Istanbul, May 26, 2021",
            id="day",
        ),
        pytest.param(
            {"by": "IOM", "place": "Kazakhstan", "date": "2021-05"},
            "Photo by IOM, Kazakhstan, May 2021",
            id="month",
        ),
        pytest.param(
            {"by": "Jane Doe/IOM", "place": "Bishkek", "date": "2021-12-01"},
            "Photo by Jane Doe/IOM, Bishkek, December 1, 2021",
            id="first-of-month",
        ),
        pytest.param(
            {"by": "Jane Doe", "date": "2021", "licence": "CC BY 4.0"},
            "Photo by Jane Doe, 2021, CC BY 4.0",
            id="year-and-licence",
        ),
        pytest.param(
            {"by": "Jane Doe", "licence": "CC BY 4.0"},
            "Photo by Jane Doe, CC BY 4.0",
            id="library-photo",
        ),
        pytest.param({"by": "IOM", "place": "Osh"}, "Photo by IOM, Osh", id="no-date"),
        pytest.param({"by": "IOM", "date": "2021-05"}, "Photo by IOM, May 2021", id="no-place"),
    ],
)
def test_format_credit(credit: dict[str, str], expected: str) -> None:
    pattern = LABELS["en"]["credit"]

    assert format_credit(Credit.model_validate(credit), "en", pattern) == expected


@pytest.mark.parametrize(
    ("language", "pattern", "expected"),
    [
        ("ru", LABELS["ru"]["credit"], "Фото: МОМ, 2021, CC BY 4.0"),
        # A pattern of the publication's own that starts with a part left out.
        ("kk", "{place}, {date} · {by}", "2021 · МОМ, CC BY 4.0"),
    ],
)
def test_format_credit_leaves_out_what_is_not_given(
    language: str, pattern: str, expected: str
) -> None:
    credit = Credit.model_validate({"by": "МОМ", "date": 2021, "licence": "CC BY 4.0"})

    assert format_credit(credit, language, pattern) == expected


LEAD_CREDIT = (
    "        credit:\n          by: IOM\n          place: Istanbul\n          date: 2021-05-26\n"
)
STATS_KICKER = "    kicker: Survey results\n"


def test_library_photo_credit_and_stats_without_kicker(project: Path) -> None:
    """A credit with a licence but no place or date; a call-out with no kicker."""
    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    _replace_once(
        issue,
        LEAD_CREDIT,
        "        credit:\n          by: Jane Doe\n          licence: CC BY 4.0\n",
    )
    _replace_once(issue, STATS_KICKER, "")

    document = _parse(render_html(load_issue(project, SAMPLE_MONTH)))

    lead = _one(document, "#almaty-process figure.photo .credit")
    assert _text(lead) == "Photo by Jane Doe, CC BY 4.0"
    stats = _one(document, "main > section.stats#reintegration-survey")
    assert _all(stats, ".kicker") == []
    assert _text(_one(stats, "h2.headline")) == (
        "Returned migrants rate their reintegration sessions"
    )
    entry = _one(document, 'nav.contents a[href="#reintegration-survey"]')
    assert _all(entry, ".contents-kicker") == []
    assert _text(entry) == "Returned migrants rate their reintegration sessions"


# ---- Treatments: what the composer's choices make of a story ------------------------


def _with_quote(project: Path) -> LoadedIssue:
    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    _replace_once(
        issue,
        "    title: Migration focal points retreat\n",
        "    title: Migration focal points retreat\n"
        "    quote: The retreat built close partnership between the agencies.\n",
    )
    return load_issue(project, SAMPLE_MONTH)


def test_each_treatment_places_the_photos_and_the_quote(project: Path) -> None:
    from bulletin.compose import Choice, Layout, PhotoSize

    loaded = _with_quote(project)
    photo = PhotoSize(56.667, 70.0, 0.81, 0.8, "50% 40%")
    wide = PhotoSize(180.0, 90.0, 2.0, 0.75)
    plan = Layout(
        {
            "almaty-process": Choice("almaty-process", "feature", 3, photos=(wide,), rows=((0,),)),
            "family-return-karakalpakstan": Choice(
                "family-return-karakalpakstan", "side", 3, photos=(photo,), side=0
            ),
            "migration-focal-points-retreat": Choice(
                "migration-focal-points-retreat", "side", 2, quote=True, photos=(photo,), side=0
            ),
        }
    )
    document = _parse(render_html(loaded, plan=plan))
    feature = _one(document, "article.story.feature#almaty-process")
    image = _one(feature, ".photo-rows > .photo-row > figure.photo.top > img")
    assert (_attr(image, "style") or "").startswith("height: 90.0mm; object-position: ")
    assert _all(feature, "figure.side") == []
    side = _one(document, "article.story.side#family-return-karakalpakstan")
    # The photo opens the first column, before the text.
    first = side.etree_element.find("div").find("*")
    assert first is not None and first.get("class") == "photo side"
    assert (_attr(_one(side, "figure.side > img"), "style") or "").startswith(
        "height: 70.0mm; object-position: "
    )
    assert _all(side, ".photo-rows") == []
    quoted = _one(document, "#migration-focal-points-retreat div.body.columns-2")
    blocks = [child.tag for child in quoted.etree_element]
    # The quote sits inside the text, after its first paragraph, never last.
    assert blocks == ["figure", "p", "blockquote", "p"]
    assert _text(_one(quoted, "blockquote.pull-quote")) == (
        "The retreat built close partnership between the agencies."
    )
    assert _all(document, "article.story") == [
        feature,
        side,
        _one(document, "article.side#migration-focal-points-retreat"),
    ]


def test_inline_photos_sit_between_the_paragraphs_never_after_the_last(project: Path) -> None:
    from bulletin.compose import Choice, Layout, PhotoSize

    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    # A second photo and a pull quote for the three-paragraph story.
    _replace_once(
        issue,
        "          date: 2021-05-28\n    layout:\n      columns: 3\n",
        "          date: 2021-05-28\n"
        "      - file: photos/istanbul-2021-05-26.jpg\n"
        "        alt: Participants of the dialogue\n"
        "        credit:\n"
        "          by: IOM\n"
        "          place: Almaty\n"
        "          date: 2021-05-28\n"
        "    quote: Participants developed recommendations to improve the system.\n"
        "    layout:\n      columns: 3\n",
    )
    loaded = load_issue(project, SAMPLE_MONTH)
    sizes = (PhotoSize(56.667, 38.0, 1.49, 1.0), PhotoSize(56.667, 45.0, 1.26, 0.9))
    story = "national-dialogue-trafficking"
    plan = Layout({story: Choice(story, "inline", 3, quote=True, photos=sizes, inline=(0, 1))})
    document = _parse(render_html(loaded, plan=plan))
    article = _one(document, f"article.story.inline#{story}")
    body = _one(article, "div.body.columns-3")
    # The first photo follows the opening paragraph, so the story may start
    # wherever its head and first lines fit; the second comes where the text
    # has brought half of itself; the quote after a third; none after the last.
    assert [child.tag for child in body.etree_element] == [
        "p",
        "figure",
        "p",
        "figure",
        "blockquote",
        "p",
    ]
    figures = _all(body, "figure.photo.inline")
    assert [(_attr(_one(figure, "img"), "style") or "").split(";")[0] for figure in figures] == [
        "height: 38.0mm",
        "height: 45.0mm",
    ]
    assert [_text(_one(figure, ".credit")) for figure in figures] == [
        "Photo by IOM, Almaty, May 28, 2021",
        "Photo by IOM, Almaty, May 28, 2021",
    ]
    assert _all(article, ".photo-rows") == [] and _all(article, "figure.side") == []
    # Every word of the story is there once, around the photos.
    story_text = " ".join(_text(p) for p in _all(body, "div.body > p"))
    assert story_text.startswith("On 28th of May, IOM Kazakhstan hosted")
    assert story_text.endswith("reached around 6,000 readers.")


def test_a_brief_holds_its_stories_each_with_its_anchor(project: Path) -> None:
    from bulletin.compose import Choice, Layout

    loaded = load_issue(project, SAMPLE_MONTH)
    members = ("almaty-process", "family-return-karakalpakstan")
    document = _parse(
        render_html(
            loaded, plan=Layout({members[0]: Choice(members[0], "brief", 3, members=members)})
        )
    )
    brief = _one(document, "main > section.brief#brief-almaty-process")
    items = _all(brief, "div.body.columns-3 > article.brief-item")
    assert [_attr(item, "id") for item in items] == list(members)
    assert [_text(_one(item, "h2.brief-title")) for item in items] == [
        story.title for story in _stories(loaded)[:2]
    ]
    # The contents list still points at every story.
    assert [_attr(a, "href") for a in _all(document, ".contents a")][:2] == [
        "#almaty-process",
        "#family-return-karakalpakstan",
    ]
