"""The day an evaluation's records speak for ("as of"), taken from the content, never the clock.

Each evaluation's day is its ``as_of``, else its newest recorded date (``evaluation_as_of``); a
party's day is the latest among its evaluations (``as_of_by_party``). Read once when the repository
is loaded (``load.repository.Repository.as_of``); rectification and the pages judge overdue items by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from generator.model.evaluation import Evaluation


def recorded_dates(ev: Evaluation) -> Iterator[dt.date]:
    """Every date an evaluation records about its own progress."""
    yield ev.period.end
    yield from (d for d in (ev.published, ev.submission.date if ev.submission else None) if d)
    if ev.confirmation:
        yield from (d for d in [ev.confirmation.date] if d)
        for o in ev.confirmation.objections:
            yield o.date
            if o.response:
                yield o.response.date
    for item in ev.rectification:
        yield from (d for d in (item.done, item.verification.date if item.verification else None) if d)


def repository_as_of(evaluations: Iterable[Evaluation]) -> dt.date | None:
    """The newest date recorded in any evaluation: the build's date stamp when git gives none
    (``build.output.build_epoch``). No page or check is judged as of it."""
    return max((evaluation_as_of(ev) for ev in evaluations), default=None)


def evaluation_as_of(ev: Evaluation) -> dt.date:
    """The day an evaluation's records speak for: its ``as_of``, else the newest date it records
    (a declared day earlier than a recorded one gives way to it; ``zwpj check`` warns, W770)."""
    recorded = max(recorded_dates(ev))
    return max(ev.as_of, recorded) if ev.as_of else recorded


def as_of_by_party(evaluations: Iterable[Evaluation]) -> dict[str, dt.date]:
    """Each evaluated party's day: the latest ``evaluation_as_of`` among its evaluations."""
    found: dict[str, dt.date] = {}
    for ev in evaluations:
        day = evaluation_as_of(ev)
        name = ev.evaluated.name
        found[name] = max(found.get(name, day), day)
    return found


def party_as_of(party: str, evaluations: Iterable[Evaluation]) -> dt.date | None:
    """The latest ``evaluation_as_of`` among one party's evaluations."""
    return as_of_by_party(e for e in evaluations if e.evaluated.name == party).get(party)
