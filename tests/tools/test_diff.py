"""``zwpj diff``: two committed versions of a small evaluation repository, compared exactly."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from testpaths import FIXTURES

from generator.cli import main
from generator.review import RevisionError, diff_revisions
from generator.review.markdown import render_markdown
from generator.review.model import Change, EntryChange, ScoreChange
from generator.review.text import render_text

FIXTURE = FIXTURES / "diff" / "repo"
SCORES_A = "evaluations/demo/scores/a.yaml"
SCORES_B = "evaluations/demo/scores/b.yaml"
PART = "indicators/mini/main.yaml"
OLD_COMMENT = "依申请事项 1,000 项中可网上申报 900 项。"
NEW_COMMENT = "依申请事项 1,000 项中可网上申报 800 项。"


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2024-12-01T00:00:00",
        "GIT_COMMITTER_DATE": "2024-12-01T00:00:00",
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
    }
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    git(root, "tag", "v1")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "commit", "-qam", message)


def test_grade_change_is_reported_exactly(repo: Path) -> None:
    edit(repo, SCORES_A, "observation: 90\n", "observation: 80\n")
    edit(repo, SCORES_A, OLD_COMMENT, NEW_COMMENT)
    commit(repo, "v2")
    report = diff_revisions(repo, "v1", "HEAD")
    (d,) = report.evaluations
    assert (d.status, d.total_before, d.total_after, d.grade_before, d.grade_after) == (
        "changed",
        90.5,
        88.0,
        "优秀",
        "良好",
    )
    assert d.grade_changed and d.alert and not d.veto_changed
    assert d.dimensions == (
        ScoreChange("A", "服务能力", 1, None, 57.5, 55.0, 60),
        ScoreChange("B", "服务过程", 1, None, 33.0, 33.0, 40),
    )
    assert d.scores == (ScoreChange("A3", "网上可办率", 2, None, 7.5, 5.0, 10),)
    assert d.entries == (
        EntryChange(
            "A3",
            "网上可办率",
            None,
            (
                Change("observation", "90", "80"),
                Change("comment", OLD_COMMENT, NEW_COMMENT),
            ),
        ),
    )
    assert d.other == () and report.systems == ()
    base, head = report.base.commit, report.head.commit
    assert (
        render_text(report)
        == f"""评分变化：v1（{base}） → HEAD（{head}）
1 个评价有变化，0 个无变化；0 个指标体系有修改。

⚠ demo 演示评价（evaluations/demo，修改）
  总分 90.5 → 88（-2.5）  等级 ⚠ 优秀 → 良好  一票否决 —
  维度得分：
    A 服务能力 57.50 → 55.00（-2.50）
    B 服务过程 33.00 → 33.00
  指标得分：
    A3 网上可办率 7.50 → 5.00（-2.50）
  评分记录：
    A3 网上可办率
      观测值：90 → 80
      说明/意见：依申请事项 1,000 项中可网上申报 900 项。 → 依申请事项 1,000 项中可网上申报 800 项。
"""
    )


def test_markdown_is_a_summary_table_then_details(repo: Path) -> None:
    edit(repo, SCORES_A, "observation: 90\n", "observation: 80\n")
    commit(repo, "v2")
    text = render_markdown(diff_revisions(repo, "v1", "HEAD"))
    lines = text.splitlines()
    assert lines[0] == "<!-- zwpj-diff -->"
    assert (
        "| ⚠ demo | 演示评价 | 修改 | 90.5 → 88（-2.5） | ⚠ 优秀 → 良好 | — | 指标得分 1 项，评分记录 1 项 |"
    ) in lines
    assert lines.index("| A3 网上可办率 | 10 | 7.50 | 5.00 | -2.50 |") > lines.index(
        "<details><summary>⚠ demo 演示评价：总分 90.5 → 88（-2.5），等级 ⚠ 优秀 → 良好</summary>"
    )
    assert "| A3 网上可办率 | 观测值 | 90 | 80 |" in lines
    assert text.count("<details>") == text.count("</details>") == 1


def test_indicator_system_edit_lists_affected_evaluations(repo: Path) -> None:
    edit(repo, "indicators/mini/system.yaml", 'edition: "1"', 'edition: "2"')
    edit(repo, "evaluations/demo/evaluation.yaml", 'edition: "1"', 'edition: "2"')
    edit(repo, PART, "        weight: 30\n", "        weight: 25\n")
    edit(
        repo,
        PART,
        "points: 30\n            - name: 良\n              points: 20\n",
        "points: 25\n            - name: 良\n              points: 15\n",
    )
    edit(repo, PART, "统一身份认证\n        weight: 20\n", "统一身份认证\n        weight: 25\n")
    commit(repo, "edition 2")
    report = diff_revisions(repo, "v1", "HEAD")
    (system,) = report.systems
    assert (system.folder, system.id, system.status) == ("indicators/mini", "mini", "changed")
    assert system.affected == ("demo",)
    assert system.meta == (Change("edition", "1", "2"),)
    assert [(e.indicator, e.status, [c.field for c in e.changes]) for e in system.indicators] == [
        ("A1", "changed", ["weight", "rule"]),
        ("A2", "changed", ["weight"]),
    ]
    a1 = system.indicators[0]
    assert a1.changes[1] == Change(
        "rule", "分档计分：优 30 分；良 20 分；差 0 分", "分档计分：优 25 分；良 15 分；差 0 分"
    )
    (d,) = report.evaluations
    assert (d.total_before, d.total_after, d.grade_after, d.alert) == (90.5, 90.5, "优秀", False)
    assert [(s.indicator, s.before, s.after) for s in d.scores] == [("A1", 30.0, 25.0), ("A2", 20.0, 25.0)]
    assert d.other == (Change("system", "id: mini，edition: 1", "id: mini，edition: 2"),)
    text = render_text(report)
    assert text.endswith("""指标体系 mini 小型测试指标体系（indicators/mini，修改）
  版本：1 → 2
  A1 办事指南（修改）
    分值：30 → 25
    计分规则：分档计分：优 30 分；良 20 分；差 0 分 → 分档计分：优 25 分；良 15 分；差 0 分
  A2 统一身份认证（修改）
    分值：20 → 25
  影响的评价：demo
""")


def test_veto_appearing_is_marked(repo: Path) -> None:
    edit(repo, SCORES_B, "observation: false", "observation: true")
    report = diff_revisions(repo, "v1")
    (d,) = report.evaluations
    assert report.head.commit is None and report.head.label == "工作区"
    assert (d.vetoes_before, d.vetoes_after, d.grade_after, d.veto_changed) == ((), ("B3",), "不合格", True)
    assert "一票否决 ⚠ 新增否决 B3" in render_text(report)


def test_errors_in_one_revision_are_reported_not_raised(repo: Path) -> None:
    edit(repo, SCORES_A, "observation: 优\n", "observation: 极好\n")
    report = diff_revisions(repo, "v1")
    (d,) = report.evaluations
    assert d.total_before == 90.5 and d.total_after is None and d.alert
    assert [e.code for e in d.errors_after] == ["E405"]
    assert "修改后的错误：\n    evaluations/demo/scores/a.yaml:5:18: 错误 E405" in render_text(report)


def test_added_and_removed_evaluations(repo: Path) -> None:
    shutil.copytree(repo / "evaluations" / "demo", repo / "evaluations" / "demo2")
    edit(repo, "evaluations/demo2/evaluation.yaml", "id: demo\n", "id: demo2\n")
    git(repo, "add", ".")
    git(repo, "rm", "-rq", "evaluations/demo")
    commit(repo, "rename")
    report = diff_revisions(repo, "v1", "HEAD")
    assert [(d.id, d.status, d.total_before, d.total_after) for d in report.evaluations] == [
        ("demo", "removed", 90.5, None),
        ("demo2", "added", None, 90.5),
    ]


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(RevisionError):
        diff_revisions(repo, "no-such-branch")


def test_cli_formats_and_exit_codes(repo: Path) -> None:
    edit(repo, SCORES_A, "observation: 90\n", "observation: 80\n")
    runner = CliRunner()
    done = runner.invoke(main, ["diff", "v1", "--format", "json", "--root", str(repo)])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    (ev,) = data["evaluations"]
    assert (ev["grade_before"], ev["grade_after"], ev["grade_changed"]) == ("优秀", "良好", True)
    assert data["head"] == {"name": None, "commit": None}
    bad = runner.invoke(main, ["diff", "nope", "--root", str(repo)])
    assert bad.exit_code == 2 and "找不到版本“nope”" in bad.output
    out = repo / "diff.md"
    done = runner.invoke(main, ["diff", "v1", "--format", "markdown", "-o", str(out), "--root", str(repo)])
    assert done.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!-- zwpj-diff -->")


def test_markdown_escapes_html_and_pipes(repo: Path) -> None:
    edit(repo, SCORES_A, OLD_COMMENT, "见 </details><script>x</script> | 附表")
    text = render_markdown(diff_revisions(repo, "v1"))
    assert "<script>" not in text and text.count("</details>") == 1
    assert "见 &lt;/details&gt;&lt;script&gt;x&lt;/script&gt; \\| 附表" in text


def test_repository_in_a_subfolder_of_git(tmp_path: Path) -> None:
    top = tmp_path / "top"
    shutil.copytree(FIXTURE, top / "evals")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "v1")
    edit(top / "evals", SCORES_B, "observation: 良", "observation: 优")
    git(top, "commit", "-qam", "v2")
    (d,) = diff_revisions(top / "evals", "HEAD~1", "HEAD").evaluations
    assert (d.total_before, d.total_after, d.scores[0].indicator) == (90.5, 95.5, "B2")
