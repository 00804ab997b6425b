"""Rectification progress, the score's history through objections, the stage timeline, working days."""

from __future__ import annotations

import datetime as dt

import pytest
from testpaths import FIXTURES

from generator.load.asof import repository_as_of
from generator.load.repository import LoadedEvaluation
from generator.model.evaluation import Evaluation, RectificationItem, Verification
from generator.model.stages import timeline
from generator.model.workdays import WorkCalendar
from generator.pipeline import check
from generator.score.history import score_history
from generator.validate.process.rectification import (
    carried_over,
    overdue_days,
    progress,
    status_on,
)

BASE = FIXTURES / "process" / "base"
D = dt.date


@pytest.fixture(scope="module")
def loaded() -> LoadedEvaluation:
    return check(BASE).repo.evaluations[0]


def _item(
    id: str, status: str, due: dt.date, done: dt.date | None = None, verified: dt.date | None = None
) -> RectificationItem:
    verification = Verification(by="评价机构", date=verified, how="复核") if verified else None
    return RectificationItem(
        id=id,
        suggestion="s",
        owner="o",
        due=due,
        status=status,
        done=done,  # type: ignore[arg-type]
        verification=verification,
    )


def _earlier(ev: Evaluation) -> Evaluation:
    """A 2023 evaluation of the same party with three items, as they stand now."""
    items = [
        _item("R1", "已验证", D(2024, 6, 30), D(2024, 5, 20), D(2024, 11, 20)),
        _item("R2", "已完成", D(2024, 6, 30), D(2024, 12, 10)),
        _item("R3", "整改中", D(2024, 9, 30)),
    ]
    period = ev.period.model_copy(update={"start": D(2023, 11, 1), "end": D(2023, 11, 30)})
    cleared = dict.fromkeys(("previous", "published", "submission", "confirmation"))
    return ev.model_copy(update={"id": "2023-demo", "period": period, "rectification": items, **cleared})


def test_as_of_is_the_newest_recorded_date(loaded: LoadedEvaluation) -> None:
    assert repository_as_of([loaded.evaluation]) == D(2024, 12, 27)
    assert repository_as_of([]) is None


@pytest.mark.parametrize(
    ("status", "due", "as_of", "days"),
    [
        ("整改中", D(2024, 12, 1), D(2024, 12, 27), 26),
        ("未开始", D(2024, 12, 27), D(2024, 12, 27), 0),
        ("已完成", D(2024, 1, 1), D(2024, 12, 27), 0),
        ("已验证", D(2024, 1, 1), D(2024, 12, 27), 0),
    ],
)
def test_overdue_days(status: str, due: dt.date, as_of: dt.date, days: int) -> None:
    assert overdue_days(_item("R", status, due), as_of) == days


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (D(2024, 5, 1), "整改中"),
        (D(2024, 5, 20), "已完成"),
        (D(2024, 11, 19), "已完成"),
        (D(2024, 11, 20), "已验证"),
    ],
)
def test_status_on_a_day_follows_the_dates(day: dt.date, status: str) -> None:
    assert status_on(_item("R", "已验证", D(2024, 6, 30), D(2024, 5, 20), D(2024, 11, 20)), day) == status


def test_progress_per_party(loaded: LoadedEvaluation) -> None:
    now = loaded.evaluation
    found = progress(now.evaluated.name, [_earlier(now), now])
    assert found.as_of == D(2024, 12, 27)
    assert [(p.evaluation_id, p.item.id, p.status, p.overdue_days) for p in found.items] == [
        ("2023-demo", "R1", "已验证", 0),
        ("2023-demo", "R2", "已完成", 0),
        ("2023-demo", "R3", "整改中", 88),
        ("2024-demo", "R1", "已验证", 0),
        ("2024-demo", "R2", "整改中", 0),
    ]
    assert found.counts == {"未开始": 0, "整改中": 2, "已完成": 1, "已验证": 2}
    assert (found.closed, found.overdue, found.share_closed) == (3, 1, 0.6)
    assert progress("别的单位", [now]).items == ()


def test_the_next_evaluation_shows_what_was_closed(loaded: LoadedEvaluation) -> None:
    now = loaded.evaluation.model_copy(update={"previous": "2023-demo"})
    before = _earlier(now)
    carried = carried_over(now, {before.id: before, now.id: now})
    assert carried is not None and carried.previous_id == "2023-demo"
    # as of the 2024 report (submitted 2024-12-06): R2 was finished only on 2024-12-10
    assert [p.item.id for p in carried.closed] == ["R1"]
    assert [(p.item.id, p.status) for p in carried.still_open] == [("R2", "整改中"), ("R3", "整改中")]
    assert carried_over(before, {before.id: before}) is None


def test_score_history_shows_the_accepted_objection(loaded: LoadedEvaluation) -> None:
    repo = check(BASE).repo
    system = repo.system_for(loaded.evaluation)
    assert system is not None
    history = score_history(loaded, system)
    assert history is not None
    assert (history.total_before, history.total_after) == (80.0, 90.0)
    assert (history.grade_before, history.grade_after) == ("合格", "优秀")
    (change,) = history.changes
    assert (change.objection, change.indicator, change.before, change.after) == ("O1", "A2", "良", "优")
    assert (change.points_before, change.points_after) == (20.0, 30.0)


def test_no_history_without_accepted_changes(loaded: LoadedEvaluation) -> None:
    system = check(BASE).repo.system_for(loaded.evaluation)
    assert system is not None
    bare = loaded.evaluation.model_copy(update={"confirmation": None})
    assert (
        score_history(
            LoadedEvaluation(loaded.folder, loaded.rel, bare, loaded.source, loaded.score_files), system
        )
        is None
    )


def test_timeline_of_a_published_evaluation(loaded: LoadedEvaluation) -> None:
    steps = [(s.stage, s.date, s.done, s.current) for s in timeline(loaded.evaluation)]
    assert steps == [
        ("评价准备", D(2024, 11, 1), True, False),
        ("建立评价指标体系", D(2024, 10, 30), True, False),
        ("实施评价", D(2024, 11, 29), True, False),
        ("完成评价", D(2024, 11, 29), True, False),
        ("已提交", D(2024, 12, 6), True, False),
        ("已确认", D(2024, 12, 19), True, False),
        ("有异议", D(2024, 12, 12), True, False),
        ("已发布", D(2024, 12, 27), True, True),
    ]


def test_timeline_of_a_submitted_evaluation(loaded: LoadedEvaluation) -> None:
    ev = loaded.evaluation.model_copy(update={"stage": "已提交", "confirmation": None, "published": None})
    steps = [(s.stage, s.done, s.current) for s in timeline(ev)]
    assert steps == [
        ("评价准备", True, False),
        ("建立评价指标体系", True, False),
        ("实施评价", True, False),
        ("完成评价", True, False),
        ("已提交", True, True),
        ("已确认", False, False),
        ("已发布", False, False),
    ]


CALENDAR = WorkCalendar(
    holidays=frozenset({D(2024, 10, 1), D(2024, 10, 2)}), workdays=frozenset({D(2024, 10, 12)})
)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (D(2024, 12, 6), 10, D(2024, 12, 20)),  # Friday + 10 working days = two weeks later
        (D(2024, 12, 7), 1, D(2024, 12, 9)),  # from a Saturday
        (D(2024, 9, 30), 1, D(2024, 10, 3)),  # over two holidays
        (D(2024, 10, 11), 1, D(2024, 10, 12)),  # a make-up Saturday counts
    ],
)
def test_working_days(start: dt.date, days: int, end: dt.date) -> None:
    assert CALENDAR.add(start, days) == end
    assert CALENDAR.between(start, end) == days
