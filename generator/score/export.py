"""Scorecards as JSON and CSV, for downloads, open data and the ``score`` command."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable
from typing import Any

from generator.load.spreadsheets import csv_cells
from generator.score.card import Scorecard

CSV_COLUMNS = [
    ("evaluation_id", "评价编号"),
    ("system_id", "指标体系"),
    ("system_edition", "版本"),
    ("mode", "评价方式"),
    ("id", "指标编号"),
    ("name", "指标名称"),
    ("depth", "层级"),
    ("parent", "上级指标"),
    ("rule_kind", "计分规则"),
    ("weight", "分值"),
    ("effective_weight", "实际权重"),
    ("status", "状态"),
    ("observation", "观测值"),
    ("fraction", "得分率"),
    ("points", "得分"),
    ("bonus", "加分"),
    ("vetoed", "否决"),
    ("reason", "不适用理由"),
    ("file", "来源文件"),
    ("line", "行"),
]
"""CSV columns: English key and Chinese header."""


def to_dict(card: Scorecard) -> dict[str, Any]:
    """A JSON-ready dict of the whole scorecard."""
    data = dataclasses.asdict(card)
    data["dimensions"] = [i.id for i in card.dimensions]
    return data


def to_json(card: Scorecard) -> str:
    """Pretty, stable JSON."""
    return json.dumps(to_dict(card), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


COMBINED = "combined"
"""``mode`` of the rows that hold the result combined over the modes (``Scorecard.result``)."""


def rows(card: Scorecard) -> Iterable[dict[str, Any]]:
    """One row per indicator; with modes, the combined result's rows first, then each mode's."""
    if card.result.combined:
        for res in card.result.indicators:
            row: dict[str, Any] = dict.fromkeys(key for key, _ in CSV_COLUMNS)
            row.update(
                evaluation_id=card.evaluation_id,
                system_id=card.system_id,
                system_edition=card.system_edition,
                mode=COMBINED,
                id=res.id,
                name=res.name,
                depth=res.depth,
                parent=res.parent,
                weight=res.weight,
                effective_weight=res.effective_weight,
                status=res.status,
                fraction=res.fraction,
                points=res.points,
            )
            yield row
    sets = card.mode_indicators or ((None, card.indicators),)
    for mode, indicators in sets:
        for ind in indicators:
            row = {key: getattr(ind, key, None) for key, _ in CSV_COLUMNS}
            row.update(
                evaluation_id=card.evaluation_id,
                system_id=card.system_id,
                system_edition=card.system_edition,
                mode=mode or "",
            )
            yield row


def to_csv(cards: Iterable[Scorecard]) -> str:
    """CSV with Chinese headers (UTF-8 with BOM, so Excel and WPS open it correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([zh for _, zh in CSV_COLUMNS])
    for card in cards:
        for row in rows(card):
            writer.writerow(csv_cells("" if row[k] is None else row[k] for k, _ in CSV_COLUMNS))
    return "\ufeff" + out.getvalue()
