"""Small repositories for the build tests, and ways to compare built sites file by file."""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.pipeline import Checked, check

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
OVERRIDES = ROOT / "generator" / "render" / "site" / "overrides"
EPOCH = 1_600_000_000
"""The date tests build sites on (seconds, UTC), as a build takes it from the commit."""
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
"""A frozen copy of the sample evaluations and the registries they name (organisations.yaml, bodies/,
publishing.yaml). The tool's tests read these, never the repository's own ``evaluations/``: a team
adds, edits and deletes evaluations there, and its data is checked by ``zwpj check``, not by the
tool's tests. Refresh after an intended change of the samples: ``python tests/buildlib.py --refresh``."""
SAMPLE_DATA = ("evaluations", "bodies", "organisations.yaml", "publishing.yaml")
"""What the frozen copy holds, relative to a repository's root; indicators/ and templates/ are the tool's."""
SAMPLE_EVALUATIONS = sorted(
    p.name for p in (SAMPLES / "evaluations").iterdir() if (p / "evaluation.yaml").is_file()
)
"""Every frozen sample evaluation's folder name."""


BUILD_SET = [
    "2023-hefei-platform",
    "2024-ah-amr-department",
    "2024-bozhou-haochaping",
    "2024-hefei-platform",
    "2024-shexian-county",
]
"""Sample evaluations the build tests use: both sample systems, evaluation modes, datasets, a previous
evaluation, vetoes and bonuses. Fixed, so that builds with reports (the slow tests) do not grow
as examples are added to evaluations/."""


def make_repository(
    dest: Path, evaluations: list[str] | None = None, *, publishing: bool = False, templates: bool = True
) -> Path:
    """A repository of the frozen samples (all evaluations, or the named ones) with its own mkdocs.yml.

    The tool's indicators/ and templates/ are copied from the project; evaluations, bodies/ and
    organisations.yaml (and publishing.yaml when ``publishing``) from ``SAMPLES``. The project's mkdocs.yml
    names the theme overrides by a path inside the project; the copy names them by absolute path,
    so ``zwpj build`` works in the copy as it is. ``templates=False`` leaves the repository without
    its own copy of the templates (the built-in ones are still there by name): ``zwpj check`` then
    renders no sample report per template (about a second per check), which tests of checking and
    scoring that are not about templates do not need.
    """
    dest.mkdir(parents=True)
    for name in ("indicators", "templates") if templates else ("indicators",):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(SAMPLES / "bodies", dest / "bodies")
    shutil.copy(SAMPLES / "organisations.yaml", dest / "organisations.yaml")
    if publishing:
        shutil.copy(SAMPLES / "publishing.yaml", dest / "publishing.yaml")
    unknown = sorted(set(evaluations or ()) - set(SAMPLE_EVALUATIONS))
    assert not unknown, f"not a frozen sample evaluation: {unknown}"
    (dest / "evaluations").mkdir()
    for name in SAMPLE_EVALUATIONS:
        if evaluations is None or name in evaluations:
            shutil.copytree(SAMPLES / "evaluations" / name, dest / "evaluations" / name)
    config = CONFIG.read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s*custom_dir:\s*).*$", lambda m: m.group(1) + str(OVERRIDES), config)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


@functools.cache
def sample_root() -> Path:
    """One read-only repository of every frozen sample (with publishing.yaml) per test process.

    For tests that check, score or render the samples without changing them; removed at exit.
    """
    base = Path(tempfile.mkdtemp(prefix="zwpj-samples-"))
    atexit.register(shutil.rmtree, base, True)
    return make_repository(base / "repo", publishing=True)


@functools.cache
def checked_samples() -> Checked:
    """``pipeline.check`` of ``sample_root()``, once per test process: for tests that only read what it
    found (figures, views, exports), so that several test files do not each load and check every sample."""
    return check(sample_root())


def refresh_samples() -> None:
    """Replace the frozen copy by the project's current sample data (an intended change of the samples)."""
    for name in SAMPLE_DATA:
        target, source = SAMPLES / name, ROOT / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)


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


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--refresh"]:
        sys.exit("usage: python tests/buildlib.py --refresh")
    refresh_samples()


def plain_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """The site as mkdocs' own public ``build`` writes it, with the site's search index and portable
    404 page: what the build's page-by-page renderer must write too. mkdocs takes the date from
    ``SOURCE_DATE_EPOCH``, which the caller sets (``monkeypatch.setenv``)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.build.mkdocs_adapter import without_segmentation
    from generator.build.notfound import portable_not_found
    from generator.build.search import documents, write_search_index

    config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with without_segmentation():
            build(config)
    finally:
        config.plugins.on_shutdown()
    index = site_dir / "search" / "search_index.json"
    entries = json.loads(index.read_text(encoding="utf-8"))["docs"]
    index.unlink()
    write_search_index(documents(entries), index.parent)
    portable_not_found(site_dir, config.site_url)
