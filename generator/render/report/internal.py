"""The internal edition of the reports: with contacts, internal evidence, records, sample draws and
narrative passages, marked 内部资料 on the cover, on every page and in the properties, written to a
folder the site never publishes (``build/internal/reports/`` by default; ``site/`` is refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.repository import rel_path
from generator.paths import PathRefused, check_replaceable, mark_built
from generator.pipeline import check, score_all
from generator.render.report.fingerprint import last_commits, report_folders
from generator.render.report.render import ReportFiles, render_report
from generator.render.site import SiteItem, comparisons, plan_site

DEFAULT_FOLDER = Path("build") / "internal" / "reports"
"""Where internal reports go, under the repository (build/ is never committed nor published)."""
PUBLISHED = ("site", "build/docs", "docs")
"""Folders never to hold internal copies: the site and the pages it is made from (published), and the
repository's documentation."""


@dataclass(frozen=True)
class InternalReports:
    """What ``internal_reports`` made."""

    folder: Path
    """Where the reports are."""
    files: tuple[ReportFiles, ...]
    """Each evaluation's files."""
    left_out: tuple[str, ...]
    """Evaluations with errors, left out (their diagnostics are in ``diagnostics``)."""
    diagnostics: tuple[Diagnostic, ...]
    """The check's findings."""


def internal_folder(root: Path, folder: Path | None) -> Path:
    """The folder for internal reports: ``folder`` or the default, refused where it would be published."""
    out = (folder or root / DEFAULT_FOLDER).resolve()
    top = root.resolve()
    for name in PUBLISHED:
        if out.is_relative_to(top / name):
            raise PathRefused(
                f"内部报告不能放在 {name}/ 中（会发布或属于仓库文档）：{out}",
                f"internal reports cannot go inside {name}/ (published, or the repository's documentation)",
            )
    check_replaceable(root, out, what="内部报告目录")
    return out


def internal_reports(root: Path, folder: Path | None = None, *, only: Sequence[str] = ()) -> InternalReports:
    """Check and score the repository, then write the internal report of each evaluation without
    errors (of ``only`` when given, by id) into ``folder``. Raises PathRefused for a folder that is
    published or that a build may not write; ``ReportError`` when pandoc fails."""
    out = internal_folder(root, folder)
    checked = check(root)
    cards = score_all(checked)
    items = [
        SiteItem(e, system, cards[e.evaluation.id])
        for e in checked.repo.evaluations
        if e.evaluation.id in cards and (system := checked.repo.system_for(e.evaluation)) is not None
    ]
    compared = comparisons(plan_site(root, items, list(checked.repo.systems.values())))
    chosen = [i for i in items if not only or i.card.evaluation_id in only]
    out.mkdir(parents=True, exist_ok=True)
    mark_built(out)
    commits = last_commits(
        root, [report_folders(i.loaded.rel, rel_path(root, i.system.folder)) for i in chosen]
    )
    files = tuple(
        render_report(
            item.loaded,
            item.system,
            item.card,
            out,
            repo_root=root,
            public=False,
            commit=commit,
            comparison=compared.get(item.card.evaluation_id),
        )
        for item, commit in zip(chosen, commits, strict=True)
    )
    left_out = tuple(e.evaluation.id for e in checked.repo.evaluations if e.evaluation.id not in cards)
    return InternalReports(out, files, left_out, tuple(checked.diagnostics))
