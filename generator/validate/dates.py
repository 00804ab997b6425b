"""Date checks: order (E409), inside the period (E408); evidence dates are ``timeliness.py``."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..load import LoadedEvaluation


def check_dates(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Every dated record in order and, where the standard expects it, inside the period."""
    ev, src = loaded.evaluation, loaded.source
    start, end = ev.period.start, ev.period.end
    if start > end:
        yield src.diag(
            ("period", "end"),
            "E409",
            detail_zh=f"评价期结束 {end} 早于开始 {start}",
            detail_en=f"period ends {end} before it starts {start}",
        )
        return
    if ev.data_period is not None and ev.data_period.start > ev.data_period.end:
        yield src.diag(
            ("data_period", "end"),
            "E409",
            detail_zh=f"统计期结束 {ev.data_period.end} 早于开始 {ev.data_period.start}",
            detail_en=f"data period ends {ev.data_period.end} before it starts {ev.data_period.start}",
        )
    inside = dict(start=start, end=end)
    for i, item in enumerate(ev.schedule):
        if item.start > item.end:
            yield src.diag(
                ("schedule", i, "end"),
                "E409",
                detail_zh=f"“{item.item}”结束早于开始",
                detail_en=f"'{item.item}' ends before it starts",
            )
        for key, day in (("start", item.start), ("end", item.end)):
            if not start <= day <= end:
                yield src.diag(
                    ("schedule", i, key),
                    "E408",
                    what=f"日程“{item.item}”",
                    what_en="schedule",
                    date=day,
                    **inside,
                )
    for i, act in enumerate(ev.activities):
        if act.end and act.end < act.date:
            yield src.diag(
                ("activities", i, "end"),
                "E409",
                detail_zh=f"{act.kind}结束早于开始",
                detail_en=f"{act.kind} ends before it starts",
            )
        for key, day in (("date", act.date), ("end", act.end)):
            if day and not start <= day <= end:
                yield src.diag(
                    ("activities", i, key), "E408", what=act.kind, what_en="activity", date=day, **inside
                )
    if ev.plan.approved > end:
        yield src.diag(
            ("plan", "approved"),
            "E409",
            detail_zh="评价方案批准日期晚于评价期结束",
            detail_en="the plan is approved after the period ends",
        )
    if ev.plan.report_due < start:
        yield src.diag(
            ("plan", "report_due"),
            "E409",
            detail_zh="报告提交期限早于评价期开始",
            detail_en="the report is due before the period starts",
        )
    yield from _after_report(loaded)


def _after_report(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    ev, src = loaded.evaluation, loaded.source
    start = ev.period.start
    if ev.submission and ev.submission.date < start:
        yield src.diag(
            ("submission", "date"),
            "E409",
            detail_zh="报告提交日期早于评价期开始",
            detail_en="the report is submitted before the period starts",
        )
    conf = ev.confirmation
    if conf is None:
        return
    if conf.date and ev.submission and conf.date < ev.submission.date:
        yield src.diag(
            ("confirmation", "date"),
            "E409",
            detail_zh="确认日期早于报告提交日期",
            detail_en="confirmed before the report was submitted",
        )
    for i, obj in enumerate(conf.objections):
        if obj.response and obj.response.date < obj.date:
            yield src.diag(
                ("confirmation", "objections", i, "response", "date"),
                "E409",
                detail_zh=f"异议 {obj.id} 的答复早于提出日期",
                detail_en=f"objection {obj.id} answered before raised",
            )
