"""Shared browser test tools: Debian's Chromium driven by Playwright, and a local static server.

Browser tests never skip: ``scripts/test.sh`` installs Chromium, so a missing browser is a failure.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium; Playwright's own browser download is never used."""
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Flags for a headless, offline Chromium running as root."""


def require_chromium() -> None:
    """Fail (not skip) when Chromium is missing."""
    if not CHROMIUM.exists():
        pytest.fail("需要 Debian chromium（运行 scripts/test.sh 会安装）", pytrace=False)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless Chromium browser for the duration of the block."""
    require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yields the base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        thread.join()


def type_search(page: Any, query: str) -> None:
    """Type a query into the site's search box as a reader does (opening the box first on a phone)."""
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for='__search']")
    if opener.is_visible():  # a phone shows a search button that opens the box
        opener.click()
    box.click()
    box.fill(query)
    box.press("End")  # an input method commits Chinese text with a key press
