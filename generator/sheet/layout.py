"""The score sheet's shape: columns, sheet names, and the rows an evaluation gives.

Both directions read this module, so a column renamed here is renamed for export and import alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import ScoreEntry
from generator.model.system import Indicator
from generator.score.engine import collect_entries
from generator.score.rules import describe
from generator.sheet.cells import People, normal, read_only, show_evidence, show_observation

FORMAT = "zwpj-sheet-1"
"""Version tag of the workbook layout, written in the metadata sheet."""
META_SHEET = "_zwpj"
"""Hidden sheet holding the metadata and the values as exported."""
HELP_SHEET = "填写说明"
"""Sheet explaining how to fill the cells."""
ORIGINALS_ROW = 10
"""Row of the metadata sheet where the table of exported values starts (its header)."""


@dataclass(frozen=True)
class Column:
    """One column of a score sheet."""

    key: str
    """Field key (ScoreEntry field for editable columns)."""
    header: str
    """Chinese header shown in row 1."""
    width: float
    """Column width in characters."""
    editable: bool = False
    """True when import reads it back into the YAML."""


COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", 9),
    Column("name", "指标名称", 24),
    Column("rule", "计分规则", 44),
    Column("weight", "分值", 7),
    Column("observation", "观测值", 18, True),
    Column("not_applicable", "不适用理由", 16, True),
    Column("evaluators", "评价人员", 14, True),
    Column("comment", "说明/意见", 48, True),
    Column("evidence", "证据", 40, True),
)
"""Columns in order."""
EDITABLE: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.editable)
"""Keys of the columns import reads back."""
HEADERS: dict[str, str] = {c.key: c.header for c in COLUMNS}
"""Key → header."""


@dataclass(frozen=True)
class Row:
    """One leaf indicator's row."""

    indicator: Indicator
    """The leaf indicator."""
    depth: int
    """Its depth in the tree (for indentation)."""
    values: dict[str, Any]
    """Column key → cell value."""
    locked: str | None
    """Why the observation cell is read-only, if it is."""


def sheet_title(mode_name: str | None) -> str:
    """Worksheet title for a mode (Excel allows 31 characters and no []:*?/\\)."""
    title = "评分表" if mode_name is None else f"评分表-{mode_name}"
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]


def people_of(loaded: LoadedEvaluation) -> People:
    """Everyone who may be named as an evaluator."""
    ev = loaded.evaluation
    return People({p.id: p.name for p in (*ev.team, *ev.experts, *ev.party_staff)})


def entry_cells(ind: Indicator, entry: ScoreEntry | None, people: People) -> dict[str, Any]:
    """The editable cells of one entry, as export writes them."""
    return {
        "observation": show_observation(ind, entry, people),
        "not_applicable": entry.not_applicable if entry else None,
        "evaluators": people.show(entry.evaluators) or None if entry else None,
        "comment": entry.comment if entry else None,
        "evidence": show_evidence(entry.evidence) if entry else None,
    }


def modes_of(system: LoadedSystem) -> list[tuple[str | None, str | None]]:
    """(mode id, mode name) per worksheet; one (None, None) when the system has no modes."""
    return [(m.id, m.name) for m in system.system.modes] or [(None, None)]


def rows(loaded: LoadedEvaluation, system: LoadedSystem, mode: str | None) -> Iterator[Row]:
    """One row per leaf indicator, in system order, with the entry's current values."""
    entries = collect_entries(loaded).get(mode, {})
    people = people_of(loaded)
    for node in system.leaves():
        ind = node.indicator
        found = entries.get(ind.id)
        entry = found.entry if found else None
        values = {
            "id": ind.id,
            "name": ind.name,
            "rule": describe(ind.rule) if ind.rule else "",
            "weight": ind.weight,
            **entry_cells(ind, entry, people),
        }
        yield Row(ind, node.depth, values, read_only(ind, entry))


def as_text(values: dict[str, Any]) -> dict[str, str]:
    """Editable cells as comparable text."""
    return {k: normal(values.get(k)) for k in EDITABLE}
