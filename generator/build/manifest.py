"""The files a build publishes for readers to download and keep, and their SHA-256 digests.

Every build lists each report (DOCX, tagged PDF, archival PDF/A) and each open-data file with its
SHA-256 and size in ``manifest.json`` (and ``SHA256SUMS``, for ``sha256sum -c``) at the site's root;
each evaluation page shows its own files' digests. ``zwpj verify`` looks a report up there: a file
whose digest is listed is byte for byte the one the site published.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import __version__

REPORT_SUFFIXES = (".docx", ".pdf", "-pdfa.pdf")
"""Report files of an evaluation: ``<id>.docx``, ``<id>.pdf`` (tagged) and ``<id>-pdfa.pdf`` (archival)."""
MANIFEST = "manifest.json"
"""The manifest at the site's root."""
SUMS = "SHA256SUMS"
"""The same digests in ``sha256sum`` format, beside it."""
FORMAT = "zwpj-manifest-1"
PUBLISHED = ("reports", "data")
"""Folders of the site whose files are listed (their HTML pages are not: they change with the theme)."""


@dataclass(frozen=True)
class PublishedFile:
    """One listed file."""

    path: str
    """Path from the site's root, with forward slashes."""
    sha256: str
    """SHA-256 of its bytes, in hex."""
    size: int
    """Size in bytes."""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    """SHA-256 of text as a page writes it (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def published_files(site: Path) -> list[PublishedFile]:
    """Every report and open-data file in a built site, sorted by path."""
    found = []
    for folder in PUBLISHED:
        base = site / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.suffix != ".html":
                rel = path.relative_to(site).as_posix()
                found.append(PublishedFile(rel, sha256_file(path), path.stat().st_size))
    return sorted(found, key=lambda f: f.path)


def write_manifest(site: Path, files: Iterable[PublishedFile]) -> None:
    """``manifest.json`` and ``SHA256SUMS`` at the site's root (stable bytes: no time stamp)."""
    listed = sorted(files, key=lambda f: f.path)
    data = {
        "format": FORMAT,
        "generator": __version__,
        "files": [{"path": f.path, "sha256": f.sha256, "bytes": f.size} for f in listed],
    }
    (site / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (site / SUMS).write_text("".join(f"{f.sha256}  {f.path}\n" for f in listed), encoding="utf-8")


class ManifestError(ValueError):
    """A manifest that cannot be read."""


def read_manifest(path: Path) -> list[PublishedFile]:
    """A manifest's files (``path`` is manifest.json or the site folder that holds it)."""
    if path.is_dir():
        path = path / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ManifestError(f"不是本生成器的发布清单（format 应为 {FORMAT}）：{path}")
        files = [PublishedFile(f["path"], f["sha256"], int(f["bytes"])) for f in data["files"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ManifestError):
            raise
        raise ManifestError(f"无法读取发布清单 {path}：{exc}") from exc
    return files
