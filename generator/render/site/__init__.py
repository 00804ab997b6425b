"""The published site: scored evaluations → Markdown pages and data files for mkdocs.

This step only writes files into a docs folder (``build/docs``); mkdocs with the Material theme
turns them into HTML. Keeping generation out of mkdocs plugins keeps the renderer replaceable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...load import LoadedEvaluation, LoadedSystem
from ...process.confidential import public_view, redaction_paths
from ...process.rectification import progress, repository_as_of
from ...process.view import process_view
from ...process.workdays import load_calendar
from ...score.card import Scorecard
from ...yamlsource import PathKey, Source
from ..calculator.publish import measured_of, write_evaluation_inputs
from ..calculator.publish import write_assets as write_calculator_assets
from ..views import EvaluationView, evaluation_view, system_view
from .badges import badge_section, write_badges
from .compare import changes, histories, rankings
from .data import write_data
from .evaluation import Neighbours, write_evaluation
from .feed import SiteAddress, write_feeds
from .overview import write_home, write_methods, write_parties, write_rankings, write_systems
from .sources import source_page, source_target
from .writer import DocsWriter

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
class SiteContent:
    """What was written."""

    views: tuple[EvaluationView, ...]
    """The evaluations published."""
    files: int
    """Files in the docs folder."""
    removed: tuple[Path, ...]
    """Stale files removed from an earlier run."""


def write_docs(
    root: Path,
    items: Sequence[SiteItem],
    systems: Sequence[LoadedSystem],
    docs: Path,
    *,
    reports: bool = True,
    site: SiteAddress | None = None,
) -> SiteContent:
    """Write every page and data file of the site into ``docs``.

    ``reports`` says whether DOCX and PDF reports will be written to ``<site>/reports/`` after
    mkdocs runs; evaluation pages link to them only then. ``site`` (name and ``site_url`` from
    mkdocs.yml) makes the feeds' links and the badges' embed code absolute when the address is known.
    """
    site = site or SiteAddress()
    writer = DocsWriter(docs)
    system_views = {s.key: system_view(s) for s in systems}
    publics = [public_view(i.loaded) for i in items]
    views = [
        evaluation_view(p, system_views[i.system.key], i.card) for i, p in zip(items, publics, strict=True)
    ]
    evaluations = {p.evaluation.id: p.evaluation for p in publics}
    moved = changes(views, evaluations)
    party_histories = histories(views, moved)
    slugs = {h.name: h.slug for h in party_histories}
    by_id = {v.id: v for v in views}
    calendar, _ = load_calendar(root)  # its problems are the validator's to report
    as_of = repository_as_of(evaluations.values())
    write_calculator_assets(writer)
    for item, public, v in zip(items, publics, views, strict=True):
        change = moved.get(v.id)
        process = process_view(
            public,
            evaluations,
            system=item.system,
            card=item.card,
            measured=measured_of(item.card),
            calendar=calendar,
            as_of=as_of,
        )
        page = f"evaluations/{v.id}.md"
        calculator = write_evaluation_inputs(writer, public, item.system, item.card, page=page)
        neighbours = Neighbours(
            slugs[v.evaluated.name], change, by_id[change.previous_id] if change else None
        )
        write_evaluation(
            writer,
            v,
            item.loaded,
            neighbours=neighbours,
            process=process,
            calculator=calculator,
            reports=reports,
        )
    published = list(system_views.values())
    write_home(writer, views, published, party_histories)
    write_systems(writer, published, views)
    write_rankings(writer, rankings(views, evaluations, moved), slugs)
    badges = write_badges(writer, party_histories, evaluations)
    write_parties(
        writer,
        party_histories,
        {h.name: progress(h.name, evaluations.values(), as_of=as_of) for h in party_histories},
        {name: badge_section(b, site, root="../") for name, b in badges.items()},
    )
    write_feeds(writer, views, evaluations, site)
    write_methods(writer, published)
    write_data(writer, views)
    hidden: dict[str, list[PathKey]] = {}
    for item in items:
        hidden.update(redaction_paths(item.loaded))
    for rel, source in _sources(items, systems).items():
        text = (root / rel).read_text(encoding="utf-8-sig")
        home = "../" * source_target(rel).count("/") + "index.html"
        writer.text(source_target(rel), source_page(rel, text, source, home=home, hidden=hidden.get(rel, [])))
    for asset in ("extra.css", "resize-observer.js"):
        writer.copy(ASSETS / asset, f"assets/{asset}")
    removed = writer.prune()
    return SiteContent(tuple(views), len(writer.written), tuple(removed))


def _sources(items: Sequence[SiteItem], systems: Sequence[LoadedSystem]) -> dict[str, Source]:
    """Every YAML file a figure on the site links to, by path relative to the repository root."""
    found: dict[str, Source] = {}
    for s in systems:
        found[s.source.rel] = s.source
        for node in s.index.values():
            found.setdefault(node.source.rel, node.source)
    for item in items:
        found[item.loaded.source.rel] = item.loaded.source
        for f in item.loaded.score_files:
            found[f.source.rel] = f.source
    return found
