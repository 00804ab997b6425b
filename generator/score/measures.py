"""Measured indicators: figures computed from an evaluation's datasets with DuckDB.

Datasets can be large platform exports (millions of rows), so nothing is loaded into Python
lists: the load stage (``load.datasets``) scans each file once into a work table (every needed
column as text) and locks the connection; this module decides each column's type from its values
(a column that holds dates is checked and read as dates, one that holds numbers as numbers, so a
stray value can never turn a column into text and a comparison into a string comparison),
reports the values that do not fit (dates E602, numbers E611, level names E603) and counts.

Conditions come from the indicator system and run only as checked expressions
(``conditions.compile_condition``): one expression from an allow-list, over the
dataset's columns. Each evaluation's work runs on one connection with a memory limit, one thread,
a bounded spill folder and a deadline (``build.measuring`` composes the steps): passing either
bound is a located error (E609, E610), never a hang. External access is switched off and the
settings locked before any check or condition runs, and the counting happens in a transaction
that is rolled back, so nothing a measure does is seen by another. Messages never echo the data (or a
temporary path): only positions, column names and values the check itself found wrong.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from generator.diagnostics import Diagnostic, Worded, diag
from generator.load.datasets import Dataset, Deadline, ident, sql_text
from generator.load.repository import LoadedEvaluation, LoadedSystem, rel_path
from generator.model.stages import reached
from generator.model.system import Measure, SatisfactionRule
from generator.score.card import Measured
from generator.score.conditions import ConditionProblem, compile_condition, condition_columns
from generator.score.periods import CODES, data_period, system_policy

MAX_REPORTED = 5
"""Bad rows reported per column, so a broken export does not flood the output."""
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
class MeasurePlan:
    """What an evaluation's measures need: the datasets to read, and how to judge and count them."""

    datasets: list[Dataset]
    """The datasets to read, each with the measures on it."""
    conditions: dict[str, tuple[str, int, int]]
    """Where each measure's condition is written, for E606."""
    window: Window
    """The data period rows must fall in."""
    problems: list[Diagnostic]
    """Measures that cannot be made (a dataset not named: E605, or not received yet: T903)."""


def plan_measures(
    evaluation: LoadedEvaluation, system: LoadedSystem, root: Path, hidden: Callable[[str | None], bool]
) -> MeasurePlan:
    """The datasets the evaluation's measures are made from (among the folder's files as loaded).

    ``hidden`` tells an internal dataset file, which a diagnostic (a CI log, a pull-request comment)
    never names: the public edition's answer (``Edition.PUBLIC.hides``), asked by the caller."""
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
    for dataset, group in sorted(by_dataset.items()):
        name = ev.datasets[dataset]
        found = evaluation.files.get(posixpath.normpath(name))
        if found is None or found.real is None:
            continue  # reported by validation (E406, E407, E110, E111): never read
        path = evaluation.folder / name
        declared = (evaluation.source.rel, *evaluation.source.where(("datasets", dataset)))
        needed = tuple(sorted(set().union(*(measure_columns(m) for m in group))))
        todo.append(
            Dataset(
                path,
                rel_path(root, path),
                group,
                needed,
                _levels_for(system, group),
                declared,
                hidden(name),
            )
        )
    return MeasurePlan(todo, _conditions(system), _window(evaluation, system), problems)


def outside_period(
    con: duckdb.DuckDBPyConnection, table: str, header: list[str], dataset: Dataset, window: Window
) -> list[Diagnostic]:
    """Rows of a dataset dated outside the data period (none judged when the period is reversed: E409)."""
    if window.start > window.end:
        return []
    return list(_outside(con, table, header, dataset.rel, dataset.measures, window))


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


def check_dataset(
    con: duckdb.DuckDBPyConnection, table: str, header: list[str], dataset: Dataset, view: str
) -> list[Diagnostic]:
    """Type the columns of a dataset read into ``table``, report the values that do not fit, and
    define ``view`` over them when none is wrong; the problems."""
    needed = list(dataset.needed)
    dates = {c for m in dataset.measures for c in (*m.date_columns, *_period_columns([m]))}
    compared = {c for m in dataset.measures for c in _compared(m)} - set(dataset.levels)
    kinds = _kinds(con, table, needed, dates, compared)
    problems = list(
        _bad_rows(con, table, dataset.rel, header, kinds, dataset.levels, quote=not dataset.internal)
    )
    if problems:
        return problems
    cols = ", ".join(_typed(c, kinds[c]) for c in needed)
    con.execute(f"CREATE VIEW {view} AS SELECT {cols} FROM {table}")
    return []


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
        col = f"trim({ident(c)})"
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
    col = f"nullif(trim({ident(column)}), '')"
    if kind == "date":
        return f"CAST({col} AS TIMESTAMP) AS {ident(column)}"
    if kind == "number":
        return f"CAST({col} AS DOUBLE) AS {ident(column)}"
    return ident(column)


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
        value = f"TRY_CAST({ident(column)} AS TIMESTAMP)"
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
    col = f"trim({ident(column)})"
    low, high = YEARS
    return (
        f"{col} <> '' AND NOT coalesce(regexp_full_match({col}, '{DATE_PATTERN}') "
        f"AND year(TRY_CAST({col} AS TIMESTAMP)) BETWEEN {low} AND {high}, false)"
    )


def _bad_number(column: str) -> str:
    col = f"trim({ident(column)})"
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
        listed = ", ".join(f"'{sql_text(v)}'" for v in allowed)
        checks.append(
            (
                column,
                "E603",
                f"{ident(column)} IS NULL OR trim({ident(column)}) NOT IN ({listed})",
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
            f"SELECT rowid, {ident(column)} FROM {table} WHERE {cond} ORDER BY rowid LIMIT {MAX_REPORTED}"
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


def compute(
    con: duckdb.DuckDBPyConnection,
    clock: Deadline,
    view: str,
    dataset: Dataset,
    conditions: dict[str, tuple[str, int, int]],
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Each measure on a dataset counted over ``view`` (the connection locked: no file is reachable)."""
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
                    f"SELECT CAST({ident(m.column or '')} AS VARCHAR), count(*) "
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
