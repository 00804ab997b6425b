"""Turn pydantic validation errors into located diagnostics with Chinese messages."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Worded
from generator.load.yamlsource import PathKey, Source
from generator.messages import DID_YOU_MEAN, PATTERN_HINTS, TYPE_NAMES
from generator.model.publicity import internal_at


def suggestion(word: str, candidates: list[str]) -> tuple[str, str]:
    """A "did you mean" suffix in Chinese and English, or empty strings."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        return "", ""
    zh, en = DID_YOU_MEAN
    return zh.format(word=close[0]), en.format(word=close[0])


def _data_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Follow pydantic's loc through the data, skipping union tags and other non-keys."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _is_tag(part, node):
            path.append(part)  # a missing or extra key
            node = None
    return tuple(path)


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    return node.get("kind") == part or part in {"function-after", "function-before", "function-plain"}


def to_diagnostics(exc: ValidationError, source: Source, model: type[BaseModel]) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located in ``source``."""
    return errors_to_diagnostics(exc.errors(include_url=False), source, model)


def errors_to_diagnostics(errors: Iterable[Any], source: Source, model: type[BaseModel]) -> list[Diagnostic]:
    """``to_diagnostics`` for some of a validation's errors (those a file is to blame for)."""
    found: list[Diagnostic] = []
    for error in errors:
        loc = tuple(error["loc"])
        path = _data_path(loc, source.data)
        field = ".".join(str(p) for p in path) or "(顶层)"
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(path[-1]) if path else ""
            allowed = _allowed_keys_from_path(model, path, source.data)
            zh, en = suggestion(key, allowed)
            found.append(source.diag(path, "E201", at_key=True, **_unknown(key, zh, en, allowed)))
        elif kind in {"missing", "union_tag_not_found"}:
            name = str(loc[-1]) if kind == "missing" else "kind"
            parent = path[:-1] if kind == "missing" else path
            found.append(source.diag(parent, "E203", field=name))
        elif kind.endswith("_type") or kind.endswith("_parsing") or kind in {"model_attributes_type"}:
            expected = _expected(kind)
            found.append(
                source.diag(
                    path, "E202", field=field, detail="expected", value=expected[0], value2=expected[1]
                )
            )
        else:
            if internal_at(source.data, path):  # never quote an internal value (CI logs, PR comments)
                error = {
                    **error,
                    "input": None,
                    "ctx": {k: v for k, v in error.get("ctx", {}).items() if k != "tag"},
                }
            said = _detail(error)
            found.append(
                source.diag(path, "E204", field=field, detail_zh=said.zh, detail_en=said.en, hint=said.hint)
            )
    return found


def _unknown(key: str, zh: str, en: str, allowed: list[str]) -> dict[str, str]:
    return {"key": key, "suggestion_zh": zh, "suggestion_en": en, "allowed": "、".join(allowed) or "（无）"}


def _allowed_keys_from_path(model: type[BaseModel], path: PathKey, data: Any) -> list[str]:
    """Keys the model allows where ``path`` ends: walk the annotations along the data path.

    Lists and mappings (``dict[str, ScoreEntry]``: the indicator ids of a score file) are stepped
    through by their item type; a union of rules is resolved by the ``kind`` the data names.
    """
    current: Any = model
    node = data
    for part in path[:-1]:
        current = resolve_annotation(current, node)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return []
        node = _child(node, part)
    current = resolve_annotation(current, node)
    return list(getattr(current, "model_fields", {}))


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def resolve_annotation(annotation: Any, node: Any) -> Any:
    """Strip Optional and Annotated; pick the union member that fits ``node`` (a rule by its ``kind``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return resolve_annotation(typing.get_args(annotation)[0], node)
    if origin not in (typing.Union, types.UnionType):
        return annotation
    members = [m for m in typing.get_args(annotation) if m is not type(None)]
    if len(members) == 1:
        return resolve_annotation(members[0], node)
    kind = node.get("kind") if isinstance(node, dict) else None
    for member in members:
        field = getattr(member, "model_fields", {}).get("kind")
        if field is not None and kind in typing.get_args(field.annotation):
            return member
    return None


def _expected(kind: str) -> tuple[str, str]:
    return next((names for key, names in TYPE_NAMES.items() if kind.startswith(key)), TYPE_NAMES["other"])


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as 「a、b、c」 for the Chinese text."""
    found = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return "、".join(found) if found else expected


def _detail(error: dict[str, Any]) -> Worded:
    """A value error in the catalogue's words (a variant of ``messages.DETAILS`` and its fields)."""
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    shown = f"“{given}”" if isinstance(given, (str, int, float)) and not isinstance(given, bool) else "此值"
    if kind in {"literal_error", "union_tag_invalid"}:
        expected = str(ctx.get("expected") or ctx.get("expected_tags") or "")
        what = "kind " if kind == "union_tag_invalid" else ""
        given = ctx.get("tag", given) if kind == "union_tag_invalid" else given
        shown = f"“{given}”" if isinstance(given, (str, int, float)) else shown
        return Worded(
            "value_not_a_choice", what=what, shown=shown, choices=_choices(expected), expected=expected
        )
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        sign = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}[
            kind
        ]
        limit = next(iter(ctx.values()), "")
        return Worded("value_out_of_bound", shown=shown, sign=sign, limit=limit)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        hint = PATTERN_HINTS.get(pattern, PATTERN_HINTS[""])
        return Worded("value_pattern_mismatch", shown=shown, pattern=pattern, pattern_hint=hint)
    if kind == "too_short":
        return Worded("value_empty")
    if kind == "finite_number":
        return Worded("value_not_finite", shown=shown)
    if kind == "int_from_float":
        return Worded("value_not_whole", shown=shown)
    if kind == "value_error":  # a model's own check: "中文 | English | 提示"
        zh, en, hint = (str(error.get("msg", "")).removeprefix("Value error, ").split(" | ") + ["", ""])[:3]
        return Worded("value_model_check", said_zh=zh, said_en=en or zh, said_hint=hint)
    return Worded("value_pydantic", said=error.get("msg", kind))
