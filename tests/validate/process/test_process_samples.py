"""The sample repository shows the whole process: one evaluation walks every stage, one has an
objection that changed a score, one has overdue rectification, every sample draw reproduces."""

from __future__ import annotations

import datetime as dt

import pytest
from buildlib import checked_samples

from generator.model.stages import timeline
from generator.pipeline import Checked, score_one
from generator.render.public import public_view
from generator.render.views.process import process_view
from generator.score.history import score_history
from generator.validate.process.rectification import carried_over, progress


@pytest.fixture(scope="module")
def checked() -> Checked:
    return checked_samples()


def _by_id(checked: Checked) -> dict:
    return {e.evaluation.id: e for e in checked.repo.evaluations}


def test_no_process_errors(checked: Checked) -> None:
    process = [d for d in checked.diagnostics if d.code.startswith("E5")]
    assert process == []


def test_one_evaluation_walks_the_whole_path(checked: Checked) -> None:
    ev = _by_id(checked)["2024-hefei-platform"].evaluation
    steps = timeline(ev)
    assert all(s.done for s in steps) and steps[-1].stage == "已发布" and steps[-1].date is not None
    assert [s.stage for s in steps if s.date is None] == []  # every stage dated, 建立评价指标体系 too (§8.1)


def test_an_accepted_objection_changed_the_score(checked: Checked) -> None:
    loaded = _by_id(checked)["2024-hefei-platform"]
    system = checked.repo.system_for(loaded.evaluation)
    assert system is not None
    history = score_history(loaded, system, measured=checked.measured[loaded.evaluation.id])
    assert history is not None
    (change,) = history.changes
    assert (change.indicator, change.before, change.after) == ("A2.2", 0.83, 0.9)
    assert change.points_after is not None and change.points_before is not None
    assert change.points_after > change.points_before and history.total_after > history.total_before
    from_card = score_history(loaded, system, card=score_one(checked, loaded))  # figures taken from the card
    assert from_card == history


def test_overdue_rectification_is_flagged_and_carried_into_the_next_evaluation(checked: Checked) -> None:
    overdue = {(d.file, dict(d.args)["id"]) for d in checked.diagnostics if d.code == "W753"}
    assert overdue == {
        ("evaluations/2023-hefei-platform/evaluation.yaml", "R5"),
        ("evaluations/2023-hefei-platform/evaluation.yaml", "R6"),
    }
    evaluations = {i: e.evaluation for i, e in _by_id(checked).items()}
    carried = carried_over(evaluations["2024-hefei-platform"], evaluations)
    assert carried is not None and carried.previous_id == "2023-hefei-platform"
    assert [p.item.id for p in carried.still_open] == ["R5", "R6"]
    assert all(p.closed_in == "2024-hefei-platform" for p in carried.closed)
    summary = progress("合肥市数据资源局", evaluations.values())
    assert summary.overdue == 2 and summary.closed == 6


def test_every_evaluation_records_a_reproducible_sample(checked: Checked) -> None:
    for loaded in checked.repo.evaluations:
        assert loaded.evaluation.sampling, loaded.evaluation.id
    assert not [d for d in checked.diagnostics if d.code in ("E508", "E509", "E510")]


def test_process_view_for_a_public_page(checked: Checked) -> None:
    loaded = _by_id(checked)["2024-hefei-platform"]
    evaluations = {e.evaluation.id: e.evaluation for e in checked.repo.evaluations}
    system = checked.repo.system_for(loaded.evaluation)
    view = process_view(
        public_view(loaded), evaluations, system=system, measured=checked.measured[loaded.evaluation.id]
    )
    assert view.confirmed and view.stage == "已发布"
    assert view.response_deadline == dt.date(2024, 12, 31)
    assert [(c.indicator, c.before, c.after) for c in view.changes] == [("A2.2", "0.83", "0.9")]
    assert view.total_before is not None
    s1, s2 = view.samples
    assert len(s1.drawn) == 30 and s1.strata == "个人类 16、企业类 10、投资建设类 4"
    assert s2.drawn == () and s2.frame == ""  # an internal draw: method and seed shown, cases not
    assert view.previous_id == "2023-hefei-platform" and len(view.carried) == 8
    assert [p.item.id for p in view.rectification if p.status == "整改中"] == ["R1", "R3", "R6"]
    unconfirmed = process_view(_by_id(checked)["2024-shexian-county"], evaluations)
    assert not unconfirmed.confirmed and unconfirmed.changes == ()
