"""Measured indicators: figures computed from an evaluation's datasets with DuckDB.

Datasets can be large platform exports (millions of rows), so nothing is loaded into Python
lists: DuckDB scans the file once into a work table (every needed column as text), the tool
decides each column's type from its values (a column that holds dates is checked and read as
dates, one that holds numbers as numbers, so a stray value can never turn a column into text and
a comparison into a string comparison), reports the values that do not fit (dates E602, numbers
E611, level names E603) and counts.

Conditions come from the indicator system and run only as checked expressions
(``conditions.compile_condition``): one expression from an allow-list, over the
dataset's columns. Each evaluation's work runs on one connection with a memory limit, one thread,
a bounded spill folder and a deadline (a watchdog interrupts the running query): passing either
bound is a located error (E609, E610), never a hang. External access is switched off and the
settings locked before any condition runs, and the counting happens in a transaction that is
rolled back, so nothing a measure does is seen by another. Messages never echo the data (or a
temporary path): only positions, column names and values the check itself found wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from generator.diagnostics import Diagnostic, Worded, diag
from generator.load.repository import LoadedEvaluation, LoadedSystem, rel_path
from generator.load.spreadsheets import DATASET_LIMITS, XlsxRefused, is_formula, open_workbook
from generator.model.system import Measure, SatisfactionRule
from generator.paths import regular_inside
from generator.render.public import Policy
from generator.score.card import Measured
from generator.score.conditions import ConditionProblem, compile_condition, condition_columns
from generator.validate.process.stages import reached
from generator.validate.timeliness import CODES, data_period, system_policy

MAX_REPORTED = 5
"""Bad rows reported per column, so a broken export does not flood the output."""
MEMORY_LIMIT = "256MB"
"""DuckDB's memory budget per evaluation; beyond it the work table and sorts spill to disk
(``ZWPJ_MEASURE_MEMORY`` sets another)."""
SPILL_LIMIT = "2GB"
"""Most an evaluation's work may spill to its temporary folder."""
SECONDS = 120.0
"""Time one evaluation's measures may take, reading its datasets included (``ZWPJ_MEASURE_SECONDS``
sets another)."""


def bounds() -> tuple[float, str]:
    """(seconds, memory) one evaluation's measures may use, as set now."""
    seconds = float(os.environ.get("ZWPJ_MEASURE_SECONDS") or SECONDS)
    return seconds, os.environ.get("ZWPJ_MEASURE_MEMORY") or MEMORY_LIMIT


TYPED_SHARE = 0.8
"""A column a condition compares is read as dates (numbers) when at least this share of its
non-empty values are dates (numbers); the others are then reported (E602, E611)."""
DATE_PATTERN = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"
"""What a date or date-time value looks like: no time zone, no words (DuckDB reads 'epoch',
'infinity' and '+08:00' offsets as timestamps, silently)."""
NUMBER_PATTERN = r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
"""What a number looks like."""
YEARS = (1900, 2200)
"""Years a date may fall in."""
MAX_HEADER_BYTES = 1 << 20
"""Longest header line read to name a CSV's columns."""


class _OutOfTime(Exception):
    """The evaluation's deadline passed (raised between steps; a running query is interrupted)."""


class _Deadline:
    """A time bound for one evaluation: a watchdog thread interrupts the connection when it passes."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.con, self.seconds = con, seconds
        self.end = time.monotonic() + seconds
        self.fired = threading.Event()
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired.set()
        try:
            self.con.interrupt()
        except duckdb.Error:  # the connection closed meanwhile: nothing left to stop
            pass

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.cancel()

    def check(self) -> None:
        """Raise _OutOfTime once the deadline has passed."""
        if self.fired.is_set() or time.monotonic() >= self.end:
            raise _OutOfTime


def needed_measures(evaluation: LoadedEvaluation, system: LoadedSystem) -> dict[str, list[str]]:
    """Measure name → ids of the applicable leaves that use it."""
    na = {i for f in evaluation.score_files for i, e in f.scores.indicators.items() if e.not_applicable}
    used: dict[str, list[str]] = {}
    for node in system.leaves():
        name = getattr(node.indicator.rule, "measure", None)
        if name and node.indicator.id not in na:
            used.setdefault(name, []).append(node.indicator.id)
    return used


def measure_columns(m: Measure) -> frozenset[str]:
    """Every column a measure needs: those it declares (its period column too) and those its
    conditions name."""
    declared = {*m.columns, *m.date_columns, *([m.column] if m.column else [])}
    return frozenset({*declared, *_period_columns([m]), *_compared(m)})


def compiled(m: Measure) -> tuple[str, str]:
    """The SQL of a measure's ``where`` and ``of``; ConditionProblem when either is refused."""
    where = compile_condition(m.where) if m.where else "TRUE"
    of = compile_condition(m.of) if m.of else "TRUE"
    return where, of


@dataclass(frozen=True)
class Dataset:
    """A dataset to read."""

    path: Path
    """The file."""
    rel: str
    """Its path as shown."""
    measures: list[Measure]
    """The measures on it."""
    levels: dict[str, list[str]]
    """Allowed values per counted column."""
    declared: tuple[str, int, int]
    """Where evaluation.yaml names it (file, line, column): where a bound passed is reported."""
    internal: bool = False
    """True for an internal dataset: messages never quote its values."""


def compute_measures(
    evaluation: LoadedEvaluation, system: LoadedSystem, root: Path
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every measure the evaluation needs, with located problems in its datasets."""
    ev = evaluation.evaluation
    measures = {m.name: m for m in system.system.measures}
    problems: list[Diagnostic] = []
    by_dataset: dict[str, list[Measure]] = {}
    for name in needed_measures(evaluation, system):
        measure = measures.get(name)
        if measure is None or not _runnable(measure):
            continue  # reported by system validation (E307, E313)
        if measure.dataset not in ev.datasets:
            if any(piece[0] == "datasets" for piece in evaluation.source.cut):
                continue  # its entry was cut for a schema error, reported where it stands
            src = evaluation.source
            if reached(ev, DATA_BY):
                problems.append(src.diag(("datasets",), "E605", measure=name, dataset=measure.dataset))
            else:  # a draft has not received its data yet
                problems.append(
                    src.diag(("datasets",), "T903", measure=name, dataset=measure.dataset, needed=DATA_BY)
                )
            continue
        by_dataset.setdefault(measure.dataset, []).append(measure)
    todo = []
    policy = Policy(evaluation)
    for dataset, group in sorted(by_dataset.items()):
        path = evaluation.folder / ev.datasets[dataset]
        if not regular_inside(evaluation.folder, path):
            continue  # reported by validation (E406, E407, E110, E111): never read
        declared = (evaluation.source.rel, *evaluation.source.where(("datasets", dataset)))
        shown = rel_path(root, path)
        hidden = policy.hidden(ev.datasets[dataset])
        todo.append(Dataset(path, shown, group, _levels_for(system, group), declared, hidden))
    if not todo:
        return {}, problems
    results, failures = _run_all(todo, _conditions(system), _window(evaluation, system))
    return results, problems + failures


DATA_BY = "实施评价"
"""Datasets are received and checked while the evaluation is carried out."""


@dataclass(frozen=True)
class Window:
    """The period dataset dates must fall in, and the code for rows outside it."""

    start: dt.date
    """First day."""
    end: dt.date
    """Last day (the whole day)."""
    code: str
    """E608 or W707, as the system's timeliness rules say."""


def _window(evaluation: LoadedEvaluation, system: LoadedSystem) -> Window:
    """The data period and the code that reports a row outside it (时效性, §4.4)."""
    period = data_period(evaluation.evaluation)
    return Window(
        period.start, period.end, CODES["data_outside_period"][system_policy(system)["data_outside_period"]]
    )


def _runnable(m: Measure) -> bool:
    try:
        compiled(m)
    except ConditionProblem:
        return False
    return True


def _levels_for(system: LoadedSystem, group: list[Measure]) -> dict[str, list[str]]:
    """Allowed values per counted column, from the satisfaction rules that use each measure."""
    out: dict[str, list[str]] = {}
    names = {m.name: m for m in group}
    for node in system.leaves():
        rule = node.indicator.rule
        if (
            isinstance(rule, SatisfactionRule)
            and rule.measure in names
            and (column := names[rule.measure].column)
        ):
            out[column] = list(rule.levels)
    return out


def _conditions(system: LoadedSystem) -> dict[str, tuple[str, int, int]]:
    """Where each measure's condition is written (its ``where``, else the measure), for E606."""
    src = system.source
    return {
        m.name: (src.rel, *src.where(("measures", i, "where" if m.where else "of")))
        for i, m in enumerate(system.system.measures)
    }


def _connect(tmp: Path, memory: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database with one thread, a memory limit, and a bounded spill folder."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory,
        "threads": 1,
        "temp_directory": str(tmp / "spill"),
        "max_temp_directory_size": SPILL_LIMIT,
    }
    return duckdb.connect(":memory:", config=config)


def _run_all(
    datasets: list[Dataset], conditions: dict[str, tuple[str, int, int]], window: Window | None = None
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every dataset of one evaluation in one connection: all read first, then the lock, then counts.

    A dataset with problems gives no figures; the others still do. Passing the time or memory bound
    stops the evaluation's measures with one located error.
    """
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    current = datasets[0]
    seconds, memory = bounds()
    with (
        tempfile.TemporaryDirectory() as tmp,
        _connect(Path(tmp), memory) as con,
        _Deadline(con, seconds) as clock,
    ):
        try:
            ready: list[tuple[str, Dataset]] = []
            for index, dataset in enumerate(datasets):
                current = dataset
                table = f"raw_{index}"
                failures, header = _load(con, clock, Path(tmp), dataset, table, f"data_{index}")
                problems.extend(failures)
                if not failures:
                    ready.append((f"data_{index}", dataset))
                    if window is not None and window.start <= window.end:  # a reversed period is E409
                        problems.extend(_outside(con, table, header, dataset.rel, dataset.measures, window))
            clock.check()
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            for view, dataset in ready:
                current = dataset
                found, failures = _compute(con, clock, view, dataset, conditions)
                results.update(found)
                problems.extend(failures)
        except (_OutOfTime, duckdb.InterruptException):
            return {}, [*problems, _bound(current, "E609", limit=f"{seconds:g}")]
        except duckdb.OutOfMemoryException:
            return {}, [*problems, _bound(current, "E610", limit=memory)]
    return results, problems


def _bound(dataset: Dataset, code: str, **args: str) -> Diagnostic:
    return diag(*dataset.declared, code, dataset=dataset.rel, **args)


def _load(
    con: duckdb.DuckDBPyConnection, clock: _Deadline, tmp: Path, dataset: Dataset, table: str, view: str
) -> tuple[list[Diagnostic], list[str]]:
    """Read the columns a dataset's measures need into ``table`` as text, check them, define ``view``;
    the problems and the file's header."""
    rel = dataset.rel
    needed = sorted(set().union(*(measure_columns(m) for m in dataset.measures)))
    try:
        source, header = _source(dataset.path, tmp, clock, needed)
    except _Unreadable as exc:
        return [diag(rel, exc.line, 1, "E604", problem_zh=exc.zh, problem_en=exc.en)], []
    missing = [c for c in needed if c not in header]
    if missing:
        shown = "、".join(header)
        return [diag(rel, 1, 1, "E601", column=c, columns=shown) for c in missing], header
    columns = ", ".join(f"CAST({_ident(c)} AS VARCHAR) AS {_ident(c)}" for c in needed)
    clock.check()
    try:  # one scan of the file; insertion order is kept, so rowid is the row's index in the file
        con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM {source}")
    except (duckdb.InterruptException, duckdb.OutOfMemoryException):
        raise
    except duckdb.Error as exc:
        said = _explain(exc)
        return [diag(rel, said.line, 1, "E604", problem_zh=said.zh, problem_en=said.en)], header
    dates = {c for m in dataset.measures for c in (*m.date_columns, *_period_columns([m]))}
    compared = {c for m in dataset.measures for c in _compared(m)} - set(dataset.levels)
    kinds = _kinds(con, table, needed, dates, compared)
    problems = list(_bad_rows(con, table, rel, header, kinds, dataset.levels, quote=not dataset.internal))
    if problems:
        return problems, header
    cols = ", ".join(_typed(c, kinds[c]) for c in needed)
    con.execute(f"CREATE VIEW {view} AS SELECT {cols} FROM {table}")
    return [], header


class _Unreadable(Worded):
    """A dataset that cannot be read (a ``dataset_…`` variant of ``messages.DETAILS``), with a
    message that holds none of its content; ``line`` is where."""

    def __init__(self, variant: str, line: int = 1, **fields: object) -> None:
        super().__init__(variant, **fields)
        self.line = line


DELIMITERS = (",", ";", "\t", "|")
"""Field separators a CSV may use (Excel and WPS write ``;`` in some locales, exports use tabs)."""


def _source(path: Path, tmp: Path, clock: _Deadline, needed: list[str]) -> tuple[str, list[str]]:
    """(DuckDB table function reading the file with every column as text, its header)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{_quote(path)}')", _parquet_header(path)
    if suffix == ".xlsx":
        path = _xlsx_to_csv(path, tmp, clock)
    elif suffix != ".csv":
        raise (
            _Unreadable("dataset_format_unsupported", suffix=suffix)
            if suffix
            else _Unreadable("dataset_no_suffix")
        )
    delimiter, header = _csv_header(path, needed)
    types = ", ".join(f"'{_quote_str(c)}': 'VARCHAR'" for c in header)
    return (
        f"read_csv('{_quote(path)}', header=true, auto_detect=false, delim='{_quote_str(delimiter)}', "
        f"quote='\"', escape='\"', columns={{{types}}}, strict_mode=true)"
    ), header


def _csv_header(path: Path, needed: list[str]) -> tuple[str, list[str]]:
    """(delimiter, column names) of a CSV's first line (UTF-8, a BOM allowed, standard quoting):
    the first delimiter that gives every needed column, else the comma's reading."""
    with path.open("rb") as fh:
        first = fh.readline(MAX_HEADER_BYTES + 1)
    if len(first) > MAX_HEADER_BYTES:
        raise _Unreadable("dataset_header_too_long")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("dataset_not_utf8") from None
    readings = [(d, next(csv.reader(io.StringIO(text), delimiter=d), [])) for d in DELIMITERS]
    delimiter, header = next(((d, h) for d, h in readings if set(needed) <= set(h)), readings[0])
    if not header or not any(h.strip() for h in header):
        raise _Unreadable("dataset_no_header")
    if len(set(header)) != len(header):
        raise _Unreadable("dataset_header_repeats")
    return delimiter, header


def _parquet_header(path: Path) -> list[str]:
    try:
        with duckdb.connect(":memory:") as con:
            rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{_quote(path)}')").fetchall()
    except duckdb.Error:
        raise _Unreadable("dataset_not_parquet") from None
    return [row[0] for row in rows]


_LINE = re.compile(r"(?:Line|line)[: ]+(\d+)")
_EXPLAINED = (
    ("unicode", "dataset_not_utf8"),
    ("Expected Number of Columns", "dataset_fields_differ"),
    ("too many columns", "dataset_fields_more"),
    ("less columns", "dataset_fields_fewer"),
    ("unterminated quote", "dataset_quote_open"),
    ("Parquet", "dataset_not_parquet"),
)
"""DuckDB's reading errors (by a distinctive part) → the variant saying what they mean; the text
itself is never shown: it quotes the offending line."""


def _explain(exc: duckdb.Error) -> _Unreadable:
    """A reading error said without any of the file's content, at its line."""
    text = str(exc)
    found = _LINE.search(text)
    line = int(found.group(1)) if found else 1
    for key, variant in _EXPLAINED:
        if key.lower() in text.lower():
            return _Unreadable(variant, line)
    return _Unreadable("dataset_malformed", line, kind=type(exc).__name__)


def _xlsx_to_csv(path: Path, tmp: Path, clock: _Deadline) -> Path:
    """Stream the first sheet of a workbook into a CSV DuckDB can scan (bounded: ``spreadsheets``).

    A formula cell is refused: its value depends on the program that last saved the workbook.
    """
    out = tmp / (hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".csv")
    try:
        book = open_workbook(path, DATASET_LIMITS, read_only=True)
    except XlsxRefused as exc:
        raise _Unreadable("dataset_xlsx_refused", said_zh=exc.zh, said_en=exc.en) from None
    part = out.with_suffix(".part")  # renamed only once complete: a failure part-way leaves no CSV
    try:
        with part.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            for r, row in enumerate(book.worksheets[0].iter_rows(), 1):
                if r % 1000 == 0:
                    clock.check()
                writer.writerow([_xlsx_value(cell, r) for cell in row])
        part.replace(out)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _Unreadable("dataset_xlsx_invalid", kind=type(exc).__name__) from None
    finally:
        book.close()
        part.unlink(missing_ok=True)
    return out


def _xlsx_value(cell: object, row: int) -> object:
    value = getattr(cell, "value", None)
    if is_formula(cell):
        letter = getattr(cell, "column_letter", "")
        raise _Unreadable("dataset_cell_formula", row, cell=f"{letter}{row}")
    return "" if value is None else value


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _quote_str(text: str) -> str:
    return text.replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _compared(m: Measure) -> frozenset[str]:
    """Columns a measure's conditions compare (their values' type matters); none when refused (E313)."""
    try:
        return frozenset().union(*(condition_columns(t) for t in (m.where, m.of) if t))
    except ConditionProblem:
        return frozenset()


def _kinds(
    con: duckdb.DuckDBPyConnection, table: str, needed: list[str], dates: set[str], compared: set[str]
) -> dict[str, str]:
    """Each column's type: ``date`` when declared so; for a column a condition compares, ``date``
    or ``number`` when most of its values are; else ``text`` (names, ids: never reinterpreted)."""
    parts = []
    for c in needed:
        col = f"trim({_ident(c)})"
        parts += [
            f"count(*) FILTER (WHERE {col} <> '')",
            f"count(*) FILTER (WHERE regexp_full_match({col}, '{DATE_PATTERN}'))",
            f"count(*) FILTER (WHERE regexp_full_match({col}, '{NUMBER_PATTERN}'))",
        ]
    counts = con.execute(f"SELECT {', '.join(parts)} FROM {table}").fetchone() or ()
    kinds = {}
    for i, c in enumerate(needed):
        filled, like_dates, like_numbers = counts[3 * i : 3 * i + 3]
        if c in dates or (c in compared and filled and like_dates >= TYPED_SHARE * filled):
            kinds[c] = "date"
        elif c in compared and filled and like_numbers >= TYPED_SHARE * filled:
            kinds[c] = "number"
        else:
            kinds[c] = "text"
    return kinds


def _typed(column: str, kind: str) -> str:
    col = f"nullif(trim({_ident(column)}), '')"
    if kind == "date":
        return f"CAST({col} AS TIMESTAMP) AS {_ident(column)}"
    if kind == "number":
        return f"CAST({col} AS DOUBLE) AS {_ident(column)}"
    return _ident(column)


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
    col = f"trim({_ident(column)})"
    low, high = YEARS
    return (
        f"{col} <> '' AND NOT coalesce(regexp_full_match({col}, '{DATE_PATTERN}') "
        f"AND year(TRY_CAST({col} AS TIMESTAMP)) BETWEEN {low} AND {high}, false)"
    )


def _bad_number(column: str) -> str:
    col = f"trim({_ident(column)})"
    return f"{col} <> '' AND NOT coalesce(regexp_full_match({col}, '{NUMBER_PATTERN}'), false)"


def _bad_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rel: str,
    header: list[str],
    kinds: dict[str, str],
    levels: dict[str, list[str]],
    *,
    quote: bool = True,
) -> Iterator[Diagnostic]:
    """Values that do not fit their column (dates, numbers, level names), located by line and field
    (quoted in the message unless ``quote`` is False: an internal dataset's values stay unsaid).

    One aggregate counts the bad rows of every checked column; only a column that has some is
    scanned again for the first few, so a clean export costs a single pass.
    """
    checks: list[tuple[str, str, str, dict[str, str]]]
    checks = [(c, "E602", _bad_date(c), {}) for c, k in kinds.items() if k == "date"]
    checks += [(c, "E611", _bad_number(c), {}) for c, k in kinds.items() if k == "number"]
    for column, allowed in levels.items():
        listed = ", ".join(f"'{_quote_str(v)}'" for v in allowed)
        checks.append(
            (
                column,
                "E603",
                f"{_ident(column)} IS NULL OR trim({_ident(column)}) NOT IN ({listed})",
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
            f"SELECT rowid, {_ident(column)} FROM {table} WHERE {cond} ORDER BY rowid LIMIT {MAX_REPORTED}"
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
                value=_value(value, quote),
                **extra,
            )


def _value(value: str | None, quote: bool) -> str:
    """A bad value as shown in a message: the value the check found wrong, cut short."""
    if value is None or not value.strip():
        return "（空）"
    if not quote:
        return "（内部数据，不显示）"
    value = " ".join(value.split())
    return value if len(value) <= 40 else value[:40] + "…"


def _compute(
    con: duckdb.DuckDBPyConnection,
    clock: _Deadline,
    view: str,
    dataset: Dataset,
    conditions: dict[str, tuple[str, int, int]],
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    for m in dataset.measures:
        clock.check()
        con.begin()  # each measure in a transaction rolled back: nothing one does is seen by another
        try:
            if m.kind == "share":
                where, of = compiled(m)
                num, den = con.execute(
                    f"SELECT count(*) FILTER (WHERE ({where})), count(*) FROM {view} WHERE ({of})"
                ).fetchone() or (0, 0)  # an aggregate returns one row
                measured = Measured(m.name, dataset.rel, num / den if den else None, int(num), int(den))
            else:
                rows = con.execute(
                    f"SELECT CAST({_ident(m.column or '')} AS VARCHAR), count(*) "
                    f"FROM {view} GROUP BY 1 ORDER BY 1"
                ).fetchall()
                counts = tuple((str(k), int(c)) for k, c in rows)
                measured = Measured(m.name, dataset.rel, None, 0, sum(c for _, c in counts), counts)
        except (duckdb.InterruptException, duckdb.OutOfMemoryException):
            raise
        except duckdb.Error as exc:
            at = conditions.get(m.name, (dataset.rel, 0, 0))  # the condition is written in the system
            said = _failure(exc)
            problems.append(diag(*at, "E606", measure=m.name, problem_zh=said.zh, problem_en=said.en))
            continue
        finally:
            con.rollback()
        if measured.denominator == 0:
            problems.append(diag(dataset.rel, 0, 0, "E607", measure=m.name, rows=m.of or "全部记录"))
        else:
            results[m.name] = measured
    return results, problems


_FAILURES = (
    (duckdb.ConversionException, "measure_value_not_converted"),
    (duckdb.BinderException, "measure_types_compared"),
    (duckdb.OutOfRangeException, "measure_out_of_range"),
)
"""DuckDB's errors running a condition → the variant saying what they mean."""


def _failure(exc: duckdb.Error) -> Worded:
    """What went wrong running a condition, without DuckDB's text (it quotes the data)."""
    for kind, variant in _FAILURES:
        if isinstance(exc, kind):
            return Worded(variant)
    return Worded("measure_failed", kind=type(exc).__name__)
