"""Problems that only repeat a schema error in other words, left out so one run lists the real ones.

When a piece of a file is cut out for a schema error (``generator.load.salvage``), or a whole file
cannot be read, checks of what is left would report its absence: an indicator "unscored" whose
entry was cut, a weight total short of the indicator cut, a person "unknown" whose record was
cut. The schema error is already reported at the right place; these are not.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation, LoadedSystem

PEOPLE = ("team", "experts", "party_staff")
"""Lists of evaluation.yaml that people are named from."""
ABSENCE_CODES = ("E410", "E501")
"""Codes that report something missing from evaluation.yaml: not judged once a piece of it was cut."""


def system_knock_on(d: Diagnostic, system: LoadedSystem) -> bool:
    """True for a system problem caused by a piece cut from (or a part missing in) its files."""
    args = dict(d.args)
    if d.code == "E308":
        return system.incomplete or "indicators" in system.cut_sections
    if d.code == "E302":
        return args.get("id") in system.cut_parents
    if d.code == "E304":  # an indicator that lost a key (its weight, say) to a schema error
        return args.get("id") in system.cut_ids
    if d.code == "E303":
        return "grades" in system.cut_sections
    if d.code == "E306":
        return "modes" in system.cut_sections
    if d.code == "E307":
        return args.get("name") in system.cut_ids or "measures" in system.cut_sections
    return False


def evaluation_knock_on(d: Diagnostic, loaded: LoadedEvaluation, system: LoadedSystem | None) -> bool:
    """True for an evaluation problem caused by a piece cut from its files or its system's."""
    args = dict(d.args)
    source = loaded.source
    if d.code in ABSENCE_CODES:
        return bool(source.cut)
    if d.code == "E411":  # a person whose record was cut is "unknown" under any id
        return any(p[0] in PEOPLE for p in source.cut)
    if d.code in ("E404", "T901"):  # an entry cut for a schema error is not "unscored"
        cut_entries = {p[1] for s in loaded.score_files for p in s.source.cut if len(p) == 2}
        return args.get("id") in cut_entries or any(p[0] == "scores" for p in source.cut)
    if d.code == "E605":
        return any(p[0] == "datasets" for p in source.cut)
    if d.code == "E403" and system is not None:
        return system.incomplete or args.get("id") in system.cut_ids
    return False
