"""The evaluation body's records (§5.1) and its evaluators' training and qualifications (§5.2).

A body keeps its records once, in ``bodies/<folder>/body.yaml``; every evaluation it carries out
uses them. Which records are required is the indicator system's setting (``body_requirements``,
all by default): a body cannot waive a requirement for itself. A team member's qualifications and
training are the body's staff record (same person id) joined with what the evaluation adds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.organisations import BODIES_DIR, LoadedBody
from generator.load.repository import LoadedEvaluation, LoadedSystem, Repository
from generator.messages import BODY_RECORD_NAMES, STAFF_RECORD_NAMES
from generator.model.evaluation import Person
from generator.model.organisation import BodyRecords, Credential, StaffRecord
from generator.model.system import BodyRequirements


def requirements(system: LoadedSystem | None) -> BodyRequirements:
    """What the evaluation's system requires (the default when the system is unknown)."""
    return system.system.body_requirements if system is not None else BodyRequirements()


def staff_record(body: LoadedBody | None, person_id: str) -> StaffRecord | None:
    """The body's record of a person, by id."""
    if body is None:
        return None
    return next((s for s in body.records.staff if s.id == person_id), None)


def _held(items: list[Credential | str], until: dt.date) -> list[str]:
    """The items held by ``until``, as written: ``name（2024年9月）`` for a dated one."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif item.date <= until:
            out.append(f"{item.name}（{item.date.year}年{item.date.month}月）")
    return out


def person_record(
    person: Person, body: LoadedBody | None, until: dt.date
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(qualifications, training) of a team member by ``until`` (the period's end): the body's staff
    record joined with what the evaluation adds, each once, in order."""
    record = staff_record(body, person.id)
    if record is None:
        return tuple(person.qualifications), tuple(person.training)
    qualifications = dict.fromkeys([*_held(record.qualifications, until), *person.qualifications])
    training = dict.fromkeys([*_held(record.training, until), *person.training])
    return tuple(qualifications), tuple(training)


def _present(records: BodyRecords, key: str) -> bool:
    value = getattr(records, key)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def check_body(
    loaded: LoadedEvaluation, repo: Repository, system: LoadedSystem | None
) -> Iterator[Diagnostic]:
    """E517 for each required body record missing; E518 for each team member without training or
    qualifications; E419 when a staff record with the member's id names someone else."""
    ev, tree = loaded.evaluation, repo.organisations
    need = requirements(system)
    org = tree.resolve(ev.body.name) if tree.present else None
    if org is None:
        return  # unknown body (E418) or no organisations.yaml (E419): nothing to look up
    body = repo.body_for(ev)
    if body is None and repo.bodies_unread:
        return  # perhaps the body's records are the folder refused or unreadable (reported there)
    if need.records and body is None:
        wanted = "、".join(BODY_RECORD_NAMES[k][0] for k in need.records)
        yield loaded.source.diag(
            ("body", "name"),
            "E517",
            body=org.name,
            detail="records_bodies_body_yaml",
            bodies_dir=BODIES_DIR,
            id=org.id,
            wanted=wanted,
        )
        return  # the staff records belong in the same file: not reported again per member
    if body is not None and not body.source.cut:  # a key cut for a schema error is not "missing"
        for key in need.records:
            if not _present(body.records, key):
                yield body.source.diag(
                    (key,),
                    "E517",
                    body=org.name,
                    what=BODY_RECORD_NAMES[key][0],
                    what_en=BODY_RECORD_NAMES[key][1],
                    detail="body_record_field",
                    rel=body.rel,
                    key=key,
                )
    for i, person in enumerate(ev.team):
        record = staff_record(body, person.id)
        if record is not None and "".join(record.name.split()) != "".join(person.name.split()):
            yield loaded.source.diag(
                ("team", i, "name"),
                "E419",
                detail="staff_record_body_not",
                id=person.id,
                name=record.name,
                name2=person.name,
            )
        qualifications, training = person_record(person, body, ev.period.end)
        have = {"training": training, "qualifications": qualifications}
        for field in need.staff:
            if not have[field] and not _staff_cut(body, person.id):
                yield loaded.source.diag(
                    ("team", i),
                    "E518",
                    name=person.name,
                    id=person.id,
                    what=STAFF_RECORD_NAMES[field][0],
                    what_en=STAFF_RECORD_NAMES[field][1],
                    field=field,
                )


def _staff_cut(body: LoadedBody | None, person_id: str) -> bool:
    """True when a piece of the body's staff records was cut for a schema error: a member's
    training or qualifications may have been in it."""
    if body is None:
        return False
    return person_id in body.source.cut_ids or any(p[:1] == ("staff",) for p in body.source.cut)
