"""The what-if calculator's inputs: one evaluation's observations and its system, as JSON.

The browser scorer (``static/whatif.js``) recomputes the scorecard from this document alone, so
it carries exactly what scoring reads and nothing else: the indicator tree with weights and rules,
grade bands, rounding, the rater policy, modes and the bonus cap; per mode, each leaf's observation,
raters' observations (without who they are) and not-applicable reasons; the measured figures.
No people, no contact details, no evidence paths.

Mappings become lists of ``[key, value]`` pairs (``{"map": [...]}`` for observations), because a
JavaScript object reorders integer-like keys. Weights are exact fractions written as text
(``"1/86"``); other numbers are the decimals the files wrote, which the script reads back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.evaluation import ScoreEntry
from generator.model.system import Indicator, IndicatorSystem, Rule, SatisfactionRule
from generator.score.card import Measured
from generator.score.engine import Observed, collect_entries
from generator.score.problem import Problem
from generator.score.spelling import canonical

FORMAT = 2
"""Version of the document's layout; the script refuses documents of another version."""


def export_inputs(
    evaluation: LoadedEvaluation, system: LoadedSystem, measured: Mapping[str, Measured]
) -> dict[str, Any]:
    """A JSON-ready document from which ``scoreEvaluation`` in whatif.js recomputes the scorecard."""
    spec = system.system
    by_mode = collect_entries(evaluation)
    leaves = {node.indicator.id: node.indicator for node in system.leaves()}
    mode_ids: list[str | None] = [m.id for m in spec.modes] or [None]
    used = {m for ind in leaves.values() if (m := getattr(ind.rule, "measure", None))}
    weights = {id(n.indicator): n.weight for n in system.index.values()}
    return {
        "format": FORMAT,
        "system": _system(spec, [_indicator(d, weights) for d in system.dimensions]),
        "evaluation": {"id": evaluation.evaluation.id},
        "modes": [{"id": m, "entries": _entries(by_mode.get(m, {}), leaves)} for m in mode_ids],
        "measured": {name: _measured(m) for name, m in measured.items() if name in used},
    }


def inputs_text(document: dict[str, Any]) -> str:
    """The document as compact UTF-8 JSON; floats are written as Python's shortest repr, which the
    browser reads back to the same double."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def _system(spec: IndicatorSystem, dimensions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": spec.id,
        "name": spec.name,
        "edition": spec.edition,
        "scale": spec.scale,
        "bonus_cap": spec.bonus_cap,
        "not_applicable": spec.not_applicable,
        "rounding": spec.rounding.model_dump(),
        "raters": {"combine": spec.raters.combine, "trim": spec.raters.trim},
        "modes": [{"id": m.id, "name": m.name, "weight": m.weight} for m in spec.modes],
        "grades": [
            {
                "name": g.name,
                "min": g.min,
                "min_inclusive": g.min_inclusive,
                "max": g.max,
                "max_inclusive": g.max_inclusive,
            }
            for g in spec.grades
        ],
        "stages": [s.model_dump(mode="json") for s in spec.stages()],
        "indicators": dimensions,
    }


def _fraction(value: Fraction) -> str:
    """An exact weight as text the script reads: ``"5/2"``, ``"1/86"``, ``"3"``."""
    return str(value)


def _indicator(ind: Indicator, weights: Mapping[int, Fraction]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ind.id, "name": ind.name, "weight": _fraction(weights[id(ind)])}
    if ind.rule is not None:
        out["rule"] = _rule(ind.rule)
    if ind.children:
        out["children"] = [_indicator(c, weights) for c in ind.children]
    return out


def _rule(rule: Rule) -> dict[str, Any]:
    """The rule's scoring fields; level descriptions are left to the page."""
    data = rule.model_dump(mode="json", exclude_none=True)
    if isinstance(rule, SatisfactionRule):
        data["levels"] = [[name, points] for name, points in rule.levels.items()]
    if data["kind"] == "levels":
        data["levels"] = [{"name": lv["name"], "points": lv["points"]} for lv in data["levels"]]
    return data


def _entries(found: Mapping[str, Observed], leaves: Mapping[str, Indicator]) -> dict[str, Any]:
    return {
        ind_id: _entry(observed.entry, leaves[ind_id].rule)
        for ind_id, observed in found.items()
        if ind_id in leaves
    }


def _entry(entry: ScoreEntry, rule: Rule | None) -> dict[str, Any]:
    """What scoring reads of one score entry."""
    if entry.not_applicable:
        return {"not_applicable": entry.not_applicable}
    if entry.ratings:
        return {"ratings": [_observation(r.observation, rule) for r in entry.ratings]}
    return {"observation": _observation(entry.observation, rule)}


def _observation(value: Any, rule: Rule | None) -> Any:
    """An observation in JSON as the scorer reads it (``90%`` → 0.9, item names → ids); a mapping keeps
    its order as pairs."""
    if rule is not None:
        try:
            value = canonical(rule, value)
        except Problem:
            pass  # refused by validation (E405): such an evaluation is not scored nor published
    if isinstance(value, Mapping):
        return {"map": [[str(k), v] for k, v in value.items()]}
    return value


def _measured(m: Measured) -> dict[str, Any]:
    return {
        "value": m.value,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "counts": [[k, c] for k, c in m.counts],
    }
