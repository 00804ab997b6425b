"""DOCX and PDF reports of a build, each from the cache when nothing it is made from changed.

A report is made from its evaluation's folder and system's folder, the commit stamped in its
fingerprint (the last that changed those folders: other commits leave it cached), the body's
templates, pandoc's version and the generator's code; its cache key hashes those. Reports not in
the cache are rendered over every core (``render_report`` per worker, with a reference.docx
folder per worker process). Cached files are hard-linked into the site, like cached pages (their
size and mtime are checked first).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..cache import Cache, code_digest, digest
from ..fingerprint import last_commits
from ..load import rel_path
from ..manifest import REPORT_SUFFIXES as SUFFIXES
from ..organisations import SHARED_INPUTS
from ..render.report import ReportJob, render_report
from ..render.report.pandoc import find_pandoc
from ..render.report.style import BUILTIN_TEMPLATES, template_roots
from ..render.site import SiteItem
from ..render.views import Comparison
from .progress import Progress, silent
from .render import link_or_copy
from .workers import fork_map


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
) -> int:
    """Public reports of every item into ``out_dir``; returns how many were rendered afresh.

    ``comparisons``: each evaluation's comparison with its party's previous one (``render.site.comparisons``),
    part of its report and so of the report's cache key.
    """
    compared = comparisons or {}
    folders = [[i.loaded.rel, rel_path(root, i.system.folder)] for i in items]
    commits = last_commits(root, folders)
    context = digest(
        "report",
        code_digest(),
        str(root),
        find_pandoc().version,
        _templates_digest(root, cache),
        cache.inputs_hash(root, SHARED_INPUTS),  # the body's records and staff appear in the report
    )
    keys = [
        digest(context, i.loaded.rel, inputs(i), c or "-", repr(compared.get(i.card.evaluation_id)))
        for i, c in zip(items, commits, strict=True)
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    missing = [
        n for n, (i, k) in enumerate(zip(items, keys, strict=True)) if not _reuse(cache, i, k, out_dir)
    ]
    with tempfile.TemporaryDirectory(prefix="zwpj-refdoc-") as tmp:

        def render(n: int) -> None:
            item = items[n]
            job = ReportJob(
                item.loaded, item.system, item.card, commits[n], compared.get(item.card.evaluation_id)
            )
            scratch = Path(tmp) / str(os.getpid())
            scratch.mkdir(exist_ok=True)
            render_report(
                job.evaluation,
                job.system,
                job.card,
                out_dir,
                repo_root=root,
                public=True,
                commit=job.commit,
                cache_dir=scratch,
                comparison=job.comparison,
            )
            _store(cache, item, keys[n], out_dir)

        fork_map(render, missing, jobs=jobs, progress=progress, stage="reports")
    return len(missing)


def _templates_digest(root: Path, cache: Cache) -> str:
    """Hash of the report templates in use: the repository's templates/ and the generator's own."""
    return digest(*(cache.inputs_hash(folder, ["."]) for folder in template_roots(root, BUILTIN_TEMPLATES)))


def _reuse(cache: Cache, item: SiteItem, key: str, out_dir: Path) -> bool:
    """Link a cached report's files into ``out_dir``; False when not cached or changed in place."""
    stamps = cache.get("report", key)
    if stamps is None:
        return False
    sources = [cache.path("report-files", key + suffix) for suffix in SUFFIXES]
    try:
        if any(p is None or _stamp(p) != s for p, s in zip(sources, stamps, strict=True)):
            return False
        for source, suffix in zip(sources, SUFFIXES, strict=True):
            assert source is not None
            link_or_copy(source, out_dir / f"{item.card.evaluation_id}{suffix}")
    except OSError:
        return False
    return True


def _store(cache: Cache, item: SiteItem, key: str, out_dir: Path) -> None:
    stamps = []
    for suffix in SUFFIXES:
        stamp = cache.keep_file("report-files", key + suffix, out_dir / f"{item.card.evaluation_id}{suffix}")
        if stamp is None:
            return
        stamps.append(stamp)
    cache.put("report", key, tuple(stamps))


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns)
