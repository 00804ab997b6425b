"""The ``verify`` command: does a report still match the repository it came from?

Wired into the main group in generator/cli.py (``main.add_command(verify)``). Exit codes follow
the CLI's: 0 every report matches, 1 a report differs or carries no fingerprint, 3 unreadable file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .verify import VerifyResult, verify_report

EXIT_OK, EXIT_MISMATCH, EXIT_ENV = 0, 1, 3


@click.command("verify")
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="仓库根目录（默认：从当前目录向上查找含 indicators/ 的目录）。",
)
def verify(reports: tuple[Path, ...], root: Path | None) -> None:
    """核验报告指纹：按报告记录的评价目录与指标体系重新计算指纹，并与报告比对。

    REPORTS 为一个或多个 .docx / .pdf 报告文件。
    """
    repo_root = (root or _find_root(Path.cwd())).resolve()
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
    sys.exit(worst)


def describe(result: VerifyResult) -> str:
    """The verdict on one report, in Chinese."""
    fp = result.recorded
    head = (
        f"{'✓' if result.ok else '✗'} {result.path}：指纹 {result.recorded_digest[:16]}…（{fp.evaluation}）"
    )
    if result.ok:
        return f"{head}\n  与仓库一致（提交 {fp.commit}，指标体系版本 {fp.edition}，生成器 {fp.generator}）。"
    return "\n".join([head, *(f"  - {p}" for p in result.problems)])


def _find_root(start: Path) -> Path:
    """The nearest folder above ``start`` holding indicators/ (as the main CLI finds it)."""
    return next((f for f in (start, *start.parents) if (f / "indicators").is_dir()), start)
