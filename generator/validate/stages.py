"""Checks of a system's aggregation stages (E312) and ranking order (E311).

Stages run in the order written, so the order is checked: ``base`` first and once; ``bonus`` (at
most once: every bonus indicator adds to it) and ``cap`` next; then ``veto`` and ``grade``, at most
once each, ``grade`` last. The stages must fit the indicators: bonus indicators need a bonus
stage, veto indicators a veto stage, bands a grade stage (and a grade stage bands).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedSystem
from generator.model.numbers import parse_condition
from generator.model.system import BaseStage, BonusRule, BonusStage, CapStage, GradeStage, VetoRule, VetoStage

ORDER = {"base": 0, "bonus": 1, "cap": 1, "veto": 2, "grade": 3}
"""Where each kind of stage may stand: a stage may not come before one of a lower rank."""


def check_stages(loaded: LoadedSystem) -> list[Diagnostic]:
    """Problems of the aggregation stages, each located at its stage (or at ``aggregation``)."""
    spec = loaded.system
    stages = spec.stages()
    problems: list[tuple[tuple[str | int, ...], str, str, str]] = []
    where = ("aggregation",) if spec.aggregation is not None else ("grades",)
    kinds = [s.stage for s in stages]
    if not kinds or kinds[0] != "base":
        problems.append(
            (
                where,
                "第一个阶段应为 base（各维度得分之和）",
                "the first stage must be base",
                "在 aggregation 开头写 - stage: base。",
            )
        )
    for kind, count in Counter(kinds).items():
        if count > 1 and kind != "cap":
            problems.append(
                (
                    where,
                    f"阶段 {kind} 出现了 {count} 次",
                    f"stage {kind} appears {count} times",
                    "每种阶段（cap 除外）只写一次。",
                )
            )
    for i in range(1, len(stages)):
        if ORDER[kinds[i]] < ORDER[kinds[i - 1]]:
            problems.append(
                (
                    ("aggregation", i),
                    f"阶段 {kinds[i]} 不能排在 {kinds[i - 1]} 之后",
                    f"stage {kinds[i]} cannot follow {kinds[i - 1]}",
                    "顺序应为 base → bonus/cap → veto → grade。",
                )
            )
    for i, stage in enumerate(stages):
        problems.extend(_stage_problems(loaded, i, stage))
    problems.extend(_fit(loaded, kinds, where))
    return [
        loaded.source.diag(at, "E312", detail_zh=zh, detail_en=en, hint=hint) for at, zh, en, hint in problems
    ]


def _stage_problems(
    loaded: LoadedSystem, i: int, stage: BaseStage | BonusStage | CapStage | VetoStage | GradeStage
) -> list[tuple[tuple[str | int, ...], str, str, str]]:
    spec = loaded.system
    names = [g.name for g in spec.grades]
    if isinstance(stage, BonusStage) and stage.when is not None:
        try:
            parse_condition(stage.when)
        except ValueError:
            return [
                (
                    ("aggregation", i, "when"),
                    f"条件“{stage.when}”无法理解",
                    f"condition '{stage.when}' cannot be read",
                    "写成“base > 80”“base >= 80”“total < 60”之类：base 或 total，比较符，数字。",
                )
            ]
    if isinstance(stage, VetoStage) and stage.grade is not None and stage.grade not in names:
        known = "、".join(names) or "（体系未定义等级）"
        return [
            (
                ("aggregation", i, "grade"),
                f"否决后的等级“{stage.grade}”不是已定义的等级",
                f"veto grade '{stage.grade}' is not a defined band",
                f"改为 {known} 之一，或删去 grade（默认最低一档）。",
            )
        ]
    return []


def _fit(
    loaded: LoadedSystem, kinds: Sequence[str], where: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str, str, str]]:
    """Stages the indicators and bands need, and stages with nothing to do."""
    rules = [n.indicator.rule for n in loaded.index.values()]
    found = []
    if any(isinstance(r, BonusRule) for r in rules) and "bonus" not in kinds:
        found.append(
            (
                where,
                "体系有加分项，但没有 bonus 阶段",
                "bonus indicators but no bonus stage",
                "在 aggregation 中加入 - stage: bonus。",
            )
        )
    if any(isinstance(r, VetoRule) for r in rules) and "veto" not in kinds:
        found.append(
            (
                where,
                "体系有否决项，但没有 veto 阶段",
                "veto indicators but no veto stage",
                "在 aggregation 中加入 - stage: veto。",
            )
        )
    grades = bool(loaded.system.grades)
    if grades and "grade" not in kinds:
        found.append(
            (
                where,
                "体系定义了等级，但没有 grade 阶段",
                "bands but no grade stage",
                "在 aggregation 末尾加入 - stage: grade。",
            )
        )
    if not grades and "grade" in kinds:
        found.append(
            (
                where,
                "有 grade 阶段，但体系没有定义等级 grades",
                "a grade stage but no bands",
                "在 system.yaml 中定义 grades，或删去 grade 阶段。",
            )
        )
    return found


def check_ranking(loaded: LoadedSystem) -> list[Diagnostic]:
    """E311: repeated keys, and ``grade`` in a system without bands."""
    spec = loaded.system
    found = []
    for key, count in Counter(spec.ranking).items():
        if count > 1:
            found.append((f"排名依据 {key} 重复", f"ranking key {key} repeats", "每个排名依据只写一次。"))
    if "grade" in spec.ranking and not spec.grades and "ranking" in spec.model_fields_set:
        found.append(
            ("体系没有等级，不能按 grade 排名", "no bands to rank by grade", "从 ranking 中删去 grade。")
        )
    return [
        loaded.source.diag(("ranking",), "E311", detail_zh=zh, detail_en=en, hint=h) for zh, en, h in found
    ]
