"""The stages of an evaluation (§8.1) and the records each one needs.

``stage`` names the last step the evaluation has completed. Claiming a stage therefore needs the
records of that step and of every step before it: an evaluation at 实施评价 has finished its
preparation and its §8.4 activities; one at 已提交 has also written its report and submitted it.
已确认 and 有异议 are alternatives at the same place in the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from generator.model.evaluation import DEFAULT_ACTIVITIES, Evaluation, Stage

STAGES: tuple[str, ...] = get_args(Stage)
"""Every stage, in the order of the process."""

FIRST = "准备中"
"""The stage of a new evaluation: no step completed yet, so every record is still a to-do."""

RANK: dict[str, int] = {
    FIRST: -1,
    "评价准备": 0,
    "建立评价指标体系": 1,
    "实施评价": 2,
    "完成评价": 3,
    "已提交": 4,
    "已确认": 5,
    "有异议": 5,
    "已发布": 6,
}
"""Place of each stage in the process; 已确认 and 有异议 share a place."""

ACTIVITIES: tuple[str, ...] = DEFAULT_ACTIVITIES
"""The activities of §8.4, in the order the standard lists them."""

MEETINGS = ("首次会议", "末次会议")
"""Activities that need attendees and minutes."""

NARRATIVE_REQUIRED = ("opinions", "suggestions")
"""Narrative files a completed evaluation must have: 指导意见 and 改进建议 (§8.5.1)."""


def reached(ev: Evaluation, stage: str) -> bool:
    """True when the evaluation's stage is at or past ``stage``."""
    return RANK[ev.stage] >= RANK[stage]


def required_activities(
    ev: Evaluation, system_activities: Sequence[str] | None
) -> tuple[tuple[str, ...], str]:
    """The activities 实施评价 needs (§8.4 "一般包括但不限于") and where the list comes from:
    the evaluation's plan, else its system's ``activities``, else the seven the standard lists."""
    if ev.plan.activities:
        return tuple(ev.plan.activities), "plan"
    if system_activities:
        return tuple(system_activities), "system"
    return ACTIVITIES, "standard"


@dataclass(frozen=True)
class TimelineStep:
    """One stage of the timeline a reader sees."""

    stage: str
    """Stage name."""
    date: dt.date | None
    """When it was completed, from the records; None when not recorded."""
    done: bool
    """True when the evaluation has reached this stage."""
    current: bool
    """True for the evaluation's present stage."""


def stage_dates(ev: Evaluation) -> dict[str, dt.date | None]:
    """The date each stage was completed, as the records show it."""
    acts = {a.kind: a for a in ev.activities}
    last_activity = max((a.end or a.date for a in ev.activities), default=None)
    draft = acts.get("评价初稿")
    conf = ev.confirmation
    objections = conf.objections if conf else []
    return {
        FIRST: None,
        "评价准备": max([ev.plan.approved, *(s.date for s in ev.sampling if s.date)]),
        "建立评价指标体系": ev.system.adopted,
        "实施评价": last_activity,
        "完成评价": (draft.end or draft.date) if draft else None,
        "已提交": ev.submission.date if ev.submission else None,
        "已确认": conf.date if conf and conf.status == "已确认" else None,
        "有异议": min((o.date for o in objections), default=None),
        "已发布": ev.published,
    }


def timeline(ev: Evaluation) -> list[TimelineStep]:
    """The stages in order with their dates; of 已确认 and 有异议 only those that happened (or 已确认)."""
    dates = stage_dates(ev)
    steps = []
    for stage in STAGES:
        if stage == FIRST:
            continue  # not a step of the process, only the time before its first one
        if stage == "有异议" and dates[stage] is None and ev.stage != "有异议":
            continue
        if stage == "已确认" and ev.stage == "有异议":
            continue
        done = RANK[ev.stage] >= RANK[stage] and not (
            stage == "已确认" and dates[stage] is None and ev.stage == "已发布"
        )
        steps.append(TimelineStep(stage, dates[stage] if done else None, done, stage == ev.stage))
    return steps


def confirmed(ev: Evaluation) -> bool:
    """True when the evaluated party has confirmed the result (§8.5.3)."""
    return ev.confirmation is not None and ev.confirmation.status == "已确认"
