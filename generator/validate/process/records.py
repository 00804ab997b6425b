"""Records each stage needs: preparation (§8.2), implementation (§8.4), completion (§8.5.1–8.5.2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.diagnostics import Diagnostic, Worded, diag
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.messages import ACTIVITY_ORIGINS
from generator.model.evaluation import Activity, Evaluation
from generator.model.stages import MEETINGS, NARRATIVE_REQUIRED, reached, required_activities

BEFORE_CLOSING = ("文件评审", "现场评价", "信息收集与验证", "形成评价意见")
"""Activities that start before the closing meeting (§8.4)."""


def _missing(
    loaded: LoadedEvaluation, at: tuple[str | int, ...], variant: str, **fields: object
) -> Diagnostic:
    """E501: the record ``variant`` (of ``messages.DETAILS``) names is missing."""
    said = Worded(variant, **fields)
    stage = loaded.evaluation.stage
    return loaded.source.diag(
        at, "E501", stage=stage, what=said.said("what"), what_en=said.said("what_en"), hint=said.hint
    )


def _to_do(missing: Diagnostic, needed: str) -> Diagnostic:
    """A missing record (E501) of a stage not claimed yet, as a to-do at the same place (T904)."""
    args = dict(missing.args)
    return diag(
        missing.file,
        missing.line,
        missing.column,
        "T904",
        what=args["what"],
        what_en=args["what_en"],
        hint=args["hint"],
        needed=needed,
    )


def check_preparation(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.2: object, goals, scope, places, schedule, plan with confidentiality, duties, sampling."""
    ev = loaded.evaluation
    for name, label in (("object", "评价对象"), ("purpose", "评价目标"), ("scope", "评价范围")):
        if not getattr(ev, name).strip():
            yield _missing(loaded, (name,), "record_field", label=label, name=name)
    if not ev.places:
        yield _missing(loaded, ("stage",), "record_places")
    if not ev.schedule:
        yield _missing(loaded, ("stage",), "record_schedule")
    if not (ev.plan.confidentiality or "").strip():
        yield _missing(loaded, ("plan",), "record_confidentiality")
    for i, person in enumerate(ev.team):
        if not (person.duties or "").strip():
            yield _missing(loaded, ("team", i), "record_duties", name=person.name, id=person.id)
    if not ev.sampling:
        yield _missing(loaded, ("stage",), "record_sampling")


def check_indicator_system(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.1, §8.3: when and how the work group established the indicator system for this evaluation."""
    ev = loaded.evaluation
    if ev.system.adopted is None:
        yield _missing(loaded, ("system",), "record_system_adopted")
    if not (ev.system.record or "").strip():
        yield _missing(loaded, ("system",), "record_system_record")


def check_implementation(loaded: LoadedEvaluation, system: LoadedSystem | None) -> Iterator[Diagnostic]:
    """§8.4: every planned activity recorded; the two meetings (when held) with attendees and minutes."""
    ev = loaded.evaluation
    present = [a.kind for a in ev.activities]
    required, origin = required_activities(ev, system.system.activities if system else None)
    where = ACTIVITY_ORIGINS[origin]
    for kind in required:
        if kind not in present:
            close = difflib.get_close_matches(
                kind, [k for k in present if k not in required], n=1, cutoff=0.6
            )
            at = ("activities",) if ev.activities else ("stage",)
            if close:
                yield _missing(
                    loaded, at, "record_activity_written_otherwise", kind=kind, where=where, close=close[0]
                )
            else:
                yield _missing(loaded, at, "record_activity", kind=kind, where=where)
    for i, act in enumerate(ev.activities):
        if act.kind not in MEETINGS:
            continue
        if not act.attendees:
            yield _missing(loaded, ("activities", i), "record_attendees", kind=act.kind)
        if not act.minutes:
            yield _missing(loaded, ("activities", i), "record_minutes", kind=act.kind)


def check_completion(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.5.1: the report's guidance (指导意见) and suggestions (改进建议) are written."""
    for name in NARRATIVE_REQUIRED:
        if not loaded.narrative.get(name, "").strip():
            yield _missing(loaded, ("stage",), "record_narrative", name=name)


def check_submission(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.5.2: the report was submitted, late submission a warning with the days late."""
    ev = loaded.evaluation
    if ev.submission is None:
        yield _missing(loaded, ("stage",), "record_submission")
        return
    late = (ev.submission.date - ev.plan.report_due).days
    if late > 0:
        yield loaded.source.diag(
            ("submission", "date"), "W751", date=ev.submission.date, due=ev.plan.report_due, days=late
        )
    draft = _activity(ev, "评价初稿")
    if draft is not None and ev.submission.date < draft[1].date:
        yield loaded.source.diag(
            ("submission", "date"),
            "E503",
            detail="report_submitted_before_draft",
            date=ev.submission.date,
            value=draft[1].date,
        )


def check_stage_records(loaded: LoadedEvaluation, system: LoadedSystem | None) -> Iterator[Diagnostic]:
    """Every record the claimed stage needs, in the order of the process."""
    ev = loaded.evaluation
    if reached(ev, "评价准备"):
        yield from check_preparation(loaded)
    else:  # still 准备中: what preparation lacks is listed as to-dos, not errors
        yield from (_to_do(found, "评价准备") for found in check_preparation(loaded))
    if reached(ev, "建立评价指标体系"):
        yield from check_indicator_system(loaded)
    if reached(ev, "实施评价"):
        yield from check_implementation(loaded, system)
    if reached(ev, "完成评价"):
        yield from check_completion(loaded)
    if reached(ev, "已提交"):
        yield from check_submission(loaded)


def _activity(ev: Evaluation, kind: str) -> tuple[int, Activity] | None:
    return next(((i, a) for i, a in enumerate(ev.activities) if a.kind == kind), None)


def check_activity_dates(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Recorded activities lie inside the schedule, inside their named schedule item, in §8.4's order."""
    ev, src = loaded.evaluation, loaded.source
    if ev.schedule:
        first = min(s.start for s in ev.schedule)
        last = max(s.end for s in ev.schedule)
        for i, act in enumerate(ev.activities):
            for key, day in (("date", act.date), ("end", act.end)):
                if day is not None and not first <= day <= last:
                    yield src.diag(
                        ("activities", i, key), "E502", kind=act.kind, date=day, start=first, end=last
                    )
            yield from _against_item(loaded, i, act)
    yield from _order(loaded)


def _against_item(loaded: LoadedEvaluation, i: int, act: Activity) -> Iterator[Diagnostic]:
    """W755 when a schedule item names the activity and the activity falls outside it."""
    items = [s for s in loaded.evaluation.schedule if act.kind in s.item]
    if not items:
        return
    start, end = act.date, act.end or act.date
    if any(s.start <= start and end <= s.end for s in items):
        return
    item = items[0]
    yield loaded.source.diag(
        ("activities", i, "date"),
        "W755",
        kind=act.kind,
        date=act.date,
        item=item.item,
        start=item.start,
        end=item.end,
    )


def _order(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """首次会议 opens the implementation; 末次会议 comes after the reviews and on-site work began;
    the indicator system is established after the plan and before the first activity (§8.1)."""
    ev, src = loaded.evaluation, loaded.source
    adopted = ev.system.adopted
    if adopted is not None and adopted < ev.plan.approved:
        yield src.diag(
            ("system", "adopted"),
            "E503",
            detail="indicator_system_established_before_plan",
            adopted=adopted,
            approved=ev.plan.approved,
        )
    first = min(ev.activities, key=lambda a: a.date, default=None)
    if adopted is not None and first is not None and adopted > first.date:
        yield src.diag(
            ("system", "adopted"),
            "E503",
            detail="indicator_system_established_after_first",
            adopted=adopted,
            kind=first.kind,
            date=first.date,
        )
    opening, closing = _activity(ev, "首次会议"), _activity(ev, "末次会议")
    if opening is not None:
        for i, act in enumerate(ev.activities):
            if act.date < opening[1].date:
                yield src.diag(
                    ("activities", i, "date"),
                    "E503",
                    detail="comes_before_opening_meeting",
                    kind=act.kind,
                    date=act.date,
                    value=opening[1].date,
                )
    if closing is not None:
        for act in ev.activities:
            if act.kind in BEFORE_CLOSING and act.date > closing[1].date:
                yield src.diag(
                    ("activities", closing[0], "date"),
                    "E503",
                    detail="closing_meeting_comes_before_starts",
                    value=closing[1].date,
                    kind=act.kind,
                    date=act.date,
                )
