"""Benchmark: what tagging (PDF/UA-1) and the archival copy (PDF/A-3u) add to the time of one report.

    python benchmarks/bench_report_variants.py [--source evaluations/2024-hefei-platform] [--runs 5]
                                               [--write docs/performance.md]

Renders one evaluation's report (DOCX, PDF and, as built, the archival PDF) ``--runs`` times in each
of two ways, alternating so that other work on the machine weighs on both alike:

- ``before``: as reports were made before tagging: one untagged PDF (WeasyPrint without a
  ``pdf_variant``), no archival copy; everything else (Markdown, charts, DOCX) the same code;
- ``after``: ``render_report`` as the build calls it: the tagged PDF/UA-1 report and the PDF/A-3u
  copy with the scorecard attached, from one layout.

Then, on one layout of the same page, times each PDF write alone: untagged, PDF/UA-1, PDF/A-3u.
CPU seconds include pandoc's child processes. Prints JSON; ``--write`` puts the table between
markers in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.pipeline import check, score_one  # noqa: E402
from generator.render.report import pdf, render  # noqa: E402

START, END = "<!-- bench_report_variants:start -->", "<!-- bench_report_variants:end -->"


def cpu_seconds() -> float:
    """User + system CPU of this process and of every child reaped so far (pandoc)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def untagged_pdf(html: str, dest: Path, archive: Path, *, attachment: object, date: dt.date) -> None:
    """``pdf.write_pdf`` as it was before tagging: one untagged PDF, no archival copy."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    document.write_pdf(dest, custom_metadata=True, pdf_identifier=True)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    action()
    return time.perf_counter() - wall, cpu_seconds() - cpu


Job = tuple[object, object, object]
"""(loaded evaluation, its system, its scorecard)."""


def report(job: Job, out: Path, cache: Path) -> object:
    loaded, system, card = job
    return render.render_report(loaded, system, card, out, repo_root=ROOT, commit=None, cache_dir=cache)


def whole_reports(job: Job, runs: int, work: Path) -> dict[str, list[tuple[float, float]]]:
    """The whole report ``runs`` times each way, alternating, after one warm-up render."""
    cache = work / "cache"
    report(job, work / "warm", cache)  # imports, fonts, the reference.docx: paid once for both
    found: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for _ in range(runs):
        with mock.patch.object(render, "write_pdf", untagged_pdf):
            found["before"].append(timed(lambda: report(job, work / "before", cache)))
        found["after"].append(timed(lambda: report(job, work / "after", cache)))
    return found


def pdf_writes(job: Job, runs: int, work: Path) -> dict[str, list[tuple[float, float]]]:
    """The layout and each PDF write alone, on the page the report is made from."""
    captured: dict = {}

    def capture(html: str, dest: Path, archive: Path, *, attachment: pdf.Attachment, date: dt.date) -> None:
        captured.update(html=html, attachment=attachment)

    with mock.patch.object(render, "write_pdf", capture):
        report(job, work / "capture", work / "cache")
    found: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("layout", "untagged", "pdf/ua-1", "pdf/a-3u")
    }
    for _ in range(runs):
        for key, seconds in pdf_write_once(captured["html"], captured["attachment"], work).items():
            found[key].append(seconds)
    return found


def pdf_write_once(html: str, att: pdf.Attachment, work: Path) -> dict[str, tuple[float, float]]:
    """One layout of ``html``, then each PDF written from it."""
    from weasyprint import HTML
    from weasyprint import Attachment as PdfAttachment
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    laid: list = []
    found = {
        "layout": timed(lambda: laid.append(HTML(string=html, base_url=None, url_fetcher=fetcher).render()))
    }
    doc = laid[0]
    embedded = PdfAttachment(string=att.data, name=att.name, description=att.description, url_fetcher=fetcher)
    found["untagged"] = timed(lambda: doc.write_pdf(work / "u.pdf", custom_metadata=True))
    found["pdf/ua-1"] = timed(
        lambda: doc.write_pdf(work / "ua.pdf", custom_metadata=True, pdf_variant=pdf.VARIANT)
    )
    found["pdf/a-3u"] = timed(
        lambda: doc.write_pdf(
            work / "a.pdf",
            custom_metadata=True,
            pdf_variant=pdf.ARCHIVE_VARIANT,
            pdf_tags=True,
            attachments=[embedded],
        )
    )
    return found


def median(pairs: list[tuple[float, float]], which: int) -> float:
    return statistics.median(p[which] for p in pairs)


def table(result: dict) -> str:
    whole, writes = result["whole"], result["writes"]
    before_cpu, after_cpu = median(whole["before"], 1), median(whole["after"], 1)
    rows = [
        "| 项 | 墙钟（中位数） | CPU（中位数） |",
        "|---|---|---|",
        f"| 整份报告，标签和存档版之前（DOCX + 无标签 PDF） | {median(whole['before'], 0):.2f} 秒 "
        f"| {before_cpu:.2f} 秒 |",
        f"| 整份报告，现在（DOCX + PDF/UA-1 + PDF/A-3u） | {median(whole['after'], 0):.2f} 秒 "
        f"| {after_cpu:.2f} 秒 |",
        f"| 增加 | {median(whole['after'], 0) / median(whole['before'], 0) - 1:+.0%} "
        f"| {after_cpu / before_cpu - 1:+.0%} |",
    ]
    for key, label in (
        ("layout", "排版（一次，两种 PDF 共用）"),
        ("untagged", "写出无标签 PDF"),
        ("pdf/ua-1", "写出 PDF/UA-1（带标签）"),
        ("pdf/a-3u", "写出 PDF/A-3u（带标签，附评分 JSON）"),
    ):
        rows.append(f"| {label} | {median(writes[key], 0):.2f} 秒 | {median(writes[key], 1):.2f} 秒 |")
    rows.append(
        f"| 测量条件 | {result['runs']} 次交替运行取中位数；{result['source']}（{result['pages']} 页）；"
        f"{result['cpus']} 个 CPU，开始/结束时 1 分钟负载 "
        f"{result['load'][0]:.1f}/{result['load_after'][0]:.1f} | |"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "evaluations" / "2024-hefei-platform")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="put the table between the markers of this file")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="zwpj-bench-variants-") as tmp:
        work = Path(tmp)
        checked = check(ROOT)
        loaded = next(e for e in checked.repo.evaluations if e.folder.resolve() == args.source.resolve())
        job = (loaded, checked.repo.system_for(loaded.evaluation), score_one(checked, loaded))
        whole = whole_reports(job, args.runs, work)
        writes = pdf_writes(job, args.runs, work)
        from pypdf import PdfReader

        pages = len(PdfReader(work / "after" / f"{loaded.evaluation.id}.pdf").pages)
    result = {
        "source": str(args.source.resolve().relative_to(ROOT)),
        "runs": args.runs,
        "pages": pages,
        "cpus": os.cpu_count(),
        "load": load,
        "load_after": os.getloadavg(),
        "whole": whole,
        "writes": writes,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(table(result))
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        args.write.write_text(f"{head}{START}\n{table(result)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
