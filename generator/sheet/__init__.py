"""Score sheets: export an evaluation's entries to XLSX for Excel/WPS and import the filled sheet back."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.pipeline import check
from generator.sheet.export import export_sheet
from generator.sheet.importer import ImportResult, apply_edits, check_identity, open_sheet, read_edits

__all__ = ["ImportResult", "export_sheet", "import_sheet", "load_target"]


def load_target(root: Path, folder: Path) -> tuple[LoadedEvaluation, LoadedSystem] | list[Diagnostic]:
    """The evaluation and its system, or the errors that keep them from loading.

    Validation errors (an unscored indicator, say) do not block: filling them is what a sheet is for.
    """
    checked = check(root, only=[folder])
    if not checked.repo.evaluations:
        return [d for d in checked.diagnostics if d.severity.value == "error"]
    loaded = checked.repo.evaluations[0]
    system = checked.repo.system_for(loaded.evaluation)
    if system is None:  # not found (E401, E402), or unreadable: its own errors say why
        return checked.problems_of(loaded) or [d for d in checked.diagnostics if d.code in ("E401", "E402")]
    return loaded, system


def import_sheet(root: Path, folder: Path, xlsx: Path, *, shown: str | None = None) -> ImportResult:
    """Read a filled sheet into the evaluation's score files; nothing changes when any cell is bad."""
    target = load_target(root, folder)
    if isinstance(target, list):
        return ImportResult(diagnostics=target)
    loaded, system = target
    sheet, problems = open_sheet(xlsx, shown or str(xlsx))
    if sheet is None:
        return ImportResult(diagnostics=problems)
    problems = check_identity(sheet, loaded)
    if problems:
        return ImportResult(diagnostics=problems)
    edits, problems = read_edits(sheet, loaded, system)
    if problems:
        return ImportResult(diagnostics=sorted(problems))
    return ImportResult(edits=edits, files=apply_edits(loaded, system, edits))
