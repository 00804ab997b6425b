"""One exit-code policy at the command line: 0 clean, 1 problems, 2 usage or nothing checked, 3 environment.

A check that checked nothing is never a pass; a build never deletes a folder it did not make; an
output never lands on the repository's own content; a full disk or a denied write ends in a sentence
and exit 3, never a traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildlib import digests, make_repository
from fixturelib import MINIMAL, zwpj

from generator.paths import BUILD_MARKER

ZWPJ = [sys.executable, "-m", "generator.cli"]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A writable copy of the minimal repository."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "repo"))


# --- a check that checked nothing is exit 2 --------------------------------------------------------


def test_check_of_a_root_that_does_not_exist(tmp_path: Path) -> None:
    run = zwpj("check", "--root", str(tmp_path / "nonexistent"))
    assert (run.exit_code, run.exception) == (2, None)
    assert "不是评价仓库" in run.stderr


def test_check_outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = zwpj("check")
    assert (run.exit_code, run.exception) == (2, None)
    assert "不是评价仓库" in run.stderr


@pytest.mark.parametrize("target", ["README.md", "docs", "../elsewhere.yaml"])
def test_check_of_a_path_that_holds_nothing_to_check(repo: Path, target: str) -> None:
    path = repo / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir() if target == "docs" else path.write_text("x\n", encoding="utf-8")
    run = zwpj("check", str(path), "--root", str(repo))
    assert (run.exit_code, run.exception) == (2, None)
    assert "没有可校验的内容" in run.stderr


def test_check_of_an_empty_repository(tmp_path: Path) -> None:
    for name in ("indicators", "evaluations"):
        (tmp_path / "repo" / name).mkdir(parents=True)
    run = zwpj("check", "--root", str(tmp_path / "repo"))
    assert (run.exit_code, run.exception) == (2, None)
    assert "没有可校验的内容" in run.stderr


def test_check_of_a_system_folder_checks_the_systems(repo: Path) -> None:
    run = zwpj("check", str(repo / "indicators" / "mini"), "--root", str(repo))
    assert (run.exit_code, run.stdout) == (0, "")


# --- outputs never land on the repository's content ------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["evaluations/2024-mini/evaluation.yaml", "evaluations/2024-mini/data/out.xlsx", "indicators/x.xlsx"],
)
def test_export_sheet_refuses_to_write_into_the_inputs(repo: Path, target: str) -> None:
    before = digests(repo)
    run = zwpj(
        "export-sheet", str(repo / "evaluations/2024-mini"), "-o", str(repo / target), "--root", str(repo)
    )
    assert (run.exit_code, run.exception) == (2, None)
    assert "不能写在仓库的" in run.stderr
    assert digests(repo) == before


# --- the build replaces only a folder a build made ------------------------------------------------


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample repository with its own mkdocs.yml (never built: every case is refused)."""
    return make_repository(tmp_path_factory.mktemp("site") / "repo", ["2024-shexian-county"])


@pytest.mark.parametrize("site_dir", [".", "..", "evaluations", "indicators/db34-3556-sample", "templates"])
def test_build_refuses_a_site_dir_that_holds_the_repository(site_repo: Path, site_dir: str) -> None:
    before = digests(site_repo)
    run = zwpj("build", "--no-reports", "--site-dir", str(site_repo / site_dir), "--root", str(site_repo))
    assert (run.exit_code, run.exception) == (2, None), run.stderr
    assert "站点输出目录" in run.stderr
    assert digests(site_repo) == before
    assert not (site_repo / "build").exists(), "nothing is written before the refusal"


def test_build_refuses_an_existing_folder_it_did_not_make(site_repo: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("# 指南\n", encoding="utf-8")
    run = zwpj("build", "--no-reports", "--site-dir", str(docs), "--root", str(site_repo))
    assert (run.exit_code, run.exception) == (2, None)
    assert BUILD_MARKER in run.stderr
    assert sorted(p.name for p in docs.iterdir()) == ["guide.md"]


def test_build_refuses_a_symbolic_link_as_site_dir(site_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    (target / BUILD_MARKER).write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(target)
    run = zwpj("build", "--no-reports", "--site-dir", str(tmp_path / "link"), "--root", str(site_repo))
    assert (run.exit_code, run.exception) == (2, None)
    assert (target / BUILD_MARKER).is_file()


@pytest.mark.slow
def test_build_marks_the_site_and_replaces_only_a_marked_one(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", ["2024-shexian-county"])
    out = tmp_path / "public"
    first = zwpj("build", "--no-reports", "--site-dir", str(out), "--root", str(root))
    assert first.exit_code == 0, first.stderr
    assert (out / BUILD_MARKER).is_file() and (out / "index.html").is_file()
    assert (root / "build" / "docs" / BUILD_MARKER).is_file()
    again = zwpj("build", "--no-reports", "--site-dir", str(out), "--root", str(root))
    assert again.exit_code == 0, again.stderr
    (out / BUILD_MARKER).unlink()
    refused = zwpj("build", "--no-reports", "--site-dir", str(out), "--root", str(root))
    assert refused.exit_code == 2
    assert (out / "index.html").is_file()


def test_stale_staging_folders_without_the_marker_are_left_alone(tmp_path: Path) -> None:
    from generator.build.output import clear_stale, staging_prefix

    site = tmp_path / "site"
    mine = tmp_path / f"{staging_prefix(site)}999999999-abc"
    theirs = tmp_path / f"{staging_prefix(site)}999999998-def"
    for folder in (mine, theirs):
        folder.mkdir()
        (folder / "keep.txt").write_text("x", encoding="utf-8")
    (mine / BUILD_MARKER).write_text("x", encoding="utf-8")
    assert clear_stale(site) == [mine]
    assert not mine.exists() and (theirs / "keep.txt").is_file()


# --- environment failures: a sentence and exit 3 ----------------------------------------------------


def test_a_full_disk_when_writing_the_score_is_exit_3(repo: Path) -> None:
    """``score`` writes build/scores/<id>.json; here that file leads to /dev/full (a real ENOSPC)."""
    out = repo / "build" / "scores" / "2024-mini.json"
    out.parent.mkdir(parents=True)
    out.symlink_to("/dev/full")
    done = subprocess.run(
        [*ZWPJ, "score", str(repo / "evaluations/2024-mini"), "--root", str(repo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "环境错误" in done.stderr and "磁盘空间已满" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.slow
def test_an_unwritable_site_folder_is_exit_3(site_repo: Path, tmp_path: Path) -> None:
    """The site's parent is a file: nothing can be created there (as root, permissions would not stop it)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    done = subprocess.run(
        [*ZWPJ, "build", "--no-reports", "--site-dir", str(blocker / "site"), "--root", str(site_repo)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 3, done.stderr
    assert "环境错误" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "site/x.html"), "磁盘空间已满"),
        (PermissionError(errno.EACCES, "Permission denied", "site"), "没有权限"),
        (OSError(errno.EROFS, "Read-only file system", "site"), "只读"),
        (MemoryError(), "内存不足"),
    ],
)
def test_environment_failures_anywhere_end_in_exit_3(
    repo: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, words: str
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr("generator.build.checking.Checker.check", fail)
    run = zwpj("check", "--root", str(repo))
    assert (run.exit_code, run.exception) == (3, None)
    assert "环境错误" in run.stderr and words in run.stderr


def test_a_bug_is_not_passed_off_as_the_environment(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("generator.build.checking.Checker.check", fail)
    assert isinstance(zwpj("check", "--root", str(repo)).exception, ZeroDivisionError)


def test_fifo_in_repository_never_blocks_the_check(repo: Path) -> None:
    """A named pipe is refused unread (E111): opening it would wait for a writer for ever."""
    os.mkfifo(repo / "evaluations/2024-mini/evidence/pipe.md")
    done = subprocess.run([*ZWPJ, "check", "--root", str(repo)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout.startswith("evaluations/2024-mini/evidence/pipe.md:0:0: 错误 E111")


def test_a_cache_that_came_with_the_checkout_is_never_read(tmp_path: Path) -> None:
    """Cache entries are pickles: a pull request that commits one must not get it loaded in CI."""
    from buildlib import commit_all, git

    from generator.build.cache import CACHE_DIR, Cache

    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo", ignore=shutil.ignore_patterns(".cache")))
    commit_all(root)
    assert Cache.for_repository(root).folder == root / CACHE_DIR
    planted = root / CACHE_DIR / "load" / "ab" / "ab00"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")
    git(root, "add", "-f", str(planted))
    git(root, "commit", "-q", "-m", "a cache entry")
    assert Cache.for_repository(root).folder is None
    run = zwpj("check", "--root", str(root))
    assert run.exit_code == 0 and not (root / "pwned").exists()
