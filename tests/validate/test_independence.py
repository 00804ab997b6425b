"""Independence (§4.1) in a real evaluation: a self-assessment mode is labelled, not flagged.

The 好差评 sample combines 自评 (the evaluated party's own, ``self_assessment: true``) with a third
party's evaluation. A staff member of the evaluated party may score under 自评; the same person
scoring for the third party is a conflict, and so is anyone under 自评 once the mode is not marked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildlib import make_repository
from docx import Document
from testpaths import ROOT

from generator.load.templates import load_templates
from generator.pipeline import check, score_one
from generator.render.report import render_report

EVAL = "evaluations/2024-bozhou-haochaping"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """One sample evaluation with self-assessment; independence is no template's business (none copied)."""
    return make_repository(tmp_path / "repo", evaluations=["2024-bozhou-haochaping"], templates=False)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _conflicts(root: Path) -> list[tuple[str, int]]:
    return [(d.file, d.line) for d in check(root).diagnostics if d.code == "E412"]


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_sample_is_clean(repo: Path) -> None:
    assert [d for d in check(repo).diagnostics if d.severity.value == "error"] == []


def test_the_evaluated_partys_staff_may_score_their_self_assessment(repo: Path) -> None:
    _replace(
        repo / EVAL / "scores/self.yaml",
        "  H1.1:\n    observation: 达标\n",
        "  H1.1:\n    observation: 达标\n    evaluators: [fang-li]\n",
    )
    assert _conflicts(repo) == []


def test_the_same_person_scoring_for_the_third_party_is_a_conflict(repo: Path) -> None:
    path = repo / EVAL / "scores/third_party.yaml"
    _replace(path, "evaluators: [lu-yao, han-xu]", "evaluators: [lu-yao, fang-li]")
    assert _conflicts(repo) == [(f"{EVAL}/scores/third_party.yaml", _line_of(path, "fang-li"))]


def test_an_unmarked_self_mode_is_checked_like_any_other(repo: Path) -> None:
    _replace(repo / "indicators/haochaping/system.yaml", "self_assessment: true", "self_assessment: false")
    path = repo / EVAL / "scores/self.yaml"
    _replace(
        path,
        "  H1.1:\n    observation: 达标\n",
        "  H1.1:\n    observation: 达标\n    evaluators: [fang-li]\n",
    )
    assert _conflicts(repo) == [(f"{EVAL}/scores/self.yaml", _line_of(path, "fang-li"))]


def test_a_whole_self_assessment_may_be_carried_out_by_the_evaluated_party(repo: Path) -> None:
    path = repo / EVAL / "evaluation.yaml"
    _replace(path, "body:\n  name: 安徽皖北公共服务评价中心有限公司", "body:\n  name: 亳州市数据资源管理局")
    assert _conflicts(repo) == [(f"{EVAL}/evaluation.yaml", _line_of(path, "body:") + 1)]
    _replace(path, "stage: 已确认", "mode: self\nstage: 已确认")
    assert _conflicts(repo) == []


@pytest.mark.slow
def test_self_assessment_body_records_and_training_appear_in_the_report(repo: Path, tmp_path: Path) -> None:
    checked = check(repo)
    (loaded,) = checked.repo.evaluations
    system = checked.repo.system_for(loaded.evaluation)
    assert system is not None
    files = render_report(
        loaded,
        system,
        score_one(checked, loaded),
        tmp_path / "out",
        repo_root=repo,
        commit=None,
        templates=load_templates(ROOT),
        cache_dir=tmp_path / "cache",
    )
    doc = Document(str(files.docx))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert "自评（被评价方自评）" in text
    assert "调查评价工作机制" in text and "内部奖惩机制" in text and "评价岗位及其职责" in text
    assert "培训：政务服务“好差评”制度专题培训（2024年6月）" in text  # from the body's staff record
    shutil.rmtree(tmp_path / "out")
