"""The two encoded published methods score their example evaluations as worked out by hand.

The expected figures are computed here from the methods' texts and the observations in the score
files (see docs/scoring.md §15), not taken from the program's output:

- 国办秘函〔2019〕19号 website checks (indicators/gov-website-check/): 100 − deductions (each item
  capped at its value); bonus (at most 30) only when that is **above** 80; a single veto fails the
  site; a department site without service functions is scored on the other 75 points × 4/3.
- UN LOSI 2022 (indicators/un-losi-2022/): indicators met ÷ indicators applicable, exactly;
  "very high" is more than 0.75; ranked by the value alone, equal values tied.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from buildlib import checked_samples

from generator.pipeline import score_all
from generator.score.ranking import RankOrder, rank


@pytest.fixture(scope="module")
def scored() -> tuple[dict, dict, dict]:
    checked = checked_samples()
    cards = score_all(checked)
    evaluations = {e.evaluation.id: e.evaluation for e in checked.repo.evaluations}
    systems = {sid: s.system for (sid, _), s in checked.repo.systems.items()}
    return cards, evaluations, systems


# Deductions per leaf = count × points, capped at the leaf's weight (deduction.yaml):
# D1.1 首页 1/次 ≤ 5; D1.2 链接 1/条 ≤ 10; D2.1 栏目 2/个 ≤ 10; D2.2 基本信息 1/处 ≤ 10; D3.1 解读 2/件 ≤ 8;
# D3.2 关切 3.5/次 ≤ 7; D4.1 指南 1/个 ≤ 15; D4.2 在线 2/个 ≤ 10; D5.1 留言 2/条 ≤ 10; D6.1 搜索 2.5/项 ≤ 5.
GOV = {
    # id: (base, bonus added, total, grade, grade by points, vetoes)
    "2024-jiashi-portal": (
        100 - (3 * 1 + 1 * 2 + 1 * 2 + 3 * 1 + 1 * 2.5),  # 87.5 > 80: the bonus counts
        10,  # one national award, 10 points
        87.5 + 10,
        "合格",
        "合格",
        [],
    ),
    "2024-yishi-portal": (100 - (2 * 1 + 5 * 1 + 2 * 2 + 3 * 1 + 5 * 1 + 3 * 2), 0, 75, "合格", "合格", []),
    "2024-bingxian-portal": (
        100
        - (10 + 3 * 2 + 4 * 1 + 2 * 2 + 1 * 3.5 + 8 * 1 + 2 * 2 + 2 * 2 + 1 * 2.5),  # 12 links capped at 10
        0,  # 54 is not above 80: the 10 bonus points do not count (they would make it 64, 合格)
        54,
        "不合格",
        "不合格",
        [],
    ),
    "2024-dingshi-portal": (100 - 4 * 1, 2 * 10, 96 + 20, "不合格", "合格", ["V4"]),  # 栏目不更新: veto
    "2024-jiqu-portal": (
        100 - (4 * 1 + 2 * 2 + 2 * 2 + 4 * 1 + 2 * 2),  # exactly 80: not above 80, so no bonus
        0,
        80,
        "合格",
        "合格",
        [],
    ),
}


@pytest.mark.parametrize("ev_id", sorted(GOV))
def test_website_check_totals_grades_and_vetoes(scored: tuple, ev_id: str) -> None:
    cards = scored[0]
    base, bonus, total, grade, by_points, vetoes = GOV[ev_id]
    card = cards[ev_id]
    assert (card.base_total, card.bonus, card.total) == (base, bonus, total)
    assert (card.grade, card.grade_by_points, list(card.vetoes)) == (grade, by_points, vetoes)


def test_department_site_without_services_is_scored_on_75_points_times_four_thirds(scored: tuple) -> None:
    card = scored[0]["2024-wushi-bureau"]
    deducted = 2 * 1 + 3 * 1  # two dead links, three stale items of basic information
    exact = Fraction(75 - deducted) * Fraction(4, 3)  # 280/3 = 93.333…
    assert card.base_total == float(exact)
    assert card.total == 93.33  # the method's total, two decimals
    assert card.bonus == 0 and card.grade == "合格"
    services = {i.id: i for i in card.indicators if i.id in ("D4", "D4.1", "D4.2")}
    assert {i.status for i in services.values()} == {"not_applicable"}
    d1 = next(i for i in card.indicators if i.id == "D1")
    assert d1.effective_weight == 20  # 15 × 100/75


def test_veto_and_bonus_groups_are_shown_as_assessed(scored: tuple) -> None:
    card = scored[0]["2024-dingshi-portal"]
    groups = {i.id: i for i in card.indicators if i.id in ("V", "B")}
    assert {g.status for g in groups.values()} == {"scored"}
    assert "V4 栏目不更新" in groups["V"].explanation
    assert "20" in groups["B"].explanation
    clean = next(i for i in scored[0]["2024-jiashi-portal"].indicators if i.id == "V")
    assert clean.status == "scored" and "均未发现否决情形" in clean.explanation


def test_website_check_ranking_puts_the_vetoed_site_last(scored: tuple) -> None:
    cards, evaluations, systems = scored
    mine = [c for c in cards.values() if c.system_id == "gov-website-check"]
    orders = {"gov-website-check": RankOrder.of(systems["gov-website-check"])}
    [ranking] = rank(mine, evaluations, orders=orders)
    order = [(e.evaluation_id, e.rank, e.tied) for e in ranking.entries]
    assert order == [
        ("2024-jiashi-portal", 1, False),  # 97.5
        ("2024-wushi-bureau", 2, False),  # 93.33
        ("2024-jiqu-portal", 3, False),  # 80
        ("2024-yishi-portal", 4, False),  # 75
        ("2024-bingxian-portal", 5, False),  # 54, 不合格
        ("2024-dingshi-portal", 6, False),  # 116 points, but vetoed
    ]
    by_total = rank(mine, evaluations)  # without the system's order: vetoed still last (the default)
    assert by_total[0].entries[-1].evaluation_id == "2024-dingshi-portal"


LOSI = {
    # id: (indicators met, indicators applicable, grade)
    "2024-chengbei-losi": (65, 86, "非常高"),
    "2024-chengnan-losi": (65, 86, "非常高"),  # other indicators met, the same value
    "2024-chengdong-losi": (60, 80, "高"),  # 6 not applicable; 60/80 = 0.75 is not more than 0.75
    "2024-chengxi-losi": (43, 86, "中"),  # 0.5 is not more than 0.5
    "2024-chengzhong-losi": (20, 86, "低"),  # 0.2326
}


@pytest.mark.parametrize("ev_id", sorted(LOSI))
def test_losi_is_met_over_applicable_exactly(scored: tuple, ev_id: str) -> None:
    met, applicable, grade = LOSI[ev_id]
    card = scored[0][ev_id]
    assert card.total == float(Fraction(met, applicable))
    assert card.grade == grade


def test_losi_ties_cities_meeting_as_many_indicators(scored: tuple) -> None:
    cards, evaluations, systems = scored
    mine = [c for c in cards.values() if c.system_id == "un-losi-2022"]
    [ranking] = rank(mine, evaluations, orders={"un-losi-2022": RankOrder.of(systems["un-losi-2022"])})
    assert [(e.evaluation_id, e.rank, e.tied) for e in ranking.entries] == [
        ("2024-chengbei-losi", 1, True),
        ("2024-chengnan-losi", 1, True),
        ("2024-chengdong-losi", 3, False),
        ("2024-chengxi-losi", 4, False),
        ("2024-chengzhong-losi", 5, False),
    ]
    met_a = {i.id for i in cards["2024-chengbei-losi"].leaves if i.fraction == 1}
    met_b = {i.id for i in cards["2024-chengnan-losi"].leaves if i.fraction == 1}
    assert len(met_a) == len(met_b) == 65 and met_a != met_b
