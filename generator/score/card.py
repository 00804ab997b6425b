"""The scorecard: what scoring produces and every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["scored", "not_applicable", "missing"]


@dataclass(frozen=True)
class RaterScore:
    """One rater's contribution to an indicator."""

    rater: str
    """Person id."""
    name: str
    """Person's name."""
    observation: str
    """The observation as written, for display."""
    fraction: float
    """Score fraction this observation earns, 0..1."""


@dataclass(frozen=True)
class Measured:
    """A figure computed from a dataset, with the rows it came from."""

    measure: str
    """Measure name."""
    dataset: str
    """Dataset file relative to the repository root."""
    value: float | None
    """The figure (a ratio 0..1 for shares); None when there were no rows."""
    numerator: int = 0
    """Rows counted in the numerator (shares)."""
    denominator: int = 0
    """Rows in the denominator (shares), or all rows counted (level counts)."""
    counts: tuple[tuple[str, int], ...] = ()
    """Rows per level (level counts)."""


@dataclass(frozen=True)
class IndicatorScore:
    """The score of one indicator (leaf or inner), with how it was reached."""

    id: str
    """Indicator id."""
    name: str
    """Indicator name."""
    depth: int
    """1 for a dimension, 2, 3 … below."""
    parent: str | None
    """Parent id."""
    dimension: str
    """Top-level indicator id above it."""
    is_leaf: bool
    """True for a leaf."""
    rule_kind: str | None
    """Rule kind of a leaf (binary, levels, ratio, deduction, bonus, veto, satisfaction)."""
    weight: float
    """Nominal weight (points) from the system."""
    effective_weight: float
    """Weight after not-applicable redistribution."""
    status: Status
    """Scored, not applicable (weight redistributed) or missing (counted as 0)."""
    fraction: float | None
    """Score as a fraction of the effective weight, 0..1; None when not applicable."""
    points: float | None
    """Contribution to the total: effective weight × fraction, rounded per the system."""
    observation: str = ""
    """The observation as a reader sees it, e.g. 良, 93.2%（930/1000）, 链接失效×3."""
    explanation: str = ""
    """How the fraction was computed, in Chinese."""
    reason: str | None = None
    """Why the indicator is not applicable."""
    vetoed: bool = False
    """True for a veto indicator whose condition was found."""
    bonus: float = 0.0
    """Bonus points this indicator adds on top of the scale."""
    raters: tuple[RaterScore, ...] = ()
    """Individual raters, when several scored it."""
    measured: Measured | None = None
    """The dataset figure behind it, for measured indicators."""
    comment: str | None = None
    """The evaluator's finding."""
    evaluators: tuple[str, ...] = ()
    """Names of who observed it."""
    evidence: tuple[tuple[str, str], ...] = ()
    """(label, target) pairs: file path relative to the evaluation folder or URL."""
    file: str = ""
    """File the observation came from, relative to the repository root."""
    line: int = 0
    """Line of the observation in that file."""


@dataclass(frozen=True)
class ModeScore:
    """The total of one evaluation mode, when the system combines several."""

    id: str
    """Mode id."""
    name: str
    """Mode name."""
    weight: float
    """Share of the final score."""
    total: float
    """This mode's total (including bonus)."""


@dataclass(frozen=True)
class Scorecard:
    """The full result of scoring one evaluation."""

    evaluation_id: str
    """Evaluation id."""
    system_id: str
    """Indicator system id."""
    system_edition: str
    """Indicator system edition."""
    generator_version: str
    """Version of this generator."""
    input_hash: str
    """SHA-256 over the evaluation's and the system's input files."""
    scale: float
    """Full mark without bonus."""
    indicators: tuple[IndicatorScore, ...]
    """Every indicator, depth-first in system order (of the first mode, or the only one)."""
    base_total: float
    """Sum of the dimensions' points (before bonus); of the first mode when the system has modes."""
    bonus: float
    """Bonus points added (capped by the system); of the first mode when the system has modes."""
    total: float
    """Final score (rounded per the system); with modes, their weighted combination."""
    grade: str
    """Grade from the bands (lowest band when vetoed)."""
    grade_by_points: str
    """Grade the points alone would give."""
    vetoes: tuple[str, ...] = ()
    """Ids of veto indicators whose condition was found."""
    modes: tuple[ModeScore, ...] = ()
    """Mode totals, when the system has modes."""
    mode_indicators: tuple[tuple[str, tuple[IndicatorScore, ...]], ...] = ()
    """Per-mode indicator scores, when the system has modes."""
    notes: tuple[str, ...] = ()
    """Explanations a reader needs: N/A redistribution, veto, bonus cap, rounding."""
    alpha: float | None = None
    """Krippendorff's α over multi-rater indicators, when there are any."""
    warnings: tuple[str, ...] = field(default=())
    """Chinese warnings raised while scoring (rater disagreement)."""

    @property
    def dimensions(self) -> tuple[IndicatorScore, ...]:
        """Top-level indicators."""
        return tuple(i for i in self.indicators if i.depth == 1)

    @property
    def leaves(self) -> tuple[IndicatorScore, ...]:
        """Leaf indicators."""
        return tuple(i for i in self.indicators if i.is_leaf)
