"""Validate stage: loaded models → diagnostics. Never raises for a user's mistake."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.diagnostics import Diagnostic, Worded
from generator.load.repository import LoadedEvaluation, Repository
from generator.load.schema_errors import suggestion
from generator.model.evaluation import Evaluation
from generator.score.ranking import OTHERS, previous_map, ranking_group
from generator.validate.evaluation import validate_evaluation
from generator.validate.organisations import validate_organisations
from generator.validate.system import validate_system


def validate_repository(repo: Repository) -> list[Diagnostic]:
    """Every problem of every system and evaluation, sorted by position."""
    found: list[Diagnostic] = validate_organisations(repo)
    for system in repo.systems.values():
        found.extend(validate_system(system))
    for evaluation in repo.evaluations:
        found.extend(validate_evaluation(evaluation, repo))
    found.extend(validate_across(repo))
    return sorted(set(found))


def validate_across(repo: Repository) -> Iterator[Diagnostic]:
    """E422: ``previous`` names no earlier evaluation of the party; W704: the previous evaluation
    of the same party used another edition of the system; W760: the evaluated party fits none of
    the configured ranking groups."""
    by_id = {e.evaluation.id: e.evaluation for e in repo.evaluations}
    for loaded in repo.evaluations:
        yield from _previous_problems(loaded, by_id, repo.names)
    previous = previous_map(by_id)
    groups = repo.settings.rankings.groups
    for loaded in repo.evaluations:
        ev = loaded.evaluation
        if ranking_group(ev.evaluated, groups) == OTHERS and OTHERS not in {g.name for g in groups}:
            at = ("evaluated", "level") if ("evaluated", "level") in loaded.source.values else ("evaluated",)
            party = ev.evaluated
            yield loaded.source.diag(at, "W760", level=party.level or "—", kind=party.kind or "—")
        before = previous[ev.id]
        if (
            before is not None
            and before.system.id == ev.system.id
            and before.system.edition != ev.system.edition
        ):
            yield loaded.source.diag(
                ("system", "edition"), "W704", previous=before.system.edition, current=ev.system.edition
            )


def _previous_problems(
    loaded: LoadedEvaluation, by_id: Mapping[str, Evaluation], names: list[str]
) -> Iterator[Diagnostic]:
    """E422 for a ``previous`` that names nothing, itself, another party or a later evaluation.

    The party and the periods are compared when the previous evaluation was loaded too (a check
    of one folder loads only that folder; the name must still be an evaluation folder).
    """
    ev = loaded.evaluation
    name = ev.previous
    if not name:
        return
    problem: Worded | None = None
    before = by_id.get(name)
    if name == ev.id:
        problem = Worded("previous_is_itself")
    elif name not in names:
        zh, en = suggestion(name, sorted(n for n in names if n != ev.id))
        problem = Worded("previous_missing", close_zh=zh, close_en=en)
    elif before is not None and before.evaluated.name != ev.evaluated.name:
        problem = Worded("previous_other_party", party=before.evaluated.name)
    elif before is not None and before.period.end >= ev.period.start:
        problem = Worded("previous_not_earlier", end=before.period.end, start=ev.period.start)
    if problem is not None:
        yield loaded.source.diag(
            ("previous",), "E422", id=name, detail_zh=problem.zh, detail_en=problem.en, hint=problem.hint
        )
