"""Score an evaluation: rule outcomes at the leaves, weights and N/A redistribution up the tree.

Every figure is an exact fraction (``model.numbers.exact``); the method's ``rounding.round_at``
names the steps it rounds, half-up, once each:

- ``indicator``: each leaf's points are rounded to ``rounding.indicator`` decimals; an inner node's
  points are the sum of its children's rounded points, rounded again; effective weights are kept to
  those decimals by the largest-remainder method (dimensions: the fewer of dimension and indicator
  decimals), so children's effective weights add up to their parent's exactly and a subtree scored
  in full never earns more than its weight. Bonus points are rounded like indicator points.
- ``dimension``: each dimension's points and the base total to ``rounding.dimension`` decimals.
- ``total``: the total (and each mode's total) to ``rounding.total`` decimals.

A step the method does not round stays exact: 65 of 86 equal binary indicators earn exactly 65/86,
so two evaluations meeting the same number of indicators tie.

Not applicable (``not_applicable`` of the system): ``within_parent`` shares a node's effective
weight among its applicable children in proportion to their nominal weights; ``all_applicable``
shares the scale among all applicable leaves in proportion, so the score is points earned ÷ points
applicable. The dimensions' points then go through the system's aggregation stages
(``aggregate.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypedDict

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import Evidence, ScoreEntry
from generator.model.numbers import exact
from generator.model.system import Indicator, IndicatorSystem
from generator.score.card import IndicatorScore, Measured, RaterScore, Status
from generator.score.raters import combine, method_name
from generator.score.rounding import apportion_exact, round_exact
from generator.score.rules import Outcome, Problem, evaluate

ZERO = Fraction(0)


class _Placed(TypedDict):
    """Where an indicator sits in the system and what it weighs: the fields every score of it shares."""

    id: str
    name: str
    depth: int
    parent: str | None
    dimension: str
    is_leaf: bool
    rule_kind: str | None
    weight: float
    effective_weight: float


class _At(TypedDict):
    """The file and line a score is read from."""

    file: str
    line: int


class _Located(_At):
    """An observation's place and the evaluator's own words and evidence."""

    comment: str | None
    evaluators: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Observed:
    """A score entry with where it came from."""

    entry: ScoreEntry
    """The entry."""
    file: str
    """Score file, relative to the repository root."""
    line: int
    """Line of the entry."""


@dataclass(frozen=True)
class ModeResult:
    """One mode's indicators and the exact figures the aggregation stages start from."""

    indicators: list[IndicatorScore]
    """Every indicator, depth-first."""
    base: Fraction
    """Sum of the dimensions' points (rounded when the method rounds dimensions)."""
    bonus: Fraction
    """Bonus points of all bonus indicators, before any cap or condition."""
    vetoes: list[str]
    """Veto indicators whose condition was found."""
    warnings: list[str]
    """Rater disagreements."""
    units: list[dict[str, float]]
    """Raters' fractions per multi-rater indicator, for Krippendorff's α."""


def collect_entries(evaluation: LoadedEvaluation) -> dict[str | None, dict[str, Observed]]:
    """Score entries per mode (None without modes), first occurrence wins."""
    by_mode: dict[str | None, dict[str, Observed]] = {}
    for score_file in evaluation.score_files:
        entries = by_mode.setdefault(score_file.scores.mode, {})
        for ind_id, entry in score_file.scores.indicators.items():
            line = score_file.source.where(("indicators", ind_id), at_key=True)[0]
            entries.setdefault(ind_id, Observed(entry, score_file.source.rel, line))
    return by_mode


class Scorer:
    """Scores one mode's entries against a system."""

    def __init__(
        self,
        system: LoadedSystem,
        entries: Mapping[str, Observed],
        people: Mapping[str, str],
        measured: Mapping[str, Measured],
    ) -> None:
        self.system = system
        self.spec: IndicatorSystem = system.system
        self.entries = entries
        self.people = people
        self.measured = measured
        self.out: list[IndicatorScore] = []
        self.warnings: list[str] = []
        self.units: list[dict[str, float]] = []
        self.bonuses: list[Fraction] = []
        rounding = self.spec.rounding
        self.round_indicator = rounding.rounds("indicator")
        self.round_dimension = rounding.rounds("dimension")
        self.global_shares: dict[str, Fraction] | None = None
        self.live: dict[str, bool] = {}

    def weight(self, ind: Indicator) -> Fraction:
        """The indicator's exact nominal weight."""
        return self.system.index[ind.id].weight

    def run(self) -> ModeResult:
        dims = self.system.dimensions
        rounding = self.spec.rounding
        scale = exact(self.spec.scale)
        if self.spec.not_applicable == "all_applicable":
            self.global_shares = self._all_applicable(dims, scale)
        shares = self._shares(dims, scale, min(rounding.dimension, rounding.indicator))
        base = sum((self._node(dim, eff) for dim, eff in zip(dims, shares, strict=True)), ZERO)
        if self.round_dimension:
            base = round_exact(base, rounding.dimension)
        bonus = sum(self.bonuses, ZERO)
        if self.round_indicator:
            bonus = round_exact(bonus, rounding.indicator)
        vetoes = [i.id for i in self.out if i.vetoed]
        return ModeResult(self.out, base, bonus, vetoes, self.warnings, self.units)

    def _applicable(self, ind: Indicator) -> bool:
        """Whether the indicator counts: a leaf not marked not applicable, a parent with a weighted
        child that counts (remembered: asked at every level)."""
        known = self.live.get(ind.id)
        if known is None:
            if ind.children:
                known = any(self._applicable(c) for c in ind.children if self.weight(c) > 0)
            else:
                found = self.entries.get(ind.id)
                known = not (found and found.entry.not_applicable)
            self.live[ind.id] = known
        return known

    def _shares(self, nodes: list[Indicator], eff_parent: Fraction, digits: int) -> list[Fraction]:
        """Effective weights of ``nodes``: ``eff_parent`` shared among the applicable ones by weight."""
        if self.global_shares is not None:
            return [self.global_shares[n.id] for n in nodes]
        live = sum((self.weight(n) for n in nodes if self._applicable(n) and self.weight(n) > 0), ZERO)
        if live == 0:
            return [ZERO for _ in nodes]
        values = [self.weight(n) * eff_parent / live if self._applicable(n) else ZERO for n in nodes]
        return apportion_exact(values, eff_parent, digits) if self.round_indicator else values

    def _all_applicable(self, dims: list[Indicator], scale: Fraction) -> dict[str, Fraction]:
        """Effective weights when the scale is shared among all applicable leaves of the system."""
        leaves = [n for n in self.system.index.values() if n.is_leaf]
        live = [n.weight > 0 and self._applicable(n.indicator) for n in leaves]
        total = sum((n.weight for n, counts in zip(leaves, live, strict=True) if counts), ZERO)
        values = [
            n.weight * scale / total if counts and total else ZERO
            for n, counts in zip(leaves, live, strict=True)
        ]
        if self.round_indicator and total:
            values = apportion_exact(values, scale, self.spec.rounding.indicator)
        shares = {n.indicator.id: v for n, v in zip(leaves, values, strict=True)}

        def add_up(ind: Indicator) -> Fraction:
            if ind.children:
                shares[ind.id] = sum((add_up(c) for c in ind.children), ZERO)
            return shares[ind.id]

        for dim in dims:
            add_up(dim)
        return shares

    def _digits(self, depth: int) -> int | None:
        """Decimals the method rounds a node's points to at this depth, None when it does not round."""
        rounding = self.spec.rounding
        if depth == 1:
            return rounding.dimension if self.round_dimension else None
        return rounding.indicator if self.round_indicator else None

    def _round(self, value: Fraction, depth: int) -> Fraction:
        digits = self._digits(depth)
        return value if digits is None else round_exact(value, digits)

    def _node(self, ind: Indicator, eff: Fraction) -> Fraction:
        """Append the node (and its subtree) to out; return its points."""
        node = self.system.index[ind.id]
        if not ind.children:
            return self._leaf(ind, eff)
        position = len(self.out)
        self.out.append(None)  # type: ignore[arg-type]  # placeholder keeps depth-first order
        shares = self._shares(ind.children, eff, self.spec.rounding.indicator)
        total = sum((self._node(c, s) for c, s in zip(ind.children, shares, strict=True)), ZERO)
        common = _Placed(
            id=ind.id,
            name=ind.name,
            depth=node.depth,
            parent=node.parent,
            dimension=node.dimension,
            is_leaf=False,
            rule_kind=None,
            weight=float(node.weight),
            effective_weight=float(eff),
        )
        at = _At(file=node.source.rel, line=node.source.where(node.path)[0])
        if node.weight == 0:
            self.out[position] = self._group(common, at, self.out[position + 1 :])
            return ZERO
        applicable = self._applicable(ind)
        points = self._round(total, node.depth) if applicable else None
        self.out[position] = IndicatorScore(
            **common,
            **at,
            status="scored" if applicable else "not_applicable",
            fraction=float(points / eff) if points is not None and eff else (0.0 if applicable else None),
            points=float(points) if points is not None else None,
            explanation="下级指标得分之和" if applicable else "全部下级指标不适用，权重已分配给其他指标",
        )
        return points or ZERO

    def _group(self, common: _Placed, at: _At, below: list[IndicatorScore]) -> IndicatorScore:
        """A group of veto and bonus indicators (weight 0): shown as assessed, with what it found."""
        leaves = [i for i in below if i.is_leaf]
        scored = [i for i in leaves if i.status == "scored"]
        status: Status = (
            "scored"
            if scored
            else (
                "not_applicable"
                if leaves and all(i.status == "not_applicable" for i in leaves)
                else "missing"
            )
        )
        parts = []
        vetoes = [i for i in scored if i.rule_kind == "veto"]
        if vetoes:
            found = [f"{i.id} {i.name}" for i in vetoes if i.vetoed]
            parts.append(
                "否决情形：" + "、".join(found) if found else f"否决项 {len(vetoes)} 项均未发现否决情形"
            )
        bonuses = [i for i in scored if i.rule_kind == "bonus"]
        if bonuses:
            earned = sum((exact(i.bonus) for i in bonuses), ZERO)
            parts.append(f"加分项合计 {float(earned):g} 分（计入总分时按加分规则封顶）")
        missing = [i.id for i in leaves if i.status == "missing"]
        if missing:
            parts.append("未评：" + "、".join(missing))
        return IndicatorScore(
            **common,
            **at,
            status=status,
            fraction=None,
            points=0.0 if scored else None,
            explanation="；".join(parts) or "不占分值",
        )

    def _leaf(self, ind: Indicator, eff: Fraction) -> Fraction:
        node = self.system.index[ind.id]
        found = self.entries.get(ind.id)
        common = _Placed(
            id=ind.id,
            name=ind.name,
            depth=node.depth,
            parent=node.parent,
            dimension=node.dimension,
            is_leaf=True,
            rule_kind=ind.rule.kind if ind.rule else None,
            weight=float(node.weight),
            effective_weight=float(eff),
        )
        if found is None:
            self.out.append(
                IndicatorScore(
                    **common,
                    status="missing",
                    fraction=0.0,
                    points=0.0,
                    explanation="未评分，按 0 分计",
                    file=node.source.rel,
                )
            )
            return ZERO
        entry = found.entry
        located = _Located(
            file=found.file,
            line=found.line,
            comment=entry.comment,
            evaluators=tuple(self.people.get(p, p) for p in entry.evaluators),
            evidence=tuple(_evidence(e) for e in entry.evidence),
        )
        if entry.not_applicable:
            where = "其他适用指标" if self.global_shares is not None else "同级指标"
            self.out.append(
                IndicatorScore(
                    **common,
                    **located,
                    status="not_applicable",
                    fraction=None,
                    points=None,
                    reason=entry.not_applicable,
                    explanation=f"不适用：{entry.not_applicable.rstrip('。. ')}；权重按比例分配给{where}",
                )
            )
            return ZERO
        outcome, raters, measured = self._outcome(ind, node.weight, entry)
        points = self._round(eff * outcome.fraction, node.depth) if node.weight > 0 else ZERO
        bonus = self._round(outcome.bonus, node.depth)
        self.bonuses.append(bonus)
        self.out.append(
            IndicatorScore(
                **common,
                **located,
                status="scored",
                fraction=float(outcome.fraction),
                points=float(points),
                observation=outcome.text,
                explanation=outcome.explanation,
                vetoed=outcome.vetoed,
                bonus=float(bonus),
                raters=raters,
                measured=measured,
            )
        )
        return points

    def _outcome(
        self, ind: Indicator, weight: Fraction, entry: ScoreEntry
    ) -> tuple[Outcome, tuple[RaterScore, ...], Measured | None]:
        rule = ind.rule
        assert rule is not None
        measure = getattr(rule, "measure", None)
        measured = self.measured.get(measure) if measure else None
        if not entry.ratings:
            return evaluate(rule, weight, entry.observation, measured), (), measured
        outcomes = [(r, evaluate(rule, weight, r.observation, measured)) for r in entry.ratings]
        raters = tuple(
            RaterScore(r.rater, self.people.get(r.rater, r.rater), o.text, float(o.fraction))
            for r, o in outcomes
        )
        policy = self.spec.raters
        fraction = combine([o.fraction for _, o in outcomes], policy)
        self.units.append({r.rater: float(o.fraction) for r, o in outcomes})
        spread = max(o.fraction for _, o in outcomes) - min(o.fraction for _, o in outcomes)
        if spread > exact(policy.max_spread):
            names = "、".join(f"{rs.name}（{rs.observation}）" for rs in raters)
            apart = f"{float(spread):.0%}，超过 {policy.max_spread:.0%}"
            self.warnings.append(f"指标 {ind.id}（{ind.name}）评分人分歧 {apart}：{names}")
        text = "；".join(f"{rs.name}：{rs.observation}" for rs in raters)
        rate = float(round_exact(fraction * 100, 1))
        how = f"{len(raters)} 位评分人，按{method_name(policy)}合成，得分率 {rate:.1f}%"
        bonus = combine([o.bonus for _, o in outcomes], policy)
        vetoed = fraction < Fraction(1, 2) and any(o.vetoed for _, o in outcomes)
        return Outcome(fraction, text, how, bonus=bonus, vetoed=vetoed), raters, measured


def _evidence(e: Evidence) -> tuple[str, str]:
    file, url, note = e.file, e.url, e.note
    target = file or url or ""
    return (note or target, target)


__all__ = ["ModeResult", "Observed", "Problem", "Scorer", "collect_entries"]
