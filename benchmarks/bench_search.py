"""Benchmark: bytes a browser downloads from opening the home page to the first search result.

    python benchmarks/bench_search.py [--evaluations 1000] [--code DIR] [--label NAME]
                                      [--workdir /tmp/zwpj-bench-search] [--json FILE]
    python benchmarks/bench_search.py --report BEFORE.json AFTER.json [--write docs/performance.md]

Generates a repository of ``--evaluations`` evaluations (``bench_site.generate``: clones of the
sample evaluations with their own parties), builds its site without reports with the generator in
``--code`` (a folder holding ``generator/``; default: a copy of this checkout, so the code of
another commit can be measured from ``git worktree add``), serves it on the loopback with Python's
static server and opens it in Debian's Chromium (Playwright). For each query a fresh browser
profile opens ``index.html``, types the query into the search box and waits for the first result;
every response until then is counted: its bytes as served (Python's server does not compress) and
as gzip would send them (``gzip -6`` of each body, what a server with compression on sends).
The folder copy is then opened from ``file://`` and the same queries must find results there.

``--report`` puts two such runs side by side; ``--write`` replaces the table between the markers
in the given Markdown file, keeping the prose around it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_site import generate  # noqa: E402
from browser import launch_chromium, serve_folder, type_search  # noqa: E402

QUERIES = ("办件", "乡镇便民服务中心", "{party}")
"""A two-character word, a phrase, and the name of one generated party (filled in per repository)."""
START, END = "<!-- bench_search:start -->", "<!-- bench_search:end -->"
BUILD = """
import json, sys, time
from pathlib import Path
from generator.build.runner import build
start = time.perf_counter()
result = build(Path(sys.argv[1]), config_file=Path(sys.argv[2]), reports=False, audit=False)
errors = [str(d) for d in result.diagnostics if d.severity.value == "error"][:5]
assert result.site is not None and not getattr(result, "left_out", ()), errors  # every evaluation published
print(json.dumps({"seconds": time.perf_counter() - start, "evaluations": result.evaluations}))
"""


def snapshot(work: Path) -> Path:
    """This checkout's generator copied to ``work/code``, with a mkdocs.yml naming its overrides."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", code / "mkdocs.yml")
    return code


def config_for(code: Path, work: Path) -> Path:
    """``code``'s mkdocs.yml with the theme overrides named by absolute path."""
    text = (code / "mkdocs.yml").read_text(encoding="utf-8")
    overrides = code / "generator" / "render" / "site" / "overrides"
    text = re.sub(r"(?m)^(\s*custom_dir:\s*).*$", lambda m: m.group(1) + str(overrides), text)
    path = work / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build_site(code: Path, repo: Path, config: Path) -> dict:
    """Build ``repo``'s site with the generator in ``code`` (a fresh interpreter importing it)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(repo), str(config)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def first_party(repo: Path) -> str:
    """The evaluated party of the first generated county evaluation."""
    folder = sorted((repo / "evaluations").glob("2024-county-*"))[0]
    text = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    return re.search(r"(?m)^evaluated:\n\s+name:\s*(\S+)", text).group(1)  # type: ignore[union-attr]


def search_once(browser, start: str, query: str, timeout: float = 600) -> dict:  # type: ignore[no-untyped-def]
    """Open ``start``, search ``query``; the responses until the first result, and the time it took."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    responses: list[tuple[str, int, int]] = []

    def seen(response) -> None:  # type: ignore[no-untyped-def]
        try:
            body = response.body()
        except Exception:  # a redirect or a request that failed has no body
            body = b""
        responses.append((response.url, len(body), len(gzip.compress(body, 6)) if body else 0))

    page.on("response", seen)
    began = time.perf_counter()
    page.goto(start)
    page.wait_for_load_state("load")
    opened = len(responses)
    type_search(page, query)
    page.locator(".md-search-result__item a").first.wait_for(timeout=timeout * 1000)
    seconds = time.perf_counter() - began
    first = page.locator(".md-search-result__item a").first.get_attribute("href") or ""
    context.close()
    return {
        "query": query,
        "seconds": round(seconds, 2),
        "requests": len(responses),
        "bytes": sum(n for _, n, _ in responses),
        "gzip": sum(g for _, _, g in responses),
        "page_bytes": sum(n for _, n, _ in responses[:opened]),
        "largest": sorted(((n, u.rsplit("/", 2)[-2:]) for u, n, _ in responses), reverse=True)[:3],
        "first": first,
    }


def measure(code: Path, work: Path, count: int, label: str, *, rebuild: bool = True) -> dict:
    """Generate, build (unless ``rebuild`` is false and a site is there), and search over HTTP and
    from file://."""
    repo = work / "repo"
    if not (repo / "evaluations").is_dir() or len(list((repo / "evaluations").iterdir())) != count:
        generate(repo, count)
    if rebuild or not (repo / "site" / "index.html").is_file():
        shutil.rmtree(repo / ".cache", ignore_errors=True)
        built = build_site(code, repo, config_for(code, work))
    else:
        built = {"seconds": float("nan"), "evaluations": count}
    site = repo / "site"
    queries = [q.format(party=first_party(repo)) for q in QUERIES]
    files = sum(1 for p in site.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())
    with launch_chromium() as browser:
        with serve_folder(site) as url:
            http = [search_once(browser, url + "index.html", q) for q in queries]
        offline = []
        for q in queries:
            try:
                offline.append(search_once(browser, (site / "index.html").as_uri(), q, timeout=60)["first"])
            except Exception as exc:  # the old search has no results from a folder: recorded, not fatal
                offline.append(f"失败：{type(exc).__name__}")
    return {
        "label": label,
        "evaluations": built["evaluations"],
        "build_seconds": round(built["seconds"], 1),
        "site_files": files,
        "site_mb": round(size / 2**20, 1),
        "search_mb": round(search / 2**20, 1),
        "http": http,
        "offline": offline,
    }


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def report(before: dict, after: dict) -> str:
    """A Markdown table of two runs."""
    lines = [
        START,
        f"{after['evaluations']} 项评价；Chromium，视口 390×844，每个查询用全新的浏览器配置（无缓存），"
        "从打开首页到出现第一条搜索结果。“原样”为 Python 静态服务器发送的字节数（不压缩），"
        "“gzip”为开启压缩的服务器（gzip -6）发送的字节数。",
        "",
        "| 查询 | 版本 | 请求数 | 下载（原样） | 下载（gzip） | 其中首页本身 | 用时 | 离线（file://） |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for i, q in enumerate(after["http"]):
        for run in (before, after):
            h = run["http"][i]
            ok = "找到" if not run["offline"][i].startswith("失败") else "无结果"
            lines.append(
                f"| {q['query']} | {run['label']} | {h['requests']} | {_kb(h['bytes'])} | {_kb(h['gzip'])} | "
                f"{_kb(h['page_bytes'])} | {h['seconds']:.1f} 秒 | {ok} |"
            )
    lines += [
        "",
        "| 版本 | 站点文件数 | 站点大小 | 其中搜索索引 | 生成用时（不含报告） |",
        "|---|--:|--:|--:|--:|",
    ]
    for run in (before, after):
        lines.append(
            f"| {run['label']} | {run['site_files']:,} | {run['site_mb']} MB | {run['search_mb']} MB | "
            f"{run['build_seconds']} 秒 |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the text between the markers in ``path`` (or append it)."""
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument(
        "--code", type=Path, default=None, help="folder holding generator/ (default: this checkout)"
    )
    parser.add_argument("--label", default="本版本")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zwpj-bench-search"))
    parser.add_argument("--json", type=Path, default=None, help="write the run's figures here")
    parser.add_argument("--no-build", action="store_true", help="measure the site built by an earlier run")
    parser.add_argument("--report", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    if args.report:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.report)
        section = report(before, after)
        if args.write:
            write_section(args.write, section)
        print(section)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    code = args.code.resolve() if args.code else snapshot(args.workdir)
    result = measure(code, args.workdir, args.evaluations, args.label, rebuild=not args.no_build)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
