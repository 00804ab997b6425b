"""Benchmark: the site build of a generated repository of 500 evaluations, against plain mkdocs.

    python benchmarks/bench_site.py [--evaluations 500] [--runs 3] [--workdir /tmp/zwpj-bench-site]
                                    [--keep] [--write docs/performance.md]

Generates a repository by cloning the sample evaluations (the Hefei 2023/2024 pair as one party's
history, and the county, department and 好差评 evaluations as further parties): every clone gets
its own id, party name and previous-evaluation link, and a random level on some graded indicators,
so totals spread and some tie. Every clone stays valid: its dates, samples, datasets and objection
records are those of the sample it copies.

Then, each in a fresh child process and alternating, ``runs`` times:

- **full**: ``generator.build.runner.build`` without reports: load, validate (datasets included), score,
  write the pages, mkdocs;
- **mkdocs**: plain ``mkdocs build`` of the pages the full build wrote (the same Markdown files).

The child's wall time and peak resident memory come from ``/usr/bin/time``; the medians are
reported, with the full build's own per-step timings and the site audit (links and outside
requests) measured once on its own. ``--write`` replaces the table between the markers in the
given Markdown file (docs/performance.md), keeping the prose around it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
"""The frozen sample evaluations (the tests' copy): figures stay comparable whatever a team adds."""
PYTHON = sys.executable
CONFIG = ROOT / "mkdocs.yml"
"""The project's site configuration, used as it is (its theme overrides are paths inside the project)."""
SYLLABLES = "东西南北中新青云金石安宁和丰平兴华阳江河山湖庐皖淮颍濉泗凤桐潜岳枞舒"
TEMPLATES = {  # sample → (word naming the party in its files, clone kind)
    "2024-shexian-county": ("歙县", "县"),
    "2024-ah-amr-department": ("安徽省市场监督管理局", "局"),
    "2024-bozhou-haochaping": ("亳州市", "市"),
}
PAIR = ("2023-hefei-platform", "2024-hefei-platform", "合肥市")
"""Cloned together: one party's two years, the second naming the first as ``previous``."""
START, END = "<!-- bench_site:start -->", "<!-- bench_site:end -->"


def party_names(count: int, suffix: str, rng: random.Random, used: set[str]) -> list[str]:
    """Made-up place names, e.g. 青和市, distinct from each other and from ``used`` (which grows)."""
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.sample(SYLLABLES, 2)) + suffix
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def _levels_by_indicator(root: Path) -> dict[str, list[str]]:
    """Leaf id → level names, for every ``levels`` rule of the repository's systems."""
    found: dict[str, list[str]] = {}

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            rule = node.get("rule") or {}
            if rule.get("kind") == "levels":
                found[node["id"]] = [level["name"] for level in rule["levels"]]
            walk(node.get("children", []))

    for part in (root / "indicators").glob("*/*.yaml"):
        data = yaml.safe_load(part.read_text(encoding="utf-8")) or {}
        walk(data.get("indicators", []))
    return found


def _vary_scores(folder: Path, levels: dict[str, list[str]], rng: random.Random) -> None:
    """Give a few graded indicators a random level (not ones an objection's score change names)."""
    fixed = set(re.findall(r"indicator: (\S+)", (folder / "evaluation.yaml").read_text(encoding="utf-8")))
    for path in sorted((folder / "scores").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        current = None
        for i, line in enumerate(lines):
            head = re.match(r"^  (\S+):\s*$", line)
            if head:
                current = head.group(1)
            obs = re.match(r"^(    observation: )(\S+)\s*$", line)
            if obs and current in levels and current not in fixed and obs.group(2) in levels[current]:
                if rng.random() < 0.5:
                    lines[i] = obs.group(1) + rng.choice(levels[current])
        path.write_text("\n".join(lines), encoding="utf-8")


def _clone(source: Path, target: Path, replacements: list[tuple[str, str]]) -> None:
    """Copy an evaluation folder, rewriting names and ids in its text files."""
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        if path.suffix in {".yaml", ".md"}:
            text = path.read_text(encoding="utf-8")
            for old, new in replacements:
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")


def generate(repo: Path, count: int, seed: int = 3556) -> int:
    """Write a repository of ``count`` evaluations into ``repo``; returns the number written."""
    rng = random.Random(seed)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    for name in ("indicators", "templates"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copytree(SAMPLES / "bodies", repo / "bodies")
    organisations = yaml.safe_load((SAMPLES / "organisations.yaml").read_text(encoding="utf-8"))[
        "organisations"
    ]
    clones: list[dict] = []
    levels = _levels_by_indicator(repo)
    samples = SAMPLES / "evaluations"
    pairs = count * 2 // 5 // 2
    rest = count - 2 * pairs
    written, used = 0, set()
    for k, city in enumerate(party_names(pairs, "市", rng, used)):
        first, second = f"2023-city-{k:03d}", f"2024-city-{k:03d}"
        swap = [(PAIR[0], first), (PAIR[1], second), (PAIR[2], city)]
        for sample, ident in ((PAIR[0], first), (PAIR[1], second)):
            _clone(samples / sample, repo / "evaluations" / ident, swap)
            _vary_scores(repo / "evaluations" / ident, levels, rng)
            written += 2 if ident == second else 0
        clones += _clone_organisations(organisations, PAIR[2], city, first)
    per_template = rest // len(TEMPLATES)
    for t, (sample, (word, suffix)) in enumerate(TEMPLATES.items()):
        n = per_template + (rest - per_template * len(TEMPLATES) if t == 0 else 0)
        for k, name in enumerate(party_names(n, suffix, rng, used)):
            ident = f"{sample[:4]}-{suffix_slug(suffix)}-{k:03d}"
            _clone(samples / sample, repo / "evaluations" / ident, [(sample, ident), (word, name)])
            _vary_scores(repo / "evaluations" / ident, levels, rng)
            clones += _clone_organisations(organisations, word, name, ident)
            written += 1
    text = yaml.safe_dump({"organisations": organisations + clones}, allow_unicode=True, sort_keys=False)
    (repo / "organisations.yaml").write_text(text, encoding="utf-8")
    return written


def _clone_organisations(organisations: list[dict], word: str, name: str, tag: str) -> list[dict]:
    """The organisations whose name holds ``word`` (the cloned party and its units), renamed as the
    clone's files are, under new ids; a parent cloned too is the clone's, any other stays."""
    chosen = [o for o in organisations if word in o["name"]]
    ids = {o["id"]: f"{o['id']}-{tag}" for o in chosen}
    out = []
    for org in chosen:
        copy = {**org, "id": ids[org["id"]], "name": org["name"].replace(word, name)}
        copy["aliases"] = [a.replace(word, name) for a in org.get("aliases", []) if word in a]
        if org.get("parent") in ids:
            copy["parent"] = ids[org["parent"]]
        out.append(copy)
    return out


def suffix_slug(suffix: str) -> str:
    """ASCII id part for a kind of party."""
    return {"县": "county", "局": "dept", "市": "city-hcp"}[suffix]


FULL = """
import json, sys, time
from pathlib import Path
from generator.build.runner import build
root = Path(sys.argv[1])
start = time.perf_counter()
# cache=False: every run a full build (the build cache would make the second run a warm one)
result = build(root, config_file=Path(sys.argv[2]), reports=False, audit=False, cache=False)
assert result.site is not None, [d for d in result.diagnostics if d.severity.value == "error"][:5]
print(json.dumps({"seconds": time.perf_counter() - start, "timings": result.timings,
                  "evaluations": result.evaluations}))
"""

PLAIN = """
import json, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
root = Path(sys.argv[1])
start = time.perf_counter()
config = load_config(sys.argv[2], docs_dir=str(root / "build" / "docs"), site_dir=str(root / "plain-site"))
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

AUDIT = """
import json, sys, time
from pathlib import Path
from generator.render.site.audit import audit_site
start = time.perf_counter()
problems = audit_site(Path(sys.argv[1]) / "site")
print(json.dumps({"seconds": time.perf_counter() - start, "problems": len(problems)}))
"""


def run_child(code: str, repo: Path) -> dict:
    """Run ``code`` in a fresh interpreter under /usr/bin/time; its JSON plus wall time and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", stats.name, PYTHON, "-c", code, str(repo), str(CONFIG)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if done.returncode:
            raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
        wall, rss_kb = stats.read().split()[-2:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(wall=float(wall), peak_mb=int(rss_kb) / 1024)
    return result


def measure(repo: Path, runs: int) -> dict:
    """Alternate full builds and plain mkdocs builds; medians and the audit once."""
    full, plain = [], []
    for _ in range(runs):
        full.append(run_child(FULL, repo))
        plain.append(run_child(PLAIN, repo))
    audit = run_child(AUDIT, repo)
    docs = repo / "build" / "docs"
    pages = sum(1 for _ in docs.rglob("*.md"))
    site = repo / "site"
    return {
        "evaluations": full[0]["evaluations"],
        "pages": pages,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "index_mb": sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file()) / 2**20,
        "full": statistics.median(r["wall"] for r in full),
        "full_peak": max(r["peak_mb"] for r in full),
        "plain": statistics.median(r["wall"] for r in plain),
        "plain_peak": max(r["peak_mb"] for r in plain),
        "steps": {k: statistics.median(r["timings"][k] for r in full) for k in full[0]["timings"]},
        "audit": audit["seconds"],
        "audit_problems": audit["problems"],
        "runs": runs,
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
    }


def report(m: dict) -> str:
    """The measured table, between markers, for docs/performance.md (the prose around it is kept)."""
    overhead = m["full"] - m["plain"]
    steps = "、".join(f"{k} {v:.1f} 秒" for k, v in m["steps"].items())
    rows = [
        ("评价数 / Markdown 页面数", f"{m['evaluations']} / {m['pages']}"),
        ("完整生成（不含报告）", f"{m['full']:.1f} 秒，峰值内存 {m['full_peak']:.0f} MB"),
        ("同一批页面的普通 mkdocs build", f"{m['plain']:.1f} 秒，峰值内存 {m['plain_peak']:.0f} MB"),
        ("mkdocs 之外增加的时间", f"{overhead:.1f} 秒（{overhead / m['plain']:.0%}）"),
        ("完整生成各步骤（中位数）", steps),
        ("站点检查（断链、外部请求）", f"{m['audit']:.1f} 秒，问题 {m['audit_problems']} 个"),
        ("站点大小 / 搜索索引", f"{m['site_mb']:.0f} MB / {m['index_mb']:.1f} MB"),
        ("测量条件", f"{m['runs']} 次取中位数；{m['cpus']} 个 CPU，结束时 1 分钟负载 {m['load']:.1f}"),
    ]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"{START}\n| 项目 | 结果 |\n|---|---|\n{table}\n{END}"


def write_section(path: Path, section: str) -> None:
    """Replace (or append) the measured table in a Markdown file."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# 性能测量\n"
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "zwpj-bench-site")
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    parser.add_argument("--write", type=Path, default=None, help="Markdown file whose table to replace")
    args = parser.parse_args()
    written = generate(args.workdir, args.evaluations)
    print(f"generated {written} evaluations in {args.workdir}", file=sys.stderr)
    try:
        results = measure(args.workdir, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.write:
        write_section(args.write, report(results))


if __name__ == "__main__":
    main()
