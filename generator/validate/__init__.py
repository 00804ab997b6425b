"""Validate stage: loaded models → diagnostics. Never raises for a user's mistake."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..load import Repository
from .evaluation import validate_evaluation
from .system import validate_system


def validate_repository(repo: Repository) -> list[Diagnostic]:
    """Every problem of every system and evaluation, sorted by position."""
    found: list[Diagnostic] = []
    for system in repo.systems.values():
        found.extend(validate_system(system))
    for evaluation in repo.evaluations:
        found.extend(validate_evaluation(evaluation, repo))
    return sorted(set(found))
