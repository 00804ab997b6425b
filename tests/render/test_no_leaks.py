"""Nothing internal leaves the repository through the outputs meant for reviewers and CI.

The site and the reports are covered by ``test_confidential_output``; here, the pull-request comment
and its JSON (``zwpj diff``), the CI annotations and JSON of ``zwpj check``, and messages about
values in internal places: every one is made from the public view, and a message never quotes an
internal value, even in a file that fails to load.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from buildlib import commit_all
from fixturelib import MINIMAL, first_lines, zwpj
from testpaths import FIXTURES

BASE = FIXTURES / "process" / "base"
MARKER = re.compile(r"ZWPJ-SECRET-[A-Z0-9-]*[A-Z0-9]")
CAPABILITY = "evaluations/2024-demo/scores/capability.yaml"
EVALUATION = "evaluations/2024-demo/evaluation.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def edited(tmp_path: Path) -> Path:
    """The process fixture committed, then edited in public and internal places alike."""
    root = Path(shutil.copytree(BASE, tmp_path / "repo"))
    commit_all(root)
    _edit(root, CAPABILITY, "原始截图 ZWPJ-SECRET-EVIDENCE-NOTE", "原始截图 ZWPJ-SECRET-EVIDENCE-NOTE-EDITED")
    _edit(
        root,
        CAPABILITY,
        "        internal: true\n",
        "        internal: true\n      - url: https://intranet.example/ZWPJ-SECRET-NEW-URL\n"
        "        captured: 2024-11-06\n        note: ZWPJ-SECRET-NEW-NOTE\n        internal: true\n",
    )
    _edit(root, CAPABILITY, "经异议 O1 复核，由“良”调整为“优”。", "复核后维持“优”。")
    _edit(root, EVALUATION, "phone: ZWPJ-SECRET-TEAM-PHONE", "phone: ZWPJ-SECRET-TEAM-PHONE-NEW")
    _edit(
        root, EVALUATION, "专家讨论要点 ZWPJ-SECRET-ACTIVITY-SUMMARY", "专家讨论要点 ZWPJ-SECRET-SUMMARY-NEW"
    )
    _edit(root, EVALUATION, "place: ZWPJ-SECRET-ACTIVITY-PLACE", "place: ZWPJ-SECRET-PLACE-NEW")
    return root


@pytest.mark.parametrize("fmt", ["markdown", "json", "text"])
def test_the_pull_request_comment_is_made_from_the_public_view(edited: Path, fmt: str) -> None:
    run = zwpj("diff", "HEAD", "--format", fmt, "--root", str(edited))
    assert run.exit_code == 0, run.stderr
    assert MARKER.findall(run.stdout) == []
    assert "复核后维持“优”。" in run.stdout  # the public edit is shown
    assert "有修改（内部内容，不在此显示）" in run.stdout  # the internal ones are only counted


def test_a_purely_internal_edit_says_only_that_something_internal_changed(tmp_path: Path) -> None:
    root = Path(shutil.copytree(BASE, tmp_path / "repo"))
    commit_all(root)
    _edit(root, EVALUATION, "phone: ZWPJ-SECRET-TEAM-PHONE", "phone: ZWPJ-SECRET-TEAM-PHONE-NEW")
    run = zwpj("diff", "HEAD", "--format", "markdown", "--root", str(root))
    assert MARKER.findall(run.stdout) == []
    assert "有修改（内部内容，不在此显示）" in run.stdout


@pytest.mark.parametrize("fmt", ["github", "json", "text"])
def test_errors_in_internal_places_are_reported_without_their_values(tmp_path: Path, fmt: str) -> None:
    """A malformed internal URL and a wrong-typed contact: located, but never quoted (CI logs are read
    by everyone with access to the pipeline, PR comments by every reviewer)."""
    root = Path(shutil.copytree(BASE, tmp_path / "repo"))
    _edit(root, CAPABILITY, "      - file: evidence/raw-screens.md\n", "      - url: ZWPJ-SECRET-NOT-A-URL\n")
    _edit(root, EVALUATION, "phone: ZWPJ-SECRET-TEAM-PHONE", "phone: [ZWPJ-SECRET-PHONE-LIST]")
    run = zwpj("check", "--format", fmt, "--root", str(root))
    assert run.exit_code == 1
    assert MARKER.findall(run.stdout + run.stderr) == []
    codes = sorted(re.findall(r"\bE2\d\d\b", run.stdout))
    assert "E204" in codes and "E202" in codes


def _internal_dataset(tmp_path: Path, *, internal: bool) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    if internal:
        _edit(
            root,
            "evaluations/2024-mini/evaluation.yaml",
            "datasets:\n",
            "internal_files: [data/ratings.csv]\ndatasets:\n",
        )
    path = root / "evaluations/2024-mini/data/ratings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    fields[1] = "ZWPJ-SECRET-CITIZEN-PHONE"
    lines[3] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_values_of_an_internal_dataset_are_never_quoted(tmp_path: Path) -> None:
    root = _internal_dataset(tmp_path, internal=True)
    run = zwpj("check", "--format", "github", "--root", str(root))
    (line,) = run.stdout.splitlines()
    assert line.startswith("::error file=evaluations/2024-mini/data/ratings.csv,line=4,col=2,title=E602::")
    assert MARKER.findall(run.stdout) == [] and "内部数据，不显示" in line


def test_values_of_a_public_dataset_are_quoted_to_help_fix_them(tmp_path: Path) -> None:
    root = _internal_dataset(tmp_path, internal=False)
    run = zwpj("check", "--root", str(root))
    (line,) = first_lines(run.stdout)
    assert line.startswith("evaluations/2024-mini/data/ratings.csv:4:2: 错误 E602")
    assert "ZWPJ-SECRET-CITIZEN-PHONE" in line
