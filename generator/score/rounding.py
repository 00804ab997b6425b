"""Half-up decimal rounding, the way score sheets are rounded by hand (not banker's rounding).

Scoring computes with exact fractions (``round_exact``, ``apportion_exact``): 3 × (98.6 − 60) / 40
is exactly 2.895 and rounds to 2.90, as a person with a calculator finds.

Figures already stored as floats (on a scorecard, in a view) are rounded for display by
``round_half_up``: binary floating point leaves noise in them (2.8949999999999996 for 2.895), so the
value is first settled to ``NOISE`` decimal places (far below any figure a reader sees, far above
the float noise of sums of a few hundred scores) and only then rounded half-up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

NOISE = 9
"""Decimal places a computed value is settled to before rounding; digits beyond are float noise."""


def round_exact(value: Fraction, decimals: int) -> Fraction:
    """Round an exact ``value`` to ``decimals`` places, halves away from zero."""
    n, d, scale = value.numerator, value.denominator, 10**decimals
    units = (2 * abs(n) * scale + d) // (2 * d)  # floor(|value| × scale + 1/2), in integers
    return Fraction(units if n >= 0 else -units, scale)


def apportion_exact(values: list[Fraction], total: Fraction, decimals: int) -> list[Fraction]:
    """Round ``values`` (none negative) to ``decimals`` places so that they add up to ``total``
    rounded (largest remainder): each is cut down to whole units of 10^-decimals, and the units
    still missing go one each to the values with the largest remainders (ties: the earlier value).
    Zeros stay zero.

    Used for effective weights when the method rounds them, so that a parent's weight is exactly
    the sum of its children's and a full-mark subtree never scores more than the weight it stands for.
    """
    scale = 10**decimals
    floors, remainders = [], []
    for v in values:
        units, rest = divmod(v.numerator * scale, v.denominator)
        floors.append(units)
        remainders.append(Fraction(rest, v.denominator))
    target = round_exact(total, decimals) * scale
    missing = int(target) - sum(floors)
    cut = sorted((i for i, r in enumerate(remainders) if r), key=lambda i: (-remainders[i], i))
    for i in cut[: max(missing, 0)]:
        floors[i] += 1
    return [Fraction(f, scale) for f in floors]


def round_half_up(value: float | Fraction, decimals: int) -> float:
    """Round ``value`` to ``decimals`` places, halves away from zero (for display); a fraction exactly."""
    if isinstance(value, Fraction):
        return float(round_exact(value, decimals))
    with localcontext(prec=60):
        return float(_settle(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def fmt(value: float | Fraction, decimals: int) -> str:
    """Format with exactly ``decimals`` places."""
    return f"{round_half_up(value, decimals):.{decimals}f}"


def _settle(value: float) -> Decimal:
    """The value as a decimal with float noise beyond ``NOISE`` places removed."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-NOISE), rounding=ROUND_HALF_EVEN)
