"""Half-up decimal rounding, the way score sheets are rounded by hand (not banker's rounding).

Binary floating point leaves noise in computed figures: 3 × (98.6 − 60) / 40 is 2.8949999999999996,
not 2.895, and a plain half-up would give 2.89 where a person with a calculator gets 2.90. So the
value is first settled to ``NOISE`` decimal places (far below any figure a reader sees, far above
the float noise of sums of a few hundred scores) and only then rounded half-up.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

NOISE = 9
"""Decimal places a computed value is settled to before rounding; digits beyond are float noise."""


def round_half_up(value: float, decimals: int) -> float:
    """Round ``value`` to ``decimals`` places, halves away from zero."""
    with localcontext(prec=60):
        return float(_settle(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def fmt(value: float, decimals: int) -> str:
    """Format with exactly ``decimals`` places."""
    return f"{round_half_up(value, decimals):.{decimals}f}"


def apportion(values: list[float], total: float, decimals: int) -> list[float]:
    """Round ``values`` to ``decimals`` places so that they add up to ``total`` (largest remainder).

    Each value is cut down to whole units of 10^-decimals; the units still missing go one each to
    the values with the largest cut-off remainders (ties: the earlier value). Zero values stay zero.
    Used for effective weights, so that a parent's weight is exactly the sum of its children's and
    a full-mark subtree can never score more than the weight it stands for.
    """
    with localcontext(prec=60):
        unit = Decimal(1).scaleb(-decimals)
        units = [_settle(v) / unit for v in values]
        floors = [int(u.to_integral_value(rounding=ROUND_FLOOR)) for u in units]
        missing = int(_settle(round_half_up(total, decimals)) / unit) - sum(floors)
        cut = [i for i, u in enumerate(units) if u > floors[i]]
        order = sorted(cut, key=lambda i: (floors[i] - units[i], i))
        for i in order[: max(missing, 0)]:
            floors[i] += 1
        return [float(f * unit) for f in floors]


def _settle(value: float) -> Decimal:
    """The value as a decimal with float noise beyond ``NOISE`` places removed."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-NOISE), rounding=ROUND_HALF_EVEN)
