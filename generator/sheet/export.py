"""``export-sheet``: an evaluation's score entries as an XLSX workbook for Excel or WPS."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator import __version__
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.load.spreadsheets import write_text
from generator.model.system import BinaryRule, BonusRule, DeductionRule, LevelsRule, RatioRule, Rule, VetoRule
from generator.paths import file_mask
from generator.score.spelling import accepted_forms, short_name
from generator.sheet.cells import VETO_NO, VETO_YES
from generator.sheet.layout import (
    COLUMNS,
    EDITABLE,
    FORMAT,
    HELP_SHEET,
    META_SHEET,
    ORIGINALS_ROW,
    Row,
    as_text,
    modes_of,
    rows,
)
from generator.sheet.layout import sheet_title as title_for

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP = Alignment(wrap_text=True, vertical="top")
HELP = (
    (
        "观测值",
        "按“计分规则”填写，选中单元格时会提示本指标可以怎样写：等级名称（下拉选择）；"
        "达标/不达标（或是/否）；比例写小数、百分数或“分子/分母”（0.93、93%、930/1000），"
        "百分比写 0 到 100 的数或百分数（93、93%），其他数值只写数字；扣分、加分、满意度写“名称=次数”，"
        "多项用“；”分隔，名称可只写括号、逗号前的部分（如“失效链接=3”）；"
        "一票否决选“存在”或“不存在”（或是/否）。灰色单元格为只读。",
    ),
    ("不适用理由", "指标不适用时填写理由（全面性，DB34/T 3556 §4.3），观测值留空。"),
    ("评价人员", "填写姓名或人员编号，多人用“、”分隔；须已在 evaluation.yaml 中登记。"),
    ("说明/意见", "评分依据和发现。"),
    (
        "证据",
        "每行一项：路径或网址 | 采集日期 | 说明，例如 evidence/guide.md | 2024-11-05 | 指南抽查表；"
        "行末的“| 内部”表示内部证据（不公开），只能在 YAML 中取消。",
    ),
    (
        "导入",
        "填好后运行 zwpj import-sheet <评价文件夹> <本文件>；只有改动过的单元格会写回 YAML。"
        "不要删除或改动隐藏的工作表，不要修改“编号”列。",
    ),
)
"""Column → how to fill it, for the help sheet."""


def _validation(ind_rule: Rule | None) -> tuple[str, tuple[str, ...]] | None:
    """(kind, parameters) of the data validation fitting a rule, or None (also for no rule).

    A list is a drop-down; ``prompt`` only shows how to write the cell, since a text cell holding
    ``930/1000`` or ``93%`` is what import reads and a number-only rule would mark it invalid."""
    if isinstance(ind_rule, BinaryRule):
        return "list", (ind_rule.pass_label, ind_rule.fail_label, accepted_forms(ind_rule))
    if isinstance(ind_rule, LevelsRule):
        return "list", (*(level.name for level in ind_rule.levels), "")
    if isinstance(ind_rule, VetoRule):
        return "list", (VETO_YES, VETO_NO, accepted_forms(ind_rule))
    if isinstance(ind_rule, RatioRule) and ind_rule.measure is None:
        return "prompt", (accepted_forms(ind_rule),)
    if isinstance(ind_rule, (DeductionRule, BonusRule)):
        names = "；".join(f"{short_name(i.name) or i.name}=次数" for i in ind_rule.items)
        return "prompt", (f"写成“名称=次数”，多项用“；”分隔：{names}",)
    return None


def _make_validation(kind: str, params: tuple[str, ...]) -> DataValidation | None:
    if kind == "prompt":
        (text,) = params
        if len(text) > 255:
            return None  # Excel cannot show a longer input message; the help sheet says it
        return DataValidation(allow_blank=True, showInputMessage=True, promptTitle="填写方式", prompt=text)
    *choices, others = params
    formula = '"' + ",".join(choices) + '"'
    if any("," in p or '"' in p for p in choices) or len(formula) > 255:
        return None  # Excel cannot express such a list inline
    if others:  # import also reads other spellings (是/否): warn, but let them stand
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="请确认取值",
            error=f"可写 {others}。",
        )
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="取值无效",
        error="请从下拉列表中选择。",
    )


def _append(ws: Worksheet, values: list[object]) -> int:
    """Append a row, every text stored as text (never a formula); its row number."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        write_text(cell, cell.value)
    return ws.max_row


def _put(ws: Worksheet, row: int, column: int, value: object) -> None:
    write_text(ws.cell(row, column), value)


def _write_rows(ws: Worksheet, sheet_rows: list[Row]) -> None:
    _append(ws, [c.header for c in COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
    validations: dict[tuple[str, tuple[str, ...]], DataValidation | None] = {}
    obs_col = get_column_letter(1 + [c.key for c in COLUMNS].index("observation"))
    for r, row in enumerate(sheet_rows, start=2):
        _append(ws, [row.values.get(c.key) for c in COLUMNS])
        for cell in ws[r]:
            cell.alignment = WRAP
        if isinstance(row.indicator.rule, RatioRule) and not row.locked:
            ws[f"{obs_col}{r}"].number_format = "@"  # typed as text: Excel would make 9/10 a date
        ws.cell(r, 1).alignment = Alignment(vertical="top", indent=row.depth - 1)
        if row.locked:
            ws[f"{obs_col}{r}"].fill = LOCKED_FILL
            continue
        spec = _validation(row.indicator.rule)
        if spec is None:
            continue
        if spec not in validations:
            validations[spec] = _make_validation(*spec)
            if (made := validations[spec]) is not None:
                ws.add_data_validation(made)
        if (validation := validations[spec]) is not None:
            validation.add(f"{obs_col}{r}")
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(sheet_rows) + 1)}"


def _write_meta(
    wb: Workbook,
    loaded: LoadedEvaluation,
    system: LoadedSystem,
    sheets: dict[str, str | None],
    exported: list[tuple[str, str, dict[str, str]]],
) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    meta = (
        ("format", FORMAT),
        ("evaluation", loaded.evaluation.id),
        ("system", system.system.id),
        ("edition", system.system.edition),
        ("generator", __version__),
        ("sheets", json.dumps(sheets, ensure_ascii=False)),
    )
    for key, value in meta:
        _append(ws, [key, value])
    _put(ws, ORIGINALS_ROW, 1, "sheet")
    _put(ws, ORIGINALS_ROW, 2, "id")
    for j, key in enumerate(EDITABLE, start=3):
        _put(ws, ORIGINALS_ROW, j, key)
    for i, (sheet, ind_id, values) in enumerate(exported, start=ORIGINALS_ROW + 1):
        _put(ws, i, 1, sheet)
        _put(ws, i, 2, ind_id)
        for j, key in enumerate(EDITABLE, start=3):
            _put(ws, i, j, values[key])


def _write_help(wb: Workbook, loaded: LoadedEvaluation, system: LoadedSystem) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ev, spec = loaded.evaluation, system.system
    _append(ws, ["评价", f"{ev.title}（{ev.id}）"])
    _append(ws, ["指标体系", f"{spec.name}（{spec.id}，{spec.edition} 版）"])
    ws.append([])
    for name, text in HELP:
        _append(ws, [name, text])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 100
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = WRAP


def build_workbook(loaded: LoadedEvaluation, system: LoadedSystem) -> Workbook:
    """The workbook: one score sheet per mode, a help sheet, and the hidden metadata sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets: dict[str, str | None] = {}
    exported: list[tuple[str, str, dict[str, str]]] = []
    for mode_id, mode_name in modes_of(system):
        title = title_for(mode_name)
        sheets[title] = mode_id
        sheet_rows = list(rows(loaded, system, mode_id))
        _write_rows(wb.create_sheet(title), sheet_rows)
        exported += [(title, row.indicator.id, as_text(row.values)) for row in sheet_rows]
    _write_help(wb, loaded, system)
    _write_meta(wb, loaded, system, sheets, exported)
    return wb


def export_sheet(loaded: LoadedEvaluation, system: LoadedSystem, out: Path) -> Path:
    """Write the workbook to ``out`` (through a temporary file, so a failure leaves no half file)."""
    wb = build_workbook(loaded, system)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o666 & ~file_mask())  # as any file the user saves: colleagues may read it
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
