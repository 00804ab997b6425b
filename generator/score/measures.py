"""Measured indicators: figures computed from an evaluation's datasets with DuckDB.

Datasets can be large platform exports (millions of rows), so nothing is loaded into Python
lists: DuckDB scans the file once into a work table (in memory, spilling to a temporary folder
past MEMORY_LIMIT), checks it (dates, level names) and counts. Conditions come from the
indicator system; they run only after external access is switched off and the setting locked,
so a condition cannot read or write files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..diagnostics import Diagnostic, diag
from ..load import LoadedEvaluation, LoadedSystem, rel_path
from ..model.system import Measure, SatisfactionRule
from ..process.stages import reached
from ..validate.timeliness import CODES, data_period, system_policy
from .card import Measured

MAX_REPORTED = 5
"""Bad rows reported per column, so a broken export does not flood the output."""
MEMORY_LIMIT = "256MB"
"""DuckDB's memory budget; beyond it the work table and sorts spill to a temporary folder."""
UNREADABLE = (duckdb.Error, OSError, ValueError, KeyError, zipfile.BadZipFile)
"""What reading a damaged CSV, Parquet or XLSX file can raise (openpyxl's own errors become ValueError)."""


def needed_measures(evaluation: LoadedEvaluation, system: LoadedSystem) -> dict[str, list[str]]:
    """Measure name → ids of the applicable leaves that use it."""
    na = {i for f in evaluation.score_files for i, e in f.scores.indicators.items() if e.not_applicable}
    used: dict[str, list[str]] = {}
    for node in system.leaves():
        name = getattr(node.indicator.rule, "measure", None)
        if name and node.indicator.id not in na:
            used.setdefault(name, []).append(node.indicator.id)
    return used


def compute_measures(
    evaluation: LoadedEvaluation, system: LoadedSystem, root: Path
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every measure the evaluation needs, with located problems in its datasets."""
    ev = evaluation.evaluation
    measures = {m.name: m for m in system.system.measures}
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    by_dataset: dict[str, list[Measure]] = {}
    for name in needed_measures(evaluation, system):
        measure = measures.get(name)
        if measure is None:
            continue  # reported by system validation (E307)
        if measure.dataset not in ev.datasets:
            code = "E605" if reached(ev, DATA_BY) else "T903"  # a draft has not received its data yet
            extra = {} if code == "E605" else {"needed": DATA_BY}
            problems.append(
                evaluation.source.diag(("datasets",), code, measure=name, dataset=measure.dataset, **extra)
            )
            continue
        by_dataset.setdefault(measure.dataset, []).append(measure)
    todo = []
    for dataset, group in sorted(by_dataset.items()):
        path = evaluation.folder / ev.datasets[dataset]
        if not path.resolve().is_relative_to(evaluation.folder.resolve()):
            continue  # reported by validation (E407); a file outside the evaluation folder is never read
        todo.append((path, rel_path(root, path), group, _levels_for(system, group)))
    if todo:
        found, failures = _run_all(todo, _conditions(system), _window(evaluation, system))
        results.update(found)
        problems.extend(failures)
    return results, problems


DATA_BY = "实施评价"
"""Datasets are received and checked while the evaluation is carried out."""


def _window(evaluation: LoadedEvaluation, system: LoadedSystem) -> Window:
    """The data period and the code that reports a row outside it (时效性, §4.4)."""
    period = data_period(evaluation.evaluation)
    return Window(
        period.start, period.end, CODES["data_outside_period"][system_policy(system)["data_outside_period"]]
    )


def _levels_for(system: LoadedSystem, group: list[Measure]) -> dict[str, list[str]]:
    """Allowed values per counted column, from the satisfaction rules that use each measure."""
    out: dict[str, list[str]] = {}
    names = {m.name: m for m in group}
    for node in system.leaves():
        rule = node.indicator.rule
        if isinstance(rule, SatisfactionRule) and rule.measure in names and names[rule.measure].column:
            out[names[rule.measure].column] = list(rule.levels)
    return out


def _source_sql(path: Path, tmp: Path, dates: list[str], *, sniff: bool = False) -> str:
    """A DuckDB table function reading ``path``.

    A CSV is first read as a standard one (comma, double quotes doubled inside quoted fields),
    which spares DuckDB's dialect sniffer, about 20 ms per file whatever its size; column types
    are still detected. ``sniff`` asks for full detection, for files that are not read that way.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{_quote(path)}')"
    if suffix == ".xlsx":
        path = _xlsx_to_csv(path, tmp)
    types = "{" + ", ".join(f"'{_quote_str(c)}': 'VARCHAR'" for c in dates) + "}"
    extra = f", types={types}" if dates else ""
    dialect = "" if sniff else ", delim=',', quote='\"', escape='\"'"
    return f"read_csv('{_quote(path)}', header=true, auto_detect=true{dialect}{extra})"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _quote_str(text: str) -> str:
    return text.replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _xlsx_to_csv(path: Path, tmp: Path) -> Path:
    """Stream the first sheet of a workbook into a CSV DuckDB can scan."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    out = tmp / (hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".csv")
    if out.is_file():  # already converted for this run
        return out
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ValueError(str(exc)) from exc
    part = out.with_suffix(".part")  # renamed only once complete: a failure part-way leaves no CSV
    try:
        with part.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            for row in book.worksheets[0].iter_rows(values_only=True):
                writer.writerow(["" if v is None else v for v in row])
        part.replace(out)
    finally:
        book.close()
        part.unlink(missing_ok=True)
    return out


def _connect(tmp: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database whose blocks spill to ``tmp`` past MEMORY_LIMIT.

    In memory rather than a database file: a file would compress and write every block, about
    twice the CPU time, while the spill folder is only touched when memory runs short.
    """
    config = {"memory_limit": MEMORY_LIMIT, "temp_directory": str(tmp / "spill")}
    return duckdb.connect(":memory:", config=config)


def _conditions(system: LoadedSystem) -> dict[str, tuple[str, int, int]]:
    """Where each measure's condition is written (its ``where``, else the measure), for E606."""
    src = system.source
    return {
        m.name: (src.rel, *src.where(("measures", i, "where" if m.where else "of")))
        for i, m in enumerate(system.system.measures)
    }


Dataset = tuple[Path, str, list[Measure], dict[str, list[str]]]
"""A dataset to read: its path, its path as shown, the measures on it and its level columns."""


@dataclass(frozen=True)
class Window:
    """The period dataset dates must fall in, and the code for rows outside it."""

    start: dt.date
    """First day."""
    end: dt.date
    """Last day (the whole day)."""
    code: str
    """E608 or W707, as the system's timeliness rules say."""


def _run_all(
    datasets: list[Dataset],
    conditions: dict[str, tuple[str, int, int]] | None = None,
    window: Window | None = None,
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every dataset of one evaluation in one connection: all read first, then the lock, then counts.

    A connection costs about 10 ms; one per evaluation rather than one per dataset. A dataset with
    problems gives no figures; the others still do.
    """
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    with tempfile.TemporaryDirectory() as tmp, _connect(Path(tmp)) as con:
        ready: list[tuple[str, str, list[Measure]]] = []
        headers: dict[str, list[str]] = {}
        for index, (path, rel, group, levels) in enumerate(datasets):
            view, table = f"data_{index}", f"raw_{index}"
            failures = _load(con, Path(tmp), path, rel, group, levels, table, view, headers=headers)
            if failures:
                problems.extend(failures)
            else:
                ready.append((view, rel, group))
                if window is not None and window.start <= window.end:  # a reversed period is E409
                    problems.extend(_outside(con, table, headers[table], rel, group, window))
        if not ready:
            return results, problems
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        for view, rel, group in ready:
            found, failures = _compute(con, view, rel, group, conditions or {})
            results.update(found)
            problems.extend(failures)
    return results, problems


def _header(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]


def _load(
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    path: Path,
    rel: str,
    group: list[Measure],
    levels: dict[str, list[str]],
    table: str,
    view: str,
    *,
    sniff: bool = False,
    headers: dict[str, list[str]] | None = None,
) -> list[Diagnostic]:
    """Read the columns a dataset's measures need into ``table``, check them, and define ``view``.

    A CSV is read as a standard one first; when that fails or lacks a needed column, DuckDB's
    sniffer finds the dialect, and only its verdict is reported.
    """
    if not path.is_file():
        return [diag(rel, 0, 0, "E106", path=rel)]
    if path.suffix.lower() in (".parquet", ".xlsx"):
        sniff = True  # Parquet has no dialect, a converted workbook no other: one attempt only
    dates = sorted({c for m in group for c in (*m.date_columns, *_period_columns([m]))})
    needed = sorted(
        {
            c
            for m in group
            for c in (*m.columns, *m.date_columns, *_period_columns([m]), *([m.column] if m.column else []))
        }
    )

    def retry() -> list[Diagnostic]:
        return _load(con, tmp, path, rel, group, levels, table, view, sniff=True, headers=headers)

    try:  # the header first: read_csv refuses types= for a column the file lacks, which is E601
        header = _header(con, _source_sql(path, tmp, [], sniff=sniff))
    except UNREADABLE as exc:
        if not sniff:
            return retry()
        return [diag(rel, 1, 1, "E604", problem=_short(exc).replace(str(path), rel))]
    missing = [c for c in needed if c not in header]
    if missing:
        if not sniff:
            return retry()
        shown = "、".join(header)
        return [diag(rel, 1, 1, "E601", column=c, columns=shown) for c in missing]
    source = _source_sql(path, tmp, dates, sniff=sniff)
    raw = ", ".join(
        f"CAST({_ident(c)} AS VARCHAR) AS {_ident(c)}" if c in dates else _ident(c) for c in needed
    )
    try:  # one scan of the file; insertion order is kept, so rowid is the row's index in the file
        con.execute(f"CREATE TABLE {table} AS SELECT {raw} FROM {source}")
    except duckdb.Error as exc:
        if not sniff:
            return retry()
        return [diag(rel, 1, 1, "E604", problem=_short(exc).replace(str(path), rel))]
    problems = list(_bad_rows(con, table, rel, header, dates, levels))
    if problems:
        return problems
    cols = ", ".join(_date_expr(c) if c in dates else _ident(c) for c in needed)
    con.execute(f"CREATE VIEW {view} AS SELECT {cols} FROM {table}")
    if headers is not None:
        headers[table] = header
    return []


def _date_expr(column: str) -> str:
    return f"TRY_CAST({_ident(column)} AS TIMESTAMP) AS {_ident(column)}"


def _bad_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rel: str,
    header: list[str],
    dates: list[str],
    levels: dict[str, list[str]],
) -> Iterator[Diagnostic]:
    """Rows with unparseable dates or unknown level names, located by line and field.

    One aggregate counts the bad rows of every checked column; only a column that has some is
    scanned again for the first few, so a clean export costs a single pass.
    """
    checks = [(c, "E602", _bad_date(c), {}) for c in dates]
    for column, allowed in levels.items():
        listed = ", ".join(f"'{_quote_str(v)}'" for v in allowed)
        checks.append(
            (
                column,
                "E603",
                f"{_ident(column)} IS NULL OR CAST({_ident(column)} AS VARCHAR) NOT IN ({listed})",
                {"levels": "、".join(allowed)},
            )
        )
    if not checks:
        return
    counts = (
        con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {cond})" for _, _, cond, _ in checks)
            + f" FROM {table}"
        ).fetchone()
        or ()
    )
    for (column, code, cond, extra), count in zip(checks, counts, strict=True):
        if not count:
            continue
        rows = con.execute(
            f"SELECT rowid, CAST({_ident(column)} AS VARCHAR) FROM {table} WHERE {cond} "
            f"ORDER BY rowid LIMIT {MAX_REPORTED}"
        ).fetchall()
        for rowid, value in rows:
            line = rowid + 2  # the header is line 1
            yield diag(
                rel,
                line,
                header.index(column) + 1,
                code,
                row=line,
                column=column,
                value="（空）" if value is None else value,
                **extra,
            )


def _outside(
    con: duckdb.DuckDBPyConnection,
    table: str,
    header: list[str],
    rel: str,
    group: list[Measure],
    window: Window,
) -> Iterator[Diagnostic]:
    """One diagnostic per date column with rows outside the data period: how many, the earliest and
    latest, located at the first such row. Empty dates are left to the measures' own conditions."""
    end = window.end + dt.timedelta(days=1)  # a date-time on the last day is inside
    for column in _period_columns(group):
        value = f"TRY_CAST({_ident(column)} AS TIMESTAMP)"
        cond = f"{value} < TIMESTAMP '{window.start}' OR {value} >= TIMESTAMP '{end}'"
        row = con.execute(
            f"SELECT count(*), min({value}), max({value}), min(rowid) FROM {table} WHERE {cond}"
        ).fetchone()
        if not row or not row[0]:
            continue
        count, first, last, rowid = row
        line = int(rowid) + 2  # the header is line 1
        yield diag(
            rel,
            line,
            header.index(column) + 1,
            window.code,
            column=column,
            count=count,
            start=window.start,
            end=window.end,
            first=_shown(first),
            last=_shown(last),
        )


def _period_columns(group: list[Measure]) -> list[str]:
    """The columns that date the rows of a dataset, sorted."""
    return sorted({m.period_column for m in group if m.period_column})


def _shown(value: object) -> str:
    """A date-time as written in a message: the date alone at midnight."""
    text = str(value)
    return text.removesuffix(" 00:00:00")


def _bad_date(column: str) -> str:
    col = _ident(column)
    return f"{col} IS NOT NULL AND trim({col}) <> '' AND TRY_CAST({col} AS TIMESTAMP) IS NULL"


def _compute(
    con: duckdb.DuckDBPyConnection,
    view: str,
    rel: str,
    group: list[Measure],
    conditions: dict[str, tuple[str, int, int]],
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    for m in group:
        try:
            if m.kind == "share":
                num, den = con.execute(
                    f"SELECT count(*) FILTER (WHERE {m.where}), count(*) FROM {view} WHERE {m.of or 'TRUE'}"
                ).fetchone()
                measured = Measured(m.name, rel, num / den if den else None, int(num), int(den))
            else:
                rows = con.execute(
                    f"SELECT CAST({_ident(m.column or '')} AS VARCHAR), count(*) "
                    f"FROM {view} GROUP BY 1 ORDER BY 1"
                ).fetchall()
                counts = tuple((str(k), int(c)) for k, c in rows)
                measured = Measured(m.name, rel, None, 0, sum(c for _, c in counts), counts)
        except duckdb.Error as exc:
            at = conditions.get(m.name, (rel, 0, 0))  # the condition is written in the system, not the data
            problems.append(diag(*at, "E606", measure=m.name, problem=_short(exc)))
            continue
        if measured.denominator == 0:
            problems.append(diag(rel, 0, 0, "E607", measure=m.name, rows=m.of or "全部记录"))
        else:
            results[m.name] = measured
    return results, problems


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200]
