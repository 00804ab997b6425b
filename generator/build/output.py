"""Atomic publishing of the site, and the one date a build stamps on it.

The build writes into a fresh folder beside ``site/`` (``.site.building-<pid>-…``) and swaps it in
at the very end with one rename (``renameat2(RENAME_EXCHANGE)`` on Linux, so ``site/`` is never
missing for a moment). A build that fails removes its folder; one that is killed leaves it, and
the next build removes it and says so. Either way the previous ``site/`` is untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.paths import file_mask, made_by_build, mark_built

RENAME_EXCHANGE = 2
"""``renameat2`` flag: swap two paths atomically (Linux 3.15+, glibc 2.28+)."""
AT_FDCWD = -100


def staging_prefix(site_dir: Path) -> str:
    """Name prefix of the folders builds of ``site_dir`` write into."""
    return f".{site_dir.name}.building-"


def clear_stale(site_dir: Path) -> list[Path]:
    """Remove folders left by builds that were killed (their process is gone); return them.

    Only folders holding the build's marker: a folder that merely has the name is left alone.
    """
    removed = []
    for folder in site_dir.parent.glob(staging_prefix(site_dir) + "*"):
        pid = folder.name.removeprefix(staging_prefix(site_dir)).split("-", 1)[0]
        if made_by_build(folder) and not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def staged(site_dir: Path) -> Iterator[Path]:
    """A new empty folder beside ``site_dir`` to build into; removed if the block fails."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{staging_prefix(site_dir)}{os.getpid()}-", dir=site_dir.parent))
    os.chmod(stage, 0o777 & ~file_mask())  # mkdtemp makes it private; a published site is readable
    try:
        mark_built(stage)
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def publish(stage: Path, site_dir: Path) -> None:
    """Put ``stage`` in the place of ``site_dir`` in one step, then remove the old site."""
    if not site_dir.exists():
        os.rename(stage, site_dir)
        return
    if _exchange(stage, site_dir):
        shutil.rmtree(stage, ignore_errors=True)  # now holds the old site
        return
    old = stage.with_name(stage.name + "-old")
    os.rename(site_dir, old)
    os.rename(stage, site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths with renameat2; False where the system does not offer it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return done == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_epoch(root: Path, as_of: dt.date | None) -> int:
    """The time a build stamps (sitemap dates): ``SOURCE_DATE_EPOCH`` if set, else the commit's time.

    Outside git, the newest date recorded in the evaluations (midnight UTC); never the clock,
    so two builds of one commit agree whenever and wherever they run.
    """
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=60
        )
        if done.returncode == 0 and done.stdout.strip().isdigit():
            return int(done.stdout.strip())
    except OSError:
        pass
    day = as_of or dt.date(1970, 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
