"""The tables of ``bench_build.py``'s results, written between markers in docs/performance.md."""

from __future__ import annotations

from pathlib import Path

START, END = "<!-- bench_build:start -->", "<!-- bench_build:end -->"


def _run(r: dict) -> str:
    return f"{r['wall']:.1f} 秒（CPU {r['cpu']:.0f} 秒，{r['peak_mb']} MB）"


def _share(r: dict, full: dict) -> str:
    return f"{r['wall']:.1f} 秒（{r['wall'] / full['wall']:.1%}；CPU {r['cpu'] / full['cpu']:.1%}）"


def build_table(sizes: list[dict]) -> str:
    """Full build against plain mkdocs, and warm rebuilds, per size."""
    head = (
        "| 评价数（页面） | 完整生成（空缓存） | 普通 mkdocs | 比值：墙钟 / CPU "
        "| 无改动重建 | 改一个评价的概述 | 改一个评价的得分 |\n|---|---|---|---|---|---|---|"
    )
    rows = []
    for m in sizes:
        full, plain = m["full"], m["mkdocs"]
        ratio = f"{full['wall'] / plain['wall']:.2f}× / {full['cpu'] / plain['cpu']:.2f}×"
        rows.append(
            f"| {m['evaluations']}（{m['pages']}） | {_run(full)} | {_run(plain)} | {ratio} "
            f"| {_share(m['warm'], full)} | {_share(m['text'], full)} | {_share(m['score'], full)} |"
        )
    return "\n".join([head, *rows])


def steps_table(sizes: list[dict]) -> str:
    """Where each build's time went, and how much was made afresh."""
    head = "| 评价数 | 运行 | 各步骤（秒） | 重新生成（其余取自缓存） | 峰值内存 |\n|---|---|---|---|---|"
    names = {"full": "完整生成", "warm": "无改动重建", "text": "改概述", "score": "改得分"}
    rows = []
    for m in sizes:
        for key, name in names.items():
            steps = "、".join(f"{k} {v:.1f}" for k, v in m[key]["timings"].items())
            fresh = "、".join(f"{k} {v}" for k, v in m[key]["fresh"].items())
            rows.append(f"| {m['evaluations']} | {name} | {steps} | {fresh} | {m[key]['peak_mb']} MB |")
    return "\n".join([head, *rows])


def check_table(c: dict, count: int) -> str:
    """zwpj check against check-jsonschema."""
    js = c["jsonschema"]
    return "\n".join(
        [
            "| 校验 {n} 项评价（{f} 个 YAML 文件） | 墙钟 | CPU |".format(n=count, f=c["files"]),
            "|---|---|---|",
            f"| `zwpj check`，空缓存 | {c['cold']['wall']:.1f} 秒 | {c['cold']['cpu']:.1f} 秒 |",
            f"| `zwpj check`，有缓存（文件未改） | {c['warm']['wall']:.1f} 秒 | {c['warm']['cpu']:.1f} 秒 |",
            f"| `check-jsonschema`（schema/*.json，4 次合计） | {js['wall']:.1f} 秒 | {js['cpu']:.1f} 秒 |",
        ]
    )


def reports_table(r: dict) -> str:
    """Reports: cold cost, a warm build, and the memory of report workers."""
    wall = r["with"]["wall"] - r["without"]["wall"]
    cpu = r["with"]["cpu"] - r["without"]["cpu"]
    n = r["evaluations"]
    with_, without = r["with"], r["without"]
    return "\n".join(
        [
            f"| {n} 项评价 | 墙钟 | CPU | 峰值内存 |",
            "|---|---|---|---|",
            f"| 含报告的完整生成（空缓存） | {with_['wall']:.1f} 秒 | {with_['cpu']:.0f} 秒 "
            f"| {with_['peak_mb']} MB |",
            f"| 不含报告的完整生成（空缓存） | {without['wall']:.1f} 秒 | {without['cpu']:.0f} 秒 "
            f"| {without['peak_mb']} MB |",
            f"| 报告部分（差值；每份） | {wall:.1f} 秒（{wall / n:.2f}） "
            f"| {cpu:.0f} 秒（{cpu / n:.2f}） | — |",
            f"| 含报告的无改动重建 | {r['warm']['wall']:.1f} 秒 | {r['warm']['cpu']:.1f} 秒 "
            f"| {r['warm']['peak_mb']} MB |",
        ]
    )


def section(results: dict) -> str:
    """Everything measured, as Markdown between the markers."""
    m = results["machine"]
    sizes = results["sizes"]
    largest = max(sizes, key=lambda s: s["evaluations"])
    loads = "、".join(f"{x:.1f}" for x in results["loads"])
    return "\n\n".join(
        [
            START,
            f"机器：{m['cpus']} 核（{m['model']}），内存 {m['memory_gb']} GB，Python {m['python']}；"
            f"测量过程中 1 分钟平均负载依次为 {loads}（同机有其他任务，墙钟时间随之波动，CPU 时间更稳定）。",
            build_table(sizes),
            f"{largest['evaluations']} 项评价完整生成的峰值内存（进程树 PSS 合计）："
            f"{largest['full']['peak_mb']} MB。",
            steps_table(sizes),
            check_table(results["check"], largest["evaluations"]),
            reports_table(results["reports"]),
            END,
        ]
    )


def write_section(path: Path, results: dict) -> None:
    """Replace (or append) the tables between the markers, keeping the prose around them."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# 性能\n"
    new = section(results)
    if START in text:
        text = text[: text.index(START)] + new + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")
