"""Typeset the text of the rendered HTML as its language wants it.

Officers type what a keyboard gives: straight quotes and apostrophes, ``--``
for a dash, ``...`` for an ellipsis, ordinary spaces in "1 240 ha" and
"May 26". The layout prints curly quotes of the language (“ ” ‘ ’ in English,
« » „ “ in Russian), dashes, an ellipsis, and no-break spaces where a line
must not break. This happens to the HTML the layout is given, never to the
manifests: the officer's file stays as it was typed.

Only text is touched: not tags, attributes, addresses, e-mail addresses or
code. Curly quotes already typed, and letters that look like quotes (the
Uzbek ‘ of *G‘ijduvon*, the modifier letters ʻ and ʼ), are left as they are.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

NBSP = "\u00a0"
ELLIPSIS = "\u2026"
EN_DASH, EM_DASH = "\u2013", "\u2014"
APOSTROPHE = "\u2019"
# Uzbek Latin writes the letters oʻ and gʻ with U+02BB and its tutuq belgisi
# (the glottal stop) with U+02BC; both are letters, not punctuation.
UZ_TURNED_COMMA, UZ_APOSTROPHE = "\u02bb", "\u02bc"


@dataclass(frozen=True)
class Convention:
    """How a language sets quotes and dashes."""

    quotes: tuple[str, str]
    """The outer quotation marks, opening and closing."""
    inner: tuple[str, str]
    """The quotation marks of a quote inside a quote."""
    dash: str
    """The dash ``--`` and a spaced hyphen stand for."""
    nbsp_before_dash: bool = False
    """Whether the space before a dash is a no-break space (Russian usage)."""
    spaced_quotes: bool = False
    """Whether « and » take a no-break space inside (French usage)."""


_ENGLISH = Convention(("\u201c", "\u201d"), ("\u2018", "\u2019"), EN_DASH)
_GUILLEMETS = Convention(("«", "»"), ("„", "\u201c"), EM_DASH, nbsp_before_dash=True)
# From the Unicode CLDR delimiters of each language and its house usage.
CONVENTIONS: dict[str, Convention] = {
    "en": _ENGLISH,
    "ru": _GUILLEMETS,
    "uk": _GUILLEMETS,
    "be": _GUILLEMETS,
    "kk": _GUILLEMETS,
    "ky": _GUILLEMETS,
    "tg": _GUILLEMETS,
    "uz": Convention(("\u201c", "\u201d"), ("„", "\u201c"), EM_DASH),
    "tk": Convention(("\u201c", "\u201d"), ("\u2018", "\u2019"), EM_DASH),
    "tr": Convention(("\u201c", "\u201d"), ("\u2018", "\u2019"), EN_DASH),
    "az": Convention(("«", "»"), ("„", "\u201c"), EM_DASH),
    "de": Convention(("„", "\u201c"), ("\u201a", "\u2018"), EN_DASH),
    "fr": Convention(("«", "»"), ("\u201c", "\u201d"), EN_DASH, spaced_quotes=True),
    "es": Convention(("«", "»"), ("\u201c", "\u201d"), EM_DASH),
    "it": Convention(("«", "»"), ("\u201c", "\u201d"), EN_DASH),
    "pt": Convention(("\u201c", "\u201d"), ("\u2018", "\u2019"), EM_DASH),
    "pl": Convention(("„", "\u201d"), ("«", "»"), EN_DASH),
    "cs": Convention(("„", "\u201c"), ("\u201a", "\u2018"), EN_DASH),
}


def convention(language: str) -> Convention:
    """Return the typographic convention of ``language`` (English's when unknown)."""
    return CONVENTIONS.get(language.split("-")[0].lower(), _ENGLISH)


# Units and words that stay on the line of the number before them.
_UNITS = (
    "%|‰|°C|°F|°|km²|km2|m²|m2|m³|km/h|km|cm|mm|m|kg|g|t|ha|l|ml|h|min|s|kWh|MW|kW"
    "|million|billion|thousand|mln|bn"
    "|USD|EUR|RUB|KZT|UZS|KGS|TJS|TMT|AZN|TRY|CHF|GBP"
    "|км²|м²|км|см|мм|м|кг|г|т|га|л|ч|мин|тыс|млн|млрд|руб|долл|сум|сом|сомони|тенге|манат"
    "|чел|гг|г\\.|в\\."
)
_NOT_LETTER = r"(?![^\W\d_])"
_BEFORE_UNIT = re.compile(rf"(?<=\d) (?=(?:{_UNITS}){_NOT_LETTER})")
_CURRENCY_FIRST = re.compile(r"(?:\b(?:USD|EUR|RUB|KZT|UZS|KGS|TJS|TMT)|[$€£₽₸№]|\bNo\.) (?=\d)")
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])")
# Russian sets a one-letter word on the line of the word after it.
_RU_SHORT_WORD = re.compile(r"(?:(?<=^)|(?<=[\s(«„]))([вксуоиаяВКСУОИАЯ]) (?=\w)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_DASHES = re.compile(r"(?<!-)-{2,3}(?!-)|(?<=\s)-(?=\s)")
# Addresses are printed exactly as written.
_ADDRESS = re.compile(
    r"\b(?:https?://|mailto:|www\.)[^\s<>\"]+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_OPENING_CONTEXT = set(" \t\n\r\u00a0([{/-\u2013\u2014«„\u201a\u201c\u2018") | {""}
# Stands for text that is not typeset (code, an address): it reads as a word.
_OPAQUE = "x"


def typeset_text(text: str, language: str) -> str:
    """Return ``text`` (plain text, not HTML) with the typography of ``language``."""
    return "".join(_typeset(text, language))


def curl_quotes(text: str, language: str) -> str:
    """Return ``text`` with only its straight quotes set, character for character.

    The result has the length of ``text``, so an offset into it is an offset
    into the text as written (preflight reports positions with it).
    """
    out = _typeset(text, language)
    return "".join(new if char in "\"'" else char for char, new in zip(text, out, strict=True))


def _typeset(text: str, language: str) -> list[str]:
    """Return what each character of ``text`` becomes: one string per character."""
    rules = convention(language)
    out = list(text)
    work = _ADDRESS.sub(lambda m: _OPAQUE * len(m.group()), text)
    for match in _ELLIPSIS.finditer(work):
        out[match.start()] = ELLIPSIS
        out[match.start() + 1] = out[match.start() + 2] = ""
    for match in _DASHES.finditer(work):
        start = match.start()
        out[start] = EM_DASH if len(match.group()) == 3 else rules.dash
        for at in range(start + 1, match.end()):
            out[at] = ""
        if rules.nbsp_before_dash and start and work[start - 1] == " ":
            out[start - 1] = NBSP
    _set_quotes(work, out, rules, language)
    for at in _no_break_spaces(work, language):
        out[at] = NBSP
    if rules.spaced_quotes:
        for at, new in enumerate(out):
            if new == "«" and work[at + 1 : at + 2] == " ":
                out[at + 1] = NBSP
            elif new == "»" and at and work[at - 1] == " ":
                out[at - 1] = NBSP
    return out


def _set_quotes(work: str, out: list[str], rules: Convention, language: str) -> None:
    """Set each straight quote of ``work`` in ``out``, opening or closing, outer or inner."""
    # The quotes open in this text, innermost last: the straight mark that
    # opened each and the curly mark that closes it.
    open_: list[tuple[str, str]] = []
    uzbek = language.split("-")[0].lower() == "uz"
    for at, char in enumerate(work):
        if char not in "\"'":
            continue
        before = work[at - 1] if at else ""
        after = work[at + 1] if at + 1 < len(work) else ""
        if char == "'" and before.isalnum() and after.isalpha():
            # A letter between letters: "year's", "O'Brien", "G'ijduvon".
            if uzbek:
                out[at] = UZ_TURNED_COMMA if before in "oOgG" else UZ_APOSTROPHE
            else:
                out[at] = APOSTROPHE
            continue
        opening = before in _OPENING_CONTEXT
        if char == "'" and opening and after.isdigit():
            out[at] = APOSTROPHE  # '90s
            continue
        if char == "'" and not opening and not any(mark == "'" for mark, _ in open_):
            out[at] = APOSTROPHE  # migrants' rights
            continue
        # French sets a space inside guillemets: a quote may open before one there.
        spaced = rules.spaced_quotes and after == " "
        if opening and (spaced or not (after == "" or after.isspace())):
            pair = rules.quotes if not open_ else rules.inner
            if char == "'" and not open_:
                pair = rules.inner
            open_.append((char, pair[1]))
            out[at] = pair[0]
            continue
        # A closing mark closes the innermost quote opened by the same mark.
        for depth in range(len(open_) - 1, -1, -1):
            if open_[depth][0] == char:
                out[at] = open_[depth][1]
                del open_[depth:]
                break
        else:
            # Nothing of its kind is open: close as the language closes.
            out[at] = (rules.quotes if char == '"' else rules.inner)[1]


def _no_break_spaces(work: str, language: str) -> Iterator[int]:
    """Yield the offsets of the spaces of ``work`` a line must not break at."""
    for match in _DIGIT_GROUPS.finditer(work):
        for at in range(match.start(), match.end()):
            if work[at] == " ":
                yield at
    for match in _BEFORE_UNIT.finditer(work):
        yield match.start()
    for match in _CURRENCY_FIRST.finditer(work):
        yield match.end() - 1
    months = _month_names(language)
    if months is not None:
        for match in months.finditer(work):
            yield match.start("space") if match["space"] else match.start("back")
    if language.split("-")[0].lower() == "ru":
        for match in _RU_SHORT_WORD.finditer(work):
            yield match.end(1)


@functools.lru_cache(maxsize=16)
def _month_names(language: str) -> re.Pattern[str] | None:
    """Return a pattern for "May 26" and "26 May", with the space as group ``space``."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    names: set[str] = set()
    for context in ("format", "stand-alone"):
        for name in locale.months[context]["wide"].values():
            names.update({name, name[:1].upper() + name[1:]})
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    month = rf"(?<![^\W\d_])(?:{alternatives}){_NOT_LETTER}"
    day = r"(?<![\d.,])\d{1,2}(?!\d)"
    return re.compile(rf"(?:{month}(?P<space> )(?={day})|{day}(?P<back> )(?={month}))")


# ---- HTML --------------------------------------------------------------------

_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")
# Elements whose content is not prose: left exactly as rendered.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
# Inline elements: text on either side of one of these reads as one run.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "em",
        "i",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "wbr",
    }
)


def typeset_html(markup: str, language: str) -> str:
    """Return the HTML document ``markup`` with the text of its elements typeset.

    Tags and attributes are copied as they are; the text inside ``code``,
    ``pre``, ``script`` and ``style`` too. Text that runs on across inline
    elements (a quote opened before ``<em>`` and closed after it) is typeset
    as one run.
    """
    pieces: list[str] = []
    # The run of text being gathered: its pieces' indexes and their text.
    run: list[tuple[int, str]] = []
    verbatim: str | None = None

    def flush() -> None:
        if not run:
            return
        joined = "".join(text for _, text in run)
        out = _typeset(joined, language)
        at = 0
        for index, text in run:
            if index >= 0:
                pieces[index] = html.escape("".join(out[at : at + len(text)]), quote=False)
            at += len(text)
        run.clear()

    position = 0
    for match in _TOKEN.finditer(markup):
        text = markup[position : match.start()]
        position = match.end()
        tag = match.group()
        if text:
            pieces.append(text)
            if verbatim is None:
                run.append((len(pieces) - 1, html.unescape(text)))
        name_match = _TAG_NAME.match(tag)
        name = name_match[1].lower() if name_match else ""
        closing = tag.startswith("</")
        if verbatim is not None:
            if closing and name == verbatim:
                verbatim = None
            pieces.append(tag)
            continue
        if name in _VERBATIM and not closing:
            verbatim = name
            run.append((-1, _OPAQUE))  # code reads as a word in the sentence around it
        elif name not in _INLINE:
            flush()
        pieces.append(tag)
    tail = markup[position:]
    if tail:
        pieces.append(tail)
        if verbatim is None:
            run.append((len(pieces) - 1, html.unescape(tail)))
    flush()
    return "".join(pieces)
