"""What a score diff holds: typed values the text, Markdown and JSON views all read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Diagnostic
from generator.review.overview import NewEvaluation
from generator.review.revision import Revision

Status = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True)
class Change:
    """One field that differs, shown as text on both sides (None where it is absent)."""

    field: str
    """Field key, e.g. observation, evidence, comment, weight, rule."""
    before: str | None
    """Value in the base revision."""
    after: str | None
    """Value in the head revision."""


@dataclass(frozen=True)
class EntryChange:
    """Edits to one indicator's score entry: observation, evaluators, evidence, comment."""

    indicator: str
    """Indicator id."""
    name: str
    """Indicator name."""
    mode: str | None
    """Evaluation mode, when the system has several."""
    changes: tuple[Change, ...]
    """Fields that differ."""
    mode_name: str | None = None
    """Name of the mode, when the system has several."""


@dataclass(frozen=True)
class ScoreChange:
    """An indicator (or dimension) whose points moved."""

    indicator: str
    """Indicator id."""
    name: str
    """Indicator name."""
    depth: int
    """1 for a dimension."""
    mode: str | None
    """Evaluation mode, when the system has several."""
    before: float | None
    """Points in the base revision (None: absent or not applicable)."""
    after: float | None
    """Points in the head revision."""
    weight: float
    """Nominal weight in the head revision (base when removed)."""
    mode_name: str | None = None
    """Name of the mode; 综合 for the result combined over several modes; None without modes."""

    @property
    def delta(self) -> float | None:
        """after − before, when both exist."""
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 6)


@dataclass(frozen=True)
class EvaluationDiff:
    """How one evaluation differs between the two revisions."""

    id: str
    """Evaluation id."""
    title: str
    """Title (head's, else base's)."""
    folder: str
    """Folder relative to the repository root."""
    status: Status
    """Added, removed, changed or unchanged."""
    system: str
    """System id and edition used, e.g. db34-3556-sample 2023.2 (head's, else base's)."""
    total_before: float | None = None
    """Total in base; None when absent or not scorable."""
    total_after: float | None = None
    """Total in head."""
    grade_before: str | None = None
    """Grade in base."""
    grade_after: str | None = None
    """Grade in head."""
    vetoes_before: tuple[str, ...] = ()
    """Veto indicators triggered in base."""
    vetoes_after: tuple[str, ...] = ()
    """Veto indicators triggered in head."""
    dimensions: tuple[ScoreChange, ...] = ()
    """Every dimension, before and after (changed or not)."""
    scores: tuple[ScoreChange, ...] = ()
    """Indicators below the dimensions whose points moved."""
    entries: tuple[EntryChange, ...] = ()
    """Score entries edited."""
    other: tuple[Change, ...] = ()
    """Other edits: evaluation.yaml fields, narrative Markdown."""
    errors_before: tuple[Diagnostic, ...] = ()
    """Errors that kept base from being scored."""
    errors_after: tuple[Diagnostic, ...] = ()
    """Errors that keep head from being scored."""
    added: NewEvaluation | None = None
    """For an evaluation the change adds (and head can score): what a reviewer needs of it."""

    @property
    def grade_changed(self) -> bool:
        """True when both sides have a grade and it differs."""
        return None not in (self.grade_before, self.grade_after) and self.grade_before != self.grade_after

    @property
    def veto_changed(self) -> bool:
        """True when a veto appeared or disappeared."""
        return set(self.vetoes_before) != set(self.vetoes_after)

    @property
    def alert(self) -> bool:
        """Worth the ⚠ mark: grade moved, a veto came or went, or head cannot be scored."""
        return self.grade_changed or self.veto_changed or bool(self.errors_after)


@dataclass(frozen=True)
class IndicatorEdit:
    """An indicator added, removed or changed in an indicator system."""

    indicator: str
    """Indicator id."""
    name: str
    """Indicator name."""
    status: Literal["added", "removed", "changed"]
    """What happened to it."""
    changes: tuple[Change, ...] = ()
    """Fields that differ (for changed)."""


@dataclass(frozen=True)
class SystemDiff:
    """Edits to one indicator system folder, and the evaluations that use it."""

    folder: str
    """Folder relative to the repository root."""
    id: str
    """System id."""
    name: str
    """System name."""
    status: Status
    """Added, removed or changed (unchanged systems are not listed)."""
    meta: tuple[Change, ...] = ()
    """Edition, grade bands, rounding, measures and other system-wide fields."""
    indicators: tuple[IndicatorEdit, ...] = ()
    """Indicators added, removed or changed."""
    affected: tuple[str, ...] = ()
    """Ids of evaluations that use this system in either revision."""


@dataclass(frozen=True)
class DiffReport:
    """The whole comparison of two revisions."""

    base: Revision
    """The older revision."""
    head: Revision
    """The newer revision (commit None: the working tree)."""
    evaluations: tuple[EvaluationDiff, ...]
    """Every evaluation in either revision, sorted by id."""
    systems: tuple[SystemDiff, ...]
    """Indicator systems that differ."""
    errors_before: int = 0
    """Errors in the base revision."""
    errors_after: int = 0
    """Errors in the head revision."""

    @property
    def changed(self) -> tuple[EvaluationDiff, ...]:
        """Evaluations that are not unchanged."""
        return tuple(e for e in self.evaluations if e.status != "unchanged")
