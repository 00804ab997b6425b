"""Verify a report: read the fingerprint it carries and recompute it from the repository.

A report matches when its recorded digest equals the digest of its recorded parts (nobody edited
the properties) and those parts equal what the repository gives now: the same input files, the
same commit, system edition and generator version.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ... import __version__
from ...fingerprint import Fingerprint, compute_fingerprint, git_commit
from ...load import load_system

PROPERTY = "ZwpjFingerprint"
"""Name of the document property (DOCX custom property, PDF info entry) holding the fingerprint."""
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
PART_NAMES = {
    "inputs": "输入文件（评价目录与指标体系目录）",
    "commit": "版本提交",
    "edition": "指标体系版本",
    "generator": "生成器版本",
}


@dataclass(frozen=True)
class VerifyResult:
    """Whether a report matches the repository, and what differs if not."""

    path: Path
    """The report checked."""
    recorded: Fingerprint
    """The fingerprint's parts as the report records them."""
    recorded_digest: str
    """The digest as the report records it."""
    current: Fingerprint | None
    """The fingerprint recomputed from the repository (None when its folders are missing)."""
    problems: tuple[str, ...] = field(default=())
    """What differs, in Chinese; empty when the report matches."""

    @property
    def ok(self) -> bool:
        """True when the report matches the repository exactly."""
        return not self.problems


def read_fingerprint(path: Path) -> tuple[Fingerprint, str]:
    """The fingerprint a DOCX or PDF report carries, and its recorded digest; ValueError if it has none."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text = _docx_property(path)
    elif suffix == ".pdf":
        text = _pdf_property(path)
    else:
        raise ValueError(f"只能核验 .docx 或 .pdf 报告：{path.name}")
    if not text:
        raise ValueError(f"报告中没有报告指纹（{PROPERTY}）：{path.name}")
    return Fingerprint.decode(text)


def _docx_property(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("docProps/custom.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ValueError(f"无法读取 DOCX 文档属性：{path.name}（{exc}）") from exc
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        if prop.get("name") == PROPERTY:
            return "".join(prop.itertext()).strip()
    return None


def _pdf_property(path: Path) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        info = PdfReader(path).metadata or {}
    except (PdfReadError, OSError) as exc:
        raise ValueError(f"无法读取 PDF 元数据：{path.name}（{exc}）") from exc
    return pdf_property(info, PROPERTY)


def pdf_property(info: Mapping[str, object], name: str) -> str | None:
    """A custom PDF metadata entry; WeasyPrint writes names lower-cased, letters only."""
    wanted = re.sub(r"[^a-z]", "", name.lower())
    return next((str(v) for k, v in info.items() if re.sub(r"[^a-z]", "", k.lower()) == wanted), None)


def verify_report(path: Path, repo_root: Path) -> VerifyResult:
    """Recompute a report's fingerprint from ``repo_root`` and compare it part by part."""
    recorded, digest = read_fingerprint(path)
    problems: list[str] = []
    if digest != recorded.digest:
        problems.append("报告记录的指纹与其组成部分不一致：报告属性可能被改动。")
    current = current_fingerprint(repo_root, recorded)
    if current is None:
        problems.append(f"仓库中找不到报告所依据的目录：{recorded.evaluation} 或 {recorded.system}。")
        return VerifyResult(path, recorded, digest, None, tuple(problems))
    for part, label in PART_NAMES.items():
        was, now = getattr(recorded, part), getattr(current, part)
        if was != now:
            problems.append(f"{label}不同：报告为 {was}，仓库当前为 {now}。")
    return VerifyResult(path, recorded, digest, current, tuple(problems))


def current_fingerprint(repo_root: Path, recorded: Fingerprint) -> Fingerprint | None:
    """The fingerprint the repository gives now for the report's evaluation and system folders."""
    if not (repo_root / recorded.evaluation).is_dir() or not (repo_root / recorded.system).is_dir():
        return None
    system, _problems = load_system(repo_root, repo_root / recorded.system)
    edition = system.system.edition if system is not None else "?"
    folders = (recorded.evaluation, recorded.system)
    return compute_fingerprint(
        repo_root, *folders, edition=edition, generator=__version__, commit=git_commit(repo_root, folders)
    )
