"""Pages across evaluations: home, the list, indicator systems, rankings, parties, methods."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from generator.build.publishable import LeftOut
from generator.messages import MESSAGES
from generator.model.publishing import RankingSettings
from generator.render import charts
from generator.render.site.compare import PartyHistory, RankingView, chronological, grade_counts
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import EvaluationView, SystemView
from generator.score.ranking import RankOrder
from generator.score.rounding import fmt
from generator.validate.process.rectification import PartyProgress

WIDE = {"hide": ["navigation"]}
"""Front matter of pages outside the nav: no empty sidebar, more room for tables."""
NOT_SEARCHED = {"search": {"exclude": True}}
"""Front matter of list pages: every entry is on its own page already, so the index skips them."""
LATEST = 10
"""Evaluations listed on the home page."""
RANKING_CHART_LIMIT = 40
"""Above this many places a ranking shows its table only (a chart would be too tall to read)."""


def write_home(
    writer: DocsWriter,
    views: Sequence[EvaluationView],
    systems: Sequence[SystemView],
    histories: Sequence[PartyHistory],
    left_out: Sequence[LeftOut] = (),
    *,
    internal: bool = False,
) -> None:
    """index.md and evaluations/index.md (the home page says so when the edition is ``internal``)."""
    newest = list(reversed(chronological(views)))
    writer.page(
        "index.md",
        "home.md.j2",
        title="首页",
        meta={"hide": ["toc"]} | NOT_SEARCHED,
        views=views,
        latest=newest[:LATEST],
        grade_sections=grade_sections(views, systems),
        parties=histories,
        systems=systems,
        samples=[f"{s.name}（{s.edition}）" for s in systems if s.sample],
        left_out=left_out,
        internal=internal,
    )
    writer.page(
        "evaluations/index.md",
        "evaluations.md.j2",
        title="全部评价",
        meta=NOT_SEARCHED,
        views=newest,
        left_out=left_out,
    )


def grade_sections(
    views: Sequence[EvaluationView], systems: Sequence[SystemView]
) -> list[tuple[str, list[tuple[str, int]], Markup]]:
    """Evaluations per grade, one (system name, counts, chart) per indicator system with grades.

    Grades are counted per system, never across systems: 合格 under one method is not 合格 under
    another, and a share-scored method's 高 is not a points method's 高.
    """
    found = []
    for system_id in dict.fromkeys(s.id for s in systems):
        editions = [s for s in systems if s.id == system_id]
        mine = [v for v in views if v.system.id == system_id]
        if not mine or not any(s.grades for s in editions):
            continue
        name = max(editions, key=lambda s: (s.effective, s.edition)).name
        counts = grade_counts(mine, editions)
        chart = charts.columns(
            [charts.Bar(grade, n, str(n)) for grade, n in counts],
            title=f"{name}：各等级评价数",
            caption="各等级的评价数，数据见下表",
        )
        found.append((name, counts, chart))
    return found


def write_unpublished(writer: DocsWriter, left_out: Sequence[LeftOut]) -> None:
    """unpublished.md: what this build left out and why.

    Each error is named by its file, line, code and the code's title from the catalogue, never by
    its formatted message: a message may quote a value, and the value may be internal material.
    """
    titles = {code: MESSAGES[code].title or code for item in left_out for code in item.codes}
    writer.page(
        "unpublished.md",
        "unpublished.md.j2",
        title="未发布的评价",
        meta=NOT_SEARCHED,
        left_out=left_out,
        titles=titles,
    )


IndicatorLines = dict[str, tuple[tuple[bool, float, float, str], str]]
"""One evaluation's row on each indicator page: indicator id → (place in the table, table row)."""


def indicator_lines(writer: DocsWriter, v: EvaluationView) -> IndicatorLines:
    """The evaluation's row in the table of every indicator page it appears on.

    Rendered once per evaluation (and kept with its cached files), since each indicator page of a
    system lists every evaluation that uses it. Rows sort by the share of the indicator's weight
    scored (weights differ where not-applicable siblings are shared out), highest first, then by
    points, not-applicable last, then by evaluation id: a page changes only when its own figures do.
    """
    template = writer.env.get_template("indicator_row.md.j2")
    root = "../" * 2  # systems/<system>/<indicator>.md
    found: IndicatorLines = {}
    for r in v.rows:
        fraction, points = r.score.fraction, r.score.points
        place = (fraction is None, -(fraction or 0.0), -(points or 0.0), v.id)
        found[r.score.id] = (place, template.render(root=root, v=v, r=r).rstrip("\n"))
    return found


def write_systems(
    writer: DocsWriter,
    systems: Sequence[SystemView],
    views: Sequence[EvaluationView],
    lines: Mapping[str, IndicatorLines] | None = None,
) -> None:
    """systems/index.md, one page per edition and one per indicator.

    ``lines``: each evaluation's ``indicator_lines`` by id, when the caller kept them.
    """
    users = {s.slug: [v for v in views if v.system.slug == s.slug] for s in systems}
    writer.page(
        "systems/index.md",
        "systems.md.j2",
        title="指标体系",
        systems=[(s, len(users[s.slug])) for s in systems],
    )
    for s in systems:
        order = RankOrder(s.ranking, tuple(g.name for g in s.grades))  # as the rankings order
        mine = sorted(users[s.slug], key=lambda v: (order.key(v.card), v.id))
        writer.page(
            f"systems/{s.slug}/index.md",
            "system.md.j2",
            title=f"{s.name}（{s.edition}）",
            meta=WIDE,
            s=s,
            views=mine,
        )
        names = {d.id: d.name for d in s.indicators}
        scored: dict[str, list[tuple[tuple[bool, float, float, str], str]]] = defaultdict(list)
        for v in mine:
            own = lines[v.id] if lines is not None and v.id in lines else indicator_lines(writer, v)
            for indicator, entry in own.items():
                scored[indicator].append(entry)
        for d in s.indicators:
            rows = sorted(scored.get(d.id, []))
            children = [c for c in s.indicators if c.parent == d.id]
            writer.page(
                f"systems/{s.slug}/{d.id}.md",
                "indicator.md.j2",
                title=f"{d.id} {d.name}",
                meta=WIDE,
                s=s,
                d=d,
                lines=[Markup(line) for _, line in rows],
                children=children,
                parent_name=names.get(d.parent or "", ""),
            )


def _dimension_points(v: EvaluationView, name: str) -> str:
    """A dimension's points by name, for comparison columns ('—' where the system has no such dimension)."""
    for d in v.result.dimensions:
        if d.name == name:
            return "不适用" if d.points is None else fmt(d.points, v.system.rounding.dimension)
    return "—"


def _dimension_names(views: Sequence[EvaluationView]) -> list[str]:
    """Names of the dimensions that carry points (a weight-0 group of vetoes or bonuses has none)."""
    return list(dict.fromkeys(d.name for v in views for d in v.result.dimensions if d.weight > 0))


def write_rankings(
    writer: DocsWriter,
    rankings: Sequence[RankingView],
    slugs: dict[str, str],
    settings: RankingSettings | None = None,
) -> None:
    """rankings/index.md and one page per (system, year, group)."""
    settings = settings or RankingSettings()
    writer.page(
        "rankings/index.md",
        "rankings.md.j2",
        title="排名与比较",
        meta=WIDE | NOT_SEARCHED,
        rankings=rankings,
        groups=[g.name for g in settings.groups],
        unconfirmed=settings.unconfirmed,
    )
    for r in rankings:
        chart: Markup | None = None
        if 0 < len(r.rows) <= RANKING_CHART_LIMIT:
            bars = [  # a vetoed result's bar may be the longest: its label says the veto, and the
                # table the chart points to says it beside the grade (the bar's title is the
                # evaluation's title as the table writes it, so every figure drawn is in the table)
                charts.Bar(
                    f"{row.entry.rank} {'否决 ' if row.entry.vetoed else ''}{row.evaluation.evaluated.name}",
                    row.entry.total,
                    fmt(row.entry.total, row.evaluation.system.rounding.total),
                    row.evaluation.title,
                )
                for row in r.rows
            ]
            chart = charts.bars(
                bars,
                maximum=r.system.scale,
                title=f"{r.title}：总分",
                caption="各被评价方总分，数据见下表",
            )
        listed = [row.evaluation for row in (*r.rows, *r.unranked)]
        writer.page(
            f"rankings/{r.slug}.md",
            "ranking.md.j2",
            title=r.title,
            meta=WIDE | NOT_SEARCHED,
            r=r,
            chart=chart,
            party_slugs=slugs,
            dimension_names=_dimension_names(listed),
            dimension_points=_dimension_points,
            dimension_averages=dict(r.ranking.dimension_averages),
        )


def write_parties(
    writer: DocsWriter,
    histories: Sequence[PartyHistory],
    rectification: dict[str, PartyProgress],
    badges: dict[str, Markup],
) -> None:
    """parties/index.md and one history page per evaluated party, with its rectification progress
    and its badge section (``badges.badge_section``, by party name; none in the internal edition)."""
    writer.page("parties/index.md", "parties.md.j2", title="被评价方", meta=NOT_SEARCHED, histories=histories)
    for h in histories:
        points = [
            charts.Bar(f"{v.year}", v.card.total, fmt(v.card.total, v.system.rounding.total), v.title)
            for v, _ in h.rows
        ]
        chart = charts.trend(
            points,
            maximum=max(v.card.scale for v, _ in h.rows),
            title=f"{h.name}历次评价总分",
            caption="历次评价总分，数据见下表",
        )
        writer.page(
            f"parties/{h.slug}.md",
            "party.md.j2",
            title=h.name,
            meta=WIDE,
            h=h,
            progress=rectification[h.name],
            badge=badges.get(h.name, Markup()),
            chart=chart,
            dimension_names=_dimension_names([v for v, _ in h.rows]),
            dimension_points=_dimension_points,
        )


def write_methods(writer: DocsWriter, systems: Sequence[SystemView]) -> None:
    """methods.md: how every figure is computed."""
    writer.page("methods.md", "methods.md.j2", title="计分方法", systems=systems)
