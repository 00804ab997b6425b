"""Values as one line of text, and the Chinese names of the fields a diff reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

LABELS: dict[str, str] = {
    "internal": "内部内容",
    "observation": "观测值",
    "ratings": "多人评分",
    "not_applicable": "不适用理由",
    "evaluators": "评价人员",
    "evidence": "证据",
    "comment": "说明/意见",
    "mode": "评价方式",
    "name": "名称",
    "description": "说明",
    "weight": "分值",
    "method": "评价方法",
    "platform": "平台",
    "data_source": "信息来源",
    "source": "依据",
    "rule": "计分规则",
    "parent": "上级指标",
    "edition": "版本",
    "effective": "施行日期",
    "scale": "满分",
    "bonus_cap": "加分上限",
    "rounding": "取舍规则",
    "raters": "多人评分规则",
    "modes": "评价方式权重",
    "measures": "测算项",
    "grades": "等级区间",
    "parts": "指标文件",
    "sample": "示例体系",
    "title": "标题",
    "stage": "阶段",
    "system": "指标体系",
    "summary.md": "概述",
    "findings.md": "评价发现",
    "opinions.md": "指导意见",
    "suggestions.md": "改进建议",
}
"""Field key → Chinese label; unknown keys are shown as they are."""


def label(field: str) -> str:
    """Chinese name of a field."""
    return LABELS.get(field, field)


def show(value: Any) -> str | None:
    """A compact, stable, one-line rendering; None stays None so 'absent' can be told from 'empty'."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "，".join(f"{k}: {show(v)}" for k, v in value.items()) or "{}"
    if isinstance(value, Sequence):
        return "、".join(show(v) or "null" for v in value) or "（无）"
    return json.dumps(value, ensure_ascii=False, default=str)


def points(value: float | None) -> str:
    """Points with two decimals, or a dash."""
    return "—" if value is None else f"{value:.2f}"


def total(value: float | None) -> str:
    """A total as the scorecard rounded it, or a dash."""
    return "—" if value is None else f"{value:g}"


def signed(value: float | None) -> str:
    """A delta with its sign, or empty."""
    if value is None or value == 0:
        return ""
    return f"{value:+.2f}"
