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
class ModeFigure:
    """One mode's own figure for an indicator, beside the combined one."""

    mode: str
    """Mode id."""
    name: str
    """Mode name as readers see it, e.g. 第三方评价."""
    weight: float
    """The indicator's effective weight under this mode."""
    points: float | None
    """The indicator's points under this mode; None when not applicable."""
    fraction: float | None
    """Points as a share of the weight under this mode."""


@dataclass(frozen=True)
class ResultScore:
    """An indicator's result: as scored, or combined over the modes."""

    id: str
    """Indicator id."""
    name: str
    """Indicator name."""
    depth: int
    """1 for a dimension."""
    parent: str | None
    """Parent id."""
    dimension: str
    """Dimension id above it."""
    is_leaf: bool
    """True for a leaf."""
    weight: float
    """Nominal weight from the system."""
    effective_weight: float
    """Effective weight: as scored, or the modes' effective weights combined by the modes' weights."""
    points: float | None
    """Points: as scored, or combined; None when not applicable under every mode."""
    status: Status
    """Scored when any mode scored it; else the first mode's status."""
    by_mode: tuple[ModeFigure, ...] = ()
    """Each mode's own figure, in the system's mode order; empty without modes."""

    @property
    def fraction(self) -> float | None:
        """Points as a share of the effective weight."""
        if self.points is None or not self.effective_weight:
            return None
        return self.points / self.effective_weight


@dataclass(frozen=True)
class Result:
    """The figures that are the evaluation's result (the total and grade are the scorecard's)."""

    indicators: tuple[ResultScore, ...]
    """Every indicator, depth-first in system order."""
    base: float
    """Sum of the dimensions' result points, before bonus."""
    bonus: float
    """Bonus points in the result: as scored, or the modes' capped bonuses combined."""
    combined: bool
    """True when the figures combine several modes."""

    @property
    def dimensions(self) -> tuple[ResultScore, ...]:
        """The top-level indicators."""
        return tuple(i for i in self.indicators if i.depth == 1)

    @property
    def leaves(self) -> tuple[ResultScore, ...]:
        """Leaf indicators."""
        return tuple(i for i in self.indicators if i.is_leaf)

    def get(self, indicator: str) -> ResultScore | None:
        """One indicator's result, or None when the system has no such indicator."""
        return next((i for i in self.indicators if i.id == indicator), None)


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
    base: float = 0.0
    """This mode's dimension points added up, before bonus."""
    bonus: float = 0.0
    """This mode's capped bonus."""


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
    """Every indicator, depth-first in system order, as scored under the first mode (or the only
    one): not the result when the system has modes; outputs show ``result``."""
    base_total: float
    """Sum of the dimensions' points (before bonus) of the first mode (the only one without modes);
    the result's is ``result.base``."""
    bonus: float
    """Bonus points added (capped) under the first mode; the result's is ``result.bonus``."""
    total: float
    """Final score (rounded per the system); with modes, their weighted combination."""
    grade: str
    """Grade from the bands (lowest band when vetoed)."""
    grade_by_points: str
    """Grade the points alone would give."""
    result: Result
    """The figures that are the result (``score.result.result_of``), which every output shows."""
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
        """Top-level indicators as scored under the first mode (the result's are ``result.dimensions``)."""
        return tuple(i for i in self.indicators if i.depth == 1)

    @property
    def leaves(self) -> tuple[IndicatorScore, ...]:
        """Leaf indicators as scored under the first mode."""
        return tuple(i for i in self.indicators if i.is_leaf)
