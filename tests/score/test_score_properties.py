"""Scoring invariants over random small indicator trees (hypothesis).

- improving one observation (or one rater's) never lowers the total;
- the total stays within [0, scale + bonus_cap], and the base within [0, scale];
- marking an indicator N/A leaves the others' relative weights as designed: every effective weight
  matches an exact re-computation of the documented rule to within the rounding unit per level,
  and weights outside the affected subtree do not move at all;
- the dimensions' points add up to base_total, and every parent's to the sum of its children's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_cases.build import by_id, entry, leaf, node, score, system

from generator.load.repository import LoadedSystem
from generator.model.evaluation import ScoreEntry
from generator.model.system import Indicator
from generator.score.card import Scorecard

SATISFACTION = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"]
"""Worst first, so moving a count right is an improvement."""
RATERS = ["rater-a", "rater-b", "rater-c"]

Improve = Callable[[Any], Any]


@dataclass
class Case:
    """A random system, observations per leaf, and how to improve each leaf's observation."""

    loaded: LoadedSystem
    observations: dict[str, Any]
    improvers: dict[str, Improve] = field(default_factory=dict)
    weighted: list[str] = field(default_factory=list)
    """Leaves with a weight above 0 (candidates for N/A)."""

    def entries(self, overrides: dict[str, Any] | None = None) -> dict[str, ScoreEntry]:
        found = {**self.observations, **(overrides or {})}
        return {k: v if isinstance(v, ScoreEntry) else _entry(v) for k, v in found.items()}


def _entry(observation: Any) -> ScoreEntry:
    if isinstance(observation, Rated):
        return entry(ratings=dict(zip(RATERS, observation.values, strict=False)))
    return entry(observation)


@dataclass(frozen=True)
class Rated:
    """Several raters' observations of one leaf."""

    values: tuple[Any, ...]


def _leaf_kind(draw: st.DrawFn, ind_id: str, weight: int) -> tuple[Indicator, Any, Improve]:
    """A leaf of a random kind, an observation for it and a function that makes that observation better."""
    kind = draw(st.sampled_from(["binary", "levels", "ratio_up", "ratio_down", "deduction", "satisfaction"]))
    if kind == "binary":
        return leaf(ind_id, weight, {"kind": "binary"}), draw(st.booleans()), lambda _: True
    if kind == "levels":
        names = ["差", "中", "优"]
        rule = {
            "kind": "levels",
            "levels": [
                {"name": "优", "points": weight},
                {"name": "中", "points": weight * 0.6},
                {"name": "差", "points": 0},
            ],
        }
        return (
            leaf(ind_id, weight, rule),
            draw(st.sampled_from(names)),
            lambda o: names[min(names.index(o) + 1, 2)],
        )
    if kind == "ratio_up":
        floor, target = draw(st.integers(0, 50)), draw(st.integers(60, 100))
        rule = {"kind": "ratio", "unit": "percent", "floor": floor, "target": target}
        step = draw(st.integers(1, 300)) / 10
        return (
            leaf(ind_id, weight, rule),
            draw(st.integers(0, 1000)) / 10,
            lambda o: min(100.0, round(o + step, 1)),
        )
    if kind == "ratio_down":
        rule = {"kind": "ratio", "unit": "hours", "floor": 24, "target": 4}
        step = draw(st.integers(1, 100)) / 10
        return (
            leaf(ind_id, weight, rule),
            draw(st.integers(0, 480)) / 10,
            lambda o: max(0.0, round(o - step, 1)),
        )
    if kind == "deduction":
        rule = {
            "kind": "deduction",
            "items": [
                {"id": "x", "name": "问题甲", "points": 0.5, "cap": weight},
                {"id": "y", "name": "问题乙", "points": 1.5, "cap": 2},
            ],
        }
        counts = {"x": draw(st.integers(0, 12)), "y": draw(st.integers(0, 3))}
        return leaf(ind_id, weight, rule), counts, lambda o: {**o, "x": max(0, o["x"] - 1)}
    levels = dict(zip(SATISFACTION, (0, 30, 60, 80, 100), strict=True))
    counts = draw(st.lists(st.integers(0, 20), min_size=5, max_size=5).filter(any))
    return (
        leaf(ind_id, weight, {"kind": "satisfaction", "levels": levels}),
        dict(zip(SATISFACTION, counts, strict=True)),
        _happier,
    )


def _happier(counts: dict[str, int]) -> dict[str, int]:
    """Move one rating up a level (the first one that can move)."""
    out = dict(counts)
    for low, high in itertools.pairwise(SATISFACTION):
        if out[low]:
            out[low] -= 1
            out[high] += 1
            break
    return out


def _extras(draw: st.DrawFn, ind_id: str) -> tuple[Indicator, Any, Improve]:
    """A weight-0 leaf: a veto (not about points) or a bonus (more is better)."""
    if draw(st.booleans()):
        return leaf(ind_id, 0, {"kind": "veto", "condition": "重大事件"}), draw(st.booleans()), lambda o: o
    rule = {"kind": "bonus", "cap": 3, "items": [{"id": "z", "name": "案例", "points": 1.5, "cap": 2.5}]}
    return leaf(ind_id, 0, rule), {"z": draw(st.integers(0, 3))}, lambda o: {"z": o["z"] + 1}


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A random tree of 1–3 dimensions, up to three levels deep, with an observation per leaf."""
    ids = (f"i{n}" for n in itertools.count())
    observations: dict[str, Any] = {}
    improvers: dict[str, Improve] = {}
    weighted: list[str] = []

    def make(depth: int, scored: bool = False) -> Indicator:
        ind_id = next(ids)
        if scored or depth > 1 and (depth == 3 or draw(st.booleans())):
            if not scored and draw(st.integers(0, 5)) == 0:
                made, obs, better = _extras(draw, ind_id)
            else:
                made, obs, better = _leaf_kind(draw, ind_id, draw(st.integers(1, 20)))
                weighted.append(ind_id)
                if made.rule.kind in ("binary", "levels", "ratio") and draw(st.integers(0, 3)) == 0:
                    obs = Rated(tuple([obs] * draw(st.integers(2, 3))))
                    better = _rated(better)
            observations[ind_id], improvers[ind_id] = obs, better
            return made
        children = [make(depth + 1) for _ in range(draw(st.integers(1, 3)))]
        if all(c.weight == 0 for c in children):
            children.append(make(depth + 1, scored=True))
        return node(ind_id, children)

    dims = [make(1) for _ in range(draw(st.integers(1, 3)))]
    rounding = {
        "indicator": draw(st.integers(0, 3)),
        "dimension": draw(st.integers(0, 3)),
        "total": draw(st.integers(0, 2)),
    }
    raters = {"combine": draw(st.sampled_from(["mean", "median", "trimmed_mean"])), "max_spread": 1}
    loaded = system(dims, bonus_cap=draw(st.sampled_from([0, 2, 5])), rounding=rounding, raters=raters)
    return Case(loaded, observations, improvers, weighted)


def _rated(better: Improve) -> Improve:
    """Improve only the first rater's observation."""
    return lambda rated: Rated((better(rated.values[0]), *rated.values[1:]))


def _score(case: Case, overrides: dict[str, Any] | None = None) -> Scorecard:
    return score(case.loaded, case.entries(overrides))


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases(), st.data())
def test_improving_one_observation_never_lowers_the_total(case: Case, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(sorted(case.improvers)))
    before = _score(case)
    after = _score(case, {target: case.improvers[target](case.observations[target])})
    assert after.total >= before.total
    assert after.base_total >= before.base_total


@SETTINGS
@given(cases(), st.data())
def test_total_stays_within_the_scale_plus_bonus(case: Case, data: st.DataObject) -> None:
    na = data.draw(st.sets(st.sampled_from(sorted(case.observations))))
    card = _score(case, {i: entry(not_applicable="无") for i in na})
    spec = case.loaded.system
    assert 0 <= card.base_total <= spec.scale
    assert 0 <= card.total <= spec.scale + spec.bonus_cap
    for ind in card.indicators:
        if ind.points is not None:
            assert 0 <= ind.points <= ind.effective_weight + 1e-9, ind.id


@SETTINGS
@given(cases(), st.data())
def test_dimension_points_add_up_to_the_base_total(case: Case, data: st.DataObject) -> None:
    na = data.draw(st.sets(st.sampled_from(sorted(case.observations))))
    card = _score(case, {i: entry(not_applicable="无") for i in na})
    assert abs(sum(d.points or 0 for d in card.dimensions) - card.base_total) < 1e-9
    digits = case.loaded.system.rounding.indicator
    for parent in card.indicators:
        kids = [i.points or 0 for i in card.indicators if i.parent == parent.id]
        if kids and parent.depth > 1 and parent.points is not None:
            assert abs(sum(kids) - parent.points) < 0.5 * 10**-digits, parent.id


def _reference(dims: list[Indicator], na: set[str], scale: float) -> dict[str, Fraction]:
    """Exact effective weights under the documented rule, with fractions and no rounding."""

    def applicable(ind: Indicator) -> bool:
        if ind.children:
            return any(applicable(c) for c in ind.children if c.weight > 0)
        return ind.id not in na

    out: dict[str, Fraction] = {}

    def share(nodes: list[Indicator], eff: Fraction) -> None:
        live = sum(Fraction(n.weight) for n in nodes if applicable(n) and n.weight > 0)
        for n in nodes:
            out[n.id] = eff * Fraction(n.weight) / live if live and applicable(n) else Fraction(0)
            share(n.children, out[n.id])

    share(dims, Fraction(scale))
    return out


@SETTINGS
@given(cases(), st.data())
def test_na_keeps_the_others_relative_weights(case: Case, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(case.weighted))
    before = by_id(_score(case))
    after = by_id(_score(case, {target: entry(not_applicable="无")}))
    expected = _reference(case.loaded.dimensions, {target}, case.loaded.system.scale)
    unit = 10 ** -min(case.loaded.system.rounding.indicator, case.loaded.system.rounding.dimension)
    for ind_id, ind in after.items():
        assert abs(Fraction(ind.effective_weight) - expected[ind_id]) <= ind.depth * unit + 1e-9, ind_id
    moved = _affected(case.loaded, target)
    for ind_id, ind in after.items():
        if ind_id not in moved:
            assert ind.effective_weight == before[ind_id].effective_weight, ind_id


def _affected(loaded: LoadedSystem, target: str) -> set[str]:
    """Ids whose weight may move: the subtree of the nearest ancestor that stays applicable (or all)."""
    index = loaded.index
    chain = [target]
    while index[chain[-1]].parent is not None:
        chain.append(index[chain[-1]].parent)
    for ancestor in chain[1:]:
        others = [c for c in _leaves(index[ancestor].indicator) if c.id != target and c.weight > 0]
        if others:
            return {i.id for i in _walk(index[ancestor].indicator)}
    return set(index)


def _walk(ind: Indicator) -> list[Indicator]:
    return [ind, *(d for c in ind.children for d in _walk(c))]


def _leaves(ind: Indicator) -> list[Indicator]:
    return [i for i in _walk(ind) if not i.children]
