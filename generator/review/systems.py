"""Compare indicator systems folder by folder: system-wide fields and each indicator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.load.repository import IndicatorNode, LoadedSystem
from generator.review.model import Change, IndicatorEdit, Status, SystemDiff
from generator.review.show import show
from generator.score.rules import describe

SYSTEM_FIELDS = (
    "name",
    "edition",
    "effective",
    "scale",
    "bonus_cap",
    "rounding",
    "raters",
    "modes",
    "measures",
    "grades",
    "sample",
)
"""System-wide fields a reviewer needs to see move (parts only regroup indicators, so they are left out)."""
INDICATOR_FIELDS = (
    "name",
    "parent",
    "weight",
    "rule",
    "method",
    "platform",
    "data_source",
    "evidence",
    "source",
    "description",
)
"""Indicator fields compared, most consequential first."""


def _field(node: IndicatorNode, key: str) -> object:
    """The comparable value of one indicator field."""
    if key == "parent":
        return node.parent
    value = getattr(node.indicator, key)
    return value.model_dump(mode="json") if key == "rule" and value is not None else value


def _shown(node: IndicatorNode, key: str) -> str | None:
    """The field as a reviewer reads it (rules in words)."""
    if key == "rule":
        return describe(node.indicator.rule) if node.indicator.rule is not None else None
    return show(_field(node, key))


def indicator_edits(
    before: Mapping[str, IndicatorNode], after: Mapping[str, IndicatorNode]
) -> list[IndicatorEdit]:
    """Indicators added, removed or changed, in head's order then base's."""
    edits: list[IndicatorEdit] = []
    for ind_id in [*after, *(i for i in before if i not in after)]:
        old, new = before.get(ind_id), after.get(ind_id)
        if old is None and new is not None:
            edits.append(IndicatorEdit(ind_id, new.indicator.name, "added"))
        elif new is None and old is not None:
            edits.append(IndicatorEdit(ind_id, old.indicator.name, "removed"))
        elif old is not None and new is not None:
            changes = tuple(
                Change(k, _shown(old, k), _shown(new, k))
                for k in INDICATOR_FIELDS
                if _field(old, k) != _field(new, k)
            )
            if changes:
                edits.append(IndicatorEdit(ind_id, new.indicator.name, "changed", changes))
    return edits


def _meta(before: LoadedSystem, after: LoadedSystem) -> tuple[Change, ...]:
    old = before.system.model_dump(mode="json")
    new = after.system.model_dump(mode="json")
    return tuple(Change(k, show(old[k]), show(new[k])) for k in SYSTEM_FIELDS if old[k] != new[k])


def compare_systems(
    before: Mapping[str, LoadedSystem],
    after: Mapping[str, LoadedSystem],
    uses: Iterable[tuple[str, str, str]],
) -> tuple[SystemDiff, ...]:
    """Systems (by folder) that differ; ``uses`` lists (evaluation id, system id, edition) from both sides."""
    uses = list(uses)
    found: list[SystemDiff] = []
    for folder in sorted({*before, *after}):
        old, new = before.get(folder), after.get(folder)
        ref = new or old
        assert ref is not None
        keys = {s.key for s in (old, new) if s is not None}
        affected = tuple(sorted({ev for ev, sid, ed in uses if (sid, ed) in keys}))
        if old is None or new is None:
            status: Status = "added" if old is None else "removed"
            found.append(SystemDiff(folder, ref.system.id, ref.system.name, status, affected=affected))
            continue
        meta = _meta(old, new)
        edits = tuple(indicator_edits(old.index, new.index))
        if meta or edits:
            found.append(SystemDiff(folder, new.system.id, new.system.name, "changed", meta, edits, affected))
    return tuple(found)
