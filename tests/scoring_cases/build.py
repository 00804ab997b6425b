"""Build indicator systems and evaluations in memory, for scoring tests that need no files.

``leaf`` and ``node`` make indicators, ``system`` indexes them the way ``generator.load.repository`` does,
``evaluation`` wraps score entries (per mode) in a minimal valid evaluation, and ``score`` runs
the engine on both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from generator.load.repository import LoadedEvaluation, LoadedSystem, ScoreSource, index_system, list_files
from generator.load.resolve import Written
from generator.load.yamlsource import Source
from generator.model.evaluation import Evaluation, ScoreEntry, ScoreFile
from generator.model.numbers import exact, parse_weight
from generator.model.system import GradeBand, Indicator, IndicatorSystem
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard

BANDS = [
    GradeBand(name="优秀", min=90),
    GradeBand(name="良好", min=80, max=90),
    GradeBand(name="合格", min=60, max=80),
    GradeBand(name="不合格", min=0, max=60),
]
"""Four bands on a 100-point scale, best first, like the sample system."""

PEOPLE = {"rater-a": "甲", "rater-b": "乙", "rater-c": "丙", "rater-d": "丁", "rater-e": "戊"}
"""Team members the evaluation names; ids double as rater ids."""


def leaf(ind_id: str, weight: float, rule: Mapping[str, Any], **extra: Any) -> Indicator:
    """A leaf indicator with a rule given as a plain dict (validated by the model)."""
    return Indicator.model_validate(
        {
            "id": ind_id,
            "name": f"指标{ind_id}",
            "weight": weight,
            "source": "测试",
            "rule": dict(rule),
            **extra,
        }
    )


def node(ind_id: str, children: list[Indicator], weight: float | None = None) -> Indicator:
    """An inner indicator; without a weight it weighs what its children add up to."""
    return Indicator(id=ind_id, name=f"指标{ind_id}", weight=weight, source="测试", children=children)


def total_weight(ind: Indicator) -> Fraction:
    """What an indicator weighs as written: its number or fraction, else its children's sum."""
    if isinstance(ind.weight, str):
        return parse_weight(ind.weight, Fraction(0))[0]
    if ind.weight is not None:
        return exact(ind.weight)
    return sum((total_weight(c) for c in ind.children), Fraction(0))


def system(dimensions: list[Indicator], **fields: Any) -> LoadedSystem:
    """A loaded system over ``dimensions``; ``fields`` override IndicatorSystem fields."""
    spec = IndicatorSystem.model_validate(
        {
            "id": "test-system",
            "name": "测试体系",
            "edition": "1",
            "effective": dt.date(2024, 1, 1),
            "source": "测试",
            "scale": float(sum((total_weight(d) for d in dimensions), Fraction(0))),
            "grades": BANDS,
            "parts": ["part.yaml"],
            **fields,
        }
    )
    source = Source("indicators/test-system/system.yaml")
    loaded = LoadedSystem(spec, Path("indicators/test-system"), source)
    part = Source("indicators/test-system/part.yaml")
    written = [Written(dim, part, ("indicators", j)) for j, dim in enumerate(dimensions)]
    problems = index_system(loaded, written)
    assert problems == [], problems
    return loaded


def entry(observation: Any = None, **fields: Any) -> ScoreEntry:
    """A score entry; ``ratings`` may be given as {rater: observation}."""
    ratings = fields.pop("ratings", None)
    if isinstance(ratings, Mapping):
        fields["ratings"] = [{"rater": r, "observation": o} for r, o in ratings.items()]
    elif ratings is not None:
        fields["ratings"] = ratings
    return ScoreEntry.model_validate({"observation": observation, **fields})


def evaluation(
    entries: Mapping[str, ScoreEntry | Any] | None = None,
    *,
    modes: Mapping[str, Mapping[str, ScoreEntry | Any]] | None = None,
    ev_id: str = "test-eval",
    system_id: str = "test-system",
    edition: str = "1",
    party: str = "测试市",
    end: dt.date = dt.date(2024, 12, 31),
    previous: str | None = None,
    folder: Path | None = None,
    datasets: Mapping[str, str] | None = None,
) -> LoadedEvaluation:
    """An evaluation holding ``entries`` (one score file) or one score file per mode.

    A plain value instead of a ScoreEntry is taken as the observation. ``folder`` is where its
    ``datasets`` (kind → file relative to the folder) are read from.
    """
    sets = dict(modes) if modes is not None else {None: entries or {}}
    ev = Evaluation.model_validate(
        {
            "id": ev_id,
            "title": "测试评价",
            "system": {"id": system_id, "edition": edition},
            "stage": "完成评价",
            "evaluated": {"name": party},
            "commissioner": {"name": "委托方"},
            "body": {"name": "评价机构"},
            "team": [
                {"id": p, "name": n, "role": "评价员", "affiliation": "评价机构"} for p, n in PEOPLE.items()
            ],
            "purpose": "测试",
            "object": "测试",
            "scope": "测试",
            "period": {"start": dt.date(end.year, 1, 1), "end": end},
            "plan": {"title": "方案", "approved": dt.date(end.year, 1, 1), "report_due": end},
            "scores": [f"scores/{m or 'all'}.yaml" for m in sets],
            "previous": previous,
            "datasets": dict(datasets or {}),
        }
    )
    loaded = LoadedEvaluation(
        folder or Path(f"evaluations/{ev_id}"),
        f"evaluations/{ev_id}",
        ev,
        Source(f"evaluations/{ev_id}/evaluation.yaml"),
    )
    if folder is not None:
        loaded.files = list_files(folder)  # as loading lists them: the datasets are among them
    for mode, found in sets.items():
        items = {k: v if isinstance(v, ScoreEntry) else entry(v) for k, v in found.items()}
        scores = ScoreFile(mode=mode, indicators=items)
        loaded.score_files.append(
            ScoreSource(Source(f"evaluations/{ev_id}/scores/{mode or 'all'}.yaml"), scores)
        )
    return loaded


def score(
    loaded: LoadedSystem,
    entries: Mapping[str, ScoreEntry | Any] | None = None,
    *,
    measured: Mapping[str, Measured] | None = None,
    **ev_fields: Any,
) -> Scorecard:
    """Score ``entries`` against ``loaded``."""
    return score_evaluation(
        evaluation(entries, **ev_fields), loaded, measured=measured or {}, input_hash="0" * 64
    )


def by_id(card: Scorecard) -> dict[str, Any]:
    """The scorecard's indicators by id."""
    return {i.id: i for i in card.indicators}
