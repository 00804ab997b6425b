"""Records each stage needs: preparation (§8.2), implementation (§8.4), completion (§8.5.1–8.5.2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.diagnostics import Diagnostic, diag
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import Activity, Evaluation
from generator.validate.process.stages import MEETINGS, NARRATIVE_REQUIRED, reached, required_activities

BEFORE_CLOSING = ("文件评审", "现场评价", "信息收集与验证", "形成评价意见")
"""Activities that start before the closing meeting (§8.4)."""


def _missing(
    loaded: LoadedEvaluation, at: tuple[str | int, ...], what: str, what_en: str, hint: str
) -> Diagnostic:
    stage = loaded.evaluation.stage
    return loaded.source.diag(at, "E501", stage=stage, what=what, what_en=what_en, hint=hint)


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
            yield _missing(loaded, (name,), label, name, f"填写 {name}（§8.2）。")
    if not ev.places:
        yield _missing(
            loaded, ("stage",), "评价地点（places）", "places", "在 places 中列出现场评价地点（§8.2）。"
        )
    if not ev.schedule:
        yield _missing(
            loaded, ("stage",), "日程安排（schedule）", "a schedule", "在 schedule 中列出日程（§8.2）。"
        )
    if not (ev.plan.confidentiality or "").strip():
        yield _missing(
            loaded,
            ("plan",),
            "保密和信息安全措施（plan.confidentiality）",
            "confidentiality measures",
            "在评价方案中写明保密要求和信息安全措施（§8.2）。",
        )
    for i, person in enumerate(ev.team):
        if not (person.duties or "").strip():
            yield _missing(
                loaded,
                ("team", i),
                f"{person.name}的分工（duties）",
                f"duties of {person.id}",
                "为工作组每位成员写明分工（§8.2）。",
            )
    if not ev.sampling:
        yield _missing(
            loaded,
            ("stage",),
            "样本及电子材料的抽取记录（sampling）",
            "sampling records",
            "用 zwpj sample 从抽样框抽取样本并记录（§8.2）。",
        )


def check_indicator_system(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.1, §8.3: when and how the work group established the indicator system for this evaluation."""
    ev = loaded.evaluation
    if ev.system.adopted is None:
        yield _missing(
            loaded,
            ("system",),
            "确定指标体系的日期（system.adopted）",
            "system.adopted",
            "在 system 中写明 adopted: 确定本次评价所用指标体系的日期（§8.1）。",
        )
    if not (ev.system.record or "").strip():
        yield _missing(
            loaded,
            ("system",),
            "建立评价指标体系的记录（system.record）",
            "system.record",
            "把指标体系适用性确认记录（适用与不适用的指标、调整及理由，§8.3）放入评价文件夹，"
            "在 system.record 中填写路径。",
        )


def check_implementation(loaded: LoadedEvaluation, system: LoadedSystem | None) -> Iterator[Diagnostic]:
    """§8.4: every planned activity recorded; the two meetings (when held) with attendees and minutes."""
    ev = loaded.evaluation
    present = [a.kind for a in ev.activities]
    required, origin = required_activities(ev, system.system.activities if system else None)
    where = {"plan": "评价方案（plan.activities）", "system": "指标体系（activities）", "standard": "§8.4"}[
        origin
    ]
    for kind in required:
        if kind not in present:
            close = difflib.get_close_matches(
                kind, [k for k in present if k not in required], n=1, cutoff=0.6
            )
            typo = f"（已记录的“{close[0]}”是否是它的笔误？）" if close else ""
            yield _missing(
                loaded,
                ("activities",) if ev.activities else ("stage",),
                f"“{kind}”的活动记录（{where}要求）",
                f"a record of {kind}",
                f"在 activities 中添加 kind: {kind} 的记录{typo}；"
                "不开展的活动，在评价方案的 plan.activities 中列出实际安排的活动（§8.4“一般包括但不限于”）。",
            )
    for i, act in enumerate(ev.activities):
        if act.kind not in MEETINGS:
            continue
        if not act.attendees:
            yield _missing(
                loaded,
                ("activities", i),
                f"{act.kind}的参加人员（attendees）",
                f"attendees of {act.kind}",
                "列出参加会议人员的编号。",
            )
        if not act.minutes:
            yield _missing(
                loaded,
                ("activities", i),
                f"{act.kind}纪要（minutes）",
                f"minutes of {act.kind}",
                "把会议纪要放入评价文件夹，并在 minutes 中填写路径。",
            )


def check_completion(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.5.1: the report's guidance (指导意见) and suggestions (改进建议) are written."""
    for name in NARRATIVE_REQUIRED:
        if not loaded.narrative.get(name, "").strip():
            yield _missing(
                loaded, ("stage",), f"{name}.md", f"{name}.md", f"在评价文件夹中撰写 {name}.md（§8.5.1）。"
            )


def check_submission(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """§8.5.2: the report was submitted, late submission a warning with the days late."""
    ev = loaded.evaluation
    if ev.submission is None:
        yield _missing(
            loaded,
            ("stage",),
            "报告提交记录（submission）",
            "a submission record",
            "填写 submission 的 date 和 to（§8.5.2）。",
        )
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
