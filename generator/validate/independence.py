"""Independence (独立性, §4.1), decided by the organisation tree.

Everyone who can influence a score is checked: the evaluation body, the work group, the experts,
and every person named as an indicator's evaluator or as a rater. A conflict is an organisation
that is the evaluated party, one of its units or one of its superiors; for people, also the
commissioning party or one of its units (the body itself is chosen by the commissioner, so its
own staff are judged as the body is). Scores given under a self-assessment mode of the system
(``self_assessment: true``) are the evaluated party's own and are not conflicts; the outputs label
them as such. Names that do not resolve get E418 (and nothing is decided for them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Worded
from generator.load.organisations import OrgTree, shown
from generator.load.repository import LoadedEvaluation, Repository
from generator.load.schema_errors import suggestion
from generator.load.yamlsource import PathKey, Source
from generator.messages import PERSON_GROUPS
from generator.model.evaluation import Person
from generator.model.organisation import Organisation
from generator.validate.process.placeholders import find_placeholder

GROUPS = tuple(PERSON_GROUPS)
"""The groups of people an evaluation names."""


@dataclass(frozen=True)
class Parties:
    """The three parties of an evaluation, resolved (None when a name does not resolve)."""

    evaluated: Organisation | None
    """被评价方."""
    commissioner: Organisation | None
    """委托方."""
    body: Organisation | None
    """评价机构."""


def self_assessment_modes(repo: Repository, loaded: LoadedEvaluation) -> set[str]:
    """Ids of the system's self-assessment modes."""
    system = repo.system_for(loaded.evaluation)
    return {m.id for m in system.system.modes if m.self_assessment} if system else set()


def check_independence(loaded: LoadedEvaluation, repo: Repository) -> Iterator[Diagnostic]:
    """E418 for names not in the tree; E412 for each conflict, located where the person or body is named."""
    tree = repo.organisations
    if not tree.present:
        return  # a missing or unreadable organisations.yaml is reported once, not per name
    ev, src = loaded.evaluation, loaded.source
    resolved = {}
    for key in ("evaluated", "commissioner", "body"):
        name = getattr(ev, key).name
        resolved[key] = tree.resolve(name)
        if resolved[key] is None:
            yield from unknown_organisation(tree, src, (key, "name"), name)
    parties = Parties(**resolved)
    self_modes = self_assessment_modes(repo, loaded)
    whole_self = ev.mode is not None and ev.mode in self_modes
    affiliations: dict[str, Organisation | None] = {}
    for group in GROUPS:
        for i, person in enumerate(getattr(ev, group)):
            org = tree.resolve(person.affiliation)
            affiliations[person.id] = org
            if org is None:
                yield from unknown_organisation(tree, src, (group, i, "affiliation"), person.affiliation)
    if whole_self:
        return
    if parties.body is not None:
        why = _relation(tree, parties.body, parties, person=False)
        if why is not None:
            yield _conflict(src, ("body", "name"), Worded("who_body", body=parties.body.name), why)
    checked: set[str] = set()
    for group in ("team", "experts"):
        for i, person in enumerate(getattr(ev, group)):
            checked.add(person.id)
            why = _person_relation(tree, affiliations.get(person.id), parties)
            if why is not None:
                yield _conflict(src, (group, i, "affiliation"), _who(group, person), why)
    people = {p.id: (g, p) for g in GROUPS for p in getattr(ev, g)}
    for score_file in loaded.score_files:
        if score_file.scores.mode in self_modes:
            continue
        for ind_id, entry in score_file.scores.indicators.items():
            named: list[tuple[PathKey, str]] = [
                (("indicators", ind_id, "evaluators", j), pid) for j, pid in enumerate(entry.evaluators)
            ]
            named += [
                (("indicators", ind_id, "ratings", j, "rater"), r.rater) for j, r in enumerate(entry.ratings)
            ]
            for at, pid in named:
                if pid in checked or pid not in people:
                    continue  # already judged at their own entry; unknown ids are E411
                group, person = people[pid]
                why = _person_relation(tree, affiliations.get(pid), parties)
                if why is not None:
                    variant = "who_rater" if "ratings" in at else "who_evaluator"
                    group_zh, group_en = PERSON_GROUPS[group]
                    who = Worded(
                        variant, indicator=ind_id, name=person.name, id=pid, group=group_zh, group_en=group_en
                    )
                    yield _conflict(score_file.source, at, who, why)


def _who(group: str, person: Person) -> Worded:
    group_zh, group_en = PERSON_GROUPS[group]
    return Worded("who_person", name=person.name, id=person.id, group=group_zh, group_en=group_en)


def _person_relation(tree: OrgTree, org: Organisation | None, parties: Parties) -> Worded | None:
    """Why a person's organisation is not independent, or None. The body's own staff are judged as
    the body is: a conflict of the body is reported once, at the body."""
    if org is None or (parties.body is not None and tree.within(org.id, parties.body.id)):
        return None
    return _relation(tree, org, parties, person=True)


def _relation(tree: OrgTree, org: Organisation, parties: Parties, *, person: bool) -> Worded | None:
    """How ``org`` stands to the evaluated party (and, for a person, the commissioner).

    For a person the text names their organisation (所在单位“X”…); for the body it follows its name."""
    evaluated = parties.evaluated
    if evaluated is not None:
        if org.id == evaluated.id:
            return Worded("person_is_evaluated" if person else "body_is_evaluated", org=org.name)
        if tree.within(org.id, evaluated.id):
            path = tree.path_text(org.id, evaluated.id)
            return Worded(
                "person_under_evaluated" if person else "body_under_evaluated",
                org=org.name,
                party=evaluated.name,
                path=path,
            )
        if tree.within(evaluated.id, org.id):
            path = tree.path_text(evaluated.id, org.id)
            return Worded(
                "person_above_evaluated" if person else "body_above_evaluated",
                org=org.name,
                party=evaluated.name,
                path=path,
            )
    commissioner = parties.commissioner
    if person and commissioner is not None and org.id == commissioner.id:
        return Worded("person_is_commissioner", org=org.name)
    if person and commissioner is not None and tree.within(org.id, commissioner.id):
        path = tree.path_text(org.id, commissioner.id)
        return Worded("person_within_commissioner", org=org.name, party=commissioner.name, path=path)
    return None


def _conflict(src: Source, at: PathKey, who: Worded, why: Worded) -> Diagnostic:
    return src.diag(
        at,
        "E412",
        who=who.said("who"),
        who_en=who.said("who_en"),
        why=why.said("why"),
        why_en=why.said("why_en"),
    )


def unknown_organisation(tree: OrgTree, src: Source, at: PathKey, name: str) -> Iterator[Diagnostic]:
    """E418, unless the name is still the scaffold's placeholder (reported as such)."""
    if find_placeholder(name):
        return
    zh, en = suggestion(name, tree.names())
    prefix = _registered_prefix(tree, name) if not zh else None
    if prefix is not None:
        variant = "organisation_unit_of_listed"
        yield src.diag(at, "E418", detail=variant, name=shown(name), listed=prefix.name, listed_id=prefix.id)
        return
    yield src.diag(at, "E418", name=shown(name), suggestion_zh=zh, suggestion_en=en)


def _registered_prefix(tree: OrgTree, name: str) -> Organisation | None:
    """The listed organisation whose name begins ``name`` the longest way (a hint, never a decision)."""
    best = None
    for org in tree.by_id.values():
        for known in (org.name, *org.aliases):
            if name.startswith(known) and (best is None or len(known) > len(best[0])):
                best = (known, org)
    return best[1] if best else None
