"""What an evaluation's result is: the one set of figures every output shows.

With one evaluation mode the result is the scorecard's own figures. When the system combines
modes (for example 自评 30 % and 第三方评价 70 %), every indicator's result is the modes' weighted
combination, and each mode's own figure is kept beside it, labelled with the mode's name, so that
no output can show one mode's figures as if they were the result. ``result_of`` is the only place
that decides this; the site, the rankings, the open data, the reports and the pull-request
comment read ``Scorecard.result``.

Rounding follows the scoring stage: combined indicator points to ``rounding.indicator`` decimals,
dimensions to ``rounding.dimension``, the combined bonus like indicator points. The final total
stays the scorecard's own (the modes' totals combined, ``rounding.total``), which the combined
dimensions and bonus add up to within that rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model.system import Mode, Rounding
from generator.score.card import IndicatorScore, ModeFigure, Result, ResultScore, Status
from generator.score.rounding import round_half_up


@dataclass(frozen=True)
class ModeScored:
    """What scoring one mode produced, as ``result_of`` needs it."""

    mode: Mode | None
    """The mode; None for a system without modes."""
    indicators: Sequence[IndicatorScore]
    """Every indicator, depth-first."""
    base: float
    """Sum of the dimensions' points."""
    bonus: float
    """Capped bonus."""


def result_of(scored: Sequence[ModeScored], rounding: Rounding) -> Result:
    """The result of an evaluation from what each of its modes scored (one entry without modes)."""
    if len(scored) == 1 and scored[0].mode is None:
        only = scored[0]
        indicators = tuple(_as_scored(i) for i in only.indicators)
        return Result(indicators, only.base, only.bonus, combined=False)
    modes = [s.mode for s in scored if s.mode is not None]
    assert len(modes) == len(scored), "modes are all named when there are several"
    per_mode = [{i.id: i for i in s.indicators} for s in scored]
    indicators = tuple(
        _combined(first, [(m, found[first.id]) for m, found in zip(modes, per_mode, strict=True)], rounding)
        for first in scored[0].indicators
    )
    dimension_points = [i.points for i in indicators if i.depth == 1 and i.points is not None]
    base = round_half_up(sum(dimension_points), rounding.dimension)
    bonus = round_half_up(
        sum(m.weight * s.bonus for m, s in zip(modes, scored, strict=True)), rounding.indicator
    )
    return Result(indicators, base, bonus, combined=True)


def _as_scored(i: IndicatorScore) -> ResultScore:
    return ResultScore(
        i.id,
        i.name,
        i.depth,
        i.parent,
        i.dimension,
        i.is_leaf,
        i.weight,
        i.effective_weight,
        i.points,
        i.status,
    )


def _combined(
    first: IndicatorScore, scores: list[tuple[Mode, IndicatorScore]], rounding: Rounding
) -> ResultScore:
    digits = rounding.dimension if first.depth == 1 else rounding.indicator
    scored = [m.weight * s.points for m, s in scores if s.points is not None]
    points = round_half_up(sum(scored), digits) if scored else None
    weight = round_half_up(sum(m.weight * s.effective_weight for m, s in scores), digits)
    status: Status = "scored" if any(s.status == "scored" for _, s in scores) else first.status
    by_mode = tuple(ModeFigure(m.id, m.name, s.effective_weight, s.points, s.fraction) for m, s in scores)
    return ResultScore(
        first.id,
        first.name,
        first.depth,
        first.parent,
        first.dimension,
        first.is_leaf,
        first.weight,
        weight,
        points,
        status,
        by_mode,
    )
