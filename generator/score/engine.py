"""Score an evaluation: rule outcomes at the leaves, weights and N/A redistribution up the tree.

Rounding: each leaf's points are rounded to ``rounding.indicator`` decimals; an inner node's
points are the sum of its children's rounded points, rounded to the same decimals; dimensions
to ``rounding.dimension``; the total is the sum of the rounded dimensions plus the capped bonus,
rounded to ``rounding.total``. So every figure a reader sees adds up from the ones below it.
Not applicable: a node's effective weight is shared among its applicable children in proportion
to their nominal weights, so their relative weights stay as designed. Effective weights are kept
to ``rounding.indicator`` decimals (dimensions: the fewer of dimension and indicator decimals) by
the largest-remainder method, so children's effective weights add up to their parent's exactly and
a subtree scored in full never earns more than its weight. Bonus points are rounded like indicator
points before the system's cap is applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import __version__
from ..load import LoadedEvaluation, LoadedSystem
from ..model.evaluation import Evidence, ScoreEntry
from ..model.system import Indicator, IndicatorSystem
from .card import IndicatorScore, Measured, ModeScore, RaterScore, Scorecard
from .raters import combine, krippendorff_alpha, method_name
from .result import ModeScored, result_of
from .rounding import apportion, fmt, round_half_up
from .rules import Outcome, Problem, evaluate


@dataclass(frozen=True)
class Observed:
    """A score entry with where it came from."""

    entry: ScoreEntry
    """The entry."""
    file: str
    """Score file, relative to the repository root."""
    line: int
    """Line of the entry."""


def collect_entries(evaluation: LoadedEvaluation) -> dict[str | None, dict[str, Observed]]:
    """Score entries per mode (None without modes), first occurrence wins."""
    by_mode: dict[str | None, dict[str, Observed]] = {}
    for score_file in evaluation.score_files:
        entries = by_mode.setdefault(score_file.scores.mode, {})
        for ind_id, entry in score_file.scores.indicators.items():
            line = score_file.source.where(("indicators", ind_id), at_key=True)[0]
            entries.setdefault(ind_id, Observed(entry, score_file.source.rel, line))
    return by_mode


class _Scorer:
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

    def run(self) -> tuple[list[IndicatorScore], float, float, list[str]]:
        dims = self.system.dimensions
        rounding = self.spec.rounding
        shares = self._shares(dims, self.spec.scale, min(rounding.dimension, rounding.indicator))
        base = 0.0
        for dim, eff in zip(dims, shares, strict=True):
            base += self._node(dim, eff)
        bonus_raw = round_half_up(sum(i.bonus for i in self.out), rounding.indicator)
        bonus = min(bonus_raw, self.spec.bonus_cap)
        vetoes = [i.id for i in self.out if i.vetoed]
        return self.out, round_half_up(base, self.spec.rounding.dimension), bonus, vetoes

    def _applicable(self, ind: Indicator) -> bool:
        if ind.children:
            return any(self._applicable(c) for c in ind.children if c.weight > 0)
        found = self.entries.get(ind.id)
        return not (found and found.entry.not_applicable)

    def _shares(self, nodes: list[Indicator], eff_parent: float, digits: int) -> list[float]:
        """Effective weights of ``nodes``: ``eff_parent`` shared among the applicable ones by weight."""
        live = sum(n.weight for n in nodes if self._applicable(n) and n.weight > 0)
        if live == 0:
            return [0.0 for _ in nodes]
        scale = eff_parent / live
        return apportion(
            [n.weight * scale if self._applicable(n) else 0.0 for n in nodes], eff_parent, digits
        )

    def _node(self, ind: Indicator, eff: float) -> float:
        """Append the node (and its subtree) to out; return its rounded points."""
        node = self.system.index[ind.id]
        digits = self.spec.rounding.dimension if node.depth == 1 else self.spec.rounding.indicator
        if not ind.children:
            return self._leaf(ind, eff)
        position = len(self.out)
        self.out.append(None)  # type: ignore[arg-type]  # placeholder keeps depth-first order
        shares = self._shares(ind.children, eff, self.spec.rounding.indicator)
        total = sum(self._node(c, s) for c, s in zip(ind.children, shares, strict=True))
        applicable = self._applicable(ind)
        points = round_half_up(total, digits) if applicable else None
        fraction = (points / eff) if applicable and eff else (None if not applicable else 0.0)
        self.out[position] = IndicatorScore(
            id=ind.id,
            name=ind.name,
            depth=node.depth,
            parent=node.parent,
            dimension=node.dimension,
            is_leaf=False,
            rule_kind=None,
            weight=ind.weight,
            effective_weight=eff,
            status="scored" if applicable else "not_applicable",
            fraction=fraction,
            points=points,
            explanation="下级指标得分之和" if applicable else "全部下级指标不适用，权重已分配给同级指标",
            file=node.source.rel,
            line=node.source.where(node.path)[0],
        )
        return points or 0.0

    def _leaf(self, ind: Indicator, eff: float) -> float:
        node = self.system.index[ind.id]
        found = self.entries.get(ind.id)
        digits = self.spec.rounding.dimension if node.depth == 1 else self.spec.rounding.indicator
        common = dict(
            id=ind.id,
            name=ind.name,
            depth=node.depth,
            parent=node.parent,
            dimension=node.dimension,
            is_leaf=True,
            rule_kind=ind.rule.kind if ind.rule else None,
            weight=ind.weight,
            effective_weight=eff,
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
            return 0.0
        entry = found.entry
        located = dict(
            file=found.file,
            line=found.line,
            comment=entry.comment,
            evaluators=tuple(self.people.get(p, p) for p in entry.evaluators),
            evidence=tuple(_evidence(e) for e in entry.evidence),
        )
        if entry.not_applicable:
            self.out.append(
                IndicatorScore(
                    **common,
                    **located,
                    status="not_applicable",
                    fraction=None,
                    points=None,
                    reason=entry.not_applicable,
                    explanation=f"不适用：{entry.not_applicable.rstrip('。. ')}；权重按比例分配给同级指标",
                )
            )
            return 0.0
        outcome, raters, measured = self._outcome(ind, entry)
        points = round_half_up(eff * outcome.fraction, digits) if ind.weight > 0 else 0.0
        self.out.append(
            IndicatorScore(
                **common,
                **located,
                status="scored",
                fraction=outcome.fraction,
                points=points,
                observation=outcome.text,
                explanation=outcome.explanation,
                vetoed=outcome.vetoed,
                bonus=round_half_up(outcome.bonus, digits),
                raters=raters,
                measured=measured,
            )
        )
        return points

    def _outcome(
        self, ind: Indicator, entry: ScoreEntry
    ) -> tuple[Outcome, tuple[RaterScore, ...], Measured | None]:
        rule = ind.rule
        assert rule is not None
        measure = getattr(rule, "measure", None)
        measured = self.measured.get(measure) if measure else None
        if not entry.ratings:
            return evaluate(rule, ind.weight, entry.observation, measured), (), measured
        outcomes = [(r, evaluate(rule, ind.weight, r.observation, measured)) for r in entry.ratings]
        raters = tuple(
            RaterScore(r.rater, self.people.get(r.rater, r.rater), o.text, o.fraction) for r, o in outcomes
        )
        policy = self.spec.raters
        fraction = combine([o.fraction for _, o in outcomes], policy)
        self.units.append({r.rater: o.fraction for r, o in outcomes})
        spread = max(o.fraction for _, o in outcomes) - min(o.fraction for _, o in outcomes)
        if spread > policy.max_spread + 1e-9:
            names = "、".join(f"{rs.name}（{rs.observation}）" for rs in raters)
            self.warnings.append(
                f"指标 {ind.id}（{ind.name}）评分人分歧 {spread:.0%}，超过 {policy.max_spread:.0%}：{names}"
            )
        text = "；".join(f"{rs.name}：{rs.observation}" for rs in raters)
        how = f"{len(raters)} 位评分人，按{method_name(policy)}合成，得分率 {fraction:.1%}"
        bonus = combine([o.bonus for _, o in outcomes], policy)
        vetoed = fraction < 0.5 and any(o.vetoed for _, o in outcomes)
        return Outcome(fraction, text, how, bonus=bonus, vetoed=vetoed), raters, measured


def _evidence(e: Evidence) -> tuple[str, str]:
    file, url, note = e.file, e.url, e.note
    target = file or url or ""
    return (note or target, target)


def grade_for(system: IndicatorSystem, total: float) -> str:
    """The band a total falls in (bands are ``min`` ≤ total < ``max``)."""
    for band in system.grades:
        if total >= band.min and (band.max is None or total < band.max):
            return band.name
    return system.grades[-1].name if total < system.grades[-1].min else system.grades[0].name


def score_evaluation(
    evaluation: LoadedEvaluation,
    system: LoadedSystem,
    *,
    measured: Mapping[str, Measured] | None = None,
    input_hash: str = "",
) -> Scorecard:
    """Score one evaluation against its system. Pure: reads only the loaded models."""
    spec = system.system
    ev = evaluation.evaluation
    people = {p.id: p.name for p in (*ev.team, *ev.experts, *ev.party_staff)}
    by_mode = collect_entries(evaluation)
    rounding = spec.rounding
    mode_ids = [m.id for m in spec.modes] or [None]
    results = []
    for mode_id in mode_ids:
        scorer = _Scorer(system, by_mode.get(mode_id, {}), people, measured or {})
        indicators, base, bonus, vetoes = scorer.run()
        total = round_half_up(base + bonus, rounding.total)
        results.append((mode_id, indicators, base, bonus, vetoes, total, scorer))
    first = results[0]
    if spec.modes:
        final = round_half_up(
            sum(m.weight * r[5] for m, r in zip(spec.modes, results, strict=True)), rounding.total
        )
    else:
        final = first[5]
    vetoes = tuple(dict.fromkeys(v for r in results for v in r[4]))
    by_points = grade_for(spec, final)
    grade = spec.grades[-1].name if vetoes else by_points
    warnings = tuple(w for r in results for w in r[6].warnings)
    units = [u for r in results for u in r[6].units]
    result = result_of(
        [ModeScored(m, r[1], r[2], r[3]) for m, r in zip(spec.modes or [None], results, strict=True)],
        rounding,
    )
    return Scorecard(
        evaluation_id=ev.id,
        system_id=spec.id,
        system_edition=spec.edition,
        generator_version=__version__,
        input_hash=input_hash,
        scale=spec.scale,
        indicators=tuple(first[1]),
        base_total=first[2],
        bonus=first[3],
        total=final,
        grade=grade,
        grade_by_points=by_points,
        result=result,
        vetoes=vetoes,
        modes=tuple(
            ModeScore(m.id, m.name, m.weight, r[5], r[2], r[3])
            for m, r in zip(spec.modes, results, strict=False)
        ),
        mode_indicators=tuple((r[0], tuple(r[1])) for r in results) if spec.modes else (),
        notes=_notes(spec, results, vetoes, by_points),
        alpha=krippendorff_alpha(units),
        warnings=warnings,
    )


def _notes(spec: IndicatorSystem, results: list, vetoes: tuple[str, ...], by_points: str) -> tuple[str, ...]:
    notes: list[str] = []
    r = spec.rounding
    notes.append(
        f"取舍规则：末级及各级指标得分保留 {r.indicator} 位小数、维度得分保留 {r.dimension} 位小数、"
        f"总分保留 {r.total} 位小数，均四舍五入；上级得分为下级已取舍得分之和。"
    )
    mode_names = {m.id: m.name for m in spec.modes}
    for mode_id, indicators, _base, bonus, _v, _t, _s in results:
        prefix = f"{mode_names[mode_id]}：" if mode_id else ""
        na = [i for i in indicators if i.status == "not_applicable" and (i.is_leaf or i.depth == 1)]
        if na:
            names = "、".join(f"{i.id} {i.name}" for i in na)
            notes.append(f"{prefix}不适用指标：{names}。其分值按同级指标原有权重比例重新分配，不计入分母。")
        missing = [i for i in indicators if i.status == "missing"]
        if missing:
            notes.append(f"{prefix}未评分指标按 0 分计：" + "、".join(i.id for i in missing))
        raw = sum(i.bonus for i in indicators)
        if raw > spec.bonus_cap:
            notes.append(f"{prefix}加分合计 {raw:g} 分，超过上限 {spec.bonus_cap:g} 分，按 {bonus:g} 分计。")
        elif bonus:
            notes.append(f"{prefix}加分 {fmt(bonus, r.indicator)} 分（上限 {spec.bonus_cap:g} 分）。")
    if vetoes:
        notes.append(
            f"一票否决：{'、'.join(vetoes)} 触发否决情形，等级定为“{spec.grades[-1].name}”"
            f"（按分数应为“{by_points}”）。"
        )
    if spec.modes:
        notes.append("综合得分 = " + " + ".join(f"{m.name}×{m.weight:g}" for m in spec.modes) + "。")
    return tuple(notes)


__all__ = ["Problem", "collect_entries", "grade_for", "score_evaluation"]
