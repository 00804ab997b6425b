"""Materialise a git revision's inputs (indicators/ and evaluations/) into a folder of its own.

``git archive`` writes only what the revision holds, so the pipeline can run on it exactly as on a
checkout, without touching the user's working tree or index.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

INPUTS = ("indicators", "evaluations")
"""Folders the pipeline reads; everything else in a revision is ignored."""


class RevisionError(Exception):
    """A usage problem: not a git repository, or a revision that does not exist."""


class GitUnavailable(Exception):
    """git itself cannot be run (an environment problem)."""


@dataclass(frozen=True)
class Revision:
    """A revision as the user named it and as git resolved it."""

    name: str
    """What the user typed, e.g. origin/main; empty for the working tree."""
    commit: str | None
    """Abbreviated commit id; None for the working tree."""

    @property
    def label(self) -> str:
        """How the report names it."""
        if self.commit is None:
            return "工作区"
        return self.name if self.name.startswith(self.commit) else f"{self.name}（{self.commit}）"


def git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    """Run git in ``root``; GitUnavailable when the program is missing."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=not binary, check=False
        )
    except OSError as exc:
        raise GitUnavailable(f"无法运行 git：{exc.strerror}") from exc


def resolve(root: Path, name: str) -> Revision:
    """Check that ``name`` is a commit of the repository holding ``root``."""
    inside = git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise RevisionError(f"{root} 不在 git 仓库中，无法比较版本。")
    found = git(root, "rev-parse", "--verify", "--quiet", "--short", f"{name}^{{commit}}")
    if found.returncode != 0:
        raise RevisionError(f"找不到版本“{name}”（可用分支名、标签或提交号，例如 origin/main、HEAD~1）。")
    return Revision(name, found.stdout.strip())


def materialise(root: Path, revision: Revision, dest: Path) -> Path:
    """Write the revision's inputs under ``dest``; return the folder that plays the repository root."""
    prefix = git(root, "rev-parse", "--show-prefix").stdout.strip()
    top = Path(git(root, "rev-parse", "--show-toplevel").stdout.strip())  # paths below are from the top
    paths = [f"{prefix}{name}" for name in INPUTS]
    listed = git(top, "ls-tree", "--name-only", revision.commit or "HEAD", "--", *paths)
    present = [line for line in listed.stdout.splitlines() if line]
    if present:
        archive = git(top, "archive", "--format=tar", revision.commit or "HEAD", "--", *present, binary=True)
        if archive.returncode != 0:
            problem = archive.stderr.decode(errors="replace").strip()
            raise RevisionError(f"无法读取版本“{revision.name}”：{problem}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, filter="data")
    folder = dest / prefix
    for name in INPUTS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    return folder
