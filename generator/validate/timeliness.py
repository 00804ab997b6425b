"""Timeliness (时效性, §4.4): evidence captured inside the evaluation period, datasets inside the data period.

Each rule is reported as an error or a warning as the indicator system says (``timeliness``), an
indicator (or one of its ancestors) may say otherwise for its own evidence. The codes differ by
severity, so a reader of any output sees at once whether the rule blocks publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.score.periods import CODES, indicator_policy


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def check_evidence_dates(loaded: LoadedEvaluation, system: LoadedSystem | None) -> Iterator[Diagnostic]:
    """Each piece of evidence dated, and captured inside the evaluation period, as the rules say."""
    start, end = loaded.evaluation.period.start, loaded.evaluation.period.end
    if start > end:
        return  # reported as E409; no date can be judged against a reversed period
    policies: dict[str, dict[str, str]] = {}
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            policy = policies.setdefault(ind_id, indicator_policy(system, ind_id))
            for j, evidence in enumerate(entry.evidence):
                at = ("indicators", ind_id, "evidence", j)
                src = score_file.source
                if evidence.captured is None:
                    yield src.diag(at, CODES["evidence_undated"][policy["evidence_undated"]])
                    continue
                day = _day(evidence.captured)
                on = (*at, "captured")
                if day < start:
                    code = CODES["evidence_before_period"][policy["evidence_before_period"]]
                    yield src.diag(on, code, captured=day, start=start)
                elif day > end:
                    if policy["evidence_after_period"] == "warning":
                        yield src.diag(on, "W706", captured=day, end=end)
                    else:
                        yield src.diag(
                            on, "E408", detail="evidence_capture_date", date=day, start=start, end=end
                        )
