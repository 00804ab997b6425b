"""The pull-request comment for a new evaluation shows what a reviewer needs, in Chinese words:
result and status, dimensions, the weakest indicators and the objections, long texts in full;
edits to score entries name deduction items and people, not their ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildlib import SAMPLES, commit_all, git, make_repository

from generator.review import diff_revisions
from generator.review.markdown import render_json, render_markdown

NEW = "2024-ah-amr-department"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repository(tmp_path / "repo", ["2024-hefei-platform"])
    commit_all(root)
    return root


def test_a_new_evaluation_is_shown_in_full(repo: Path) -> None:
    shutil.copytree(SAMPLES / "evaluations" / NEW, repo / "evaluations" / NEW)
    report = diff_revisions(repo, "HEAD")
    (added,) = [d for d in report.evaluations if d.status == "added"]
    assert added.added is not None
    text = render_markdown(report)
    details = text.split("<details>", 1)[1]
    for heading in ("**结果与状态**", "**维度得分**", "**得分率最低的指标**", "**异议**"):
        assert heading in details, heading
    assert "| 结果确认 | 有异议 |" in details and "| 报告 | 征求意见稿 |" in details
    assert "| 评价阶段 | 有异议 |" in details and "83.6（满分 100）" in details
    assert "| A 服务能力 | 40 | 35.51 | 88.8% |" in details
    assert (
        "| C1.3 即办件占比 | 2 | 0.60 | 30.0% | 22% | 许可类事项多须现场核查，即办件比例偏低。 |" in details
    )
    assert "建议被评价方规范特别程序的系统登记和告知。" in details, "a long response is shown in full"
    assert "不采纳（2024-12-16）" in details
    assert "missing_element" not in text and "no_sample" not in text
    weakest = [x.fraction for x in added.added.weakest]
    assert weakest == sorted(weakest) and len(weakest) == 5
    data = render_json(report)
    assert '"state": "有异议"' in data and '"report": "征求意见稿"' in data


def test_a_changed_deduction_names_its_items_and_people(repo: Path) -> None:
    shutil.copytree(SAMPLES / "evaluations" / NEW, repo / "evaluations" / NEW)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add", when="2020-01-03T00:00:00+00:00")
    path = repo / "evaluations" / NEW / "scores" / "capability.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      no_sample: 2\n", "      no_sample: 3\n", 1), encoding="utf-8")
    markdown = render_markdown(diff_revisions(repo, "HEAD"))
    assert "missing_element" not in markdown and "no_sample" not in markdown and "qian-xue" not in markdown
    assert "申请材料未提供空白表格或示范文本的指南，每个: 3" in markdown
