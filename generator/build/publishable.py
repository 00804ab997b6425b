"""What a build may publish from a checked repository, and what it leaves out and why.

An error belongs to the evaluation folder or indicator system folder its file is in. A faulty
evaluation is left out; a faulty system is left out with every evaluation that uses it; the rest
is published. Errors in files that belong to neither (the working-day calendar, the publishing
settings) concern every page, so nothing is published while they stand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation, LoadedSystem, rel_path
from generator.pipeline import Checked

Kind = Literal["evaluation", "system"]


@dataclass(frozen=True)
class LeftOut:
    """An evaluation or indicator system that is not published because of errors."""

    kind: Kind
    """``evaluation`` or ``system``."""
    folder: str
    """Its folder relative to the repository root."""
    id: str
    """Evaluation id or system id (the folder name when the file could not be read)."""
    title: str | None
    """Title of the evaluation or name of the system, when it could be read."""
    errors: tuple[Diagnostic, ...]
    """The errors that keep it out (for an evaluation, its system's errors included)."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The distinct codes of its errors, in order."""
        return tuple(dict.fromkeys(d.code for d in self.errors))


@dataclass(frozen=True)
class Publishable:
    """The checked repository split into what is published and what is left out."""

    evaluations: tuple[LoadedEvaluation, ...]
    """Evaluations without errors whose system has none either."""
    systems: tuple[LoadedSystem, ...]
    """Indicator system editions without errors."""
    left_out: tuple[LeftOut, ...]
    """Evaluations and systems kept out, systems first, each sorted by folder."""
    blocking: tuple[Diagnostic, ...]
    """Errors outside every evaluation and system folder: while any stands, nothing is published."""


def _owner(file: str) -> str | None:
    """``evaluations/<x>`` or ``indicators/<x>`` holding a file, else None."""
    parts = file.split("/")
    if len(parts) >= 3 and parts[0] in ("evaluations", "indicators"):
        return f"{parts[0]}/{parts[1]}"
    return None


def split_publishable(checked: Checked) -> Publishable:
    """Which evaluations and systems the build publishes, which it leaves out and why."""
    repo = checked.repo
    by_folder: dict[str, list[Diagnostic]] = defaultdict(list)
    blocking = []
    for d in checked.errors:
        owner = _owner(d.file)
        if owner is None:
            blocking.append(d)
        else:
            by_folder[owner].append(d)
    systems, left = [], []
    for system in sorted(repo.systems.values(), key=lambda s: (rel_path(repo.root, s.folder), s.key)):
        folder = rel_path(repo.root, system.folder)
        if by_folder.get(folder):
            left.append(
                LeftOut("system", folder, system.system.id, system.system.name, tuple(by_folder[folder]))
            )
        else:
            systems.append(system)
    known = {rel_path(repo.root, s.folder) for s in repo.systems.values()}
    for folder in sorted(f for f in by_folder if f.startswith("indicators/") and f not in known):
        left.append(LeftOut("system", folder, folder.split("/", 1)[1], None, tuple(by_folder[folder])))
    evaluations = []
    loaded = {e.rel: e for e in repo.evaluations}
    for folder in sorted({*loaded, *(f for f in by_folder if f.startswith("evaluations/"))}):
        evaluation = loaded.get(folder)
        problems = checked.problems_of(evaluation) if evaluation is not None else by_folder[folder]
        if not problems:
            evaluations.append(evaluation)
            continue
        title = evaluation.evaluation.title if evaluation is not None else None
        left.append(LeftOut("evaluation", folder, folder.split("/", 1)[1], title, tuple(problems)))
    return Publishable(
        tuple(e for e in evaluations if e is not None), tuple(systems), tuple(left), tuple(blocking)
    )
