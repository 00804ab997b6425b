"""Benchmark: DOCX + PDF reports, one at a time and for a 100-evaluation repository over both cores.

    python benchmarks/bench_reports.py [--count 100] [--jobs 2] [--source evaluations/2024-hefei-platform]
                                       [--workdir /tmp/zwpj-bench-reports] [--serial]

Copies the repository's indicator systems and one sample evaluation ``--count`` times (ids made
unique) into the work folder, loads and scores them once, then times (1) single reports in this
process (the first pays for imports and the reference.docx), (2) all reports through
``build.reports.build_reports`` (what ``zwpj build`` runs, its cache switched off) over
``--jobs`` processes and, with ``--serial``, over one. Prints JSON with
wall and CPU seconds (CPU includes the worker processes and pandoc) and the load average, since
other work on the machine stretches wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build.cache import Cache  # noqa: E402
from generator.build.reports import build_reports  # noqa: E402
from generator.load.repository import rel_path  # noqa: E402
from generator.pipeline import check, score_one  # noqa: E402
from generator.render.report import render_report  # noqa: E402
from generator.render.report.fingerprint import hash_inputs  # noqa: E402
from generator.render.site import SiteItem  # noqa: E402


def make_repository(work: Path, source: Path, count: int) -> Path:
    """A repository with ``count`` copies of ``source`` (ids 0001…) and the real indicator systems."""
    repo = work / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(ROOT / "indicators", repo / "indicators")
    shutil.copytree(ROOT / "tests" / "fixtures" / "samples" / "bodies", repo / "bodies")
    shutil.copy(ROOT / "tests" / "fixtures" / "samples" / "organisations.yaml", repo / "organisations.yaml")
    text = (source / "evaluation.yaml").read_text(encoding="utf-8")
    for i in range(1, count + 1):
        eid = f"bench-{i:04d}"
        folder = repo / "evaluations" / eid
        shutil.copytree(source, folder)
        body = re.sub(r"^id: .*$", f"id: {eid}", text, count=1, flags=re.M)
        body = re.sub(r"^previous: .*$", "", body, flags=re.M)
        (folder / "evaluation.yaml").write_text(body, encoding="utf-8")
    return repo


def cpu_seconds() -> float:
    """User + system CPU of this process and of every child reaped so far (workers, pandoc)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def render_all(repo: Path, items: list[SiteItem], out: Path, jobs: int) -> list[Path]:
    """Every report, the way a build renders them (nothing cached); the files written."""
    shutil.rmtree(out, ignore_errors=True)

    def inputs(item: SiteItem) -> str:
        return hash_inputs(repo, [item.loaded.rel, rel_path(repo, item.system.folder)])

    build_reports(repo, items, out, cache=Cache(None), inputs=inputs, jobs=jobs)
    return sorted(out.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT / "tests" / "fixtures" / "samples" / "evaluations" / "2024-hefei-platform",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zwpj-bench-reports"))
    parser.add_argument("--serial", action="store_true", help="also time all reports in one process")
    args = parser.parse_args()

    repo = make_repository(args.workdir, args.source.resolve(), args.count)
    started = time.perf_counter()
    checked = check(repo)
    jobs = []
    for evaluation in checked.repo.evaluations:
        system = checked.repo.system_for(evaluation.evaluation)
        assert system is not None
        jobs.append(SiteItem(evaluation, system, score_one(checked, evaluation)))
    load_score = time.perf_counter() - started

    cache = args.workdir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    single = []
    cpu = cpu_seconds()
    for job in jobs[:5]:
        t = time.perf_counter()
        render_report(
            job.loaded,
            job.system,
            job.card,
            args.workdir / "single",
            repo_root=repo,
            commit=None,
            cache_dir=cache,
        )
        single.append(time.perf_counter() - t)

    result = {
        "evaluations": len(jobs),
        "jobs": args.jobs,
        "cpus": os.cpu_count(),
        "load_and_score_s": load_score,
        "first_report_s": single[0],
        "report_cpu_mean_s": (cpu_seconds() - cpu) / len(single),
        "report_median_s": statistics.median(single[1:]),
        "load_average": os.getloadavg(),
    }
    t, cpu = time.perf_counter(), cpu_seconds()
    files = render_all(repo, jobs, args.workdir / "all", args.jobs)
    result["all_parallel_s"] = time.perf_counter() - t
    result["all_parallel_cpu_s"] = cpu_seconds() - cpu
    result["load_average_after"] = os.getloadavg()
    result["per_report_parallel_s"] = result["all_parallel_s"] / len(jobs)
    if args.serial:
        t = time.perf_counter()
        render_all(repo, jobs, args.workdir / "serial", 1)
        result["all_serial_s"] = time.perf_counter() - t
    result["pdf_kb_median"] = statistics.median(f.stat().st_size for f in files if f.suffix == ".pdf") / 1024
    result["docx_kb_median"] = (
        statistics.median(f.stat().st_size for f in files if f.suffix == ".docx") / 1024
    )
    print(
        json.dumps(
            {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()},
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
