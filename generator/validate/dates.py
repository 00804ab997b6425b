"""Date checks: order (E409), inside the period (E408); evidence dates are ``timeliness.py``."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation


def check_dates(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Every dated record in order and, where the standard expects it, inside the period."""
    ev, src = loaded.evaluation, loaded.source
    start, end = ev.period.start, ev.period.end
    if start > end:
        yield src.diag(("period", "end"), "E409", detail="period_ends_before_starts", end=end, start=start)
        return
    if ev.data_period is not None and ev.data_period.start > ev.data_period.end:
        yield src.diag(
            ("data_period", "end"),
            "E409",
            detail="data_period_ends_before_starts",
            end=ev.data_period.end,
            start=ev.data_period.start,
        )
    for i, item in enumerate(ev.schedule):
        if item.start > item.end:
            yield src.diag(("schedule", i, "end"), "E409", detail="ends_before_starts", item=item.item)
        for key, day in (("start", item.start), ("end", item.end)):
            if not start <= day <= end:
                yield src.diag(
                    ("schedule", i, key),
                    "E408",
                    detail="schedule_date",
                    item=item.item,
                    date=day,
                    start=start,
                    end=end,
                )
    for i, act in enumerate(ev.activities):
        if act.end and act.end < act.date:
            yield src.diag(("activities", i, "end"), "E409", detail="ends_before_starts_2", kind=act.kind)
        for key, when in (("date", act.date), ("end", act.end)):
            if when and not start <= when <= end:
                yield src.diag(
                    ("activities", i, key),
                    "E408",
                    what=act.kind,
                    detail="activity_date",
                    date=when,
                    start=start,
                    end=end,
                )
    if ev.plan.approved > end:
        yield src.diag(("plan", "approved"), "E409", detail="plan_approved_after_period_ends")
    if ev.plan.report_due < start:
        yield src.diag(("plan", "report_due"), "E409", detail="report_due_before_period_starts")
    yield from _after_report(loaded)


def _after_report(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    ev, src = loaded.evaluation, loaded.source
    start = ev.period.start
    if ev.submission and ev.submission.date < start:
        yield src.diag(("submission", "date"), "E409", detail="report_submitted_before_period_starts")
    conf = ev.confirmation
    if conf is None:
        return
    if conf.date and ev.submission and conf.date < ev.submission.date:
        yield src.diag(("confirmation", "date"), "E409", detail="confirmed_before_report_was_submitted")
    for i, obj in enumerate(conf.objections):
        if obj.response and obj.response.date < obj.date:
            yield src.diag(
                ("confirmation", "objections", i, "response", "date"),
                "E409",
                detail="objection_answered_before_raised",
                id=obj.id,
            )
