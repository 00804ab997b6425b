"""Verify a report file: four checks, each said separately, of what still holds.

1. **Fingerprint** — the fingerprint the file carries is whole (its digest matches its parts) and
   matches the repository now: the same input files, commit, system edition and generator version.
2. **Rebuild** — the file is byte for byte what the recorded commit builds: the evaluation, its
   system and the templates are taken from that commit (``git archive``; the work tree when the
   report was made from uncommitted files) and the report is made again here. A signed PDF is
   this rebuild followed by one revision that holds only its signature.
3. **Manifest** — its SHA-256 is listed in the published ``manifest.json``.
4. **Signature** — a PDF's PAdES signature is intact, covers the whole file and, given the body's
   certificate (``--trust``), was made with it.

Rebuild, manifest and signature each prove the file's own content; the fingerprint ties it to the
repository. A report passes when no check fails and at least one of the three proves its content.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from generator import __version__
from generator.build.cache import REPORT_PACKAGES, package_versions
from generator.build.manifest import ManifestError, PublishedFile, read_manifest
from generator.load.repository import load_system
from generator.paths import TooLarge, read_bounded
from generator.pipeline import check, score_one
from generator.render.report.fingerprint import (
    UNCOMMITTED,
    Fingerprint,
    compute_fingerprint,
    git_commit,
    report_folders,
)
from generator.render.report.pandoc import ReportError, find_pandoc

PROPERTY = "ZwpjFingerprint"
"""Name of the document property (DOCX custom property, PDF info entry) holding the fingerprint."""
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
PART_NAMES = {
    "inputs": "输入文件（评价目录与指标体系目录）",
    "commit": "版本提交",
    "edition": "指标体系版本",
    "generator": "生成器版本",
}
Status = Literal["ok", "failed", "skipped"]
Kind = Literal["docx", "pdf", "archive"]


@dataclass(frozen=True)
class Check:
    """One check of a report file."""

    name: str
    """What is checked, in Chinese."""
    status: Status
    """Holds, does not hold, or could not be made."""
    detail: str
    """What was found, in Chinese."""
    proves_content: bool = False
    """True when, holding, it proves the file's bytes (rebuild, manifest, signature)."""


@dataclass(frozen=True)
class VerifyResult:
    """Every check of one report file."""

    path: Path
    """The file checked."""
    recorded: Fingerprint | None
    """The fingerprint it carries (None when it carries none that can be read)."""
    checks: tuple[Check, ...] = field(default=())
    """The checks, in the order above."""

    @property
    def ok(self) -> bool:
        """No check fails and at least one proves the file's content."""
        return not self.failed and any(c.status == "ok" and c.proves_content for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that do not hold."""
        return tuple(c for c in self.checks if c.status == "failed")


def read_properties(path: Path) -> dict[str, str]:
    """The custom properties a DOCX or PDF report carries (names as written: ZwpjFingerprint …)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_properties(path)
    if suffix == ".pdf":
        return _pdf_properties(path)
    raise ValueError(f"只能核验 .docx 或 .pdf 报告：{path.name}")


def read_fingerprint(path: Path) -> tuple[Fingerprint, str]:
    """The fingerprint a DOCX or PDF report carries, and its recorded digest; ValueError if it has none."""
    text = read_properties(path).get(PROPERTY)
    if not text:
        raise ValueError(f"报告中没有报告指纹（{PROPERTY}）：{path.name}")
    return Fingerprint.decode(text)


REPORT_BYTES = 512 << 20
"""Largest report file verified (a real report is a few MB): a bigger one is not read into memory."""
PROPERTIES_BYTES = 1 << 20
"""Largest custom-properties part of a DOCX unpacked (a zip bomb stops here)."""
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
"""An XML parser that expands no entity and fetches nothing."""
FOLDER = re.compile(r"(evaluations|indicators)/[A-Za-z0-9\u4e00-\u9fff][\w.\u4e00-\u9fff-]*")
"""A folder a fingerprint may name: one entry of evaluations/ or indicators/, nothing else."""


def _docx_properties(path: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/custom.xml")
            if info.file_size > PROPERTIES_BYTES:
                raise ValueError(f"docProps/custom.xml 解压后 {info.file_size} 字节，超过上限")
            with z.open(info) as part:  # counted while unpacking: the declared size may lie
                data = part.read(PROPERTIES_BYTES + 1)
            if len(data) > PROPERTIES_BYTES:
                raise ValueError("docProps/custom.xml 解压后超过上限")
            root = etree.fromstring(data, SAFE_XML)
    except OSError:
        raise
    except Exception as exc:  # a damaged zip may fail anywhere (zlib, CRC, XML)
        raise ValueError(f"无法读取 DOCX 文档属性：{path.name}（{exc}）") from exc
    return {
        str(prop.get("name")): "".join(prop.itertext()).strip()
        for prop in root.iter(f"{{{CUSTOM_NS}}}property")
    }


def _pdf_properties(path: Path) -> dict[str, str]:
    from pypdf import PdfReader

    try:
        info = PdfReader(path).metadata
    except OSError:
        raise
    except Exception as exc:  # a damaged file may fail anywhere in the parser (zlib, struct …)
        raise ValueError(f"无法读取 PDF 元数据：{path.name}（{exc}）") from exc
    names = (PROPERTY, "ZwpjStatus", "ZwpjTools", "ZwpjPandoc", "ZwpjEvaluation")
    if info is None:
        return {}
    return {name: value for name in names if (value := pdf_property(info, name)) is not None}


def pdf_property(info: Mapping[str, object], name: str) -> str | None:
    """A custom PDF metadata entry; WeasyPrint writes names lower-cased, letters only."""
    wanted = re.sub(r"[^a-z]", "", name.lower())
    return next((str(v) for k, v in info.items() if re.sub(r"[^a-z]", "", k.lower()) == wanted), None)


def verify_report(
    path: Path,
    repo_root: Path,
    *,
    manifest: Path | None = None,
    trust: Sequence[Path] = (),
    rebuild: bool = True,
    rebuilds: Rebuilds | None = None,
) -> VerifyResult:
    """Every check of one report file against ``repo_root`` (and the published ``manifest``).

    ``rebuilds``: the reports already made again in this run (``verify_all`` keeps one for all
    the files it checks: a report's DOCX and PDFs are made again together, once)."""
    try:
        data = read_bounded(path, REPORT_BYTES)
    except TooLarge as exc:
        detail = f"文件 {exc.size} 字节，超过可核验的上限 {REPORT_BYTES >> 20} MB，不是本工具生成的报告"
        return VerifyResult(path, None, (Check("报告指纹", "failed", detail),))
    try:
        recorded, digest = read_fingerprint(path)
    except ValueError as exc:
        return VerifyResult(path, None, (Check("报告指纹", "failed", str(exc)[:300]),))
    wrong = next((p for p in (recorded.evaluation, recorded.system) if not FOLDER.fullmatch(p)), None)
    if wrong is not None:  # the fingerprint is the file's own text: never a path to follow out
        detail = f"报告指纹中的路径“{wrong[:80]}”不是 evaluations/ 或 indicators/ 下的文件夹，未作任何核对"
        return VerifyResult(path, None, (Check("报告指纹", "failed", detail),))
    kind = report_kind(path, data)
    signature = _signature(data, trust) if kind != "docx" else None
    checks = [_fingerprint_check(recorded, digest, repo_root)]
    made = rebuilds or Rebuilds()
    checks.append(_rebuild_check(path, data, kind, recorded, repo_root, made) if rebuild else _not_rebuilt())
    checks.append(_manifest_check(data, manifest))
    checks.append(
        signature
        if signature
        else Check("电子签名", "skipped", "未签名" if kind != "docx" else "DOCX 不签名")
    )
    return VerifyResult(path, recorded, tuple(checks))


def report_kind(path: Path, data: bytes) -> Kind:
    """DOCX, the tagged PDF or the archival PDF/A (the one with an output intent), by content."""
    if path.suffix.lower() == ".docx":
        return "docx"
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    try:
        root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    except Exception:  # a damaged file: compared as the tagged PDF, which it then fails to match
        return "pdf"
    archival = isinstance(root, DictionaryObject) and "/OutputIntents" in root
    return "archive" if archival else "pdf"


def _fingerprint_check(recorded: Fingerprint, digest: str, repo_root: Path) -> Check:
    name = "报告指纹与仓库一致"
    if digest != recorded.digest:
        return Check(name, "failed", "报告记录的指纹与其组成部分不一致：报告属性被改动过")
    current = current_fingerprint(repo_root, recorded)
    if current is None:
        return Check(
            name, "failed", f"仓库中找不到报告所依据的目录：{recorded.evaluation} 或 {recorded.system}"
        )
    problems = [
        f"{label}不同：报告为 {getattr(recorded, part)}，仓库当前为 {getattr(current, part)}"
        for part, label in PART_NAMES.items()
        if getattr(recorded, part) != getattr(current, part)
    ]
    if problems:
        return Check(name, "failed", "；".join(problems))
    return Check(
        name,
        "ok",
        f"指纹 {digest[:16]}…（提交 {recorded.commit}，指标体系版本 {recorded.edition}，"
        f"生成器 {recorded.generator}）",
    )


def current_fingerprint(repo_root: Path, recorded: Fingerprint) -> Fingerprint | None:
    """The fingerprint the repository gives now for the report's evaluation and system folders."""
    if not (repo_root / recorded.evaluation).is_dir() or not (repo_root / recorded.system).is_dir():
        return None
    system, _problems = load_system(repo_root, repo_root / recorded.system)
    edition = system.system.edition if system is not None else "?"
    commit = git_commit(repo_root, report_folders(recorded.evaluation, recorded.system))
    return compute_fingerprint(
        repo_root, recorded.evaluation, recorded.system, edition=edition, generator=__version__, commit=commit
    )


def _not_rebuilt() -> Check:
    return Check("与记录的提交重新生成的文件逐字节相同", "skipped", "未重新生成（--no-rebuild）", True)


def _rebuild_check(
    path: Path, data: bytes, kind: Kind, recorded: Fingerprint, repo_root: Path, rebuilds: Rebuilds
) -> Check:
    name = "与记录的提交重新生成的文件逐字节相同"
    try:
        rebuilt = rebuilds.get(recorded, repo_root, kind)
    except (RebuildError, ReportError) as exc:
        return Check(name, "skipped", f"无法重新生成：{exc}", True)
    source = "工作区" if recorded.commit == UNCOMMITTED else f"提交 {recorded.commit[:12]}"
    if data == rebuilt:
        return Check(name, "ok", f"与按{source}重新生成的文件相同（{len(data)} 字节）", True)
    if kind != "docx" and data.startswith(rebuilt) and len(data) > len(rebuilt):
        from generator.render.report.sign import signing_revision_problem  # pyhanko: only for a signed PDF

        problem = signing_revision_problem(data)
        if not problem:
            return Check(name, "ok", f"与按{source}重新生成的文件相同，其后只有一次签名修订", True)
        return Check(
            name,
            "failed",
            f"前 {len(rebuilt)} 字节与重新生成的文件相同，但其后的修订不只是签名：{problem}",
            True,
        )
    at = next(
        (i for i, (a, b) in enumerate(zip(data, rebuilt, strict=False)) if a != b),
        min(len(data), len(rebuilt)),
    )
    detail = (
        f"与按{source}重新生成的文件不同（自第 {at} 字节起；"
        f"本文件 {len(data)} 字节，重新生成 {len(rebuilt)} 字节）"
    )
    return Check(name, "failed", detail + _tools_note(path), True)


def _tools_note(path: Path) -> str:
    """Why a rebuild may differ without the file having changed: other versions of the tools."""
    try:
        props = read_properties(path)
    except ValueError:
        return ""
    notes = []
    pandoc = find_pandoc().version
    if props.get("ZwpjPandoc") and props["ZwpjPandoc"] != pandoc:
        notes.append(f"pandoc 版本不同（报告 {props['ZwpjPandoc']}，本机 {pandoc}）")
    tools = package_versions(REPORT_PACKAGES)
    if props.get("ZwpjTools") and props["ZwpjTools"] != tools:
        notes.append(f"排版软件版本不同（报告：{props['ZwpjTools']}；本机：{tools}）")
    if not notes:
        return ""
    why = "，所以重新生成的文件不同并不能说明报告被改动，请以发布清单和签名为准"
    return "。注意：" + "；".join(notes) + why


def _manifest_check(data: bytes, manifest: Path | None) -> Check:
    import hashlib

    name = "SHA-256 列在发布清单中"
    digest = hashlib.sha256(data).hexdigest()
    if manifest is None:
        return Check(
            name,
            "skipped",
            f"未找到发布清单（用 --manifest 指定 manifest.json）；本文件 SHA-256 {digest}",
            True,
        )
    try:
        listed = read_manifest(manifest)
    except ManifestError as exc:
        return Check(name, "skipped", str(exc), True)
    found: PublishedFile | None = next((f for f in listed if f.sha256 == digest), None)
    if found is None:
        return Check(name, "failed", f"SHA-256 {digest} 不在 {manifest} 中", True)
    return Check(name, "ok", f"即发布的 {found.path}（SHA-256 {digest[:16]}…）", True)


def _signature(data: bytes, trust: Sequence[Path]) -> Check | None:
    from generator.render.report.sign import check_signature  # pyhanko: only for a signed PDF

    found = check_signature(data, trust)
    if found is None:
        return None
    name = "电子签名有效"
    who = f"签名人：{found.signer}（证书 SHA-256 {found.certificate_sha256[:16]}…）"
    when = f"，签名时间 {found.signed_at:%Y-%m-%d %H:%M} UTC（签名人电脑时钟）" if found.signed_at else ""
    if not found.ok:
        return Check(name, "failed", f"{found.problem}。{who}", True)
    trusted = (
        "，证书与所给受信任证书相符" if found.trusted else "；未用 --trust 指定评价机构证书，签名人身份未核对"
    )
    return Check(name, "ok", f"签名完整且覆盖整个文件。{who}{when}{trusted}", True)


class RebuildError(Exception):
    """The report cannot be made again here (commit not in the repository, inputs changed …)."""


class Rebuilds:
    """Reports made again during one verification, by fingerprint digest, work tree and kind."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str, Kind], bytes] = {}

    def get(self, recorded: Fingerprint, repo_root: Path, kind: Kind) -> bytes:
        """The bytes the recorded commit builds for this report (unsigned), made again here once."""
        root = str(repo_root.resolve())
        if (recorded.digest, root, kind) not in self.made:
            for name, data in _rebuild_all(recorded, repo_root).items():
                self.made[(recorded.digest, root, name)] = data
        return self.made[(recorded.digest, root, kind)]


def _rebuild_all(recorded: Fingerprint, repo_root: Path) -> dict[Kind, bytes]:
    with tempfile.TemporaryDirectory(prefix="zwpj-verify-") as tmp:
        work = Path(tmp)
        if recorded.commit == UNCOMMITTED:
            now = current_fingerprint(repo_root, recorded)
            if now is None or now.inputs != recorded.inputs:
                raise RebuildError("报告由未提交的文件生成，而这些文件现已改动，无法按原样重新生成")
            source = repo_root
        else:
            source = work / "repo"
            _checkout(repo_root, recorded, source)
        return _render(source, recorded, work / "out")


def _checkout(repo_root: Path, recorded: Fingerprint, dest: Path) -> None:
    """The report's folders, the templates and the calendar as the recorded commit has them."""
    commit = recorded.commit
    if not re.fullmatch(r"[0-9a-f]{7,64}", commit):
        raise RebuildError(f"报告记录的提交“{commit}”不是提交号")
    try:
        listed = _git(repo_root, "ls-tree", "--name-only", commit, "--", *_wanted(recorded)).split("\n")
        paths = [p for p in listed if p]
        archive = subprocess.run(
            ["git", "-C", str(repo_root), "archive", "--format=tar", commit, "--", *paths],
            capture_output=True,
            check=True,
            timeout=300,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise RebuildError(f"仓库中取不出提交 {commit}（需要完整的 Git 历史）") from exc
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def _wanted(recorded: Fingerprint) -> list[str]:
    return [*report_folders(recorded.evaluation, recorded.system), "calendar.yaml", "mkdocs.yml"]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=120
    ).stdout


def _render(root: Path, recorded: Fingerprint, out: Path) -> dict[Kind, bytes]:
    from generator.render.report.render import (
        render_report,  # matplotlib and WeasyPrint: only when rebuilding
    )

    checked = check(root, only=[root / recorded.evaluation])
    evaluation = next((e for e in checked.repo.evaluations if e.rel == recorded.evaluation), None)
    system = checked.repo.system_for(evaluation.evaluation) if evaluation else None
    if evaluation is None or system is None:
        raise RebuildError(f"按记录取出的 {recorded.evaluation} 无法读取或找不到指标体系")
    card = score_one(checked, evaluation)
    commit = None if recorded.commit == UNCOMMITTED else recorded.commit
    files = render_report(
        evaluation, system, card, out, repo_root=root, commit=commit, cache_dir=out / "cache"
    )
    return {
        "docx": files.docx.read_bytes(),
        "pdf": files.pdf.read_bytes(),
        "archive": files.archive.read_bytes(),
    }


def default_manifest(repo_root: Path) -> Path | None:
    """The manifest of the repository's last build (site/manifest.json), if there is one."""
    found = repo_root / "site" / "manifest.json"
    return found if found.is_file() else None
