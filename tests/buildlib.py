"""Small repositories for the build tests, and ways to compare built sites file by file."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
OVERRIDES = ROOT / "generator" / "render" / "site" / "overrides"


def make_repository(dest: Path, evaluations: list[str] | None = None) -> Path:
    """A copy of the sample repository (all evaluations, or the named ones) with its own mkdocs.yml.

    The project's mkdocs.yml names the theme overrides by a path inside the project; the copy
    names them by absolute path, so ``zwpj build`` works in the copy as it is.
    """
    dest.mkdir(parents=True)
    for name in ("indicators", "templates", "bodies"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "organisations.yaml", dest / "organisations.yaml")
    for folder in sorted((ROOT / "evaluations").iterdir()):
        if evaluations is None or folder.name in evaluations:
            shutil.copytree(folder, dest / "evaluations" / folder.name)
    if (ROOT / "calendar.yaml").is_file():
        shutil.copy(ROOT / "calendar.yaml", dest / "calendar.yaml")
    config = CONFIG.read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s*custom_dir:\s*).*$", lambda m: m.group(1) + str(OVERRIDES), config)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def commit_all(root: Path, when: str = "2020-01-02T03:04:05+00:00") -> None:
    """Make ``root`` a git repository with everything committed at a fixed date."""
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "fixture"]):
        git(root, *args, when=when)


def git(root: Path, *args: str, when: str | None = None) -> str:
    """Run git in ``root`` as a fixed author (at the date ``when``, if given); its output, stripped."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.cn",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.cn",
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
    }
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    command = ["git", "-C", str(root), *args]
    done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    return done.stdout.strip()


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path → SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(a: Path, b: Path) -> list[str]:
    """Paths that are in only one of the two folders or differ in content, sorted."""
    da, db = digests(a), digests(b)
    return sorted(p for p in set(da) | set(db) if da.get(p) != db.get(p))
