"""``export-sheet`` / ``import-sheet``: the XLSX round trip changes only the edited cells."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from testpaths import FIXTURES

from generator.cli import main
from generator.sheet import export_sheet, import_sheet, load_target
from generator.sheet.yamledit import ScoreDocument

FIXTURE = FIXTURES / "diff" / "repo"
SCORES = ("evaluations/demo/scores/a.yaml", "evaluations/demo/scores/b.yaml")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def export(root: Path, folder: str = "evaluations/demo") -> Path:
    target = load_target(root, root / folder)
    assert not isinstance(target, list), target
    return export_sheet(*target, root / "build" / "demo.xlsx")


def fill(xlsx: Path, cells: dict[str, object], sheet: str = "评分表") -> Path:
    wb = load_workbook(xlsx)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    out = xlsx.with_name("filled.xlsx")
    wb.save(out)
    return out


def texts(root: Path) -> dict[str, str]:
    return {rel: (root / rel).read_text(encoding="utf-8") for rel in SCORES}


def changed_lines(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for rel in before:
        diff = difflib.unified_diff(before[rel].splitlines(), after[rel].splitlines(), lineterm="", n=0)
        lines += [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return lines


def test_export_layout(repo: Path) -> None:
    wb = load_workbook(export(repo))
    assert wb.sheetnames == ["评分表", "填写说明", "_zwpj"]
    assert wb["_zwpj"].sheet_state == "hidden"
    ws = wb["评分表"]
    assert [c.value for c in ws[1]] == [
        "编号",
        "指标名称",
        "计分规则",
        "分值",
        "观测值",
        "不适用理由",
        "评价人员",
        "说明/意见",
        "证据",
    ]
    assert [c.value for c in ws[2]] == [
        "A1",
        "办事指南",
        "分档计分：优 30 分；良 20 分；差 0 分",
        30,
        "优",
        None,
        "王志远",
        "抽查 20 个办事指南，要素齐全。",
        "evidence/guides.md | 2024-11-05 | 指南抽查表",
    ]
    assert ws["E5"].value == "链接失效=1；错别字=0" and ws["E7"].value == "不存在"
    assert ws.freeze_panes == "C2" and ws.column_dimensions["H"].width == 48
    rules = {
        str(dv.sqref): (dv.type, dv.formula1, dv.errorStyle, dv.prompt)
        for dv in ws.data_validations.dataValidation
    }
    # what import reads beyond the list (是/否), the validation lets stand with a warning;
    # ratio and count cells only prompt with the accepted forms: 930/1000 and 93% are not marked invalid
    assert rules == {
        "E2 E6": ("list", '"优,良,差"', None, None),
        "E3": ("list", '"达标,不达标"', "warning", None),
        "E4": (None, None, None, "0 到 100 之间的数（93）、百分数（93%）或 分子/分母（930/1000）"),
        "E5": (None, None, None, "写成“名称=次数”，多项用“；”分隔：链接失效=次数；错别字=次数"),
        "E7": ("list", '"存在,不存在"', "warning", None),
    }
    meta = {row[0]: row[1] for row in wb["_zwpj"].iter_rows(max_row=6, values_only=True)}
    assert (meta["evaluation"], meta["system"], meta["edition"]) == ("demo", "mini", "1")


def test_untouched_sheet_changes_nothing(repo: Path) -> None:
    before = texts(repo)
    result = import_sheet(repo, repo / "evaluations/demo", export(repo))
    assert (result.diagnostics, result.edits, result.files) == ([], [], [])
    assert texts(repo) == before


def test_import_changes_only_the_edited_cells(repo: Path) -> None:
    before = texts(repo)
    sheet = fill(
        export(repo),
        {
            "E4": 80,
            "H4": "依申请事项 1,000 项中可网上申报 800 项。",
            "G2": "王志远、li",
            "I2": "evidence/guides.md | 2024-11-05 | 指南抽查表\nevidence/guides.md | 2024-11-06",
            "E5": "链接失效=3；错别字=1",
            "F6": "本期未开通咨询",
            "E6": None,
        },
    )
    result = import_sheet(repo, repo / "evaluations/demo", sheet)
    assert result.diagnostics == []
    assert len(result.edits) == 7
    assert changed_lines(before, texts(repo)) == [
        "-    evaluators: [wang]",
        "+    evaluators: [wang, li]",
        "+      - file: evidence/guides.md",
        "+        captured: 2024-11-06",
        "-    observation: 90",
        "+    observation: 80",
        "-      依申请事项 1,000 项中可网上申报 900 项。",
        "+      依申请事项 1,000 项中可网上申报 800 项。",
        "-      broken_link: 1",
        "-      typo: 0",
        "+      broken_link: 3",
        "+      typo: 1",
        "-    observation: 良",
        "+    observation: null",
        "+    not_applicable: 本期未开通咨询",
    ]
    after = texts(repo)
    assert "        note: 指南抽查表\n      - file: evidence/guides.md\n" in after[SCORES[0]]
    assert "  # 统一身份认证（20 分）" in after[SCORES[0]]  # the comment stays above its entry
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--root", str(repo)]).exit_code == 0


def test_bad_cells_are_located_and_nothing_changes(repo: Path) -> None:
    before = texts(repo)
    sheet = fill(
        export(repo),
        {
            "E2": "极好",
            "E3": "不达标",
            "G3": "张三",
            "E4": "九十",
            "E5": "断链=2",
            "I4": "evidence/x.md | 2024-13-01",
        },
    )
    result = import_sheet(repo, repo / "evaluations/demo", sheet, shown="filled.xlsx")
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("filled.xlsx", 2, 5, "E804"),
        ("filled.xlsx", 3, 7, "E804"),
        ("filled.xlsx", 4, 5, "E804"),
        ("filled.xlsx", 4, 9, "E804"),
        ("filled.xlsx", 5, 5, "E804"),
    ]
    first = result.diagnostics[0]
    assert first.message_zh == "工作表“评分表”E2（观测值）：等级“极好”不在 优、良、差 之中"
    assert "未登记的人员“张三”" in result.diagnostics[1].message_zh
    assert result.edits == [] and result.files == []
    assert texts(repo) == before


def test_sheet_of_another_evaluation_is_refused(repo: Path) -> None:
    sheet = export(repo)
    other = repo / "evaluations" / "demo2"
    shutil.copytree(repo / "evaluations" / "demo", other)
    text = (other / "evaluation.yaml").read_text(encoding="utf-8")
    text = text.replace("id: demo\n", "id: demo2\n")
    (other / "evaluation.yaml").write_text(text, encoding="utf-8")
    result = import_sheet(repo, other, sheet, shown="demo.xlsx")
    assert [(d.code, d.message_zh) for d in result.diagnostics] == [
        ("E801", "表格属于评价“demo”，不是“demo2”")
    ]


def test_sheet_of_another_edition_is_refused(repo: Path) -> None:
    sheet = fill(export(repo), {"E4": 80})
    before = texts(repo)
    for rel in ("indicators/mini/system.yaml", "evaluations/demo/evaluation.yaml"):
        path = repo / rel
        text = path.read_text(encoding="utf-8").replace('edition: "1"', 'edition: "2"')
        path.write_text(text, encoding="utf-8")
    result = import_sheet(repo, repo / "evaluations/demo", sheet)
    assert [(d.code, d.message_zh) for d in result.diagnostics] == [
        ("E802", "表格按指标体系 mini 1 版 导出，评价现用 mini 2 版")
    ]
    assert texts(repo) == before


def test_yaml_edited_since_export(repo: Path) -> None:
    sheet = fill(export(repo), {"E4": 80, "H2": "新意见"})
    path = repo / SCORES[0]
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("observation: 90", "observation: 70")
        .replace("observation: 优", "observation: 良"),
        encoding="utf-8",
    )
    result = import_sheet(repo, repo / "evaluations/demo", sheet)
    assert [(d.line, d.column, d.code) for d in result.diagnostics] == [(4, 5, "E808")]
    del_a3 = fill(sheet, {"E4": 90})  # back to the exported value: no conflict, and 优→良 in YAML is kept
    result = import_sheet(repo, repo / "evaluations/demo", del_a3)
    assert result.diagnostics == [] and [e.field for e in result.edits] == ["comment"]
    text = path.read_text(encoding="utf-8")
    assert "observation: 良" in text and "observation: 70" in text and "comment: 新意见" in text


def test_read_only_cells(repo: Path) -> None:
    path = repo / SCORES[1]
    text = path.read_text(encoding="utf-8").replace(
        "    observation: 良\n    evaluators: [wang]\n",
        "    ratings:\n      - rater: wang\n        observation: 良\n"
        "      - rater: li\n        observation: 优\n",
    )
    path.write_text(text, encoding="utf-8")
    sheet = export(repo)
    ws = load_workbook(sheet)["评分表"]
    assert ws["E6"].value == "王志远：良；李静：优" and ws["E6"].fill.fgColor.rgb.endswith("EDEDED")
    result = import_sheet(repo, repo / "evaluations/demo", fill(sheet, {"E6": "优"}))
    assert [(d.line, d.column, d.code) for d in result.diagnostics] == [(6, 5, "E807")]


def test_not_a_score_sheet(repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    assert [d.code for d in import_sheet(repo, repo / "evaluations/demo", plain).diagnostics] == ["E803"]
    text = tmp_path / "notes.xlsx"
    text.write_text("不是表格", encoding="utf-8")
    assert [d.code for d in import_sheet(repo, repo / "evaluations/demo", text).diagnostics] == ["E809"]


def test_cli_export_and_import(repo: Path) -> None:
    runner = CliRunner()
    out = repo / "sheet.xlsx"
    folder = str(repo / "evaluations/demo")
    done = runner.invoke(main, ["export-sheet", folder, "-o", str(out), "--root", str(repo)])
    assert done.exit_code == 0, done.output
    bad = fill(out, {"E2": "极好"})
    done = runner.invoke(main, ["import-sheet", folder, str(bad), "--root", str(repo)])
    assert done.exit_code == 1
    assert "filled.xlsx:2:5: 错误 E804" in done.output and "未做任何修改" in done.output
    good = fill(out, {"E2": "良"})
    done = runner.invoke(main, ["import-sheet", folder, str(good), "--root", str(repo)])
    assert done.exit_code == 0 and "已更新 evaluations/demo/scores/a.yaml" in done.output
    done = runner.invoke(main, ["export-sheet", str(repo / "indicators"), "--root", str(repo)])
    assert done.exit_code == 2


# --- hostile and careless edits ---------------------------------------------------------------------


def _mark_internal(root: Path) -> None:
    path = root / SCORES[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("        note: 指南抽查表\n", "        note: 指南抽查表\n        internal: true\n"),
        encoding="utf-8",
    )


def test_internal_evidence_keeps_its_flag_through_any_edit(repo: Path) -> None:
    _mark_internal(repo)
    sheet = export(repo)
    assert load_workbook(sheet)["评分表"]["I2"].value == "evidence/guides.md | 2024-11-05 | 指南抽查表 | 内部"
    edited = fill(
        sheet, {"I2": "evidence/guides.md | 2024-11-06 | 改过的说明 | 内部\nhttps://zwfw.example.cn/g"}
    )
    result = import_sheet(repo, repo / "evaluations/demo", edited)
    assert result.diagnostics == []
    text = (repo / SCORES[0]).read_text(encoding="utf-8")
    assert "        note: 改过的说明\n        internal: true\n" in text
    assert import_sheet(repo, repo / "evaluations/demo", export(repo)).edits == []  # round trip is stable


def test_dropping_the_internal_mark_in_a_sheet_is_refused(repo: Path) -> None:
    _mark_internal(repo)
    before = texts(repo)
    edited = fill(export(repo), {"I2": "evidence/guides.md | 2024-11-05 | 指南抽查表"})
    result = import_sheet(repo, repo / "evaluations/demo", edited, shown="filled.xlsx")
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [("filled.xlsx", 2, 9, "E811")]
    assert texts(repo) == before


def test_formula_leading_text_is_exported_as_text_and_round_trips(repo: Path) -> None:
    """A comment that a spreadsheet would run (OWASP CSV injection) is stored as text, never a formula."""
    payload = '=HYPERLINK("http://attacker.example/x","点此")'
    path = repo / SCORES[0]
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "comment: 抽查 20 个办事指南，要素齐全。", f"comment: '{payload}'"
        ),
        encoding="utf-8",
    )
    sheet = export(repo)
    cell = load_workbook(sheet)["评分表"]["H2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)
    meta = load_workbook(sheet)["_zwpj"]
    assert all(c.data_type != "f" for row in meta.iter_rows() for c in row)
    assert import_sheet(repo, repo / "evaluations/demo", sheet).edits == []


def test_formula_cells_are_located_errors_and_nothing_changes(repo: Path) -> None:
    before = texts(repo)
    edited = fill(export(repo), {"E4": "=80+1", "H5": '=WEBSERVICE("http://attacker.example")'})
    result = import_sheet(repo, repo / "evaluations/demo", edited, shown="filled.xlsx")
    assert [(d.line, d.column, d.code) for d in result.diagnostics] == [(4, 5, "E810"), (5, 8, "E810")]
    assert texts(repo) == before


def test_ratio_cells_are_text_cells_so_a_fraction_stays_a_fraction(repo: Path) -> None:
    sheet = export(repo)
    assert load_workbook(sheet)["评分表"]["E4"].number_format == "@"
    result = import_sheet(repo, repo / "evaluations/demo", fill(sheet, {"E4": "850/1000"}))
    assert result.diagnostics == []
    assert "numerator: 850" in (repo / SCORES[0]).read_text(encoding="utf-8")


def test_a_date_in_a_ratio_cell_says_what_happened(repo: Path) -> None:
    import datetime as dt

    result = import_sheet(
        repo, repo / "evaluations/demo", fill(export(repo), {"E4": dt.datetime(2024, 9, 10)})
    )
    (problem,) = result.diagnostics
    assert (problem.code, problem.line, problem.column) == ("E804", 4, 5)
    assert "日期" in problem.message_zh and "文本" in problem.hint


def test_a_zip_bomb_is_refused_before_it_is_unpacked(repo: Path, tmp_path: Path) -> None:
    """A small file that declares 64 MiB: refused from the zip directory alone (E809)."""
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"<c>0</c>" * (1 << 17)
            for _ in range(64):  # 64 MiB of XML
                part.write(chunk)
    assert bomb.stat().st_size < 1 << 20
    result = import_sheet(repo, repo / "evaluations/demo", bomb, shown="bomb.xlsx")
    (problem,) = result.diagnostics
    assert (problem.code, problem.file) == ("E809", "bomb.xlsx")
    assert "压缩炸弹" in problem.message_zh


@pytest.mark.parametrize(
    ("cell", "typed", "written"),
    [
        ("E4", "93%", "    observation: 93\n"),  # a percent unit: 93% is 93
        ("E4", "９３％", "    observation: 93\n"),  # typed with a Chinese input method
        ("E4", "930/1000", "      numerator: 930\n      denominator: 1000\n"),
        ("E4", " 93 ", "    observation: 93\n"),
        ("E3", "否", "    observation: 不达标\n"),  # 是/否 for a binary rule: its own labels are written
        ("E3", "false", "    observation: 不达标\n"),
        ("E7", "是", "    observation: true\n"),  # a veto: 是 is present
        ("E7", "存在", "    observation: true\n"),
        ("E5", "错别字=2", "      typo: 2\n"),  # an item by its name; items left out are dropped
        ("E5", "typo=2", "      typo: 2\n"),  # or by its id
    ],
)
def test_every_accepted_spelling_is_written_in_the_rules_form(
    repo: Path, cell: str, typed: str, written: str
) -> None:
    result = import_sheet(repo, repo / "evaluations/demo", fill(export(repo), {cell: typed}))
    assert result.diagnostics == [] and len(result.edits) == 1
    assert written in "".join(texts(repo).values())
    assert CliRunner().invoke(main, ["check", "--root", str(repo)]).exit_code == 0


def test_a_number_formatted_as_a_percentage_is_read_as_shown(repo: Path) -> None:
    """Excel stores 93% typed in a percentage cell as 0.93: a percent-unit cell reads it as 93, not 0.93."""
    sheet = export(repo)
    wb = load_workbook(sheet)
    wb["评分表"]["E4"] = 0.93
    wb["评分表"]["E4"].number_format = "0%"
    wb.save(sheet)
    result = import_sheet(repo, repo / "evaluations/demo", sheet)
    assert result.diagnostics == []
    assert "    observation: 93\n" in texts(repo)[SCORES[0]]


@pytest.mark.parametrize(
    ("cell", "typed", "hint"),
    [
        ("E4", "九十", "百分数（93%）或 分子/分母（930/1000）"),
        ("E4", "93%%", "百分数（93%）"),
        ("E4", "120%", "百分比写 0 到 100"),
        ("E3", "对", "达标/不达标、是/否 或 true/false"),
        ("E7", "有", "存在/不存在、是/否 或 true/false"),
        ("E5", "断链=2", "名称为：链接失效、错别字"),
        ("E5", "错别字=1；typo=2", "每项只写一次"),
    ],
)
def test_every_refused_spelling_is_located_with_the_accepted_form(
    repo: Path, cell: str, typed: str, hint: str
) -> None:
    before = texts(repo)
    result = import_sheet(repo, repo / "evaluations/demo", fill(export(repo), {cell: typed}), shown="f.xlsx")
    (problem,) = result.diagnostics
    row, column = int(cell[1:]), ord(cell[0]) - ord("A") + 1
    assert (problem.file, problem.line, problem.column, problem.code) == ("f.xlsx", row, column, "E804")
    assert hint in problem.hint, problem.hint
    assert texts(repo) == before


def test_the_exported_file_is_readable_by_colleagues(repo: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        sheet = export(repo)
    finally:
        os.umask(old)
    assert sheet.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("cell", "typed"), [("E4", "9" * 5000), ("E4", "9" * 5000 + "%"), ("E5", "错别字=" + "9" * 5000)]
)
def test_a_huge_figure_is_refused_not_built(repo: Path, cell: str, typed: str) -> None:
    before = texts(repo)
    result = import_sheet(repo, repo / "evaluations/demo", fill(export(repo), {cell: typed}), shown="f.xlsx")
    (problem,) = result.diagnostics
    assert problem.code == "E804" and texts(repo) == before


def test_each_score_file_keeps_its_own_spelling_of_null(tmp_path: Path) -> None:
    """Files are loaded before any is written back; loading one must not change how another writes null."""
    texts = {"a.yaml": "indicators:\n  A1:\n    note: ~\n", "b.yaml": "indicators:\n  A1:\n    note: null\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    documents = {name: ScoreDocument(tmp_path / name) for name in texts}
    assert {name: doc.dump() for name, doc in documents.items()} == texts
