"""How results would change under other weights: every evaluation rescored with the weights changed.

A change names an indicator and its new weight; its subtree is scaled to it and its siblings share
what is left of their parent's weight in proportion to their own weights, so the parent (and the
scale) keep their weights. The evaluations are scored again by the same scorer, through the same
stages, bands and ranking order, and compared with their published results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from generator.load.repository import IndicatorNode, LoadedEvaluation, LoadedSystem
from generator.model.evaluation import Evaluation
from generator.model.numbers import WeightError, exact, parse_weight, show
from generator.model.publishing import RankingSettings
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard
from generator.score.ranking import RankOrder, places, rank

STEP = Fraction(1, 5)
"""Default change of a dimension's weight: up and down by a fifth (20%)."""


class WeightChangeError(ValueError):
    """A weight change that cannot be applied."""


@dataclass(frozen=True)
class Member:
    """One evaluation scored with the system: what rescoring needs."""

    loaded: LoadedEvaluation
    """The evaluation."""
    card: Scorecard
    """Its published scorecard."""
    measured: Mapping[str, Measured]
    """Its dataset figures."""


@dataclass(frozen=True)
class Moved:
    """One evaluation whose grade or place changes under a scenario."""

    evaluation_id: str
    """Evaluation id."""
    party: str
    """Evaluated party."""
    total_before: float
    """Published total."""
    total_after: float
    """Total under the scenario."""
    grade_before: str
    """Published grade."""
    grade_after: str
    """Grade under the scenario."""
    rank_before: int | None
    """Place in its published ranking (``score.ranking.rank``: year, group, the system's order);
    None when it is listed without a place (not confirmed)."""
    rank_after: int | None
    """Place under the scenario, in the same ranking."""


@dataclass(frozen=True)
class Scenario:
    """A set of weight changes and what it does to the evaluations."""

    label: str
    """The changes in Chinese, e.g. A 服务能力 40 → 48."""
    n: int
    """Evaluations rescored."""
    grade_changes: int
    """Evaluations whose grade changes."""
    rank_changes: int
    """Evaluations whose place changes."""
    moved: tuple[Moved, ...]
    """Those evaluations, grade changes first."""


def reweighted(system: LoadedSystem, changes: Mapping[str, Fraction]) -> LoadedSystem:
    """The system with the named indicators' weights changed (siblings compensating)."""
    index = dict(system.index)
    factors: dict[str, Fraction] = {}
    by_parent: dict[str | None, list[str]] = {}
    for ind_id, node in index.items():
        by_parent.setdefault(node.parent, []).append(ind_id)
    for group in by_parent.values():
        named = [i for i in group if i in changes]
        if not named:
            continue
        total = sum((index[i].weight for i in group), Fraction(0))
        new_named = sum((changes[i] for i in named), Fraction(0))
        old_rest = total - sum((index[i].weight for i in named), Fraction(0))
        if any(changes[i] < 0 for i in named) or new_named > total:
            raise WeightChangeError(f"新的分值合计 {show(new_named)} 超出上级的 {show(total)}")
        if old_rest == 0 and new_named != total:
            raise WeightChangeError(f"{'、'.join(named)} 没有可分担差额的同级指标")
        for i in group:
            if i in changes:
                if index[i].weight == 0:
                    raise WeightChangeError(f"{i} 原分值为 0，不能按比例调整")
                factors[i] = changes[i] / index[i].weight
            elif old_rest:
                factors[i] = (total - new_named) / old_rest
    for ind_id in index:
        factor = _inherited(ind_id, index, factors)
        if factor != 1:
            index[ind_id] = replace(index[ind_id], weight=index[ind_id].weight * factor)
    return replace(system, index=index, duplicates=[])


def _inherited(ind_id: str, index: Mapping[str, IndicatorNode], factors: Mapping[str, Fraction]) -> Fraction:
    """The product of the factors on the way from the indicator up to its dimension."""
    factor = Fraction(1)
    current: str | None = ind_id
    while current is not None:
        factor *= factors.get(current, Fraction(1))
        current = index[current].parent
    return factor


def default_scenarios(system: LoadedSystem) -> list[dict[str, Fraction]]:
    """Each weighted dimension up and down by STEP (when there are at least two to compensate)."""
    dims = [d.id for d in system.dimensions if system.index[d.id].weight > 0]
    if len(dims) < 2:
        return []
    return [{d: system.index[d].weight * (1 + sign * STEP)} for d in dims for sign in (1, -1)]


def parse_changes(system: LoadedSystem, texts: Sequence[str]) -> dict[str, Fraction]:
    """``A=48`` or ``A1.2=1/3`` or ``B=30%`` (of the parent) into changes; raises WeightChangeError."""
    changes: dict[str, Fraction] = {}
    for text in texts:
        ind_id, sep, value = text.partition("=")
        node = system.index.get(ind_id.strip())
        if not sep or node is None:
            raise WeightChangeError(f"“{text}”应写成“指标编号=新分值”，且编号须在指标体系中")
        parent = system.index[node.parent].weight if node.parent else exact(system.system.scale)
        try:
            changes[node.indicator.id] = parse_weight(value.strip(), parent)[0]
        except WeightError as exc:
            raise WeightChangeError(exc.zh) from exc
    return changes


def label(system: LoadedSystem, changes: Mapping[str, Fraction]) -> str:
    """``A 服务能力 40 → 48``."""
    return "；".join(
        f"{i} {system.index[i].indicator.name} {show(system.index[i].weight)} → {show(w)}"
        for i, w in changes.items()
    )


def run(
    system: LoadedSystem,
    members: Sequence[Member],
    changes: Mapping[str, Fraction],
    settings: RankingSettings | None = None,
) -> Scenario:
    """Rescore every member under the changes and compare grades and places.

    ``settings``: the site's ranking settings (``publishing.yaml``), so that places are those of
    the published rankings (per year and group, unconfirmed results without one); None ranks all
    members together.
    """
    changed = reweighted(system, changes)
    order = RankOrder.of(system.system)
    after = [
        score_evaluation(m.loaded, changed, measured=m.measured, input_hash=m.card.input_hash)
        for m in members
    ]
    evaluations = {m.card.evaluation_id: m.loaded.evaluation for m in members}
    before_rank = _places([m.card for m in members], evaluations, order, settings)
    after_rank = _places(after, evaluations, order, settings)
    moved = []
    for m, card in zip(members, after, strict=True):
        key = m.card.evaluation_id
        if card.grade != m.card.grade or before_rank[key] != after_rank[key]:
            moved.append(
                Moved(
                    key,
                    m.loaded.evaluation.evaluated.name,
                    m.card.total,
                    card.total,
                    m.card.grade,
                    card.grade,
                    before_rank[key],
                    after_rank[key],
                )
            )
    moved.sort(
        key=lambda x: (
            x.grade_before == x.grade_after,
            x.rank_before is None,
            x.rank_before or 0,
            x.evaluation_id,
        )
    )
    grades = sum(x.grade_before != x.grade_after for x in moved)
    ranks = sum(x.rank_before != x.rank_after for x in moved)
    return Scenario(label(system, changes), len(members), grades, ranks, tuple(moved))


def _places(
    cards: Sequence[Scorecard],
    evaluations: Mapping[str, Evaluation],
    order: RankOrder,
    settings: RankingSettings | None,
) -> dict[str, int | None]:
    """Each card's place in its ranking (``score.ranking.rank``, the site's one ranking function);
    None for a result listed without a place. Without settings all cards are one ranking."""
    found: dict[str, int | None] = {c.evaluation_id: None for c in cards}
    if settings is None:
        found.update((card.evaluation_id, place) for card, place, _ in places(cards, order))
        return found
    for ranking in rank(cards, evaluations, settings, {c.system_id: order for c in cards}):
        found.update((e.evaluation_id, e.rank) for e in ranking.entries)
    return found
