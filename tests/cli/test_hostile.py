"""The hostile-input suite: each case in its own process under CPU-time and memory limits.

A case must end with its exit code and exactly its diagnostics (code and place), with no
traceback, without writing or deleting anything in the repository (beyond the cache and what the
case allows), without touching the folder beside it, and without quoting that folder's secret.
The cases are data: ``hostile.py``.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixturelib import MINIMAL, first_lines
from hostile import CASES, SECRET, Case

pytestmark = pytest.mark.slow  # every hostile input through the CLI: minutes


CPU_SECONDS = 120
"""CPU time a case may use (its process and the workers it forks each get this bound)."""
MEMORY = 1536 << 20
"""Address space a case may use: a runaway allocation fails fast instead of swapping the machine."""
IGNORED = ("repo/.cache",)
"""Written by any run and never read as content: the build cache."""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` → what it is (content hash, link target, or kind), without
    following links or opening pipes."""
    found = {}
    for top, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir" if path.is_dir() else "special"
    return found


def _changed(before: dict[str, str], after: dict[str, str], allowed: tuple[str, ...]) -> list[str]:
    keys = set(before) | set(after)
    return sorted(
        k
        for k in keys
        if before.get(k) != after.get(k) and not k.startswith(IGNORED) and not k.startswith(allowed)
    )


def _prepare(case: Case, tmp: Path) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp / "repo", ignore=shutil.ignore_patterns(".cache")))
    out = tmp / "outside"
    (out / "folder").mkdir(parents=True)
    (out / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (out / "folder" / "evaluation.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    case.setup(root)
    return root


def _fill(text: str, root: Path) -> str:
    return text.replace("{root}", str(root)).replace("{outside}", str(root.parent / "outside"))


def _command(case: Case, root: Path) -> list[str]:
    filled = [_fill(a, root) for a in case.args]
    if "--root" not in filled:
        filled += ["--root", str(root)]
    return [sys.executable, "-m", "generator.cli", *filled]


def test_the_suite_is_large_enough() -> None:
    families = {c.name.split("-")[0] for c in CASES}
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)
    assert families >= {"yaml", "md", "xlsx", "csv", "parquet", "sql", "cli", "fs"}
    assert families >= {"org", "body", "pub", "cal", "agg", "weight", "tpl", "verify", "sign", "analyze"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    root = _prepare(case, tmp_path)
    before = _snapshot(tmp_path)
    env = {**os.environ, "PYTHONHASHSEED": "0", **{k: _fill(v, root) for k, v in case.env.items()}}
    done = subprocess.run(
        _command(case, root),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limits,
        cwd=tmp_path,
        env=env,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == case.exit, output
    assert [" ".join(line.split(" ")[:3]) for line in first_lines(done.stdout)] == list(case.lines), (
        done.stdout
    )
    for words in case.stderr:
        assert words in done.stderr, done.stderr
    for words in case.stdout:
        assert words in done.stdout, done.stdout
    assert SECRET not in output, "a file outside the repository was read into the output"
    assert _changed(before, _snapshot(tmp_path), case.writes) == [], "something was written or deleted"
