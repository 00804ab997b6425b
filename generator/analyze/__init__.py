"""Judge an indicator system against the evaluations already scored with it (``zwpj analyze``).

``analyze`` gathers, for one system edition, each evaluation's leaf score fractions (with several
evaluation modes, combined by the modes' weights) and reports: how each indicator spreads (and which
never discriminate), highly correlated pairs, Cronbach's α per dimension (``stats``), and how grades
and places would change under weight changes (``sensitivity``). Every figure carries the number of
evaluations it rests on; below the minimums none is computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from generator.analyze import sensitivity
from generator.analyze.sensitivity import Member, Scenario
from generator.analyze.stats import Consistency, Correlations, Spread, consistency, correlations, spread
from generator.load.repository import LoadedSystem
from generator.model.publishing import RankingSettings
from generator.score.card import IndicatorScore, Scorecard

__all__ = ["Analysis", "Member", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """What ``analyze`` found for one system edition."""

    system_id: str
    """System id."""
    edition: str
    """Edition analysed."""
    name: str
    """System name."""
    evaluations: tuple[str, ...]
    """Ids of the evaluations the figures rest on."""
    spreads: tuple[Spread, ...]
    """Each weighted leaf's spread, in system order."""
    correlations: Correlations
    """Pairs of leaves."""
    consistency: tuple[Consistency, ...]
    """Each dimension's α."""
    scenarios: tuple[Scenario, ...]
    """Weight changes and their effect; empty when not computed."""
    scenarios_skipped: str = ""
    """Why no scenario was computed, in Chinese; empty when they were."""

    @property
    def n(self) -> int:
        """Number of evaluations."""
        return len(self.evaluations)

    @property
    def never_discriminating(self) -> tuple[Spread, ...]:
        """Indicators every evaluation scored the same on (with enough evaluations)."""
        return tuple(s for s in self.spreads if s.verdict in ("all_full", "all_same"))


def leaf_fractions(card: Scorecard, modes: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Each scored leaf's fraction; with modes, the modes' fractions combined by their weights
    (over the modes that scored it)."""
    per_mode: Sequence[tuple[float, Sequence[IndicatorScore]]]
    if card.mode_indicators:
        weights = dict(modes)
        per_mode = [(weights.get(m, 0.0), inds) for m, inds in card.mode_indicators]
    else:
        per_mode = [(1.0, card.indicators)]
    found: dict[str, list[tuple[float, float]]] = {}
    for weight, indicators in per_mode:
        for i in indicators:
            if i.is_leaf and i.status == "scored" and i.weight > 0 and i.fraction is not None:
                found.setdefault(i.id, []).append((weight, i.fraction))
    return {
        k: sum(w * f for w, f in v) / sum(w for w, _ in v) for k, v in found.items() if sum(w for w, _ in v)
    }


def analyze(
    system: LoadedSystem,
    members: Sequence[Member],
    *,
    changes: Sequence[Mapping[str, Fraction]] | None = None,
    rescore_limit: int | None = None,
    settings: RankingSettings | None = None,
) -> Analysis:
    """Analyse ``system`` over ``members`` (evaluations scored with this edition).

    ``changes``: weight changes to try (default: each dimension up and down by a fifth);
    ``rescore_limit``: rescore only when there are at most this many evaluations;
    ``settings``: the site's ranking settings, so that places are the published ones (None: all
    members ranked together).
    """
    spec = system.system
    leaves = [n for n in system.index.values() if n.is_leaf and n.weight > 0]
    ids = [n.indicator.id for n in leaves]
    modes = [(m.id, m.weight) for m in spec.modes]
    rows = [leaf_fractions(m.card, modes) for m in members]
    matrix = np.array([[row.get(i, np.nan) for i in ids] for row in rows], dtype=float).reshape(
        len(rows), len(ids)
    )
    spreads = tuple(
        spread(n.indicator.id, n.indicator.name, n.dimension, matrix[:, k]) for k, n in enumerate(leaves)
    )
    alphas = []
    for dim in system.dimensions:
        columns = [k for k, n in enumerate(leaves) if n.dimension == dim.id]
        if columns:
            alphas.append(consistency(dim.id, dim.name, matrix[:, columns]))
    scenarios: tuple[Scenario, ...] = ()
    skipped = ""
    tried = list(changes) if changes is not None else sensitivity.default_scenarios(system)
    if not members:
        skipped = "没有可重新评分的评价"
    elif rescore_limit is not None and len(members) > rescore_limit:
        skipped = f"使用本版本的评价有 {len(members)} 个，多于站点上重新评分的上限 {rescore_limit} 个"
    elif not tried:
        skipped = "体系只有一个计分的维度，没有可相互调整的权重"
    else:
        scenarios = tuple(sensitivity.run(system, members, c, settings) for c in tried)
    return Analysis(
        spec.id,
        spec.edition,
        spec.name,
        tuple(m.card.evaluation_id for m in members),
        spreads,
        correlations(ids, matrix),
        tuple(alphas),
        scenarios,
        skipped,
    )
