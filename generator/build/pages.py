"""The docs folder, written incrementally: each evaluation's files from the cache or a worker.

An evaluation's files (page, what-if inputs, evidence, source pages) are made from the inputs
``build.inputs.PAGES`` declares (its own folder, its indicator system, its party's previous
evaluation and "as of" day, the calendar, the shared records) and from whether reports are
linked, the reports' digests and the site address; their cache key hashes exactly those. The
pages across evaluations (home, rankings, parties, feeds, open data) are rebuilt every time from
the views, which come from cached scorecards. Files are replaced by rename, never rewritten in
place, so the published site may share them by hard link.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from generator.analyze import Analysis
from generator.build.cache import Cache, code_digest, digest, write_atomic
from generator.build.inputs import PAGES, Facts
from generator.build.memory import long_lived, trim_memory
from generator.build.progress import Progress, silent
from generator.build.publishable import LeftOut
from generator.build.workers import fork_map
from generator.load.repository import LoadedEvaluation, LoadedSystem, rel_path
from generator.model.publishing import Publishing
from generator.render.edition import Edition
from generator.render.site import (
    IndicatorLines,
    SiteItem,
    SitePlan,
    Viewed,
    plan_site,
    write_evaluation_files,
    write_shared_files,
)
from generator.render.site.analysis import analyse_system
from generator.render.site.data import ExportedCard
from generator.render.site.feed import SiteAddress
from generator.render.site.overview import indicator_lines
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import SystemView, system_view
from generator.score.card import Scorecard

PAGES_WAVE = 16
"""Evaluations a worker writes before a fresh one takes over (see ``fork_map``)."""
Record = tuple[tuple[str, bytes | Path], ...]
"""What one evaluation wrote: (target, content) or (target, file copied), in writing order."""


class RecordingWriter(DocsWriter):
    """A writer that keeps what it is given instead of writing it (copies are kept as paths)."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull), mark=False)
        self.files: list[tuple[str, bytes | Path]] = []

    def bytes(self, target: str, content: bytes) -> None:
        """Keep a file's content."""
        self.files.append((target, content))

    def copy(self, source: Path, target: str) -> None:
        """Keep a copy's source (its content is part of the evaluation's inputs)."""
        self.files.append((target, source))

    def take(self) -> Record:
        """What was given since the last call."""
        files, self.files = tuple(self.files), []
        return files


def _replay(writer: DocsWriter, record: Record) -> None:
    """Write what a ``RecordingWriter`` kept."""
    for target, content in record:
        if isinstance(content, Path):
            writer.copy(content, target)
        else:
            writer.bytes(target, content)


@dataclass
class PagesResult:
    """What the pages step did."""

    plan: SitePlan
    """Views and what links them, for later steps."""
    written: int = 0
    """Evaluations whose files were made afresh (the rest came from the cache)."""
    removed: list[Path] = field(default_factory=list)
    """Stale files removed from the docs folder."""


def write_pages(
    root: Path,
    items: Sequence[SiteItem],
    systems: Sequence[LoadedSystem],
    docs: Path,
    *,
    cache: Cache | None = None,
    reports: bool = True,
    site: SiteAddress | None = None,
    report_digests: Mapping[str, Mapping[str, str]] | None = None,
    left_out: Sequence[LeftOut] = (),
    settings: Publishing | None = None,
    edition: Edition = Edition.PUBLIC,
    jobs: int = 1,
    progress: Progress = silent,
) -> PagesResult:
    """Write every page and data file of the site into ``docs``, each evaluation's files from the
    cache when unchanged (without a cache, all of them), over ``jobs`` worker processes.

    ``reports`` says whether DOCX and PDF reports will be in ``<site>/reports/``; evaluation pages
    link to them only then. ``site`` (name and ``site_url`` from mkdocs.yml) makes the feeds' links
    and the badges' embed code absolute when the address is known. ``report_digests``: each
    evaluation's report files' SHA-256 (the reports are made first).
    ``edition``: public pages, or internal ones (every cache key says which: an internal page is
    never taken for a public one).
    """
    cache = cache or Cache(None)
    site = site or SiteAddress()
    inputs = [cache.inputs_hash(root, [i.loaded.rel, rel_path(root, i.system.folder)]) for i in items]
    plan, viewed = _plan(
        root,
        items,
        systems,
        inputs,
        cache,
        reports=reports,
        site=site,
        report_digests=report_digests,
        left_out=left_out,
        settings=settings,
        edition=edition,
    )
    keys = _keys(plan, cache)
    writer = DocsWriter(docs)
    recorder = RecordingWriter()
    writer.env = recorder.env  # one environment: each template compiled once
    compiled = _compiled_templates(cache)
    if compiled is not None:
        recorder.env.bytecode_cache = compiled
    exported: dict[str, ExportedCard] = {}
    lines: dict[str, IndicatorLines] = {}
    manifest = DocsManifest.load(cache, docs)
    written: dict[str, list[str]] = {}
    """Key → targets of the evaluations written (made or replayed) by this run, for the manifest."""

    def make(index: int) -> Meta:
        """Make one evaluation's files (in a worker), cache and write them; its card, rows and targets."""
        card = write_evaluation_files(recorder, plan, index)
        record = recorder.take()
        meta = (card, indicator_lines(recorder, plan.views[index]), [t for t, _ in record])
        cache.put("pages", keys[index], record)
        cache.put("pagemeta", keys[index], meta)
        _replay(writer, record)
        return meta

    missing: list[int] = []
    """Evaluations whose files are made afresh."""
    with long_lived():  # one evaluation's files at a time: a thousand pages are never all in memory
        for i, key in enumerate(keys):
            meta = cache.get("pagemeta", key)
            if meta is not None and not manifest.intact(key):
                record = cache.get("pages", key)
                if record is None:
                    meta = None
                else:
                    _replay(writer, record)
                    written[key] = meta[2]
            if meta is None:
                missing.append(i)
                continue
            exported[plan.views[i].id], lines[plan.views[i].id] = meta[0], meta[1]
            writer.written.update(docs / target for target in meta[2])
    for i in missing:  # a view from the cache comes with only the edition's record: the full one
        if viewed[i]:
            plan.publics[i] = edition.view(items[i].loaded)
    for name in recorder.env.list_templates():  # compiled once here, not again in every worker
        recorder.env.get_template(name)
    made = fork_map(make, missing, jobs=jobs, progress=progress, stage="pages", wave=PAGES_WAVE)
    for i, (card, rows, targets) in zip(missing, made, strict=True):
        exported[plan.views[i].id], lines[plan.views[i].id] = card, rows
        writer.written.update(docs / target for target in targets)
        written[keys[i]] = targets
    trim_memory()  # buffers of the entries read: freed before the open-data files, the largest made here
    write_shared_files(writer, plan, exported, lines, _analyses(plan, cache, keys))
    removed = writer.prune()
    manifest.update(written, keep=set(keys))
    return PagesResult(plan, len(missing), removed)


Meta = tuple[ExportedCard, IndicatorLines, list[str]]
"""What the pages across evaluations need of one evaluation's files: its scorecard as exported,
its rows on the indicator pages, and the files it wrote (targets in the docs folder)."""


class DocsManifest:
    """Which evaluations' files the docs folder holds as last written, so they need not be written again.

    Per evaluation (by the cache key of its files): each file's size and modification time right
    after this writer last wrote or checked it. When every file still matches, a warm build neither
    reads the evaluation's cached files nor compares them with the docs folder. Kept in the cache,
    one per docs folder; with the cache off there is none and every evaluation is written.
    """

    def __init__(self, path: Path | None, docs: Path, entries: dict[str, tuple[tuple[str, int, int], ...]]):
        self.path, self.docs, self.entries = path, docs, entries

    @classmethod
    def load(cls, cache: Cache, docs: Path) -> DocsManifest:
        """The manifest of ``docs`` (empty when there is none or the cache is off)."""
        if cache.folder is None:
            return cls(None, docs, {})
        path = cache.folder / "docs" / (digest(str(docs.resolve())) + ".pickle")
        try:
            entries = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            entries = {}
        return cls(path, docs, entries if isinstance(entries, dict) else {})

    def intact(self, key: str) -> bool:
        """True if the files of the evaluation with this key are in the docs folder as last written."""
        files = self.entries.get(key)
        if files is None:
            return False
        for target, size, mtime in files:
            try:
                st = os.stat(self.docs / target)
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return False
        return True

    def update(self, written: dict[str, list[str]], *, keep: set[str]) -> None:
        """Record the files just written; forget evaluations no longer in the folder; save."""
        if self.path is None:
            return
        entries = {k: v for k, v in self.entries.items() if k in keep and k not in written}
        for key, targets in written.items():
            found = []
            for target in targets:
                try:
                    st = os.stat(self.docs / target)
                except OSError:
                    break
                found.append((target, st.st_size, st.st_mtime_ns))
            else:
                entries[key] = tuple(found)
        if entries != self.entries:
            write_atomic(self.path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))


def _compiled_templates(cache: Cache) -> FileSystemBytecodeCache | None:
    """Compiled page templates kept across runs in the cache (Jinja keys them by their source)."""
    if cache.folder is None:
        return None
    folder = cache.folder / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def _plan(
    root: Path,
    items: Sequence[SiteItem],
    systems: Sequence[LoadedSystem],
    inputs: Sequence[str],
    cache: Cache,
    *,
    reports: bool,
    site: SiteAddress,
    report_digests: Mapping[str, Mapping[str, str]] | None = None,
    left_out: Sequence[LeftOut] = (),
    settings: Publishing | None = None,
    edition: Edition = Edition.PUBLIC,
) -> tuple[SitePlan, list[bool]]:
    """``plan_site`` with each evaluation's public record and view from the cache when unchanged;
    and, per evaluation, whether its view came from the cache.

    A view points at its system's view and at its scorecard: those are stored as references and
    put back from what this build holds. Of the public view only the public ``Evaluation`` is
    kept: the pages across evaluations use nothing else of it, and ``write_pages`` puts the full
    public view back for every evaluation whose own files must be written again.
    """
    code = code_digest()
    keys = [
        digest("view", code, edition, str(root), i.loaded.rel, h) for i, h in zip(items, inputs, strict=True)
    ]
    system_views = {s.key: system_view(s) for s in systems}
    named = _system_names(system_views)
    with long_lived():
        known = [_known(cache, key, item, named) for key, item in zip(keys, items, strict=True)]
    plan = plan_site(
        root,
        items,
        systems,
        reports=reports,
        site=site,
        known=known,
        system_views=system_views,
        report_digests=report_digests,
        left_out=left_out,
        settings=settings,
        edition=edition,
    )
    for i, hit in enumerate(known):
        if hit is None:
            shared = _view_shared(named, items[i].card)
            cache.put("view", keys[i], (plan.publics[i].evaluation, plan.views[i]), shared)
    return plan, [hit is not None for hit in known]


def _known(cache: Cache, key: str, item: SiteItem, views: dict[str, object]) -> Viewed | None:
    hit = cache.get("view", key, _view_shared(views, item.card))
    if hit is None:
        return None
    evaluation, view = hit
    loaded = item.loaded
    return LoadedEvaluation(loaded.folder, loaded.rel, evaluation, loaded.source), view


def _system_name(key: tuple[str, str]) -> str:
    return f"system:{key[0]}:{key[1]}"


def _system_names(system_views: Mapping[tuple[str, str], SystemView]) -> dict[str, object]:
    """Each system view and each of its indicator definitions, by a name stable across builds."""
    named: dict[str, object] = {}
    for key, view in system_views.items():
        name = _system_name(key)
        named[name] = view
        for d in view.indicators:
            named[f"{name}:{d.id}"] = d
    return named


def _view_shared(systems: dict[str, object], card: Scorecard) -> dict[str, object]:
    """What a cached view refers to rather than holds: the systems' views and definitions, the
    scorecard and its indicator scores. The view's rows point at these; stored as names, they are
    put back as the very objects this build holds, neither stored nor kept in memory twice."""
    shared = {**systems, "card": card}
    for i, score in enumerate(card.indicators):
        shared[f"card:{i}"] = score
    for mode, scores in card.mode_indicators:
        for i, score in enumerate(scores):
            shared[f"card:{mode}:{i}"] = score
    return shared


def _analyses(plan: SitePlan, cache: Cache, keys: Sequence[str]) -> dict[tuple[str, str], Analysis]:
    """Each system edition's analysis, from the cache when neither the system nor any of its
    evaluations' files changed (rescoring under other weights is the slow part)."""
    found = {}
    for system in plan.systems:
        mine = [k for item, k in zip(plan.items, keys, strict=True) if item.system.key == system.key]
        folder = cache.inputs_hash(plan.root, [rel_path(plan.root, system.folder)])
        settings = plan.settings.rankings  # places are those of the site's rankings
        key = digest("analysis", code_digest(), folder, settings.model_dump_json(), *system.key, *mine)
        hit = cache.get("analysis", key)
        if hit is None:
            hit = analyse_system(system, plan.items, settings)
            cache.put("analysis", key, hit)
        found[system.key] = hit
    return found


def _keys(plan: SitePlan, cache: Cache) -> list[str]:
    """The cache key of each evaluation's files: the inputs ``PAGES`` declares, and the settings."""
    root = plan.root
    loaded = {item.card.evaluation_id: item.loaded for item in plan.items}
    facts = Facts(
        root,
        cache,
        {e.rel: cache.inputs_hash(root, [e.rel]) for e in loaded.values()},
        {s.key: s.folder for s in plan.systems},
        as_of=plan.as_of_by_party.get,
        previous={eid: loaded[b.id] for eid, b in plan.previous.items() if b is not None and b.id in loaded},
    )
    return [
        PAGES.key(
            facts,
            item.loaded,
            str(plan.edition),
            repr(plan.reports),
            repr(plan.site),
            repr(sorted(plan.report_digests.get(item.card.evaluation_id, {}).items())),  # shown on the page
        )
        for item in plan.items
    ]
