"""Story text cannot inject markup into the page."""

from __future__ import annotations

from pathlib import Path

from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue

ISSUE = "issues/2021-05/issue.yaml"


def test_story_text_cannot_inject_markup(project: Path) -> None:
    path = project / ISSUE
    text = path.read_text()
    text = text.replace(
        "title: Migration focal points retreat",
        "title: <script>alert('title')</script> retreat",
    ).replace(
        "      Objective of the retreat:",
        '      <img src="x" onerror="alert(1)"> <b>Objective</b> of the retreat:',
    )
    path.write_text(text)
    html = render_html(load_issue(project, "2021-05"))
    assert "<script>" not in html
    # Escaped, and printed as text (with the quotes typography sets).
    assert "&lt;script&gt;alert(‘title’)&lt;/script&gt; retreat" in html
    assert '<img src="x"' not in html and "<b>Objective</b>" not in html
    assert "&lt;img src=”x” onerror=”alert(1)”&gt; &lt;b&gt;Objective" in html
