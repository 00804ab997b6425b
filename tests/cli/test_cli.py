"""The command line as a user meets it: exit codes, output formats, ``new``, help and documentation."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fixturelib import INVALID, MINIMAL, build, check, first_lines, zwpj
from testpaths import ROOT

from generator.cli import main

CLI_DOC = ROOT / "docs" / "cli.md"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A writable copy of the minimal repository."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "repo"))


# --- exit codes -----------------------------------------------------------------------------------


def test_exit_0_when_clean(repo: Path) -> None:
    run = check(repo)
    assert run.exit_code == 0
    assert "未发现问题" in run.stderr


def test_exit_1_on_content_errors(tmp_path: Path) -> None:
    run = check(build(INVALID / "E411-unknown-person", tmp_path / "repo"))
    assert run.exit_code == 1
    assert "1 个错误，0 个警告" in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-such-option"],
        ["check", "--format", "xml"],
        ["check", "no/such/path"],
        ["score"],
        ["new", "2025-x"],
        ["no-such-command"],
    ],
)
def test_exit_2_on_usage_errors(args: list[str], repo: Path) -> None:
    run = zwpj(*args, "--root", str(repo)) if args[0] != "no-such-command" else zwpj(*args)
    assert run.exit_code == 2
    assert run.exception is None
    assert "Usage:" in run.stderr or "用法" in run.stderr


def test_score_refuses_a_folder_that_is_not_an_evaluation(repo: Path) -> None:
    run = zwpj("score", str(repo / "indicators"), "--root", str(repo))
    assert run.exit_code == 2


def test_strict_turns_a_warning_into_exit_1(tmp_path: Path) -> None:
    root = build(INVALID / "W701-evidence-before-period", tmp_path / "repo")
    assert check(root).exit_code == 0
    run = check(root, "--strict")
    assert run.exit_code == 1
    assert "W701" in run.stdout


def test_check_of_one_evaluation_folder_or_file(tmp_path: Path) -> None:
    root = build(INVALID / "E411-unknown-person", tmp_path / "repo")
    score_file = root / "evaluations/2024-mini/scores/capability.yaml"
    for target in (root / "evaluations/2024-mini", score_file):
        run = zwpj("check", str(target), "--root", str(root))
        assert run.exit_code == 1
        assert [line.split(" ")[2] for line in first_lines(run.stdout)] == ["E411"]


# --- formats --------------------------------------------------------------------------------------


def test_json_format_is_parseable_with_locations(tmp_path: Path) -> None:
    root = build(INVALID / "E201-unknown-key", tmp_path / "repo")
    run = zwpj("check", "--format", "json", "--root", str(root))
    assert run.exit_code == 1
    (item,) = json.loads(run.stdout)
    assert {k: item[k] for k in ("file", "line", "column", "code", "severity")} == {
        "file": "evaluations/2024-mini/scores/capability.yaml",
        "line": 11,
        "column": 5,
        "code": "E201",
        "severity": "error",
    }
    assert item["message"] == "未知的键“evaluator”，是不是“evaluators”？"
    assert item["message_en"] == "unknown key 'evaluator', did you mean 'evaluators'?"
    assert "evaluators" in item["hint"]


def test_json_format_of_a_clean_repository_is_an_empty_list(repo: Path) -> None:
    run = zwpj("check", "--format", "json", "--root", str(repo))
    assert (run.exit_code, json.loads(run.stdout)) == (0, [])


def test_github_format_annotates_the_line(tmp_path: Path) -> None:
    root = build(INVALID / "E405-wrong-level-name", tmp_path / "repo")
    run = zwpj("check", "--format", "github", "--root", str(root))
    (line,) = run.stdout.splitlines()
    where = "file=evaluations/2024-mini/scores/capability.yaml,line=10,col=18"
    assert line.startswith(f"::error {where},title=E405::")


def test_github_format_warnings_and_whole_file_problems(tmp_path: Path) -> None:
    """A warning is ::warning; a whole-file problem (line 0) still points at line 1, which GitHub requires."""
    root = build(INVALID / "W701-evidence-before-period", tmp_path / "repo")
    assert zwpj("check", "--format", "github", "--root", str(root)).stdout.startswith("::warning file=")
    root = build(INVALID / "E104-file-too-large", tmp_path / "big")
    line = zwpj("check", "--format", "github", "--root", str(root)).stdout
    assert line.startswith("::error file=evaluations/2024-mini/scores/capability.yaml,line=1,col=1,")


# --- new ------------------------------------------------------------------------------------------


def _new(repo: Path, evaluation_id: str = "2025-mini") -> Path:
    run = zwpj("new", evaluation_id, "--system", "mini", "--title", "2025年度示例评价", "--root", str(repo))
    assert run.exit_code == 0, run.stdout + run.stderr
    return repo / "evaluations" / evaluation_id


def test_new_lists_every_leaf_indicator(repo: Path) -> None:
    folder = _new(repo)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((folder / "scores").glob("*.yaml")))
    listed = re.findall(r"^  ([A-Z][\w.]*):$", text, flags=re.M)
    assert sorted(listed) == ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]


def test_new_yaml_files_point_editors_at_the_schema(repo: Path) -> None:
    folder = _new(repo)
    yamls = sorted(folder.rglob("*.yaml"))
    assert len(yamls) >= 3
    for path in yamls:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema.parent == (repo / "schema").resolve()
        assert schema.name in {"evaluation.schema.json", "scores.schema.json"}


def test_new_folder_passes_check_with_what_is_left_to_fill_as_to_dos(repo: Path) -> None:
    """What is left to fill is reported, nothing about broken files: at 准备中 every record is a to-do
    (placeholders, missing preparation records, unscored indicators, datasets), never an error."""
    folder = _new(repo)
    run = zwpj("check", str(folder), "--root", str(repo))
    assert run.exit_code == 0, run.stdout
    codes = {line.split(" ")[2] for line in first_lines(run.stdout)}
    assert codes == {"T901", "T902", "T903", "T904"}, codes  # no E404, no unknown organisation
    assert all(line.startswith("evaluations/2025-mini/") for line in first_lines(run.stdout))


def test_new_refuses_an_existing_folder(repo: Path) -> None:
    before = (repo / "evaluations/2024-mini/evaluation.yaml").read_bytes()
    run = zwpj("new", "2024-mini", "--system", "mini", "--root", str(repo))
    assert run.exit_code == 2
    assert "已存在" in run.stderr
    assert (repo / "evaluations/2024-mini/evaluation.yaml").read_bytes() == before


@pytest.mark.parametrize("args", [["Bad_ID", "--system", "mini"], ["2025-x", "--system", "no-such-system"]])
def test_new_usage_mistakes(args: list[str], repo: Path) -> None:
    run = zwpj("new", *args, "--root", str(repo))
    assert run.exit_code == 2
    assert not (repo / "evaluations" / args[0]).exists()


# --- help and documentation -----------------------------------------------------------------------

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    run = zwpj(name, "--help")
    assert run.exit_code == 0
    assert run.stdout.startswith(f"Usage: main {name}") or run.stdout.startswith(f"Usage: zwpj {name}")
    assert main.commands[name].help, f"{name} has no description"


def test_top_level_help_lists_every_command() -> None:
    run = zwpj("--help")
    assert run.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"^  {re.escape(name)}\s", run.stdout, flags=re.M), name


def _doc_sections() -> dict[str, str]:
    text = CLI_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## zwpj (\S+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_is_documented(name: str) -> None:
    section = _doc_sections().get(name)
    assert section is not None, f"docs/cli.md has no '## zwpj {name}' section"
    for param in main.commands[name].params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in section or f", {opt}" in section, f"{name}: {opt} is not documented"
    assert f"zwpj {name}" in section.split("```bash")[1], f"{name}: no example"


def test_docs_document_no_command_that_does_not_exist() -> None:
    assert sorted(_doc_sections()) == COMMANDS


def test_readme_points_to_the_command_and_code_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/cli.md" in readme
    assert "docs/diagnostics.md" in readme
