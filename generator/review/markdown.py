"""The diff as Markdown for a pull-request comment (summary table, then details), and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict

from generator.review.model import DiffReport, EvaluationDiff, SystemDiff
from generator.review.overview import NewEvaluation
from generator.review.show import label, points, signed
from generator.review.text import STATUS, counts_text, error_lines, grade_text, heading, total_text, veto_text

MARKER = "<!-- zwpj-diff -->"
"""First line of the comment, so CI can find and update its own comment instead of adding another."""


def cell(text: str | None) -> str:
    """Text safe inside a Markdown table cell."""
    if text is None:
        return "—"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # no stray HTML in a comment
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>") or "—"


def table(header: list[str], rows: Sequence[Sequence[str | None]]) -> list[str]:
    """A Markdown table with escaped cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def _summary(report: DiffReport) -> list[str]:
    rows = [
        [
            f"{'⚠ ' if d.alert else ''}{d.id}",
            d.title,
            STATUS[d.status],
            total_text(d),
            grade_text(d),
            veto_text(d),
            counts_text(d),
        ]
        for d in report.changed
    ]
    return table(["评价", "标题", "状态", "总分", "等级", "一票否决", "变化"], rows)


def _percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.1f}%"


def _added(a: NewEvaluation) -> Iterator[str]:
    """A new evaluation in full: result and status, dimensions, weakest indicators, objections."""
    st = a.status
    waiting = f"（{st.open_objections} 项异议待答复）" if st.open_objections else ""
    yield "**结果与状态**"
    yield ""
    yield from table(
        ["项目", "内容"],
        [
            ["被评价方", a.party],
            ["评价期", a.period],
            ["指标体系", a.system],
            ["总分", f"{a.total:g}（满分 {a.scale:g}）"],
            ["等级", a.grade],
            ["一票否决", "、".join(a.vetoes) or "无"],
            ["评价阶段", st.stage],
            ["结果确认", st.state + waiting],
            ["报告", st.report],
        ],
    )
    yield ""
    yield "**维度得分**"
    yield ""
    yield from table(
        ["维度", "分值", "得分", "得分率"],
        [[f"{x.id} {x.name}", f"{x.weight:g}", points(x.points), _percent(x.fraction)] for x in a.dimensions],
    )
    yield ""
    if a.weakest:
        yield "**得分率最低的指标**"
        yield ""
        yield from table(
            ["指标", "分值", "得分", "得分率", "观测", "评价意见"],
            [
                [
                    f"{x.id} {x.name}",
                    f"{x.weight:g}",
                    points(x.points),
                    _percent(x.fraction),
                    x.observation,
                    x.comment,
                ]
                for x in a.weakest
            ],
        )
        yield ""
    if st.objections:
        yield "**异议**"
        yield ""
        rows = []
        for o in st.objections:
            answer = f"{o.decision}（{o.response_date}）：{o.response}" if o.decision else "待答复"
            rows.append([o.id, "、".join(o.indicators), str(o.date), o.text, answer])
        yield from table(["编号", "涉及指标", "提出日期", "异议内容", "答复"], rows)
        yield ""


def _details(d: EvaluationDiff) -> Iterator[str]:
    mark = "⚠ " if d.alert else ""
    state = f"，{d.added.status.state}" if d.added else ""
    yield (
        f"<details><summary>{mark}{cell(d.id)} {cell(d.title)}：总分 {cell(total_text(d))}，"
        f"等级 {cell(grade_text(d))}{state}</summary>"
    )
    yield ""
    if d.added:
        yield from _added(d.added)
    if d.status == "changed" and d.dimensions:
        yield "**维度得分**"
        yield ""
        yield from table(
            ["维度", "分值", "修改前", "修改后", "变化"],
            [
                [
                    f"{(s.mode_name + ' ') if s.mode_name else ''}{s.indicator} {s.name}",
                    f"{s.weight:g}",
                    points(s.before),
                    points(s.after),
                    signed(s.delta),
                ]
                for s in d.dimensions
            ],
        )
        yield ""
    if d.scores:
        yield "**指标得分**"
        yield ""
        yield from table(
            ["指标", "分值", "修改前", "修改后", "变化"],
            [
                [
                    f"{(s.mode_name + ' ') if s.mode_name else ''}{s.indicator} {s.name}",
                    f"{s.weight:g}",
                    points(s.before),
                    points(s.after),
                    signed(s.delta),
                ]
                for s in d.scores
            ],
        )
        yield ""
    if d.entries:
        yield "**评分记录**"
        yield ""
        rows = [
            [
                f"{(e.mode_name + ' ') if e.mode_name else ''}{e.indicator} {e.name}",
                label(c.field),
                c.before,
                c.after,
            ]
            for e in d.entries
            for c in e.changes
        ]
        yield from table(["指标", "项目", "修改前", "修改后"], rows)
        yield ""
    if d.other:
        yield "**其他修改**"
        yield ""
        yield from table(["项目", "修改前", "修改后"], [[label(c.field), c.before, c.after] for c in d.other])
        yield ""
    for title, found in (("修改前的错误", d.errors_before), ("修改后的错误", d.errors_after)):
        if found:
            yield f"**{title}**"
            yield ""
            yield "```text"
            yield from error_lines(found)
            yield "```"
            yield ""
    yield "</details>"
    yield ""


def _system(s: SystemDiff) -> Iterator[str]:
    yield f"<details><summary>指标体系 {cell(s.id)} {cell(s.name)}（{STATUS[s.status]}）</summary>"
    yield ""
    rows = [["（体系）", label(c.field), c.before, c.after] for c in s.meta]
    for edit in s.indicators:
        if edit.status != "changed":
            rows.append([f"{edit.indicator} {edit.name}", STATUS[edit.status], None, None])
        rows += [[f"{edit.indicator} {edit.name}", label(c.field), c.before, c.after] for c in edit.changes]
    if rows:
        yield from table(["指标", "项目", "修改前", "修改后"], rows)
        yield ""
    yield f"影响的评价：{'、'.join(s.affected) or '（无）'}"
    yield ""
    yield "</details>"
    yield ""


def render_markdown(report: DiffReport) -> str:
    """The whole report as a pull-request comment."""
    lines = [MARKER, f"### {heading(report)}", ""]
    changed = report.changed
    if not changed and not report.systems:
        lines.append("两个版本的评分与指标体系没有变化。")
        return "\n".join(lines) + "\n"
    if changed:
        lines += [*_summary(report), ""]
    unchanged = len(report.evaluations) - len(changed)
    if unchanged:
        lines += [f"其余 {unchanged} 个评价无变化。", ""]
    if report.systems:
        lines += ["#### 指标体系修改", ""]
        lines += table(
            ["指标体系", "状态", "修改的指标", "影响的评价"],
            [
                [f"{s.id} {s.name}", STATUS[s.status], str(len(s.indicators)), "、".join(s.affected)]
                for s in report.systems
            ],
        )
        lines.append("")
    for d in changed:
        lines += list(_details(d))
    for s in report.systems:
        lines += list(_system(s))
    lines.append("⚠ 表示等级变化、一票否决出现或解除，或修改后无法评分。")
    return "\n".join(lines) + "\n"


def _evaluation_json(d: EvaluationDiff) -> dict[str, object]:
    data = asdict(d)
    data.update(
        errors_before=[x.to_dict() for x in d.errors_before],
        errors_after=[x.to_dict() for x in d.errors_after],
        grade_changed=d.grade_changed,
        veto_changed=d.veto_changed,
        alert=d.alert,
    )
    if d.added is not None:
        status = d.added.status
        data["added"]["status"].update(state=status.state, report=status.report, label=status.label)
    return data


def render_json(report: DiffReport) -> str:
    """The whole report as JSON, with flags a bot can act on."""
    data = {
        "base": {"name": report.base.name, "commit": report.base.commit},
        "head": {"name": report.head.name or None, "commit": report.head.commit},
        "errors_before": report.errors_before,
        "errors_after": report.errors_after,
        "evaluations": [_evaluation_json(d) for d in report.evaluations],
        "systems": [asdict(s) for s in report.systems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
