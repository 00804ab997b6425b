"""Checks of an indicator system: ids, weights, bands, rules, modes and measures."""

from __future__ import annotations

import math

from ..diagnostics import Diagnostic
from ..load import IndicatorNode, LoadedSystem
from ..model.system import (
    BinaryRule,
    BonusRule,
    DeductionRule,
    IndicatorSystem,
    LevelsRule,
    RatioRule,
    SatisfactionRule,
    VetoRule,
)
from ..schema_errors import suggestion

EPS = 1e-6


def validate_system(loaded: LoadedSystem) -> list[Diagnostic]:
    """All problems of one system."""
    found: list[Diagnostic] = []
    spec = loaded.system
    for dup in loaded.duplicates:
        first = loaded.index[dup.indicator.id]
        where = f"{first.source.rel}:{first.source.where(first.path)[0]}"
        found.append(dup.source.diag((*dup.path, "id"), "E301", id=dup.indicator.id, first=where))
    top = sum(d.weight for d in loaded.dimensions)
    if loaded.dimensions and not math.isclose(top, spec.scale, abs_tol=EPS):
        found.append(loaded.source.diag(("scale",), "E308", total=f"{top:g}", scale=f"{spec.scale:g}"))
    for node in [*loaded.index.values(), *loaded.duplicates]:
        found.extend(_check_node(node, spec))
    found.extend(_check_bands(loaded))
    if spec.modes:
        total = sum(m.weight for m in spec.modes)
        if not math.isclose(total, 1.0, abs_tol=EPS):
            found.append(loaded.source.diag(("modes",), "E306", total=f"{total:g}"))
    found.extend(_check_measures(loaded))
    found.extend(check_complete(loaded))
    return found


SYSTEM_FIELDS = {
    "purpose": "评价目的（purpose）",
    "object": "评价对象（object）",
    "scope": "评价范围（scope）",
    "use": "评价结果的用途（use）",
}
"""What a 正式 system states about itself (§8.3)."""
LEAF_FIELDS = {
    "data_source": "信息资源（data_source）",
    "method": "采集方法（method）",
    "evidence": "证据要求（evidence）",
}
"""What each leaf of a 正式 system states (§4.5, §8.3)."""


def check_complete(loaded: LoadedSystem) -> list[Diagnostic]:
    """E309: a system in force (status 正式) that is a sample, or lacks what §8.3 asks for."""
    spec, src = loaded.system, loaded.source
    if spec.status != "正式":
        return []
    found = []
    if spec.sample:
        found.append(
            src.diag(
                ("sample",),
                "E309",
                what="仍标为示例（sample: true）",
                what_en="is still marked as a sample",
                hint="示例体系不能作为正式体系使用：换用正式版本，或把 status 改为 草案。",
            )
        )
    for key, label in SYSTEM_FIELDS.items():
        if not (getattr(spec, key) or "").strip():
            found.append(
                src.diag(
                    ("status",),
                    "E309",
                    what=f"未写明{label}",
                    what_en=f"does not state its {key}",
                    hint=f"在 system.yaml 中写明 {key}（§8.3）。",
                )
            )
    for node in loaded.leaves():
        lacking = [key for key in LEAF_FIELDS if not (getattr(node.indicator, key) or "").strip()]
        if lacking:
            found.append(
                node.source.diag(
                    (*node.path, "id"),
                    "E309",
                    what=f"末级指标“{node.indicator.id}”未写明{'、'.join(LEAF_FIELDS[k] for k in lacking)}",
                    what_en=f"leaf '{node.indicator.id}' lacks {', '.join(lacking)}",
                    hint="为每个末级指标写明所需的信息资源、采集方法和应保留的证据（§8.3）。",
                )
            )
    return found


def _check_node(node: IndicatorNode, spec: IndicatorSystem) -> list[Diagnostic]:
    ind, src = node.indicator, node.source
    if ind.children:
        problems = []
        if ind.rule is not None:
            problems.append(
                src.diag(
                    (*node.path, "rule"),
                    "E305",
                    id=ind.id,
                    detail_zh="有下级指标，不应再有 rule",
                    detail_en="has children and must not have a rule",
                )
            )
        total = sum(c.weight for c in ind.children)
        if not math.isclose(total, ind.weight, abs_tol=EPS):
            problems.append(
                src.diag(
                    (*node.path, "weight"), "E302", id=ind.id, total=f"{total:g}", expected=f"{ind.weight:g}"
                )
            )
        return problems
    if ind.rule is None:
        return [
            src.diag(
                node.path,
                "E305",
                id=ind.id,
                detail_zh="是末级指标，缺少计分规则 rule",
                detail_en="is a leaf without a scoring rule",
            )
        ]
    return [
        src.diag((*node.path, "rule"), "E304", id=ind.id, detail_zh=zh, detail_en=en, hint=hint)
        for zh, en, hint in _rule_problems(node, spec)
    ]


def _rule_problems(node: IndicatorNode, spec: IndicatorSystem) -> list[tuple[str, str, str]]:
    ind, rule = node.indicator, node.indicator.rule
    w = ind.weight
    out: list[tuple[str, str, str]] = []
    if isinstance(rule, (VetoRule, BonusRule)) and w != 0:
        out.append(
            (
                f"{rule.kind} 指标的 weight 应为 0（实际 {w:g}）",
                f"{rule.kind} indicators must have weight 0",
                "否决项和加分项不占分值，把 weight 改为 0。",
            )
        )
    if not isinstance(rule, (VetoRule, BonusRule)) and w <= 0:
        out.append(("计分指标的 weight 应大于 0", "scored indicators need a weight above 0", "填写分值。"))
    if isinstance(rule, BinaryRule) and rule.pass_label == rule.fail_label:
        out.append(("达标与不达标的名称相同", "pass and fail labels are equal", "使用两个不同的名称。"))
    if isinstance(rule, LevelsRule):
        out.extend(_levels_problems(rule, w))
    if isinstance(rule, RatioRule):
        out.extend(_ratio_problems(rule))
    if isinstance(rule, DeductionRule):
        for item in rule.items:
            if item.cap < item.points:
                out.append(
                    (
                        f"扣分项 {item.id} 的上限 {item.cap:g} 小于单次扣分 {item.points:g}",
                        f"cap of {item.id} is below its points",
                        "上限应不小于单次扣分。",
                    )
                )
            if w > 0 and item.cap > w + EPS:
                out.append(
                    (
                        f"扣分项 {item.id} 的上限 {item.cap:g} 超过指标分值 {w:g}",
                        f"cap of {item.id} exceeds the weight",
                        "上限不应超过本指标分值。",
                    )
                )
        out.extend(_unique([i.id for i in rule.items], "扣分项编号"))
    if isinstance(rule, BonusRule):
        if spec.bonus_cap <= 0:
            out.append(
                (
                    "指标体系未设 bonus_cap，加分项无法加分",
                    "the system has no bonus_cap",
                    "在 system.yaml 中设置 bonus_cap。",
                )
            )
        out.extend(_unique([i.id for i in rule.items], "加分项编号"))
    if isinstance(rule, SatisfactionRule):
        if len(rule.levels) < 2:
            out.append(("满意度至少要有两个等级", "needs at least two levels", "列出五级满意度及分值。"))
        bad = [k for k, v in rule.levels.items() if not 0 <= v <= rule.scale]
        if bad:
            out.append(
                (
                    f"等级 {'、'.join(bad)} 的分值超出 0–{rule.scale:g}",
                    "level points outside 0..scale",
                    "分值应在 0 到 scale 之间。",
                )
            )
    return out


def _levels_problems(rule: LevelsRule, w: float) -> list[tuple[str, str, str]]:
    out = _unique([lv.name for lv in rule.levels], "等级名称")
    over = [lv.name for lv in rule.levels if lv.points > w + EPS]
    if over:
        out.append(
            (
                f"等级 {'、'.join(over)} 的分值超过指标分值 {w:g}",
                "level points exceed the weight",
                "每档分值不能超过本指标分值。",
            )
        )
    best = max(lv.points for lv in rule.levels)
    if w > 0 and not math.isclose(best, w, abs_tol=EPS):
        out.append(
            (
                f"最高档分值 {best:g} 不等于指标分值 {w:g}",
                "the best level is not worth the full weight",
                "最高一档应得满分。",
            )
        )
    return out


def _ratio_problems(rule: RatioRule) -> list[tuple[str, str, str]]:
    out = []
    if math.isclose(rule.floor, rule.target):
        out.append(("floor 与 target 相等，无法线性计分", "floor equals target", "target 应不同于 floor。"))
    bounds = {"ratio": (0, 1), "percent": (0, 100)}.get(rule.unit)
    if bounds and not all(bounds[0] <= v <= bounds[1] for v in (rule.floor, rule.target)):
        out.append(
            (
                f"floor/target 超出 {rule.unit} 的范围 {bounds[0]}–{bounds[1]}",
                "floor/target out of range",
                "比例用 0–1，百分比用 0–100。",
            )
        )
    return out


def _unique(names: list[str], what: str) -> list[tuple[str, str, str]]:
    dups = sorted({n for n in names if names.count(n) > 1})
    return [(f"{what}“{n}”重复", f"duplicate name '{n}'", "名称必须唯一。") for n in dups]


def _check_bands(loaded: LoadedSystem) -> list[Diagnostic]:
    bands = loaded.system.grades
    problems: list[tuple[int, str, str]] = []
    if bands[0].max is not None:
        problems.append(
            (0, f"最高档“{bands[0].name}”不应设 max", f"top band '{bands[0].name}' must have no max")
        )
    for i, band in enumerate(bands):
        if band.max is not None and band.max <= band.min:
            problems.append((i, f"“{band.name}”的 max 不大于 min", f"band '{band.name}' has max ≤ min"))
        if i + 1 < len(bands):
            lower = bands[i + 1]
            if lower.max is None:
                problems.append(
                    (
                        i + 1,
                        f"“{lower.name}”缺少上限 max（应为 {band.min:g}）",
                        f"band '{lower.name}' has no max (expected {band.min:g})",
                    )
                )
            elif not math.isclose(lower.max, band.min):
                zh, en = ("重叠", "overlap") if lower.max > band.min else ("缺口", "gap")
                problems.append(
                    (
                        i + 1,
                        f"“{band.name}”的下限 {band.min:g} 与“{lower.name}”的上限 {lower.max:g} 之间有{zh}",
                        f"{en} between '{band.name}' ({band.min:g}) and '{lower.name}' (max {lower.max:g})",
                    )
                )
    if bands[-1].min != 0:
        problems.append(
            (len(bands) - 1, f"最低档“{bands[-1].name}”应从 0 开始", "the lowest band must start at 0")
        )
    return [loaded.source.diag(("grades", i), "E303", detail_zh=zh, detail_en=en) for i, zh, en in problems]


def _check_measures(loaded: LoadedSystem) -> list[Diagnostic]:
    names = [m.name for m in loaded.system.measures]
    found = []
    for node in loaded.index.values():
        measure = getattr(node.indicator.rule, "measure", None)
        if measure and measure not in names:
            zh, en = suggestion(measure, names)
            found.append(
                node.source.diag(
                    (*node.path, "rule", "measure"),
                    "E307",
                    name=measure,
                    suggestion_zh=zh,
                    suggestion_en=en,
                    available="、".join(names) or "（无）",
                )
            )
    for i, m in enumerate(loaded.system.measures):
        need = "where" if m.kind == "share" else "column"
        if getattr(m, need) is None:
            found.append(loaded.source.diag(("measures", i), "E203", field=need))
    return found
