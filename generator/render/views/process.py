"""What a reader sees of the process: timeline, confirmation, score changes, samples, rectification.

Built from the public view of an evaluation (``render.public.public_view``) for the site and
public reports, so internal sample keys never reach a page; an internal build passes the loaded
evaluation as it is. Dates are judged as of the newest date recorded in the repository.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from generator.load.asof import evaluation_as_of
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import Evaluation, SampleRecord
from generator.model.stages import TimelineStep, confirmed, timeline
from generator.model.workdays import WorkCalendar
from generator.score.card import Measured, Scorecard
from generator.score.history import ScoreHistory, score_history
from generator.validate.process.rectification import (
    ItemProgress,
    carried_over,
    item_progress,
)


@dataclass(frozen=True)
class ChangeView:
    """A score change made because an objection was accepted."""

    objection: str
    """Objection id."""
    indicator: str
    """Indicator id."""
    name: str
    """Indicator name."""
    before: str
    """Observation first reported."""
    after: str
    """Observation now."""
    points_before: float | None
    """Points first reported."""
    points_after: float | None
    """Points now."""
    mode: str | None = None
    """Name of the evaluation mode whose score changed, when the system has several."""


@dataclass(frozen=True)
class SampleView:
    """A recorded draw of samples (§8.2), worded alike on the site and in the reports."""

    id: str
    """Sample id."""
    what: str
    """What was drawn."""
    method: str
    """The method in words: 简单随机抽样, or 分层随机抽样（按“部门”分层，按比例分配）."""
    size: int
    """Rows drawn."""
    seed: int
    """Seed: with the frame file, anyone can draw the same sample again."""
    strata: str
    """Rows per stratum, e.g. 个人类 16、企业类 10; empty for a simple draw."""
    frame: str
    """Frame file inside the evaluation folder; empty when the frame is internal."""
    sha256: str
    """SHA-256 of the frame file."""
    drawn: tuple[str, ...]
    """Keys drawn; empty when they stay internal."""


def sample_method(s: SampleRecord) -> str:
    """How the sample was drawn, as a reader reads it."""
    if s.method == "simple":
        return "简单随机抽样"
    return f"分层随机抽样（按“{s.by}”分层，按比例分配）" if s.by else "分层随机抽样（按比例分配）"


def sample_view(s: SampleRecord) -> SampleView:
    """A draw as the site and the reports show it (of a public view: internal keys already gone)."""
    strata = "、".join(f"{k} {v}" for k, v in s.strata.items())
    return SampleView(
        s.id, s.what, sample_method(s), s.size, s.seed, strata, s.frame, s.sha256, tuple(s.drawn)
    )


@dataclass(frozen=True)
class ProcessView:
    """The process facts of one evaluation."""

    stage: str
    """Current stage."""
    timeline: tuple[TimelineStep, ...]
    """Stages in order with dates."""
    confirmed: bool
    """True when the evaluated party confirmed; pages mark the result unconfirmed otherwise."""
    response_deadline: dt.date | None
    """Last day to confirm or object (submission + plan.response_days working days)."""
    changes: tuple[ChangeView, ...]
    """Score changes from accepted objections."""
    total_before: float | None
    """Total first reported, when an objection changed it."""
    grade_before: str | None
    """Grade first reported, when an objection changed the score."""
    samples: tuple[SampleView, ...]
    """Recorded draws."""
    rectification: tuple[ItemProgress, ...]
    """Items raised by this evaluation, as of ``as_of``."""
    previous_id: str | None
    """The previous evaluation of the same party, if it raised items."""
    carried: tuple[ItemProgress, ...]
    """The previous evaluation's items as they stood when this one reported."""
    as_of: dt.date | None
    """Reference date for overdue items."""


def _text(value: object) -> str:
    return "" if value is None else str(value)


def objection_changes(
    loaded: LoadedEvaluation,
    system: LoadedSystem | None,
    *,
    card: Scorecard | None = None,
    measured: Mapping[str, Measured] | None = None,
) -> tuple[ScoreHistory | None, tuple[ChangeView, ...]]:
    """The score's history through accepted objections and its changes as readers see them
    (each named by its mode when the system has several); (None, ()) when none changed a score."""
    history = score_history(loaded, system, card=card, measured=measured) if system is not None else None
    if history is None or system is None:
        return None, ()
    names = {m.id: m.name for m in system.system.modes}
    return history, tuple(
        ChangeView(
            c.objection,
            c.indicator,
            c.name,
            _text(c.before),
            _text(c.after),
            c.points_before,
            c.points_after,
            names.get(c.mode, c.mode) if c.mode else None,
        )
        for c in history.changes
    )


def process_view(
    loaded: LoadedEvaluation,
    evaluations: Mapping[str, Evaluation],
    *,
    system: LoadedSystem | None = None,
    card: Scorecard | None = None,
    measured: Mapping[str, Measured] | None = None,
    calendar: WorkCalendar | None = None,
    as_of: dt.date | None = None,
    previous: Mapping[str, Evaluation | None] | None = None,
) -> ProcessView:
    """The process view; pass ``system`` (and ``card``/``measured``) to show score changes in points.

    ``previous``: each evaluation's previous one (``score.ranking.previous_map``), when the caller
    has worked it out for many evaluations at once.
    """
    ev = loaded.evaluation
    day = as_of or evaluation_as_of(ev)
    history, changes = objection_changes(loaded, system, card=card, measured=measured)
    work = calendar or WorkCalendar()
    deadline = work.add(ev.submission.date, ev.plan.response_days) if ev.submission else None
    carried = carried_over(ev, evaluations, previous)
    own = tuple(item_progress(ev, item, day) for item in ev.rectification) if day else ()
    return ProcessView(
        stage=ev.stage,
        timeline=tuple(timeline(ev)),
        confirmed=confirmed(ev),
        response_deadline=deadline,
        changes=changes,
        total_before=history.total_before if history else None,
        grade_before=history.grade_before if history else None,
        samples=tuple(map(sample_view, ev.sampling)),
        rectification=own,
        previous_id=carried.previous_id if carried else None,
        carried=carried.items if carried else (),
        as_of=day,
    )
