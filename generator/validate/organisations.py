"""Checks of the repository's organisation tree and evaluation bodies' records."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, diag
from generator.load.organisations import ORGANISATIONS_FILE, PATH_SHOWN, OrgTree, normal
from generator.load.repository import Repository
from generator.load.schema_errors import suggestion


def validate_organisations(repo: Repository) -> list[Diagnostic]:
    """The registry's ids, names, parents; the bodies' organisations and documents."""
    tree = repo.organisations
    if tree.source is None:
        if not repo.evaluations:
            return []
        return [diag(ORGANISATIONS_FILE, 0, 0, "E419", detail="repository_has_no_organisations_yaml")]
    found = list(_registry(tree)) if tree.present else []
    found.extend(_bodies(repo))
    return found


def _registry(tree: OrgTree) -> Iterator[Diagnostic]:
    assert tree.source is not None and tree.registry is not None
    src, orgs = tree.source, tree.registry.organisations
    first_id: dict[str, int] = {}
    first_name: dict[str, tuple[str, str]] = {}
    for i, org in enumerate(orgs):
        if org.id in first_id:
            line = src.where(("organisations", first_id[org.id], "id"))[0]
            yield src.diag(
                ("organisations", i, "id"), "E419", detail="duplicate_organisation_id", id=org.id, line=line
            )
            continue
        first_id[org.id] = i
        for j, name in enumerate((org.name, *org.aliases)):
            key = normal(name)
            at = ("organisations", i, "name") if j == 0 else ("organisations", i, "aliases", j - 1)
            if key in first_name and first_name[key][0] != org.id:
                owner = first_name[key][1]
                yield src.diag(at, "E419", detail="name_already_names", name=name, owner=owner)
            first_name.setdefault(key, (org.id, org.name))
    ids = list(tree.by_id)
    rings = cycles(tree)
    for i, org in enumerate(orgs):
        if org.parent is None or tree.by_id.get(org.id) is not org:
            continue
        at = ("organisations", i, "parent")
        if org.parent not in tree.by_id:
            zh, en = suggestion(org.parent, ids)
            yield src.diag(
                at, "E419", detail="parent_not_listed", name=org.name, parent=org.parent, zh=zh, en=en
            )
        elif org.id in rings:
            ring = rings[org.id] if len(rings[org.id]) <= PATH_SHOWN else [*rings[org.id][:3], "…", org.id]
            yield src.diag(
                at, "E419", detail="parents_form_cycle", value=" → ".join(ring), value2=" -> ".join(ring)
            )


def cycles(tree: OrgTree) -> dict[str, list[str]]:
    """Each organisation on a cycle of parents → the cycle from it back to it (a → b → a).

    Every chain is walked once (organisations already settled stop a walk), so a registry of any
    size and depth is checked in linear time."""
    settled: set[str] = set()
    found: dict[str, list[str]] = {}
    for start in tree.by_id:
        walk: list[str] = []
        on_walk: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in tree.by_id and current not in settled:
            if current in on_walk:
                ring = walk[on_walk[current] :]
                for i, member in enumerate(ring):
                    found[member] = [*ring[i:], *ring[:i], member]
                break
            on_walk[current] = len(walk)
            walk.append(current)
            current = tree.by_id[current].parent
        settled.update(walk)
    return found


def _bodies(repo: Repository) -> Iterator[Diagnostic]:
    tree = repo.organisations
    owners: dict[str, str] = {}
    for body in repo.bodies:
        records, src = body.records, body.source
        if tree.present and records.organisation not in tree.by_id:
            zh, en = suggestion(records.organisation, list(tree.by_id))
            yield src.diag(
                ("organisation",),
                "E419",
                detail="body_organisation_not_organisation_id",
                organisation=records.organisation,
                zh=zh,
                en=en,
            )
        elif records.organisation in owners:
            first = owners[records.organisation]
            yield src.diag(
                ("organisation",),
                "E419",
                detail="body_already_has_records_in",
                organisation=records.organisation,
                first=first,
            )
        owners.setdefault(records.organisation, src.rel)
        yield from body.documents  # looked up when loaded
