"""Validate stage: loaded models → diagnostics. Never raises for a user's mistake."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..load import Repository
from ..score.ranking import previous_map
from .evaluation import validate_evaluation
from .organisations import validate_organisations
from .system import validate_system


def validate_repository(repo: Repository) -> list[Diagnostic]:
    """Every problem of every system and evaluation, sorted by position."""
    found: list[Diagnostic] = validate_organisations(repo)
    for system in repo.systems.values():
        found.extend(validate_system(system))
    for evaluation in repo.evaluations:
        found.extend(validate_evaluation(evaluation, repo))
    found.extend(_across(repo))
    return sorted(set(found))


def _across(repo: Repository) -> Iterator[Diagnostic]:
    """W704: the previous evaluation of the same party used another edition of the system."""
    by_id = {e.evaluation.id: e.evaluation for e in repo.evaluations}
    previous = previous_map(by_id)
    for loaded in repo.evaluations:
        ev = loaded.evaluation
        before = previous[ev.id]
        if (
            before is not None
            and before.system.id == ev.system.id
            and before.system.edition != ev.system.edition
        ):
            yield loaded.source.diag(
                ("system", "edition"), "W704", previous=before.system.edition, current=ev.system.edition
            )
