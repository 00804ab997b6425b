"""The indicator-system format: exact weights, inherited defaults, aggregation stages, band bounds,
optional grades, N/A policies, rounded steps and ranking orders (docs/scoring.md §2, §4–§6, §10, §12, §13).

Each case builds a small system in memory and checks figures worked out by hand.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from scoring_cases.build import entry, evaluation, leaf, node, score, system

from generator.load.repository import LoadedSystem, index_system
from generator.load.resolve import Written
from generator.load.yamlsource import Source
from generator.model.publishing import RankingSettings
from generator.model.system import Defaults, GradeBand, Indicator, IndicatorSystem
from generator.score.aggregate import grade_for
from generator.score.ranking import RankOrder, rank
from generator.validate.system import validate_system

BINARY = {"kind": "binary"}
PCT = {"kind": "ratio", "unit": "percent", "floor": 0, "target": 100}
VETO = {"kind": "veto", "condition": "发生重大事件"}
BONUS = {"kind": "bonus", "cap": 30, "items": [{"id": "award", "name": "表彰", "points": 10, "cap": 30}]}


def _spec(**fields: Any) -> IndicatorSystem:
    base = {
        "id": "t",
        "name": "测试",
        "edition": "1",
        "effective": "2024-01-01",
        "source": "测试",
        "parts": ["p.yaml"],
    }
    return IndicatorSystem.model_validate({**base, **fields})


def _resolve(dims: list[dict[str, Any]], defaults: dict[str, Any] | None = None, **fields: Any) -> tuple:
    """A system from plain dicts, resolved as the loader does (``defaults``: the part file's): (loaded,
    every problem of resolving and validating it)."""
    loaded = LoadedSystem(_spec(**fields), Path("indicators/t"), Source("indicators/t/system.yaml"))
    part = None if defaults is None else Defaults(**defaults)
    written = [
        Written(Indicator.model_validate(d), Source("indicators/t/p.yaml"), ("indicators", j), part)
        for j, d in enumerate(dims)
    ]
    problems = index_system(loaded, written)
    return loaded, problems + validate_system(loaded)


# --- exact weights -------------------------------------------------------------------------------


def test_86_equal_fractions_tie_whichever_65_are_met() -> None:
    leaves = [leaf(f"L{k}", "1/86", BINARY) for k in range(86)]  # type: ignore[arg-type]
    loaded = system(
        [node("A", leaves[:40], weight=None), node("B", leaves[40:], weight=None)],
        scale=1,
        grades=[],
        rounding={"round_at": []},
    )
    assert loaded.index["A"].weight == Fraction(40, 86)
    rng = random.Random(3)
    totals = set()
    for _ in range(5):
        met = set(rng.sample(range(86), 65))
        card = score(loaded, {f"L{k}": k in met for k in range(86)})
        totals.add(card.total)
    assert totals == {float(Fraction(65, 86))}


def test_percentages_are_shares_of_the_parent_and_must_add_up() -> None:
    loaded, problems = _resolve(
        [
            {
                "id": "A",
                "name": "A",
                "weight": 40,
                "source": "s",
                "children": [
                    {"id": "A1", "name": "a", "weight": "60%", "source": "s", "rule": BINARY},
                    {"id": "A2", "name": "b", "weight": "40%", "source": "s", "rule": BINARY},
                ],
            },
            {"id": "B", "name": "B", "weight": 60, "source": "s", "rule": BINARY},
        ]
    )
    assert problems == []
    assert (loaded.index["A1"].weight, loaded.index["A2"].weight) == (24, 16)
    _, problems = _resolve(
        [
            {
                "id": "A",
                "name": "A",
                "weight": 40,
                "source": "s",
                "children": [
                    {"id": "A1", "name": "a", "weight": "60%", "source": "s", "rule": BINARY},
                    {"id": "A2", "name": "b", "weight": "50%", "source": "s", "rule": BINARY},
                ],
            },
            {"id": "B", "name": "B", "weight": 60, "source": "s", "rule": BINARY},
        ]
    )
    assert [(d.code, dict(d.args)["total"]) for d in problems] == [("E302", "44")]


def test_equal_split_is_the_mean_of_the_children() -> None:
    kids = [{"id": f"A{k}", "name": "x", "rule": PCT} for k in range(1, 6)]
    loaded, problems = _resolve(
        [{"id": "A", "name": "A", "split": "equal", "children": kids}],
        split="equal",
        defaults={"source": "s"},
    )
    assert problems == []
    assert {loaded.index[f"A{k}"].weight for k in range(1, 6)} == {20}
    card = score(loaded, {"A1": 96, "A2": 90, "A3": 85, "A4": 80, "A5": 74})
    assert card.total == 85.0  # (96 + 90 + 85 + 80 + 74) / 5


def test_equal_thirds_add_up_exactly() -> None:
    kids = [{"id": f"A{k}", "name": "x", "rule": BINARY} for k in range(1, 4)]
    loaded, problems = _resolve(
        [
            {"id": "A", "name": "A", "weight": 10, "split": "equal", "children": kids},
            {"id": "B", "name": "B", "weight": 90, "rule": BINARY},
        ],
        defaults={"source": "s"},
        rounding={"round_at": []},
    )
    assert problems == []
    assert loaded.index["A1"].weight == Fraction(10, 3)
    card = score(loaded, {"A1": True, "A2": True, "A3": True, "B": False})
    assert card.total == 10.0


@pytest.mark.parametrize(
    ("dims", "detail"),
    [
        ([{"id": "A", "name": "A", "weight": "1/0", "rule": BINARY}], "分母为 0"),
        ([{"id": "A", "name": "A", "weight": "abc", "rule": BINARY}], "不是数字"),
        ([{"id": "A", "name": "A", "weight": "150%", "rule": BINARY}], "超过 100%"),
        ([{"id": "A", "name": "A", "weight": "1234567890123/1", "rule": BINARY}], "位数过多"),
        (
            [
                {
                    "id": "A",
                    "name": "A",
                    "children": [{"id": "A1", "name": "x", "weight": "50%", "rule": BINARY}],
                }
            ],
            "需要上级写明分值",
        ),
        (
            [
                {
                    "id": "A",
                    "name": "A",
                    "weight": 100,
                    "split": "equal",
                    "children": [
                        {"id": "A1", "name": "x", "weight": 50, "rule": BINARY},
                        {"id": "A2", "name": "y", "rule": BINARY},
                    ],
                }
            ],
            "split: equal",
        ),
        ([{"id": "A", "name": "A", "weight": 100, "split": "equal", "rule": BINARY}], "末级指标没有下级"),
    ],
)
def test_unreadable_weights_are_e310(dims: list[dict[str, Any]], detail: str) -> None:
    _, problems = _resolve(dims, defaults={"source": "s"})
    found = [d for d in problems if d.code == "E310"]
    assert found and detail in found[0].message_zh, problems


# --- inherited defaults ---------------------------------------------------------------------------


def test_nearest_defaults_win_and_own_fields_win_over_defaults() -> None:
    dims = [
        {
            "id": "A",
            "name": "A",
            "defaults": {"rule": PCT, "source": "维度"},
            "children": [
                {"id": "A1", "name": "a", "weight": 30},
                {"id": "A2", "name": "b", "weight": 30, "source": "自己", "rule": BINARY},
                {"id": "A3", "name": "c"},
            ],
        },
        {"id": "B", "name": "B", "weight": 10},
    ]
    loaded, problems = _resolve(
        dims, defaults={"source": "分项", "weight": 20, "rule": BINARY, "method": "暗访"}, scale=90
    )
    assert problems == []
    ind = {k: n.indicator for k, n in loaded.index.items()}
    assert ind["A1"].rule.kind == "ratio" and ind["A1"].source == "维度" and ind["A1"].method == "暗访"
    assert ind["A2"].rule.kind == "binary" and ind["A2"].source == "自己"
    assert loaded.index["A3"].weight == 20 and ind["A3"].rule.kind == "ratio"
    assert ind["A"].source == "分项" and ind["A"].rule is None  # a parent never takes a rule
    assert loaded.index["A"].weight == 80 and loaded.index["B"].weight == 10


def test_system_defaults_reach_every_part_and_veto_leaves_take_no_weight() -> None:
    dims = [
        {
            "id": "A",
            "name": "A",
            "children": [
                {"id": "A1", "name": "a"},
                {"id": "A2", "name": "b"},
                {"id": "V", "name": "否决", "rule": VETO},
            ],
        }
    ]
    loaded, problems = _resolve(dims, scale=2, defaults={"source": "体系", "weight": 1, "rule": BINARY})
    assert problems == []
    assert loaded.index["V"].weight == 0 and loaded.index["A"].weight == 2


def test_an_indicator_left_without_a_source_is_e203() -> None:
    _, problems = _resolve([{"id": "A", "name": "A", "weight": 100, "rule": BINARY}])
    assert [(d.code, dict(d.args)) for d in problems] == [("E203", {"field": "source"})]


# --- aggregation stages ---------------------------------------------------------------------------


def _website(when: str, base_deducted: float, *, extra: list[dict[str, Any]] | None = None) -> Any:
    """100 points of one deduction leaf, a bonus leaf, a veto leaf; stages as the website checks."""
    ded = {"kind": "deduction", "items": [{"id": "d", "name": "问题", "points": 1, "cap": 100}]}
    dims = [
        node("D", [leaf("D1", 100, ded)]),
        node("B", [leaf("B1", 0, BONUS), leaf("V1", 0, VETO)], weight=0),
    ]
    stages = [
        {"stage": "base"},
        {"stage": "bonus", "cap": 30, "when": when},
        *(extra or []),
        {"stage": "veto", "grade": "不合格"},
        {"stage": "grade"},
    ]
    bands = [GradeBand(name="合格", min=60), GradeBand(name="不合格", min=0, max=60)]
    loaded = system(dims, scale=100, aggregation=stages, grades=bands)
    assert [d for d in validate_system(loaded) if d.code.startswith("E")] == []
    return lambda bonus, veto=False: score(
        loaded, {"D1": {"d": base_deducted}, "B1": {"award": bonus}, "V1": veto}
    )


@pytest.mark.parametrize(
    ("when", "deducted", "awards", "total", "grade"),
    [
        ("base > 80", 12, 1, 98.0, "合格"),  # 88 > 80: +10
        ("base > 80", 25, 1, 75.0, "合格"),  # 75: no bonus (it would be 85)
        ("base > 80", 45, 1, 55.0, "不合格"),  # 55: no bonus (it would be 65, 合格)
        ("base > 80", 20, 1, 80.0, "合格"),  # exactly 80 is not above 80
        ("base >= 80", 20, 1, 90.0, "合格"),  # … but reaches 80
        ("base > 80", 0, 5, 130.0, "合格"),  # 5 awards = 50, capped at 30
    ],
)
def test_bonus_counts_only_when_its_condition_holds(
    when: str, deducted: int, awards: int, total: float, grade: str
) -> None:
    card = _website(when, deducted)(awards)
    assert (card.total, card.grade) == (total, grade)
    if total == 100 - deducted and awards:
        assert any("未计入" in n for n in card.notes)


def test_cap_stage_limits_the_running_total() -> None:
    card = _website("base > 80", 5, extra=[{"stage": "cap", "max": 100}])(1)
    assert (card.base_total, card.total) == (95.0, 100.0)
    assert any("超过上限 100" in n for n in card.notes)


def test_veto_fixes_grade_and_optionally_total() -> None:
    card = _website("base > 80", 4)(2, veto=True)
    assert (card.total, card.grade, card.grade_by_points, card.vetoes) == (116.0, "不合格", "合格", ("V1",))
    fixed = _website("base > 80", 4, extra=[])  # total kept
    assert fixed(0, veto=True).total == 96.0
    ded = {"kind": "deduction", "items": [{"id": "d", "name": "问题", "points": 1, "cap": 100}]}
    loaded = system(
        [node("D", [leaf("D1", 100, ded), leaf("V1", 0, VETO)])],
        scale=100,
        aggregation=[{"stage": "base"}, {"stage": "veto", "total": 59}, {"stage": "grade"}],
        grades=[GradeBand(name="合格", min=60), GradeBand(name="不合格", min=0, max=60)],
    )
    card = score(loaded, {"D1": {"d": 4}, "V1": True})
    assert (card.total, card.grade, card.grade_by_points) == (59.0, "不合格", "合格")


# --- bands ------------------------------------------------------------------------------------------


NATIONAL = [
    GradeBand(name="非常高", min=90, min_inclusive=False),
    GradeBand(name="高", min=80, max=90, max_inclusive=True),
    GradeBand(name="中", min=0, max=80),
]


@pytest.mark.parametrize(
    ("total", "grade"), [(90, "高"), (90.01, "非常高"), (80, "高"), (79.99, "中"), (100, "非常高"), (0, "中")]
)
def test_band_bounds_inclusive_or_exclusive(total: float, grade: str) -> None:
    spec = _spec(grades=[g.model_dump() for g in NATIONAL])
    assert grade_for(spec, total) == grade


@pytest.mark.parametrize(
    ("bands", "detail"),
    [
        ([{"name": "甲", "min": 90}, {"name": "乙", "min": 0, "max": 90, "max_inclusive": True}], "同时属于"),
        (
            [{"name": "甲", "min": 90, "min_inclusive": False}, {"name": "乙", "min": 0, "max": 90}],
            "也不属于",
        ),
        (
            [{"name": "甲", "min": 50}, {"name": "乙", "min": 0, "min_inclusive": False, "max": 50}],
            "不包含 0",
        ),
    ],
)
def test_bands_that_overlap_or_leave_a_gap_at_a_bound_are_e303(
    bands: list[dict[str, Any]], detail: str
) -> None:
    loaded = system([leaf("A", 100, BINARY)], grades=bands)
    found = [d for d in validate_system(loaded) if d.code == "E303"]
    assert found and detail in found[0].message_zh


def test_a_method_without_grades_gives_only_the_score() -> None:
    loaded = system([leaf("A", 1, BINARY)], scale=1, grades=[])
    assert [d for d in validate_system(loaded) if d.code.startswith("E")] == []
    card = score(loaded, {"A": True})
    assert (card.total, card.grade, card.grade_by_points) == (1.0, "", "")


def test_an_exact_total_shown_across_a_band_bound_says_so() -> None:
    loaded = system([leaf("A", 100, PCT)], rounding={"total": 2, "round_at": []})
    card = score(loaded, {"A": 89.996})
    assert (card.total, card.grade) == (89.996, "良好")
    assert any("显示为 90.00" in n and "良好" in n for n in card.notes)


# --- not applicable -----------------------------------------------------------------------------------


def _na_system(policy: str) -> LoadedSystem:
    return system(
        [node("A", [leaf("a1", 30, PCT), leaf("a2", 20, PCT), leaf("a3", 10, PCT)]), leaf("B", 40, PCT)],
        not_applicable=policy,
        rounding={"round_at": []},
    )


def test_not_applicable_within_the_parent_or_over_all_applicable() -> None:
    entries = {"a1": 100, "a2": 50, "a3": entry(not_applicable="无此业务"), "B": 100}
    within = score(_na_system("within_parent"), entries)
    weights = {i.id: i.effective_weight for i in within.indicators}
    assert (weights["a1"], weights["a2"], weights["A"], weights["B"]) == (36, 24, 60, 40)
    assert within.total == 36 + 12 + 40
    overall = score(_na_system("all_applicable"), entries)
    weights = {i.id: i.effective_weight for i in overall.indicators}
    assert weights["a1"] == float(Fraction(100, 3)) and weights["B"] == float(Fraction(400, 9))
    assert overall.total == float(Fraction(30 + 10 + 40, 90) * 100)  # earned ÷ applicable × 100


# --- rounding ------------------------------------------------------------------------------------------


def test_rounding_only_where_the_method_rounds() -> None:
    leaves = [leaf(f"L{k}", "1/3", BINARY) for k in range(3)]  # type: ignore[arg-type]
    dims = [node("A", leaves, weight=None)]
    stepwise = score(
        system(dims, scale=1, rounding={"indicator": 2, "dimension": 2, "total": 2}, grades=[]),
        {"L0": True, "L1": True, "L2": False},
    )
    exact = score(
        system(dims, scale=1, rounding={"total": 2, "round_at": []}, grades=[]),
        {"L0": True, "L1": True, "L2": False},
    )
    assert stepwise.total == 0.67 and exact.total == float(Fraction(2, 3))


# --- ranking ------------------------------------------------------------------------------------------


def _cards() -> list[Any]:
    loaded = system([node("A", [leaf("A1", 100, PCT), leaf("V", 0, VETO)])])
    cards = []
    for k, (value, veto) in enumerate([(100, True), (61, False), (85, False), (85, False)]):
        entries = {"A1": value, "V": veto}
        ev = evaluation(entries, ev_id=f"e{k}", party=f"方{k}")
        cards.append((score(loaded, entries, ev_id=f"e{k}", party=f"方{k}"), ev.evaluation))
    return cards


@pytest.mark.parametrize(
    ("keys", "order"),
    [
        (("vetoed", "grade", "total"), [("e2", 1), ("e3", 1), ("e1", 3), ("e0", 4)]),
        (("total",), [("e0", 1), ("e2", 2), ("e3", 2), ("e1", 4)]),
        (("grade",), [("e2", 1), ("e3", 1), ("e1", 3), ("e0", 4)]),
    ],
)
def test_ranking_follows_the_system_order(keys: tuple[str, ...], order: list[tuple[str, int]]) -> None:
    pairs = _cards()
    evaluations = {ev.id: ev for _, ev in pairs}
    bands = ("优秀", "良好", "合格", "不合格")
    everyone = RankingSettings(unconfirmed=True)  # the order alone, whoever confirmed
    [ranking] = rank([c for c, _ in pairs], evaluations, everyone, {"test-system": RankOrder(keys, bands)})
    assert [(e.evaluation_id, e.rank) for e in ranking.entries] == order


def test_a_share_of_equal_binary_indicators_without_grades() -> None:
    kids = [{"id": f"L{k}", "name": "x", "rule": BINARY} for k in range(4)]
    loaded, problems = _resolve(
        [{"id": "A", "name": "A", "split": "equal", "children": kids}],
        scale=1,
        split="equal",
        rounding={"round_at": []},
        defaults={"source": "s"},
    )
    assert problems == []
    card = score(loaded, {"L0": True, "L1": True, "L2": True, "L3": False})
    assert (card.total, card.grade) == (0.75, "")


# --- hostile input ---------------------------------------------------------------------------------


def test_a_weight_that_is_not_a_number_or_text_is_one_located_error(tmp_path: Path) -> None:
    from generator.load.repository import parse_model
    from generator.model.system import IndicatorPart

    cases = (("[1, 2]", "E202"), ("{a: 1}", "E202"), ("true", "E202"), (".inf", "E204"), (".nan", "E204"))
    for bad, code in cases:
        path = tmp_path / "p.yaml"
        text = f"indicators:\n  - id: A\n    name: x\n    weight: {bad}\n    source: s\n"
        path.write_text(text, encoding="utf-8")
        _, _, problems = parse_model(path, "p.yaml", IndicatorPart)
        assert [(d.code, d.line, d.column) for d in problems] == [(code, 4, 13)], bad


def test_infinite_or_nan_numbers_are_refused_in_systems_and_observations() -> None:
    with pytest.raises(ValueError):
        GradeBand(name="x", min=float("inf"))
    loaded = system([leaf("A", 100, {"kind": "ratio", "unit": "days", "floor": 20, "target": 5})])
    from generator.score.rules import Problem, evaluate

    for obs in (float("inf"), float("nan"), {"numerator": float("inf"), "denominator": 1}):
        with pytest.raises(Problem):
            evaluate(loaded.index["A"].indicator.rule, 100, obs)
