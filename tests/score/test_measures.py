"""Measured indicators: DuckDB figures from CSV, XLSX and Parquet datasets, and located dataset errors."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest
from scoring_cases.build import entry, evaluation, leaf, node, score, system

from generator.build.measuring import compute_measures
from generator.diagnostics import Diagnostic
from generator.score.measures import MAX_REPORTED
from generator.validate.system import validate_system

LEVELS = {"非常满意": 100, "满意": 80, "基本满意": 60, "不满意": 30, "非常不满意": 0}
HEADER = ["rating_id", "rated_at", "level", "rectified"]
ROWS = [
    [1, "2024-03-01", "非常满意", ""],
    [2, "2024-03-02 09:30:00", "非常满意", ""],
    [3, "2024-03-02", "满意", ""],
    [4, "2024-03-05", "非常满意", ""],
    [5, "2024-03-09", "不满意", "是"],
    [6, "2024-04-01", "基本满意", ""],
    [7, "2024-04-11", "非常不满意", "否"],
    [8, "2024-04-12", "满意", ""],
    [9, "2024-05-01", "不满意", "是"],
    [10, "2024-05-20", "非常满意", ""],
]
"""Ten ratings: 7 good (非常满意 4, 满意 2, 基本满意 1), 3 bad of which 2 rectified."""


def _measures(**override: Any) -> list[dict[str, Any]]:
    found = [
        {
            "name": "good_rate",
            "dataset": "ratings",
            "kind": "share",
            "where": "level IN ('非常满意', '满意', '基本满意')",
            "columns": ["rating_id", "level"],
        },
        {
            "name": "rectified_rate",
            "dataset": "ratings",
            "kind": "share",
            "where": "rectified = '是'",
            "of": "level IN ('不满意', '非常不满意')",
            "columns": ["rating_id", "level", "rectified"],
        },
        {
            "name": "rating_levels",
            "dataset": "ratings",
            "kind": "level_counts",
            "column": "level",
            "columns": ["rating_id", "level"],
            "date_columns": ["rated_at"],
        },
    ]
    return [{**m, **override.get(m["name"], {})} for m in found]


def _system(**override: Any) -> object:
    ratio = {"kind": "ratio", "unit": "ratio", "floor": 0.5, "target": 1}
    return system(
        [
            node(
                "A",
                [
                    leaf("g", 40, {**ratio, "measure": "good_rate"}),
                    leaf("r", 30, {**ratio, "measure": "rectified_rate"}),
                    leaf("s", 30, {"kind": "satisfaction", "levels": LEVELS, "measure": "rating_levels"}),
                ],
            )
        ],
        measures=_measures(**override),
    )


def _write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _write_parquet(path: Path, rows: list[list[Any]]) -> Path:
    source = _write_csv(path.with_suffix(".csv"), rows)
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{source}', all_varchar=true)) TO '{path}' (FORMAT parquet)"
        )
    source.unlink()
    return path


def _compute(
    tmp_path: Path, file: str | None, loaded: object | None = None, entries: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    folder = tmp_path / "evaluations" / "test-eval"
    folder.mkdir(parents=True, exist_ok=True)
    ev = evaluation(
        entries or {"g": None, "r": None, "s": None},
        folder=folder,
        datasets={"ratings": file} if file else {},
    )
    return compute_measures(ev, loaded or _system(), tmp_path)


REL = "evaluations/test-eval/data/ratings"


@pytest.mark.parametrize("writer", [_write_csv, _write_xlsx, _write_parquet], ids=["csv", "xlsx", "parquet"])
def test_share_and_level_counts(tmp_path: Path, writer: Any) -> None:
    suffix = {"_write_csv": ".csv", "_write_xlsx": ".xlsx", "_write_parquet": ".parquet"}[writer.__name__]
    writer(tmp_path / f"evaluations/test-eval/data/ratings{suffix}", ROWS)
    found, problems = _compute(tmp_path, f"data/ratings{suffix}")
    assert problems == []
    good, fixed, levels = found["good_rate"], found["rectified_rate"], found["rating_levels"]
    assert (good.value, good.numerator, good.denominator) == (0.7, 7, 10)
    assert (fixed.numerator, fixed.denominator) == (2, 3) and fixed.value == pytest.approx(2 / 3)
    assert dict(levels.counts) == {"非常满意": 4, "满意": 2, "基本满意": 1, "不满意": 2, "非常不满意": 1}
    assert levels.denominator == 10 and good.dataset == f"{REL}{suffix}"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"], ids=["semicolon", "tab", "pipe"])
def test_other_csv_dialects_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / f"{REL}.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    found, problems = _compute(tmp_path, "data/ratings.csv")
    assert problems == []
    assert (found["good_rate"].numerator, found["good_rate"].denominator) == (7, 10)
    assert dict(found["rating_levels"].counts)["非常满意"] == 4


def test_a_broken_dataset_does_not_hide_the_figures_of_another(tmp_path: Path) -> None:
    _write_csv(tmp_path / f"{REL}.csv", ROWS)
    cases = tmp_path / "evaluations/test-eval/data/cases.csv"
    cases.write_text("case_id,finished\n1,2024-13-45\n", encoding="utf-8")
    extra = {
        "name": "done_rate",
        "dataset": "cases",
        "kind": "share",
        "where": "finished IS NOT NULL",
        "columns": ["case_id"],
        "date_columns": ["finished"],
    }
    ratio = {"kind": "ratio", "unit": "ratio", "floor": 0.5, "target": 1}
    loaded = system(
        [
            node(
                "A",
                [
                    leaf("g", 50, {**ratio, "measure": "good_rate"}),
                    leaf("d", 50, {**ratio, "measure": "done_rate"}),
                ],
            )
        ],
        measures=[*_measures()[:1], extra],
    )
    folder = tmp_path / "evaluations" / "test-eval"
    ev = evaluation(
        {"g": None, "d": None},
        folder=folder,
        datasets={"ratings": "data/ratings.csv", "cases": "data/cases.csv"},
    )
    found, problems = compute_measures(ev, loaded, tmp_path)
    cases_rel = "evaluations/test-eval/data/cases.csv"
    assert [(d.code, d.file, d.line) for d in problems] == [("E602", cases_rel, 2)]
    assert set(found) == {"good_rate"} and found["good_rate"].numerator == 7


def test_measured_figures_score_with_their_row_counts(tmp_path: Path) -> None:
    _write_csv(tmp_path / f"{REL}.csv", ROWS)
    loaded = _system()
    found, _ = _compute(tmp_path, "data/ratings.csv", loaded)
    card = score(loaded, {"g": None, "r": None, "s": None}, measured=found)
    leaves = {i.id: i for i in card.leaves}
    assert leaves["g"].observation == "70.00%（7/10）" and leaves["g"].points == 16  # (0.7 − 0.5) / 0.5 × 40
    assert leaves["g"].measured is found["good_rate"]
    assert leaves["s"].observation.endswith("（共 10 条）")


def test_measures_of_not_applicable_leaves_are_not_computed(tmp_path: Path) -> None:
    na = entry(not_applicable="无")
    found, problems = _compute(tmp_path, None, entries={"g": na, "r": na, "s": na})
    assert (found, problems) == ({}, [])


def test_missing_column_e601(tmp_path: Path) -> None:
    _write_csv(tmp_path / f"{REL}.csv", [r[:3] for r in ROWS], header=HEADER[:3])
    _, problems = _compute(tmp_path, "data/ratings.csv")
    assert [(d.code, d.file, d.line, d.column, dict(d.args)["column"]) for d in problems] == [
        ("E601", f"{REL}.csv", 1, 1, "rectified")
    ]
    assert "rating_id、rated_at、level" in problems[0].message_zh


def test_bad_date_e602_is_located_by_row_and_column(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][1] = "2024-02-30"  # third data row: line 4 of the file
    rows[6][1] = "三月五日"
    _write_csv(tmp_path / f"{REL}.csv", rows)
    _, problems = _compute(tmp_path, "data/ratings.csv")
    assert [(d.code, d.line, d.column, dict(d.args)["value"]) for d in problems] == [
        ("E602", 4, 2, "2024-02-30"),
        ("E602", 8, 2, "三月五日"),
    ]
    assert problems[0].message_zh.startswith("第 4 行“rated_at”列的值“2024-02-30”不是有效日期")


def test_wrong_level_name_e603(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[4][2] = "很满意"
    rows[8][2] = ""
    _write_csv(tmp_path / f"{REL}.csv", rows)
    _, problems = _compute(tmp_path, "data/ratings.csv")
    assert [(d.code, d.line, d.column) for d in problems] == [("E603", 6, 3), ("E603", 10, 3)]
    assert (
        "“很满意”不是有效等级（应为 非常满意、满意、基本满意、不满意、非常不满意）" in problems[0].message_zh
    )
    assert "None" not in problems[1].message_zh


def test_bad_rows_reported_at_most_a_few_per_column(tmp_path: Path) -> None:
    rows = [[i, "not a date", "满意", ""] for i in range(20)]
    _write_csv(tmp_path / f"{REL}.csv", rows)
    _, problems = _compute(tmp_path, "data/ratings.csv")
    assert [d.line for d in problems] == list(range(2, 2 + MAX_REPORTED))


@pytest.mark.parametrize(
    ("name", "content"),
    [("ratings.parquet", b"PAR1 this is not parquet"), ("ratings.xlsx", b"PK\x03\x04 not a workbook")],
)
def test_unreadable_file_e604(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / "evaluations/test-eval/data" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    _, problems = _compute(tmp_path, f"data/{name}")
    assert [(d.code, d.file, d.line) for d in problems] == [("E604", f"evaluations/test-eval/data/{name}", 1)]


def test_missing_dataset_e605(tmp_path: Path) -> None:
    _, problems = _compute(tmp_path, None)
    assert sorted((d.code, dict(d.args)["measure"]) for d in problems) == [
        ("E605", "good_rate"),
        ("E605", "rating_levels"),
        ("E605", "rectified_rate"),
    ]
    assert all(d.file == "evaluations/test-eval/evaluation.yaml" for d in problems)


def test_a_missing_file_is_not_read_and_left_to_validation(tmp_path: Path) -> None:
    """The evaluation's reference is reported (E406 by validation), once; measuring reads nothing."""
    assert _compute(tmp_path, "data/nowhere.csv") == ({}, [])


def test_a_condition_naming_a_column_the_dataset_lacks_is_e601(tmp_path: Path) -> None:
    """A column a condition names is required of the dataset like the declared ones."""
    _write_csv(tmp_path / f"{REL}.csv", ROWS)
    loaded = _system(good_rate={"where": "levle = '满意'"})
    assert validate_system(loaded) == []
    found, problems = _compute(tmp_path, "data/ratings.csv", loaded)
    assert [(d.code, d.line, dict(d.args)["column"]) for d in problems] == [("E601", 1, "levle")]
    assert "good_rate" not in found and "rectified_rate" not in found  # the dataset gives no figure


def test_a_condition_that_fails_on_the_data_is_e606_without_the_data(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][3] = "SECRET-ROW-VALUE"
    _write_csv(tmp_path / f"{REL}.csv", rows)
    columns = ["rating_id", "level", "rectified"]
    loaded = _system(good_rate={"where": "CAST(rectified AS INTEGER) = 1", "columns": columns})
    found, problems = _compute(tmp_path, "data/ratings.csv", loaded)
    assert [(d.code, dict(d.args)["measure"]) for d in problems] == [("E606", "good_rate")]
    shown = problems[0].message_zh + problems[0].message_en + problems[0].hint
    assert "SECRET" not in shown and "/tmp" not in shown
    assert "rectified_rate" in found


@pytest.mark.parametrize(
    "condition",
    [
        "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0",
        "level IN (SELECT content FROM read_text('/etc/passwd'))",
        "(SELECT count(*) FROM '/etc/passwd') > 0",
        "(SELECT count(*) FROM glob('/etc/*')) > 0",
        "TRUE) FROM data; COPY (SELECT 1) TO '{out}'; SELECT count(*) FILTER (WHERE TRUE",
        "TRUE) FROM data; SET enable_external_access = true; SELECT count(*) FILTER (WHERE TRUE",
        "TRUE) FROM data; ATTACH '{db}' AS x; SELECT count(*) FILTER (WHERE TRUE",
    ],
)
def test_a_condition_cannot_touch_files(tmp_path: Path, condition: str) -> None:
    """Refused when the system is checked (E313), and never run: the measure gives no figure."""
    _write_csv(tmp_path / f"{REL}.csv", ROWS)
    out, db = tmp_path / "leak.csv", tmp_path / "leak.db"
    loaded = _system(good_rate={"where": condition.format(out=out, db=db)})
    assert [d.code for d in validate_system(loaded)] == ["E313"]
    found, problems = _compute(tmp_path, "data/ratings.csv", loaded)
    assert "good_rate" not in found and problems == []
    assert not out.exists() and not db.exists()


def test_empty_denominator_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    rows = [r for r in ROWS if r[2] not in ("不满意", "非常不满意")]  # no bad ratings: 0 / 0 rectified
    _write_csv(tmp_path / f"{REL}.csv", rows)
    found, problems = _compute(tmp_path, "data/ratings.csv")
    assert [(d.code, d.file, dict(d.args)["measure"]) for d in problems] == [
        ("E607", f"{REL}.csv", "rectified_rate")
    ]
    assert "not_applicable" in problems[0].hint
