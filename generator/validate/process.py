"""Process checks of one evaluation: stage records, sampling, confirmation, rectification, markers."""

from __future__ import annotations

from ..diagnostics import Diagnostic, diag
from ..load import LoadedEvaluation, Repository
from ..process.body import check_body
from ..process.confirmation import check_confirmation, check_objections, check_publication, check_window
from ..process.drafting import check_drafting
from ..process.narrative import unclosed_markers
from ..process.parties import check_confirmer, check_submission_parties
from ..process.records import check_activity_dates, check_stage_records
from ..process.rectification import check_rectification, repository_as_of
from ..process.sample_check import check_sampling
from ..process.workdays import load_calendar
from .narrative import check_narrative


def validate_process(loaded: LoadedEvaluation, repo: Repository) -> list[Diagnostic]:
    """Every process problem of one evaluation; dates judged as of the repository's newest record."""
    calendar, found = load_calendar(repo.root)
    as_of = repository_as_of(e.evaluation for e in repo.evaluations)
    system = repo.system_for(loaded.evaluation)
    found.extend(check_stage_records(loaded, system))
    found.extend(check_body(loaded, repo, system))
    found.extend(check_drafting(loaded))
    found.extend(check_submission_parties(loaded, repo))
    found.extend(check_confirmer(loaded, repo))
    found.extend(check_activity_dates(loaded))
    found.extend(check_confirmation(loaded))
    found.extend(check_publication(loaded))
    if as_of is not None:
        found.extend(check_window(loaded, calendar, as_of))
    found.extend(check_objections(loaded, system))
    found.extend(check_sampling(loaded))
    found.extend(check_rectification(loaded, system, as_of, repo.root))
    found.extend(_markers(loaded))
    found.extend(check_narrative(loaded))
    return found


def _markers(loaded: LoadedEvaluation) -> list[Diagnostic]:
    """E513 for an internal marker left open in a narrative file."""
    return [
        diag(f"{loaded.rel}/{name}.md", u.line, 1, "E513", marker=u.marker, closing=u.closing)
        for name, text in loaded.narrative.items()
        for u in unclosed_markers(text)
    ]
