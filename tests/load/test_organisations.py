"""The organisation tree under hostile input: deep chains, cycles, long names, brackets without end."""

from __future__ import annotations

import shutil
from pathlib import Path

from fixturelib import MINIMAL

from generator.load.organisations import split_person
from generator.pipeline import check

EVALUATION = "evaluations/2024-mini/evaluation.yaml"


def _repo(tmp_path: Path, extra: str, replace: tuple[str, str] | None = None) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    with (root / "organisations.yaml").open("a", encoding="utf-8") as fh:
        fh.write(extra)
    if replace:
        path = root / EVALUATION
        path.write_text(path.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")
    return root


def test_a_unit_thousands_of_levels_below_the_evaluated_party_is_found_and_the_path_is_cut(
    tmp_path: Path,
) -> None:
    depth = 3000
    chain = "".join(
        f"  - id: unit-{i}\n    name: 第{i}科\n    parent: {'city-data' if i == 0 else f'unit-{i - 1}'}\n"
        for i in range(depth)
    )
    root = _repo(tmp_path, chain, ("affiliation: 示例大学公共管理学院", f"affiliation: 第{depth - 1}科"))
    (conflict,) = [d for d in check(root).diagnostics if d.code == "E412"]
    chain_text = f"第{depth - 1}科 ← 第{depth - 2}科 ← 第{depth - 3}科 ← … ← 第0科 ← 示例市数据资源局"
    assert chain_text in conflict.message_zh


def test_a_long_cycle_is_reported_on_its_members_only(tmp_path: Path) -> None:
    size = 500
    ring = "".join(
        f"  - id: ring-{i}\n    name: 环{i}\n    parent: ring-{(i + 1) % size}\n" for i in range(size)
    )
    root = _repo(tmp_path, ring + "  - id: tail\n    name: 尾\n    parent: ring-0\n")
    found = [d for d in check(root).diagnostics if d.code == "E419"]
    assert len(found) == size and all(d.file == "organisations.yaml" for d in found)


def test_an_unending_name_is_refused_quickly_and_shown_cut(tmp_path: Path) -> None:
    name = "（" * 200_000 + "）"
    root = _repo(tmp_path, "", ("affiliation: 示例大学公共管理学院", f"affiliation: {name}"))
    (unknown,) = [d for d in check(root).diagnostics if d.code == "E418"]
    assert len(unknown.message_zh) < 200
    assert split_person("（" * 200_000 + "张三）") == ("（" * 199_999, "张三")


def test_names_differing_only_in_bracket_width_and_spaces_are_the_same_organisation(tmp_path: Path) -> None:
    root = _repo(tmp_path, "", ("affiliation: 示例大学公共管理学院", "affiliation: 示例大学 公共管理学院"))
    assert [d.code for d in check(root).diagnostics] == []
