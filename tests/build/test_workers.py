"""Forked workers: a task may hold anything the parent holds (it is inherited, never pickled),
results come back in the items' order, and the parent keeps no trace of the map."""

from __future__ import annotations

import threading

from generator.build import workers


def test_fork_map_runs_a_closure_over_unpicklable_state_in_order() -> None:
    lock = threading.Lock()  # cannot be pickled: the task reaches the workers by fork alone
    parent = workers.os.getpid()

    def task(i: int) -> tuple[int, bool, bool]:
        return i * i, lock is not None, workers.os.getpid() != parent

    items = list(range(3 * workers.MIN_PARALLEL))
    results = workers.fork_map(task, items, jobs=2, wave=1)
    assert [r[0] for r in results] == [i * i for i in items]
    assert all(r[1] for r in results)
    assert any(r[2] for r in results), "the work ran in forked workers"
    assert workers._TASK is None, "the parent never holds a map's task"
