"""Checks of an indicator system: ids, weights, bands, rules, stages, ranking, modes and measures.

Weights are compared exactly (``IndicatorNode.weight``): children of 1/3 + 1/3 + 1/3 add up to 1,
and 0.1 + 0.2 to 0.3.
"""

from __future__ import annotations

from fractions import Fraction

from generator.diagnostics import Diagnostic, Worded
from generator.load.repository import IndicatorNode, LoadedSystem
from generator.load.schema_errors import suggestion
from generator.model.numbers import exact, show
from generator.model.system import (
    BinaryRule,
    BonusRule,
    BonusStage,
    DeductionRule,
    GradeBand,
    IndicatorSystem,
    LevelsRule,
    RatioRule,
    SatisfactionRule,
    VetoRule,
)
from generator.score.conditions import ConditionProblem, compile_condition
from generator.validate.knockon import system_knock_on
from generator.validate.stages import check_ranking, check_stages

EPS = 1e-6


def validate_system(loaded: LoadedSystem) -> list[Diagnostic]:
    """All problems of one system, less those a schema error already explains (``knockon``)."""
    return [d for d in _problems(loaded) if not system_knock_on(d, loaded)]


def _problems(loaded: LoadedSystem) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    spec = loaded.system
    for dup in loaded.duplicates:
        first = loaded.index[dup.indicator.id]
        where = f"{first.source.rel}:{first.source.where(first.path)[0]}"
        found.append(dup.source.diag((*dup.path, "id"), "E301", id=dup.indicator.id, first=where))
    top = sum((loaded.index[d.id].weight for d in loaded.dimensions if d.id in loaded.index), Fraction(0))
    unknown = loaded.unknown_weights
    if loaded.dimensions and loaded.complete and not unknown and top != exact(spec.scale):
        found.append(loaded.source.diag(("scale",), "E308", total=show(top), scale=show(exact(spec.scale))))
    weights = {id(n.indicator): n.weight for n in [*loaded.index.values(), *loaded.duplicates]}
    for node in [*loaded.index.values(), *loaded.duplicates]:
        found.extend(_check_node(node, spec, weights, unknown))
    found.extend(_check_bands(loaded))
    found.extend(check_stages(loaded))
    found.extend(check_ranking(loaded))
    if spec.modes:
        total = sum((exact(m.weight) for m in spec.modes), Fraction(0))
        if total != 1:
            found.append(loaded.source.diag(("modes",), "E306", total=show(total)))
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
        found.append(src.diag(("sample",), "E309", detail="still_marked_as_sample"))
    for key, label in SYSTEM_FIELDS.items():
        if not (getattr(spec, key) or "").strip():
            found.append(src.diag(("status",), "E309", detail="does_not_state", label=label, key=key))
    for node in loaded.leaves():
        lacking = [key for key in LEAF_FIELDS if not (getattr(node.indicator, key) or "").strip()]
        if lacking:
            found.append(
                node.source.diag(
                    (*node.path, "id"),
                    "E309",
                    detail="leaf_lacks",
                    id=node.indicator.id,
                    value="、".join(LEAF_FIELDS[k] for k in lacking),
                    value2=", ".join(lacking),
                )
            )
    return found


def _check_node(
    node: IndicatorNode, spec: IndicatorSystem, weights: dict[int, Fraction], unknown: set[str]
) -> list[Diagnostic]:
    """Rule and weight problems of one indicator (``weights``: exact weight by indicator object;
    ``unknown``: ids whose weight could not be worked out, left out of the checks on weights)."""
    ind, src = node.indicator, node.source
    if ind.children:
        problems = []
        if ind.rule is not None:
            problems.append(
                src.diag((*node.path, "rule"), "E305", id=ind.id, detail="has_children_and_must_not")
            )
        total = sum((weights[id(c)] for c in ind.children), Fraction(0))
        sure = ind.id not in unknown and not any(c.id in unknown for c in ind.children)
        if sure and total != node.weight:
            problems.append(
                src.diag(
                    (*node.path, "weight"), "E302", id=ind.id, total=show(total), expected=show(node.weight)
                )
            )
        return problems
    if ind.split is not None:
        return [src.diag((*node.path, "split"), "E310", id=ind.id, detail="leaf_has_no_children_split")]
    if ind.rule is None:
        return [src.diag(node.path, "E305", id=ind.id, detail="leaf_without_scoring_rule")]
    return [
        src.diag((*node.path, "rule"), "E304", id=ind.id, detail_zh=w.zh, detail_en=w.en, hint=w.hint)
        for w in _rule_problems(node, spec, ind.id not in unknown)
    ]


def _rule_problems(node: IndicatorNode, spec: IndicatorSystem, known: bool) -> list[Worded]:
    """Problems of a leaf's rule; those that compare it with the weight only when the weight is ``known``."""
    rule = node.indicator.rule
    w = node.weight
    out: list[Worded] = []
    if not known:  # the weight's own error (E310) is reported; nothing is compared with it
        return []
    if isinstance(rule, (VetoRule, BonusRule)) and w != 0:
        out.append(Worded("rule_weight_not_zero", kind=rule.kind, weight=show(w)))
    if not isinstance(rule, (VetoRule, BonusRule)) and w <= 0:
        out.append(Worded("rule_weight_not_positive"))
    if isinstance(rule, BinaryRule) and rule.pass_label == rule.fail_label:
        out.append(Worded("rule_labels_equal"))
    if isinstance(rule, LevelsRule):
        out.extend(_levels_problems(rule, w))
    if isinstance(rule, RatioRule):
        out.extend(_ratio_problems(rule))
    if isinstance(rule, DeductionRule):
        for item in rule.items:
            if item.cap < item.points:
                out.append(
                    Worded("rule_item_cap_below_points", item=item.id, cap=item.cap, points=item.points)
                )
            if w > 0 and exact(item.cap) > w:
                out.append(Worded("rule_item_cap_over_weight", item=item.id, cap=item.cap, weight=show(w)))
        out.extend(_unique([i.id for i in rule.items], "rule_deduction_id_repeated"))
    if isinstance(rule, BonusRule):
        if not _bonus_capped(spec):
            out.append(Worded("rule_bonus_uncapped"))
        out.extend(_unique([i.id for i in rule.items], "rule_bonus_id_repeated"))
    if isinstance(rule, SatisfactionRule):
        if len(rule.levels) < 2:
            out.append(Worded("rule_satisfaction_levels_few"))
        bad = [k for k, v in rule.levels.items() if not 0 <= v <= rule.scale]
        if bad:
            out.append(Worded("rule_satisfaction_points_outside", levels="、".join(bad), scale=rule.scale))
    return out


def _bonus_capped(spec: IndicatorSystem) -> bool:
    """Whether the bonus stage has a cap above 0 (its own, or the system's bonus_cap)."""
    stage = next((s for s in spec.stages() if isinstance(s, BonusStage)), None)
    if stage is None:
        return True  # the missing stage is reported by check_stages
    return (stage.cap if stage.cap is not None else spec.bonus_cap) > 0


def _levels_problems(rule: LevelsRule, w: Fraction) -> list[Worded]:
    out = _unique([lv.name for lv in rule.levels], "rule_level_name_repeated")
    over = [lv.name for lv in rule.levels if exact(lv.points) > w]
    if over:
        out.append(Worded("rule_level_points_over_weight", levels="、".join(over), weight=show(w)))
    best = max(exact(lv.points) for lv in rule.levels)
    if w > 0 and best != w:
        out.append(Worded("rule_best_level_not_full", best=show(best), weight=show(w)))
    return out


def _ratio_problems(rule: RatioRule) -> list[Worded]:
    out = []
    if exact(rule.floor) == exact(rule.target):
        out.append(Worded("rule_floor_equals_target"))
    bounds = {"ratio": (0, 1), "percent": (0, 100)}.get(rule.unit)
    if bounds and not all(bounds[0] <= v <= bounds[1] for v in (rule.floor, rule.target)):
        out.append(Worded("rule_floor_target_out_of_range", unit=rule.unit, low=bounds[0], high=bounds[1]))
    return out


def _unique(names: list[str], variant: str) -> list[Worded]:
    """One problem (``variant``, naming the kind of name) for each name written more than once."""
    dups = sorted({n for n in names if names.count(n) > 1})
    return [Worded(variant, name=n) for n in dups]


def _check_bands(loaded: LoadedSystem) -> list[Diagnostic]:
    """Bands best first, each meeting the next at one bound that exactly one of them includes."""
    bands = loaded.system.grades
    if not bands:
        return []
    problems: list[tuple[int, Worded]] = []
    if bands[0].max is not None:
        problems.append((0, Worded("band_top_has_max", band=bands[0].name)))
    for i, band in enumerate(bands):
        if band.max is not None and exact(band.max) <= exact(band.min):
            problems.append((i, Worded("band_max_not_above_min", band=band.name)))
        if i + 1 < len(bands):
            problems.extend(_meeting(i + 1, band, bands[i + 1]))
    if bands[-1].min != 0:
        problems.append((len(bands) - 1, Worded("band_lowest_not_from_zero", band=bands[-1].name)))
    elif not bands[-1].min_inclusive:
        problems.append((len(bands) - 1, Worded("band_lowest_excludes_zero", band=bands[-1].name)))
    return [loaded.source.diag(("grades", i), "E303", detail_zh=w.zh, detail_en=w.en) for i, w in problems]


def _meeting(k: int, band: GradeBand, lower: GradeBand) -> list[tuple[int, Worded]]:
    """Problems where ``band`` meets the band below it (at position ``k``)."""
    names = {"band": band.name, "lower": lower.name, "bound": band.min}
    if lower.max is None:
        return [(k, Worded("band_lower_has_no_max", **names))]
    if exact(lower.max) != exact(band.min):
        variant = "band_overlap" if lower.max > band.min else "band_gap"
        return [(k, Worded(variant, max=lower.max, **names))]
    if band.min_inclusive and lower.max_inclusive:
        return [(k, Worded("band_bound_in_both", **names))]
    if not band.min_inclusive and not lower.max_inclusive:
        return [(k, Worded("band_bound_in_neither", **names))]
    return []


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
        for key in ("where", "of"):
            text = getattr(m, key)
            try:
                compile_condition(text) if text else None
            except ConditionProblem as p:
                found.append(
                    loaded.source.diag(
                        ("measures", i, key),
                        "E313",
                        measure=m.name,
                        field=key,
                        problem_zh=p.zh,
                        problem_en=p.en,
                    )
                )
    return found
