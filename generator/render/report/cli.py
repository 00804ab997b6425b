"""What ``zwpj verify`` does: does a report still match the repository it came from?

Exit codes follow the CLI's: 0 every report matches, 1 a report differs or carries no
fingerprint, 3 unreadable file.
"""

from __future__ import annotations

from pathlib import Path

import click

from .verify import VerifyResult, verify_report

EXIT_OK, EXIT_MISMATCH, EXIT_ENV = 0, 1, 3


def verify_all(reports: tuple[Path, ...], repo_root: Path) -> int:
    """Check each report, print the verdicts, and return the worst exit code."""
    worst = EXIT_OK
    for path in reports:
        try:
            result = verify_report(path, repo_root)
        except ValueError as exc:
            click.echo(f"✗ {path}：{exc}", err=True)
            worst = max(worst, EXIT_MISMATCH)
            continue
        except OSError as exc:
            click.echo(f"环境错误（environment error）：无法读取 {path}：{exc}", err=True)
            worst = max(worst, EXIT_ENV)
            continue
        click.echo(describe(result))
        worst = max(worst, EXIT_OK if result.ok else EXIT_MISMATCH)
    return worst


def describe(result: VerifyResult) -> str:
    """The verdict on one report, in Chinese."""
    fp = result.recorded
    head = (
        f"{'✓' if result.ok else '✗'} {result.path}：指纹 {result.recorded_digest[:16]}…（{fp.evaluation}）"
    )
    if result.ok:
        return f"{head}\n  与仓库一致（提交 {fp.commit}，指标体系版本 {fp.edition}，生成器 {fp.generator}）。"
    return "\n".join([head, *(f"  - {p}" for p in result.problems)])
