"""Drafting: what ``zwpj new`` leaves to fill is a to-do until the stage that needs it, then an error.

Every placeholder the scaffold writes is found (one marker on both sides), at its own line; an
evaluation with unscored indicators is not scored (nor published) until they are scored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildlib import ROOT, make_repository
from fixturelib import MINIMAL, zwpj
from ruamel.yaml import YAML

from generator.pipeline import check, score_all
from generator.validate.process.drafting import NARRATIVE_NEEDED_BY, NEEDED_BY

NEW = "evaluations/2025-mini"


def _new(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    assert zwpj("new", "2025-mini", "--system", "mini", "--root", str(root)).exit_code == 0
    return root


def _placeholder_lines(root: Path) -> dict[tuple[str, int], str]:
    """(file, line) → the top-level key (or narrative name) of every line holding a placeholder."""
    found = {}
    for path in sorted((root / NEW).rglob("*")):
        if path.suffix not in {".yaml", ".md"}:
            continue
        key = path.stem
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith(" ") and ":" in line:
                key = line.split(":")[0]
            if "待填写" in line:
                found[(f"{NEW}/{path.relative_to(root / NEW).as_posix()}", number)] = key
    return found


def _codes_at(root: Path) -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = {}
    for d in check(root).diagnostics:
        out.setdefault((d.file, d.line), set()).add(d.code)
    return out


def _set_stage(root: Path, old: str, new: str) -> None:
    evaluation = root / NEW / "evaluation.yaml"
    text = evaluation.read_text(encoding="utf-8")
    assert f"stage: {old}" in text
    evaluation.write_text(text.replace(f"stage: {old}", f"stage: {new}"), encoding="utf-8")


def test_every_placeholder_is_a_to_do_until_its_stage_then_an_error(tmp_path: Path) -> None:
    root = _new(tmp_path)
    lines = _placeholder_lines(root)
    assert len(lines) >= 15  # parties, team, goals, plan, report number, title, four narratives
    codes = _codes_at(root)  # 准备中: nothing is needed yet
    for where, key in lines.items():
        assert "T902" in codes.get(where, set()), (where, key, codes.get(where))
    _set_stage(root, "准备中", "评价准备")
    codes = _codes_at(root)
    for (file, line), key in lines.items():
        needed = NARRATIVE_NEEDED_BY if file.endswith(".md") else NEEDED_BY.get(key, "评价准备")
        expected = "E516" if needed == "评价准备" else "T902"
        assert expected in codes.get((file, line), set()), (file, line, key, codes.get((file, line)))
    _set_stage(root, "评价准备", "已发布")
    codes = _codes_at(root)
    for where in lines:
        assert "E516" in codes.get(where, set()), where


SYSTEMS = sorted(p.parent.name for p in (ROOT / "indicators").glob("*/system.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("system_folder", SYSTEMS)
def test_a_fresh_scaffold_checks_clean_at_its_stage(tmp_path: Path, system_folder: str) -> None:
    """Straight from ``zwpj new``, for every indicator system shipped: no error, no warning, only to-dos.

    The preparation records it still lacks (places, schedule, sampling) are to-dos (T904) until the
    stage is 评价准备, then errors (E501) at the same place."""
    root = make_repository(tmp_path / "repo", evaluations=[])
    system = YAML(typ="safe").load((root / "indicators" / system_folder / "system.yaml").read_text("utf-8"))
    assert zwpj("new", "2025-fresh", "--system", system["id"], "--root", str(root)).exit_code == 0
    found = check(root).diagnostics
    assert found and all(d.code.startswith("T") for d in found), [str(d) for d in found if d.code[0] != "T"]
    missing = {(d.file, d.line, dict(d.args)["what_en"]) for d in found if d.code == "T904"}
    assert {what for _, _, what in missing} >= {"places", "a schedule", "sampling records"}
    evaluation = root / "evaluations" / "2025-fresh" / "evaluation.yaml"
    text = evaluation.read_text(encoding="utf-8")
    evaluation.write_text(text.replace("stage: 准备中", "stage: 评价准备"), encoding="utf-8")
    errors = {(d.file, d.line, dict(d.args)["what_en"]) for d in check(root).diagnostics if d.code == "E501"}
    assert missing <= errors


def test_a_draft_with_unscored_indicators_is_not_scored(tmp_path: Path) -> None:
    """In preparation, with one indicator not scored yet: no error, nothing blocks a commit, but no score."""
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    folder = root / "evaluations/2024-mini"
    for name, old, new in (
        ("evaluation.yaml", "stage: 已发布", "stage: 评价准备"),
        ("scores/capability.yaml", "    observation: 中\n", ""),
    ):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    checked = check(root)
    assert [d.code for d in checked.diagnostics] == ["T901"]
    assert score_all(checked) == {}
    run = zwpj("score", str(folder), "--root", str(root))
    assert run.exit_code == 1 and "暂不能评分" in run.stderr and "T901" in run.stdout
    assert zwpj("check", "--strict", "--root", str(root)).exit_code == 0
