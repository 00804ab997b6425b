"""Across evaluations: rankings with ties (并列), grade distribution, change since last time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model.evaluation import Evaluation, Party
from ..model.publishing import RankingGroup, RankingSettings
from ..process.stages import confirmed
from .card import Scorecard
from .rounding import round_half_up


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
    """Comparable evaluations that share a system, a period year and a group, ranked by total."""

    system_id: str
    """Indicator system id."""
    year: int
    """Year the evaluation periods end in."""
    group: str | None
    """Name of the ranking group (``publishing.yaml``); None when no groups are configured."""
    entries: tuple[RankedEntry, ...]
    """Entries best first; ties ordered by evaluation id."""
    unranked: tuple[RankedEntry, ...] = ()
    """Results listed without a place (not confirmed, when unconfirmed results are not ranked);
    their ``rank`` is 0."""
    average: float | None = None
    """Peer average: mean total of the ranked entries (None when none is ranked)."""
    dimension_averages: tuple[tuple[str, float | None], ...] = ()
    """(dimension name, mean points of the ranked entries that have it), in first-seen order."""


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


OTHERS = "其他"
"""The group of evaluations that fit none of the configured groups."""


def ranking_group(party: Party, groups: Sequence[RankingGroup]) -> str | None:
    """The first configured group the evaluated party fits; ``OTHERS`` when none; None without groups."""
    if not groups:
        return None
    for g in groups:
        if (not g.levels or party.level in g.levels) and (not g.kinds or party.kind in g.kinds):
            return g.name
    return OTHERS


def is_ranked(evaluation: Evaluation, settings: RankingSettings) -> bool:
    """True when the evaluation takes a place: confirmed (§8.5.3), or unconfirmed results are ranked."""
    return settings.unconfirmed or confirmed(evaluation)


def rank(
    cards: Iterable[Scorecard],
    evaluations: Mapping[str, Evaluation],
    settings: RankingSettings | None = None,
) -> list[Ranking]:
    """Rankings per (system, year, group), competition style: equal totals share a rank.

    The one ranking of the project: the site's ranking pages, the open data and the badges read it.
    """
    settings = settings or RankingSettings()
    groups: dict[tuple[str, int, str | None], list[Scorecard]] = {}
    for card in cards:
        ev = evaluations[card.evaluation_id]
        key = (card.system_id, ev.period.end.year, ranking_group(ev.evaluated, settings.groups))
        groups.setdefault(key, []).append(card)
    order = {g.name: i for i, g in enumerate(settings.groups)}
    rankings = []
    for (system_id, year, group), members in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], order.get(kv[0][2] or "", len(order)))
    ):
        members.sort(key=lambda c: (-c.total, c.evaluation_id))
        ranked = [c for c in members if is_ranked(evaluations[c.evaluation_id], settings)]
        others = [c for c in members if c not in ranked]
        rankings.append(
            Ranking(
                system_id,
                year,
                group,
                _places(ranked, evaluations),
                tuple(_entry(0, False, c, evaluations) for c in others),
                _mean([c.total for c in ranked]),
                _dimension_means(ranked),
            )
        )
    return rankings


def _places(members: list[Scorecard], evaluations: Mapping[str, Evaluation]) -> tuple[RankedEntry, ...]:
    totals = Counter(c.total for c in members)
    entries, previous, place = [], None, 0
    for i, card in enumerate(members, start=1):
        if card.total != previous:
            place, previous = i, card.total
        entries.append(_entry(place, totals[card.total] > 1, card, evaluations))
    return tuple(entries)


def _entry(place: int, tied: bool, card: Scorecard, evaluations: Mapping[str, Evaluation]) -> RankedEntry:
    party = evaluations[card.evaluation_id].evaluated.name
    return RankedEntry(place, tied, card.evaluation_id, party, card.total, card.grade)


def _mean(values: list[float]) -> float | None:
    return round_half_up(sum(values) / len(values), 2) if values else None


def _dimension_means(cards: list[Scorecard]) -> tuple[tuple[str, float | None], ...]:
    points: dict[str, list[float]] = {}
    for card in cards:
        for d in card.result.dimensions:  # the figures the ranking table shows
            found = points.setdefault(d.name, [])
            if d.points is not None:
                found.append(d.points)
    return tuple((name, _mean(values)) for name, values in points.items())


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
