"""A warm build (from the cache) writes what a cold build writes, and redoes only what an edit affects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildlib import BUILD_SET, differences, make_repository

from generator.build.runner import build

pytestmark = pytest.mark.slow


def _cold(root: Path, out: Path, *, reports: bool) -> None:
    """A build that neither reads nor fills the cache, into ``out``."""
    result = build(
        root, site_dir=out, docs_dir=out.parent / "cold-docs", reports=reports, cache=False, audit=False
    )
    assert result.site == out


def _edit_score(root: Path) -> None:
    """Change one graded observation of the 2023 Hefei evaluation (the 2024 one names it as previous)."""
    path = root / "evaluations" / "2023-hefei-platform" / "scores" / "capability.yaml"
    text = path.read_text(encoding="utf-8")
    levels = [line for line in text.splitlines() if line.strip().startswith("observation:")]
    assert levels, "the sample has observations"
    first = levels[0]
    value = first.split(":", 1)[1].strip()
    replacement = {"基本规范": "规范", "不规范": "规范", "规范": "不规范", "达标": "不达标"}.get(value)
    assert replacement, f"unexpected first observation {value}"
    path.write_text(text.replace(first, first.replace(value, replacement), 1), encoding="utf-8")


def test_warm_builds_equal_cold_builds(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", BUILD_SET)
    first = build(root, audit=False)
    assert first.site is not None and first.fresh["html"] > 0 and first.fresh["reports"] == first.evaluations

    again = build(root, audit=False)
    assert again.fresh == {"pages": 0, "html": 0, "reports": 0}, "nothing changed, nothing is made again"
    _cold(root, tmp_path / "cold-1", reports=True)
    assert differences(root / "site", tmp_path / "cold-1") == []

    _edit_score(root)
    edited = build(root, audit=False)
    assert edited.fresh["pages"] == 2, "the edited evaluation and the one that names it as previous"
    assert edited.fresh["reports"] == 2, "the edited evaluation's report and the one comparing with it"
    assert 0 < edited.fresh["html"] < first.fresh["html"] / 2
    _cold(root, tmp_path / "cold-2", reports=True)
    assert differences(root / "site", tmp_path / "cold-2") == []
    assert differences(tmp_path / "cold-1", tmp_path / "cold-2"), "the edit shows in the output"


def test_removed_evaluation_disappears_from_a_warm_build(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", BUILD_SET)
    build(root, reports=False, audit=False)
    shutil.rmtree(root / "evaluations" / "2024-shexian-county")
    warm = build(root, reports=False, audit=False)
    assert warm.evaluations == 4
    _cold(root, tmp_path / "cold", reports=False)
    assert differences(root / "site", tmp_path / "cold") == []
    assert not list((root / "site").rglob("2024-shexian-county*"))


def test_system_edit_redoes_the_evaluations_that_use_it(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", BUILD_SET)
    build(root, reports=False, audit=False)
    system = next((root / "indicators").glob("haochaping/system.yaml"))
    text = system.read_text(encoding="utf-8")
    system.write_text(text.replace("name: ", "name: 修订 ", 1), encoding="utf-8")
    warm = build(root, reports=False, audit=False)
    users = [
        p for p in (root / "evaluations").iterdir() if "haochaping" in (p / "evaluation.yaml").read_text()
    ]
    assert warm.fresh["pages"] == len(users) > 0
    _cold(root, tmp_path / "cold", reports=False)
    assert differences(root / "site", tmp_path / "cold") == []
