"""The scoring engine on small in-memory systems: N/A redistribution, missing entries, rounding,
raters, modes, veto, bonus caps and grade bands; then the exports."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from buildlib import SAMPLE_EVALUATIONS, make_repository
from click.testing import CliRunner
from ruamel.yaml import YAML
from scoring_cases.build import by_id, entry, leaf, node, score, system

from generator import __version__
from generator.cli import main
from generator.score.aggregate import grade_for
from generator.score.card import Scorecard
from generator.score.export import to_csv, to_dict, to_json
from generator.score.rounding import fmt, round_half_up
from generator.score.table import render_table

PCT = {"kind": "ratio", "unit": "percent", "floor": 0, "target": 100}
"""Observation n (percent) earns n% of the weight: handy for exact expectations."""
LEVELS = {
    "kind": "levels",
    "levels": [{"name": "优", "points": 3}, {"name": "良", "points": 2}, {"name": "差", "points": 0}],
}
VETO = {"kind": "veto", "condition": "发生重大信息安全事件"}
BONUS = {
    "kind": "bonus",
    "cap": 3,
    "items": [
        {"id": "case", "name": "典型案例", "points": 1, "cap": 2},
        {"id": "award", "name": "表彰", "points": 2, "cap": 2},
    ],
}


def _three_leaves() -> object:
    return system(
        [node("A", [leaf("a1", 30, PCT), leaf("a2", 20, PCT), leaf("a3", 10, PCT)]), leaf("B", 40, PCT)]
    )


# --- not applicable ------------------------------------------------------------------------------


def test_na_leaf_weight_goes_to_siblings_in_proportion() -> None:
    card = score(
        _three_leaves(), {"a1": 50, "a2": 50, "a3": entry(not_applicable="本地无此业务。"), "B": 100}
    )
    ind = by_id(card)
    assert (ind["a1"].effective_weight, ind["a2"].effective_weight) == (36, 24)
    assert (ind["a3"].status, ind["a3"].points, ind["a3"].fraction) == ("not_applicable", None, None)
    assert ind["a3"].reason == "本地无此业务。"
    assert ind["a3"].effective_weight == 0
    assert ind["A"].effective_weight == 60 and ind["A"].points == 30
    assert ind["B"].effective_weight == 40
    assert card.base_total == 70
    assert any("a3" in n and "重新分配" in n for n in card.notes)


def test_na_subtree_leaves_the_dimension_to_the_rest() -> None:
    s = system(
        [
            node("A", [node("A1", [leaf("x1", 10, PCT), leaf("x2", 10, PCT)]), leaf("y", 30, PCT)]),
            leaf("B", 50, PCT),
        ]
    )
    na = entry(not_applicable="无")
    ind = by_id(score(s, {"x1": na, "x2": na, "y": 80, "B": 100}))
    assert (
        ind["A1"].status == "not_applicable" and ind["A1"].points is None and ind["A1"].effective_weight == 0
    )
    assert ind["y"].effective_weight == 50 and ind["y"].points == 40
    assert ind["A"].points == 40


def test_na_dimension_gives_its_weight_to_the_other_dimensions() -> None:
    s = system(
        [node("A", [leaf("a1", 20, PCT), leaf("a2", 20, PCT)]), leaf("B", 30, PCT), leaf("C", 30, PCT)]
    )
    na = entry(not_applicable="无")
    card = score(s, {"a1": na, "a2": na, "B": 90, "C": 80})
    ind = by_id(card)
    assert ind["A"].status == "not_applicable"
    assert (ind["B"].effective_weight, ind["C"].effective_weight) == (50, 50)
    assert card.base_total == 85 and card.grade == "良好"
    assert any("A " in n for n in card.notes)


def test_effective_weights_add_up_and_full_marks_never_exceed_the_scale() -> None:
    # 25 shared by weights 1 and 7: exact shares 3.125 and 21.875 would round to 25.01.
    s = system([node("A", [leaf("a1", 1, PCT), leaf("a2", 7, PCT), leaf("a3", 17, PCT)]), leaf("B", 75, PCT)])
    card = score(s, {"a1": 100, "a2": 100, "a3": entry(not_applicable="无"), "B": 100})
    ind = by_id(card)
    assert ind["a1"].effective_weight + ind["a2"].effective_weight == pytest.approx(25)
    assert abs(ind["a1"].effective_weight - 3.125) <= 0.005
    assert ind["A"].points == 25 and card.base_total == 100 and card.total == 100


# --- missing ------------------------------------------------------------------------------------


def test_missing_entry_counts_zero_and_keeps_its_weight() -> None:
    card = score(_three_leaves(), {"a1": 100, "a2": 100, "B": 100})
    a3 = by_id(card)["a3"]
    assert (a3.status, a3.points, a3.effective_weight) == ("missing", 0, 10)
    assert card.base_total == 90
    assert any(n.startswith("未评分指标按 0 分计：a3") for n in card.notes)


# --- rounding -----------------------------------------------------------------------------------


def test_leaf_points_round_half_up_not_to_even() -> None:
    s = system([leaf("a", 1, PCT), leaf("b", 99, PCT)])
    assert by_id(score(s, {"a": 12.5, "b": 0}))["a"].points == 0.13  # round(0.125, 2) would give 0.12


def test_parent_is_the_sum_of_rounded_children() -> None:
    s = system([node("A", [leaf("a1", 1, PCT), leaf("a2", 1, PCT), leaf("a3", 1, PCT)]), leaf("B", 97, PCT)])
    ind = by_id(score(s, {"a1": 33.335, "a2": 33.335, "a3": 33.335, "B": 0}))
    assert ind["a1"].points == 0.33
    assert ind["A"].points == 0.99  # not round(1.00005, 2) = 1.0


def test_dimension_and_total_decimals() -> None:
    s = system(
        [node("A", [leaf("a1", 1, PCT), leaf("a2", 1, PCT)]), leaf("B", 98, PCT)],
        rounding={"indicator": 2, "dimension": 1, "total": 0},
    )
    card = score(s, {"a1": 12.5, "a2": 12.5, "B": 50.4})
    ind = by_id(card)
    assert ind["A"].points == 0.3  # 0.13 + 0.13 = 0.26 → 0.3
    assert ind["B"].points == 49.4  # 49.392: a leaf dimension rounds to dimension decimals
    assert card.base_total == 49.7
    assert card.total == 50  # 49.7 → 50


def test_displayed_figures_add_up() -> None:
    s = system(
        [
            node("A", [node("A1", [leaf("a1", 3, PCT), leaf("a2", 3, LEVELS)]), leaf("a3", 7, PCT)]),
            node("B", [leaf("b1", 11, PCT), leaf("b2", 13, PCT), leaf("b3", 17, PCT)]),
            node("C", [leaf("c1", 45, PCT), leaf("c2", 0, BONUS)]),
        ],
        bonus_cap=5,
    )
    card = score(
        s,
        {
            "a1": 66.667,
            "a2": "良",
            "a3": entry(not_applicable="无"),
            "b1": 91.37,
            "b2": 45.55,
            "b3": 12.345,
            "c1": 77.77,
            "c2": {"case": 1},
        },
    )
    digits = s.system.rounding
    for parent in card.indicators:
        kids = [i for i in card.indicators if i.parent == parent.id and i.points is not None]
        if not parent.is_leaf and parent.points is not None:
            shown = sum(Decimal(fmt(k.points, digits.indicator)) for k in kids)
            assert Decimal(fmt(parent.points, digits.indicator)) == shown, parent.id
            weights = sum(
                Decimal(fmt(k.effective_weight, 2)) for k in card.indicators if k.parent == parent.id
            )
            assert weights == Decimal(fmt(parent.effective_weight, 2)), parent.id
    assert Decimal(fmt(card.base_total, 2)) == sum(Decimal(fmt(d.points or 0, 2)) for d in card.dimensions)
    assert card.total == round_half_up(card.base_total + card.bonus, digits.total)
    assert card.bonus == 1


def test_leaf_contribution_is_effective_weight_times_fraction() -> None:
    card = score(_three_leaves(), {"a1": 37.3, "a2": 81.25, "a3": entry(not_applicable="无"), "B": 66.6})
    for leaf_score in card.leaves:
        if leaf_score.points is not None:
            expected = round_half_up(leaf_score.effective_weight * leaf_score.fraction, 2)
            assert leaf_score.points == expected


# --- raters -------------------------------------------------------------------------------------


def _rated(combine: str, ratings: dict[str, str], **policy: object) -> object:
    s = system([leaf("a", 3, LEVELS), leaf("b", 97, PCT)], raters={"combine": combine, **policy})
    return score(s, {"a": entry(ratings=ratings), "b": 100})


@pytest.mark.parametrize(
    ("combine", "ratings", "points"),
    [
        ("mean", {"rater-a": "优", "rater-b": "良", "rater-c": "差"}, 1.67),
        ("median", {"rater-a": "优", "rater-b": "良", "rater-c": "差"}, 2.0),
        ("trimmed_mean", {"rater-a": "优", "rater-b": "良", "rater-c": "差"}, 1.67),  # 3 × 20% cuts nobody
        (
            "trimmed_mean",
            {"rater-a": "优", "rater-b": "优", "rater-c": "良", "rater-d": "差", "rater-e": "良"},
            2.33,
        ),
        ("mean", {"rater-a": "优", "rater-b": "优", "rater-c": "良", "rater-d": "差", "rater-e": "良"}, 2.0),
    ],
)
def test_raters_combined_by_the_system_rule(combine: str, ratings: dict[str, str], points: float) -> None:
    a = by_id(_rated(combine, ratings, max_spread=1))["a"]
    assert a.points == points
    assert [r.rater for r in a.raters] == list(ratings)
    assert a.raters[0].name == "甲" and a.raters[0].observation == "优"
    assert f"{len(ratings)} 位评分人" in a.explanation


def test_disagreement_warning_names_indicator_and_raters() -> None:
    card = _rated("mean", {"rater-a": "优", "rater-b": "良", "rater-c": "差"}, max_spread=0.3)
    assert len(card.warnings) == 1
    warning = card.warnings[0]
    assert "a（指标a）" in warning and "甲（优）" in warning and "丙（差）" in warning


def test_spread_exactly_at_the_threshold_is_not_a_disagreement() -> None:
    rule = {"kind": "levels", "levels": [{"name": "完善", "points": 2}, {"name": "较完善", "points": 1.4}]}
    s = system([leaf("a", 2, rule), leaf("b", 98, PCT)], raters={"max_spread": 0.3})
    card = score(s, {"a": entry(ratings={"rater-a": "完善", "rater-b": "较完善"}), "b": 1})
    assert card.warnings == ()  # 1.0 − 0.7 is 0.30000000000000004 in floating point


def _many_rated(observations: list[dict[str, str]]) -> Scorecard:
    leaves = [leaf(f"a{i}", 3, LEVELS) for i in range(len(observations))]
    s = system([node("A", leaves), leaf("B", 100 - 3 * len(leaves), PCT)])
    return score(s, {**{f"a{i}": entry(ratings=o) for i, o in enumerate(observations)}, "B": 100})


def test_alpha_is_one_when_raters_agree() -> None:
    obs = [{"rater-a": v, "rater-b": v} for v in ("优", "良", "差", "优", "良")]
    assert _many_rated(obs).alpha == pytest.approx(1.0)


def test_alpha_matches_the_krippendorff_package() -> None:
    obs = [
        {"rater-a": "优", "rater-b": "良", "rater-c": "优"},
        {"rater-a": "良", "rater-b": "良"},
        {"rater-a": "差", "rater-b": "良", "rater-c": "差"},
        {"rater-a": "优", "rater-c": "良"},
        {"rater-a": "差", "rater-b": "差", "rater-c": "差"},
    ]
    value = {"优": 1.0, "良": 2 / 3, "差": 0.0}
    data = np.array(
        [[value[o[r]] if r in o else np.nan for o in obs] for r in ("rater-a", "rater-b", "rater-c")]
    )
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    assert _many_rated(obs).alpha == pytest.approx(expected)


def test_alpha_is_none_without_enough_multi_rater_indicators() -> None:
    assert _many_rated([{"rater-a": "优", "rater-b": "差"}]).alpha is None


@pytest.mark.parametrize(("votes", "vetoed"), [((True, True, False), True), ((True, False, False), False)])
def test_veto_by_several_raters_follows_the_majority(votes: tuple[bool, ...], vetoed: bool) -> None:
    s = system([leaf("a", 100, PCT), leaf("v", 0, VETO)])
    ratings = dict(zip(("rater-a", "rater-b", "rater-c"), votes, strict=True))
    card = score(s, {"a": 95, "v": entry(ratings=ratings)})
    assert (card.grade == "不合格") is vetoed


# --- modes --------------------------------------------------------------------------------------


def _modal_system() -> object:
    return system(
        [leaf("a1", 60, PCT), leaf("a2", 40, PCT), leaf("v", 0, VETO)],
        modes=[
            {"id": "self", "name": "自评", "weight": 0.3},
            {"id": "third_party", "name": "第三方评价", "weight": 0.7},
        ],
    )


def test_modes_combined_by_weight_rounded_half_up() -> None:
    card = score(
        _modal_system(),
        modes={"self": {"a1": 100, "a2": 98.75, "v": False}, "third_party": {"a1": 80, "a2": 80, "v": False}},
    )
    assert [(m.id, m.total) for m in card.modes] == [("self", 99.5), ("third_party", 80.0)]
    assert card.total == 85.9  # 0.3 × 99.5 + 0.7 × 80 = 85.85 → 85.9
    assert card.grade == "良好"
    assert [mode for mode, _ in card.mode_indicators] == ["self", "third_party"]
    assert "综合得分 = 自评×0.3 + 第三方评价×0.7。" in card.notes


def test_veto_in_one_mode_vetoes_the_result() -> None:
    card = score(
        _modal_system(),
        modes={"self": {"a1": 100, "a2": 100, "v": False}, "third_party": {"a1": 100, "a2": 100, "v": True}},
    )
    assert card.total == 100 and card.grade == "不合格" and card.vetoes == ("v",)


# --- veto and bonus ------------------------------------------------------------------------------


def test_veto_drops_the_grade_and_names_the_item() -> None:
    s = system([node("A", [leaf("a", 100, PCT), leaf("v", 0, VETO)])])
    card = score(s, {"a": 95, "v": True})
    assert (card.total, card.grade_by_points, card.grade, card.vetoes) == (95, "优秀", "不合格", ("v",))
    assert by_id(card)["v"].vetoed
    assert any("一票否决：v" in n and "按分数应为“优秀”" in n for n in card.notes)
    table = render_table(card, s)
    assert "一票否决" in table and "等级：不合格" in table


def test_veto_not_found_changes_nothing() -> None:
    s = system([node("A", [leaf("a", 100, PCT), leaf("v", 0, VETO)])])
    card = score(s, {"a": 95, "v": False})
    assert (card.grade, card.vetoes) == ("优秀", ())


def test_bonus_capped_by_the_system() -> None:
    s = system([node("A", [leaf("a", 100, PCT), leaf("b1", 0, BONUS), leaf("b2", 0, BONUS)])], bonus_cap=2)
    card = score(s, {"a": 100, "b1": {"case": 5}, "b2": {"award": 1}})
    ind = by_id(card)
    assert (ind["b1"].bonus, ind["b2"].bonus, ind["b1"].points) == (2, 2, 0)
    assert (card.base_total, card.bonus, card.total) == (100, 2, 102)
    assert "加分合计 4 分，超过上限 2 分，按 2 分计。" in card.notes
    assert card.grade == "优秀"


def test_bonus_under_the_cap_and_rounded() -> None:
    s = system([node("A", [leaf("a", 100, PCT), leaf("b", 0, BONUS)])], bonus_cap=5)
    card = score(
        s,
        {
            "a": 80,
            "b": entry(ratings={"rater-a": {"case": 1}, "rater-b": {"case": 2}, "rater-c": {"case": 1}}),
        },
    )
    assert by_id(card)["b"].bonus == 1.33  # mean of 1, 2, 1
    assert (card.bonus, card.total) == (1.33, 81.3)
    assert "加分 1.33 分（上限 5 分）。" in card.notes


# --- grades -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observed", "digits", "total", "grade"),
    [
        (90, 1, 90.0, "优秀"),
        (89.95, 1, 90.0, "优秀"),  # the grade is read from the rounded total
        (89.94, 1, 89.9, "良好"),
        (89.95, 2, 89.95, "良好"),
        (80, 1, 80.0, "良好"),
        (79.99, 2, 79.99, "合格"),
        (60, 1, 60.0, "合格"),
        (59.94, 1, 59.9, "不合格"),
        (0, 1, 0.0, "不合格"),
    ],
)
def test_grade_band_edges(observed: float, digits: int, total: float, grade: str) -> None:
    s = system([leaf("a", 100, PCT)], rounding={"indicator": 2, "dimension": 2, "total": digits})
    card = score(s, {"a": observed})
    assert (card.total, card.grade) == (total, grade)


def test_grade_above_the_scale_is_the_top_band() -> None:
    s = system([leaf("a", 100, PCT)])
    assert grade_for(s.system, 104.5) == "优秀"


# --- stamp and exports ----------------------------------------------------------------------------


def _sample_card() -> tuple[object, Scorecard]:
    s = system(
        [
            node("A", [leaf("a1", 30, PCT), leaf("a2", 30, LEVELS), leaf("v", 0, VETO)]),
            node("B", [leaf("b1", 40, PCT), leaf("b2", 0, BONUS)]),
        ],
        bonus_cap=3,
    )
    card = score(
        s,
        {
            "a1": 88.8,
            "a2": entry(ratings={"rater-a": "优", "rater-b": "良"}),
            "v": False,
            "b1": entry(not_applicable="无"),
            "b2": {"case": 1},
        },
    )
    return s, card


def test_scorecard_is_stamped() -> None:
    _, card = _sample_card()
    assert (card.system_id, card.system_edition, card.generator_version) == ("test-system", "1", __version__)
    assert card.input_hash == "0" * 64 and card.evaluation_id == "test-eval"


def test_json_round_trips() -> None:
    _, card = _sample_card()
    text = to_json(card)
    data = json.loads(text)
    assert json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    assert data == json.loads(json.dumps(to_dict(card)))
    assert [i["id"] for i in data["indicators"]] == [i.id for i in card.indicators]
    assert data["total"] == card.total and data["grade"] == card.grade and data["dimensions"] == ["A", "B"]


def test_csv_has_a_row_per_indicator() -> None:
    _, card = _sample_card()
    lines = to_csv([card]).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("评价编号,指标体系,版本")
    assert len(lines) == 1 + len(card.indicators)


def test_table_lists_every_leaf_with_its_explanation() -> None:
    s, card = _sample_card()
    table = render_table(card, s, width=200)
    for ind in card.indicators:
        assert ind.id in table
    assert f"等级：{card.grade}" in table
    assert "不适用：无；权重按比例分配给同级指标" in table and "不适用；不适用" not in table


# --- the sample evaluations through `zwpj score` ---------------------------------------------------

SAMPLES = SAMPLE_EVALUATIONS


@pytest.fixture(scope="module")
def sample_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of the frozen sample evaluations, so `score` writes its JSON there (scoring reads no
    template: the repository has no copy of its own)."""
    return make_repository(tmp_path_factory.mktemp("repo") / "repo", templates=False)


def _run_score(root: Path, ev_id: str, fmt: str) -> str:
    result = CliRunner().invoke(
        main, ["score", str(root / "evaluations" / ev_id), "--root", str(root), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_there_are_sample_evaluations() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("ev_id", SAMPLES)
def test_sample_scores_line_by_line(sample_repo: Path, ev_id: str) -> None:
    data = json.loads(_run_score(sample_repo, ev_id, "json"))
    table = _run_score(sample_repo, ev_id, "table")
    rows = {line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")}
    sets = [inds for _, inds in data["mode_indicators"]] or [data["indicators"]]
    for indicators in sets:
        for ind in indicators:
            assert ind["id"] in rows, ind["id"]
            if ind["is_leaf"]:
                assert ind["explanation"], ind["id"]
    spec = YAML(typ="safe").load(sample_repo / "indicators" / data["system_id"] / "system.yaml")
    digits = spec.get("rounding", {}).get("total", 1)
    assert f"等级：{data['grade']}" in table
    assert f"→ 总分 {fmt(data['total'], digits)}（满分" in table
    if data["modes"]:
        assert (
            "综合得分 = "
            + " + ".join(f"{m['name']} {fmt(m['total'], 1)}×{m['weight']:g}" for m in data["modes"])
            in table
        )


@pytest.mark.parametrize("ev_id", SAMPLES)
def test_sample_json_round_trips(sample_repo: Path, ev_id: str) -> None:
    text = _run_score(sample_repo, ev_id, "json")
    data = json.loads(text)
    assert json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    written = sample_repo / "build" / "scores" / f"{ev_id}.json"
    assert json.loads(written.read_text(encoding="utf-8")) == data
    assert data["evaluation_id"] == ev_id
    assert (
        abs(sum(d["points"] or 0 for d in data["indicators"] if d["depth"] == 1) - data["base_total"]) < 1e-9
    )
    assert 0 <= data["total"] <= data["scale"] + 30


@pytest.mark.slow
@pytest.mark.parametrize("ev_id", SAMPLES)
def test_sample_csv_has_a_row_per_indicator(sample_repo: Path, ev_id: str) -> None:
    data = json.loads(_run_score(sample_repo, ev_id, "json"))
    lines = _run_score(sample_repo, ev_id, "csv").lstrip("\ufeff").splitlines()
    count = sum(len(inds) for _, inds in data["mode_indicators"]) or len(data["indicators"])
    combined = len(data["result"]["indicators"]) if data["result"]["combined"] else 0
    assert len(lines) == 1 + count + combined
    assert sum(",combined," in line for line in lines) == combined
