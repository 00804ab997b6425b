"""Interpret one observation under one scoring rule. Pure; used by scoring and validation.

Every figure is an exact fraction: the decimals the system and the observation wrote (``exact``),
counts, and their quotients. Texts show them as a reader writes them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from generator.model.numbers import exact, show
from generator.model.system import (
    BinaryRule,
    BonusRule,
    DeductionRule,
    LevelsRule,
    RatioRule,
    Rule,
    SatisfactionRule,
    VetoRule,
)
from generator.score.card import Measured
from generator.score.problem import Problem
from generator.score.rounding import round_exact
from generator.score.spelling import accepted_forms, canonical, short_name


@dataclass(frozen=True)
class Outcome:
    """What an observation earns."""

    fraction: Fraction
    """Score as a fraction of the indicator's weight, 0..1."""
    text: str
    """The observation as a reader sees it."""
    explanation: str
    """How the fraction was reached."""
    bonus: Fraction = Fraction(0)
    """Bonus points (bonus rules)."""
    vetoed: bool = False
    """True when a veto condition was found."""


ONE, ZERO = Fraction(1), Fraction(0)


def _num(x: float | Fraction) -> str:
    return show(exact(x))


def _pct(x: Fraction, places: int) -> str:
    """A share as a percentage with ``places`` decimals, rounded half-up like every figure."""
    return f"{float(round_exact(x * 100, places)):.{places}f}%"


def _binary(rule: BinaryRule, obs: Any) -> Outcome:
    if obs is True or obs == rule.pass_label:
        return Outcome(ONE, rule.pass_label, f"{rule.pass_label}，得满分")
    if obs is False or obs == rule.fail_label:
        return Outcome(ZERO, rule.fail_label, f"{rule.fail_label}，得 0 分")
    raise Problem(
        "rule_binary_expected",
        pass_label=rule.pass_label,
        fail_label=rule.fail_label,
        obs=obs,
        forms=accepted_forms(rule),
    )


def _levels(rule: LevelsRule, obs: Any, weight: Fraction) -> Outcome:
    for level in rule.levels:
        if obs == level.name:
            fraction = exact(level.points) / weight if weight else ZERO
            return Outcome(
                fraction, level.name, f"等级“{level.name}”得 {_num(level.points)} 分（满分 {_num(weight)}）"
            )
    names = "、".join(level.name for level in rule.levels)
    raise Problem("rule_level_unknown", obs=obs, names=names)


def _ratio(rule: RatioRule, obs: Any, measured: Measured | None) -> Outcome:
    value, shown = _ratio_value(rule, obs, measured)
    floor, target = exact(rule.floor), exact(rule.target)
    fraction = min(ONE, max(ZERO, (value - floor) / (target - floor)))
    how = (
        f"{shown}，在 {_bound(rule, rule.floor)}（0 分）与 {_bound(rule, rule.target)}（满分）之间线性计分，"
        f"得分率 {_pct(fraction, 1)}"
    )
    return Outcome(fraction, shown, how)


def _bound(rule: RatioRule, value: float) -> str:
    """A floor or target in the rule's unit, as a reader expects it."""
    if rule.unit == "ratio":
        return f"{value:.0%}" if round(value * 100, 6).is_integer() else f"{value:.1%}"
    suffix = {"percent": "%", "days": " 天", "hours": " 小时", "count": ""}[rule.unit]
    return f"{_num(value)}{suffix}"


def _finite(value: Any) -> bool:
    """A number an observation may be: an int or a float, not a boolean, not infinite or NaN."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def measured_share(measured: Measured) -> Fraction | None:
    """A measured share exactly: its rows counted over its rows (the float when no counts)."""
    if measured.value is None:
        return None
    if measured.denominator:
        return Fraction(measured.numerator, measured.denominator)
    return exact(measured.value)


def _ratio_value(rule: RatioRule, obs: Any, measured: Measured | None) -> tuple[Fraction, str]:
    scale = 100 if rule.unit == "percent" else 1
    if measured is not None:
        share = measured_share(measured)
        if share is None:
            raise Problem("rule_dataset_empty")
        return share * scale, f"{_pct(share, 2)}（{measured.numerator}/{measured.denominator}）"
    if isinstance(obs, Mapping) and set(obs) == {"numerator", "denominator"}:
        num, den = obs["numerator"], obs["denominator"]
        if not all(_finite(v) for v in (num, den)) or den <= 0 or num < 0:
            raise Problem("rule_fraction_invalid")
        if num > den:
            raise Problem("rule_numerator_exceeds", num=num, den=den)
        share = exact(num) / exact(den)
        return share * scale, f"{_pct(share, 2)}（{num}/{den}）"
    if not _finite(obs):
        raise Problem("rule_number_expected", obs=obs, forms=accepted_forms(rule))
    bounds = {"ratio": (0, 1), "percent": (0, 100)}.get(rule.unit, (0, float("inf")))
    if not bounds[0] <= obs <= bounds[1]:
        raise Problem("rule_value_out_of_range", obs=obs, low=bounds[0], high=bounds[1])
    shown = _pct(exact(obs), 2) if rule.unit == "ratio" else _bound(rule, obs)
    return exact(obs), shown


def _counts(items: Mapping[str, Any], obs: Any, what: str) -> dict[str, int]:
    if not isinstance(obs, Mapping):
        raise Problem("rule_counts_mapping_expected", what=what, first=next(iter(items)))
    counts: dict[str, int] = {}
    for key, count in obs.items():
        if key not in items:
            names = "、".join(items)
            shorts = "、".join(short_name(getattr(item, "name", key)) for key, item in items.items())
            raise Problem("rule_item_unknown", what=what, key=key, names=names, shorts=shorts)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise Problem("rule_count_invalid", key=key)
        counts[key] = count
    return counts


def _deduction(rule: DeductionRule, obs: Any, weight: Fraction) -> Outcome:
    items = {item.id: item for item in rule.items}
    counts = _counts(items, obs, "扣分项")
    parts, total = [], ZERO
    for key, count in counts.items():
        if count:
            item = items[key]
            lost = min(count * exact(item.points), exact(item.cap))
            total += lost
            capped = "（已达上限）" if count * exact(item.points) > exact(item.cap) else ""
            parts.append(f"{item.name}×{count} 扣 {_num(lost)} 分{capped}")
    remaining = max(ZERO, weight - total)
    text = "；".join(f"{items[k].name}×{c}" for k, c in counts.items() if c) or "未发现扣分项"
    how = (
        ("；".join(parts) + "。") if parts else "未发现扣分项。"
    ) + f"得 {_num(remaining)} 分（满分 {_num(weight)}）"
    return Outcome(remaining / weight if weight else ZERO, text, how)


def _bonus(rule: BonusRule, obs: Any) -> Outcome:
    items = {item.id: item for item in rule.items}
    counts = _counts(items, obs, "加分项")
    total = sum((min(c * exact(items[k].points), exact(items[k].cap)) for k, c in counts.items()), ZERO)
    earned = min(total, exact(rule.cap))
    text = "；".join(f"{items[k].name}×{c}" for k, c in counts.items() if c) or "无"
    capped = f"，超过本项上限 {_num(rule.cap)} 分" if total > exact(rule.cap) else ""
    return Outcome(earned / exact(rule.cap), text, f"加 {_num(earned)} 分{capped}", bonus=earned)


def _veto(rule: VetoRule, obs: Any) -> Outcome:
    if obs is True:
        return Outcome(ZERO, "存在", f"存在“{rule.condition}”情形，一票否决", vetoed=True)
    if obs is False:
        return Outcome(ONE, "不存在", f"未发现“{rule.condition}”情形")
    raise Problem("rule_veto_expected", obs=obs, forms=accepted_forms(rule))


def _satisfaction(rule: SatisfactionRule, obs: Any, measured: Measured | None) -> Outcome:
    counts = dict(measured.counts) if measured is not None else obs
    if not isinstance(counts, Mapping):
        names = "、".join(rule.levels)
        raise Problem("rule_satisfaction_mapping_expected", names=names)
    for key, value in counts.items():
        if key not in rule.levels:
            names = "、".join(rule.levels)
            raise Problem("rule_satisfaction_level_unknown", key=key, names=names)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Problem("rule_rating_count_invalid", key=key)
    n = sum(counts.values())
    if n == 0:
        raise Problem("rule_no_ratings")
    mean = sum((exact(rule.levels[k]) * c for k, c in counts.items()), ZERO) / n
    text = "，".join(f"{k} {c}" for k, c in counts.items() if c) + f"（共 {n} 条）"
    shown = f"{float(round_exact(mean, 2)):.2f}"
    return Outcome(mean / exact(rule.scale), text, f"加权平均 {shown} 分（满分 {_num(rule.scale)}）")


def evaluate(
    rule: Rule, weight: float | Fraction, observation: Any, measured: Measured | None = None
) -> Outcome:
    """The outcome of ``observation`` under ``rule`` (``weight``: the indicator's points, taken
    exactly); raises Problem when it does not fit."""
    weight = exact(weight)
    observation = canonical(rule, observation)
    if isinstance(rule, BinaryRule):
        return _binary(rule, observation)
    if isinstance(rule, LevelsRule):
        return _levels(rule, observation, weight)
    if isinstance(rule, RatioRule):
        return _ratio(rule, observation, measured)
    if isinstance(rule, DeductionRule):
        return _deduction(rule, observation, weight)
    if isinstance(rule, BonusRule):
        return _bonus(rule, observation)
    if isinstance(rule, VetoRule):
        return _veto(rule, observation)
    return _satisfaction(rule, observation, measured)


def describe(rule: Rule) -> str:
    """The rule in one Chinese sentence, for method pages and score sheets."""
    if isinstance(rule, BinaryRule):
        return f"达标判定：{rule.pass_label}得满分，{rule.fail_label}得 0 分"
    if isinstance(rule, LevelsRule):
        return "分档计分：" + "；".join(f"{lv.name} {_num(lv.points)} 分" for lv in rule.levels)
    if isinstance(rule, RatioRule):
        src = f"（由测算项 {rule.measure} 计算）" if rule.measure else ""
        return f"比例计分：{_num(rule.floor)} 及以下得 0 分，{_num(rule.target)} 及以上得满分，之间线性{src}"
    if isinstance(rule, DeductionRule):
        return "扣分制：" + "；".join(
            f"{i.name}每处扣 {_num(i.points)} 分，最多扣 {_num(i.cap)} 分" for i in rule.items
        )
    if isinstance(rule, BonusRule):
        items = "；".join(f"{i.name}每项加 {_num(i.points)} 分，最多 {_num(i.cap)} 分" for i in rule.items)
        return f"加分项：{items}；本项合计不超过 {_num(rule.cap)} 分"
    if isinstance(rule, VetoRule):
        return f"一票否决：存在“{rule.condition}”的，等级直接定为最低档"
    levels = "，".join(f"{k} {_num(v)}" for k, v in rule.levels.items())
    return f"满意度计分：{levels}（满分 {_num(rule.scale)}），按人次加权平均"
