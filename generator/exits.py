"""One exit-code policy for every command, applied at the command-line boundary.

``0`` nothing wrong; ``1`` problems found in the content; ``2`` a usage mistake, or nothing was
checked; ``3`` the environment failed (disk full, permission denied, out of memory, a tool
missing). No traceback reaches the user for any of these: an ``OSError`` or ``MemoryError`` that
escapes a command becomes one sentence and exit 3.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_ENV = 0, 1, 2, 3

_ERRNO_ZH = {
    errno.ENOSPC: "磁盘空间已满（no space left on device）",
    errno.EDQUOT: "超出磁盘配额（disk quota exceeded）",
    errno.EACCES: "没有权限（permission denied）",
    errno.EPERM: "不允许的操作（operation not permitted）",
    errno.EROFS: "文件系统只读（read-only file system）",
    errno.ENOMEM: "内存不足（out of memory）",
    errno.EMFILE: "打开的文件过多（too many open files）",
    errno.ENAMETOOLONG: "文件名过长（file name too long）",
    errno.EISDIR: "应为文件，实为文件夹（is a directory）",
    errno.ENOTDIR: "路径中有一段不是文件夹（not a directory）",
    errno.ENOENT: "文件或文件夹不存在（no such file or directory）",
    errno.EIO: "读写设备出错（input/output error）",
    errno.ELOOP: "符号链接循环（too many levels of symbolic links）",
}
"""errno → what it means, for the sentence an environment failure ends in."""


class EnvironmentProblem(click.ClickException):
    """A problem with the machine, not the content: missing tool, unwritable folder, full disk."""

    exit_code = EXIT_ENV

    def show(self, file: Any = None) -> None:
        click.echo(f"环境错误（environment error）：{self.message}", err=True)


def describe_os_error(exc: OSError, root: Path | None = None) -> str:
    """One sentence for an OSError: what failed, and where (relative to ``root`` when inside it)."""
    what = _ERRNO_ZH.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    where = [_shown(name, root) for name in (exc.filename, exc.filename2) if name]
    return what + (f"（{' → '.join(where)}）" if where else "")


def _shown(name: Any, root: Path | None) -> str:
    path = Path(os.fsdecode(name))
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)


def environment_failure(exc: BaseException) -> EnvironmentProblem | None:
    """The EnvironmentProblem an escaped exception stands for, or None when it is not one."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, MemoryError):
        return EnvironmentProblem(
            "内存不足（out of memory）：请关闭其他程序，或用 --jobs 1 减少并行进程后重试。"
        )
    if isinstance(exc, BrokenProcessPool):
        return EnvironmentProblem(
            "一个工作进程意外退出（常见原因：内存不足被系统终止）；请用 --jobs 1 重试"
            "（a worker process died）。"
        )
    if isinstance(exc, OSError):
        return EnvironmentProblem(describe_os_error(exc, Path.cwd()))
    return None


class Group(click.Group):
    """A click group whose commands end in the policy's exit codes, never in a traceback for the machine."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except (OSError, MemoryError, RuntimeError) as exc:
            problem = environment_failure(exc)
            if problem is None:
                raise
            raise problem from exc
