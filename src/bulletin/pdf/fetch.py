"""The only door through which the layout engine may read a resource.

WeasyPrint's default fetcher reads any local file and any web address. Ours
serves ``data:`` URLs and files inside a fixed set of folders (the issue, the
layout, the fonts), after resolving symbolic links, and refuses the rest.
It also serves files by name (``bulletin-photo:<hash>.jpg``): the engine
names each image after its URL, so a name that does not depend on where the
project lies keeps the PDF the same wherever it is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher


class FetchRefused(ValueError):
    """A resource lies outside the folders the build may read."""


class FolderFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``data:`` URLs and files inside ``folders``; refuse everything else."""

    def __init__(self, folders: Iterable[Path], **kwargs: Any) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)
        self.folders = tuple(folder.resolve() for folder in folders)
        self.named: Mapping[str, Path] = {}
        """Files served by name: the URL as the HTML writes it, and the file."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the resource at ``url`` if it is allowed, else raise :class:`FetchRefused`."""
        if url in self.named:
            resolved = self.check_path(str(self.named[url]))
            return super().fetch(resolved.as_uri(), headers)
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise FetchRefused(f"refused to fetch {url}: only files of the issue are allowed")
        # Open the resolved path, not the URL, so a link swapped in between
        # the check and the read cannot lead outside.
        resolved = self.check_path(url2pathname(urlsplit(url).path))
        return super().fetch(resolved.as_uri(), headers)

    def check_path(self, path: str) -> Path:
        """Return ``path`` resolved, or raise :class:`FetchRefused` if it leaves our folders."""
        resolved = Path(path).resolve()
        if not any(resolved.is_relative_to(folder) for folder in self.folders):
            raise FetchRefused(
                f"refused to read {path}: it lies outside the issue, layout and fonts"
            )
        return resolved
