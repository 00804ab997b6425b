"""The tests' folders mirror the generator's stages: a test file lives in the folder of what it tests."""

from __future__ import annotations

from testpaths import ROOT, TESTS

FOLDERS = {
    "load": "generator/load",
    "validate": "generator/validate",
    "score": "generator/score",
    "render": "generator/render",
    "build": "generator/build",
    "cli": "generator/cli.py",
    "tools": "generator/review, generator/sheet, generator/analyze",
    "codebase": "the whole package: imports, wording, types, declared dependencies",
}
"""Each folder of tests/ and what it tests."""


def test_every_test_file_is_in_a_stage_folder() -> None:
    placed = {path.relative_to(TESTS).parts[0] for path in TESTS.rglob("test_*.py")}
    stray = sorted(path.name for path in TESTS.glob("test_*.py"))
    assert stray == [], f"move these into the folder of the stage they test ({', '.join(FOLDERS)})"
    assert placed <= set(FOLDERS), sorted(placed - set(FOLDERS))


def test_the_stage_folders_are_the_generators() -> None:
    for folder, tested in FOLDERS.items():
        assert (TESTS / folder).is_dir(), folder
        if tested.startswith("generator/"):
            assert all((ROOT / part.strip()).exists() for part in tested.split(",")), tested
