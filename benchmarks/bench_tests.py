"""Benchmark: the test suite's wall time and CPU time, the fast loop or the whole suite.

    python benchmarks/bench_tests.py [--full] [--workers N] [--code PATH] [-- PYTEST ARGS]

Runs ``pytest -m "not slow and not browser"`` (``--full``: every test, as ``scripts/test.sh`` does)
with ``-n N`` workers (default ``auto``: one per core; ``0``: in one process, as before pytest-xdist)
in the checkout ``--code`` (default this one; give an older checkout, e.g. a ``git worktree`` of an
earlier commit, for a before/after figure), with ``--python`` (default: that checkout's ``.venv``;
the checkout comes first on ``PYTHONPATH``, so another checkout's interpreter runs this code).

Prints the wall time; the CPU time of pytest and everything it started (user + system: on a
machine shared with other work the wall clock stretches, the CPU time far less); the test counts
pytest reports; and the load average before and after (one-minute figure). Needs pytest-xdist in
that interpreter unless ``--workers 0``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

SUMMARY = re.compile(r"(\d+ (?:passed|failed)[^\n]*?) in [\d.]+s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="every test, not only the fast loop")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers (-n); 0: one process")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--python", type=Path, help="interpreter (default: CODE/.venv/bin/python)")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    code = args.code.resolve()
    python = str(args.python or code / ".venv" / "bin" / "python")
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if args.workers != "0" or _has_xdist(python, env):
        command += ["-n", args.workers]
    if not args.full:
        command += ["-m", "not slow and not browser"]
    command += args.pytest_args
    before = os.getloadavg()[0]
    print(f"代码 {code}，负载 {before:.2f}：{' '.join(command[1:])}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=code, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:])
    found = SUMMARY.search(done.stdout)
    summary = found.group(1) if found else done.stdout.strip().splitlines()[-1:]
    print(
        f"  墙钟 {wall:7.1f} s   CPU {usage.ru_utime + usage.ru_stime:7.1f} s"
        f"（用户 {usage.ru_utime:.1f} s，系统 {usage.ru_stime:.1f} s）"
    )
    print(f"  {summary}；负载 前 {before:.2f} 后 {os.getloadavg()[0]:.2f}；退出码 {done.returncode}")
    sys.exit(done.returncode)


def _has_xdist(python: str, env: dict[str, str]) -> bool:
    """Whether that pytest has pytest-xdist (``-n 0`` is then said explicitly: the checkout's
    configuration may ask for workers)."""
    probe = [python, "-c", "import xdist"]
    return subprocess.run(probe, env=env, capture_output=True, check=False).returncode == 0


if __name__ == "__main__":
    main()
