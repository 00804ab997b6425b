"""Who submits the report to whom (§8.5.2) and who confirms the result (§8.5.3), by the organisation tree.

The body submits to the commissioning party; the evaluated party confirms or objects. A name may
carry the person in brackets, e.g. ``合肥市数据资源局（李娜）``; a unit of the party counts as the party.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.organisations import OrgTree, split_person
from generator.load.repository import LoadedEvaluation, Repository
from generator.load.yamlsource import PathKey
from generator.messages import PART_OF, PARTY_ROLES, UNRELATED
from generator.model.organisation import Organisation
from generator.validate.independence import unknown_organisation


def _role(tree: OrgTree, org: Organisation, loaded: LoadedEvaluation) -> tuple[str, str]:
    """What ``org`` is in this evaluation, for a message."""
    ev = loaded.evaluation
    for key, (zh, en) in PARTY_ROLES.items():
        party = tree.resolve(getattr(ev, key).name)
        if party is not None and tree.within(org.id, party.id):
            return PART_OF[0].format(role=zh), PART_OF[1].format(role=en)
    return UNRELATED


def _resolve(
    tree: OrgTree, loaded: LoadedEvaluation, at: PathKey, text: str
) -> tuple[Organisation | None, str | None, list[Diagnostic]]:
    org, person = tree.resolve_with_person(text)
    if org is None:
        return None, person, list(unknown_organisation(tree, loaded.source, at, split_person(text)[0]))
    return org, person, []


def _named_within(
    tree: OrgTree,
    loaded: LoadedEvaluation,
    at: PathKey,
    text: str,
    party: Organisation | None,
    code: str,
    detail: str,
) -> tuple[Organisation | None, str | None, list[Diagnostic]]:
    """The organisation ``text`` names (and the person in brackets), with ``code`` when it is neither
    ``party`` nor a unit of it (or an unknown-organisation problem when the tree does not know it)."""
    org, person, found = _resolve(tree, loaded, at, text)
    if org is not None and party is not None and not tree.within(org.id, party.id):
        zh, en = _role(tree, org, loaded)
        found.append(
            loaded.source.diag(at, code, detail=detail, name=party.name, name2=org.name, zh=zh, en=en)
        )
    return org, person, found


def check_submission_parties(loaded: LoadedEvaluation, repo: Repository) -> Iterator[Diagnostic]:
    """E514: the report went to someone other than the commissioner, or came from other than the body."""
    ev, tree = loaded.evaluation, repo.organisations
    sub = ev.submission
    if sub is None or not tree.present:
        return
    commissioner, body = tree.resolve(ev.commissioner.name), tree.resolve(ev.body.name)
    *_, found = _named_within(
        tree, loaded, ("submission", "to"), sub.to, commissioner, "E514", "report_must_go_commissioner_not"
    )
    yield from found
    if sub.by is not None:
        *_, found = _named_within(
            tree, loaded, ("submission", "by"), sub.by, body, "E514", "report_must_come_from_evaluation"
        )
        yield from found


def check_confirmer(loaded: LoadedEvaluation, repo: Repository) -> Iterator[Diagnostic]:
    """E515: the result was confirmed by someone other than the evaluated party."""
    ev, tree = loaded.evaluation, repo.organisations
    conf = ev.confirmation
    if conf is None or conf.by is None or not tree.present:
        return
    evaluated = tree.resolve(ev.evaluated.name)
    at = ("confirmation", "by")
    org, person, found = _named_within(
        tree, loaded, at, conf.by, evaluated, "E515", "evaluated_party_confirms_not"
    )
    yield from found
    if found or org is None or evaluated is None:
        return
    for group in ("team", "experts", "party_staff"):
        for member in getattr(ev, group):
            affiliation = tree.resolve(member.affiliation)
            if (
                member.name == person
                and affiliation is not None
                and not tree.within(affiliation.id, evaluated.id)
            ):
                zh, en = _role(tree, affiliation, loaded)
                unit = f"所在单位“{affiliation.name}”{zh.lstrip('，')}"
                yield loaded.source.diag(
                    at,
                    "E515",
                    detail="works_for_not_party",
                    person=person,
                    id=member.id,
                    unit=unit,
                    name=affiliation.name,
                    en=en,
                )
