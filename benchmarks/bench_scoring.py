"""Benchmark: scoring each sample evaluation, and ``zwpj analyze`` of each system.

    python benchmarks/bench_scoring.py [--repeat 30] [--code PATH] [--root PATH]

Loads the repository (``--root``, default this one) once, then scores every evaluation without
errors ``--repeat`` times with ``score_evaluation`` and reports the median CPU milliseconds
(``time.process_time``: other work on a shared machine stretches the wall clock several-fold, the
CPU time far less) per evaluation and per leaf indicator; then runs ``analyze`` (spread,
correlations, α, and rescoring every evaluation under each default weight change) once per system.
``--code`` runs another checkout's generator (e.g. the code before exact-fraction scoring, on its own
repository), for comparison; its analysis part is skipped when that code has none. The load
average is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from generator.pipeline import check

    try:
        from generator.score.aggregate import score_evaluation
    except ImportError:  # code from before aggregation stages
        from generator.score.engine import score_evaluation  # type: ignore[no-redef]

    print(f"代码 {args.code}，仓库 {args.root}，负载 {os.getloadavg()[0]:.2f}")
    checked = check(args.root.resolve())
    total_ms, total_leaves = [], 0
    for loaded in checked.repo.evaluations:
        system = checked.repo.system_for(loaded.evaluation)
        if system is None or checked.problems_of(loaded):
            continue
        measured = checked.measured.get(loaded.evaluation.id, {})
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            score_evaluation(loaded, system, measured=measured)
            times.append((time.process_time() - start) * 1000)
        leaves = sum(1 for _ in system.leaves()) * max(1, len(system.system.modes))
        ms = statistics.median(times)
        total_ms.append(ms)
        total_leaves += leaves
        per_leaf = ms / leaves * 1000
        print(f"  {loaded.evaluation.id:28s} {leaves:4d} 个末级指标  {ms:7.2f} ms  {per_leaf:6.1f} µs/指标")
    mean = sum(total_ms) / total_leaves * 1000
    print(f"合计 {len(total_ms)} 个评价 {sum(total_ms):.1f} ms，平均 {mean:.1f} µs/指标")
    try:
        from generator.analyze import Member, analyze
        from generator.pipeline import score_all
    except ImportError:
        return
    cards = score_all(checked)
    for key, system in sorted(checked.repo.systems.items()):
        members = [
            Member(e, cards[e.evaluation.id], checked.measured.get(e.evaluation.id, {}))
            for e in checked.repo.evaluations
            if checked.repo.system_for(e.evaluation) is system and e.evaluation.id in cards
        ]
        start = time.process_time()
        result = analyze(system, members)
        ms = (time.process_time() - start) * 1000
        print(f"analyze {key[0]:20s} {len(members)} 个评价，{len(result.scenarios)} 种权重调整：{ms:8.1f} ms")


if __name__ == "__main__":
    main()
