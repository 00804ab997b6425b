"""Per-evaluation work over every core: forked worker processes that share the parent's state.

Workers are forked after the parent has loaded what they need (systems, the repository, the mkdocs
configuration), so nothing large is pickled on the way in: a task is an index into a list the
worker already holds. Only results travel back. Results come in the order of the items, whatever
order the workers finish in, so the output never depends on scheduling.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from .progress import Progress, silent

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 8
"""Fewer items than this run in the parent: starting workers would cost more than it saves."""

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the current map, inherited by forked workers."""


def default_jobs() -> int:
    """Cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(indices: list[int]) -> list[tuple[int, Any]]:
    assert _TASK is not None, "worker started without a task"
    fn, items = _TASK
    return [(i, fn(items[i])) for i in indices]


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    progress: Progress = silent,
    stage: str = "",
) -> list[R]:
    """``[fn(x) for x in items]``, over ``jobs`` forked processes when that pays.

    ``fn`` may use anything the parent holds when this is called; its results must pickle.
    ``progress(stage, done, total)`` is called as items finish.
    """
    global _TASK
    total = len(items)
    progress(stage, 0, total)
    if jobs <= 1 or total < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for done, item in enumerate(items, 1):
            results.append(fn(item))
            progress(stage, done, total)
        return results
    size = max(1, min(16, total // (jobs * 6)))
    chunks = [list(range(start, min(start + size, total))) for start in range(0, total, size)]
    out: list[Any] = [None] * total
    _TASK = (fn, items)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = 0
            for future in as_completed([pool.submit(_run_chunk, chunk) for chunk in chunks]):
                for i, result in future.result():
                    out[i] = result
                    done += 1
                progress(stage, done, total)
    finally:
        _TASK = None
    return out
