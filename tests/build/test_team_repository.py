"""A team's own repository: the tool's tests keep passing whatever evaluations the team adds.

The repository is both the tool and the team's data. The tool's tests read their own frozen copy of
the samples (``tests/fixtures/samples``); the team's data is checked by ``zwpj check``. Here a copy of
the whole repository gets what a team does in its first weeks: new evaluations made with ``zwpj new``
(one filled through the score sheet), a sample evaluation edited and another deleted. Then both the
tool's tests that once read the live ``evaluations/`` folder and ``zwpj check`` run in the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildlib import ROOT, SAMPLE_EVALUATIONS

VENV_BIN = Path(sys.executable).parent
TOOL_TESTS = [
    "tests/score/test_pinned_figures.py",
    "tests/validate/process/test_process_samples.py",
    "tests/score/test_published_methods.py",
    "tests/load/test_schema.py",
    "tests/tools/test_diff_new_evaluation.py",
    "tests/build/test_build_cache.py::test_previous_map_equals_previous_of",
]
"""Tool tests that once read the live evaluations/ (pinned figures, sample counts, schema of every file)."""


def copy_repository(dest: Path) -> Path:
    """The repository's files as a checkout has them (tracked and new, never ignored build output)."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


def zwpj(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "zwpj"), *args], cwd=root, capture_output=True, text=True, timeout=600
    )


def fill_sheet(path: Path) -> None:
    """A colleague's edits in Excel: a level and a percentage."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["评分表"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, headers["编号"]).value: r for r in range(2, sheet.max_row + 1)}
    for ind_id, value in (("A1.1", "规范"), ("A1.3", 98.6)):
        sheet.cell(rows[ind_id], headers["观测值"]).value = value
    book.save(path)


@pytest.mark.slow
def test_a_teams_evaluations_leave_the_tool_tests_and_check_passing(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "team")
    evaluations = root / "evaluations"
    # a scaffold straight from zwpj new
    done = zwpj(root, "new", "2025-xuancheng-platform", "--system", "db34-3556-sample")
    assert done.returncode == 0, done.stderr
    # another one filled through the score sheet
    done = zwpj(root, "new", "2025-wuhu-platform", "--system", "db34-3556-sample")
    assert done.returncode == 0, done.stderr
    sheet = root / "评分表.xlsx"
    done = zwpj(root, "export-sheet", "evaluations/2025-wuhu-platform", "-o", str(sheet))
    assert done.returncode == 0, done.stderr
    fill_sheet(sheet)
    done = zwpj(root, "import-sheet", "evaluations/2025-wuhu-platform", str(sheet))
    assert done.returncode == 0, done.stdout + done.stderr
    scores = (evaluations / "2025-wuhu-platform" / "scores" / "a.yaml").read_text(encoding="utf-8")
    assert "observation: 规范" in scores
    sheet.unlink()
    # a sample edited (its total changes) and one deleted, as a team replacing the examples would
    edited = evaluations / "2024-hefei-platform" / "scores" / "capability.yaml"
    text = edited.read_text(encoding="utf-8")
    assert "observation: 规范" in text
    edited.write_text(text.replace("observation: 规范", "observation: 基本规范", 1), encoding="utf-8")
    shutil.rmtree(evaluations / "2024-shexian-county")
    assert "2024-shexian-county" in SAMPLE_EVALUATIONS

    check = zwpj(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2025-xuancheng-platform" in check.stdout and "0 个错误" in check.stderr, check.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *TOOL_TESTS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_ci_runs_the_tool_tests_then_checks_the_teams_data() -> None:
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert lines == ["scripts/test.sh", ".venv/bin/zwpj check"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "tests/fixtures/samples/" in readme and "由\n`zwpj check` 校验" in readme


LIVE_DATA = re.compile(
    r"""(ROOT|REPO)\s*/\s*["'](evaluations|bodies|organisations\.yaml|publishing\.yaml|calendar\.yaml)["']"""
    r"""|\b(check|load_repository|build|render_all)\(\s*(ROOT|REPO)\b"""
    r"""|["']--root["'],\s*str\((ROOT|REPO)\)"""
)
"""Ways a test would read the project's own team data instead of the frozen samples."""


def test_no_tool_test_reads_the_live_team_data() -> None:
    readers = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LIVE_DATA.search(line) and path.name not in ("buildlib.py", "test_team_repository.py"):
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == [], "use buildlib.SAMPLES / sample_root() / make_repository():\n" + "\n".join(readers)


def test_the_live_data_pattern_finds_what_it_looks_for() -> None:
    for line in ("check(ROOT)", 'ROOT / "evaluations" / x', '"--root", str(REPO)', "build(ROOT, docs_dir=d)"):
        assert LIVE_DATA.search(line), line
    for line in ("check(sample_root())", 'SAMPLES / "evaluations"', 'ROOT / "docs" / "guide.md"'):
        assert not LIVE_DATA.search(line), line
