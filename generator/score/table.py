"""``score``'s readable output: every indicator with its observation, how it scored, and why."""

from __future__ import annotations

import io

from rich.console import Console, JustifyMethod
from rich.table import Table

from generator.load.repository import LoadedSystem
from generator.model.numbers import show
from generator.score.card import IndicatorScore, Scorecard
from generator.score.rounding import fmt

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


def _indicator_table(title: str, indicators: tuple[IndicatorScore, ...], loaded: LoadedSystem) -> Table:
    digits = loaded.system.rounding.indicator
    table = Table(title=title, show_lines=False, expand=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("编号", "left"),
        ("指标", "left"),
        ("分值", "right"),
        ("实际权重", "right"),
        ("观测值", "left"),
        ("得分", "right"),
        ("说明", "left"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
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
            show(loaded.index[ind.id].weight) if ind.id in loaded.index else f"{ind.weight:g}",
            fmt(ind.effective_weight, digits),
            ind.observation,
            _points(ind, digits),
            note,
        )
    return table


def _dimensions(indicators: tuple[IndicatorScore, ...], loaded: LoadedSystem) -> str:
    digits = loaded.system.rounding.dimension
    return "；".join(
        f"{d.name} {fmt(d.points or 0, digits)}/{fmt(d.effective_weight, digits)}"
        for d in indicators
        if d.depth == 1
    )


def _summary(card: Scorecard, loaded: LoadedSystem) -> list[str]:
    """Dimension points and how the total is reached; per mode when the system combines modes."""
    rounding = loaded.system.rounding
    digits = rounding.total
    if not card.modes:
        base, bonus = fmt(card.base_total, rounding.dimension), fmt(card.bonus, rounding.indicator)
        return [
            f"维度得分：{_dimensions(card.indicators, loaded)}",
            f"基础得分 {base} + 加分 {bonus} → 总分 {fmt(card.total, digits)}（满分 {card.scale:g}）",
        ]
    modes = {m.id: m for m in card.modes}
    lines = [
        f"{modes[mode].name}维度得分：{_dimensions(indicators, loaded)}"
        for mode, indicators in card.mode_indicators
    ]
    parts = " + ".join(f"{m.name} {fmt(m.total, digits)}×{m.weight:g}" for m in card.modes)
    lines.append(f"综合得分 = {parts} → 总分 {fmt(card.total, digits)}（满分 {card.scale:g}）")
    return lines


def render_table(card: Scorecard, loaded: LoadedSystem, *, width: int = 160) -> str:
    """The scorecard as text tables followed by the notes (``loaded``: its system, for exact weights)."""
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
        console.print(_indicator_table(title, indicators, loaded))
    for line in _summary(card, loaded):
        console.print(line)
    veto = f"（一票否决：{'、'.join(card.vetoes)}；按分数应为 {card.grade_by_points}）" if card.vetoes else ""
    if card.grade or veto:
        console.print(f"等级：{card.grade or '—'}{veto}")
    if card.alpha is not None:
        console.print(f"评分一致性 Krippendorff α = {card.alpha:.3f}")
    for warning in card.warnings:
        console.print(f"警告：{warning}")
    for note in card.notes:
        console.print(f"说明：{note}")
    console.print(f"输入哈希 {card.input_hash[:16]}…  生成器 {card.generator_version}")
    return buffer.getvalue()
