"""The timeliness rules (时效性, §4.4) as an indicator system sets them, and the period data must fall in.

Each rule is reported as an error or a warning as the indicator system says (``timeliness``); an
indicator (or one of its ancestors) may say otherwise for its own evidence. Validation checks
evidence dates by them (``validate.timeliness``); measuring checks dataset rows by them.
"""

from __future__ import annotations

from generator.load.repository import LoadedSystem
from generator.model.evaluation import Evaluation, Period

DEFAULTS: dict[str, str] = {
    "evidence_before_period": "warning",
    "evidence_after_period": "error",
    "evidence_undated": "warning",
    "data_outside_period": "error",
}
"""How each rule is reported when neither the system nor the indicator says."""

CODES: dict[str, dict[str, str]] = {
    "evidence_before_period": {"error": "E420", "warning": "W701"},
    "evidence_after_period": {"error": "E408", "warning": "W706"},
    "evidence_undated": {"error": "E421", "warning": "W705"},
    "data_outside_period": {"error": "E608", "warning": "W707"},
}
"""Rule → severity → the code that reports it."""


def system_policy(system: LoadedSystem | None) -> dict[str, str]:
    """The system's timeliness rules over the defaults."""
    policy = dict(DEFAULTS)
    if system is not None:
        policy.update(system.system.timeliness.model_dump(exclude_none=True))
    return policy


def indicator_policy(system: LoadedSystem | None, ind_id: str) -> dict[str, str]:
    """The rules for one indicator's evidence: the system's, then each ancestor's, then its own."""
    policy = system_policy(system)
    if system is None or ind_id not in system.index:
        return policy
    chain = []
    node = system.index.get(ind_id)
    while node is not None:
        chain.append(node.indicator)
        node = system.index.get(node.parent) if node.parent else None
    for indicator in reversed(chain):
        if indicator.timeliness is not None:
            policy.update(indicator.timeliness.model_dump(exclude_none=True))
    return policy


def data_period(ev: Evaluation) -> Period:
    """The period datasets must fall in: ``data_period``, else the evaluation period."""
    return ev.data_period or ev.period
