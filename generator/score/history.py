"""The score's history through objections: what accepted objections changed, in points.

The score files hold the observations after every accepted objection; each change records the
observation before. Re-scoring with the "before" values gives the result as first reported, so a
reader sees which indicators moved, by how many points, and how the total and grade moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.load.repository import LoadedEvaluation, LoadedSystem, ScoreSource
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard


@dataclass(frozen=True)
class ChangeEffect:
    """One observation changed by an accepted objection."""

    objection: str
    """Objection id."""
    indicator: str
    """Indicator id."""
    name: str
    """Indicator name."""
    mode: str | None
    """Evaluation mode, when the system has several."""
    before: Any
    """Observation first reported."""
    after: Any
    """Observation after the objection."""
    points_before: float | None
    """Points first reported."""
    points_after: float | None
    """Points now."""


@dataclass(frozen=True)
class ScoreHistory:
    """The result as first reported and as it stands after the objections."""

    total_before: float
    """Total first reported."""
    total_after: float
    """Total now."""
    grade_before: str
    """Grade first reported."""
    grade_after: str
    """Grade now."""
    changes: tuple[ChangeEffect, ...]
    """Every change, in the order of the objections."""


def _first_values(loaded: LoadedEvaluation) -> dict[tuple[str | None, str], tuple[str, Any, Any]]:
    """(mode, indicator) → (objection id, first "before", last "after"), accepted objections only."""
    out: dict[tuple[str | None, str], tuple[str, Any, Any]] = {}
    conf = loaded.evaluation.confirmation
    objections = sorted(conf.objections, key=lambda o: o.date) if conf else []
    for obj in objections:
        if obj.response is None or obj.response.decision != "采纳":
            continue
        for change in obj.response.changes:
            key = (change.mode, change.indicator)
            first = out.get(key)
            out[key] = (obj.id, first[1] if first else change.before, change.after)
    return out


def as_first_reported(loaded: LoadedEvaluation) -> LoadedEvaluation:
    """A copy whose score files hold the observations before any accepted objection."""
    values = _first_values(loaded)
    files = []
    for s in loaded.score_files:
        mode = s.scores.mode
        indicators = {
            ind_id: entry.model_copy(update={"observation": values[(mode, ind_id)][1]})
            if (mode, ind_id) in values
            else entry
            for ind_id, entry in s.scores.indicators.items()
        }
        files.append(ScoreSource(s.source, s.scores.model_copy(update={"indicators": indicators})))
    return replace(loaded, score_files=files)


def _points(card: Scorecard, mode: str | None, indicator: str) -> tuple[str, float | None]:
    scores = dict(card.mode_indicators).get(mode, card.indicators) if mode else card.indicators
    found = next((s for s in scores if s.id == indicator), None)
    return (found.name, found.points) if found else (indicator, None)


def _measured_of(card: Scorecard) -> dict[str, Measured]:
    """The dataset figures a scorecard was computed with, so a re-score uses the same ones."""
    scores = [*card.indicators, *(s for _, mode in card.mode_indicators for s in mode)]
    return {s.measured.measure: s.measured for s in scores if s.measured is not None}


def score_history(
    loaded: LoadedEvaluation,
    system: LoadedSystem,
    *,
    card: Scorecard | None = None,
    measured: Mapping[str, Measured] | None = None,
) -> ScoreHistory | None:
    """Before/after of every accepted change; None when no objection changed a score.

    Measured indicators need their dataset figures: pass ``measured``, or ``card`` (its figures are used).
    """
    values = _first_values(loaded)
    if not values:
        return None
    if measured is None and card is not None:
        measured = _measured_of(card)
    now = card or score_evaluation(loaded, system, measured=measured)
    first = score_evaluation(as_first_reported(loaded), system, measured=measured)
    changes = []
    for (mode, indicator), (objection, before, after) in values.items():
        name, points_before = _points(first, mode, indicator)
        _, points_after = _points(now, mode, indicator)
        changes.append(
            ChangeEffect(objection, indicator, name, mode, before, after, points_before, points_after)
        )
    return ScoreHistory(first.total, now.total, first.grade, now.grade, tuple(changes))
