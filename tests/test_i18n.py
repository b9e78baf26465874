"""The layout's words by language, and language tags as Babel reads them."""

from __future__ import annotations

import pytest
from babel import Locale

from bulletin.i18n import LABEL_KEYS, LABELS, babel_locale, labels_for, labels_for_keys


def test_every_built_in_language_has_every_word() -> None:
    assert {"in_this_issue", "issue", "page", "of", "credit"} == LABEL_KEYS
    for language, words in LABELS.items():
        assert set(words) == LABEL_KEYS, language
        for part in ("{by}", "{place}", "{date}"):
            assert part in words["credit"], language


def test_a_regional_tag_falls_back_to_its_language() -> None:
    assert labels_for("ru-KZ") == LABELS["ru"]


def test_the_publication_overrides_or_completes_the_words() -> None:
    assert labels_for("en", {"page": "p."}) == {**LABELS["en"], "page": "p."}
    kazakh = {
        "in_this_issue": "Бұл санда",
        "issue": "Шығарылым",
        "page": "бет",
        "of": "/",
        "credit": "Фото: {by}, {place}, {date}",
    }
    assert labels_for("kk", kazakh) == kazakh


def test_a_language_without_all_its_words_has_none() -> None:
    assert labels_for("kk") is None
    assert labels_for("kk", {"page": "бет"}) is None
    assert labels_for_keys("kk", {"page": "бет"}) == {"page"}
    assert labels_for_keys("ru") == LABEL_KEYS


@pytest.mark.parametrize(
    ("tag", "locale"), [("en", "en"), ("ru", "ru"), ("pt-BR", "pt_BR"), ("uz-Cyrl", "uz_Cyrl")]
)
def test_a_language_tag_becomes_the_locale_babel_reads(tag: str, locale: str) -> None:
    assert babel_locale(tag) == locale
    assert str(Locale.parse(babel_locale(tag))) == locale
