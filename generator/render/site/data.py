"""Data files of the site: each evaluation's scores, and the open-data download of all of them.

The per-indicator formats are the scoring stage's own exports (``score.export``), so the site,
the ``score`` command and the open data always agree column for column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...score import export
from ..views import EvaluationView
from .writer import DocsWriter

COLUMN_MEANINGS = {
    "evaluation_id": "评价编号，与评价页面地址一致",
    "system_id": "所用指标体系编号",
    "system_edition": "所用指标体系版本",
    "mode": "评价方式编号（指标体系有多种评价方式时）；combined 行为各评价方式按权重合成的评价结果",
    "id": "指标编号",
    "name": "指标名称",
    "depth": "层级：1 为一级指标（维度）",
    "parent": "上级指标编号",
    "rule_kind": "计分规则：binary 达标判定、levels 分档、ratio 比例、deduction 扣分、bonus 加分、veto 否决、"
    "satisfaction 满意度",
    "weight": "指标体系规定的分值",
    "effective_weight": "实际权重：有不适用指标时重新分配后的分值",
    "status": "scored 已评分、not_applicable 不适用、missing 未评分（按 0 分计）",
    "observation": "观测值",
    "fraction": "得分率（0 到 1）",
    "points": "得分，即计入总分的贡献",
    "bonus": "加分",
    "vetoed": "是否触发一票否决",
    "reason": "不适用的理由",
    "file": "记录观测值的文件（相对仓库根目录）",
    "line": "该文件中的行号",
}
"""What each column of the score tables means, for the open-data page."""

SUMMARY_COLUMNS = [
    ("评价编号", "评价编号，与评价页面地址一致"),
    ("评价标题", "评价标题"),
    ("被评价方", "被评价方名称"),
    ("层级", "被评价方层级"),
    ("地区", "被评价方所在地区"),
    ("指标体系", "所用指标体系编号"),
    ("版本", "所用指标体系版本"),
    ("评价期开始", "评价期第一天"),
    ("评价期结束", "评价期最后一天"),
    ("总分", "最终得分"),
    ("等级", "评价等级"),
    ("按分数等级", "不考虑一票否决时按分数应得的等级"),
    ("一票否决", "触发否决的指标编号"),
    ("维度得分", "各一级指标（维度）得分；有多种评价方式时为按权重合成的得分"),
    ("评价方式得分", "有多种评价方式时，各评价方式的编号、名称、权重和得分"),
    ("阶段", "评价所处阶段"),
    ("确认状态", "被评价方确认情况"),
]
"""Columns of the one-row-per-evaluation summary."""


def summary(v: EvaluationView) -> dict[str, Any]:
    """The facts of one evaluation that a data user needs beside its scores."""
    dims = "；".join(f"{d.id} {d.name}={'' if d.points is None else d.points}" for d in v.result.dimensions)
    modes = "；".join(f"{m.id} {m.name}×{m.weight:g}={m.total}" for m in v.card.modes)
    values = [
        v.id,
        v.title,
        v.evaluated.name,
        v.evaluated.level or "",
        v.evaluated.region or "",
        v.system.id,
        v.system.edition,
        v.period_start.isoformat(),
        v.period_end.isoformat(),
        v.card.total,
        v.card.grade,
        v.card.grade_by_points,
        "、".join(v.card.vetoes),
        dims,
        modes,
        v.status.stage,
        v.status.confirmation,
    ]
    return dict(zip((label for label, _ in SUMMARY_COLUMNS), values, strict=True))


def _summary_csv(views: Sequence[EvaluationView]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[label for label, _ in SUMMARY_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for v in views:
        writer.writerow(summary(v))
    return "\ufeff" + out.getvalue()


@dataclass(frozen=True)
class ExportedCard:
    """One scorecard in the open-data formats, as its own data files hold it."""

    compact: str
    """``export.to_dict`` of the scorecard as compact JSON with sorted keys."""
    csv: str
    """``export.to_csv`` of the scorecard alone (BOM and header included)."""


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_evaluation_data(writer: DocsWriter, v: EvaluationView) -> ExportedCard:
    """Write data/evaluations/<id>.json and .csv; the scorecard as exported, for ``write_data``."""
    card = export.to_dict(v.card)
    table = export.to_csv([v.card])
    writer.text(f"data/evaluations/{v.id}.json", export.to_json(v.card))  # also attached to the PDF/A report
    writer.text(f"data/evaluations/{v.id}.csv", table)
    return ExportedCard(_compact(card), table)


def write_data(
    writer: DocsWriter, views: Sequence[EvaluationView], cards: Mapping[str, ExportedCard]
) -> None:
    """Write data/all-scores.*, data/evaluations.csv and the data page.

    ``cards``: each evaluation's scorecard as ``write_evaluation_data`` exported it, by id.
    """
    found = [cards[v.id] for v in views]
    header = export.to_csv([]).removeprefix("\ufeff")
    writer.text("data/all-scores.csv", "\ufeff" + header + "".join(c.csv.split("\n", 1)[1] for c in found))
    # [{"evaluation": summary, "scorecard": card}, …] as compact JSON with sorted keys, from the parts
    rows = (
        f'{{"evaluation":{_compact(summary(v))},"scorecard":{c.compact}}}'
        for v, c in zip(views, found, strict=True)
    )
    writer.text("data/all-scores.json", "[" + ",".join(rows) + "]\n")
    writer.text("data/evaluations.csv", _summary_csv(views))
    columns = [(key, label, COLUMN_MEANINGS.get(key, label)) for key, label in export.CSV_COLUMNS]
    writer.page(
        "data/index.md", "data.md.j2", title="开放数据", columns=columns, summary_columns=SUMMARY_COLUMNS
    )
