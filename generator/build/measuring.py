"""An evaluation's measures: its datasets read (load stage), then checked and counted (score stage).

One connection per evaluation, bounded in memory, spill and time: ``load.datasets`` scans every
dataset into a table and locks the connection (no file reachable from then on); ``score.measures``
types and checks the columns, reports rows outside the data period and counts. Passing the time
or memory bound stops the evaluation's measures with one located error (E609, E610), never a hang.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from generator.diagnostics import Diagnostic, diag
from generator.load.datasets import Dataset, Deadline, OutOfTime, bounds, connect, lock, scan
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.render.edition import Edition
from generator.score.card import Measured
from generator.score.measures import MeasurePlan, check_dataset, compute, outside_period, plan_measures


def compute_measures(
    evaluation: LoadedEvaluation, system: LoadedSystem, root: Path
) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every measure the evaluation needs, with located problems in its datasets."""
    plan = plan_measures(evaluation, system, root, Edition.PUBLIC.hides(evaluation))
    if not plan.datasets:
        return {}, plan.problems
    results, failures = _run_all(plan)
    return results, plan.problems + failures


def _run_all(plan: MeasurePlan) -> tuple[dict[str, Measured], list[Diagnostic]]:
    """Every dataset of one evaluation in one connection: all read, then the lock, then checks and counts.

    A dataset with problems gives no figures; the others still do.
    """
    results: dict[str, Measured] = {}
    problems: list[Diagnostic] = []
    current = plan.datasets[0]
    seconds, memory = bounds()
    with (
        tempfile.TemporaryDirectory() as tmp,
        connect(Path(tmp), memory) as con,
        Deadline(con, seconds) as clock,
    ):
        try:
            read: list[tuple[int, list[str], Dataset]] = []
            for index, dataset in enumerate(plan.datasets):
                current = dataset
                failures, header = scan(con, clock, Path(tmp), dataset, f"raw_{index}")
                problems.extend(failures)
                if not failures:
                    read.append((index, header, dataset))
            clock.check()
            lock(con)
            ready: list[tuple[str, Dataset]] = []
            for index, header, dataset in read:
                current = dataset
                failures = check_dataset(con, f"raw_{index}", header, dataset, f"data_{index}")
                problems.extend(failures)
                if not failures:
                    ready.append((f"data_{index}", dataset))
                    problems.extend(outside_period(con, f"raw_{index}", header, dataset, plan.window))
            for view, dataset in ready:
                current = dataset
                found, failures = compute(con, clock, view, dataset, plan.conditions)
                results.update(found)
                problems.extend(failures)
        except (OutOfTime, duckdb.InterruptException):
            return {}, [*problems, _bound(current, "E609", limit=f"{seconds:g}")]
        except duckdb.OutOfMemoryException:
            return {}, [*problems, _bound(current, "E610", limit=memory)]
    return results, problems


def _bound(dataset: Dataset, code: str, **args: str) -> Diagnostic:
    return diag(*dataset.declared, code, dataset=dataset.rel, **args)
