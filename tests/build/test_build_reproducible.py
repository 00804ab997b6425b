"""Two builds of one commit, in two clones, at different times and in different time zones, are identical.

The clock is not faked: the builds run a few seconds apart, one in UTC−12 and one in UTC+14, so
their local dates always differ and any time stamp at the resolution of a second or of a local
day would show up as a difference; a UTC date of today would show up in the date check. The
fixture commit is dated 2020-01-02, the date the build must stamp.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from buildlib import commit_all, differences, make_repository

pytestmark = pytest.mark.slow

SAMPLE = ["2024-shexian-county", "2024-ah-amr-department"]
COMMITTED_DAY = int(dt.datetime(2020, 1, 2, tzinfo=dt.UTC).timestamp())
"""The day of the fixture commit (``buildlib.commit_all``), as mkdocs stamps the sitemap."""
ZONES = ("Etc/GMT+12", "Etc/GMT-14")
"""UTC−12 and UTC+14: 26 hours apart, so the two builds never share a local date."""


def _build(root: Path, zone: str) -> None:
    env = {**os.environ, "TZ": zone}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--root", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_two_builds_of_one_commit_are_identical(tmp_path: Path) -> None:
    origin = make_repository(tmp_path / "origin", SAMPLE)
    commit_all(origin)
    clones = [tmp_path / "a" / "repo", tmp_path / "b" / "elsewhere"]
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    _build(clones[0], ZONES[0])
    time.sleep(1.1)  # a different second
    _build(clones[1], ZONES[1])

    sites = [clone / "site" for clone in clones]
    assert differences(*sites) == []
    files = sorted(p.relative_to(sites[0]).as_posix() for p in sites[0].rglob("*") if p.is_file())
    assert {f"reports/{e}{s}" for e in SAMPLE for s in (".docx", ".pdf", "-pdfa.pdf")} <= set(files)
    gz = (sites[0] / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == COMMITTED_DAY, "the build's date is the commit's"

    today = {dt.datetime.now(dt.UTC).date().isoformat(), dt.date.today().isoformat()}
    for path in sites[0].rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".csv", ".svg"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [d for d in today if d in text], f"{path} shows today's date"
    with zipfile.ZipFile(sites[0] / "reports" / f"{SAMPLE[0]}.docx") as docx:
        stamps = {info.date_time for info in docx.infolist()}
    assert len(stamps) == 1 and dt.date(*next(iter(stamps))[:3]).isoformat() not in today
