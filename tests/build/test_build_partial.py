"""One faulty evaluation does not block the others: they are published, it is listed with why.

Built through the command line as a team's CI runs it: the exit code is 1, the output and a page
of the site name what was left out; ``--strict`` publishes nothing while any error stands.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildlib import SAMPLES, digests, make_repository

from generator.build.runner import build

pytestmark = pytest.mark.slow

ZWPJ = [sys.executable, "-m", "generator.cli"]
GOOD, BAD = "2024-hefei-platform", "2024-shexian-county"


def _zwpj(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*ZWPJ, "build", "--no-reports", "--root", str(root), *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repository(tmp_path / "repo", [GOOD, BAD, "2023-hefei-platform"])
    _append(root / "evaluations" / BAD / "evaluation.yaml", "\nnot_a_field: 1\n")
    return root


def test_the_others_are_published_and_the_faulty_one_is_named(repo: Path) -> None:
    done = _zwpj(repo)
    assert done.returncode == 1, done.stderr
    # the faulty file is salvaged (the unknown key cut), so its title is known
    assert (
        f"未发布的评价：evaluations/{BAD}（2024年度歙县政务服务平台服务质量评价）：1 个错误（E201）"
        in done.stderr
    )
    assert "1 项因存在错误未发布" in done.stderr
    site = repo / "site"
    assert (site / "evaluations" / f"{GOOD}.html").is_file()
    assert (site / "evaluations" / "2023-hefei-platform.html").is_file()
    assert not (site / "evaluations" / f"{BAD}.html").exists()
    assert BAD not in (site / "data" / "evaluations.csv").read_text(encoding="utf-8")
    page = (site / "unpublished.html").read_text(encoding="utf-8")
    assert f"evaluations/{BAD}" in page and "E201" in page and "E201 未知的键" in page
    assert "not_a_field" not in page, "a message's quoted values stay off the public page"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "1 项评价因存在错误本次未发布" in home and 'href="unpublished.html"' in home


def test_strict_publishes_nothing_and_keeps_the_old_site(repo: Path) -> None:
    bad = repo / "evaluations" / BAD / "evaluation.yaml"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("\nnot_a_field: 1\n", "\n"), encoding="utf-8")
    assert _zwpj(repo).returncode == 0
    before = digests(repo / "site")
    bad.write_text(text, encoding="utf-8")
    done = _zwpj(repo, "--strict")
    assert done.returncode == 1 and "未生成站点" in done.stderr
    assert f"evaluations/{BAD}" in done.stderr
    assert digests(repo / "site") == before


def test_an_unreadable_evaluation_is_listed_by_its_folder(repo: Path) -> None:
    (repo / "evaluations" / BAD / "evaluation.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = build(repo, reports=False, audit=False)
    assert result.site is not None
    [left] = result.left_out
    assert (left.kind, left.folder, left.title, left.codes) == (
        "evaluation",
        f"evaluations/{BAD}",
        None,
        ("E101",),
    )
    assert result.evaluations == 2


def test_a_faulty_system_leaves_out_itself_and_its_evaluations(repo: Path) -> None:
    _append(repo / "indicators" / "haochaping" / "system.yaml", "\nnot_a_field: 1\n")
    shutil.copytree(
        SAMPLES / "evaluations" / "2024-bozhou-haochaping", repo / "evaluations" / "2024-bozhou-haochaping"
    )
    result = build(repo, reports=False, audit=False)
    left = {(x.kind, x.folder) for x in result.left_out}
    assert ("system", "indicators/haochaping") in left
    assert ("evaluation", "evaluations/2024-bozhou-haochaping") in left
    assert not (repo / "site" / "systems" / "haochaping-2024.1" / "index.html").exists()
    assert (repo / "site" / "systems" / "db34-3556-sample-2023.2" / "index.html").is_file()


def test_an_error_outside_every_evaluation_publishes_nothing(repo: Path) -> None:
    (repo / "calendar.yaml").write_text("holidays: [not-a-date]\n", encoding="utf-8")
    result = build(repo, reports=False, audit=False)
    assert result.site is None


def test_nothing_is_published_when_every_evaluation_is_faulty(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", [BAD])
    _append(root / "evaluations" / BAD / "evaluation.yaml", "\nnot_a_field: 1\n")
    result = build(root, reports=False, audit=False)
    assert result.site is None and [x.folder for x in result.left_out] == [f"evaluations/{BAD}"]
