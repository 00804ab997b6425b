"""Statistics of an indicator system over the evaluations scored with it (§8.3: 选择相关程度低的指标).

The data are the leaves' score fractions (得分率, 0–1), one row per evaluation; an indicator not
applicable (or not scored) in an evaluation is missing there. Each figure says how many evaluations
it rests on, and below a minimum none is computed: with few evaluations a correlation or an α can
take almost any value by chance, and a reader would take it for a finding.

- Spread: an indicator on which every evaluation scored the same never tells evaluations apart.
- Correlation: Spearman's rank correlation (scipy.stats.spearmanr) of each pair of indicators over
  the evaluations that scored both; ranks suit scores that are levels, shares or pass/fail alike.
  Pairs at or above ``HIGH_CORRELATION`` in absolute value are flagged as measuring much the same.
- Internal consistency: Cronbach's α of each dimension's leaves over the evaluations that scored all
  of them, with Feldt's 95% confidence interval (F distribution from scipy.stats).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_SPREAD = 5
"""Fewest evaluations before an indicator is called one that never discriminates."""
MIN_CORRELATION = 10
"""Fewest evaluations scoring both indicators before their correlation is computed: below ten the 95%
interval of even ρ = 0.8 spans from about 0.3 to 0.95, so no pair could be called redundant."""
MIN_ALPHA = 10
"""Fewest evaluations scoring every leaf of a dimension before its α is computed."""
HIGH_CORRELATION = 0.8
"""|ρ| at or above which two indicators are flagged as measuring much the same."""


@dataclass(frozen=True)
class Spread:
    """How one indicator's score fractions vary across evaluations."""

    id: str
    """Indicator id."""
    name: str
    """Indicator name."""
    dimension: str
    """Its dimension's id."""
    n: int
    """Evaluations that scored it."""
    mean: float | None
    """Mean score fraction."""
    sd: float | None
    """Sample standard deviation (n − 1), None below two evaluations."""
    low: float | None
    """Lowest score fraction."""
    high: float | None
    """Highest score fraction."""
    verdict: str
    """``all_full`` (everyone full marks), ``all_same`` (everyone the same, not full), ``varies``,
    or ``too_few`` (fewer than MIN_SPREAD evaluations: no conclusion)."""


@dataclass(frozen=True)
class Pair:
    """The rank correlation of two indicators."""

    a: str
    """First indicator id (earlier in the system)."""
    b: str
    """Second indicator id."""
    n: int
    """Evaluations that scored both."""
    rho: float
    """Spearman's ρ."""
    p_value: float
    """Two-sided p-value of ρ = 0."""


@dataclass(frozen=True)
class Correlations:
    """What was found among the pairs of indicators."""

    flagged: tuple[Pair, ...]
    """Pairs with |ρ| ≥ HIGH_CORRELATION, strongest first."""
    tested: int
    """Pairs with enough evaluations whose ρ was computed."""
    too_few: int
    """Pairs left out for want of evaluations scoring both."""
    constant: int
    """Pairs left out because one of the two never varies (ρ is undefined)."""


@dataclass(frozen=True)
class Consistency:
    """Cronbach's α of one dimension's leaves."""

    id: str
    """Dimension id."""
    name: str
    """Dimension name."""
    items: int
    """Leaves counted (weighted leaves that vary)."""
    n: int
    """Evaluations that scored every one of them."""
    alpha: float | None
    """Cronbach's α, None when not computed."""
    low: float | None
    """Lower end of Feldt's 95% interval."""
    high: float | None
    """Upper end of Feldt's 95% interval."""
    reason: str
    """Why no α was computed, in Chinese; empty when it was."""


def spread(ind_id: str, name: str, dimension: str, column: np.ndarray) -> Spread:
    """The spread of one indicator's column (NaN where not scored)."""
    values = column[~np.isnan(column)]
    n = int(values.size)
    if n == 0:
        return Spread(ind_id, name, dimension, 0, None, None, None, None, "too_few")
    sd = float(np.std(values, ddof=1)) if n > 1 else None
    low, high = float(values.min()), float(values.max())
    if n < MIN_SPREAD:
        verdict = "too_few"
    elif low == high:
        verdict = "all_full" if low == 1.0 else "all_same"
    else:
        verdict = "varies"
    return Spread(ind_id, name, dimension, n, float(values.mean()), sd, low, high, verdict)


def correlations(ids: list[str], matrix: np.ndarray) -> Correlations:
    """Spearman's ρ of every pair of columns with at least MIN_CORRELATION rows scoring both."""
    flagged, tested, too_few, constant = [], 0, 0, 0
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            both = ~np.isnan(matrix[:, i]) & ~np.isnan(matrix[:, j])
            n = int(both.sum())
            if n < MIN_CORRELATION:
                too_few += 1
                continue
            x, y = matrix[both, i], matrix[both, j]
            if np.all(x == x[0]) or np.all(y == y[0]):
                constant += 1
                continue
            result = stats.spearmanr(x, y)
            tested += 1
            rho, p = float(result.statistic), float(result.pvalue)
            if abs(rho) >= HIGH_CORRELATION:
                flagged.append(Pair(ids[i], ids[j], n, rho, p))
    flagged.sort(key=lambda pair: (-abs(pair.rho), pair.a, pair.b))
    return Correlations(tuple(flagged), tested, too_few, constant)


def cronbach_alpha(items: np.ndarray) -> float:
    """α = k/(k−1) · (1 − Σ var(item) / var(sum)), sample variances, over complete rows."""
    k = items.shape[1]
    item_variance = items.var(axis=0, ddof=1).sum()
    total_variance = items.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_variance / total_variance))


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval of α from n rows and k items (Feldt, Woodruff & Salih 1987)."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return float(low), float(high)


def consistency(dim_id: str, name: str, columns: np.ndarray) -> Consistency:
    """Cronbach's α of a dimension's leaf columns (rows with every leaf scored)."""
    complete = columns[~np.isnan(columns).any(axis=1)] if columns.size else columns
    varying = [k for k in range(complete.shape[1]) if complete.shape[0] and np.ptp(complete[:, k]) > 0]
    items, n = len(varying), int(complete.shape[0])
    if columns.shape[1] < 2:
        return Consistency(dim_id, name, columns.shape[1], n, None, None, None, "只有一个末级指标，α 无意义")
    if n < MIN_ALPHA:
        return Consistency(
            dim_id, name, items, n, None, None, None, f"各项都评了分的评价只有 {n} 个，少于 {MIN_ALPHA} 个"
        )
    if items < 2:
        return Consistency(dim_id, name, items, n, None, None, None, "有变化的末级指标少于 2 个")
    data = complete[:, varying]
    if data.sum(axis=1).var(ddof=1) == 0:
        return Consistency(dim_id, name, items, n, None, None, None, "各评价的合计完全相同")
    alpha = cronbach_alpha(data)
    low, high = feldt_interval(alpha, n, items)
    return Consistency(dim_id, name, items, n, alpha, low, high, "")
