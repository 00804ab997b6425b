"""The stages in order, for the commands and the tests: load → validate (with datasets) → score.

There is one path: ``check`` runs ``build.checking.Checker``, the same code ``zwpj build`` and
``zwpj check`` run; its cache and its worker processes are options (by default: no cache, one process).
"""

from __future__ import annotations

from pathlib import Path

from generator.build.cache import Cache
from generator.build.checking import Checked, Checker
from generator.build.progress import Progress, silent
from generator.load.repository import LoadedEvaluation
from generator.score.card import Scorecard

__all__ = ["Checked", "check", "score_all", "score_one"]


def check(
    root: Path,
    *,
    only: list[Path] | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Progress = silent,
) -> Checked:
    """Load and validate everything (or the given evaluation folders), datasets included.

    ``cache`` (e.g. ``Cache.for_repository(root)``) reuses what earlier runs worked out; ``jobs``
    spreads the per-evaluation work over that many forked processes.
    """
    checker = Checker(root, cache if cache is not None else Cache(None), jobs=jobs, progress=progress)
    return checker.check(only)


def score_one(checked: Checked, evaluation: LoadedEvaluation) -> Scorecard:
    """Score one valid evaluation."""
    return checked.checker.score_one(checked, evaluation)


def score_all(checked: Checked) -> dict[str, Scorecard]:
    """Scorecards of every evaluation that has no errors, by evaluation id."""
    return checked.checker.score(checked)
