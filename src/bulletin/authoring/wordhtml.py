"""Turn the HTML mammoth makes of a Word document into a story: title, kicker, Markdown body.

mammoth gives a small, regular HTML (p, h1-h6, strong, em, a, ul/ol/li, img,
br, table) with the document's styles mapped to classes. Its own Markdown
output is deprecated and escapes every full stop, so this module writes the
Markdown the manifest reads: paragraphs, ``*emphasis*``, ``**strong**``,
``[links](https://…)``, lists and ``###`` subheadings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

IMAGE_SRC = "bulletin-image:"
"""The ``src`` prefix the importer gives each embedded image: ``bulletin-image:3``."""

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table"})
_VOID = frozenset({"br", "img", "hr"})
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters that Markdown would read as markup, anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What Markdown reads as a block at the start of a line.
_LINE_START = re.compile(r"^([ ]{0,3})([#>+=|~-]|\d{1,9}(?=[.)]))")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    """Build a tree of the (well-formed) HTML mammoth writes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass
class Picture:
    """An embedded image, where it stands in the document, and the words around it."""

    index: int
    """The importer's number of the image (``bulletin-image:<index>``)."""
    alt: str
    """The image's alt text (Word's "Alt Text", the drawing's descr), or ``""``."""
    caption: str = ""
    """The paragraph styled Caption right after it, if any."""


@dataclass
class Draft:
    """A story as read from a document, before it becomes manifest text."""

    title: str = ""
    """The headline: the Title (or first Heading 1) paragraph, else the first paragraph."""
    kicker: str = ""
    """The paragraph styled Kicker or Subtitle, if any."""
    standfirst: str = ""
    """The paragraph styled Standfirst, if any."""
    body: str = ""
    """The story text in Markdown."""
    pictures: list[Picture] = field(default_factory=list)
    """The embedded images, in document order."""
    notes: list[str] = field(default_factory=list)
    """What did not come across as it was, in plain words."""
    title_from_first_paragraph: bool = False
    """True when no paragraph was styled as a title and the first one was taken."""


def read_story(html: str) -> Draft:
    """Return the story in ``html``, as mammoth converts a Word document with our style map."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    draft = Draft()
    blocks = [child for child in builder.root.children if isinstance(child, _Element)]
    title = _find_title(blocks, draft)
    writer = _Writer(draft)
    levels = sorted(
        {int(b.tag[1]) for b in blocks if b.tag in _HEADINGS and b is not title and _text(b)}
    )
    writer.heading_marks = {level: "#" * min(3 + rank, 4) for rank, level in enumerate(levels)}
    for block in blocks:
        if block is title:
            continue
        if "kicker" in block.classes and not draft.kicker:
            draft.kicker = _text(block)
        elif "standfirst" in block.classes and not draft.standfirst:
            draft.standfirst = _text(block)
        elif "caption" in block.classes and writer.last_was_picture and draft.pictures:
            draft.pictures[-1].caption = _text(block)
            writer.last_was_picture = False
        else:
            writer.block(block)
    draft.body = "\n\n".join(part for part in writer.parts if part.strip()) + "\n"
    if not draft.body.strip():
        draft.body = ""
    return draft


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _find_title(blocks: list[_Element], draft: Draft) -> _Element | None:
    styled = next((b for b in blocks if b.tag == "h1" and "title" in b.classes and _text(b)), None)
    heading = next((b for b in blocks if b.tag == "h1" and _text(b)), None)
    if styled or heading:
        chosen = styled or heading
        assert chosen is not None
        draft.title = _text(chosen)
        return chosen
    for block in blocks:
        if block.tag == "p" and not block.classes & {"kicker", "standfirst", "caption"}:
            text = _text(block)
            if text and len(text) <= 200:
                draft.title = text
                draft.title_from_first_paragraph = True
                return block
            if text:
                return None
    return None


def _text(element: _Element | str) -> str:
    """Return the plain text of ``element``, its spaces collapsed, without images."""
    if isinstance(element, str):
        return _CONTROL.sub("", element)
    if element.tag == "br":
        return " "
    return " ".join(_SPACE.split("".join(_text(child) for child in element.children))).strip()


class _Writer:
    """Write the body's blocks as Markdown, collecting pictures and notes."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.parts: list[str] = []
        self.heading_marks: dict[int, str] = {}
        self.last_was_picture = False
        self.table_noted = False

    def block(self, element: _Element) -> None:
        before = len(self.draft.pictures)
        if element.tag in _HEADINGS:
            text = self.inline(element)
            if text:
                self.parts.append(f"{self.heading_marks.get(int(element.tag[1]), '####')} {text}")
        elif element.tag in {"ul", "ol"}:
            self.parts.append("\n".join(self.list_lines(element)))
        elif element.tag == "table":
            if not self.table_noted:
                self.draft.notes.append("a table became plain paragraphs, one per cell")
                self.table_noted = True
            for cell in _descendants(element, {"td", "th"}):
                self.container(cell)
        elif element.tag in {"p", "li", "td", "th"} or element.tag not in _BLOCKS:
            self.parts.append(_protect_lines(self.inline(element)))
        else:
            self.container(element)
        self.last_was_picture = len(self.draft.pictures) > before

    def container(self, element: _Element) -> None:
        """Write the blocks inside ``element``; loose text as a paragraph."""
        loose: list[_Element | str] = []
        for child in element.children:
            if isinstance(child, _Element) and child.tag in _BLOCKS:
                if loose:
                    self.parts.append(_protect_lines(self.inline(_Element("p", {}, loose))))
                    loose = []
                self.block(child)
            else:
                loose.append(child)
        if loose:
            self.parts.append(_protect_lines(self.inline(_Element("p", {}, loose))))

    def list_lines(self, element: _Element) -> list[str]:
        """Return the lines of a list, nested lists indented under their item."""
        lines: list[str] = []
        number = 0
        for item in element.children:
            if not (isinstance(item, _Element) and item.tag == "li"):
                continue
            number += 1
            marker = f"{number}. " if element.tag == "ol" else "- "
            pad = " " * len(marker)
            text_parts: list[_Element | str] = []
            nested: list[str] = []
            for child in item.children:
                if isinstance(child, _Element) and child.tag in {"ul", "ol"}:
                    nested += self.list_lines(child)
                elif isinstance(child, _Element) and child.tag == "p":
                    text_parts += [" ", *child.children, " "]
                else:
                    text_parts.append(child)
            text = _protect_lines(self.inline(_Element("li", {}, text_parts)))
            first, *rest = text.split("\n") if text else [""]
            lines.append((marker + first).rstrip())
            lines += [pad + line for line in rest]
            lines += [pad + line if line else "" for line in nested]
        return lines

    def inline(self, element: _Element) -> str:
        """Return the inline Markdown of ``element``'s children, trimmed."""
        text = "".join(self._inline(child) for child in element.children)
        lines = [" ".join(line.split(" ")).strip(" ") for line in text.split("\n")]
        return re.sub(r" {2,}", " ", "\n".join(lines)).strip()

    def _inline(self, node: _Element | str) -> str:
        if isinstance(node, str):
            return _escape(_SPACE.sub(" ", _CONTROL.sub("", node)))
        tag = node.tag
        if tag == "img":
            self._picture(node)
            return ""
        if tag == "br":
            return "\\\n"
        inner = "".join(self._inline(child) for child in node.children)
        if tag in {"strong", "b"}:
            return _wrap(inner, "**")
        if tag in {"em", "i"}:
            return _wrap(inner, "*")
        if tag == "a":
            return self._link(node, inner)
        return inner

    def _picture(self, node: _Element) -> None:
        src = node.attrs.get("src", "")
        if src.startswith(IMAGE_SRC):
            self.draft.pictures.append(
                Picture(int(src[len(IMAGE_SRC) :]), _text(node.attrs.get("alt", "")))
            )

    def _link(self, node: _Element, inner: str) -> str:
        href = node.attrs.get("href", "").strip()
        if href.startswith("#"):
            # A footnote's back-reference ("↑") or a bookmark: no place in print.
            return "" if href.startswith(("#footnote-ref", "#endnote-ref")) else inner
        scheme = urlsplit(href).scheme.lower()
        if scheme not in _LINK_SCHEMES or not inner.strip():
            if href:
                self.draft.notes.append(
                    f"the link on '{_text(node)}' went to '{href}', which readers cannot open: "
                    "it is plain text now"
                )
            return inner
        safe = quote(href, safe="/:?#[]@!$&'*+,;=%~-._")
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}[{inner.strip()}]({safe}){trail}"


def _descendants(element: _Element, tags: set[str]) -> list[_Element]:
    found: list[_Element] = []
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag in tags:
                found.append(child)
            else:
                found += _descendants(child, tags)
    return found


def _wrap(inner: str, mark: str) -> str:
    """Return ``inner`` emphasised, with the spaces Word leaves inside moved outside."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _escape(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _TAG_LIKE.sub(r"\\<", text)
    return _ENTITY_LIKE.sub(r"\\&", text)


def _protect_lines(text: str) -> str:
    """Escape what Markdown would read as a heading, quote or list at a line's start."""
    return "\n".join(_LINE_START.sub(_escape_start, line) for line in text.split("\n"))


def _escape_start(match: re.Match[str]) -> str:
    space, mark = match[1], match[2]
    if mark.isdigit():
        return space + mark + "\\"  # "2021. A year" → "2021\. A year"
    return space + "\\" + mark
