"""Write tests/pinned/figures.json: the figures every sample evaluation and generated case scores today.

Run only when a change of figures is intended and explained: ``python tests/pinned/record.py``.
The test ``test_pinned_figures`` compares the scorer's output with this file.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "render" / "calculator")]

from buildlib import checked_samples  # noqa: E402
from test_calculator_support import generated_cases  # noqa: E402

from generator.pipeline import score_one  # noqa: E402
from generator.score.card import Scorecard  # noqa: E402

FILE = HERE / "figures.json"


def pinned(card: Scorecard) -> dict[str, Any]:
    """The figures a reader sees: totals, grade, vetoes and each indicator's weight and points.

    Fractions (得分率) are left out: they are shown as percentages, and the exact fraction of a
    ratio rule may differ from the old float quotient in the last binary digit."""
    per_mode = card.mode_indicators or ((None, card.indicators),)
    return {
        "total": card.total,
        "grade": card.grade,
        "grade_by_points": card.grade_by_points,
        "base_total": card.base_total,
        "bonus": card.bonus,
        "vetoes": list(card.vetoes),
        "mode_totals": [[m.id, m.total] for m in card.modes],
        "indicators": [
            [mode, [[i.id, i.status, i.effective_weight, i.points, i.bonus, i.vetoed] for i in inds]]
            for mode, inds in per_mode
        ],
    }


def digest(figures: dict[str, Any]) -> dict[str, Any]:
    """A generated case's figures: the totals in full, the indicator rows as a hash."""
    rows = json.dumps(figures["indicators"], sort_keys=True).encode()
    brief = {k: v for k, v in figures.items() if k != "indicators"}
    return brief | {"indicators_sha256": hashlib.sha256(rows).hexdigest()[:16]}


def current() -> dict[str, Any]:
    checked = checked_samples()
    samples = {e.evaluation.id: pinned(score_one(checked, e)) for e in checked.repo.evaluations}
    return {"samples": samples, "generated": [digest(pinned(c.score())) for c in generated_cases()]}


if __name__ == "__main__":
    FILE.write_text(
        json.dumps(current(), ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
