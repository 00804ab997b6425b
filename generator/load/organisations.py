"""The repository's organisations (``organisations.yaml``) and evaluation bodies (``bodies/``), as
``load.repository.load_shared`` reads them.

The organisations form a tree through ``parent``. A name written in an evaluation is resolved to
one organisation by its name or an alias (compared after Unicode NFKC folding and without spaces,
so full- and half-width brackets and stray spaces do not matter); nothing is decided by comparing
two names directly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.yamlsource import Source, refusal
from generator.model.organisation import BodyRecords, Organisation, OrganisationRegistry

ORGANISATIONS_FILE = "organisations.yaml"
"""The organisation registry, at the repository root."""
BODIES_DIR = "bodies"
"""Folder of evaluation bodies' records: ``bodies/<folder>/body.yaml``."""
SHARED_INPUTS = (ORGANISATIONS_FILE, BODIES_DIR)
"""Repository-level inputs every evaluation's checks and pages read."""

PATH_SHOWN = 6
"""Most organisations a relation's path names in a message."""
NAME_SHOWN = 60
"""Longest name a message repeats in full."""


def shown(name: str) -> str:
    """A name as a message repeats it: cut at NAME_SHOWN characters."""
    return name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN] + "…"


def normal(name: str) -> str:
    """A name folded for lookup: NFKC (full-width brackets become ASCII), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def split_person(text: str) -> tuple[str, str | None]:
    """``某某局（张三）`` → (``某某局``, ``张三``); text without a trailing bracket → (text, None).

    One scan from the end (no backtracking), whatever the text holds."""
    text = text.strip()
    if not text.endswith(("）", ")")):
        return text, None
    start = max(text.rfind("（"), text.rfind("("))
    inner = text[start + 1 : -1]
    if start <= 0 or any(c in inner for c in "（）()"):
        return text, None
    return text[:start].strip(), (inner.strip() or None)


@dataclass
class OrgTree:
    """The organisations indexed by id and by every name they are written under."""

    source: Source | None = None
    """organisations.yaml's positions; None when the file is missing or unreadable."""
    registry: OrganisationRegistry | None = None
    """Its content."""
    by_id: dict[str, Organisation] = field(default_factory=dict)
    """Organisation by id (the first, when an id is listed twice)."""
    by_name: dict[str, str] = field(default_factory=dict)
    """Folded name or alias → organisation id (the first, when a name is listed twice)."""

    @property
    def present(self) -> bool:
        """True when organisations.yaml was read."""
        return self.registry is not None

    def resolve(self, name: str) -> Organisation | None:
        """The organisation written as ``name`` (a name or an alias), if listed."""
        found = self.by_name.get(normal(name))
        return self.by_id.get(found) if found else None

    def resolve_with_person(self, text: str) -> tuple[Organisation | None, str | None]:
        """``某某局`` or ``某某局（张三）``: the organisation and the person named in brackets."""
        org = self.resolve(text)
        if org is not None:
            return org, None
        name, person = split_person(text)
        return self.resolve(name), person

    def chain(self, org_id: str) -> list[str]:
        """``org_id`` and its ancestors, nearest first; stops at an unknown parent or a cycle."""
        out: list[str] = []
        seen: set[str] = set()
        current: str | None = org_id
        while current is not None and current in self.by_id and current not in seen:
            out.append(current)
            seen.add(current)
            current = self.by_id[current].parent
        return out

    def within(self, org_id: str, root_id: str) -> bool:
        """True when ``org_id`` is ``root_id`` or one of its units, at any depth."""
        return root_id in self.chain(org_id)

    def names(self) -> list[str]:
        """Every name and alias, for "did you mean" suggestions."""
        return [n for o in self.by_id.values() for n in (o.name, *o.aliases)]

    def path_text(self, org_id: str, until: str) -> str:
        """``单位 ← 上级 ← … ← until``, for messages that explain a relation (a long chain is cut in
        the middle, so a message stays readable)."""
        chain = self.chain(org_id)
        chain = chain[: chain.index(until) + 1] if until in chain else chain
        names = [shown(self.by_id[i].name) for i in chain]
        if len(names) > PATH_SHOWN:
            names = [*names[:3], "…", *names[-2:]]
        return " ← ".join(names)


@dataclass
class LoadedBody:
    """An evaluation body's records, from ``bodies/<folder>/body.yaml``."""

    folder: Path
    """The body's folder."""
    source: Source
    """body.yaml's positions."""
    records: BodyRecords
    """Its content."""
    documents: tuple[Diagnostic, ...] = ()
    """E406/E407 for the documents it names, looked up once when loaded."""

    @property
    def rel(self) -> str:
        """body.yaml's path relative to the repository root."""
        return self.source.rel

    def refused(self, name: str) -> bool:
        """True when the document ``name`` (relative to the body's folder) is a link out of the
        repository or no regular file: it is reported where it stands (E110, E111), never read."""
        path = self.folder / name
        root = self.folder.parents[1]  # bodies/<folder>
        return (path.is_symlink() or path.exists()) and refusal(path, name, root) is not None


def build_tree(source: Source, registry: OrganisationRegistry) -> OrgTree:
    """Index a registry; duplicates keep the first entry (validation reports the rest)."""
    tree = OrgTree(source, registry)
    for org in registry.organisations:
        tree.by_id.setdefault(org.id, org)
        for name in (org.name, *org.aliases):
            tree.by_name.setdefault(normal(name), org.id)
    return tree
