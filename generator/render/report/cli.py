"""What ``zwpj verify`` does: which checks of each report file still hold.

Exit codes follow the CLI's: 0 every file passes, 1 a check fails (or nothing proves a file's
content, or it carries no fingerprint), 3 a file or manifest cannot be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from generator.render.report.verify import Rebuilds, VerifyResult, default_manifest, verify_report

EXIT_OK, EXIT_MISMATCH, EXIT_ENV = 0, 1, 3
MARKS = {"ok": "✓", "failed": "✗", "skipped": "–"}


def verify_all(
    reports: tuple[Path, ...],
    repo_root: Path,
    *,
    manifest: Path | None = None,
    trust: Sequence[Path] = (),
    rebuild: bool = True,
) -> int:
    """Check each report, print the verdicts, and return the worst exit code."""
    worst = EXIT_OK
    manifest = manifest or default_manifest(repo_root)
    made = Rebuilds()
    for path in reports:
        try:
            result = verify_report(
                path, repo_root, manifest=manifest, trust=trust, rebuild=rebuild, rebuilds=made
            )
        except OSError as exc:
            click.echo(f"环境错误（environment error）：无法读取 {path}：{exc}", err=True)
            worst = max(worst, EXIT_ENV)
            continue
        click.echo(describe(result))
        worst = max(worst, EXIT_OK if result.ok else EXIT_MISMATCH)
    return worst


def describe(result: VerifyResult) -> str:
    """The verdict on one report, in Chinese: one line per check."""
    fp = result.recorded
    where = f"（{fp.evaluation}，指纹 {fp.digest[:16]}…）" if fp else ""
    lines = [f"{'✓' if result.ok else '✗'} {result.path}{where}"]
    lines += [f"  {MARKS[c.status]} {c.name}：{c.detail}" for c in result.checks]
    if result.ok:
        lines.append("  结论：以上各项均成立。")
    elif result.failed:
        lines.append("  结论：不再成立的是——" + "；".join(c.name for c in result.failed) + "。")
    else:
        lines.append("  结论：没有一项核验能证明文件内容（未能重新生成，也没有发布清单或签名可比对）。")
    return "\n".join(lines)
