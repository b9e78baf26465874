"""Confine the layout engine to the fonts shipped in ``fonts/``.

WeasyPrint asks fontconfig for every font, and fontconfig falls back to any
system font for a missing family or glyph. Pointing fontconfig at a
configuration that lists only our folder makes such a fallback impossible: a
missing glyph shows up as a missing glyph (and is reported), never as a
foreign typeface in print.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2"})


def confine_fonts(fonts_dir: Path) -> None:
    """Point fontconfig at ``fonts_dir`` only, for every font configuration made after this."""
    fonts_dir = fonts_dir.resolve()
    folder = _own_folder()
    key = hashlib.sha256(str(fonts_dir).encode()).hexdigest()[:16]
    conf = folder / f"fonts-{key}.conf"
    text = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(fonts_dir))}</dir>\n"
        f"  <cachedir>{escape(str(folder / ('cache-' + key)))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not conf.is_file() or conf.read_text() != text:
        temporary = conf.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text)
        temporary.replace(conf)
    # fontconfig reads this variable each time a configuration is loaded, which
    # WeasyPrint does for every FontConfiguration (weasyprint/text/fonts.py).
    os.environ["FONTCONFIG_FILE"] = str(conf)


def _own_folder() -> Path:
    """Return this user's folder for the configuration, private to them.

    One folder per user: on a machine shared by several, another user's folder is not
    writable, and a configuration someone else could write could point at other fonts.
    """
    folder = Path(tempfile.gettempdir()) / f"bulletin-fontconfig-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    status = folder.lstat()
    if status.st_uid != os.getuid() or not stat.S_ISDIR(status.st_mode) or status.st_mode & 0o022:
        # Not ours (made by someone else, or a link): one of our own for this process.
        return Path(tempfile.mkdtemp(prefix="bulletin-fontconfig-"))
    return folder


def list_fonts(fonts_dir: Path) -> list[Path]:
    """Return the font files in ``fonts_dir``, sorted by name."""
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
