"""Upgrading: the generator's version and changelog, and published totals recorded with the version
that scored them, so that ``zwpj check`` names the results a new version would change (W771)."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from buildlib import ROOT
from fixturelib import MINIMAL, first_lines, zwpj

from generator import __version__

EVALUATION = "evaluations/2024-mini"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _repo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / "repo"))


def test_the_version_is_one_figure_and_the_changelog_describes_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    changelog = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    heading = re.search(rf"^## {re.escape(__version__)}\b", changelog, re.M)
    assert heading, "docs/changelog.md lacks this version"
    upgrade = (ROOT / "docs" / "upgrade.md").read_text(encoding="utf-8")
    assert "zwpj score" in upgrade and "--record" in upgrade and "W771" in upgrade


def test_a_recorded_total_keeps_check_quiet_until_the_total_changes(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    path = root / EVALUATION / "evaluation.yaml"
    before = path.read_text(encoding="utf-8")
    run = zwpj("score", str(root / EVALUATION), "--record", "--root", str(root))
    assert run.exit_code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.split("published:")[0])  # comments and layout above it untouched
    assert f"scored_with:\n  generator: {__version__}\n  total: 74.4\n" in after
    assert zwpj("check", "--strict", "--root", str(root)).exit_code == 0
    # a later change of method (here: an observation edited) moves the total away from the record
    scores = root / EVALUATION / "scores" / "capability.yaml"
    _replace(scores, "observation: 中", "observation: 差")
    run = zwpj("check", "--root", str(root))
    (line,) = [x for x in first_lines(run.stdout) if "W771" in x]
    assert line.startswith(f"{EVALUATION}/evaluation.yaml:")
    assert f"发布的总分 74.4 由生成器 {__version__} 算出" in line
    assert run.exit_code == 0 and zwpj("check", "--strict", "--root", str(root)).exit_code == 1
    # recording again after review makes the new total the published one
    assert zwpj("score", str(root / EVALUATION), "--record", "--root", str(root)).exit_code == 0
    assert path.read_text(encoding="utf-8").count("scored_with:") == 1
    assert zwpj("check", "--strict", "--root", str(root)).exit_code == 0


def test_an_evaluation_with_errors_is_not_recorded(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    scores = root / EVALUATION / "scores" / "capability.yaml"
    _replace(scores, "observation: 中", "observation: 极好")
    path = root / EVALUATION / "evaluation.yaml"
    before = path.read_text(encoding="utf-8")
    run = zwpj("score", str(root / EVALUATION), "--record", "--root", str(root))
    assert run.exit_code == 1 and "E405" in run.stdout
    assert path.read_text(encoding="utf-8") == before
