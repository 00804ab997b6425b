"""What a Chinese team types in the YAML is read as the rule's own form: the same result as the
canonical spelling, in every output; what cannot be read is a located error with the accepted forms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fixturelib import MINIMAL, first_lines, zwpj

from generator.pipeline import check, score_all
from generator.render.calculator import export_inputs

FOLDER = "evaluations/2024-mini"


def _repo(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / name))


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / FOLDER / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _card_and_inputs(root: Path):  # type: ignore[no-untyped-def]
    checked = check(root)
    assert [d for d in checked.diagnostics if d.code[0] == "E"] == []
    (card,) = score_all(checked).values()
    (loaded,) = checked.repo.evaluations
    system = checked.repo.system_for(loaded.evaluation)
    return card, json.dumps(export_inputs(loaded, system, {}), sort_keys=True, default=str)


@pytest.mark.parametrize(
    ("rel", "canonical", "typed"),
    [
        ("scores/capability.yaml", "observation: 达标", "observation: 是"),
        ("scores/capability.yaml", "observation: 92", 'observation: "92%"'),
        ("scores/capability.yaml", "observation: 92", 'observation: "９２％"'),
        ("scores/capability.yaml", "observation: 92", 'observation: "920/1000"'),
        ("scores/capability.yaml", "observation: false", "observation: 否"),
        ("scores/result.yaml", "      late: 1", "      超时未答复: 1"),
    ],
)
def test_a_spelling_a_person_types_scores_as_the_canonical_one(
    tmp_path: Path, rel: str, canonical: str, typed: str
) -> None:
    reference = _repo(tmp_path, "canonical")
    edited = _repo(tmp_path, "typed")
    _replace(edited, rel, canonical, typed)
    want_card, want_inputs = _card_and_inputs(reference)
    got_card, got_inputs = _card_and_inputs(edited)
    assert (got_card.total, got_card.grade) == (want_card.total, want_card.grade)
    assert [(i.id, i.points) for i in got_card.indicators] == [(i.id, i.points) for i in want_card.indicators]
    if "/" not in typed:  # the calculator reads what the scorer reads (930/1000 is a mapping there)
        assert got_inputs == want_inputs


@pytest.mark.parametrize(
    ("rel", "old", "new", "hint"),
    [
        ("scores/capability.yaml", "observation: 达标", "observation: 对", "是/否 或 true/false"),
        ("scores/capability.yaml", "observation: 92", 'observation: "92 percent"', "百分数（93%）"),
        ("scores/capability.yaml", "observation: false", "observation: 没有", "存在/不存在、是/否"),
        ("scores/result.yaml", "      late: 1", "      迟复: 1", "超时未答复、答复错误"),
    ],
)
def test_a_spelling_that_cannot_be_read_is_located_with_the_accepted_forms(
    tmp_path: Path, rel: str, old: str, new: str, hint: str
) -> None:
    root = _repo(tmp_path, "repo")
    _replace(root, rel, old, new)
    line = next(
        n for n, text in enumerate((root / FOLDER / rel).read_text("utf-8").splitlines(), 1) if new in text
    )
    run = zwpj("check", "--root", str(root))
    assert run.exit_code == 1
    (found,) = [x for x in first_lines(run.stdout) if " E405 " in x]
    assert found.startswith(f"{FOLDER}/{rel}:{line}:")
    assert hint in run.stdout


@pytest.mark.parametrize(("typed", "internal"), [("是", True), ("否", False), ("true", True)])
def test_a_yes_no_field_takes_shi_and_fou(tmp_path: Path, typed: str, internal: bool) -> None:
    root = _repo(tmp_path, "repo")
    _replace(
        root,
        "evaluation.yaml",
        "    minutes: records/kickoff.md\n",
        f"    minutes: records/kickoff.md\n    internal: {typed}\n",
    )
    checked = check(root)
    assert checked.diagnostics == []
    (loaded,) = checked.repo.evaluations
    assert loaded.evaluation.activities[0].internal is internal


def test_a_yes_no_field_refuses_another_word_with_the_accepted_form(tmp_path: Path) -> None:
    root = _repo(tmp_path, "repo")
    _replace(
        root,
        "evaluation.yaml",
        "    minutes: records/kickoff.md\n",
        "    minutes: records/kickoff.md\n    internal: 也许\n",
    )
    run = zwpj("check", "--root", str(root))
    (found,) = first_lines(run.stdout)
    assert " E202 " in found and found.startswith(f"{FOLDER}/evaluation.yaml:")
    assert "是/否（true/false）" in run.stdout
