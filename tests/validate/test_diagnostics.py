"""Every diagnostic code fires on a small repository, at the right file, line and column; all are documented.

The cases are data: ``tests/fixtures/invalid/<CODE>-<what>/`` (see ``fixturelib``). Adding a case is adding a
folder; ``python tests/make_expected.py <folder>`` writes its ``expected.txt``, which must then be read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixturelib import (
    DOC,
    GENERATED,
    INVALID,
    MINIMAL,
    build,
    case_env,
    case_exit,
    cases,
    check,
    command,
    expected_lines,
    first_lines,
    zwpj,
)

from generator.messages import MESSAGES, SEVERITY_ZH, catalogue_markdown

CASES = cases()
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>错误|警告|待办) (?P<code>[EWT]\d{3}) \S"
)


def _code(case: Path) -> str:
    return case.name.split("-")[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_prints_exactly_the_expected_diagnostics_and_exit_code(case: Path, tmp_path: Path) -> None:
    """One run of the case's command prints exactly the expected lines, without a traceback, and exits as
    its findings say: errors give exit code 1 (2 for a refused command-line argument, the case's
    ``exit``); a case with only warnings gives 0, and 1 under --strict; to-dos never block, not even
    under --strict."""
    root = build(case, tmp_path / "repo")
    args, env, lines = command(case, root), case_env(case), expected_lines(case)
    run = zwpj(*args, env=env)
    assert run.exception is None, f"{case.name}: {run.exception!r}"
    assert "Traceback" not in run.stdout + run.stderr
    assert first_lines(run.stdout) == lines
    if args[0] != "check" or any(" 错误 " in line for line in lines):
        assert run.exit_code == case_exit(case)
        return
    assert run.exit_code == 0
    strict = zwpj(*args, "--strict", env=env)
    assert strict.exception is None and "Traceback" not in strict.stdout + strict.stderr
    only_todos = all(" 待办 " in line for line in lines)
    assert strict.exit_code == (0 if only_todos else case_exit(case))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_fires_its_own_code_in_a_well_formed_line(case: Path) -> None:
    lines = expected_lines(case)
    parsed = [LINE.match(line) for line in lines]
    assert lines and all(parsed), f"{case.name}: expected.txt is empty or malformed"
    assert _code(case) in {m["code"] for m in parsed if m}
    for m in parsed:
        assert m is not None and not Path(m["file"]).is_absolute() and "\\" not in m["file"]
        sev = MESSAGES[m["code"]].severity
        assert m["sev"] == SEVERITY_ZH[sev]


def test_every_code_in_the_catalogue_has_a_case() -> None:
    covered = {_code(case) for case in CASES}
    assert sorted(set(MESSAGES) - covered) == []
    assert sorted(covered - set(MESSAGES)) == []


def test_minimal_repository_is_clean(tmp_path: Path) -> None:
    run = check(MINIMAL)
    assert run.exception is None
    assert run.stdout == ""
    assert run.exit_code == 0
    assert zwpj("check", "--strict", "--root", str(MINIMAL)).exit_code == 0


def test_minimal_repository_scores(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    run = zwpj("score", str(root / "evaluations" / "2024-mini"), "--format", "json", "--root", str(root))
    assert run.exit_code == 0, run.stdout + run.stderr
    assert '"grade"' in run.stdout
    assert (root / "build" / "scores" / "2024-mini.json").is_file()


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    for path in (root / "evaluations/2024-mini/evaluation.yaml", root / "indicators/mini/system.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run = check(root)
    assert (run.exit_code, run.stdout) == (0, "")


def test_utf16_file_names_the_encoding(tmp_path: Path) -> None:
    """Notepad's "Unicode" (UTF-16 with a BOM) is the other common Windows mistake."""
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    path = root / "evaluations/2024-mini/scores/result.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert first_lines(check(root).stdout) == [
        "evaluations/2024-mini/scores/result.yaml:1:1: 错误 E102 文件不是 UTF-8 编码（看起来是 UTF-16）"
        "（file is not UTF-8 (looks like UTF-16)）"
    ]


def test_all_problems_across_files_in_one_run(tmp_path: Path) -> None:
    """Faults planted in four files (YAML of a system and an evaluation, a dataset) all come back, sorted."""
    names = ["E201-unknown-key", "E303-grade-band-gap", "E415-duplicate-person-id", "E602-dataset-bad-date"]
    root = build(INVALID / names[0], tmp_path / "repo")
    for name in names[1:]:
        _overlay(INVALID / name, root)
    lines = first_lines(check(root).stdout)
    assert sorted(lines) == sorted(line for name in names for line in expected_lines(INVALID / name))
    assert lines == sorted(lines, key=lambda s: (s.split(":")[0], int(s.split(":")[1]), int(s.split(":")[2])))


def _overlay(case: Path, root: Path) -> None:
    for file in case.rglob("*"):
        if file.is_file() and file.name != "expected.txt":
            shutil.copyfile(file, root / file.relative_to(case))


def test_the_docs_list_every_code_as_the_catalogue_says() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert GENERATED in text, "docs/diagnostics.md lost its generated part"
    assert text.split(GENERATED)[1].strip() == catalogue_markdown().strip(), (
        "docs/diagnostics.md is out of date: run python tests/make_expected.py --docs"
    )
    for code, message in MESSAGES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {code} |"))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert len(cells) == 5 and all(cells), f"{code}: empty cell in {row}"
        assert message.title in cells[2]


def test_every_code_has_a_how_to_fix_hint() -> None:
    for code, message in MESSAGES.items():
        fix = message.fix or message.hint
        assert fix and not re.fullmatch(r"\{[a-z_]+\}", fix), f"{code} needs a hint, or a fix for the docs"


@pytest.mark.parametrize("name", ["E105-alias-bomb", "E108-nesting-too-deep", "E604-dataset-unreadable"])
def test_the_installed_command_exits_cleanly_on_hostile_input(name: str, tmp_path: Path) -> None:
    """Through a real process: no traceback, no crash of the interpreter, exit code 1."""
    root = build(INVALID / name, tmp_path / "repo")
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert first_lines(proc.stdout) == expected_lines(INVALID / name)
