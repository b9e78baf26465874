"""Write values as YAML text, for manifests edited as text rather than dumped again."""

from __future__ import annotations

import yaml


def scalar(text: str) -> str:
    """Return ``text`` as a one-line YAML value: plain where that is safe, quoted otherwise."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_style=None)
    value = dumped.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in value:  # safe_dump only folds a value with line breaks of its own
        value = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_style='"')
        value = value.removesuffix("\n")
    return value


def block(key: str, text: str, indent: int) -> list[str]:
    """Return the lines of ``key: |`` followed by ``text``, each line indented by ``indent``."""
    pad = " " * indent
    lines = text.rstrip("\n").split("\n")
    # A first line that starts with a space needs the indentation said explicitly.
    header = f"{key}: |2" if lines and lines[0].startswith(" ") else f"{key}: |"
    body = [f"{pad}  {line}" if line.strip() else "" for line in lines]
    return [f"{pad}{header}", *body]
