"""Datasets, read with DuckDB: each file scanned once into a table of text columns.

This is the one place a dataset file is opened. Each evaluation's datasets are read on one
connection with a memory limit, one thread, a bounded spill folder and a deadline (a watchdog
interrupts the running query); then ``lock`` switches external access off and fixes the settings,
so the checks and counts that follow (``score.measures``) work on the tables read and can reach
no file. Messages never echo the data (or a temporary path): only positions and column names.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from generator.diagnostics import Diagnostic, Worded, diag
from generator.load.spreadsheets import DATASET_LIMITS, XlsxRefused, is_formula, open_workbook
from generator.model.system import Measure

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


MAX_HEADER_BYTES = 1 << 20
"""Longest header line read to name a CSV's columns."""


class OutOfTime(Exception):
    """The evaluation's deadline passed (raised between steps; a running query is interrupted)."""


class Deadline:
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

    def __enter__(self) -> Deadline:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.cancel()

    def check(self) -> None:
        """Raise OutOfTime once the deadline has passed."""
        if self.fired.is_set() or time.monotonic() >= self.end:
            raise OutOfTime


@dataclass(frozen=True)
class Dataset:
    """A dataset to read."""

    path: Path
    """The file."""
    rel: str
    """Its path as shown."""
    measures: list[Measure]
    """The measures on it."""
    needed: tuple[str, ...]
    """The columns they need, sorted (``score.measures.measure_columns``)."""
    levels: dict[str, list[str]]
    """Allowed values per counted column."""
    declared: tuple[str, int, int]
    """Where evaluation.yaml names it (file, line, column): where a bound passed is reported."""
    internal: bool = False
    """True for an internal dataset: messages never quote its values."""


def connect(tmp: Path, memory: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database with one thread, a memory limit, and a bounded spill folder."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory,
        "threads": 1,
        "temp_directory": str(tmp / "spill"),
        "max_temp_directory_size": SPILL_LIMIT,
    }
    return duckdb.connect(":memory:", config=config)


def scan(
    con: duckdb.DuckDBPyConnection, clock: Deadline, tmp: Path, dataset: Dataset, table: str
) -> tuple[list[Diagnostic], list[str]]:
    """Read the columns ``dataset.needed`` of a dataset into ``table`` as text (one scan of the
    file); the problems (E601, E604) and the file's header."""
    rel = dataset.rel
    try:
        source, header = _source(dataset.path, tmp, clock, list(dataset.needed))
    except _Unreadable as exc:
        return [diag(rel, exc.line, 1, "E604", problem_zh=exc.zh, problem_en=exc.en)], []
    missing = [c for c in dataset.needed if c not in header]
    if missing:
        shown = "、".join(header)
        return [diag(rel, 1, 1, "E601", column=c, columns=shown) for c in missing], header
    columns = ", ".join(f"CAST({ident(c)} AS VARCHAR) AS {ident(c)}" for c in dataset.needed)
    clock.check()
    try:  # one scan of the file; insertion order is kept, so rowid is the row's index in the file
        con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM {source}")
    except (duckdb.InterruptException, duckdb.OutOfMemoryException):
        raise
    except duckdb.Error as exc:
        said = _explain(exc)
        return [diag(rel, said.line, 1, "E604", problem_zh=said.zh, problem_en=said.en)], header
    return [], header


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """No file is read (or written) through ``con`` from now on, and its settings are fixed: what
    runs next works on the tables read."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


class _Unreadable(Worded):
    """A dataset that cannot be read (a ``dataset_…`` variant of ``messages.DETAILS``), with a
    message that holds none of its content; ``line`` is where."""

    def __init__(self, variant: str, line: int = 1, **fields: object) -> None:
        super().__init__(variant, **fields)
        self.line = line


DELIMITERS = (",", ";", "\t", "|")
"""Field separators a CSV may use (Excel and WPS write ``;`` in some locales, exports use tabs)."""


def _source(path: Path, tmp: Path, clock: Deadline, needed: list[str]) -> tuple[str, list[str]]:
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
    types = ", ".join(f"'{sql_text(c)}': 'VARCHAR'" for c in header)
    return (
        f"read_csv('{_quote(path)}', header=true, auto_detect=false, delim='{sql_text(delimiter)}', "
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


def _xlsx_to_csv(path: Path, tmp: Path, clock: Deadline) -> Path:
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


def sql_text(text: str) -> str:
    """Text put inside a SQL string literal."""
    return text.replace("'", "''")


def ident(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'
