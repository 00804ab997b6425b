"""What a reviewer needs to see of an evaluation a change adds: result and status, dimensions, the
weakest indicators and the objections, each in full and in Chinese words."""

from __future__ import annotations

from dataclasses import dataclass

from generator.load.repository import LoadedEvaluation
from generator.render.views.evaluation import StatusView, status_view
from generator.score.card import Scorecard

WEAKEST = 5
"""Leaf indicators listed as the weakest."""


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the result: points against its weight, with what was observed."""

    id: str
    """Indicator id."""
    name: str
    """Indicator name."""
    weight: float
    """Effective weight (points available)."""
    points: float | None
    """Points scored; None when not applicable."""
    observation: str = ""
    """The observation as the scorecard words it (names, not item ids)."""
    comment: str = ""
    """The evaluator's finding, in full."""

    @property
    def fraction(self) -> float | None:
        """Points as a share of the weight."""
        return None if self.points is None or not self.weight else self.points / self.weight


@dataclass(frozen=True)
class NewEvaluation:
    """An evaluation added by the change, as a reviewer reads it."""

    party: str
    """The evaluated party."""
    period: str
    """The evaluation period, ``start 至 end``."""
    system: str
    """Indicator system name and edition."""
    total: float
    """Total."""
    scale: float
    """Full mark."""
    grade: str
    """Grade."""
    vetoes: tuple[str, ...]
    """Veto indicators triggered."""
    status: StatusView
    """Stage, confirmation, objections and report kind: the status the site shows."""
    dimensions: tuple[IndicatorLine, ...]
    """Each dimension of the result."""
    weakest: tuple[IndicatorLine, ...]
    """The leaf indicators with the lowest share of their weight, lowest first."""


def new_evaluation(loaded: LoadedEvaluation, card: Scorecard, system_name: str) -> NewEvaluation:
    """The overview of one added evaluation from its head revision."""
    ev = loaded.evaluation
    own = {i.id: i for i in card.indicators}
    dims = tuple(IndicatorLine(d.id, d.name, d.effective_weight, d.points) for d in card.result.dimensions)
    leaves = [leaf for leaf in card.result.leaves if leaf.fraction is not None and leaf.effective_weight > 0]
    leaves.sort(key=lambda leaf: (leaf.fraction, -leaf.effective_weight, leaf.id))
    weakest = tuple(
        IndicatorLine(
            leaf.id,
            leaf.name,
            leaf.effective_weight,
            leaf.points,
            own[leaf.id].observation if leaf.id in own else "",
            (own[leaf.id].comment or "") if leaf.id in own else "",
        )
        for leaf in leaves[:WEAKEST]
        if (leaf.fraction or 0) < 1
    )
    return NewEvaluation(
        party=ev.evaluated.name,
        period=f"{ev.period.start} 至 {ev.period.end}",
        system=f"{system_name}（{ev.system.edition}）",
        total=card.total,
        scale=card.scale,
        grade=card.grade,
        vetoes=card.vetoes,
        status=status_view(ev),
        dimensions=dims,
        weakest=weakest,
    )
