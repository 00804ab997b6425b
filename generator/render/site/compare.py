"""Comparisons across evaluations for the site: rankings, changes and each party's history.

The figures come from ``score.ranking`` (competition ranks with ties, deltas per dimension);
this module only pairs them with the evaluations' views so pages can link and describe them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.model.publishing import RankingSettings
from generator.render.views.evaluation import EvaluationView, SystemView
from generator.score.ranking import (
    Delta,
    RankedEntry,
    Ranking,
    RankOrder,
    delta,
    grade_distribution,
    previous_map,
    rank,
)


@dataclass(frozen=True)
class RankRow:
    """One place in a ranking."""

    entry: RankedEntry
    """Rank, tie and total."""
    evaluation: EvaluationView
    """The evaluation ranked."""
    change: Delta | None
    """Change since the party's previous evaluation."""


@dataclass(frozen=True)
class RankingView:
    """The comparable evaluations under one system whose period ends in one year, best first."""

    system: SystemView
    """The system (its most recent edition among the ranked evaluations)."""
    year: int
    """Year the periods end in."""
    ranking: Ranking
    """The ranking as ``score.ranking.rank`` made it (group, peer averages)."""
    rows: tuple[RankRow, ...]
    """Places, best first."""
    unranked: tuple[RankRow, ...] = ()
    """Results listed without a place (not confirmed), in the ranking's order."""

    @property
    def order(self) -> RankOrder:
        """How the places were ordered (the system's ranking keys)."""
        return self.ranking.order

    @property
    def group(self) -> str | None:
        """The ranking group's name, None when no groups are configured."""
        return self.ranking.group

    @property
    def slug(self) -> str:
        """Page name (a group adds a stable ASCII suffix: group names are Chinese)."""
        base = f"{self.system.id}-{self.year}"
        if self.group is None:
            return base
        return f"{base}-g{hashlib.sha1(self.group.encode()).hexdigest()[:8]}"

    @property
    def title(self) -> str:
        """``2024 年度排名：<system>（<group>）``."""
        group = f"（{self.group}）" if self.group else ""
        return f"{self.year} 年度排名：{self.system.name}{group}"

    @property
    def mixed_editions(self) -> bool:
        """True when the ranked evaluations used different editions of the system."""
        return len({r.evaluation.system.edition for r in (*self.rows, *self.unranked)}) > 1


@dataclass(frozen=True)
class PartyHistory:
    """Every evaluation of one evaluated party, oldest first."""

    name: str
    """The evaluated party's name."""
    slug: str
    """Page name (ASCII, stable for the name)."""
    rows: tuple[tuple[EvaluationView, Delta | None], ...]
    """Evaluations with the change since the previous one."""

    @property
    def latest(self) -> EvaluationView:
        """The most recent evaluation."""
        return self.rows[-1][0]


def party_slug(name: str) -> str:
    """A stable ASCII page name for a party: names are Chinese, and paths should stay portable."""
    return "p-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def chronological(views: Sequence[EvaluationView]) -> list[EvaluationView]:
    """Oldest first, by period end then id."""
    return sorted(views, key=lambda v: (v.period_end, v.id))


def changes(views: Sequence[EvaluationView], evaluations: dict) -> dict[str, Delta]:
    """Evaluation id → change since the same party's previous published evaluation."""
    by_id = {v.id: v for v in views}
    found: dict[str, Delta] = {}
    previous = previous_map(evaluations)
    for v in views:
        prev = previous[v.id]
        if prev is not None and prev.id in by_id and prev.id != v.id:
            found[v.id] = delta(v.card, by_id[prev.id].card)
    return found


def rankings(
    views: Sequence[EvaluationView],
    evaluations: dict,
    moved: dict[str, Delta],
    settings: RankingSettings | None = None,
) -> list[RankingView]:
    """One ranking per (system, year, group), newest year first, groups in configured order."""
    by_id = {v.id: v for v in views}
    newest: dict[str, SystemView] = {}
    for v in views:
        known = newest.get(v.system.id)
        if known is None or (v.system.effective, v.system.edition) > (known.effective, known.edition):
            newest[v.system.id] = v.system
    orders = {sid: RankOrder(s.ranking, tuple(g.name for g in s.grades)) for sid, s in newest.items()}
    result = []
    for ranking in rank((v.card for v in views), evaluations, settings, orders):
        rows, unranked = (
            tuple(RankRow(e, by_id[e.evaluation_id], moved.get(e.evaluation_id)) for e in entries)
            for entries in (ranking.entries, ranking.unranked)
        )
        listed = (r.evaluation.system for r in (*rows, *unranked))
        shown = max(listed, key=lambda s: (s.effective, s.edition))
        result.append(RankingView(shown, ranking.year, ranking, rows, unranked))
    order = {id(r): i for i, r in enumerate(result)}
    return sorted(result, key=lambda r: (-r.year, r.system.id, order[id(r)]))


def histories(views: Sequence[EvaluationView], moved: dict[str, Delta]) -> list[PartyHistory]:
    """One history per evaluated party, in name order."""
    by_party: dict[str, list[EvaluationView]] = defaultdict(list)
    for v in chronological(views):
        by_party[v.evaluated.name].append(v)
    return [
        PartyHistory(name, party_slug(name), tuple((v, moved.get(v.id)) for v in series))
        for name, series in sorted(by_party.items())
    ]


def grade_counts(views: Sequence[EvaluationView], systems: Sequence[SystemView]) -> list[tuple[str, int]]:
    """Evaluations per grade, in band order (best first) across the systems, zero counts kept."""
    found = grade_distribution(v.card for v in views)
    order = dict.fromkeys([g.name for s in systems for g in s.grades] + sorted(found))
    return [(name, found.get(name, 0)) for name in order]
