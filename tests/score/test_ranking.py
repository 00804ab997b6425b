"""Across evaluations: rankings with ties (并列), grouping, grade distribution, deltas, history, W704."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from scoring_cases.build import entry, evaluation, leaf, node, score, system

from generator.load.repository import Repository
from generator.model.evaluation import Confirmation, Evaluation
from generator.model.publishing import RankingGroup, RankingSettings
from generator.score.card import Scorecard
from generator.score.ranking import delta, grade_distribution, history, previous_of, rank
from generator.validate.repository import validate_repository

PCT = {"kind": "ratio", "unit": "percent", "floor": 0, "target": 100}


def _system(edition: str = "1", system_id: str = "test-system") -> object:
    return system(
        [node("A", [leaf("a1", 30, PCT), leaf("a2", 30, PCT)]), leaf("B", 40, PCT)],
        edition=edition,
        id=system_id,
    )


def _card(
    ev_id: str,
    a: float,
    b: float,
    *,
    party: str | None = None,
    year: int = 2024,
    edition: str = "1",
    system_id: str = "test-system",
    previous: str | None = None,
    na: bool = False,
) -> tuple[Scorecard, Evaluation]:
    """An evaluation scoring a on both A leaves (or A not applicable) and b on B."""
    kw = dict(
        ev_id=ev_id,
        party=party or ev_id,
        end=dt.date(year, 12, 31),
        edition=edition,
        system_id=system_id,
        previous=previous,
    )
    a_entry = entry(not_applicable="无") if na else a
    entries = {"a1": a_entry, "a2": a_entry, "B": b}
    card = score(_system(edition, system_id), entries, **kw)
    return card, evaluation(entries, **kw).evaluation


def _ranked(*made: tuple[Scorecard, Evaluation], settings: RankingSettings | None = None) -> list:
    """Rankings of the made evaluations; by default every result takes a place (none is confirmed)."""
    settings = settings or RankingSettings(unconfirmed=True)
    return rank([c for c, _ in made], {e.id: e for _, e in made}, settings)


def _confirmed(made: tuple[Scorecard, Evaluation], **evaluated: str) -> tuple[Scorecard, Evaluation]:
    card, ev = made
    party = ev.evaluated.model_copy(update=evaluated)
    return card, ev.model_copy(update={"confirmation": Confirmation(status="已确认"), "evaluated": party})


Made = tuple[Scorecard, Evaluation]


def _levelled(made: Made, level: str, kind: str | None = None) -> Made:
    card, ev = made
    party = ev.evaluated.model_copy(update={"level": level, "kind": kind})
    return card, ev.model_copy(update={"evaluated": party})


def test_unconfirmed_results_are_listed_without_a_place_by_default() -> None:
    made = [_confirmed(_card("a", 70, 70)), _card("b", 95, 95), _confirmed(_card("c", 80, 80))]
    (ranking,) = rank([c for c, _ in made], {e.id: e for _, e in made})
    assert [(e.evaluation_id, e.rank) for e in ranking.entries] == [("c", 1), ("a", 2)]
    assert [(e.evaluation_id, e.rank) for e in ranking.unranked] == [("b", 0)]
    assert ranking.average == 75.0, "the peer average is over the ranked results only"
    (everyone,) = _ranked(*made)
    assert [e.evaluation_id for e in everyone.entries] == ["b", "c", "a"] and not everyone.unranked


def test_groups_rank_comparable_parties_apart_with_their_own_averages() -> None:
    groups = [
        RankingGroup(name="市级平台", levels=["市级"]),
        RankingGroup(name="部门", kinds=["部门"]),
        RankingGroup(name="县级平台", levels=["县级"], kinds=["平台"]),
    ]
    made = [
        _levelled(_card("city-a", 90, 90), "市级"),
        _levelled(_card("city-b", 70, 70), "市级"),
        _levelled(_card("dept", 99, 99), "省级", "部门"),
        _levelled(_card("county", 60, 60), "县级", "平台"),
        _levelled(_card("county-dept", 50, 50), "县级", "部门"),
        _levelled(_card("stray", 80, 80), "县级"),
    ]
    rankings = _ranked(*made, settings=RankingSettings(unconfirmed=True, groups=groups))
    found = [(r.group, [e.evaluation_id for e in r.entries], r.average) for r in rankings]
    assert found == [
        ("市级平台", ["city-a", "city-b"], 80.0),
        ("部门", ["dept", "county-dept"], 74.5),
        ("县级平台", ["county"], 60.0),
        ("其他", ["stray"], 80.0),
    ]
    assert rankings[0].dimension_averages == (("指标A", 48.0), ("指标B", 32.0))


def test_peer_averages_are_not_rounded_before_the_page_rounds_them() -> None:
    (ranking,) = _ranked(_card("a", 100, 100), _card("b", 100, 90), _card("c", 90, 90))
    assert ranking.average == pytest.approx(286 / 3) and round(ranking.average, 2) != ranking.average
    assert dict(ranking.dimension_averages)["指标B"] == pytest.approx(112 / 3)


def test_a_group_with_no_confirmed_result_ranks_nobody() -> None:
    (ranking,) = rank([_card("a", 70, 70)[0]], {"a": _card("a", 70, 70)[1]})
    assert ranking.entries == () and ranking.average is None and ranking.dimension_averages == ()


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    (ranking,) = _ranked(_card("c-city", 90, 90), _card("a-city", 90, 90), _card("b-city", 85, 85))
    assert [(e.rank, e.evaluation_id, e.tied) for e in ranking.entries] == [
        (1, "a-city", True),
        (1, "c-city", True),
        (3, "b-city", False),
    ]
    assert [e.total for e in ranking.entries] == [90, 90, 85]


def test_tie_in_the_middle() -> None:
    (ranking,) = _ranked(_card("p", 95, 95), _card("q", 90, 90), _card("r", 100, 75), _card("s", 80, 80))
    assert [(e.evaluation_id, e.rank) for e in ranking.entries] == [("p", 1), ("q", 2), ("r", 2), ("s", 4)]
    assert [e.tied for e in ranking.entries] == [False, True, True, False]


def test_rankings_grouped_by_system_and_year() -> None:
    rankings = _ranked(
        _card("x-2023", 70, 70, year=2023),
        _card("x-2024", 80, 80),
        _card("y-2024", 90, 90),
        _card("z-other", 99, 99, system_id="other-system"),
    )
    assert [(r.system_id, r.year, [e.evaluation_id for e in r.entries]) for r in rankings] == [
        ("other-system", 2024, ["z-other"]),
        ("test-system", 2023, ["x-2023"]),
        ("test-system", 2024, ["y-2024", "x-2024"]),
    ]
    assert rankings[1].entries[0].party == "x-2023"


def test_grade_distribution() -> None:
    cards = [c for c, _ in (_card("a", 95, 95), _card("b", 91, 91), _card("c", 85, 85), _card("d", 10, 10))]
    assert grade_distribution(cards) == {"优秀": 2, "良好": 1, "不合格": 1}


def _pair(**later: object) -> tuple[tuple[Scorecard, Evaluation], tuple[Scorecard, Evaluation]]:
    before = _card("hefei-2023", 80, 70, party="合肥市", year=2023)
    after = _card("hefei-2024", 90, 75, party="合肥市", **later)  # type: ignore[arg-type]
    return before, after


def test_delta_per_dimension_and_grade() -> None:
    (old, _), (new, _) = _pair()
    change = delta(new, old)
    assert (change.evaluation_id, change.previous_id) == ("hefei-2024", "hefei-2023")
    assert change.dimensions == (("A", "指标A", 6.0), ("B", "指标B", 2.0))  # 48 → 54, 28 → 30
    assert change.total == 8.0 and (change.grade_from, change.grade_to) == ("合格", "良好")
    assert change.same_edition


def test_delta_is_none_for_a_dimension_not_applicable_on_either_side() -> None:
    (old, _), (new, _) = _pair(na=True)
    dims = dict((d, c) for d, _, c in delta(new, old).dimensions)
    assert dims["A"] is None and dims["B"] is not None


def test_delta_flags_another_edition() -> None:
    (old, _), (new, _) = _pair(edition="2")
    assert not delta(new, old).same_edition


def test_previous_of_named_or_latest_earlier_of_the_same_party() -> None:
    e21 = _card("hf-2021", 1, 1, party="合肥市", year=2021)[1]
    e22 = _card("hf-2022", 1, 1, party="合肥市", year=2022)[1]
    other = _card("wh-2023", 1, 1, party="芜湖市", year=2023)[1]
    e24 = _card("hf-2024", 1, 1, party="合肥市", year=2024)[1]
    named = _card("hf-2024b", 1, 1, party="合肥市", year=2024, previous="hf-2021")[1]
    evaluations = {e.id: e for e in (e21, e22, other, e24, named)}
    assert previous_of(e24, evaluations) is e22
    assert previous_of(named, evaluations) is e21
    assert previous_of(e21, evaluations) is None
    assert previous_of(other, evaluations) is None


def test_history_oldest_first() -> None:
    made = [_card(f"hf-{y}", 50 + y - 2020, 60, party="合肥市", year=y) for y in (2023, 2021, 2022)]
    made.append(_card("wh-2022", 80, 80, party="芜湖市", year=2022))
    cards = {c.evaluation_id: c for c, _ in made}
    evaluations = {e.id: e for _, e in made}
    assert [c.evaluation_id for c in history("合肥市", cards, evaluations)] == [
        "hf-2021",
        "hf-2022",
        "hf-2023",
    ]


@pytest.mark.parametrize(("editions", "warned"), [(("1", "2"), True), (("1", "1"), False)])
def test_w704_when_the_previous_evaluation_used_another_edition(
    editions: tuple[str, str], warned: bool
) -> None:
    repo = Repository(Path("/nonexistent"))
    for edition in set(editions):
        loaded = _system(edition)
        repo.systems[loaded.key] = loaded
    for year, edition in zip((2023, 2024), editions, strict=True):
        repo.evaluations.append(
            evaluation(
                {"a1": 1, "a2": 1, "B": 1},
                ev_id=f"hf-{year}",
                party="合肥市",
                end=dt.date(year, 12, 31),
                edition=edition,
            )
        )
    w704 = [d for d in validate_repository(repo) if d.code == "W704"]
    assert [d.file for d in w704] == (["evaluations/hf-2024/evaluation.yaml"] if warned else [])
    if warned:
        assert "1 → 2" in w704[0].message_zh
