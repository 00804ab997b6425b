"""The analysis page of each system edition: ``systems/<slug>/analysis.md`` (see ``generator.analyze``).

The page shows what ``zwpj analyze`` prints for the evaluations published with the edition. Rescoring
under weight changes runs only up to ``RESCORE_LIMIT`` evaluations per edition, so that a site of
thousands of evaluations is not held up by it; above that the page says so and names the command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from generator.analyze import Analysis, Member, analyze
from generator.analyze.stats import HIGH_CORRELATION, MIN_ALPHA, MIN_CORRELATION, MIN_SPREAD
from generator.analyze.text import VERDICTS
from generator.load.repository import LoadedSystem
from generator.model.publishing import RankingSettings
from generator.render.calculator.publish import measured_of
from generator.render.site.overview import WIDE
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import SystemView

if TYPE_CHECKING:  # the package imports this module
    from generator.render.site import SiteItem

RESCORE_LIMIT = 300
"""Most evaluations of one edition rescored for the weight-change table on the site."""


def analyse_system(
    system: LoadedSystem, items: Sequence[SiteItem], settings: RankingSettings | None = None
) -> Analysis:
    """The analysis of one edition over the published items that use it; places are those of the
    site's rankings under ``settings`` (``publishing.yaml``)."""
    members = [
        Member(item.loaded, item.card, measured_of(item.card))
        for item in items
        if item.system.key == system.key
    ]
    return analyze(system, members, rescore_limit=RESCORE_LIMIT, settings=settings or RankingSettings())


def write_analyses(
    writer: DocsWriter, views: Mapping[tuple[str, str], SystemView], found: Mapping[tuple[str, str], Analysis]
) -> None:
    """One page per system edition."""
    limits = {
        "spread": MIN_SPREAD,
        "correlation": MIN_CORRELATION,
        "alpha": MIN_ALPHA,
        "high": HIGH_CORRELATION,
    }
    for key, a in found.items():
        s = views[key]
        writer.page(
            f"systems/{s.slug}/analysis.md",
            "analysis.md.j2",
            title=f"指标体系分析：{s.name}（{s.edition}）",
            meta=WIDE,
            s=s,
            a=a,
            verdicts=VERDICTS,
            limits=limits,
            rescore_limit=RESCORE_LIMIT,
        )
