"""``zwpj analyze``: spread, correlation, Cronbach's α and weight changes, with the minimums respected."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from buildlib import sample_root
from fixturelib import zwpj
from scoring_cases.build import evaluation, leaf, node, score, system

from generator.analyze import Member, analyze
from generator.analyze.sensitivity import WeightChangeError, parse_changes, reweighted
from generator.analyze.stats import (
    MIN_ALPHA,
    MIN_CORRELATION,
    consistency,
    correlations,
    cronbach_alpha,
    feldt_interval,
    spread,
)

LEVELS = {
    "kind": "levels",
    "levels": [{"name": "优", "points": 10}, {"name": "良", "points": 6}, {"name": "差", "points": 0}],
}
BINARY = {"kind": "binary"}


def test_cronbach_alpha_by_hand() -> None:
    # 4 evaluations × 3 items. Item 1: 1, 0, 2, 1 (mean 1, squares 0 + 1 + 1 + 0 = 2, variance 2/3);
    # item 2: 1, 2, 2, 0 (mean 5/4, squares 1/16 + 9/16 + 9/16 + 25/16 = 11/4, variance 11/12);
    # item 3: 1, 0, 1, 1 (mean 3/4, squares 3/4, variance 1/4). Sum of item variances 11/6.
    # Row sums 3, 2, 5, 2: mean 3, squares 0 + 1 + 4 + 1 = 6, variance 2. α = 3/2 × (1 − (11/6)/2) = 1/8.
    items = np.array([[1, 1, 1], [0, 2, 0], [2, 2, 1], [1, 0, 1]], dtype=float)
    assert cronbach_alpha(items) == pytest.approx(0.125)
    parallel = np.array([[v, v, v] for v in (0.1, 0.5, 0.7, 0.9, 0.2)])
    assert cronbach_alpha(parallel) == pytest.approx(1.0)


def test_feldt_interval_contains_alpha_and_narrows_with_more_evaluations() -> None:
    low10, high10 = feldt_interval(0.8, 10, 5)
    low100, high100 = feldt_interval(0.8, 100, 5)
    assert low10 < low100 < 0.8 < high100 < high10 <= 1


def test_alpha_refuses_too_few_evaluations_and_single_items() -> None:
    rng = np.random.default_rng(1)
    few = consistency("A", "甲", rng.random((MIN_ALPHA - 1, 3)))
    assert few.alpha is None and "少于" in few.reason
    one = consistency("A", "甲", rng.random((30, 1)))
    assert one.alpha is None and "一个末级指标" in one.reason
    enough = consistency("A", "甲", rng.random((MIN_ALPHA, 3)))
    assert enough.alpha is not None and enough.n == MIN_ALPHA


def test_correlation_flags_pairs_and_counts_what_it_left_out() -> None:
    rng = np.random.default_rng(2)
    base = rng.random(12)
    matrix = np.column_stack([base, base * 0.9 + 0.05, rng.random(12), np.ones(12)])
    found = correlations(["a", "b", "c", "d"], matrix)
    assert [(p.a, p.b, p.n) for p in found.flagged] == [("a", "b", 12)]
    assert found.flagged[0].rho == pytest.approx(1.0)
    assert found.constant == 3  # d never varies
    assert found.tested == 3 and found.too_few == 0
    short = correlations(["a", "b"], matrix[: MIN_CORRELATION - 1, :2])
    assert (short.flagged, short.tested, short.too_few) == ((), 0, 1)


def test_spread_says_never_discriminates_only_with_enough_evaluations() -> None:
    assert spread("x", "x", "A", np.ones(5)).verdict == "all_full"
    assert spread("x", "x", "A", np.full(6, 0.5)).verdict == "all_same"
    assert spread("x", "x", "A", np.ones(4)).verdict == "too_few"
    assert spread("x", "x", "A", np.array([1, np.nan, 0, 1, 1, 0.5])).n == 5


def _members(count: int) -> tuple[object, list[Member]]:
    """A system whose A1 and A2 always agree, B1 is always met, and B2 varies."""
    loaded = system(
        [
            node(
                "A",
                [
                    leaf(
                        "A1",
                        25,
                        LEVELS
                        | {
                            "levels": [
                                {"name": "优", "points": 25},
                                {"name": "良", "points": 15},
                                {"name": "差", "points": 0},
                            ]
                        },
                    ),
                    leaf(
                        "A2",
                        25,
                        {
                            "kind": "levels",
                            "levels": [
                                {"name": "优", "points": 25},
                                {"name": "良", "points": 15},
                                {"name": "差", "points": 0},
                            ],
                        },
                    ),
                ],
            ),
            node(
                "B",
                [
                    leaf("B1", 25, BINARY),
                    leaf("B2", 25, {"kind": "ratio", "unit": "percent", "floor": 0, "target": 100}),
                ],
            ),
        ]
    )
    members = []
    for k in range(count):
        level = ["优", "良", "差"][k % 3]
        entries = {"A1": level, "A2": level, "B1": True, "B2": (k * 37) % 100}
        members.append(
            Member(
                evaluation(entries, ev_id=f"e{k:02d}", party=f"方{k}"),
                score(loaded, entries, ev_id=f"e{k:02d}", party=f"方{k}"),
                {},
            )
        )
    return loaded, members


def test_analysis_finds_the_redundant_pair_and_the_indicator_that_never_discriminates() -> None:
    loaded, members = _members(12)
    a = analyze(loaded, members)
    assert a.n == 12
    assert [(p.a, p.b) for p in a.correlations.flagged] == [("A1", "A2")]
    assert [s.id for s in a.never_discriminating] == ["B1"]
    alphas = {c.id: c for c in a.consistency}
    assert alphas["A"].alpha == pytest.approx(1.0) and alphas["A"].n == 12
    assert alphas["B"].alpha is None and "少于 2 个" in alphas["B"].reason  # B1 never varies
    assert len(a.scenarios) == 4 and all(sc.n == 12 for sc in a.scenarios)


def test_analysis_concludes_nothing_from_too_few_evaluations() -> None:
    loaded, members = _members(4)
    a = analyze(loaded, members)
    assert a.never_discriminating == () and a.correlations.flagged == ()
    assert a.correlations.tested == 0 and a.correlations.too_few == 6
    assert all(c.alpha is None for c in a.consistency)
    assert {s.verdict for s in a.spreads} == {"too_few"}


def test_weight_change_keeps_the_scale_and_reports_grade_changes() -> None:
    loaded = system([leaf("A", 50, BINARY), leaf("B", 50, BINARY)])
    changed = reweighted(loaded, {"A": Fraction(60)})
    assert (changed.index["A"].weight, changed.index["B"].weight) == (60, 40)
    entries = {"A": True, "B": False}  # 50 → 合格 needs 60
    members = [Member(evaluation(entries), score(loaded, entries), {})]
    [scenario] = analyze(loaded, members, changes=[{"A": Fraction(60)}]).scenarios
    assert scenario.grade_changes == 1
    moved = scenario.moved[0]
    assert (moved.total_before, moved.total_after, moved.grade_before, moved.grade_after) == (
        50,
        60,
        "不合格",
        "合格",
    )


def test_weight_changes_parse_and_refuse_the_impossible() -> None:
    loaded = system([node("A", [leaf("A1", 20, BINARY), leaf("A2", 20, BINARY)]), leaf("B", 60, BINARY)])
    assert parse_changes(loaded, ["A=50", "A1=25%"]) == {"A": 50, "A1": 10}
    for bad in (["Z=3"], ["A"], ["A=abc"]):
        with pytest.raises(WeightChangeError):
            parse_changes(loaded, bad)
    with pytest.raises(WeightChangeError):
        reweighted(loaded, {"A": Fraction(120)})


def test_site_analysis_skips_rescoring_above_its_limit() -> None:
    loaded, members = _members(3)
    a = analyze(loaded, members, rescore_limit=2)
    assert a.scenarios == () and "上限 2" in a.scenarios_skipped


@pytest.mark.slow
def test_cli_analyze_prints_every_section_and_json() -> None:
    run = zwpj("analyze", "gov-website-check", "--root", str(sample_root()))
    assert run.exit_code == 0, run.stdout + run.stderr
    for heading in ("一、区分度", "二、指标间相关", "三、内部一致性", "四、权重调整"):
        assert heading in run.stdout
    assert "依据 6 个已评分的评价" in run.stdout
    assert "从不区分评价的指标：D5.2 调查征集、D6.2 移动端与无障碍" in run.stdout
    data = json.loads(
        zwpj("analyze", "un-losi-2022", "--format", "json", "--root", str(sample_root())).stdout
    )
    assert data["n"] == 5 and data["correlations"]["tested"] == 0


@pytest.mark.slow
def test_cli_analyze_errors_are_messages() -> None:
    run = zwpj("analyze", "gov-website-chek", "--root", str(sample_root()))
    assert run.exit_code == 2 and "gov-website-check" in run.stderr and "Traceback" not in run.stderr
    run = zwpj("analyze", "db34-3556-sample", "--weight", "A=500", "--root", str(sample_root()))
    assert run.exit_code == 2 and "超出" in run.stderr
    run = zwpj("analyze", "db34-3556-sample", "--weight", "A1.1", "--root", str(sample_root()))
    assert run.exit_code == 2
