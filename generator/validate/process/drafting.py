"""Drafting: what is still a placeholder, and whether the claimed stage already needs it.

Each record is needed from a stage on (the preparation records from 评价准备, the report's
narrative from 完成评价, the submission from 已提交…). A placeholder (``（待填写…）``, as ``zwpj new``
writes it) in a record the stage needs blocks it (E516); one in a record needed later is a to-do
(T902). A missing report number blocks 已提交 and after (E501).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, diag
from generator.load.repository import LoadedEvaluation
from generator.model.stages import reached
from generator.validate.process.placeholders import find_placeholder, placeholders_in

NEEDED_BY: dict[str, str] = {
    "system": "建立评价指标体系",
    "activities": "实施评价",
    "datasets": "实施评价",
    "report_number": "已提交",
    "submission": "已提交",
    "confirmation": "已确认",
    "published": "已发布",
    "rectification": "已发布",
    "extra": "已发布",
}
"""Top-level key of evaluation.yaml → the stage that first needs it; every other key: 评价准备."""

NARRATIVE_NEEDED_BY = "完成评价"
"""The report's narrative (概述, 评价发现, 指导意见, 改进建议) is needed to complete the evaluation."""
SCORES_NEEDED_BY = "实施评价"
"""Score files are needed once the evaluation has been carried out."""

FIELD_NAMES = {
    "title": "评价标题",
    "report_number": "报告编号",
    "evaluated": "被评价方",
    "commissioner": "委托方",
    "body": "评价机构",
    "team": "工作组",
    "experts": "评审专家",
    "party_staff": "被评价方人员",
    "purpose": "评价目标",
    "object": "评价对象",
    "scope": "评价范围",
    "places": "评价地点",
    "schedule": "日程安排",
    "plan": "评价方案",
    "system": "指标体系",
    "activities": "活动记录",
    "submission": "提交记录",
    "confirmation": "确认记录",
    "rectification": "整改事项",
}
"""How a top-level key is named in a message."""


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def check_drafting(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """E516 / T902 for every placeholder; E501 for a missing report number once it is needed."""
    ev, src = loaded.evaluation, loaded.source
    data = ev.model_dump(mode="python", exclude_defaults=True)
    for path, text in placeholders_in(data):
        needed = NEEDED_BY.get(str(path[0]), "评价准备")
        field = FIELD_NAMES.get(str(path[0]), str(path[0]))
        at = src.diag(
            path,
            "E516",
            stage=ev.stage,
            detail="placeholder_field",
            field=field,
            dotted=_dotted(path),
            text=text,
        )
        yield _found(ev, at, needed)
    if ev.report_number is None and reached(ev, "已提交"):
        yield src.diag(("stage",), "E501", stage=ev.stage, detail="report_number")
    for name, text in loaded.narrative.items():
        for number, line in enumerate(text.splitlines(), 1):
            found = find_placeholder(line)
            if found:
                at = diag(
                    f"{loaded.rel}/{name}.md",
                    number,
                    line.index(found) + 1,
                    "E516",
                    stage=ev.stage,
                    detail="narrative_file",
                    name=name,
                    text=found,
                )
                yield _found(ev, at, NARRATIVE_NEEDED_BY)
    for score_file in loaded.score_files:
        data = score_file.scores.model_dump(mode="python", exclude_defaults=True)
        for path, text in placeholders_in(data):
            at = score_file.source.diag(
                path,
                "E516",
                stage=ev.stage,
                detail="placeholder_score_field",
                dotted=_dotted(path),
                text=text,
            )
            yield _found(ev, at, SCORES_NEEDED_BY)


def _found(ev, error: Diagnostic, needed: str) -> Diagnostic:
    """``error`` (E516) when the stage needs the record; else the same place as a to-do (T902)."""
    if reached(ev, needed):
        return error
    args = dict(error.args)
    return diag(
        error.file,
        error.line,
        error.column,
        "T902",
        what=args["what"],
        what_en=args["what_en"],
        text=args["text"],
        needed=needed,
    )
