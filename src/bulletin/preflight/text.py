"""Check 5, text hygiene: typing slips the schema cannot catch, and raw HTML in Markdown."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from bulletin.html.typography import convention, curl_quotes
from bulletin.preflight.report import Finding
from bulletin.preflight.source import IssueText

# Parts of a text that are addresses or code, not prose: masked before the checks.
_NOT_PROSE = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|(?<=\]\()[^)\s]*(?:\s+\"[^\"]*\")?(?=\))"  # Markdown link target and title
    r"|(?<=<)[^<>\s]+(?=>)"  # autolink
    r"|\b(?:https?://|mailto:|www\.)\S+"  # bare address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email
)
_MASK = "\x00"
_DOUBLED_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_DOUBLED_PUNCTUATION = re.compile(r"(?<!\.)\.\.(?!\.)|([,;:!?])\1+")
_SPACE_BEFORE = re.compile(r"(?<=\S)[ \t]+([,.;:!?])(?=[\s)\]\u201d\u2019\"']|$)")
_WORD = re.compile(r"[^\W\d_]+")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
# Typographic quotes, named: several look alike in an editor.
_LSQUO, _RSQUO, _LDQUO, _RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
_ENUMERATOR = re.compile(r"(?:^|\s)\w{1,2}$")


# An HTML tag or comment in Markdown text ("<img src=…>", "</b>", "<!-- -->");
# not an autolink (<https://…>, <name@example.org>).
_RAW_HTML = re.compile(r"<!--.*?-->|<(?P<name>/?[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_RAW_HTML_HELP = {
    "img": "remove it, and add the photo under 'photos', with its alt text and credit",
    "b": "remove it, and write **bold** instead",
    "/b": "remove it, and write **bold** instead",
    "strong": "remove it, and write **bold** instead",
    "/strong": "remove it, and write **bold** instead",
    "i": "remove it, and write *italics* instead",
    "/i": "remove it, and write *italics* instead",
    "em": "remove it, and write *italics* instead",
    "/em": "remove it, and write *italics* instead",
    "a": "remove it, and write a link as [text](https://…)",
    "/a": "remove it, and write a link as [text](https://…)",
    "br": "remove it, and start a new paragraph with an empty line",
    "": "remove it (write Markdown: *italics*, **bold**, [links](https://…), lists)",
}


def _excerpt(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _mask(text: str) -> str:
    return _NOT_PROSE.sub(lambda m: _MASK * len(m.group()), text)


def check_text(issue: IssueText) -> Iterator[Finding]:
    """Return a warning for each typing slip in the prose: spaces, punctuation, quotes, brackets.

    Straight quotes, ``--`` and ``...`` are not slips: the build sets them (html.typography).
    """
    prose = [f for f in issue.fields if f.kind in {"prose", "markdown"}]
    masked = {f: _mask(f.text) for f in prose}
    for item in prose:
        if item.kind != "markdown":
            continue
        # Inline code may show a tag: "`<br>`" is not raw HTML.
        text = _INLINE_CODE.sub(lambda m: _MASK * len(m.group()), item.text)
        for match in _RAW_HTML.finditer(text):
            tag = match.group()
            name = match["name"].lower()
            problem = issue.problem(
                item.loc,
                f'raw HTML "{_excerpt(tag, 60)}" is not allowed in the text, and would print '
                f"as it is written: {_RAW_HTML_HELP.get(name, _RAW_HTML_HELP[''])}",
                publication=item.publication,
                offset=match.start(),
            )
            yield Finding("error", "text", item.story, problem)
        # Told once: the other checks read the text around it.
        for match in _RAW_HTML.finditer(text):
            start, end = match.span()
            rest = masked[item]
            masked[item] = rest[:start] + _MASK * (end - start) + rest[end:]
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in masked.values():
        found = [(m.group().casefold(), m) for m in _WORD.finditer(text)]
        words.update(word for word, _ in found)
        pairs.update((a, b) for (a, _), (b, _) in _split_candidates(text, found))
    language = issue.loaded.language
    for item in prose:
        text = masked[item]
        slips = [
            *_typing_slips(text),
            *_split_words(text, words, pairs),
            # The build sets straight quotes as the language wants (html/typography):
            # check the quotes it will print.
            *_unbalanced(curl_quotes(text, language), _quote_pairs(language)),
        ]
        seen: dict[str, list[int]] = {}
        for offset, message in sorted(slips):
            seen.setdefault(message, []).append(offset)
        for message, offsets in seen.items():
            times = f" ({len(offsets)} times in this field)" if len(offsets) > 1 else ""
            problem = issue.problem(
                item.loc, message + times, publication=item.publication, offset=offsets[0]
            )
            yield Finding("warning", "text", item.story, problem)


def _typing_slips(text: str) -> Iterator[tuple[int, str]]:
    for match in _DOUBLED_SPACE.finditer(text):
        yield match.start(), "doubled space — write one"
    for match in _DOUBLED_PUNCTUATION.finditer(text):
        marks = match.group()
        yield match.start(), f'doubled punctuation "{marks}" — write one "{marks[0]}"'
    for match in _SPACE_BEFORE.finditer(text):
        yield match.start(), f'space before "{match.group(1)}" — remove it'


def _split_candidates(
    text: str, words: Sequence[tuple[str, re.Match[str]]]
) -> Iterator[tuple[tuple[str, re.Match[str]], tuple[str, re.Match[str]]]]:
    """Yield neighbouring words separated by a single blank, both of two letters or more."""
    for first, second in itertools.pairwise(words):
        gap = text[first[1].end() : second[1].start()]
        if gap in {" ", "\n"} and len(first[0]) > 1 and len(second[0]) > 1:
            yield first, second


def _split_words(
    text: str, words: Counter[str], pairs: Counter[tuple[str, str]]
) -> Iterator[tuple[int, str]]:
    """Yield words split by a stray blank: "fam ily" where "family" is written elsewhere.

    Hyphenation dictionaries hold patterns, not words, and would accept almost
    any pair; the issue's own words tell a split word from two real ones.
    """
    found = [(m.group().casefold(), m) for m in _WORD.finditer(text)]
    for (a, first), (b, second) in _split_candidates(text, found):
        joined = a + b
        alone = min(words[a] - pairs[a, b], words[b] - pairs[a, b])
        if words[joined] and alone == 0:
            shown = f"{first.group()} {second.group()}"
            fixed = first.group() + second.group()
            yield (
                first.start(),
                f'"{shown}" looks like one word split by a stray space ("{joined}" appears '
                f'elsewhere in the issue) — write "{fixed}"',
            )


def _quote_pairs(language: str) -> dict[str, str]:
    """Return the quotation marks checked for balance in ``language``, opening to closing."""
    rules = convention(language)
    # English quotes are common in any language; the language's own come first.
    return {
        rules.quotes[0]: rules.quotes[1],
        rules.inner[0]: rules.inner[1],
        **{_LDQUO: _RDQUO, _LSQUO: _RSQUO},
    }


def _unbalanced(text: str, quotes: dict[str, str]) -> Iterator[tuple[int, str]]:
    """Yield the brackets and quotes of ``text`` that close nothing or are never closed."""
    pairs = {**_PAIRS, **{open_: close for open_, close in quotes.items() if open_ != close}}
    closers: dict[str, list[str]] = {}
    for open_, close in pairs.items():
        closers.setdefault(close, []).append(open_)
    stacks: dict[str, list[int]] = {opener: [] for opener in pairs}
    for at, char in enumerate(text):
        before = text[at - 1] if at else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        if char in (_LSQUO, _RSQUO) and before.isalpha() and after.isalpha():
            continue  # a letter, as the Uzbek ‘ of G‘ijduvon, or an apostrophe
        # A mark that may close closes what is open ("„" in Russian is closed by "“").
        opened = [o for o in closers.get(char, ()) if stacks[o]]
        if opened:
            stacks[max(opened, key=lambda o: stacks[o][-1])].pop()
        elif char in pairs:
            stacks[char].append(at)
        elif char == _RSQUO:
            continue  # an apostrophe: "migrants’ rights"
        elif char in closers:
            opener = closers[char][0]
            if not (char == ")" and _ENUMERATOR.search(text, 0, at)):
                kind = "bracket" if opener in _PAIRS else "quote"
                yield (
                    at,
                    (
                        f'unbalanced {kind}: "{char}" closes nothing — add "{opener}" before it '
                        "or remove it"
                    ),
                )
    for opener, positions in stacks.items():
        kind = "bracket" if opener in _PAIRS else "quote"
        closer = pairs[opener]
        for at in positions:
            yield (
                at,
                (
                    f'unbalanced {kind}: "{opener}" is never closed — close it with "{closer}" '
                    "or remove it"
                ),
            )
