"""A build that fails or is killed part-way leaves the previous site/ as it was, and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from buildlib import digests, make_repository

from generator.build.output import staging_prefix
from generator.build.runner import BuildError, build

pytestmark = pytest.mark.slow

ZWPJ = [sys.executable, "-m", "generator.cli"]
SAMPLE = ["2024-shexian-county", "2024-ah-amr-department"]


def _staging(root: Path) -> list[Path]:
    return sorted(root.glob(staging_prefix(root / "site") + "*"))


def _wait_for_pages(root: Path, process: subprocess.Popen, timeout: float = 300) -> None:
    """Return once the build has written HTML pages into its staging folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it could be interrupted"
        if any(next(folder.rglob("*.html"), None) for folder in _staging(root)):
            return
        time.sleep(0.01)
    raise AssertionError("no page was written in time")


def test_killed_build_leaves_the_old_site(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", SAMPLE)
    build(root, reports=False, audit=False)
    before = digests(root / "site")
    (root / "evaluations" / SAMPLE[0] / "summary.md").write_text("# 概述\n\n改过的概述。\n", encoding="utf-8")

    # no cache and one process: slow enough to be caught while it writes pages, reports still to come
    process = subprocess.Popen(
        [*ZWPJ, "build", "--no-cache", "-j", "1", "--root", str(root)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for_pages(root, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert _staging(root), "the killed build left its folder behind"
    assert digests(root / "site") == before

    done = subprocess.run(
        [*ZWPJ, "build", "--no-reports", "--root", str(root)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "上次中断的生成" in done.stderr
    assert not _staging(root)
    assert "改过的概述" in (root / "site" / "evaluations" / f"{SAMPLE[0]}.html").read_text(encoding="utf-8")


def test_failed_build_leaves_the_old_site_and_says_so(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", SAMPLE)
    build(root, reports=False, audit=False)
    before = digests(root / "site")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("methods.md", "missing.md"), encoding="utf-8"
    )
    with pytest.raises(BuildError, match="原有站点 .* 未改动"):
        build(root, reports=False, audit=False)
    assert digests(root / "site") == before
    assert not _staging(root)


def test_strict_build_with_errors_leaves_the_old_site(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", SAMPLE)
    build(root, reports=False, audit=False)
    before = digests(root / "site")
    path = root / "evaluations" / SAMPLE[1] / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    result = build(root, reports=False, audit=False, strict=True)
    assert result.site is None and any(d.severity.value == "error" for d in result.diagnostics)
    assert digests(root / "site") == before


def test_a_broken_site_configuration_is_a_message_not_a_silent_exit(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", SAMPLE)
    assert build(root, reports=False, audit=False).site is not None
    before = digests(root / "site")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("custom_dir:", "custom_dir: nowhere #"), encoding="utf-8"
    )
    done = subprocess.run(
        [*ZWPJ, "build", "--no-reports", "--root", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert "站点配置" in done.stderr and "custom_dir" in done.stderr and "nowhere" in done.stderr
    assert "Traceback" not in done.stderr
    assert digests(root / "site") == before
