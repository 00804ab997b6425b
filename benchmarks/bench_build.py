"""Benchmark: full, warm and incremental builds, check against check-jsonschema, memory, reports.

    python benchmarks/bench_build.py [--sizes 100,500,1000] [--reports 12] [--jobs N]
                                     [--workdir /tmp/zwpj-bench-build] [--write docs/performance.md]

For each size, ``bench_site.generate`` writes a repository of that many evaluations (clones of
the samples with their own ids, parties and varied scores). Then, each in a fresh process:

- **full**: ``build`` without reports or link check, from an empty cache;
- **mkdocs**: plain mkdocs (``mkdocs.commands.build``) over the Markdown the full build wrote;
- **warm**: ``build`` again with nothing changed; **text**: after editing one evaluation's
  summary.md; **score**: after changing one graded observation (its total and every ranking
  and indicator page that lists it change);
- for the largest size: ``zwpj check`` from an empty cache and again warm, against
  ``check-jsonschema`` validating the same YAML files with ``schema/*.json``.

Reports are measured on a repository of ``--reports`` evaluations: a build with reports from an
empty cache, less the same build without them, and a warm build with reports.

Each process's wall time, CPU time (user + system, its workers and pandoc included) and peak
memory are recorded; memory is the largest sum over the process tree of proportional set sizes
(PSS, so pages forked workers share are not counted twice), sampled every 0.1 s. The code is
copied to the work folder first, so edits to the working tree during a run do not change it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import ROOT, _levels_by_indicator, generate  # noqa: E402

PYTHON = sys.executable
START, END = "<!-- bench_build:start -->", "<!-- bench_build:end -->"
BUILD = """
import json, sys
from pathlib import Path
from generator.build.runner import build
r = build(Path(sys.argv[1]), config_file=Path(sys.argv[2]), reports=sys.argv[3] == "reports", audit=False)
assert r.site is not None, [d for d in r.diagnostics if d.severity.value == "error"][:3]
print(json.dumps({"timings": r.timings, "fresh": r.fresh, "evaluations": r.evaluations}))
"""
PLAIN = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
root = Path(sys.argv[1])
config = load_config(sys.argv[2], docs_dir=str(root / "build" / "docs"), site_dir=str(root / "plain-site"))
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
"""


def snapshot(work: Path) -> tuple[Path, Path]:
    """Copy the generator and templates to ``work/code``, with a mkdocs.yml naming the copied overrides."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", code / "templates")
    overrides = code / "generator" / "render" / "site" / "overrides"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*custom_dir:\s*).*$", lambda m: m.group(1) + str(overrides), text)
    (code / "mkdocs.yml").write_text(text, encoding="utf-8")
    return code, code / "mkdocs.yml"


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def run(args: list[str], code: Path, *, stdout: bool = True) -> dict:
    """Run a command: wall and CPU seconds, peak tree PSS in MB, and its last output line if JSON.

    CPU is the growth of this process's ``RUSAGE_CHILDREN``: the command and everything it
    waited for (worker processes, pandoc).
    """
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.pop("SOURCE_DATE_EPOCH", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(  # cwd: the snapshot, which ``python -c`` puts first on sys.path
        args,
        cwd=code,
        env=env,
        stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: warnings or content problems, still a finished run
        raise SystemExit(f"{args[:4]} failed:\n{err[-3000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result = {"wall": round(wall, 2), "cpu": round(cpu, 1), "peak_mb": round(peak[0] / 1024)}
    last = (out or "").strip().splitlines()[-1:]
    if last and last[0].startswith("{"):
        result.update(json.loads(last[0]))
    return result


def python(code_text: str, *args: str) -> list[str]:
    """A command that runs ``code_text`` with ``args``."""
    return [PYTHON, "-c", code_text, *args]


def edit_text(repo: Path) -> str:
    """Add a sentence to one evaluation's summary; return its id."""
    folder = sorted((repo / "evaluations").glob("2023-city-*"))[0]
    summary = folder / "summary.md"
    summary.write_text(
        summary.read_text(encoding="utf-8") + "\n补充说明：本段为基准测试所加。\n", encoding="utf-8"
    )
    return folder.name


def edit_score(repo: Path) -> str:
    """Change the first graded observation of one evaluation to another level; return its id."""
    levels = _levels_by_indicator(repo)
    folder = sorted((repo / "evaluations").glob("2023-city-*"))[0]
    path = folder / "scores" / "capability.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    current = None
    for i, line in enumerate(lines):
        head = re.match(r"^  (\S+):\s*$", line)
        current = head.group(1) if head else current
        found = re.match(r"^(    observation: )(\S+)\s*$", line)
        if found and current in levels and found.group(2) in levels[current]:
            others = [v for v in levels[current] if v != found.group(2)]
            lines[i] = found.group(1) + others[0]
            path.write_text("\n".join(lines), encoding="utf-8")
            return folder.name
    raise SystemExit("no graded observation to change")


def fresh_repo(work: Path, count: int) -> Path:
    repo = work / f"repo-{count}"
    generate(repo, count)
    return repo


def measure_size(work: Path, code: Path, config: Path, count: int) -> dict:
    """Full, plain mkdocs, warm, text edit and score edit for ``count`` evaluations."""
    repo = fresh_repo(work, count)
    args = (str(repo), str(config), "site")
    m = {"evaluations": count, "full": run(python(BUILD, *args), code)}
    m["mkdocs"] = run(python(PLAIN, str(repo), str(config)), code)
    m["pages"] = sum(1 for _ in (repo / "build" / "docs").rglob("*.md"))
    m["warm"] = run(python(BUILD, *args), code)
    time.sleep(2.1)  # edits after this are not within the file-hash cache's "racy" window of the build
    edit_text(repo)
    m["text"] = run(python(BUILD, *args), code)
    edit_score(repo)
    m["score"] = run(python(BUILD, *args), code)
    return m


def measure_check(work: Path, code: Path, count: int) -> dict:
    """zwpj check cold and warm, and check-jsonschema over the same YAML files, for ``count`` evaluations."""
    repo = work / f"repo-{count}"
    shutil.rmtree(repo / ".cache", ignore_errors=True)
    zwpj = [PYTHON, "-m", "generator.cli", "check", "--root", str(repo)]
    m = {"cold": run(zwpj, code, stdout=False), "warm": run(zwpj, code, stdout=False)}
    schema = ROOT / "schema"
    groups = {
        "evaluation": sorted(repo.glob("evaluations/*/evaluation.yaml")),
        "scores": sorted(repo.glob("evaluations/*/scores/*.yaml")),
        "system": sorted(repo.glob("indicators/*/system.yaml")),
        "part": sorted(p for p in repo.glob("indicators/*/*.yaml") if p.name != "system.yaml"),
    }
    runs = [
        run(
            [
                str(Path(PYTHON).parent / "check-jsonschema"),
                "--schemafile",
                str(schema / f"{name}.schema.json"),
                *map(str, files),
            ],
            code,
            stdout=False,
        )
        for name, files in groups.items()
        if files
    ]
    m["jsonschema"] = {k: round(sum(r[k] for r in runs), 2) for k in ("wall", "cpu")}
    m["files"] = sum(len(f) for f in groups.values())
    return m


def measure_reports(work: Path, code: Path, config: Path, count: int) -> dict:
    """A build with reports from an empty cache, the same without, and a warm one with reports."""
    repo = fresh_repo(work, count)
    args = (str(repo), str(config))
    m = {"evaluations": count, "without": run(python(BUILD, *args, "site"), code)}
    shutil.rmtree(repo / ".cache")
    m["with"] = run(python(BUILD, *args, "reports"), code)
    m["warm"] = run(python(BUILD, *args, "reports"), code)
    return m


def machine() -> dict:
    """CPUs, memory and the load while measuring."""
    mem = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    model = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), ""
    )
    return {
        "cpus": os.cpu_count(),
        "model": model,
        "memory_gb": round(int(mem) / 2**20),
        "python": sys.version.split()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zwpj-bench-build"))
    parser.add_argument("--write", type=Path, default=None, help="Markdown file whose table to replace")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    code, config = snapshot(args.workdir)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict = {"machine": machine(), "loads": [os.getloadavg()[0]], "sizes": []}
    for count in sizes:
        results["sizes"].append(measure_size(args.workdir, code, config, count))
        results["loads"].append(os.getloadavg()[0])
        print(json.dumps(results["sizes"][-1], ensure_ascii=False), file=sys.stderr)
    results["check"] = measure_check(args.workdir, code, max(sizes))
    results["reports"] = measure_reports(args.workdir, code, config, args.reports)
    results["loads"].append(os.getloadavg()[0])
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.write:
        from bench_build_report import write_section

        write_section(args.write, results)


if __name__ == "__main__":
    main()
