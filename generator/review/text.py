"""The diff as plain text for a terminal, and the phrases the Markdown view shares."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import format_text
from generator.review.model import Change, DiffReport, EvaluationDiff, ScoreChange, SystemDiff
from generator.review.show import label, points, signed, total

STATUS = {"added": "新增", "removed": "删除", "changed": "修改", "unchanged": "无变化"}
"""Status → Chinese word."""
MAX_ERRORS = 5
"""Errors listed per evaluation and side; the rest are counted."""


def heading(report: DiffReport) -> str:
    """``评分变化：base → head``."""
    return f"评分变化：{report.base.label} → {report.head.label}"


def total_text(d: EvaluationDiff) -> str:
    """Total before → after, with the delta."""
    if d.status == "added":
        return total(d.total_after)
    if d.status == "removed":
        return total(d.total_before)
    if d.total_before == d.total_after:
        return total(d.total_after)
    before, after = d.total_before, d.total_after
    delta = after - before if before is not None and after is not None else None
    suffix = f"（{delta:+g}）" if delta else ""
    return f"{total(d.total_before)} → {total(d.total_after)}{suffix}"


def grade_text(d: EvaluationDiff) -> str:
    """Grade before → after; ⚠ when it moved."""
    before, after = d.grade_before or "—", d.grade_after or "—"
    if d.status in ("added", "removed") or before == after:
        return after if d.status != "removed" else before
    return f"⚠ {before} → {after}" if d.grade_changed else f"{before} → {after}"


def veto_text(d: EvaluationDiff) -> str:
    """Vetoes that appeared or disappeared, or the standing ones."""
    came = [v for v in d.vetoes_after if v not in d.vetoes_before]
    went = [v for v in d.vetoes_before if v not in d.vetoes_after]
    parts = [f"⚠ 新增否决 {'、'.join(came)}"] if came else []
    parts += [f"⚠ 否决解除 {'、'.join(went)}"] if went else []
    if not parts and d.vetoes_after:
        parts.append("否决 " + "、".join(d.vetoes_after))
    return "；".join(parts) or "—"


def counts_text(d: EvaluationDiff) -> str:
    """How much moved, in a few words."""
    parts = []
    if d.scores:
        parts.append(f"指标得分 {len(d.scores)} 项")
    if d.entries:
        parts.append(f"评分记录 {len(d.entries)} 项")
    if d.other:
        parts.append(f"其他 {len(d.other)} 处")
    errors = [x for x in d.errors_after if x.severity.value == "error"]
    if errors:
        parts.append(f"⚠ 存在 {len(errors)} 个错误，无法评分")
    elif d.errors_after:
        parts.append(f"尚有 {len(d.errors_after)} 项待办（评分未完成）")
    return "，".join(parts) or STATUS[d.status]


def change_line(c: Change) -> str:
    """``label：before → after``."""
    if c.before is None:
        return f"{label(c.field)}：（新增）{c.after}"
    if c.after is None:
        return f"{label(c.field)}：（删除）{c.before}"
    return f"{label(c.field)}：{c.before} → {c.after}"


def score_line(s: ScoreChange) -> str:
    """``A3 网上可办率 7.50 → 5.00（-2.50）``."""
    mode = f"[{s.mode_name}] " if s.mode_name else ""
    delta = signed(s.delta)
    moved = f"（{delta}）" if delta else ""
    return f"{mode}{s.indicator} {s.name} {points(s.before)} → {points(s.after)}{moved}"


def error_lines(diagnostics: tuple) -> list[str]:
    """The first errors, one line each, and how many more."""
    lines = [format_text(d).splitlines()[0] for d in diagnostics[:MAX_ERRORS]]
    if len(diagnostics) > MAX_ERRORS:
        lines.append(f"…另有 {len(diagnostics) - MAX_ERRORS} 个错误")
    return lines


def _evaluation(d: EvaluationDiff) -> Iterator[str]:
    mark = "⚠ " if d.alert else ""
    yield f"{mark}{d.id} {d.title}（{d.folder}，{STATUS[d.status]}）"
    yield f"  总分 {total_text(d)}  等级 {grade_text(d)}  一票否决 {veto_text(d)}"
    sections = (
        ("维度得分", [score_line(s) for s in d.dimensions] if d.status == "changed" else []),
        ("指标得分", [score_line(s) for s in d.scores]),
        ("评分记录", [line for e in d.entries for line in _entry(e)]),
        ("其他修改", [change_line(c) for c in d.other]),
        ("修改前的错误", error_lines(d.errors_before)),
        ("修改后的错误", error_lines(d.errors_after)),
    )
    for title, lines in sections:
        if lines:
            yield f"  {title}："
            yield from (f"    {line}" for line in lines)


def _entry(e) -> Iterator[str]:
    mode = f"[{e.mode_name}] " if e.mode_name else ""
    yield f"{mode}{e.indicator} {e.name}"
    yield from (f"  {change_line(c)}" for c in e.changes)


def _system(s: SystemDiff) -> Iterator[str]:
    yield f"指标体系 {s.id} {s.name}（{s.folder}，{STATUS[s.status]}）"
    yield from (f"  {change_line(c)}" for c in s.meta)
    for edit in s.indicators:
        yield f"  {edit.indicator} {edit.name}（{STATUS[edit.status]}）"
        yield from (f"    {change_line(c)}" for c in edit.changes)
    yield f"  影响的评价：{'、'.join(s.affected) or '（无）'}"


def render_text(report: DiffReport) -> str:
    """The whole report for a terminal."""
    lines = [heading(report)]
    changed = report.changed
    unchanged = len(report.evaluations) - len(changed)
    systems = len(report.systems)
    lines.append(f"{len(changed)} 个评价有变化，{unchanged} 个无变化；{systems} 个指标体系有修改。")
    for d in changed:
        lines += ["", *_evaluation(d)]
    for s in report.systems:
        lines += ["", *_system(s)]
    return "\n".join(lines) + "\n"
