"""Process checks of one evaluation: stage records, sampling, confirmation, rectification, markers."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.load.asof import evaluation_as_of
from generator.load.markdown import markdown_problems
from generator.load.repository import LoadedEvaluation, Repository
from generator.validate.narrative import check_narrative
from generator.validate.process.body import check_body
from generator.validate.process.confirmation import (
    check_confirmation,
    check_objections,
    check_publication,
    check_window,
)
from generator.validate.process.drafting import check_drafting
from generator.validate.process.parties import check_confirmer, check_submission_parties
from generator.validate.process.records import check_activity_dates, check_stage_records
from generator.validate.process.rectification import check_as_of, check_rectification
from generator.validate.process.sample_check import check_sampling


def validate_process(loaded: LoadedEvaluation, repo: Repository) -> list[Diagnostic]:
    """Every process problem of one evaluation; dates judged as of its party's own records
    (``Repository.as_of``)."""
    calendar = repo.calendar
    as_of = repo.as_of(loaded.evaluation.evaluated.name) or evaluation_as_of(loaded.evaluation)
    found: list[Diagnostic] = list(check_as_of(loaded))
    system = repo.system_for(loaded.evaluation)
    if system is not None and not system.complete:
        system = None  # a part is missing: ids it would define are not checked, as for an unknown system
    found.extend(check_stage_records(loaded, system))
    found.extend(check_body(loaded, repo, system))
    found.extend(check_drafting(loaded))
    found.extend(check_submission_parties(loaded, repo))
    found.extend(check_confirmer(loaded, repo))
    found.extend(check_activity_dates(loaded))
    found.extend(check_confirmation(loaded))
    found.extend(check_publication(loaded))
    found.extend(check_window(loaded, calendar, as_of))
    found.extend(check_objections(loaded, system))
    found.extend(check_sampling(loaded))
    found.extend(check_rectification(loaded, system, as_of, repo.with_evaluation))
    found.extend(_markers(loaded))
    found.extend(check_narrative(loaded))
    return found


def _markers(loaded: LoadedEvaluation) -> list[Diagnostic]:
    """Markers left open or mistyped, and runaway structure, in the narrative files."""
    return [
        d
        for name, text in loaded.narrative.items()
        for d in markdown_problems(f"{loaded.rel}/{name}.md", text)
    ]
