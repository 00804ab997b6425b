"""The internal edition: ``zwpj internal`` builds the internal site and the internal reports into a
folder of the repository that is never published (``build/internal/`` by default).

It is the public build (``build.runner.build``) with ``Edition.INTERNAL``: the same steps and page
code, made from the evaluations as loaded rather than their public views, every page marked 内部
(``render.edition``), the reports internal copies (``build.reports`` with ``public=False``). The
cache keeps the editions apart, so a public build never takes an internal page for a public one.
Given evaluation ids, only their reports are made (``internal_reports``), by the same report step.
Layout::

    build/internal/site/      the internal site (its reports in site/reports/, as in the public site)
    build/internal/reports/   the same internal reports, on their own
    build/internal/docs/      the pages the site is made from

Each folder is swapped in whole at the end, like ``site/``: a build that fails leaves the previous
one. The folder is refused (E113, E114) where it would be published or read, outside the
repository, or reached through a symbolic link.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build.cache import Cache
from generator.build.output import clear_stale, publish, staged
from generator.build.progress import Progress, silent
from generator.build.publishable import split_publishable
from generator.build.render import link_or_copy
from generator.build.runner import BuildError, BuildResult, build, signing_key
from generator.build.workers import default_jobs
from generator.diagnostics import Diagnostic, diag
from generator.load.organisations import SHARED_INPUTS
from generator.load.repository import rel_path
from generator.paths import INPUT_FOLDERS, PathRefused, check_replaceable
from generator.pipeline import check, score_all
from generator.render.edition import Edition
from generator.render.site import SiteItem, item_comparisons

DEFAULT_FOLDER = Path("build") / "internal"
"""Where the internal edition goes, under the repository (build/ is never committed nor published)."""
SITE, REPORTS, DOCS = "site", "reports", "docs"
"""The internal edition's folders: the site, the reports on their own, the site's pages."""
PUBLISHED = ("site", "build/docs")
"""The public site and the pages it is made from."""
DOCUMENTATION = ("docs",)
"""The repository's documentation (published by those who publish the tool)."""
READ = (*INPUT_FOLDERS, *SHARED_INPUTS, ".git", ".cache")
"""What the tool reads: the repository's content, its history and the build's cache."""
IGNORED = "# made by zwpj internal: internal material, never committed nor published\n*\n"
"""The ``.gitignore`` of the internal edition's folder: git ignores it wherever it is, whatever the
repository's own ``.gitignore`` says."""
KEPT_APART = (
    (PUBLISHED, ("internal_out_published_inside", "internal_out_published_holding")),
    (DOCUMENTATION, ("internal_out_docs_inside", "internal_out_docs_holding")),
    (READ, ("internal_out_input_inside", "internal_out_input_holding")),
)
"""Folders the internal edition may neither be, hold nor lie inside, with the E113 variants that say
so (inside one, holding one)."""


class OutputRefused(Exception):
    """An output folder the internal edition may not use; ``diagnostic`` says why and where."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message_zh)
        self.diagnostic = diagnostic


def refusal(root: Path, folder: Path) -> Diagnostic | None:
    """Why ``folder`` may not hold the internal edition (E113, E114), or None when it may.

    Refused: a folder outside the repository; one reached through a symbolic link; the repository
    itself or a folder above it; a folder that is, holds or lies inside the published site, the
    pages it is made from, the documentation or what the tool reads.
    """
    top = root.resolve()
    given = Path(os.path.abspath(folder))
    shown = _shown(root, given)
    for base in (Path(os.path.abspath(root)), top):
        if given.is_relative_to(base):
            step = base
            for part in given.relative_to(base).parts:
                step = step / part
                if step.is_symlink():
                    link = step.relative_to(base).as_posix()
                    return diag(shown, 0, 0, "E114", detail="internal_out_symlink", path=shown, link=link)
            break
    out = given.resolve()
    if top.is_relative_to(out):
        return diag(shown, 0, 0, "E113", detail="internal_out_repository", path=shown)
    if not out.is_relative_to(top):
        return diag(shown, 0, 0, "E114", detail="internal_out_outside", path=shown)
    for names, (inside, holding) in KEPT_APART:
        for name in names:
            kept = (top / name).resolve()
            if out.is_relative_to(kept) or kept.is_relative_to(out):
                variant = inside if out.is_relative_to(kept) else holding
                return diag(shown, 0, 0, "E113", detail=variant, path=shown, folder=name)
    return None


def _shown(root: Path, path: Path) -> str:
    """A path as a diagnostic locates it: from the repository root when inside it, else as given."""
    for base in (Path(os.path.abspath(root)), root.resolve()):
        if path.is_relative_to(base):
            return rel_path(base, path) or "."
    return path.as_posix()


def internal_folder(root: Path, folder: Path | None) -> Path:
    """The internal edition's folder: ``folder`` or the default; raises OutputRefused, or
    ``PathRefused`` for a file in its place."""
    out = folder if folder is not None else root / DEFAULT_FOLDER
    refused = refusal(root, out)
    if refused is not None:
        raise OutputRefused(refused)
    if out.exists() and not out.is_dir():
        raise PathRefused("path_internal_not_a_folder", path=out)
    return Path(os.path.abspath(out))


def _keep_out_of_git(out: Path) -> None:
    """Write ``IGNORED`` as the folder's ``.gitignore`` (unless it has one) before anything else."""
    marker = out / ".gitignore"
    if not marker.is_file():
        out.mkdir(parents=True, exist_ok=True)
        marker.write_text(IGNORED, encoding="utf-8")


def build_internal(
    root: Path,
    folder: Path | None = None,
    *,
    reports: bool = True,
    jobs: int | None = None,
    cache: bool = True,
    progress: Progress = silent,
) -> tuple[Path, BuildResult]:
    """Build the internal site with its reports into ``folder`` (default ``build/internal/``), then
    put the reports on their own beside it (``reports=False``: the site alone, the reports folder
    left as it is); the folder and the build's result.

    Raises OutputRefused for a folder refused (nothing written), ``PathRefused`` for a subfolder
    that an earlier build did not make, ``BuildError`` when the machinery fails.
    """
    out = internal_folder(root, folder)
    site, alone = out / SITE, out / REPORTS
    check_replaceable(root, alone, what="内部报告目录")
    check_replaceable(root, site, what="站点输出目录")
    check_replaceable(root, out / DOCS, what="页面生成目录")
    _keep_out_of_git(out)
    result = build(
        root,
        docs_dir=out / DOCS,
        site_dir=site,
        reports=reports,
        edition=Edition.INTERNAL,
        jobs=jobs,
        cache=cache,
        progress=progress,
    )
    if result.site is not None and reports:
        clear_stale(alone)
        with staged(alone) as stage:
            _link_files(site / REPORTS, stage)
            publish(stage, alone)
    return out, result


@dataclass(frozen=True)
class InternalReports:
    """What ``internal_reports`` made."""

    folder: Path
    """Where the reports are."""
    made: tuple[str, ...]
    """Evaluations whose reports were made."""
    left_out: tuple[str, ...]
    """Evaluations with errors, left out (their diagnostics are in ``diagnostics``)."""
    diagnostics: tuple[Diagnostic, ...]
    """The check's findings."""


def internal_reports(
    root: Path,
    only: Sequence[str],
    folder: Path | None = None,
    *,
    jobs: int | None = None,
    cache: bool = True,
    progress: Progress = silent,
) -> InternalReports:
    """The internal reports of the evaluations ``only`` names (those without errors) into the reports
    folder of the internal edition at ``folder``, by the build's report step; the folder's other
    reports stay; signed as the whole edition's are. Raises OutputRefused or ``PathRefused`` before
    anything is written, ``ReportError`` when pandoc fails and ``BuildError`` when the signing key
    cannot be used (the folder is then as it was)."""
    from generator.build.reports import build_reports  # matplotlib and WeasyPrint: only for reports
    from generator.render.report.sign import SigningError

    alone = internal_folder(root, folder) / REPORTS
    check_replaceable(root, alone, what="内部报告目录")
    jobs = jobs or default_jobs()
    store = Cache.for_repository(root, enabled=cache)
    try:
        checked = check(root, cache=store, jobs=jobs, progress=progress)
        publishable = split_publishable(checked)  # what the whole edition would hold, as the build decides
        cards = score_all(checked)
        repo = checked.repo
        items = [
            SiteItem(e, system, cards[e.evaluation.id])
            for e in ([] if publishable.blocking else publishable.evaluations)
            if e.evaluation.id in cards and (system := repo.system_for(e.evaluation)) is not None
        ]
        chosen = [i for i in items if i.card.evaluation_id in only]
        key = signing_key(root) if chosen else None  # signed like the whole edition's: the same files
        if chosen:
            _keep_out_of_git(alone.parent)
            clear_stale(alone)
            with staged(alone) as stage:
                try:
                    build_reports(
                        root,
                        chosen,
                        stage,
                        cache=store,
                        inputs=lambda i: checked.checker.inputs_of(i.loaded),
                        comparisons=item_comparisons(items),
                        jobs=jobs,
                        progress=progress,
                        key=key,
                        edition=Edition.INTERNAL,
                    )
                except SigningError as exc:
                    raise BuildError(f"生成报告失败：{exc}") from exc
                if alone.is_dir():
                    _link_files(alone, stage)  # the other evaluations' reports stay
                publish(stage, alone)
    finally:
        store.save()
    kept = {i.card.evaluation_id for i in items}
    left_out = tuple(e.evaluation.id for e in repo.evaluations if e.evaluation.id not in kept)
    made = tuple(i.card.evaluation_id for i in chosen)
    return InternalReports(alone, made, left_out, tuple(checked.diagnostics))


def _link_files(source: Path, dest: Path) -> None:
    """Hard-link (else copy) the report files of ``source`` into ``dest``, keeping those already there."""
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith(".") and not (dest / path.name).exists():
            link_or_copy(path, dest / path.name)
