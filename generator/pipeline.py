"""The stages in order, for the commands: load → validate (with datasets) → score."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .fingerprint import hash_inputs
from .load import LoadedEvaluation, Repository, load_repository, rel_path
from .render.report.checks import check_templates
from .score.aggregate import score_evaluation
from .score.card import Measured, Scorecard
from .score.measures import compute_measures
from .validate import validate_repository

UNSCORED = ("T901", "T903")
"""To-dos that leave a draft without a score: an indicator not scored yet, a dataset not received yet."""


@dataclass
class Checked:
    """A loaded and validated repository, with the figures measured from datasets."""

    repo: Repository
    """What was loaded."""
    diagnostics: list[Diagnostic]
    """Every problem, sorted."""
    measured: dict[str, dict[str, Measured]] = field(default_factory=dict)
    """Evaluation id → measure name → figure."""

    def ok(self, *, strict: bool = False) -> bool:
        """True when nothing blocks scoring."""
        return not has_errors(self.diagnostics, strict=strict)

    def problems_of(self, evaluation: LoadedEvaluation) -> list[Diagnostic]:
        """Errors located in this evaluation's folder or in its system's files."""
        system = self.repo.system_for(evaluation.evaluation)
        prefixes = [evaluation.rel + "/"]
        if system is not None:
            prefixes.append(rel_path(self.repo.root, system.folder) + "/")
        elif evaluation.evaluation.system.id in self.repo.unreadable:
            prefixes.append(
                rel_path(self.repo.root, self.repo.unreadable[evaluation.evaluation.system.id]) + "/"
            )
        return [d for d in self.errors if d.file.startswith(tuple(prefixes))] if self.errors else []

    def blocking(self, evaluation: LoadedEvaluation) -> list[Diagnostic]:
        """What keeps the evaluation from being scored: its errors, and the to-dos of a draft that
        has not scored every indicator or received its datasets yet (T901, T903)."""
        todos = [
            d for d in self.diagnostics if d.code in UNSCORED and d.file.startswith(evaluation.rel + "/")
        ]
        return [*self.problems_of(evaluation), *todos]

    @cached_property
    def errors(self) -> list[Diagnostic]:
        """The errors among the diagnostics, which are final once checking has set them (asked for
        once per evaluation, so filtered once)."""
        return [d for d in self.diagnostics if d.severity.value == "error"]


def check(root: Path, *, only: list[Path] | None = None) -> Checked:
    """Load and validate everything (or the given evaluation folders), datasets included."""
    repo, problems = load_repository(root, only=only)
    problems.extend(validate_repository(repo))
    problems.extend(check_templates(repo))
    checked = Checked(repo, [])
    for evaluation in repo.evaluations:
        system = repo.system_for(evaluation.evaluation)
        if system is None:
            continue
        figures, dataset_problems = compute_measures(evaluation, system, root)
        checked.measured[evaluation.evaluation.id] = figures
        problems.extend(dataset_problems)
    checked.diagnostics = sorted(set(problems))
    return checked


def score_one(checked: Checked, evaluation: LoadedEvaluation) -> Scorecard:
    """Score one valid evaluation."""
    repo = checked.repo
    system = repo.system_for(evaluation.evaluation)
    assert system is not None, "score_one needs a validated evaluation"
    digest = hash_inputs(repo.root, [evaluation.rel, rel_path(repo.root, system.folder)])
    return score_evaluation(
        evaluation, system, measured=checked.measured.get(evaluation.evaluation.id, {}), input_hash=digest
    )


def score_all(checked: Checked) -> dict[str, Scorecard]:
    """Scorecards of every evaluation that has no errors, by evaluation id."""
    return {
        e.evaluation.id: score_one(checked, e) for e in checked.repo.evaluations if not checked.blocking(e)
    }
