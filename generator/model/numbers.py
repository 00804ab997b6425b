"""Numbers of an indicator system taken exactly: the decimals written in YAML, fractions, percentages.

A YAML float such as ``0.7`` is a binary approximation; what the author wrote is the decimal 0.7,
and ``repr`` gives back exactly those digits. So every number a system or an observation holds is
read as the fraction its written decimal stands for, and ``1/86`` is one eighty-sixth, not
0.011627906976744186. Scoring then adds and multiplies fractions, and only rounds where the method
says it rounds.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from generator.diagnostics import Worded

MAX_DIGITS = 12
"""Most digits on either side of a weight's ``/`` or before its ``%``: a fraction such as
1/999999999999 is allowed, one whose digits would make every later sum slow is not."""

_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_PLAIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


def exact(value: float | int | Fraction) -> Fraction:
    """The value as the fraction its written decimal stands for (``0.7`` → 7/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return _decimal(value)


@lru_cache(maxsize=8192)
def _decimal(value: float) -> Fraction:
    """A float as the fraction its shortest decimal stands for (cached: systems repeat their numbers)."""
    return Fraction(Decimal(repr(value)))


class WeightError(Worded, ValueError):
    """A weight written as text that cannot be read (a ``weight_…`` variant of ``messages.DETAILS``)."""


def _number(text: str) -> Fraction:
    if len(text.replace(".", "")) > MAX_DIGITS:
        raise WeightError("weight_too_many_digits", text=text, limit=MAX_DIGITS)
    return Fraction(Decimal(text))


def parse_weight(value: float | int | str, parent: Fraction) -> tuple[Fraction, str]:
    """The points a weight stands for, and how it was read.

    ``2.5`` → 5/2 points; ``"1/86"`` → 1/86 points; ``"25%"`` → a quarter of ``parent``
    (the parent's weight, or the scale at the top)."""
    if not isinstance(value, str):
        if exact(value) < 0:
            raise WeightError("weight_negative", value=value)
        return exact(value), "number"
    found = _PLAIN.match(value)
    if found:
        return _number(found[1]), "number"
    found = _FRACTION.match(value)
    if found:
        num, den = _number(found[1]), _number(found[2])
        if den == 0:
            raise WeightError("weight_divides_by_zero", value=value.strip())
        return num / den, "fraction"
    found = _PERCENT.match(value)
    if found:
        share = _number(found[1]) / 100
        if share > 1:
            raise WeightError("weight_percentage_over_100", value=value.strip())
        return share * parent, "percent"
    raise WeightError("weight_unreadable", value=value)


def show(value: Fraction) -> str:
    """A fraction as a reader writes it: ``2.5``, ``1/86`` (decimal when it ends, else n/d)."""
    den = value.denominator
    if den == 1:
        return str(value.numerator)
    twos = fives = 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:  # a third, an eighty-sixth: no decimal ends
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    digits = value.numerator * 10**places // value.denominator
    return format(Decimal(digits).scaleb(-places), "f")


_CONDITION = re.compile(r"^\s*(base|total)\s*(>=|<=|>|<|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*$")
_OPERATORS = {">": "高于", ">=": "不低于", "≥": "不低于", "<": "低于", "<=": "不高于", "≤": "不高于"}
FIGURE_NAMES = {"base": "基础得分", "total": "累计得分"}
"""Figures a stage condition may test, with their Chinese names."""


def parse_condition(text: str) -> tuple[str, str, Fraction]:
    """``base > 80`` → ("base", ">", 80); raises ValueError when the text is not such a comparison
    (or its number has more than MAX_DIGITS digits)."""
    found = _CONDITION.match(text)
    if not found or len(found[3].lstrip("-").replace(".", "")) > MAX_DIGITS:  # long digits: slow to convert
        raise ValueError(text[:80])
    return found[1], {"≥": ">=", "≤": "<="}.get(found[2], found[2]), Fraction(Decimal(found[3]))


def holds(op: str, value: Fraction, limit: Fraction) -> bool:
    """Whether ``value op limit``."""
    return {
        ">": value > limit,
        ">=": value >= limit,
        "<": value < limit,
        "<=": value <= limit,
    }[op]


def describe_condition(text: str) -> str:
    """``base > 80`` → 基础得分高于 80."""
    figure, op, limit = parse_condition(text)
    return f"{FIGURE_NAMES[figure]}{_OPERATORS[op]} {show(limit)}"
