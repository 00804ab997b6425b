"""Rectification (整改, 改进提高): items from the suggestions, overdue checks, progress per party.

Dates are judged "as of" a day taken from the content, never from the wall clock, so a build and
its tests give the same result on any day; and from the evaluated party's own records only: each
evaluation's day is its ``as_of``, else its newest recorded date (``evaluation_as_of``), and a
party's items are judged as of the latest such day among its evaluations (``as_of_by_party``: a
later evaluation of the same party re-examines the earlier one's items). Another party's
evaluation never moves it, so merging one evaluation changes no other party's page or checks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import get_args

from generator.diagnostics import Diagnostic, Worded
from generator.load.asof import (
    party_as_of,
    recorded_dates,
)
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import Evaluation, RectificationItem, RectificationStatus
from generator.score.ranking import previous_of
from generator.validate.process.confirmation import unknown_indicators

STATUSES: tuple[str, ...] = get_args(RectificationStatus)
"""未开始, 整改中, 已完成, 已验证."""
CLOSED = ("已完成", "已验证")
"""Statuses that count as closed."""


def check_as_of(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """W770 when the declared ``as_of`` is earlier than a date the evaluation records."""
    ev = loaded.evaluation
    recorded = max(recorded_dates(ev))
    if ev.as_of is not None and ev.as_of < recorded:
        yield loaded.source.diag(("as_of",), "W770", as_of=ev.as_of, recorded=recorded)


def overdue_days(item: RectificationItem, as_of: dt.date) -> int:
    """Days past the due date of an item still open; 0 when closed or not yet due."""
    if item.status in CLOSED:
        return 0
    return max((as_of - item.due).days, 0)


def check_rectification(
    loaded: LoadedEvaluation, system: LoadedSystem | None, as_of: dt.date | None, evaluations: frozenset[str]
) -> Iterator[Diagnostic]:
    """Ids unique, indicators known, closed items dated and verified, overdue items flagged."""
    src, seen = loaded.source, set()
    for i, item in enumerate(loaded.evaluation.rectification):
        at = ("rectification", i)
        if item.id in seen:
            yield src.diag((*at, "id"), "E512", detail="rectification_item", id=item.id)
        seen.add(item.id)
        if system is not None:
            yield from unknown_indicators(loaded, (*at, "indicators"), item.indicators, system)
        for key, said in _incomplete(item, evaluations):
            yield src.diag(
                (*at, key), "E511", id=item.id, detail_zh=said.zh, detail_en=said.en, hint=said.hint
            )
        days = overdue_days(item, as_of) if as_of else 0
        if days:
            yield src.diag(
                (*at, "due"), "W753", id=item.id, days=days, due=item.due, status=item.status, as_of=as_of
            )


def _incomplete(item: RectificationItem, evaluations: frozenset[str]) -> Iterator[tuple[str, Worded]]:
    if item.status in CLOSED and item.done is None:
        yield "status", Worded("rectification_closed_without_done", status=item.status)
    if item.status == "已验证" and item.verification is None:
        yield "status", Worded("rectification_verified_without_record")
    if item.verification is not None and item.status != "已验证":
        yield "verification", Worded("rectification_record_not_verified", status=item.status)
    if item.done and item.verification and item.verification.date < item.done:
        yield "verification", Worded("rectification_verified_before_done")
    named = item.verification.evaluation if item.verification else None
    if named and named not in evaluations:
        yield "verification", Worded("rectification_evaluation_unknown", name=named)


@dataclass(frozen=True)
class ItemProgress:
    """One rectification item with where it came from and how it stands."""

    evaluation_id: str
    """The evaluation whose suggestions raised it."""
    item: RectificationItem
    """The item."""
    status: str
    """Its status as of the reference date."""
    overdue_days: int
    """Days past due while open; 0 otherwise."""
    closed_in: str | None
    """Evaluation during which it was verified, if recorded."""

    @property
    def closed(self) -> bool:
        """True when completed or verified."""
        return self.status in CLOSED


@dataclass(frozen=True)
class PartyProgress:
    """Rectification progress of one evaluated party across its evaluations."""

    party: str
    """Evaluated party's name."""
    as_of: dt.date | None
    """Reference date of the overdue figures."""
    items: tuple[ItemProgress, ...]
    """Every item, oldest evaluation first, in file order."""

    @property
    def counts(self) -> dict[str, int]:
        """Items per status, every status listed."""
        found = Counter(p.status for p in self.items)
        return {s: found.get(s, 0) for s in STATUSES}

    @property
    def closed(self) -> int:
        """Items completed or verified."""
        return sum(p.closed for p in self.items)

    @property
    def overdue(self) -> int:
        """Open items past their due date."""
        return sum(p.overdue_days > 0 for p in self.items)

    @property
    def share_closed(self) -> float | None:
        """Closed items as a fraction of all; None without items."""
        return self.closed / len(self.items) if self.items else None


def status_on(item: RectificationItem, day: dt.date) -> str:
    """The item's status on a given day, from its dates (a later status is not yet known then)."""
    if item.verification and item.verification.date <= day and item.status == "已验证":
        return "已验证"
    if item.done and item.done <= day and item.status in CLOSED:
        return "已完成"
    return "整改中" if item.status in CLOSED else item.status


def item_progress(ev: Evaluation, item: RectificationItem, day: dt.date) -> ItemProgress:
    """One item of ``ev`` as it stood on ``day``."""
    status = status_on(item, day)
    days = max((day - item.due).days, 0) if status not in CLOSED else 0
    closed_in = item.verification.evaluation if item.verification else None
    return ItemProgress(ev.id, item, status, days, closed_in)


def progress(party: str, evaluations: Iterable[Evaluation], *, as_of: dt.date | None = None) -> PartyProgress:
    """Every item of the party's evaluations as of ``as_of`` (default: ``party_as_of``)."""
    every = list(evaluations)
    day = as_of or party_as_of(party, every)
    mine = sorted((e for e in every if e.evaluated.name == party), key=lambda e: e.period.end)
    items = tuple(item_progress(e, item, day) for e in mine for item in e.rectification) if day else ()
    return PartyProgress(party, day, items)


@dataclass(frozen=True)
class CarriedOver:
    """The previous evaluation's items as they stood when this one reported (submission, else period end)."""

    previous_id: str
    """The previous evaluation of the same party."""
    items: tuple[ItemProgress, ...]
    """Its items, status as of this evaluation's period end."""

    @property
    def closed(self) -> tuple[ItemProgress, ...]:
        """Items closed by then."""
        return tuple(p for p in self.items if p.closed)

    @property
    def still_open(self) -> tuple[ItemProgress, ...]:
        """Items still open then."""
        return tuple(p for p in self.items if not p.closed)


def carried_over(
    ev: Evaluation,
    evaluations: Mapping[str, Evaluation],
    previous: Mapping[str, Evaluation | None] | None = None,
) -> CarriedOver | None:
    """Which of the previous evaluation's items were closed by the end of this one; None without one.

    ``previous``: ``score.ranking.previous_map`` of ``evaluations``, if the caller has it.
    """
    before = previous[ev.id] if previous is not None else previous_of(ev, evaluations)
    if before is None or before.id == ev.id or not before.rectification:
        return None
    day = max(ev.period.end, ev.submission.date) if ev.submission else ev.period.end  # what its report states
    return CarriedOver(before.id, tuple(item_progress(before, item, day) for item in before.rectification))
