"""Each rule kind, table-driven from tests/scoring_cases/*.yaml: observation → fraction, points, text.

A case file holds a default ``rule`` and ``weight`` and a list of ``cases``; a case may override
either, and expects ``fraction``, ``points`` (weight × fraction, rounded half-up to 2 decimals),
``text``, ``explanation`` (a substring), ``bonus``, ``vetoed``, or ``problem`` (a substring of the
Chinese detail of the Problem raised). Adding a case needs no Python.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter
from ruamel.yaml import YAML
from testpaths import TESTS

from generator.model.system import Rule
from generator.score.card import Measured
from generator.score.rounding import round_half_up
from generator.score.rules import Problem, describe, evaluate

CASES_DIR = TESTS / "scoring_cases"
RULE = TypeAdapter(Rule)
EXPECTED_KEYS = {"fraction", "points", "text", "explanation", "bonus", "vetoed", "problem", "hint"}


def _load_cases() -> list[Any]:
    yaml = YAML(typ="safe", pure=True)
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            merged = {"rule": data["rule"], "weight": data["weight"], **case}
            params.append(pytest.param(merged, id=f"{path.stem}: {case['name']}"))
    return params


CASES = _load_cases()


def _measured(raw: dict[str, Any] | None) -> Measured | None:
    if raw is None:
        return None
    counts = tuple((str(k), int(v)) for k, v in raw.get("counts", []))
    return Measured(
        "m", "data/x.csv", raw.get("value"), raw.get("numerator", 0), raw.get("denominator", 0), counts
    )


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case: dict[str, Any]) -> None:
    assert EXPECTED_KEYS & case.keys(), "a case must expect something"
    rule = RULE.validate_python(case["rule"])
    args = (rule, case["weight"], case.get("observation"), _measured(case.get("measured")))
    if "problem" in case:
        with pytest.raises(Problem) as caught:
            evaluate(*args)
        assert case["problem"] in caught.value.zh
        assert caught.value.en and caught.value.hint
        assert case.get("hint", "") in caught.value.hint  # the accepted form, where a case names it
        return
    outcome = evaluate(*args)
    if "fraction" in case:
        assert outcome.fraction == pytest.approx(case["fraction"], abs=1e-9)
    if "points" in case:
        assert round_half_up(case["weight"] * outcome.fraction, 2) == pytest.approx(case["points"])
    if "text" in case:
        assert outcome.text == case["text"]
    if "explanation" in case:
        assert case["explanation"] in outcome.explanation
    if "bonus" in case:
        assert outcome.bonus == pytest.approx(case["bonus"])
    if "vetoed" in case:
        assert outcome.vetoed is case["vetoed"]
    assert 0.0 <= outcome.fraction <= 1.0


def test_every_rule_kind_has_cases() -> None:
    kinds = {p.values[0]["rule"]["kind"] for p in CASES}
    assert kinds == {"binary", "levels", "ratio", "deduction", "bonus", "veto", "satisfaction"}


def test_every_rule_kind_has_a_bad_observation_case() -> None:
    kinds = {p.values[0]["rule"]["kind"] for p in CASES if "problem" in p.values[0]}
    assert kinds == {"binary", "levels", "ratio", "deduction", "bonus", "veto", "satisfaction"}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"kind": "binary"}, "达标判定：达标得满分，不达标得 0 分"),
        (
            {"kind": "levels", "levels": [{"name": "优", "points": 3}, {"name": "差", "points": 0}]},
            "分档计分：优 3 分；差 0 分",
        ),
        (
            {"kind": "ratio", "floor": 0.8, "target": 1, "measure": "on_time"},
            "比例计分：0.8 及以下得 0 分，1 及以上得满分，之间线性（由测算项 on_time 计算）",
        ),
        (
            {"kind": "deduction", "items": [{"id": "a", "name": "错链", "points": 0.1, "cap": 0.5}]},
            "扣分制：错链每处扣 0.1 分，最多扣 0.5 分",
        ),
        (
            {"kind": "bonus", "cap": 3, "items": [{"id": "a", "name": "案例", "points": 1, "cap": 2}]},
            "加分项：案例每项加 1 分，最多 2 分；本项合计不超过 3 分",
        ),
        ({"kind": "veto", "condition": "数据泄露"}, "一票否决：存在“数据泄露”的，等级直接定为最低档"),
        (
            {"kind": "satisfaction", "levels": {"满意": 100, "不满意": 0}},
            "满意度计分：满意 100，不满意 0（满分 100）",
        ),
    ],
)
def test_describe(rule: dict[str, Any], expected: str) -> None:
    assert describe(RULE.validate_python(rule)).startswith(expected)
