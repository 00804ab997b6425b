"""From the dimensions to the total and grade: the system's aggregation stages, modes, bands.

Each mode's running total starts at its base (the dimensions' points) and goes through the numeric
stages in order: ``bonus`` adds the bonus indicators' points, capped, when its condition holds
(``base > 80``); ``cap`` limits the running total. The mode's total is then rounded when the method
rounds totals. Modes are combined by weight. ``veto`` fixes the grade (and optionally the total) of
an evaluation where any mode found a veto condition; ``grade`` reads the band the total falls in,
each band's bounds inclusive or exclusive as the system says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from generator import __version__
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.numbers import FIGURE_NAMES, describe_condition, exact, holds, parse_condition, show
from generator.model.system import BonusStage, CapStage, GradeBand, IndicatorSystem, Mode, VetoStage
from generator.score.card import Measured, ModeScore, Scorecard
from generator.score.describe import describe_rounding
from generator.score.engine import ModeResult, Scorer, collect_entries
from generator.score.raters import krippendorff_alpha
from generator.score.result import ModeScored, result_of
from generator.score.rounding import round_exact

ZERO = Fraction(0)


@dataclass(frozen=True)
class ModeTotal:
    """One mode after the numeric stages."""

    id: str | None
    """Mode id; None without modes."""
    result: ModeResult
    """Its indicators and base."""
    bonus: Fraction
    """Bonus points added (0 when a condition withheld them)."""
    total: Fraction
    """Its total, rounded when the method rounds totals."""
    notes: tuple[str, ...]
    """What the stages did, for the reader."""


def in_band(band: GradeBand, total: Fraction) -> bool:
    """Whether ``total`` lies in the band, each bound inclusive or exclusive as written."""
    low = exact(band.min)
    if total < low or (total == low and not band.min_inclusive):
        return False
    if band.max is None:
        return True
    high = exact(band.max)
    return total < high or (total == high and band.max_inclusive)


def grade_for(system: IndicatorSystem, total: float | Fraction) -> str:
    """The band a total falls in ("" when the system has no bands); below all bands the lowest,
    above all the top one."""
    bands = system.grades
    if not bands:
        return ""
    value = exact(total)
    for band in bands:
        if in_band(band, value):
            return band.name
    return bands[-1].name if value < exact(bands[-1].min) else bands[0].name


def _stages_of_mode(
    spec: IndicatorSystem, result: ModeResult, prefix: str
) -> tuple[Fraction, Fraction, list[str]]:
    """The running total after the numeric stages, the bonus added and notes."""
    running, added, notes = result.base, ZERO, []
    for stage in spec.stages():
        if isinstance(stage, BonusStage):
            cap = exact(stage.cap if stage.cap is not None else spec.bonus_cap)
            earned = min(result.bonus, cap)
            if result.bonus > cap:
                said, capped = show(result.bonus), show(cap)
                notes.append(f"{prefix}加分合计 {said} 分，超过上限 {capped} 分，按 {capped} 分计。")
            if stage.when is not None:
                figure, op, limit = parse_condition(stage.when)
                value = result.base if figure == "base" else running
                if not holds(op, value, limit):
                    if earned:
                        said = describe_condition(stage.when)
                        notes.append(
                            f"{prefix}加分 {show(earned)} 分未计入：加分以“{said}”为前提，"
                            f"{FIGURE_NAMES[figure]}为 {show(value)}。"
                        )
                    continue
            if earned and result.bonus <= cap:
                notes.append(f"{prefix}加分 {show(earned)} 分（上限 {show(cap)} 分）。")
            running += earned
            added += earned
        elif isinstance(stage, CapStage):
            limit = exact(stage.max)
            if running > limit:
                notes.append(f"{prefix}得分 {show(running)} 超过上限 {show(limit)}，按 {show(limit)} 计。")
                running = limit
    return running, added, notes


def _prefix(spec: IndicatorSystem, mode_id: str | None) -> str:
    """What a note about one mode starts with: the mode's name."""
    return f"{next(m.name for m in spec.modes if m.id == mode_id)}：" if mode_id else ""


def _mode_total(spec: IndicatorSystem, mode_id: str | None, result: ModeResult) -> ModeTotal:
    prefix = _prefix(spec, mode_id)
    running, added, notes = _stages_of_mode(spec, result, prefix)
    if spec.rounding.rounds("total"):
        running = round_exact(running, spec.rounding.total)
    return ModeTotal(mode_id, result, added, running, tuple(notes))


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
    each_mode: list[Mode | None] = [*spec.modes] or [None]
    mode_ids = [m.id if m else None for m in each_mode]
    modes = [
        _mode_total(spec, mode_id, Scorer(system, by_mode.get(mode_id, {}), people, measured or {}).run())
        for mode_id in mode_ids
    ]
    if spec.modes:
        final = sum((exact(m.weight) * t.total for m, t in zip(spec.modes, modes, strict=True)), ZERO)
        if spec.rounding.rounds("total"):
            final = round_exact(final, spec.rounding.total)
    else:
        final = modes[0].total
    vetoes = tuple(dict.fromkeys(v for t in modes for v in t.result.vetoes))
    by_points = grade_for(spec, final)
    grade, total = by_points, final
    veto = next((s for s in spec.stages() if isinstance(s, VetoStage)), None)
    if vetoes and veto is not None:
        grade = veto.grade or (spec.grades[-1].name if spec.grades else "")
        total = exact(veto.total) if veto.total is not None else final
    first = modes[0]
    return Scorecard(
        evaluation_id=ev.id,
        system_id=spec.id,
        system_edition=spec.edition,
        generator_version=__version__,
        input_hash=input_hash,
        scale=spec.scale,
        indicators=tuple(first.result.indicators),
        base_total=float(first.result.base),
        bonus=float(first.bonus),
        total=float(total),
        grade=grade,
        grade_by_points=by_points,
        vetoes=vetoes,
        result=result_of(
            [
                ModeScored(m, t.result.indicators, float(t.result.base), float(t.bonus))
                for m, t in zip(each_mode, modes, strict=True)
            ],
            spec.rounding,
        ),
        modes=tuple(
            ModeScore(m.id, m.name, m.weight, float(t.total), float(t.result.base), float(t.bonus))
            for m, t in zip(spec.modes, modes, strict=False)
        ),
        mode_indicators=tuple(
            (m.id, tuple(t.result.indicators)) for m, t in zip(spec.modes, modes, strict=False)
        ),
        notes=_notes(spec, modes, vetoes, veto, final, by_points, grade),
        alpha=krippendorff_alpha([u for t in modes for u in t.result.units]),
        warnings=tuple(w for t in modes for w in t.result.warnings),
    )


def _notes(
    spec: IndicatorSystem,
    modes: list[ModeTotal],
    vetoes: tuple[str, ...],
    veto: VetoStage | None,
    final: Fraction,
    by_points: str,
    grade: str,
) -> tuple[str, ...]:
    notes = ["取舍规则：" + describe_rounding(spec)]
    for t in modes:
        prefix = _prefix(spec, t.id)
        indicators = t.result.indicators
        na = [
            i for i in indicators if i.status == "not_applicable" and (i.is_leaf or i.depth == 1) and i.weight
        ]
        if na:
            names = "、".join(f"{i.id} {i.name}" for i in na)
            where = (
                "按全部适用指标原有权重比例重新分配（得分 = 所得分值 ÷ 适用分值 × 满分）"
                if spec.not_applicable == "all_applicable"
                else "按同级指标原有权重比例重新分配"
            )
            notes.append(f"{prefix}不适用指标：{names}。其分值{where}，不计入分母。")
        missing = [i for i in indicators if i.status == "missing" and i.is_leaf]
        if missing:
            notes.append(f"{prefix}未评分指标按 0 分计：" + "、".join(i.id for i in missing))
        notes.extend(t.notes)
    if vetoes and veto is not None:
        fixed = f"，总分按 {show(exact(veto.total))} 分计" if veto.total is not None else ""
        what = f"等级定为“{grade}”（按分数应为“{by_points}”）" if grade else "结果为否决"
        notes.append(f"一票否决：{'、'.join(vetoes)} 触发否决情形，{what}{fixed}。")
    if spec.modes:
        notes.append("综合得分 = " + " + ".join(f"{m.name}×{m.weight:g}" for m in spec.modes) + "。")
    if not spec.rounding.rounds("total") and spec.grades:
        shown = round_exact(final, spec.rounding.total)
        if grade_for(spec, shown) != by_points:
            notes.append(
                f"总分精确值为 {show(final)}，显示为 {float(shown):.{spec.rounding.total}f}；"
                f"等级按精确值判定为“{by_points}”。"
            )
    return tuple(notes)


__all__ = ["grade_for", "in_band", "score_evaluation"]
