"""Build progress: a callback the steps call, and a progress bar on stderr for a terminal.

Library code only calls ``progress(stage, done, total)``; whether that draws a bar is the
command line's choice, so tests and CI logs get no control characters.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

STAGES = {
    "load": "读取和校验评价",
    "validate": "校验评价",
    "score": "评分",
    "pages": "生成页面",
    "render": "生成网页",
    "reports": "生成报告",
}
"""Stage names shown beside the bar."""


class Progress(Protocol):
    """Told how far a stage has got."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


def silent(stage: str, done: int, total: int) -> None:
    """Progress that shows nothing."""


@contextmanager
def progress_bar(*, min_total: int = 20) -> Iterator[Progress]:
    """A rich progress bar on stderr when it is a terminal (one line per stage), else ``silent``.

    Stages with fewer than ``min_total`` items show no bar: they finish before one is useful.
    """
    if not sys.stderr.isatty():
        yield silent
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if total < min_total:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
