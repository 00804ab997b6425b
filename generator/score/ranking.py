"""Across evaluations: rankings with ties (并列), grade distribution, change since last time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model.evaluation import Evaluation
from .card import Scorecard


@dataclass(frozen=True)
class RankedEntry:
    """One evaluation's place in a ranking."""

    rank: int
    """1-based rank; tied totals share the rank and the next rank skips (1, 1, 3)."""
    tied: bool
    """True when another evaluation has the same total."""
    evaluation_id: str
    """Evaluation id."""
    party: str
    """Evaluated party's name."""
    total: float
    """Total score."""
    grade: str
    """Grade."""


@dataclass(frozen=True)
class Ranking:
    """Evaluations that share a system and a period year, ranked by total."""

    system_id: str
    """Indicator system id."""
    year: int
    """Year the evaluation periods end in."""
    entries: tuple[RankedEntry, ...]
    """Entries best first; ties ordered by evaluation id."""


@dataclass(frozen=True)
class Delta:
    """Change of one evaluation against the same party's previous one."""

    evaluation_id: str
    """This evaluation."""
    previous_id: str
    """The previous evaluation of the same party."""
    total: float
    """Change of the total (this − previous)."""
    grade_from: str
    """Previous grade."""
    grade_to: str
    """This grade."""
    dimensions: tuple[tuple[str, str, float | None], ...]
    """(dimension id, name, change of points); None when either side is not applicable."""
    same_edition: bool
    """False when the two used different editions (compare with care, W704)."""


def rank(cards: Iterable[Scorecard], evaluations: Mapping[str, Evaluation]) -> list[Ranking]:
    """Rankings per (system, year), competition style: equal totals share a rank."""
    groups: dict[tuple[str, int], list[Scorecard]] = {}
    for card in cards:
        ev = evaluations[card.evaluation_id]
        groups.setdefault((card.system_id, ev.period.end.year), []).append(card)
    rankings = []
    for (system_id, year), members in sorted(groups.items()):
        members.sort(key=lambda c: (-c.total, c.evaluation_id))
        totals = Counter(c.total for c in members)
        entries, previous, place = [], None, 0
        for i, card in enumerate(members, start=1):
            if card.total != previous:
                place, previous = i, card.total
            entries.append(
                RankedEntry(
                    place,
                    totals[card.total] > 1,
                    card.evaluation_id,
                    evaluations[card.evaluation_id].evaluated.name,
                    card.total,
                    card.grade,
                )
            )
        rankings.append(Ranking(system_id, year, tuple(entries)))
    return rankings


def grade_distribution(cards: Iterable[Scorecard]) -> dict[str, int]:
    """Number of evaluations per grade."""
    return dict(Counter(card.grade for card in cards))


def previous_of(evaluation: Evaluation, evaluations: Mapping[str, Evaluation]) -> Evaluation | None:
    """The previous evaluation of the same party.

    The one named by ``previous``, else the latest that ended before this one started.
    """
    if evaluation.previous:
        return evaluations.get(evaluation.previous)
    earlier = [
        e
        for e in evaluations.values()
        if e.evaluated.name == evaluation.evaluated.name and e.period.end < evaluation.period.start
    ]
    return max(earlier, key=lambda e: e.period.end, default=None)


def previous_map(evaluations: Mapping[str, Evaluation]) -> dict[str, Evaluation | None]:
    """``previous_of`` for every evaluation, by id, each looking only among its own party's.

    Calling ``previous_of`` over all evaluations for each one is quadratic: with a thousand, a
    million steps.
    """
    parties: dict[str, dict[str, Evaluation]] = {}
    for key, ev in evaluations.items():
        parties.setdefault(ev.evaluated.name, {})[key] = ev
    return {
        key: previous_of(ev, evaluations if ev.previous else parties[ev.evaluated.name])
        for key, ev in evaluations.items()
    }


def delta(card: Scorecard, previous: Scorecard) -> Delta:
    """Score and grade change against the previous scorecard, per dimension of the result."""
    before = {d.id: d for d in previous.result.dimensions}
    dims = []
    for d in card.result.dimensions:
        old = before.get(d.id)
        change = (
            None if old is None or old.points is None or d.points is None else round(d.points - old.points, 2)
        )
        dims.append((d.id, d.name, change))
    return Delta(
        card.evaluation_id,
        previous.evaluation_id,
        round(card.total - previous.total, 2),
        previous.grade,
        card.grade,
        tuple(dims),
        card.system_edition == previous.system_edition,
    )


def history(
    party: str, cards: Mapping[str, Scorecard], evaluations: Mapping[str, Evaluation]
) -> list[Scorecard]:
    """A party's scorecards, oldest first."""
    mine = [e for e in evaluations.values() if e.evaluated.name == party and e.id in cards]
    return [cards[e.id] for e in sorted(mine, key=lambda e: e.period.end)]
