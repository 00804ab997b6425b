"""What a person types for an observation, read into the form the rules score.

One reader for the YAML score files and the score sheet alike, so that both accept the same
spellings: 是/否 for yes and no, ``90%`` or ``0.9`` or ``930/1000`` for a ratio (full-width
characters too), and deduction or bonus items by id, by full name or by their short name (the name
before its first bracket or comma, e.g. 失效链接 for “失效链接（错链、断链），每处”). What cannot be read
is refused with a hint that shows the accepted forms; nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from generator.model.system import BinaryRule, BonusRule, DeductionRule, RatioRule, Rule, VetoRule
from generator.score.problem import Problem

YES = ("是", "存在")
"""Words for yes (a veto's condition present, a binary rule passed)."""
NO = ("否", "不存在")
"""Words for no."""
PERCENT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*%$")
FRACTION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)$")
NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
SHORT_NAME_END = re.compile(r"[（(，,：:；;]")
MAX_NUMBER_TEXT = 40
"""Longest text read as a number (a longer one is refused: no huge integers are built from it)."""
UNIT_NAMES = {"ratio": "比例", "percent": "百分比", "days": "天数", "hours": "小时数", "count": "数量"}


def canonical(rule: Rule, observation: Any) -> Any:
    """The observation as the rule scores it; unreadable text is returned as it is (the rule refuses it)."""
    if isinstance(rule, VetoRule) and isinstance(observation, str):
        return _yes_no(observation, observation)
    if isinstance(rule, BinaryRule) and isinstance(observation, str):
        word = _plain(observation)
        if word in YES or word in NO:
            return rule.pass_label if word in YES else rule.fail_label
        return observation
    if isinstance(rule, RatioRule) and isinstance(observation, str):
        return ratio(rule, observation)
    if isinstance(rule, (DeductionRule, BonusRule)) and isinstance(observation, Mapping):
        return item_keys(rule, observation)
    return observation


def _plain(text: str) -> str:
    """Full-width characters as their ASCII forms (％ → %, ０ → 0), surrounding space removed."""
    return unicodedata.normalize("NFKC", text).strip()


def _yes_no(text: str, otherwise: Any) -> Any:
    word = _plain(text)
    if word in YES:
        return True
    if word in NO:
        return False
    return otherwise


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def ratio(rule: RatioRule, text: str) -> Any:
    """A ratio typed as text: ``90%``, ``0.9`` or ``930/1000``.

    Problem when a percentage is given for a count, days or hours."""
    plain = _plain(text)
    if len(plain) > MAX_NUMBER_TEXT:
        return text  # no figure is written with this many characters: refused as not a number
    if NUMBER.match(plain):
        return _number(plain)
    fraction = FRACTION.match(plain)
    if fraction:
        return {"numerator": _number(fraction.group(1)), "denominator": _number(fraction.group(2))}
    percent = PERCENT.match(plain)
    if not percent:
        return text
    value = Decimal(percent.group(1))
    if rule.unit == "ratio":
        shared = value / 100
        return int(shared) if shared == shared.to_integral_value() else float(shared)
    if rule.unit == "percent":
        return _number(percent.group(1))
    unit = UNIT_NAMES.get(rule.unit, rule.unit)
    raise Problem("spelling_percent_for_unit", text=text, unit=unit, unit_en=rule.unit)


def short_name(name: str) -> str:
    """An item's name up to its first bracket, comma or colon: what a person writes for it."""
    return SHORT_NAME_END.split(name, maxsplit=1)[0].strip()


def item_keys(rule: DeductionRule | BonusRule, counts: Mapping[Any, Any]) -> dict[Any, Any]:
    """Counts keyed by item id, whether written by id, full name or short name; unknown keys kept."""
    by_word: dict[str, str] = {}
    shorts: dict[str, list[str]] = {}
    for item in rule.items:
        by_word[item.id] = item.id
        by_word[_plain(item.name)] = item.id
        shorts.setdefault(short_name(_plain(item.name)), []).append(item.id)
    for word, ids in shorts.items():
        if word and len(ids) == 1:  # a short name two items share names neither
            by_word.setdefault(word, ids[0])
    out: dict[Any, Any] = {}
    for key, count in counts.items():
        item_id = by_word.get(_plain(key)) if isinstance(key, str) else None
        if item_id is not None and item_id in out:
            raise Problem("spelling_same_item", key=key, item=item_id)
        out[item_id if item_id is not None else key] = count
    return out


def accepted_forms(rule: Rule) -> str:
    """The spellings a rule's observation accepts, for hints and the sheet's instructions."""
    if isinstance(rule, VetoRule):
        return "存在/不存在、是/否 或 true/false"
    if isinstance(rule, BinaryRule):
        return f"{rule.pass_label}/{rule.fail_label}、是/否 或 true/false"
    if isinstance(rule, RatioRule):
        if rule.unit == "ratio":
            return "0 到 1 之间的小数（0.93）、百分数（93%）或 分子/分母（930/1000）"
        if rule.unit == "percent":
            return "0 到 100 之间的数（93）、百分数（93%）或 分子/分母（930/1000）"
        return f"{UNIT_NAMES.get(rule.unit, rule.unit)}（如 30）"
    return ""
