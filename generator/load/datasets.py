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

from generator.diagnostics import Diagnostic, diag
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
        line, zh, en = _explain(exc)
        return [diag(rel, line, 1, "E604", problem_zh=zh, problem_en=en)], header
    return [], header


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """No file is read (or written) through ``con`` from now on, and its settings are fixed: what
    runs next works on the tables read."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


class _Unreadable(Exception):
    """A dataset that cannot be read, with a message that holds none of its content."""

    def __init__(self, zh: str, en: str, line: int = 1) -> None:
        super().__init__(en)
        self.zh, self.en, self.line = zh, en, line


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
        raise _Unreadable(
            f"不支持的格式 {suffix or '（无扩展名）'}：只支持 CSV、XLSX 和 Parquet",
            f"unsupported format {suffix or '(none)'}: only CSV, XLSX and Parquet",
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
        raise _Unreadable("表头行过长", "the header line is too long")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("不是 UTF-8 编码（请用 UTF-8 另存 CSV）", "not UTF-8") from None
    readings = [(d, next(csv.reader(io.StringIO(text), delimiter=d), [])) for d in DELIMITERS]
    delimiter, header = next(((d, h) for d, h in readings if set(needed) <= set(h)), readings[0])
    if not header or not any(h.strip() for h in header):
        raise _Unreadable("缺少表头（第一行应为列名）", "no header line")
    if len(set(header)) != len(header):
        raise _Unreadable("表头中有重复的列名", "the header repeats a column name")
    return delimiter, header


def _parquet_header(path: Path) -> list[str]:
    try:
        with duckdb.connect(":memory:") as con:
            rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{_quote(path)}')").fetchall()
    except duckdb.Error:
        raise _Unreadable("不是有效的 Parquet 文件", "not a Parquet file") from None
    return [row[0] for row in rows]


_LINE = re.compile(r"(?:Line|line)[: ]+(\d+)")
_EXPLAINED = (
    ("unicode", "不是 UTF-8 编码（请用 UTF-8 另存 CSV）", "not UTF-8"),
    ("Expected Number of Columns", "这一行的列数与表头不同", "this line has another number of fields"),
    ("too many columns", "这一行的列数多于表头", "this line has more fields than the header"),
    ("less columns", "这一行的列数少于表头", "this line has fewer fields than the header"),
    ("unterminated quote", "这一行的引号没有闭合", "a quote on this line is not closed"),
    ("Parquet", "不是有效的 Parquet 文件", "not a Parquet file"),
)
"""DuckDB's reading errors (by a distinctive part) → what they mean; the text itself is never shown:
it quotes the offending line."""


def _explain(exc: duckdb.Error) -> tuple[int, str, str]:
    """(line, problem in Chinese and English) for a reading error, without any of the file's content."""
    text = str(exc)
    found = _LINE.search(text)
    line = int(found.group(1)) if found else 1
    for key, zh, en in _EXPLAINED:
        if key.lower() in text.lower():
            return line, zh, en
    return line, f"文件格式有误（{type(exc).__name__}）", f"malformed file ({type(exc).__name__})"


def _xlsx_to_csv(path: Path, tmp: Path, clock: Deadline) -> Path:
    """Stream the first sheet of a workbook into a CSV DuckDB can scan (bounded: ``spreadsheets``).

    A formula cell is refused: its value depends on the program that last saved the workbook.
    """
    out = tmp / (hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".csv")
    try:
        book = open_workbook(path, DATASET_LIMITS, read_only=True)
    except XlsxRefused as exc:
        raise _Unreadable(exc.zh, exc.en) from None
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
        raise _Unreadable(f"不是有效的 XLSX 文件（{type(exc).__name__}）", "not a valid XLSX file") from None
    finally:
        book.close()
        part.unlink(missing_ok=True)
    return out


def _xlsx_value(cell: object, row: int) -> object:
    value = getattr(cell, "value", None)
    if is_formula(cell):
        letter = getattr(cell, "column_letter", "")
        raise _Unreadable(
            f"单元格 {letter}{row} 是公式；请把公式转换为数值（复制后“选择性粘贴 → 数值”）",
            f"cell {letter}{row} holds a formula",
            row,
        )
    return "" if value is None else value


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def sql_text(text: str) -> str:
    """Text put inside a SQL string literal."""
    return text.replace("'", "''")


def ident(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'
