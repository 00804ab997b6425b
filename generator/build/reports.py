"""DOCX and PDF reports of a build, each from the cache when nothing it is made from changed.

A report is made from the inputs ``build.inputs.REPORT`` declares (its evaluation's folder and
system's folder, the shared records, the templates) and from the commit stamped in its
fingerprint (the last that changed those folders or the templates: other commits leave it
cached), pandoc's version, the generator's code and the signing certificate (or none); its
cache key hashes those. The cache keeps each file's SHA-256 with it,
for the pages and the manifest. Reports not in
the cache are rendered over every core (``render_report`` per worker, with a reference.docx
folder per worker process). Cached files are hard-linked into the site, like cached pages (their
size and mtime are checked first).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.cache import Cache, digest
from generator.build.inputs import REPORT, Facts
from generator.build.manifest import REPORT_SUFFIXES as SUFFIXES
from generator.build.manifest import sha256_file
from generator.build.progress import Progress, silent
from generator.build.render import link_or_copy
from generator.build.workers import fork_map
from generator.load.repository import rel_path
from generator.load.templates import load_templates, template_roots
from generator.render.edition import Edition
from generator.render.report import render_report
from generator.render.report.fingerprint import last_commits, report_folders
from generator.render.report.pandoc import ReportError, find_pandoc
from generator.render.site import SiteItem
from generator.render.views.evaluation import Comparison

if TYPE_CHECKING:
    from generator.render.report.sign import SigningKey


def build_reports(
    root: Path,
    items: Sequence[SiteItem],
    out_dir: Path,
    *,
    cache: Cache,
    inputs: Callable[[SiteItem], str],
    comparisons: Mapping[str, Comparison] | None = None,
    jobs: int = 1,
    progress: Progress = silent,
    key: SigningKey | None = None,
    edition: Edition = Edition.PUBLIC,
) -> tuple[int, dict[str, dict[str, str]]]:
    """Reports of every item into ``out_dir`` (public ones, or the internal copies of the internal
    ``edition``), signed with ``key`` when given; how many were rendered afresh, and each
    evaluation's report files' SHA-256 by file name.

    ``comparisons``: each evaluation's comparison with its party's previous one
    (``render.site.item_comparisons``), part of its report and so of the report's cache key.
    """
    compared = comparisons or {}
    folders = [report_folders(i.loaded.rel, rel_path(root, i.system.folder)) for i in items]
    commits = last_commits(root, folders)
    signer = key.certificate_sha256 if key else "unsigned"
    facts = Facts(
        root,
        cache,
        {i.loaded.rel: cache.inputs_hash(root, [i.loaded.rel]) for i in items},
        {i.system.key: i.system.folder for i in items},
        templates=lambda: _templates_digest(root, cache),
    )
    pandoc = find_pandoc().version
    keys = [
        REPORT.key(
            facts, i.loaded, str(edition), pandoc, signer, c or "-", repr(compared.get(i.card.evaluation_id))
        )
        for i, c in zip(items, commits, strict=True)
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    digests: dict[str, dict[str, str]] = {}
    missing = []
    for n, (item, k) in enumerate(zip(items, keys, strict=True)):
        found = _reuse(cache, item, k, out_dir)
        if found is None:
            missing.append(n)
        else:
            digests[item.card.evaluation_id] = found
    templates = load_templates(root) if missing else None
    with tempfile.TemporaryDirectory(prefix="zwpj-refdoc-") as tmp:

        def render(n: int) -> dict[str, str]:
            item = items[n]
            scratch = Path(tmp) / str(os.getpid())
            scratch.mkdir(exist_ok=True)
            try:
                render_report(
                    item.loaded,
                    item.system,
                    item.card,
                    out_dir,
                    repo_root=root,
                    public=edition.public,
                    commit=commits[n],
                    templates=templates,
                    cache_dir=scratch,
                    signer=key,
                    comparison=compared.get(item.card.evaluation_id),
                    inputs=inputs(item),
                )
            except ReportError as exc:  # say whose report failed
                raise ReportError(f"{item.loaded.rel} 的报告：{exc}") from exc
            return _store(cache, item, keys[n], out_dir)

        made = fork_map(render, missing, jobs=jobs, progress=progress, stage="reports")
    for n, found in zip(missing, made, strict=True):
        digests[items[n].card.evaluation_id] = found
    return len(missing), digests


def _templates_digest(root: Path, cache: Cache) -> str:
    """Hash of the report templates in use: the repository's templates/ and the generator's own."""
    return digest(*(cache.inputs_hash(folder, ["."]) for folder in template_roots(root)))


def _reuse(cache: Cache, item: SiteItem, key: str, out_dir: Path) -> dict[str, str] | None:
    """Link a cached report's files into ``out_dir``; their SHA-256 by name, or None when not cached
    or changed in place."""
    entry = cache.get("report", key)
    if entry is None:
        return None
    stamps, digests = entry
    sources = [cache.path("report-files", key + suffix) for suffix in SUFFIXES]
    try:
        if any(p is None or _stamp(p) != s for p, s in zip(sources, stamps, strict=True)):
            return None
        for source, suffix in zip(sources, SUFFIXES, strict=True):
            assert source is not None
            link_or_copy(source, out_dir / f"{item.card.evaluation_id}{suffix}")
    except OSError:
        return None
    return dict(digests)


def _store(cache: Cache, item: SiteItem, key: str, out_dir: Path) -> dict[str, str]:
    """Keep a report's files in the cache; their SHA-256 by name."""
    names = [f"{item.card.evaluation_id}{suffix}" for suffix in SUFFIXES]
    digests = {name: sha256_file(out_dir / name) for name in names}
    stamps = []
    for suffix, name in zip(SUFFIXES, names, strict=True):
        stamp = cache.keep_file("report-files", key + suffix, out_dir / name)
        if stamp is None:
            return digests
        stamps.append(stamp)
    cache.put("report", key, (tuple(stamps), tuple(digests.items())))
    return digests


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns)
