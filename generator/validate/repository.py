"""Validate stage: loaded models → diagnostics. Never raises for a user's mistake."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.diagnostics import Diagnostic
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
    found.extend(_across(repo))
    return sorted(set(found))


def _across(repo: Repository) -> Iterator[Diagnostic]:
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
    problem: tuple[str, str, str] | None = None
    before = by_id.get(name)
    if name == ev.id:
        problem = (
            "指向本次评价自己",
            "is this evaluation itself",
            "写上一次（更早）评价的编号，或删除 previous。",
        )
    elif name not in names:
        zh, en = suggestion(name, sorted(n for n in names if n != ev.id))
        problem = (
            f"不存在（evaluations/ 下没有这个评价）{zh}",
            f"does not exist{en}",
            "改成 evaluations/ 下已有评价的编号；上次评价的文件夹若被删除或改名，请恢复。",
        )
    elif before is not None and before.evaluated.name != ev.evaluated.name:
        problem = (
            f"的被评价方是“{before.evaluated.name}”，与本次不同",
            "evaluates another party",
            "previous 只能指向同一被评价方的上一次评价。",
        )
    elif before is not None and before.period.end >= ev.period.start:
        problem = (
            f"的评价期（至 {before.period.end}）不早于本次（自 {ev.period.start}）",
            "does not end before this one starts",
            "previous 只能指向评价期更早的评价。",
        )
    if problem is not None:
        yield loaded.source.diag(
            ("previous",), "E422", id=name, detail_zh=problem[0], detail_en=problem[1], hint=problem[2]
        )
