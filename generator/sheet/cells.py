"""Score entry fields ⇄ spreadsheet cells: how each is written to a cell and read back.

Export and import share these functions, so an untouched cell reads back as exactly what the
YAML holds and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.load.repository import IndicatorNode
from generator.messages import DETAILS
from generator.model.evaluation import Evidence, ScoreEntry
from generator.model.system import (
    BinaryRule,
    BonusRule,
    DeductionRule,
    Indicator,
    LevelsRule,
    RatioRule,
    SatisfactionRule,
    VetoRule,
)
from generator.score.rules import Problem, evaluate
from generator.score.spelling import accepted_forms, canonical, item_keys, ratio, short_name

VETO_YES, VETO_NO = "存在", "不存在"
"""Cell words for a veto observation (true / false in YAML)."""
SPLIT_ITEMS = re.compile(r"[；;\n]+")  # not commas: item names often hold them
SPLIT_PEOPLE = re.compile(r"[、，,；;\s]+")
PAIR = re.compile(r"^\s*(.+?)\s*[=＝:：×xX*]\s*(-?\d{1,12})\s*$")  # a count, never a huge integer


class CellProblem(Problem):
    """A cell that cannot be read back (same fields as a rule Problem)."""


@dataclass(frozen=True)
class People:
    """The evaluation's people, to show names and read names or ids back."""

    names: Mapping[str, str]
    """Person id → name."""

    def show(self, ids: list[str]) -> str:
        """Names (ids when a name is shared or unknown), joined by 、."""
        counts: dict[str, int] = {}
        for name in self.names.values():
            counts[name] = counts.get(name, 0) + 1
        return "、".join(self.names[i] if counts.get(self.names.get(i, ""), 0) == 1 else i for i in ids)

    def read(self, text: str) -> list[str]:
        """Person ids from names or ids; CellProblem on an unknown or ambiguous one."""
        by_name: dict[str, list[str]] = {}
        for pid, name in self.names.items():
            by_name.setdefault(name, []).append(pid)
        ids = []
        for token in (t for t in SPLIT_PEOPLE.split(text) if t):
            if token in self.names:
                ids.append(token)
            elif len(by_name.get(token, [])) == 1:
                ids.append(by_name[token][0])
            else:
                known = "、".join(f"{n}（{i}）" for i, n in self.names.items())
                raise CellProblem("cell_person_unknown", token=token, known=known)
        return ids


def normal(value: Any) -> str:
    """A cell's value as comparable text: numbers without a trailing .0, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip().replace("\r\n", "\n")


def read_only(ind: Indicator, entry: ScoreEntry | None) -> str | None:
    """Why the observation cell cannot be edited (a variant of ``messages.DETAILS`` whose ``why_zh``
    and ``why_en`` say it), or None when it can."""
    if entry is not None and entry.ratings:
        return "read_only_several_raters"
    if getattr(ind.rule, "measure", None) and (entry is None or entry.observation is None):
        return "read_only_from_dataset"
    return None


def _items(rule: Any) -> dict[str, str]:
    """Item id → name for counted rules (satisfaction levels are their own names)."""
    if isinstance(rule, (DeductionRule, BonusRule)):
        return {i.id: i.name for i in rule.items}
    return {k: k for k in rule.levels}


def show_observation(ind: Indicator, entry: ScoreEntry | None, people: People) -> Any:
    """The observation cell's value."""
    why = read_only(ind, entry)
    if why == "read_only_several_raters":
        assert entry is not None
        return "；".join(f"{people.show([r.rater])}：{normal(r.observation)}" for r in entry.ratings)
    if why:
        return f"（{DETAILS[why]['why_zh']}）"
    obs = entry.observation if entry else None
    rule = ind.rule
    if obs is None:
        return None
    if isinstance(rule, BinaryRule) and isinstance(obs, bool):
        return rule.pass_label if obs else rule.fail_label
    if isinstance(rule, VetoRule) and isinstance(obs, bool):
        return VETO_YES if obs else VETO_NO
    if isinstance(obs, Mapping) and isinstance(rule, RatioRule):
        return f"{normal(obs.get('numerator'))}/{normal(obs.get('denominator'))}"
    if isinstance(obs, Mapping):
        names = _items(rule)
        return "；".join(f"{names.get(k, k)}={normal(v)}" for k, v in obs.items())
    return obs


def parse_observation(node: IndicatorNode, value: Any) -> Any:
    """The YAML observation for a cell; CellProblem when it does not fit the rule."""
    text = normal(value)
    if text == "":
        return None
    rule = node.indicator.rule
    assert rule is not None
    try:
        if isinstance(rule, (VetoRule, BinaryRule)):
            parsed: Any = canonical(rule, {"true": True, "false": False}.get(text.lower(), text))
        elif isinstance(rule, RatioRule):
            parsed = _number(value, text, rule)
        elif isinstance(rule, (DeductionRule, BonusRule, SatisfactionRule)):
            parsed = _counts(rule, text)
        elif isinstance(rule, LevelsRule):
            parsed = text
        else:  # pragma: no cover - every rule kind is handled above
            parsed = value
        evaluate(rule, node.weight, parsed, None)
    except Problem as p:
        raise CellProblem(p.variant, **p.fields) from None
    if isinstance(rule, BinaryRule) and isinstance(parsed, bool):  # true/false typed in a cell
        return rule.pass_label if parsed else rule.fail_label  # the YAML keeps the rule's own words
    return parsed


def _number(value: Any, text: str, rule: RatioRule) -> Any:
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        raise CellProblem("cell_turned_into_date", text=text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    parsed = ratio(rule, text)
    if isinstance(parsed, str):
        raise CellProblem("rule_number_expected", obs=text, forms=accepted_forms(rule))
    return parsed


def _counts(rule: Any, text: str) -> dict[str, int]:
    names = _items(rule)
    written: dict[str, int] = {}
    for part in (p for p in SPLIT_ITEMS.split(text) if p.strip()):
        match = PAIR.match(part)
        if match and match.group(1) in written:
            raise CellProblem("cell_item_twice", item=match.group(1))
        if match:
            written[match.group(1)] = int(match.group(2))
            continue
        raise CellProblem("cell_item_unreadable", item=part.strip(), names=_listed(rule, names))
    counts = item_keys(rule, written) if isinstance(rule, (DeductionRule, BonusRule)) else written
    unknown = [k for k in counts if k not in names]
    if unknown:
        raise CellProblem("cell_item_unreadable", item=unknown[0], names=_listed(rule, names))
    return counts


def _listed(rule: Any, names: Mapping[str, str]) -> str:
    """The names a counts cell accepts: short names where the rule has items with long names."""
    if isinstance(rule, (DeductionRule, BonusRule)):
        return "、".join(short_name(n) or n for n in names.values())
    return "、".join(names.values())


INTERNAL_MARK = "内部"
"""Last field of an evidence line that is internal (``internal: true``)."""


def show_evidence(items: list[Evidence]) -> str | None:
    """One line per piece of evidence: ``路径或网址 | 采集日期 | 说明``, ending ``| 内部`` when internal."""
    lines = []
    for e in items:
        parts = [e.file or e.url or "", normal(e.captured), e.note or ""]
        while parts and not parts[-1]:
            parts.pop()
        if e.internal:
            parts = [*parts, *[""] * (3 - len(parts)), INTERNAL_MARK]
        lines.append(" | ".join(parts))
    return "\n".join(lines) or None


def parse_evidence(text: str) -> list[dict[str, Any]]:
    """Evidence items from the cell's lines (``internal: True`` for a line ending ``| 内部``);
    CellProblem on a bad date."""
    items = []
    for line in (raw.strip() for raw in text.replace("｜", "|").splitlines()):
        if not line:
            continue
        fields = [p.strip() for p in line.split("|")]
        internal = len(fields) > 1 and fields[-1] in (INTERNAL_MARK, "internal")
        if internal:
            line = "|".join(line.split("|")[:-1])
        target, captured, note = [*(p.strip() for p in line.split("|", 2)), "", ""][:3]
        item: dict[str, Any] = {"url" if re.match(r"^https?://", target) else "file": target}
        if captured:
            item["captured"] = _date(captured)
        if note:
            item["note"] = note
        if internal:
            item["internal"] = True
        items.append(item)
    return items


def _date(text: str) -> dt.date | dt.datetime:
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    raise CellProblem("cell_capture_date_invalid", text=text)
