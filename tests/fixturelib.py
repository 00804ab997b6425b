"""Build the repositories the diagnostic fixtures describe, and run ``zwpj`` on them.

A case folder ``tests/fixtures/invalid/<CODE>-<what>/`` is an *overlay* on ``tests/fixtures/valid/minimal``:
the test copies minimal into a temporary folder, applies the optional ``fixture.yaml``, then copies every
other file of the case over it, keeping its relative path. So a case holds only the files it changes, and
``expected.txt`` holds the first line of each diagnostic the command prints. ``fixture.yaml`` may say:

``copy``      {from: to} inside the repository, before the overlay (e.g. a second edition of a system);
``delete``    [paths] to remove before the overlay;
``oversize``  [paths] to pad past the YAML size cap after the overlay (2 MB is never committed);
``symlink``   {path: target} symbolic links made after the overlay; ``{outside}`` in a target stands for a
              folder beside the repository holding ``secret.txt`` (never read by a correct tool);
``fifo``      [paths] named pipes made after the overlay (a reader that opens one would hang);
``sheet``     {export: evaluation folder, file: name, edit: [...]}: run ``export-sheet`` before the overlay
              (so overlay files are edits made after the export), then change cells as a user would:
              ``{sheet, indicator, column, value}`` by indicator id and header, or ``{sheet, cell, value}``
              (a value starting with ``=`` becomes a formula, a date a date cell); ``prepare``
              [{file, old, new}] edits repository files before the export;
``command``   the zwpj arguments, ``{root}`` standing for the repository (default: ``check --format text``);
``env``       environment variables for the command (a lowered bound, e.g. ``ZWPJ_MEASURE_SECONDS``);
``exit``      the exit code the command ends with (default 1; 2 for a refused command-line argument).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from generator.cli import main
from generator.load.yamlsource import MAX_FILE_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
INVALID = FIXTURES / "invalid"
DOC = Path(__file__).parent.parent / "docs" / "diagnostics.md"
"""The page that lists every code; its table is ``catalogue_markdown()`` after the GENERATED line."""
GENERATED = "<!-- 以下由代码目录生成（python tests/make_expected.py --docs），请勿手工修改 -->"
CONTROL_FILES = {"expected.txt", "fixture.yaml"}
"""Files of a case that describe it rather than belong to the repository."""


@dataclass(frozen=True)
class Run:
    """What one ``zwpj`` invocation produced."""

    exit_code: int
    """Process exit code."""
    stdout: str
    """Standard output."""
    stderr: str
    """Standard error."""
    exception: BaseException | None
    """An exception that escaped the command (never expected)."""


def cases() -> list[Path]:
    """Every invalid case folder, sorted by name (so by code)."""
    return sorted(p for p in INVALID.iterdir() if p.is_dir())


def build(case: Path, dest: Path) -> Path:
    """Materialise ``case`` as a repository at ``dest`` (which must not exist) and return it."""
    shutil.copytree(MINIMAL, dest)
    setup = _setup(case)
    for source, target in (setup.get("copy") or {}).items():
        _copy(dest / source, dest / target)
    for rel in setup.get("delete") or []:
        path = dest / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if setup.get("sheet"):
        _export_sheet(dest, setup["sheet"])
    for file in sorted(case.rglob("*")):
        rel = file.relative_to(case)
        if file.is_file() and rel.as_posix() not in CONTROL_FILES:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, dest / rel)
    for rel in setup.get("oversize") or []:
        _oversize(dest / rel)
    for rel, target in (setup.get("symlink") or {}).items():
        outside = _outside(dest)
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(str(target).replace("{outside}", str(outside)), dest / rel)
    for rel in setup.get("fifo") or []:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(dest / rel)
    return dest


SECRET = "OUTSIDE-SECRET-2f9c"
"""What the file outside a fixture repository holds: it must never appear in any output."""


def _outside(repo: Path) -> Path:
    """A folder beside the repository with a secret file and folder, for links that lead out."""
    outside = repo.parent / "outside"
    if not outside.is_dir():
        (outside / "folder").mkdir(parents=True)
        (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
        (outside / "folder" / "evaluation.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    return outside


def _setup(case: Path) -> dict:
    path = case / "fixture.yaml"
    if not path.is_file():
        return {}
    return YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _oversize(path: Path) -> None:
    """Pad a file with YAML comments until it is one byte over the size cap (never committed: 2 MB)."""
    size = path.stat().st_size
    filler = b"#" * 99 + b"\n"
    missing = MAX_FILE_BYTES + 1 - size
    with path.open("ab") as fh:
        fh.write(filler * (missing // len(filler)) + b"#" * (missing % len(filler)))


def _export_sheet(root: Path, spec: dict) -> None:
    """Export a score sheet from the repository, then edit its cells like a user in Excel would."""
    from openpyxl import load_workbook

    for change in spec.get("prepare") or []:
        path = root / change["file"]
        text = path.read_text(encoding="utf-8")
        assert change["old"] in text, change
        path.write_text(text.replace(change["old"], change["new"], 1), encoding="utf-8")
    out = root / spec["file"]
    run = zwpj("export-sheet", str(root / spec["export"]), "-o", str(out), "--root", str(root))
    assert run.exit_code == 0, run.stdout + run.stderr
    book = load_workbook(out)
    for edit in spec.get("edit") or []:
        ws = book[edit["sheet"]]
        if "cell" in edit:
            ws[edit["cell"]] = edit["value"]
            continue
        headers = {cell.value: cell.column for cell in ws[1]}
        ids = {ws.cell(r, headers["编号"]).value: r for r in range(2, ws.max_row + 1)}
        row = ids[edit["indicator"]]
        ws.cell(row, headers[edit["column"]]).value = edit["value"]
    book.save(out)


def command(case: Path, root: Path) -> list[str]:
    """The zwpj arguments a case runs, with ``{root}`` filled in and ``--root`` added."""
    args = _setup(case).get("command") or ["check", "--format", "text"]
    return [str(a).replace("{root}", str(root)) for a in args] + ["--root", str(root)]


def run_case(case: Path, tmp: Path) -> Run:
    """Build the case under ``tmp`` and run its command."""
    root = build(case, tmp / "repo")
    return zwpj(*command(case, root), env=case_env(case))


def case_exit(case: Path) -> int:
    """The exit code a case's command ends with (``exit``, default 1)."""
    return int(_setup(case).get("exit", 1))


def case_env(case: Path) -> dict[str, str] | None:
    """The environment a case's command runs with (None: unchanged)."""
    return _setup(case).get("env")


def zwpj(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run the CLI in-process, stdout and stderr apart."""
    result = CliRunner().invoke(main, list(args), env=env)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stdout, result.stderr, exception)


def check(root: Path, *extra: str) -> Run:
    """``zwpj check --format text --root <root>`` plus ``extra`` options."""
    return zwpj("check", "--format", "text", "--root", str(root), *extra)


def first_lines(output: str) -> list[str]:
    """The first line of each diagnostic (hints are indented on the lines after it)."""
    return [line for line in output.splitlines() if line and not line.startswith(" ")]


def expected_lines(case: Path) -> list[str]:
    """The lines ``expected.txt`` promises."""
    return [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
