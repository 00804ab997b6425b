"""The 404 page, made to work wherever the site is hosted.

A host serves ``404.html`` for every missing address, at any depth: ``/x/y/missing.html`` shows
it with ``/x/y/`` as its folder. mkdocs therefore links that page from the site root, which is
``/`` unless ``site_url`` names the real one; a site under a sub-path (a project's Pages at
``/<project>/``) without ``site_url`` would show the page unstyled, its links broken. Without
``site_url`` the page here carries its stylesheets and icon inline, so it is styled at any address, and a
small script finds the site's root by asking for a file only this site has (``search/manifest.js``)
in each folder above the address, then points the links, the search and the scripts there.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

MARKER = "search/manifest.js"
"""A file at the site's root that only this site has (the search index's first file)."""

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="/([^"]+)">')
_ICON = re.compile(r'<link rel="icon" href="/([^"]+\.png)">')
_SCRIPT = re.compile(r'<script src="/([^"]+)"></script>')
FIND_ROOT = Path(__file__).with_name("notfound.js")
"""The script that finds the root: it asks for ``MARKER``."""


def portable_not_found(site_dir: Path, site_url: str | None) -> None:
    """Rewrite ``404.html`` as described above, unless ``site_url`` gives it correct links already."""
    page = site_dir / "404.html"
    if site_url or not page.is_file():
        return
    html = page.read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        path = site_dir / match.group(1)
        if not path.is_file() or not path.resolve().is_relative_to(site_dir.resolve()):
            return match.group(0)
        return "<style>" + path.read_text(encoding="utf-8").replace("</", "<\\/") + "</style>"

    def icon(match: re.Match[str]) -> str:
        path = site_dir / match.group(1)
        if not path.is_file() or not path.resolve().is_relative_to(site_dir.resolve()):
            return match.group(0)
        return (
            f'<link rel="icon" href="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}">'
        )

    html = _STYLESHEET.sub(inline, html)
    html = _ICON.sub(icon, html)
    html = _SCRIPT.sub(r'<script type="text/plain" data-zwpj-src="\1"></script>', html)
    script = FIND_ROOT.read_text(encoding="utf-8")
    html = html.replace("</body>", f"<script>{script}</script>\n</body>", 1)
    page.write_text(html, encoding="utf-8")
