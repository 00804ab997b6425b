"""Merging one evaluation changes no other party's page.

Pages are judged as of their party's own records (each evaluation's ``as_of``, else the newest
date it records; the latest of these among the party's evaluations), never as of the newest date
anywhere in the repository: a later evaluation of another party must not make Hefei's
rectification items overdue on Hefei's pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildlib import SAMPLES, make_repository

from generator.build.runner import build
from generator.load.asof import evaluation_as_of, repository_as_of
from generator.load.repository import load_repository
from generator.render.site.compare import party_slug

pytestmark = pytest.mark.slow

HEFEI = ["2023-hefei-platform", "2024-hefei-platform"]
LATER = "2026-06-30"
"""A day after every due date of Hefei's rectification items."""


def _pages(root: Path) -> dict[str, str]:
    docs = root / "build" / "docs"
    names = [f"evaluations/{e}.md" for e in HEFEI] + [f"parties/{party_slug('合肥市数据资源局')}.md"]
    names += [f"data/evaluations/{e}.json" for e in HEFEI]
    return {n: (docs / n).read_text(encoding="utf-8") for n in names}


def test_an_unrelated_evaluation_changes_no_page_of_another(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", HEFEI)
    assert build(root, reports=False, audit=False).site is not None
    before = _pages(root)
    repo, _ = load_repository(root)
    hefei = next(e.evaluation for e in repo.evaluations if e.evaluation.id == HEFEI[1])
    open_items = [i for i in hefei.rectification if i.status not in ("已完成", "已验证")]
    assert open_items and all(str(i.due) < LATER for i in open_items), (
        "judged as of LATER they would be overdue"
    )

    other = root / "evaluations" / "2024-bozhou-haochaping"
    shutil.copytree(SAMPLES / "evaluations" / other.name, other)
    path = other / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"as_of: {LATER}\n", encoding="utf-8")
    assert build(root, reports=False, audit=False).site is not None
    repo, _ = load_repository(root)
    assert str(repository_as_of(e.evaluation for e in repo.evaluations)) == LATER
    assert _pages(root) == before
    assert (root / "site" / "evaluations" / "2024-bozhou-haochaping.html").is_file()


def test_an_evaluation_is_judged_as_of_its_own_declared_day(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", HEFEI)
    assert build(root, reports=False, audit=False).site is not None
    before = _pages(root)[f"evaluations/{HEFEI[1]}.md"]
    path = root / "evaluations" / HEFEI[1] / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"as_of: {LATER}\n", encoding="utf-8")
    result = build(root, reports=False, audit=False)
    assert result.site is not None
    assert [d.code for d in result.diagnostics if d.file == f"evaluations/{HEFEI[1]}/evaluation.yaml"].count(
        "W753"
    )
    after = _pages(root)[f"evaluations/{HEFEI[1]}.md"]
    assert after != before and f"截至 {LATER}" in after and f"截至 {LATER}" not in before
    repo, _ = load_repository(root)
    assert (
        str(evaluation_as_of(next(e.evaluation for e in repo.evaluations if e.evaluation.id == HEFEI[1])))
        == LATER
    )
