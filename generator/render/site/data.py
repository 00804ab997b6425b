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

from generator.build.manifest import sha256_text
from generator.load.spreadsheets import csv_cells
from generator.render.site.compare import RankingView
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import EvaluationView
from generator.score import export

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
    ("结果状态", "结果所处状态：未提交、待确认、已确认或有异议（与站点各表格的“状态”一致）"),
    ("报告", "报告为正式报告（结果已确认）还是征求意见稿"),
    ("排名分组", "参与排名的分组（publishing.yaml；未分组时为空）"),
    ("名次", "在本分组、本指标体系、本年度中的名次；未参与排名（结果未确认）时为空"),
]
"""Columns of the one-row-per-evaluation summary."""


def summary(v: EvaluationView, place: Place | None = None) -> dict[str, Any]:
    """The facts of one evaluation that a data user needs beside its scores; ``place``: its ranking
    group and place (``places``), as the ranking pages show them."""
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
        v.status.state,
        v.status.report,
        (place[0] or "") if place else "",
        (place[1] or "") if place else "",
    ]
    return dict(zip((label for label, _ in SUMMARY_COLUMNS), values, strict=True))


Place = tuple[str | None, int | None]
"""(ranking group, place): the place is None for a result listed without one."""


def places(rankings: Sequence[RankingView]) -> dict[str, Place]:
    """Each listed evaluation's ranking group and place, by evaluation id."""
    found: dict[str, Place] = {}
    for r in rankings:
        found.update((row.entry.evaluation_id, (r.group, row.entry.rank)) for row in r.rows)
        found.update((row.entry.evaluation_id, (r.group, None)) for row in r.unranked)
    return found


def _summary_csv(views: Sequence[EvaluationView], placed: Mapping[str, Place]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label for label, _ in SUMMARY_COLUMNS])
    for v in views:
        writer.writerow(csv_cells(summary(v, placed.get(v.id)).values()))
    return "\ufeff" + out.getvalue()


@dataclass(frozen=True)
class ExportedCard:
    """One scorecard in the open-data formats, as its own data files hold it."""

    compact: str
    """``export.to_dict`` of the scorecard as compact JSON with sorted keys."""
    csv: str
    """``export.to_csv`` of the scorecard alone (BOM and header included)."""
    digests: dict[str, str]
    """SHA-256 of the evaluation's data files as written, by file name."""


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_evaluation_data(writer: DocsWriter, v: EvaluationView) -> ExportedCard:
    """Write data/evaluations/<id>.json and .csv; the scorecard as exported, for ``write_data``."""
    card = export.to_dict(v.card)
    table = export.to_csv([v.card])
    text = export.to_json(v.card)  # also attached to the archival PDF/A report
    writer.text(f"data/evaluations/{v.id}.json", text)
    writer.text(f"data/evaluations/{v.id}.csv", table)
    digests = {f"{v.id}.json": sha256_text(text), f"{v.id}.csv": sha256_text(table)}
    return ExportedCard(_compact(card), table, digests)


def write_data(
    writer: DocsWriter,
    views: Sequence[EvaluationView],
    cards: Mapping[str, ExportedCard],
    rankings: Sequence[RankingView] = (),
) -> None:
    """Write data/all-scores.*, data/evaluations.csv and the data page.

    ``cards``: each evaluation's scorecard as ``write_evaluation_data`` exported it, by id;
    ``rankings``: the site's rankings, for each evaluation's group and place.
    """
    placed = places(rankings)
    found = [cards[v.id] for v in views]
    header = export.to_csv([]).removeprefix("\ufeff")
    writer.text("data/all-scores.csv", "\ufeff" + header + "".join(c.csv.split("\n", 1)[1] for c in found))
    # [{"evaluation": summary, "scorecard": card}, …] as compact JSON with sorted keys, from the parts
    rows = (
        f'{{"evaluation":{_compact(summary(v, placed.get(v.id)))},"scorecard":{c.compact}}}'
        for v, c in zip(views, found, strict=True)
    )
    writer.text("data/all-scores.json", "[" + ",".join(rows) + "]\n")
    writer.text("data/evaluations.csv", _summary_csv(views, placed))
    columns = [(key, label, COLUMN_MEANINGS.get(key, label)) for key, label in export.CSV_COLUMNS]
    writer.page(
        "data/index.md", "data.md.j2", title="开放数据", columns=columns, summary_columns=SUMMARY_COLUMNS
    )
