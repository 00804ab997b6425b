"""``new``: scaffold an evaluation folder with every indicator of a system listed, ready to fill."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from generator.load.repository import IndicatorNode, LoadedSystem, load_system
from generator.model.numbers import show
from generator.score.rules import describe
from generator.validate.process.placeholders import placeholder

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScaffoldError(Exception):
    """A usage problem: bad id, unknown system, folder exists."""


def _q(text: str) -> str:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def find_system(root: Path, system_id: str, edition: str | None) -> LoadedSystem:
    """The system to scaffold from; the newest edition when none is given."""
    candidates = []
    for folder in sorted((root / "indicators").glob("*")):
        if (folder / "system.yaml").is_file():
            loaded, _ = load_system(root, folder)
            if loaded and loaded.system.id == system_id and edition in (None, loaded.system.edition):
                candidates.append(loaded)
    if not candidates:
        raise ScaffoldError(
            f"找不到指标体系 {system_id}{'（' + edition + ' 版）' if edition else ''}，"
            "或其文件有错误；先运行 zwpj check。"
        )
    return max(candidates, key=lambda s: s.system.effective)


def scaffold(
    root: Path,
    evaluation_id: str,
    system_id: str,
    *,
    edition: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Create evaluations/<id>/ and return it. Refuses to touch an existing folder."""
    if not ID_PATTERN.match(evaluation_id):
        raise ScaffoldError(
            f"评价编号“{evaluation_id}”只能用小写字母、数字和连字符，例如 2025-hefei-platform。"
        )
    folder = root / "evaluations" / evaluation_id
    if folder.exists():
        raise ScaffoldError(f"{folder.relative_to(root)} 已存在，不会覆盖。")
    system = find_system(root, system_id, edition)
    today = today or dt.date.today()
    files = {"evaluation.yaml": _evaluation_yaml(evaluation_id, system, title, today)}
    modes: list[str | None] = [m.id for m in system.system.modes] or [None]
    for mode in modes:
        for dim in system.dimensions:
            name = f"scores/{dim.id.lower()}{'-' + mode if mode else ''}.yaml"
            files[name] = _scores_yaml(system, dim.id, mode)
    for name, heading in (
        ("summary", "概述"),
        ("findings", "评价发现"),
        ("opinions", "评价专家及评价机构的指导意见"),
        ("suggestions", "改进建议"),
    ):
        files[f"{name}.md"] = f"## {heading}\n\n{placeholder()}\n"
    staging = folder.with_name(f".{evaluation_id}.tmp")
    for name, text in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    staging.rename(folder)  # all or nothing
    return folder


def _evaluation_yaml(evaluation_id: str, system: LoadedSystem, title: str | None, today: dt.date) -> str:
    spec = system.system
    modes: list[str | None] = [m.id for m in spec.modes] or [None]
    score_files = [
        f"scores/{d.id.lower()}{'-' + m if m else ''}.yaml" for m in modes for d in system.dimensions
    ]
    end = today + dt.timedelta(days=30)
    todo = placeholder
    return "\n".join(
        [
            "# yaml-language-server: $schema=../../schema/evaluation.schema.json",
            f"id: {evaluation_id}",
            f"title: {_q(title or todo() + '服务质量评价')}",
            f"report_number: {todo('报告编号，提交报告前填写')}",
            "system:",
            f"  id: {spec.id}",
            f"  edition: {_q(spec.edition)}",
            "  # 建立评价指标体系（§8.1）后填写 adopted（确定日期）和 record（适用性确认记录）",
            "# 评价准备的各项（下面的单位、人员、目标、范围、日程、方案和抽样记录）填好后改为“评价准备”",
            "stage: 准备中",
            "# 以下单位须在仓库根目录的 organisations.yaml 中登记（独立性，§4.1）",
            "evaluated:",
            f"  name: {todo('被评价方全称')}",
            "  level: 市级",
            "commissioner:",
            f"  name: {todo('委托方全称')}",
            "body:",
            f"  name: {todo('评价机构全称')}",
            "  template: default",
            "team:",
            "  - id: leader",
            f"    name: {todo()}",
            "    role: 组长",
            f"    affiliation: {todo('所在单位，不得隶属被评价方或委托方')}",
            "    duties: 统筹评价工作",
            "experts: []",
            "party_staff: []",
            f"purpose: {todo('评价目标')}",
            f"object: {todo('评价对象')}",
            f"scope: {todo('评价范围')}",
            "period:",
            f"  start: {today.isoformat()}",
            f"  end: {end.isoformat()}",
            "places: []",
            "schedule: []",
            "plan:",
            f"  title: {todo('评价方案名称')}",
            f"  approved: {today.isoformat()}",
            f"  report_due: {end.isoformat()}",
            f"  confidentiality: {todo('保密与信息安全措施')}",
            "scores:",
            *[f"  - {name}" for name in score_files],
            "activities: []",
            "",
        ]
    )


def _scores_yaml(system: LoadedSystem, dimension: str, mode: str | None) -> str:
    lines = ["# yaml-language-server: $schema=../../../schema/scores.schema.json"]
    if mode:
        lines.append(f"mode: {mode}")
    lines.append("indicators:")
    for node in system.leaves():
        if node.dimension == dimension:
            lines.extend(_entry(node))
    return "\n".join(lines) + "\n"


def _entry(node: IndicatorNode) -> list[str]:
    ind = node.indicator
    assert ind.rule is not None
    hint = describe(ind.rule)
    measured = getattr(ind.rule, "measure", None)
    lines = [f"  # {ind.name}（{show(node.weight)} 分）— {hint}", f"  {ind.id}:"]
    if measured:
        lines.append("    # 由数据集计算；可补充 comment 与 evidence")
        lines.append("    comment: null")
    else:
        lines.append("    observation: null")
        lines.append("    evaluators: []")
        lines.append("    comment: null")
    return lines
