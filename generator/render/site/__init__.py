"""The published site: scored evaluations → Markdown pages and data files for mkdocs.

This step only writes files into a docs folder (``build/docs``); mkdocs with the Material theme
turns them into HTML. Keeping generation out of mkdocs plugins keeps the renderer replaceable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.analyze import Analysis
from generator.build.publishable import LeftOut
from generator.load.asof import as_of_by_party, repository_as_of
from generator.load.repository import LoadedEvaluation, LoadedSystem, load_calendar
from generator.load.yamlsource import PathKey, Source
from generator.model.evaluation import Evaluation
from generator.model.publishing import Publishing
from generator.model.workdays import WorkCalendar
from generator.render.calculator.publish import measured_of, write_evaluation_inputs
from generator.render.calculator.publish import write_assets as write_calculator_assets
from generator.render.edition import Edition
from generator.render.site.analysis import analyse_system, write_analyses
from generator.render.site.badges import badge_section, write_badges
from generator.render.site.compare import PartyHistory, changes, histories, party_slug, rankings
from generator.render.site.data import ExportedCard, write_data, write_evaluation_data
from generator.render.site.evaluation import Neighbours, write_evaluation
from generator.render.site.feed import SiteAddress, write_feeds
from generator.render.site.overview import (
    IndicatorLines,
    write_home,
    write_methods,
    write_parties,
    write_rankings,
    write_systems,
    write_unpublished,
)
from generator.render.site.sources import source_page, source_target
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import (
    Comparison,
    EvaluationView,
    SystemView,
    evaluation_view,
    system_view,
)
from generator.render.views.process import process_view
from generator.score.card import Scorecard
from generator.score.ranking import Delta, delta, previous_map
from generator.validate.process.rectification import progress

ASSETS = Path(__file__).parent / "assets"
"""Stylesheet and script shipped with the pages."""


@dataclass(frozen=True)
class SiteItem:
    """One scored evaluation to publish."""

    loaded: LoadedEvaluation
    """The evaluation as loaded."""
    system: LoadedSystem
    """Its indicator system edition."""
    card: Scorecard
    """Its scorecard."""


@dataclass(frozen=True)
class SitePlan:
    """What the pages of one build share, worked out once from every evaluation.

    Split from the writing so that a build can write each evaluation's files on its own (over
    several processes, or from a cache) and the pages across evaluations once.
    """

    root: Path
    """Repository root."""
    items: Sequence[SiteItem]
    """The evaluations to publish."""
    systems: Sequence[LoadedSystem]
    """Every indicator system edition."""
    publics: list[LoadedEvaluation]
    """Each item as its edition shows it (``Edition.view``: in the public edition, its public view
    with confidential material removed), in item order."""
    views: list[EvaluationView]
    """Each item's view, in item order."""
    system_views: dict[tuple[str, str], SystemView]
    """System views by (id, edition)."""
    evaluations: dict[str, Evaluation]
    """Public evaluations by id."""
    moved: dict[str, Delta]
    """Evaluation id → change since the party's previous evaluation."""
    party_histories: list[PartyHistory]
    """One history per evaluated party."""
    calendar: WorkCalendar
    """The repository's working-day calendar."""
    as_of: dt.date | None
    """The newest date recorded in any evaluation: only the build's date stamp when git gives
    none. Pages are judged as of their own evaluations' records (``evaluation_as_of``)."""
    reports: bool
    """Whether evaluation pages link to DOCX and PDF reports."""
    report_digests: Mapping[str, Mapping[str, str]]
    """Evaluation id → its report files' SHA-256 by file name (when the reports were made first)."""
    site: SiteAddress
    """Site name and address, for feeds and badges."""
    left_out: Sequence[LeftOut] = ()
    """Evaluations and systems not published because of errors (listed on a page of their own)."""
    settings: Publishing = field(default_factory=Publishing)
    """Publishing settings (rankings)."""
    edition: Edition = Edition.PUBLIC
    """Which edition the pages are: made from the public views, or internal."""

    @cached_property
    def by_id(self) -> dict[str, EvaluationView]:
        """Views by evaluation id."""
        return {v.id: v for v in self.views}

    @cached_property
    def as_of_by_party(self) -> dict[str, dt.date]:
        """Each party's day (``load.asof.as_of_by_party``), worked out once."""
        return as_of_by_party(self.evaluations.values())

    @cached_property
    def previous(self) -> dict[str, Evaluation | None]:
        """Each evaluation's previous one (``score.ranking.previous_map``), worked out once."""
        return previous_map(self.evaluations)


Viewed = tuple[LoadedEvaluation, EvaluationView]
"""An evaluation as its edition shows it (``Edition.view``) and its page's view model."""


def view_item(
    item: SiteItem, system_views: Mapping[tuple[str, str], SystemView], edition: Edition = Edition.PUBLIC
) -> Viewed:
    """The evaluation as ``edition`` shows it (the public view: confidential material removed) and
    the view model of one item."""
    shown = edition.view(item.loaded)
    return shown, evaluation_view(shown, system_views[item.system.key], item.card)


def item_comparisons(items: Sequence[SiteItem]) -> dict[str, Comparison]:
    """``comparisons`` worked out before the site is planned (the reports are made first): the
    same previous evaluations (``score.ranking.previous_map``) and changes (``score.ranking.delta``)
    over the same published evaluations and scorecards as the site's ``plan.moved``."""
    evaluations = {i.loaded.evaluation.id: i.loaded.evaluation for i in items}
    cards = {i.loaded.evaluation.id: i.card for i in items}
    previous = previous_map(evaluations)
    found = {}
    for evaluation_id, card in cards.items():
        before = previous[evaluation_id]
        if before is not None and before.id in cards and before.id != evaluation_id:
            earlier = cards[before.id]
            found[evaluation_id] = Comparison(before.id, before.title, earlier.total, delta(card, earlier))
    return found


def comparisons(plan: SitePlan) -> dict[str, Comparison]:
    """Each evaluation's comparison with its party's previous one: the site's change (``plan.moved``)."""
    found = {}
    for evaluation_id, change in plan.moved.items():
        previous = plan.by_id[change.previous_id]
        found[evaluation_id] = Comparison(previous.id, previous.title, previous.card.total, change)
    return found


def plan_site(
    root: Path,
    items: Sequence[SiteItem],
    systems: Sequence[LoadedSystem],
    *,
    reports: bool = True,
    site: SiteAddress | None = None,
    known: Sequence[Viewed | None] | None = None,
    system_views: dict[tuple[str, str], SystemView] | None = None,
    report_digests: Mapping[str, Mapping[str, str]] | None = None,
    left_out: Sequence[LeftOut] = (),
    settings: Publishing | None = None,
    edition: Edition = Edition.PUBLIC,
) -> SitePlan:
    """Views of every evaluation and what links them (changes, histories, the as-of date).

    ``known``: per item, its ``view_item`` from an earlier run (a build's cache), or None;
    ``system_views``: the systems' views those point at, when the caller has made them;
    ``report_digests``: each evaluation's report files' SHA-256, shown on its page.
    """
    if system_views is None:
        system_views = {s.key: system_view(s) for s in systems}
    viewed = [
        k or view_item(i, system_views, edition)
        for i, k in zip(items, known or [None] * len(items), strict=True)
    ]
    publics = [public for public, _ in viewed]
    views = [view for _, view in viewed]
    evaluations = {p.evaluation.id: p.evaluation for p in publics}
    moved = changes(views, evaluations)
    calendar, _ = load_calendar(root)  # its problems are the validator's to report
    return SitePlan(
        root,
        items,
        systems,
        publics,
        views,
        system_views,
        evaluations,
        moved,
        histories(views, moved),
        calendar,
        repository_as_of(evaluations.values()),
        reports,
        report_digests or {},
        site or SiteAddress(),
        left_out,
        settings or Publishing(),
        edition,
    )


def write_evaluation_files(writer: DocsWriter, plan: SitePlan, index: int) -> ExportedCard:
    """One evaluation's page, what-if inputs, evidence files, data files and source pages; its
    scorecard as exported, for the open-data files across evaluations.

    Besides the evaluation itself these read its party's previous evaluation (change, carried-over
    rectification), its party's "as of" day, the calendar, ``plan.reports`` and the evaluation's
    report digests; nothing else of the plan. Overdue items are judged as of the party's own
    records, so no other party's evaluation changes them.
    """
    item, public, v = plan.items[index], plan.publics[index], plan.views[index]
    change = plan.moved.get(v.id)
    process = process_view(
        public,
        plan.evaluations,
        system=item.system,
        card=item.card,
        measured=measured_of(item.card),
        calendar=plan.calendar,
        as_of=plan.as_of_by_party[public.evaluation.evaluated.name],
        previous=plan.previous,
    )
    page = f"evaluations/{v.id}.md"
    card = write_evaluation_data(writer, v)  # first: the page shows the data files' digests
    calculator = write_evaluation_inputs(writer, public, item.system, item.card, page=page)
    previous = plan.by_id[change.previous_id] if change else None
    neighbours = Neighbours(party_slug(v.evaluated.name), change, previous)
    write_evaluation(
        writer,
        v,
        item.loaded,
        neighbours=neighbours,
        process=process,
        calculator=calculator,
        reports=plan.reports,
        digests={**card.digests, **plan.report_digests.get(v.id, {})},
        edition=plan.edition,
    )
    hidden = plan.edition.redactions(item.loaded)
    sources = {item.loaded.source.rel: item.loaded.source}
    sources.update((f.source.rel, f.source) for f in item.loaded.score_files)
    for rel, source in sources.items():
        _write_source(writer, rel, source, hidden.get(rel, []), plan.edition)
    return card


def write_shared_files(
    writer: DocsWriter,
    plan: SitePlan,
    cards: Mapping[str, ExportedCard],
    lines: Mapping[str, IndicatorLines] | None = None,
    analyses: Mapping[tuple[str, str], Analysis] | None = None,
) -> None:
    """The pages across evaluations (home, rankings, parties, feeds, open data, system analyses),
    systems' sources, assets.

    ``cards``: each evaluation's exported scorecard (``write_evaluation_files`` returns it);
    ``lines``: each evaluation's rows on the indicator pages (``indicator_lines``), when kept;
    ``analyses``: each system edition's analysis (``analyse_system``), when kept.
    """
    write_calculator_assets(writer)
    published = list(plan.system_views.values())
    slugs = {h.name: h.slug for h in plan.party_histories}
    evaluations = plan.evaluations
    write_home(
        writer, plan.views, published, plan.party_histories, plan.left_out, internal=not plan.edition.public
    )
    write_unpublished(writer, plan.left_out)
    write_systems(writer, published, plan.views, lines)
    if analyses is None:
        analyses = {s.key: analyse_system(s, plan.items, plan.settings.rankings) for s in plan.systems}
    write_analyses(writer, plan.system_views, analyses)
    ranked = rankings(plan.views, evaluations, plan.moved, plan.settings.rankings)
    write_rankings(writer, ranked, slugs, plan.settings.rankings)
    # the internal edition has no badges nor feeds: nothing outside may embed or follow it
    public = plan.edition.public
    badges = write_badges(writer, plan.party_histories, evaluations) if public else {}
    write_parties(
        writer,
        plan.party_histories,
        {
            h.name: progress(h.name, evaluations.values(), as_of=plan.as_of_by_party[h.name])
            for h in plan.party_histories
        },
        {name: badge_section(b, plan.site, root="../") for name, b in badges.items()},
    )
    if public:
        write_feeds(writer, plan.views, evaluations, plan.site)
    else:
        writer.text("robots.txt", "User-agent: *\nDisallow: /\n")
    write_methods(writer, published)
    write_data(writer, plan.views, cards, ranked)
    for rel, source in _system_sources(plan.systems).items():
        _write_source(writer, rel, source, [], plan.edition)
    for asset in ("extra.css", "resize-observer.js"):
        writer.copy(ASSETS / asset, f"assets/{asset}")


def _write_source(
    writer: DocsWriter, rel: str, source: Source, hidden: list[PathKey], edition: Edition
) -> None:
    text = source.text.replace("\r\n", "\n").replace("\r", "\n")  # as the file reads in text mode
    home = "../" * source_target(rel).count("/") + "index.html"
    page = source_page(rel, text, source, home=home, hidden=hidden, edition=edition)
    writer.text(source_target(rel), page)


def _system_sources(systems: Sequence[LoadedSystem]) -> dict[str, Source]:
    """Every YAML file of the systems that a figure on the site links to, by path from the repository root."""
    found: dict[str, Source] = {}
    for s in systems:
        found[s.source.rel] = s.source
        for node in s.index.values():
            found.setdefault(node.source.rel, node.source)
    return found
