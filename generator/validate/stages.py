"""Checks of a system's aggregation stages (E312) and ranking order (E311).

Stages run in the order written, so the order is checked: ``base`` first and once; ``bonus`` (at
most once: every bonus indicator adds to it) and ``cap`` next; then ``veto`` and ``grade``, at most
once each, ``grade`` last. The stages must fit the indicators: bonus indicators need a bonus
stage, veto indicators a veto stage, bands a grade stage (and a grade stage bands).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Worded
from generator.load.repository import LoadedSystem
from generator.load.yamlsource import PathKey
from generator.model.numbers import parse_condition
from generator.model.system import BaseStage, BonusRule, BonusStage, CapStage, GradeStage, VetoRule, VetoStage

ORDER = {"base": 0, "bonus": 1, "cap": 1, "veto": 2, "grade": 3}
"""Where each kind of stage may stand: a stage may not come before one of a lower rank."""


def check_stages(loaded: LoadedSystem) -> list[Diagnostic]:
    """Problems of the aggregation stages, each located at its stage (or at ``aggregation``)."""
    spec = loaded.system
    stages = spec.stages()
    problems: list[tuple[PathKey, Worded]] = []
    where = ("aggregation",) if spec.aggregation is not None else ("grades",)
    kinds = [s.stage for s in stages]
    if not kinds or kinds[0] != "base":
        problems.append((where, Worded("stage_base_first")))
    for kind, count in Counter(kinds).items():
        if count > 1 and kind != "cap":
            problems.append((where, Worded("stage_repeated", kind=kind, count=count)))
    for i in range(1, len(stages)):
        if ORDER[kinds[i]] < ORDER[kinds[i - 1]]:
            problems.append(
                (("aggregation", i), Worded("stage_out_of_order", kind=kinds[i], before=kinds[i - 1]))
            )
    for i, stage in enumerate(stages):
        problems.extend(_stage_problems(loaded, i, stage))
    problems.extend(_fit(loaded, kinds, where))
    return [loaded.source.diag(at, "E312", detail_zh=w.zh, detail_en=w.en, hint=w.hint) for at, w in problems]


def _stage_problems(
    loaded: LoadedSystem, i: int, stage: BaseStage | BonusStage | CapStage | VetoStage | GradeStage
) -> list[tuple[PathKey, Worded]]:
    spec = loaded.system
    names = [g.name for g in spec.grades]
    if isinstance(stage, BonusStage) and stage.when is not None:
        try:
            parse_condition(stage.when)
        except ValueError:
            return [(("aggregation", i, "when"), Worded("stage_condition_unreadable", when=stage.when))]
    if isinstance(stage, VetoStage) and stage.grade is not None and stage.grade not in names:
        known = "、".join(names) or "（体系未定义等级）"
        return [
            (("aggregation", i, "grade"), Worded("stage_veto_grade_unknown", grade=stage.grade, known=known))
        ]
    return []


def _fit(
    loaded: LoadedSystem, kinds: Sequence[str], where: tuple[str | int, ...]
) -> list[tuple[PathKey, Worded]]:
    """Stages the indicators and bands need, and stages with nothing to do."""
    rules = [n.indicator.rule for n in loaded.index.values()]
    found: list[tuple[PathKey, Worded]] = []
    if any(isinstance(r, BonusRule) for r in rules) and "bonus" not in kinds:
        found.append((where, Worded("stage_bonus_missing")))
    if any(isinstance(r, VetoRule) for r in rules) and "veto" not in kinds:
        found.append((where, Worded("stage_veto_missing")))
    grades = bool(loaded.system.grades)
    if grades and "grade" not in kinds:
        found.append((where, Worded("stage_grade_missing")))
    if not grades and "grade" in kinds:
        found.append((where, Worded("stage_grade_without_bands")))
    return found


def check_ranking(loaded: LoadedSystem) -> list[Diagnostic]:
    """E311: repeated keys, and ``grade`` in a system without bands."""
    spec = loaded.system
    found: list[Worded] = []
    for key, count in Counter(spec.ranking).items():
        if count > 1:
            found.append(Worded("ranking_key_repeated", key=key))
    if "grade" in spec.ranking and not spec.grades and "ranking" in spec.model_fields_set:
        found.append(Worded("ranking_grade_without_bands"))
    return [
        loaded.source.diag(("ranking",), "E311", detail_zh=w.zh, detail_en=w.en, hint=w.hint) for w in found
    ]
