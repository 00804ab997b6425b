"""``zwpj serve`` shows the build's problems in the browser, not only in the terminal.

The command runs as an evaluator runs it; pages are fetched over HTTP as a browser would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from buildlib import make_repository

pytestmark = pytest.mark.slow

BAD = "2024-shexian-county"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback address
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _until(url: str, want, timeout: float = 240) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            status, body = _get(url)
            last = body
            if want(status, body):
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show what was expected in time:\n{last[:2000]}")


@contextmanager
def _serve(root: Path) -> Iterator[str]:
    """``zwpj serve`` on a free port for the duration of the block; its address."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-p", str(port), "--root", str(root)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = make_repository(tmp_path / "repo", [BAD, "2023-hefei-platform", "2024-hefei-platform"])
    with _serve(root) as url:
        yield root, url


def _break(root: Path) -> tuple[Path, str]:
    path = root / "evaluations" / BAD / "evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nnot_a_field: 1\n", encoding="utf-8")
    return path, text


def test_left_out_evaluations_are_shown_on_every_page_until_fixed(serving: tuple[Path, str]) -> None:
    root, url = serving
    _until(url + "index.html", lambda status, body: status == 200 and "zwpj-preview-problems" not in body)
    path, text = _break(root)
    page = _until(url + "index.html", lambda status, body: "zwpj-preview-problems" in body)
    assert f"evaluations/{BAD}" in page and "E201" in page and "not_a_field" in page
    other = _until(url + "evaluations/2024-hefei-platform.html", lambda status, body: status == 200)
    assert "zwpj-preview-problems" in other
    path.write_text(text, encoding="utf-8")
    _until(url + "index.html", lambda status, body: status == 200 and "zwpj-preview-problems" not in body)


def test_a_repository_that_cannot_be_built_shows_why(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", [BAD])
    _break(root)
    with _serve(root) as url:
        page = _until(url + "index.html", lambda status, body: "zwpj-preview-problems" in body)
    assert "没有可显示的页面" in page and "E201" in page


def test_the_banner_escapes_what_it_quotes() -> None:
    from generator.build.preview import banner
    from generator.build.publishable import LeftOut
    from generator.diagnostics import diag

    error = diag(
        "evaluations/x/evaluation.yaml",
        3,
        1,
        "E201",
        key="<img src=x onerror=alert(1)>",
        suggestion_zh="",
        suggestion_en="",
        allowed="id",
    )
    item = LeftOut("evaluation", "evaluations/x", "x", "<script>alert(1)</script>", (error,))
    html = banner(left_out=(item,), failure="<b>boom</b>")
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html and "&lt;b&gt;boom" in html
    assert banner() == ""


def _raw_get(url: str, target: str) -> str:
    """The whole response to ``GET target`` sent as written (no client-side normalising of ``..``)."""
    host, port = url.removeprefix("http://").strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def test_no_request_reads_outside_the_built_site(serving: tuple[Path, str]) -> None:
    root, url = serving
    secret = "SERVE-SECRET-4f2a"
    (root.parent / "secret.txt").write_text(secret, encoding="utf-8")
    (root / "note.txt").write_text(secret, encoding="utf-8")  # in the repository, not in the site
    _until(url + "index.html", lambda status, body: status == 200)
    assert _raw_get(url, "/index.html").startswith("HTTP/1.0 200"), "the raw request reaches the server"
    targets = [
        "/../secret.txt",
        "/../../secret.txt",
        "/../note.txt",
        "/%2e%2e/note.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/..%2fnote.txt",
        "/..%2f..%2fsecret.txt",
        "/" + str(root.parent / "secret.txt"),
        "//" + str(root / "note.txt"),
        "/%00/../note.txt",
    ]
    for target in targets:
        response = _raw_get(url, target)
        assert secret not in response, target
        assert "Traceback" not in response, target
