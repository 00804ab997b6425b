"""Keep what is valid of a file with schema errors, so one run reports every real problem.

A file that fails its model used to be dropped whole: an unknown key in a part file took every
indicator in it along (each score then "unknown", E403, and the system's total short, E308), and
one in evaluation.yaml left all its scores unchecked. Instead, the smallest piece holding each
error is cut out and the rest validated again: an unknown key alone; for any other error, the
list item or free-keyed entry (an indicator, a score entry, an activity) around it, or the
top-level key. What was cut is recorded, so checks that would only repeat the error in other
words (a missing indicator, a weight total short of the cut one) are skipped for it.
"""

from __future__ import annotations

import copy
import typing
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from generator.load.schema_errors import _data_path, resolve_annotation
from generator.load.yamlsource import PathKey

MAX_ROUNDS = 20
"""Validation rounds before giving up on a file (each cuts at least one piece)."""


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Salvaged(Generic[M]):
    """The model built from what remained, and what was cut to get it."""

    model: M | None
    """The model; None when not even the top level could be kept."""
    cut: tuple[PathKey, ...]
    """Paths (in the file's data) of the pieces cut out, in the order cut."""
    cut_ids: frozenset[str]
    """Every ``id`` value inside the pieces cut (indicators, people, activities …)."""


def salvage(model: type[M], data: Any, error: ValidationError) -> Salvaged[M]:
    """Cut the pieces holding ``error``'s problems out of a copy of ``data`` until it validates."""
    data = copy.deepcopy(data)
    cut: list[PathKey] = []
    ids: set[str] = set()
    for _ in range(MAX_ROUNDS):
        pieces = {_piece(model, _data_path(tuple(e["loc"]), data), e["type"], data) for e in error.errors()}
        if not pieces or () in pieces:
            return Salvaged(None, tuple(cut), frozenset(ids))
        for path in sorted(pieces, key=len, reverse=True):  # inner pieces first: outer indices stay valid
            removed = _remove(data, path)
            if removed is not _MISSING:
                cut.append(path)
                ids |= set(_ids(removed))
        try:
            return Salvaged(model.model_validate(data), tuple(cut), frozenset(ids))
        except ValidationError as again:
            error = again
    return Salvaged(None, tuple(cut), frozenset(ids))


def _piece(model: type[BaseModel], path: PathKey, kind: str, data: Any) -> PathKey:
    """The smallest piece to cut for an error at ``path``: the key itself when unknown, else the
    innermost list item or free-keyed entry around it, else its top-level key; () for the whole
    file (a required top-level key missing)."""
    if kind == "extra_forbidden":
        return path
    containers = _container_depths(model, path, data)
    if containers:
        return path[: containers[-1] + 1]
    if len(path) > 1 or (path and kind != "missing"):  # a key missing inside a top-level key cuts that key
        return path[:1]
    return ()


def _container_depths(model: type[BaseModel], path: PathKey, data: Any) -> list[int]:
    """Indices into ``path`` whose element sits in a list or a ``dict[str, …]`` of the model."""
    found: list[int] = []
    current: Any = model
    node = data
    for i, part in enumerate(path):
        current = resolve_annotation(current, node)
        origin = typing.get_origin(current)
        if origin in (list, dict):
            found.append(i)
            current = typing.get_args(current)[-1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                break
            current = field.annotation
        else:
            break
        node = node.get(part) if isinstance(node, dict) else _item(node, part)
    return found


def _item(node: Any, part: str | int) -> Any:
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


_MISSING = object()


def _remove(data: Any, path: PathKey) -> Any:
    """Remove the value at ``path`` (a missing one is left alone); return it, or _MISSING."""
    node = data
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else _item(node, part)
        if node is None:
            return _MISSING
    last = path[-1]
    if isinstance(node, dict) and last in node:
        return node.pop(last)
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        return node.pop(last)
    return _MISSING


def _ids(value: Any) -> list[str]:
    """Every string ``id`` inside a value (and the keys of free-keyed entries cut whole)."""
    if isinstance(value, dict):
        found = [value["id"]] if isinstance(value.get("id"), str) else []
        return found + [i for v in value.values() for i in _ids(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    return []
