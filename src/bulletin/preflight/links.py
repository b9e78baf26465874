"""Check 6, links: addresses and e-mail addresses in the text are well formed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from bulletin.preflight.report import Finding, Severity
from bulletin.preflight.source import IssueText

LINK = re.compile(r"\b(?:https?|mailto):[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def check_links(issue: IssueText) -> Iterator[Finding]:
    """Return a finding for each malformed web or e-mail address in the text."""
    for item in issue.fields:
        if item.kind == "email":
            links: list[tuple[int, str]] = [(0, "mailto:" + item.text.strip())]
        elif item.kind == "url":
            links = [(0, item.text.strip())]
        else:
            links = [(m.start(), m.group().rstrip(".,;:!?")) for m in LINK.finditer(item.text)]
        for offset, link in links:
            found = _link_problem(link)
            if found:
                severity, message = found
                problem = issue.problem(
                    item.loc, message, publication=item.publication, offset=offset
                )
                yield Finding(severity, "links", item.story, problem)


def _link_problem(link: str) -> tuple[Severity, str] | None:
    """Return the severity and description of what is wrong with ``link``, or None."""
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        reason = _email_problem(parts.path)
        if reason:
            return "error", f'email address "{parts.path}" is not well-formed: {reason}'
        return None
    if scheme not in {"http", "https"}:
        return None
    host = parts.hostname or ""
    if "." not in host:
        return "error", (
            f'link "{link}" has no domain: a web address starts with https:// and a '
            "domain, like https://www.iom.int/"
        )
    if scheme == "http":
        secure = "https" + link[len("http") :]
        return "warning", f'link "{link}" is not https — write {secure} if the site has it'
    return None


def _email_problem(address: str) -> str | None:
    """Return what makes ``address`` malformed, in plain words, or None."""
    if any(char.isspace() for char in address):
        return "it contains a space"
    if address.count("@") != 1:
        return "it needs exactly one @"
    local, domain = address.split("@")
    if not local or not domain:
        return "it needs a name before the @ and a domain after it"
    if ".." in address:
        return "it has two dots in a row"
    if not _LOCAL_PART.match(local):
        bad = sorted({c for c in local if not re.match(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", c)})
        if bad:
            return f"the name before the @ has {', '.join(repr(c) for c in bad)}"
        return "the name before the @ starts or ends with a dot"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f'the domain "{domain}" is not valid'
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return f'the domain "{domain}" is not valid'
    if not (labels[-1].isalpha() and len(labels[-1]) >= 2) and not labels[-1].startswith("xn--"):
        return f'the domain "{domain}" does not end in a top-level domain like .org'
    return None
