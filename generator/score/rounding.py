"""Half-up decimal rounding, the way score sheets are rounded by hand (not banker's rounding)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, decimals: int) -> float:
    """Round ``value`` to ``decimals`` places, halves away from zero."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def fmt(value: float, decimals: int) -> str:
    """Format with exactly ``decimals`` places."""
    return f"{round_half_up(value, decimals):.{decimals}f}"
