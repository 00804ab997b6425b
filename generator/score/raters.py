"""Combining several raters and measuring how far they agree."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from generator.model.numbers import exact
from generator.model.system import RaterPolicy


def combine(fractions: Sequence[Fraction], policy: RaterPolicy) -> Fraction:
    """Combine raters' fractions by the system's rule, exactly."""
    values = sorted(fractions)
    if policy.combine == "median":
        return Fraction(statistics.median(values))
    if policy.combine == "trimmed_mean":
        cut = math.floor(len(values) * exact(policy.trim))
        kept = values[cut : len(values) - cut] or values
        return sum(kept, Fraction(0)) / len(kept)
    return sum(values, Fraction(0)) / len(values)


def method_name(policy: RaterPolicy) -> str:
    """Chinese name of the combination rule."""
    if policy.combine == "trimmed_mean":
        return f"截尾均值（两端各去 {policy.trim:.0%}）"
    return {"mean": "算术平均", "median": "中位数"}[policy.combine]


MIN_UNITS = 5
"""Fewest multi-rater indicators for α to mean anything; with fewer, between-unit variance is too thin."""


def krippendorff_alpha(units: Sequence[dict[str, float]]) -> float | None:
    """Interval Krippendorff's α over units rated by several raters (missing ratings allowed).

    Returns None when α is undefined or uninformative (fewer than MIN_UNITS units, or no variation).
    """
    import krippendorff

    raters = sorted({r for unit in units for r in unit})
    if len(units) < MIN_UNITS or len(raters) < 2:
        return None
    data = np.array([[unit.get(r, np.nan) for unit in units] for r in raters], dtype=float)
    values = data[~np.isnan(data)]
    if values.size == 0 or np.all(values == values[0]):
        return None
    try:
        alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="interval"))
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(alpha) else alpha
