"""The files a build publishes for readers to download and keep, and their SHA-256 digests.

Every build lists each report (DOCX, tagged PDF, archival PDF/A) and each open-data file with its
SHA-256 in ``manifest.json`` (and ``SHA256SUMS``, for ``sha256sum -c``) at the site's root; each
evaluation page shows its own files' digests. ``zwpj verify`` looks a report up there.
"""

from __future__ import annotations

REPORT_SUFFIXES = (".docx", ".pdf", "-pdfa.pdf")
"""Report files of an evaluation: ``<id>.docx``, ``<id>.pdf`` (tagged) and ``<id>-pdfa.pdf`` (archival)."""
