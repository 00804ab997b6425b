"""``score``'s readable output: every indicator with its observation, how it scored, and why."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from ..model.system import IndicatorSystem
from .card import IndicatorScore, Scorecard
from .rounding import fmt

STATUS = {"scored": "", "not_applicable": "不适用", "missing": "未评分"}


def _points(ind: IndicatorScore, digits: int) -> str:
    if ind.points is None:
        return "—"
    if ind.bonus:
        return f"+{fmt(ind.bonus, digits)}"
    return fmt(ind.points, digits)


def _note(ind: IndicatorScore) -> str:
    """Status and explanation, without saying 不适用 twice when the explanation starts with it."""
    status = STATUS[ind.status]
    if not status or ind.explanation.startswith(status):
        return ind.explanation or status
    return f"{status}；{ind.explanation}" if ind.explanation else status


def _indicator_table(title: str, indicators: tuple[IndicatorScore, ...], system: IndicatorSystem) -> Table:
    digits = system.rounding.indicator
    table = Table(title=title, show_lines=False, expand=False)
    for name, justify in (
        ("编号", "left"),
        ("指标", "left"),
        ("分值", "right"),
        ("实际权重", "right"),
        ("观测值", "left"),
        ("得分", "right"),
        ("说明", "left"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for ind in indicators:
        indent = "  " * (ind.depth - 1)
        name = f"{indent}{ind.name}"
        if ind.depth == 1:
            name = f"[bold]{name}[/bold]"
        note = _note(ind)
        if ind.vetoed:
            note = "[red]一票否决[/red]；" + note
        table.add_row(
            ind.id,
            name,
            f"{ind.weight:g}",
            fmt(ind.effective_weight, 2),
            ind.observation,
            _points(ind, digits),
            note,
        )
    return table


def _dimensions(indicators: tuple[IndicatorScore, ...], system: IndicatorSystem) -> str:
    return "；".join(
        f"{d.name} {fmt(d.points or 0, system.rounding.dimension)}/{d.effective_weight:g}"
        for d in indicators
        if d.depth == 1
    )


def _summary(card: Scorecard, system: IndicatorSystem) -> list[str]:
    """Dimension points and how the total is reached; per mode when the system combines modes."""
    digits = system.rounding.total
    if not card.modes:
        return [
            f"维度得分：{_dimensions(card.indicators, system)}",
            f"基础得分 {card.base_total:g} + 加分 {card.bonus:g} → 总分 {fmt(card.total, digits)}"
            f"（满分 {card.scale:g}）",
        ]
    modes = {m.id: m for m in card.modes}
    lines = [
        f"{modes[mode].name}维度得分：{_dimensions(indicators, system)}"
        for mode, indicators in card.mode_indicators
    ]
    parts = " + ".join(f"{m.name} {fmt(m.total, digits)}×{m.weight:g}" for m in card.modes)
    lines.append(f"综合得分 = {parts} → 总分 {fmt(card.total, digits)}（满分 {card.scale:g}）")
    return lines


def render_table(card: Scorecard, system: IndicatorSystem, *, width: int = 160) -> str:
    """The scorecard as text tables followed by the notes."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    console.print(f"评价：{card.evaluation_id}    指标体系：{card.system_id}（{card.system_edition} 版）")
    sets = card.mode_indicators or ((None, card.indicators),)
    modes = {m.id: m for m in card.modes}
    for mode, indicators in sets:
        title = (
            f"评价方式：{modes[mode].name}（权重 {modes[mode].weight:g}，得分 {modes[mode].total:g}）"
            if mode
            else "逐项得分"
        )
        console.print(_indicator_table(title, indicators, system))
    for line in _summary(card, system):
        console.print(line)
    veto = f"（一票否决：{'、'.join(card.vetoes)}；按分数应为 {card.grade_by_points}）" if card.vetoes else ""
    console.print(f"等级：{card.grade}{veto}")
    if card.alpha is not None:
        console.print(f"评分一致性 Krippendorff α = {card.alpha:.3f}")
    for warning in card.warnings:
        console.print(f"警告：{warning}")
    for note in card.notes:
        console.print(f"说明：{note}")
    console.print(f"输入哈希 {card.input_hash[:16]}…  生成器 {card.generator_version}")
    return buffer.getvalue()
