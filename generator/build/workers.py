"""Per-evaluation work over every core: forked worker processes that share the parent's state.

Workers are forked after the parent has loaded what they need (systems, the repository, the mkdocs
configuration), so nothing large is pickled on the way in: a task is an index into a list the
worker already holds. Only results travel back. Results come in the order of the items, whatever
order the workers finish in, so the output never depends on scheduling.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from generator.build.progress import Progress, silent

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 8
"""Fewer items than this run in the parent: starting workers would cost more than it saves."""

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""In a worker process only: the function and items of the map it serves. Set once, when the
worker starts (``_start_worker``, the pool's initializer); the parent never sets it. A pool hands
its initializer's arguments to a forked worker by inheritance, never pickled, so a task may be a
closure over anything the parent holds; a submitted call is pickled, so it names the task by
index only, and the worker has to keep the task between calls: here."""


def default_jobs() -> int:
    """Cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start_worker(fn: Callable[[Any], Any], items: Sequence[Any]) -> None:
    """Pool initializer, run in each forked worker: keep the map's task for ``_run_chunk``."""
    global _TASK
    _TASK = (fn, items)


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
    wave: int | None = None,
) -> list[R]:
    """``[fn(x) for x in items]``, over ``jobs`` forked processes when that pays.

    ``fn`` may use anything the parent holds when this is called; its results must pickle.
    ``progress(stage, done, total)`` is called as items finish. ``wave`` caps how many items one
    worker handles before it is replaced by a fresh fork: a worker's memory grows with every
    object of the parent it touches (copy on write), and a new one starts from shared pages again.
    """
    total = len(items)
    progress(stage, 0, total)
    if jobs <= 1 or total < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for done, item in enumerate(items, 1):
            results.append(fn(item))
            progress(stage, done, total)
        return results
    out: list[Any] = [None] * total
    step = jobs * wave if wave else total
    done = 0
    gc.freeze()  # a collection in a worker would touch, and so copy, every page of the parent's heap
    for first in range(0, total, step):
        for i, result in _run_wave(fn, items, range(first, min(first + step, total)), jobs):
            out[i] = result
            done += 1
            progress(stage, done, total)
    return out


def _run_wave(
    fn: Callable[[Any], Any], items: Sequence[Any], indices: range, jobs: int
) -> Iterator[tuple[int, Any]]:
    """(index, result) of the items at ``indices`` as they finish, over a new pool of forked workers."""
    size = max(1, min(16, len(indices) // (jobs * 6)))
    chunks = [list(indices[k : k + size]) for k in range(0, len(indices), size)]
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=fork, initializer=_start_worker, initargs=(fn, items)) as pool:
        try:
            for future in as_completed([pool.submit(_run_chunk, chunk) for chunk in chunks]):
                yield from future.result()
        except BaseException:  # a failure (or an interrupt) reported now, not after every other chunk
            pool.shutdown(wait=False, cancel_futures=True)
            raise
