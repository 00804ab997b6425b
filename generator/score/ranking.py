"""Across evaluations: rankings with ties (并列), grade distribution, change since last time.

A ranking orders by the system's ``ranking`` keys, one after another: ``vetoed`` (evaluations with a
veto found go after the others), ``grade`` (best band first), ``total`` and ``base`` (higher first).
Evaluations equal on every key share a rank, competition style (1, 1, 3).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model.evaluation import Evaluation, Party
from generator.model.publishing import RankingGroup, RankingSettings
from generator.model.stages import confirmed
from generator.model.system import IndicatorSystem
from generator.score.card import Scorecard

KEY_NAMES = {
    "vetoed": "一票否决的排在其余之后",
    "grade": "等级（高者在前）",
    "total": "总分（高者在前）",
    "base": "基础得分（高者在前）",
}
"""How each ranking key orders, in Chinese."""


@dataclass(frozen=True)
class RankOrder:
    """How a system ranks: its keys and its bands best first."""

    keys: tuple[str, ...] = ("vetoed", "grade", "total")
    """Ranking keys in order."""
    bands: tuple[str, ...] = ()
    """Grade names, best first (the ``grade`` key is skipped without them)."""

    @classmethod
    def of(cls, spec: IndicatorSystem) -> RankOrder:
        """The order a system states."""
        return cls(tuple(spec.ranking), tuple(g.name for g in spec.grades))

    @property
    def effective_keys(self) -> tuple[str, ...]:
        """The keys that apply (``grade`` only with bands)."""
        return tuple(k for k in self.keys if k != "grade" or self.bands)

    def key(self, card: Scorecard) -> tuple[float, ...]:
        """The sort key of a scorecard: smaller ranks first."""
        parts: list[float] = []
        for name in self.effective_keys:
            if name == "vetoed":
                parts.append(1 if card.vetoes else 0)
            elif name == "grade":
                parts.append(self.bands.index(card.grade) if card.grade in self.bands else len(self.bands))
            elif name == "total":
                parts.append(-card.total)
            else:
                parts.append(-card.base_total)
        return tuple(parts)

    def describe(self) -> str:
        """The order in one Chinese phrase, e.g. 依次按：一票否决的排在其余之后、等级（高者在前）…"""
        return "依次按：" + "、".join(KEY_NAMES[k] for k in self.effective_keys)


@dataclass(frozen=True)
class RankedEntry:
    """One evaluation's place in a ranking."""

    rank: int
    """1-based rank; evaluations equal on every ranking key share it and the next rank skips (1, 1, 3)."""
    tied: bool
    """True when another evaluation is equal on every ranking key."""
    evaluation_id: str
    """Evaluation id."""
    party: str
    """Evaluated party's name."""
    total: float
    """Total score."""
    grade: str
    """Grade."""
    vetoed: bool = False
    """True when a veto condition was found."""


@dataclass(frozen=True)
class Ranking:
    """Comparable evaluations that share a system, a period year and a group, ranked by the system's order."""

    system_id: str
    """Indicator system id."""
    year: int
    """Year the evaluation periods end in."""
    group: str | None
    """Name of the ranking group (``publishing.yaml``); None when no groups are configured."""
    entries: tuple[RankedEntry, ...]
    """Entries best first; ties ordered by evaluation id."""
    order: RankOrder = RankOrder()
    """How they were ordered."""
    unranked: tuple[RankedEntry, ...] = ()
    """Results listed without a place (not confirmed, when unconfirmed results are not ranked);
    their ``rank`` is 0."""
    average: float | None = None
    """Peer average: mean total of the ranked entries, unrounded (None when none is ranked)."""
    dimension_averages: tuple[tuple[str, float | None], ...] = ()
    """(dimension name, mean points of the ranked entries that have it, unrounded), in first-seen order."""


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
    orders: Mapping[str, RankOrder] | None = None,
) -> list[Ranking]:
    """Rankings per (system, year, group) in each system's order (``orders`` by system id; the
    default order where none is given), competition style: evaluations equal on every key share a rank.

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
        how = (orders or {}).get(system_id, RankOrder())
        ranked = [c for c in members if is_ranked(evaluations[c.evaluation_id], settings)]
        others = sorted((c for c in members if c not in ranked), key=lambda c: (how.key(c), c.evaluation_id))
        rankings.append(
            Ranking(
                system_id,
                year,
                group,
                tuple(_entry(place, tied, card, evaluations) for card, place, tied in places(ranked, how)),
                how,
                tuple(_entry(0, False, c, evaluations) for c in others),
                _mean([c.total for c in ranked]),
                _dimension_means(ranked),
            )
        )
    return rankings


def places(cards: Iterable[Scorecard], order: RankOrder) -> list[tuple[Scorecard, int, bool]]:
    """The cards best first by ``order``, each with its competition rank and whether it is tied."""
    ranked = sorted(cards, key=lambda c: (order.key(c), c.evaluation_id))
    keys = Counter(order.key(c) for c in ranked)
    found, previous, place = [], None, 0
    for i, card in enumerate(ranked, start=1):
        key = order.key(card)
        if key != previous:
            place, previous = i, key
        found.append((card, place, keys[key] > 1))
    return found


def _entry(place: int, tied: bool, card: Scorecard, evaluations: Mapping[str, Evaluation]) -> RankedEntry:
    party = evaluations[card.evaluation_id].evaluated.name
    return RankedEntry(place, tied, card.evaluation_id, party, card.total, card.grade, bool(card.vetoes))


def _mean(values: list[float]) -> float | None:
    """The arithmetic mean, unrounded: pages round it to the system's own decimals (a share on 0–1
    shown to four places must not be rounded to two first)."""
    return math.fsum(values) / len(values) if values else None


def _dimension_means(cards: list[Scorecard]) -> tuple[tuple[str, float | None], ...]:
    points: dict[str, list[float]] = {}
    for card in cards:
        for d in card.result.dimensions:  # the figures the ranking table shows
            found = points.setdefault(d.name, [])
            if d.points is not None:
                found.append(d.points)
    return tuple((name, _mean(values)) for name, values in points.items())


def grade_distribution(cards: Iterable[Scorecard]) -> dict[str, int]:
    """Number of evaluations per grade (those of systems without bands are not counted)."""
    return dict(Counter(card.grade for card in cards if card.grade))


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
