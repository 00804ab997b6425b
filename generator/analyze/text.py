"""An analysis as plain text (``zwpj analyze``) and as JSON (``--format json``)."""

from __future__ import annotations

import dataclasses
import json

from generator.analyze import Analysis
from generator.analyze.stats import HIGH_CORRELATION, MIN_ALPHA, MIN_CORRELATION, MIN_SPREAD, Spread

VERDICTS = {
    "all_full": "所有评价均得满分，不区分评价",
    "all_same": "所有评价得分相同，不区分评价",
    "varies": "有区分",
    "too_few": f"评价少于 {MIN_SPREAD} 个，不作结论",
}
"""What each spread verdict means, in Chinese."""


def _num(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _spread_line(s: Spread) -> str:
    return (
        f"  {s.id} {s.name}：{s.n} 个评价，平均 {_num(s.mean)}，标准差 {_num(s.sd)}，"
        f"最低 {_num(s.low)}，最高 {_num(s.high)}——{VERDICTS[s.verdict]}"
    )


def render_text(a: Analysis) -> str:
    """The analysis for a reader at a terminal."""
    out = [
        f"指标体系分析：{a.name}（{a.system_id}，版本 {a.edition}）",
        f"依据 {a.n} 个已评分的评价：{'、'.join(a.evaluations) or '（无）'}",
        f"每项数字都注明所依据的评价数；不足 {MIN_SPREAD} 个（区分度）、{MIN_CORRELATION} 个（相关）、"
        f"{MIN_ALPHA} 个（α）时不计算、不作结论。",
        "",
        "一、区分度：各末级指标得分率（0–1）的分布",
    ]
    flat = a.never_discriminating
    out.append(
        "  从不区分评价的指标："
        + ("、".join(f"{s.id} {s.name}" for s in flat) if flat else "无（或评价数不足，未作结论）")
    )
    out += [_spread_line(s) for s in a.spreads]
    c = a.correlations
    out += [
        "",
        f"二、指标间相关：Spearman ρ，|ρ| ≥ {HIGH_CORRELATION} 的指标对可能重复衡量同一事物"
        "（§8.3 宜选相关程度低的指标）",
        f"  计算了 {c.tested} 对；共同评分的评价少于 {MIN_CORRELATION} 个而未计算 {c.too_few} 对；"
        f"其中一项没有变化（ρ 无定义）而未计算 {c.constant} 对。",
    ]
    if c.flagged:
        out += [
            f"  高相关：{p.a} 与 {p.b}：ρ = {p.rho:.2f}（{p.n} 个评价，p = {p.p_value:.3g}）"
            for p in c.flagged
        ]
    else:
        out.append("  未发现高相关的指标对" + ("。" if c.tested else "（没有计算任何一对，不作结论）。"))
    out += ["", "三、内部一致性：各维度末级指标的 Cronbach α（Feldt 95% 置信区间）"]
    for d in a.consistency:
        if d.alpha is None:
            out.append(f"  {d.id} {d.name}：未计算（{d.reason}）")
        else:
            out.append(
                f"  {d.id} {d.name}：α = {d.alpha:.2f}（95% 区间 {d.low:.2f}–{d.high:.2f}），"
                f"{d.items} 个指标，{d.n} 个评价"
            )
    out += ["", "四、权重调整对等级和名次的影响：全部评价按调整后的权重重新评分（名次为站点排名中的名次）"]
    if not a.scenarios:
        out.append(f"  未计算：{a.scenarios_skipped}。")
    for sc in a.scenarios:
        out.append(
            f"  {sc.label}：{sc.n} 个评价中等级改变 {sc.grade_changes} 个，名次改变 {sc.rank_changes} 个"
        )
        for m in sc.moved:
            grade = (
                f"等级 {m.grade_before or '—'} → {m.grade_after or '—'}，"
                if m.grade_before != m.grade_after
                else ""
            )
            out.append(
                f"    {m.evaluation_id}（{m.party}）：总分 {m.total_before:g} → {m.total_after:g}，{grade}"
                f"名次 {_place(m.rank_before)} → {_place(m.rank_after)}"
            )
    return "\n".join(out) + "\n"


def _place(rank: int | None) -> str:
    return "未排名" if rank is None else str(rank)


def to_json(a: Analysis) -> str:
    """The analysis as JSON (NaN written as null)."""
    data = dataclasses.asdict(a)
    data["n"] = a.n
    return json.dumps(_clean(data), ensure_ascii=False, indent=2) + "\n"


def _clean(value: object) -> object:
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
