"""Confirmation and objections (§8.5.3), the response window, publication.

An accepted objection must show what changed: each change names the indicator, the observation
before and after; the score file holds the "after" value, so the history can be re-scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic, Worded
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.load.schema_errors import suggestion
from generator.model.evaluation import Objection
from generator.model.stages import RANK
from generator.model.workdays import WorkCalendar
from generator.score.rules import Problem, evaluate

CONF = ("confirmation",)


def check_confirmation(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """The confirmation record the stage needs, consistent with the stage."""
    ev, src = loaded.evaluation, loaded.source
    if RANK[ev.stage] < RANK["已确认"]:
        return
    conf = ev.confirmation
    if conf is None:
        yield src.diag(("stage",), "E501", stage=ev.stage, detail="confirmation_record")
        return
    expected = {"已确认": ("已确认",), "有异议": ("有异议",), "已发布": ("已确认", "有异议")}[ev.stage]
    if conf.status not in expected:
        yield src.diag((*CONF, "status"), "E504", stage=ev.stage, status=conf.status)
    if conf.status == "已确认":
        for name, label in (("by", "确认人（confirmation.by）"), ("date", "确认日期（confirmation.date）")):
            if getattr(conf, name) is None:
                yield src.diag(
                    CONF, "E501", stage=ev.stage, what=label, detail="confirmation_field", name=name
                )
    if conf.status == "有异议" and not conf.objections:
        yield src.diag(CONF, "E501", stage=ev.stage, detail="objections")
    if ev.stage != "有异议":
        for i, obj in enumerate(conf.objections):
            if obj.response is None:
                yield src.diag((*CONF, "objections", i), "E505", id=obj.id, stage=ev.stage)


def check_publication(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """已发布 needs a publication date after submission; publishing unconfirmed is flagged."""
    ev, src = loaded.evaluation, loaded.source
    if ev.stage != "已发布":
        return
    if ev.published is None:
        yield src.diag(("stage",), "E501", stage=ev.stage, detail="published_date")
    elif ev.submission and ev.published < ev.submission.date:
        yield src.diag(("published",), "E503", detail="published_before_report_was_submitted")
    status = ev.confirmation.status if ev.confirmation else "待确认"
    if status != "已确认":
        yield src.diag(("confirmation", "status") if ev.confirmation else ("stage",), "W754", status=status)


def check_window(loaded: LoadedEvaluation, calendar: WorkCalendar, as_of: dt.date) -> Iterator[Diagnostic]:
    """Confirmation and objections within ``plan.response_days`` working days of submission."""
    ev, src = loaded.evaluation, loaded.source
    if ev.submission is None:
        return
    limit = ev.plan.response_days
    deadline = calendar.add(ev.submission.date, limit)
    conf = ev.confirmation
    dated: list[tuple[tuple[str | int, ...], dt.date, Worded]] = []
    if conf is not None:
        dated += [
            ((*CONF, "objections", i, "date"), o.date, Worded("late_objection", id=o.id))
            for i, o in enumerate(conf.objections)
        ]
        if conf.date is not None and not conf.objections:
            dated.append(((*CONF, "date"), conf.date, Worded("late_confirmation")))
    waiting = conf is None or (conf.status == "待确认" and not conf.objections)
    if waiting and ev.stage == "已提交":
        dated.append((("submission", "date"), as_of, Worded("late_no_confirmation")))
    for at, day, said in dated:
        if day > deadline:
            yield src.diag(
                at,
                "W752",
                what=said.said("what"),
                what_en=said.said("what_en"),
                date=day,
                deadline=deadline,
                limit=limit,
                days=calendar.between(deadline, day),
            )


def check_objections(loaded: LoadedEvaluation, system: LoadedSystem | None) -> Iterator[Diagnostic]:
    """Ids unique; indicators known; accepted ⇒ changes matching the score files; rejected ⇒ none."""
    conf = loaded.evaluation.confirmation
    if conf is None:
        return
    seen: set[str] = set()
    for i, obj in enumerate(conf.objections):
        at = (*CONF, "objections", i)
        if obj.id in seen:
            yield loaded.source.diag((*at, "id"), "E512", detail="objection_record", id=obj.id)
        seen.add(obj.id)
        if system is not None:
            yield from unknown_indicators(loaded, (*at, "indicators"), obj.indicators, system)
        yield from _changes(loaded, at, obj, system)


def unknown_indicators(
    loaded: LoadedEvaluation, at: tuple[str | int, ...], ids: list[str], system: LoadedSystem
) -> Iterator[Diagnostic]:
    """E403 for every id the system does not define."""
    known = list(system.index)
    for j, ind_id in enumerate(ids):
        if ind_id not in system.index:
            zh, en = suggestion(ind_id, known)
            yield loaded.source.diag((*at, j), "E403", id=ind_id, suggestion_zh=zh, suggestion_en=en)


def _changes(
    loaded: LoadedEvaluation, at: tuple[str | int, ...], obj: Objection, system: LoadedSystem | None
) -> Iterator[Diagnostic]:
    src, response = loaded.source, obj.response
    if response is None:
        return
    if response.decision == "不采纳" and response.changes:
        yield _e506(loaded, (*at, "response", "changes"), obj, Worded("objection_rejected_with_changes"))
    if response.decision == "采纳" and not response.changes:
        yield _e506(loaded, (*at, "response"), obj, Worded("objection_accepted_without_changes"))
    current = _current_observations(loaded)
    for k, change in enumerate(response.changes):
        where = (*at, "response", "changes", k)
        if change.indicator not in obj.indicators:
            yield _e506(
                loaded,
                (*where, "indicator"),
                obj,
                Worded("objection_change_not_objected", id=change.indicator),
            )
        if change.before == change.after:
            yield _e506(loaded, where, obj, Worded("objection_change_unchanged", id=change.indicator))
        if system is not None and change.indicator not in system.index:
            continue
        now = current.get((change.mode, change.indicator))
        node = system.index.get(change.indicator) if system is not None else None
        if now is not None and not _same(now, change.after, node):
            yield src.diag(
                (*where, "after"),
                "E507",
                id=obj.id,
                indicator=change.indicator,
                after=change.after,
                current=now,
            )


def _e506(loaded: LoadedEvaluation, at: tuple[str | int, ...], obj: Objection, said: Worded) -> Diagnostic:
    return loaded.source.diag(at, "E506", id=obj.id, detail_zh=said.zh, detail_en=said.en, hint=said.hint)


def _current_observations(loaded: LoadedEvaluation) -> dict[tuple[str | None, str], Any]:
    """(mode, indicator) → observation now in the score files."""
    out: dict[tuple[str | None, str], Any] = {}
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            out.setdefault((score_file.scores.mode, ind_id), entry.observation)
    return out


def _same(a: Any, b: Any, node: Any = None) -> bool:
    """Equal, treating 1 and 1.0 alike, and two spellings of one observation alike (是 and 达标,
    ``"90%"`` and 0.9): under the indicator's rule (``node``) they score and read the same."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    if a == b:
        return True
    rule = getattr(getattr(node, "indicator", None), "rule", None)
    if rule is None:
        return False
    try:
        one, other = (evaluate(rule, node.weight, x) for x in (a, b))
    except Problem:
        return False  # an observation the rule refuses is reported where it stands (E405)
    return (one.fraction, one.text) == (other.fraction, other.text)
