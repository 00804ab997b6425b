"""People checks: unique ids, known references, a team leader (independence is ``independence.py``)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation
from generator.load.schema_errors import suggestion

LEADER_ROLES = ("组长", "负责人", "项目经理")


def check_people(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Duplicate ids, unknown person references, a missing leader."""
    ev, src = loaded.evaluation, loaded.source
    groups = (("team", ev.team), ("experts", ev.experts), ("party_staff", ev.party_staff))
    ids: dict[str, tuple[str, int]] = {}
    for group, people in groups:
        for i, person in enumerate(people):
            if person.id in ids:
                yield src.diag((group, i, "id"), "E415", id=person.id)
            ids.setdefault(person.id, (group, i))
    if not any(any(r in p.role for r in LEADER_ROLES) for p in ev.team):
        yield src.diag(("team",), "E410", detail="team_leader_team_member_whose")
    known = list(ids)
    for i, activity in enumerate(ev.activities):
        for j, pid in enumerate(activity.attendees):
            if pid not in ids:
                yield _unknown(src, ("activities", i, "attendees", j), pid, known)
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            for j, pid in enumerate(entry.evaluators):
                if pid not in ids:
                    yield _unknown(score_file.source, ("indicators", ind_id, "evaluators", j), pid, known)
            for j, rating in enumerate(entry.ratings):
                if rating.rater not in ids:
                    yield _unknown(
                        score_file.source, ("indicators", ind_id, "ratings", j, "rater"), rating.rater, known
                    )


def _unknown(src, path, pid: str, known: list[str]) -> Diagnostic:
    zh, en = suggestion(pid, known)
    return src.diag(path, "E411", id=pid, suggestion_zh=zh, suggestion_en=en)
