"""Benchmark: measured indicators over a generated 10-million-row 好差评 ratings export.

    python benchmarks/bench_measures.py [--rows 10000000] [--workdir /tmp/zwpj-bench] [--keep]

Writes a small repository into the work folder (one indicator system with a ``share`` and a
``level_counts`` measure, one evaluation naming the dataset), generates the ratings CSV there
(deterministic: every column is a fixed arithmetic function of the row number, streamed to disk
by DuckDB's COPY, never held in memory), then runs ``compute_measures`` in a child process, the way
``zwpj check``/``score`` would, with the date and level checks switched on. The parent reports
the child's wall time, CPU time and peak resident memory (``getrusage(RUSAGE_CHILDREN)``), and
the load average before the run, since other work on the machine stretches the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]

SYSTEM = """\
id: bench
name: 基准测试体系
edition: "1"
effective: 2024-01-01
source: 基准测试
scale: 100
measures:
  - name: good_rate
    dataset: ratings
    kind: share
    where: "level IN ('非常满意', '满意', '基本满意')"
    columns: [rating_id, level]
    date_columns: [rated_at]
  - name: rating_levels
    dataset: ratings
    kind: level_counts
    column: level
    columns: [rating_id, level]
grades:
  - {name: 优秀, min: 90}
  - {name: 不合格, min: 0, max: 90}
parts: [part.yaml]
"""

PART = """\
indicators:
  - id: H
    name: 评价结果
    weight: 100
    source: 基准测试
    children:
      - id: H1
        name: 好评率
        weight: 50
        source: 基准测试
        rule: {kind: ratio, unit: ratio, floor: 0.9, target: 0.99, measure: good_rate}
      - id: H2
        name: 综合满意度
        weight: 50
        source: 基准测试
        rule:
          kind: satisfaction
          measure: rating_levels
          levels: {非常满意: 100, 满意: 80, 基本满意: 60, 不满意: 30, 非常不满意: 0}
"""

EVALUATION = """\
id: bench
title: 基准测试评价
system: {id: bench, edition: "1"}
stage: 实施评价
evaluated: {name: 基准市}
commissioner: {name: 委托方}
body: {name: 评价机构}
team: [{id: tester, name: 测试员, role: 评价员, affiliation: 评价机构}]
purpose: 基准测试
object: 基准测试
scope: 基准测试
period: {start: 2024-01-01, end: 2024-12-31}
plan: {title: 方案, approved: 2024-01-01, report_due: 2025-01-31}
scores: [scores.yaml]
datasets: {ratings: data/ratings.csv}
"""

SCORES = "indicators:\n  H1: {}\n  H2: {}\n"


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` ratings to ``path``.

    Levels: about 70 % 非常满意, 18 % 满意, 8 % 基本满意, 3 % 不满意, 1 % 非常不满意;
    a third of the 差评 are not rectified.
    """
    import duckdb

    h = "((i * 2654435761) % 1000)"
    level = (
        f"CASE WHEN {h} < 700 THEN '非常满意' WHEN {h} < 880 THEN '满意' "
        f"WHEN {h} < 960 THEN '基本满意' WHEN {h} < 990 THEN '不满意' ELSE '非常不满意' END"
    )
    channels = "['政务服务网', '皖事通APP', '窗口评价器', '自助终端', '12345热线']"
    departments = "['市公安局', '市民政局', '市人社局', '市市场监管局', '市医保局', '市住建局']"
    seconds = "to_seconds((i * 7919) % 31536000)"
    query = f"""
        SELECT 'R' || lpad(CAST(i AS VARCHAR), 9, '0') AS rating_id,
               strftime(TIMESTAMP '2024-01-01 08:00:00' + {seconds}, '%Y-%m-%d %H:%M:%S') AS rated_at,
               {channels}[(i * 31) % 5 + 1] AS channel,
               {departments}[(i * 17) % 6 + 1] AS department,
               '事项' || CAST((i * 13) % 800 AS VARCHAR) AS service_item,
               {level} AS level,
               CASE WHEN {h} >= 960 THEN (CASE WHEN i % 3 = 0 THEN '否' ELSE '是' END) ELSE '' END
                   AS rectified
        FROM range({rows}) t(i)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(f"COPY ({query}) TO '{path}' (HEADER, DELIMITER ',')")


def write_repository(root: Path) -> None:
    """The tiny repository the child loads."""
    files = {
        "indicators/bench/system.yaml": SYSTEM,
        "indicators/bench/part.yaml": PART,
        "evaluations/bench/evaluation.yaml": EVALUATION,
        "evaluations/bench/scores.yaml": SCORES,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def compute(root: Path) -> dict[str, object]:
    """Child side: load the repository and compute the measures; return the figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from generator.build.measuring import compute_measures
    from generator.load.repository import load_evaluation, load_system

    system, problems = load_system(root, root / "indicators/bench")
    evaluation, more = load_evaluation(root, root / "evaluations/bench")
    assert system is not None and evaluation is not None and not problems + more, problems + more
    start = time.perf_counter()
    found, diagnostics = compute_measures(evaluation, system, root)
    elapsed = time.perf_counter() - start
    return {
        "seconds_in_compute": round(elapsed, 2),
        "diagnostics": [d.code for d in diagnostics],
        "good_rate": [found["good_rate"].value, found["good_rate"].numerator, found["good_rate"].denominator],
        "rating_levels": dict(found["rating_levels"].counts),
    }


def run(rows: int, workdir: Path, keep: bool) -> dict[str, object]:
    """Generate (unless already there), then time the child."""
    write_repository(workdir)
    data = workdir / "evaluations/bench/data/ratings.csv"
    stamp = data.with_suffix(".rows")
    generated = None
    if not (data.is_file() and stamp.is_file() and stamp.read_text() == str(rows)):
        start = time.perf_counter()
        generate(data, rows)
        stamp.write_text(str(rows))
        generated = round(time.perf_counter() - start, 2)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(workdir)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "rows": rows,
        "file_mb": round(data.stat().st_size / 2**20, 1),
        "seconds_generating": generated,
        "seconds_wall": round(wall, 2),
        "seconds_cpu": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "nproc": os.cpu_count(),
        "load_before": round(load, 2),
        **json.loads(child.stdout),
    }
    if not keep:
        data.unlink()
        stamp.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zwpj-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV for the next run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(compute(args.child), ensure_ascii=False))
        return
    print(json.dumps(run(args.rows, args.workdir, args.keep), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
