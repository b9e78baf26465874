"""The fetcher is the layout engine's only way to read: issue, layout and fonts, nothing else."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from bulletin.errors import RenderError
from bulletin.pdf.fetch import FetchRefused, FolderFetcher
from bulletin.pdf.typeset import render_pdf
from conftest import SAMPLE

OUTSIDE = "it lies outside the issue, layout and fonts"


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    """Return a folder the fetcher may read, holding photo.jpg."""
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """Return a file next to the allowed folder, which the fetcher must not read."""
    path = tmp_path / "secret.txt"
    path.write_text("not for print")
    return path


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fail any attempt to resolve a name or open a connection; return the attempts."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def _read(fetcher: FolderFetcher, url: str) -> bytes:
    response = fetcher.fetch(url)
    try:
        return bytes(response.read())
    finally:
        response.close()


def test_serves_a_file_inside_an_allowed_folder(allowed: Path) -> None:
    fetcher = FolderFetcher([allowed])

    assert _read(fetcher, (allowed / "photo.jpg").as_uri()) == b"\xff\xd8 a photo"


def test_serves_a_data_url(allowed: Path) -> None:
    fetcher = FolderFetcher([allowed])

    assert _read(fetcher, "data:text/plain;base64,aGVsbG8=") == b"hello"


def test_refuses_a_file_outside(allowed: Path) -> None:
    fetcher = FolderFetcher([allowed])

    with pytest.raises(FetchRefused) as caught:
        fetcher.fetch("file:///etc/passwd")

    assert str(caught.value) == f"refused to read /etc/passwd: {OUTSIDE}"


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        pytest.param("/../secret.txt", "/../secret.txt", id="dot-dot"),
        pytest.param("/%2E%2E/secret.txt", "/../secret.txt", id="percent-encoded-dot-dot"),
        pytest.param("/./../secret.txt?x#y", "/./../secret.txt", id="with-query-and-fragment"),
    ],
)
def test_refuses_dot_dot_out_of_an_allowed_folder(
    allowed: Path, secret: Path, escape: str, shown: str
) -> None:
    fetcher = FolderFetcher([allowed])

    with pytest.raises(FetchRefused) as caught:
        fetcher.fetch(allowed.as_uri() + escape)

    assert str(caught.value) == f"refused to read {allowed}{shown}: {OUTSIDE}"


@pytest.mark.parametrize(
    "link",
    [
        pytest.param("secret-link.txt", id="file-link"),
        pytest.param("folder-link/secret.txt", id="folder-link"),
    ],
)
def test_refuses_a_symlink_inside_that_points_outside(
    allowed: Path, secret: Path, link: str
) -> None:
    (allowed / "secret-link.txt").symlink_to(secret)
    (allowed / "folder-link").symlink_to(secret.parent)
    fetcher = FolderFetcher([allowed])

    with pytest.raises(FetchRefused) as caught:
        fetcher.fetch((allowed / link).as_uri())

    assert str(caught.value) == f"refused to read {allowed / link}: {OUTSIDE}"


def test_follows_a_symlink_that_stays_inside(allowed: Path) -> None:
    (allowed / "lead.jpg").symlink_to(allowed / "photo.jpg")
    fetcher = FolderFetcher([allowed])

    assert _read(fetcher, (allowed / "lead.jpg").as_uri()) == b"\xff\xd8 a photo"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://example.org/photo.jpg", id="https"),
        pytest.param("http://127.0.0.1:9/photo.jpg", id="http"),
        pytest.param("ftp://example.org/photo.jpg", id="ftp"),
    ],
)
def test_refuses_other_schemes_before_connecting(
    allowed: Path, no_network: list[object], url: str
) -> None:
    fetcher = FolderFetcher([allowed])

    with pytest.raises(FetchRefused) as caught:
        fetcher.fetch(url)

    assert str(caught.value) == f"refused to fetch {url}: only files of the issue are allowed"
    assert no_network == []


@pytest.mark.parametrize(
    ("src", "message"),
    [
        pytest.param(
            "file:///etc/hostname",
            "page.html: the layout engine could not load a resource: Failed to load image at "
            "'file:///etc/hostname': FetchRefused: refused to read /etc/hostname: " + OUTSIDE,
            id="local-file",
        ),
        pytest.param(
            "https://example.org/photo.jpg",
            "page.html: the layout engine could not load a resource: Failed to load image at "
            "'https://example.org/photo.jpg': FetchRefused: refused to fetch "
            "https://example.org/photo.jpg: only files of the issue are allowed",
            id="web-address",
        ),
    ],
)
def test_render_fails_on_an_image_from_outside(
    tmp_path: Path, no_network: list[object], src: str, message: str
) -> None:
    html = f'<!DOCTYPE html><html lang="en"><body><p>Text</p><img src="{src}"></body></html>'

    with pytest.raises(RenderError) as caught:
        render_pdf(
            html,
            base_dir=tmp_path,
            folders=[tmp_path],
            fonts_dir=SAMPLE / "fonts",
            source="page.html",
        )

    assert [str(problem) for problem in caught.value.problems] == [message]
    assert no_network == []
