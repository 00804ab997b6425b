"""Measure conditions: one SQL expression, parsed and checked against an allow-list before it runs.

A condition (``where``, ``of``) comes from an indicator system and is written by people, so it is
never spliced into SQL as text: sqlglot parses it, exactly one expression is accepted, every node
must be of a kind listed below (comparisons, boolean logic, arithmetic, a few pure functions,
literals and plain column names), and the SQL that runs is generated from the checked tree. No
statement, subquery, table, file access or unlisted function can get through, so a condition can
neither change data nor read anything but its own dataset's columns (the columns it names are
required of the dataset like the declared ones, E601).
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from generator.diagnostics import Worded

ALLOWED: dict[type[exp.Expression], str] = {
    exp.And: "AND",
    exp.Or: "OR",
    exp.Not: "NOT",
    exp.Paren: "括号",
    exp.EQ: "=",
    exp.NEQ: "<>",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
    exp.Is: "IS",
    exp.In: "IN",
    exp.Between: "BETWEEN",
    exp.Like: "LIKE",
    exp.ILike: "ILIKE",
    exp.Add: "+",
    exp.Sub: "-",
    exp.Mul: "*",
    exp.Div: "/",
    exp.Neg: "负号",
    exp.Column: "列名",
    exp.Identifier: "列名",
    exp.Literal: "常量",
    exp.Boolean: "TRUE/FALSE",
    exp.Null: "NULL",
    exp.Cast: "CAST",
    exp.DataType: "类型名",
    exp.Lower: "lower",
    exp.Upper: "upper",
    exp.Trim: "trim",
    exp.Length: "length",
    exp.Coalesce: "coalesce",
    exp.Abs: "abs",
    exp.DateDiff: "date_diff",
    exp.Extract: "extract",
    exp.Interval: "INTERVAL",
    exp.Var: "时间单位",
}
"""Node kinds a condition may hold, with how the docs and messages name them."""
CAST_TYPES = {
    exp.DataType.Type.DATE,
    exp.DataType.Type.TIMESTAMP,
    exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT,
    exp.DataType.Type.DOUBLE,
    exp.DataType.Type.DECIMAL,
    exp.DataType.Type.VARCHAR,
    exp.DataType.Type.TEXT,
    exp.DataType.Type.BOOLEAN,
}
"""Types a CAST may convert to."""
MAX_LENGTH = 2000
"""Longest condition accepted (characters)."""
MAX_NODES = 400
"""Most nodes a condition's tree may have."""


class ConditionProblem(Worded):
    """Why a condition is refused (a ``condition_…`` variant of ``messages.DETAILS``): no data, only
    the condition's own text."""


@functools.lru_cache(maxsize=1024)
def compile_condition(text: str) -> str:
    """The SQL to run for a condition; ConditionProblem when it is not allowed."""
    if len(text) > MAX_LENGTH:
        raise ConditionProblem("condition_too_long", length=len(text), limit=MAX_LENGTH)
    try:
        parsed = [e for e in sqlglot.parse(text, read="duckdb") if e is not None]
    except (ParseError, TokenError) as exc:
        first = str(exc).splitlines()[0][:120]
        raise ConditionProblem("condition_unparsable", first=first) from None
    if len(parsed) != 1:
        raise ConditionProblem("condition_not_one_expression", count=len(parsed))
    tree = parsed[0]
    nodes = list(tree.walk())
    if len(nodes) > MAX_NODES:
        raise ConditionProblem("condition_too_complex", nodes=len(nodes), limit=MAX_NODES)
    for node in nodes:
        _check(node)
    return tree.sql(dialect="duckdb", comments=False)


@functools.lru_cache(maxsize=1024)
def condition_columns(text: str) -> frozenset[str]:
    """The columns a (valid) condition names: the ones whose values it compares."""
    compile_condition(text)
    tree = sqlglot.parse_one(text, read="duckdb")
    return frozenset(c.name for c in tree.find_all(exp.Column))


def _check(node: exp.Expr) -> None:
    kind = type(node)
    if kind not in ALLOWED:
        name = node.sql(dialect="duckdb", comments=False)[:40]
        raise ConditionProblem("condition_not_allowed", name=name, kind=kind.__name__)
    if isinstance(node, exp.Column):
        if node.table or node.args.get("db") or node.args.get("catalog"):
            raise ConditionProblem("condition_column_names_table", column=node.sql())
    if isinstance(node, exp.Var) and not isinstance(node.parent, (exp.DateDiff, exp.Extract, exp.Interval)):
        raise ConditionProblem("condition_not_a_column", name=node.name)
    if isinstance(node, exp.DataType) and node.this not in CAST_TYPES:
        raise ConditionProblem("condition_cast_refused", type=node.sql())
