"""A system's method in Chinese sentences, for the system page, reports and ``zwpj score``.

The same wording wherever the method is shown: how bands are bounded, what each aggregation stage
does, where not-applicable weight goes, which steps are rounded.
"""

from __future__ import annotations

from generator.model.numbers import describe_condition, exact, show
from generator.model.system import (
    BonusStage,
    CapStage,
    GradeBand,
    GradeStage,
    IndicatorSystem,
    RoundStep,
    VetoStage,
)


def describe_band(band: GradeBand) -> str:
    """``80 ≤ 总分 ≤ 90``, ``总分 > 90``, ``总分 < 80``: the band's range with each bound as written."""
    low = (
        ""
        if band.min == 0 and band.min_inclusive
        else f"{show(exact(band.min))} {'≤' if band.min_inclusive else '<'} "
    )
    if band.max is None:
        return f"总分 {'≥' if band.min_inclusive else '>'} {show(exact(band.min))}" if low else "任意总分"
    high = f" {'≤' if band.max_inclusive else '<'} {show(exact(band.max))}"
    return f"{low}总分{high}"


def describe_stages(spec: IndicatorSystem) -> list[str]:
    """Each aggregation stage in order, as a sentence."""
    out = []
    for stage in spec.stages():
        if isinstance(stage, BonusStage):
            cap = stage.cap if stage.cap is not None else spec.bonus_cap
            when = f"，仅当{describe_condition(stage.when)}时计入" if stage.when else ""
            out.append(f"加分：加分项得分之和，至多 {show(exact(cap))} 分{when}")
        elif isinstance(stage, CapStage):
            out.append(f"封顶：得分超过 {show(exact(stage.max))} 分的按 {show(exact(stage.max))} 分计")
        elif isinstance(stage, VetoStage):
            grade = stage.grade or (spec.grades[-1].name if spec.grades else "")
            what = f"等级定为“{grade}”" if grade else "结果记为否决"
            total = f"，总分记为 {show(exact(stage.total))} 分" if stage.total is not None else ""
            out.append(f"一票否决：任一否决项存在否决情形的，{what}{total}")
        elif isinstance(stage, GradeStage):
            out.append("定等级：按总分所在的等级区间")
        else:
            out.append("基础得分：各维度得分之和")
    return out


def describe_not_applicable(spec: IndicatorSystem) -> str:
    """Where the weight of a not-applicable indicator goes."""
    if spec.not_applicable == "all_applicable":
        return "分值按全部适用指标的原有权重比例重新分配（得分 = 所得分值 ÷ 适用指标分值之和 × 满分）"
    return "分值按同一上级下其余适用指标的原有权重比例重新分配"


def describe_rounding(spec: IndicatorSystem) -> str:
    """Which steps the method rounds, and to how many places."""
    r = spec.rounding
    steps: dict[RoundStep, tuple[str, int]] = {
        "indicator": ("末级及各级指标得分", r.indicator),
        "dimension": ("维度得分", r.dimension),
        "total": ("总分", r.total),
    }
    rounded = [f"{name}保留 {places} 位小数" for key, (name, places) in steps.items() if r.rounds(key)]
    exact_steps = [name for key, (name, _) in steps.items() if not r.rounds(key)]
    parts = []
    if rounded:
        parts.append("、".join(rounded) + "，均四舍五入")
    if exact_steps:
        shown = "、".join(f"{name} {places} 位" for key, (name, places) in steps.items() if not r.rounds(key))
        parts.append(
            "、".join(exact_steps) + f"按方法不取舍，以精确值（分数）计算和判定等级（显示：{shown}小数）"
        )
    if r.rounds("indicator"):
        parts.append("上级得分为下级已取舍得分之和")
    return "；".join(parts) + "。"
