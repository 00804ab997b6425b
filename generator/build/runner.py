"""The build: check → score → pages → HTML → reports → link check → publish, in that order.

``build`` reads as the pipeline. Content problems come back as diagnostics (nothing is rendered
from an invalid repository); a failure of the machinery (mkdocs, pandoc, disk) raises
``BuildError`` with a message for the reader.

Every step after the check reuses what an earlier build left in the cache (``.cache/zwpj``,
keyed by content hashes; see ``generator.build.cache``) and spreads the rest over every core, so a
build after a small edit redoes only what the edit affects; a warm build writes what a cold one
writes, byte for byte. The site is built in a folder beside ``site/`` and swapped in at the end
(``build.output``): a build that fails or is killed leaves the previous site as it was.
Dates stamped on the site come from the commit, never the clock.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.cache import Cache
from generator.build.checking import Checker
from generator.build.manifest import published_files, write_manifest
from generator.build.memory import release_memory
from generator.build.output import build_epoch, clear_stale, publish, staged
from generator.build.pages import write_pages
from generator.build.progress import Progress, silent
from generator.build.publishable import LeftOut, split_publishable
from generator.build.render import RenderError, SiteRenderer
from generator.build.workers import default_jobs
from generator.diagnostics import Diagnostic, format_text
from generator.load.repository import SETTINGS_FILE, LoadedSystem
from generator.load.site import SiteAddress, read_site_address
from generator.model.publishing import Publishing
from generator.model.workdays import CALENDAR_FILE
from generator.paths import check_replaceable
from generator.pipeline import check, score_all
from generator.render.edition import Edition
from generator.render.site import SiteItem, item_comparisons
from generator.render.site.audit import SiteProblem, audit_site
from generator.render.site.writer import TEMPLATES
from generator.render.views.evaluation import Comparison

if TYPE_CHECKING:
    from generator.render.report.sign import SigningKey


class BuildError(Exception):
    """The build could not run: mkdocs failed, a tool is missing, a folder is not writable."""


@dataclass
class BuildResult:
    """What a build did."""

    diagnostics: list[Diagnostic]
    """Problems in the repository."""
    site: Path | None = None
    """The built site, or None when nothing was published (errors outside every evaluation, every
    evaluation faulty, or any error in strict mode)."""
    left_out: tuple[LeftOut, ...] = ()
    """Evaluations and systems not published because of their errors (the rest are)."""
    evaluations: int = 0
    """Evaluations published."""
    drafts: list[str] = field(default_factory=list)
    """Evaluations left out because they are drafts not scored yet (to-dos T901, T903)."""
    reports: int = 0
    """Reports in the site (DOCX and PDF count as one)."""
    problems: list[SiteProblem] = field(default_factory=list)
    """Broken links and outside requests found in the built site."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per step."""
    fresh: dict[str, int] = field(default_factory=dict)
    """Per step, how many items were made afresh rather than taken from the cache."""
    stale: list[Path] = field(default_factory=list)
    """Folders of earlier builds that were killed part-way, removed by this one."""


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = round(time.perf_counter() - start, 3)


def build(
    root: Path,
    *,
    config_file: Path | None = None,
    docs_dir: Path | None = None,
    site_dir: Path | None = None,
    reports: bool = True,
    jobs: int | None = None,
    audit: bool = True,
    cache: bool = True,
    strict: bool = False,
    edition: Edition = Edition.PUBLIC,
    progress: Progress = silent,
) -> BuildResult:
    """Build the site (and reports) of the repository at ``root``.

    ``config_file`` defaults to ``root/mkdocs.yml``; ``docs_dir`` to ``root/build/docs``;
    ``site_dir`` to ``root/site``. ``jobs`` worker processes (default: every core) share the
    per-evaluation work; ``cache=False`` ignores and fills no cache. ``audit`` checks the built
    site for broken links and outside requests. A faulty evaluation (or system) is left out and
    the rest published (``BuildResult.left_out``); ``strict`` publishes nothing while any error
    stands. ``edition``: the public site, or the internal one (``build.internal``: every page marked
    内部, with what the public one leaves out, and its reports internal copies); the cache keeps
    the two apart.
    """
    default_docs, default_site = root / "build" / "docs", root / "site"
    docs_dir = docs_dir or default_docs
    site_dir = site_dir or default_site
    # PathRefused before anything is written: only folders a build made are ever replaced
    check_replaceable(root, site_dir, what="站点输出目录", default=site_dir == default_site)
    check_replaceable(root, docs_dir, what="页面生成目录", default=docs_dir == default_docs)
    config_file = config_file or root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"找不到站点配置文件 {config_file}（mkdocs.yml）")
    jobs = jobs or default_jobs()
    store = Cache.for_repository(root, enabled=cache)
    result = BuildResult([])
    try:
        content = _content(root, store, result, strict=strict, jobs=jobs, progress=progress)
        if content is None:
            return result
        key = signing_key(root) if reports else None
        result.stale = clear_stale(site_dir)
        with staged(site_dir) as stage:
            digests: dict[str, dict[str, str]] = {}
            if reports:  # before the pages, which show the reports' digests
                with _timed(result.timings, "reports"):
                    result.fresh["reports"], digests = _reports(
                        content, stage / "reports", store, jobs, progress, key, edition
                    )
                    result.reports = len(content.items)
            with _timed(result.timings, "pages"):
                pages = write_pages(
                    root,
                    content.items,
                    content.systems,
                    docs_dir,
                    left_out=content.left_out,
                    settings=content.settings,
                    cache=store,
                    reports=reports,
                    site=read_site_address(config_file) if edition.public else SiteAddress(),
                    report_digests=digests,
                    edition=edition,
                    jobs=jobs,
                    progress=progress,
                )
            result.fresh["pages"] = pages.written
            result.evaluations = len(content.items)
            as_of = pages.plan.as_of
            del content, pages
            release_memory()  # the evaluations leave memory before the HTML
            with _timed(result.timings, "mkdocs"):
                result.fresh["html"] = render_site(
                    config_file,
                    docs_dir,
                    stage,
                    store,
                    epoch=build_epoch(root, as_of),
                    jobs=jobs,
                    progress=progress,
                    edition=edition,
                )
            with _timed(result.timings, "manifest"):
                write_manifest(stage, published_files(stage))
            if audit:
                with _timed(result.timings, "audit"):
                    result.problems = audit_site(stage)
            with _timed(result.timings, "publish"):
                publish(stage, site_dir)
    except BuildError as exc:
        raise BuildError(f"{exc}（原有站点 {site_dir} 未改动）") from exc
    finally:
        store.save()
    store.prune()
    result.site = site_dir
    return result


@dataclass
class _Content:
    """What the steps after the pages need of the checked repository."""

    items: list[SiteItem]
    """The published evaluations with their systems and scorecards."""
    systems: list[LoadedSystem]
    """Every indicator system edition."""
    checker: Checker
    """The checker, for the hashes of each evaluation's inputs."""
    left_out: tuple[LeftOut, ...]
    """Evaluations and systems left out for their errors."""
    settings: Publishing
    """Publishing settings."""
    comparisons: dict[str, Comparison]
    """Evaluation id → its party's previous evaluation and the change since, as the site shows it."""


def _content(
    root: Path, store: Cache, result: BuildResult, *, strict: bool, jobs: int, progress: Progress
) -> _Content | None:
    """Check → score; None (with the diagnostics in ``result``) when nothing is published."""
    with _timed(result.timings, "load_validate"):
        checked = check(root, cache=store, jobs=jobs, progress=progress)
    result.diagnostics = checked.diagnostics
    publishable = split_publishable(checked)
    result.left_out = publishable.left_out
    if publishable.blocking or (publishable.left_out and (strict or not publishable.evaluations)):
        return None
    with _timed(result.timings, "score"):
        cards = score_all(checked)
    repo = checked.repo
    result.drafts = [e.evaluation.id for e in repo.evaluations if checked.blocking(e)]
    items = [
        SiteItem(e, system, cards[e.evaluation.id])
        for e in publishable.evaluations
        if (system := repo.system_for(e.evaluation)) is not None and e.evaluation.id in cards
    ]
    return _Content(
        items,
        list(publishable.systems),
        checked.checker,
        publishable.left_out,
        repo.settings,
        item_comparisons(items),
    )


def render_site(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    cache: Cache | None = None,
    *,
    epoch: int,
    jobs: int = 1,
    progress: Progress = silent,
    edition: Edition = Edition.PUBLIC,
) -> int:
    """HTML of the docs folder into an empty ``site_dir`` (mkdocs, changed pages only), dated
    ``epoch`` (seconds, UTC: ``output.build_epoch``); pages rendered. Without a cache every page
    is rendered; ``jobs`` worker processes share them."""
    try:
        renderer = SiteRenderer(config_file, docs_dir, site_dir, cache or Cache(None), edition, epoch=epoch)
    except RenderError as exc:
        raise BuildError(str(exc)) from exc
    try:
        return renderer.render(jobs=jobs, progress=progress).rendered
    except RenderError as exc:
        raise BuildError(f"mkdocs 生成站点失败：{exc}") from exc
    finally:
        renderer.close()


def serve(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config_file: Path | None = None,
    report: Callable[[BuildResult | BuildError], None] = lambda _: None,
) -> None:
    """Serve a preview of the site and rebuild it whenever the repository changes (no reports).

    ``report`` is called with each build's result (or the BuildError of a failed rebuild), so the
    caller can show it. The browser shows it too: every page carries a banner with what was left
    out and why, or why the rebuild failed (``build.preview``); a failed rebuild keeps the
    previous pages on screen.
    """
    from generator.build.preview import PreviewServer, banner

    config_file = config_file or root / "mkdocs.yml"
    site_dir = Path(tempfile.mkdtemp(prefix="zwpj-serve-"))
    server = PreviewServer(builder=lambda: rebuild_quietly(), host=host, port=port, root=str(site_dir))
    built = False

    def rebuild() -> None:
        nonlocal built
        result = build(root, config_file=config_file, site_dir=site_dir, reports=False, audit=False)
        built = built or result.site is not None
        failure = (
            None
            if result.site is not None
            else "存在错误，未生成站点：\n"
            + "\n".join(format_text(d) for d in result.diagnostics if d.severity.value == "error")
        )
        server.banner = banner(left_out=result.left_out, failure=failure, built=built)
        report(result)

    def rebuild_quietly() -> None:
        try:
            rebuild()
        except BuildError as exc:  # keep serving the last good pages
            server.banner = banner(failure=str(exc), built=built)
            report(exc)

    try:
        rebuild()
    except BuildError:
        shutil.rmtree(site_dir, ignore_errors=True)
        raise
    watched_paths = (root / "evaluations", root / "indicators", root / "templates", config_file, TEMPLATES)
    settings = (root / SETTINGS_FILE, root / CALENDAR_FILE)
    for watched in (*watched_paths, *settings, TEMPLATES.parent / "overrides"):
        if watched.exists():
            server.watch(str(watched))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def signing_key(root: Path) -> SigningKey | None:
    """The body's signing key named in the environment (``render.report.sign``), or None."""
    from generator.render.report.sign import SigningError, key_from_environment

    try:
        return key_from_environment(root)
    except SigningError as exc:
        raise BuildError(f"无法签名报告：{exc}") from exc


def _reports(
    content: _Content,
    out_dir: Path,
    cache: Cache,
    jobs: int,
    progress: Progress,
    key: SigningKey | None,
    edition: Edition,
) -> tuple[int, dict[str, dict[str, str]]]:
    """The edition's reports (public, or internal copies), each stamped with the commit its inputs
    are in (when clean) and signed when a key is configured; how many were made afresh, and each
    evaluation's files' SHA-256 by name."""
    from generator.build.reports import build_reports  # matplotlib and WeasyPrint: only for reports
    from generator.render.report import ReportError
    from generator.render.report.sign import SigningError

    try:
        return build_reports(
            content.checker.root,
            content.items,
            out_dir,
            cache=cache,
            inputs=lambda i: content.checker.inputs_of(i.loaded),
            comparisons=content.comparisons,
            jobs=jobs,
            progress=progress,
            key=key,
            edition=edition,
        )
    except (ReportError, SigningError) as exc:
        raise BuildError(f"生成报告失败：{exc}") from exc
