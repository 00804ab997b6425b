"""Existing systems and evaluations keep their figures.

``tests/pinned/figures.json`` was recorded from the scorer before indicator systems gained
aggregation stages, exact weights and N/A policies (``python tests/pinned/record.py``). Every
sample evaluation recorded there, and every generated calculator case, must still score the same
totals, grades, vetoes, effective weights and points.
"""

from __future__ import annotations

import json

from pinned.record import FILE, current


def test_sample_evaluations_and_generated_cases_keep_their_figures() -> None:
    want = json.loads(FILE.read_text(encoding="utf-8"))
    got = current()
    assert len(want["samples"]) >= 5 and len(want["generated"]) >= 400
    for key, figures in want["samples"].items():
        assert got["samples"].get(key) == figures, key
    changed = [k for k, (a, b) in enumerate(zip(want["generated"], got["generated"], strict=True)) if a != b]
    assert changed == [], f"generated cases whose figures changed: {changed[:10]}"
