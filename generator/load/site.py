"""What the site's pages need to know of ``mkdocs.yml``: its name and address, read once at load.

The feeds and the badges' embed codes link to the site: with ``site_url`` the links are absolute,
without it relative. Rendering takes the ``SiteAddress`` read here and opens no file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_SITE_NAME = "“互联网+政务服务”服务质量评价"
"""Site name when mkdocs.yml gives none."""


@dataclass(frozen=True)
class SiteAddress:
    """What the feeds and embed codes need to know of the site from mkdocs.yml."""

    name: str = DEFAULT_SITE_NAME
    """``site_name``."""
    url: str | None = None
    """``site_url`` with a trailing slash, or None when not set."""

    def link(self, path: str) -> str:
        """``path`` (from the site root) as an absolute URL when ``site_url`` is set, else as it is."""
        return self.url + path if self.url else path


def read_site_address(config_file: Path) -> SiteAddress:
    """``site_name`` and ``site_url`` from mkdocs.yml (read as mkdocs reads it, ``!ENV`` included)."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as f:
        config = yaml_load(f) or {}
    url = str(config.get("site_url") or "").strip() or None
    if url and not url.endswith("/"):
        url += "/"
    return SiteAddress(str(config.get("site_name") or DEFAULT_SITE_NAME), url)
