"""JSON Schema (draft-07) generated from the models, for editors (VS Code YAML extension)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model.evaluation import Evaluation, ScoreFile
from generator.model.organisation import BodyRecords, OrganisationRegistry
from generator.model.publishing import Publishing
from generator.model.schema_zh import ZH
from generator.model.system import IndicatorPart, IndicatorSystem

CJK = re.compile(r"[\u4e00-\u9fff]")
"""A Chinese character: a description holding one is already written for Chinese readers."""

SCHEMAS: dict[str, type[BaseModel]] = {
    "evaluation.schema.json": Evaluation,
    "scores.schema.json": ScoreFile,
    "system.schema.json": IndicatorSystem,
    "part.schema.json": IndicatorPart,
    "publishing.schema.json": Publishing,
    "organisations.schema.json": OrganisationRegistry,
    "body.schema.json": BodyRecords,
}
"""File name under schema/ → model."""


def _to_draft07(node: Any) -> Any:
    """Rename 2020-12 ``$defs`` to draft-07 ``definitions`` and fix every reference to them.

    References are not only ``$ref`` values: a discriminated union's ``discriminator.mapping`` points
    at its members too, and a stale ``#/$defs/`` there resolves to nothing in a draft-07 reader.
    """
    if isinstance(node, dict):
        return {("definitions" if key == "$defs" else key): _to_draft07(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_to_draft07(v) for v in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return "#/definitions/" + node.removeprefix("#/$defs/")
    return node


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    """The draft-07 schema of a model, its field descriptions in Chinese with the English beside."""
    schema = _to_draft07(model.model_json_schema(mode="validation"))
    for name, definition in [(schema.get("title", ""), schema), *schema.get("definitions", {}).items()]:
        for field, prop in (definition.get("properties") or {}).items():
            _in_chinese(prop, ZH.get(f"{name}.{field}"))
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


def _in_chinese(prop: dict[str, Any], zh: str | None) -> None:
    """Put the Chinese help first, the English docstring below it (editors show both on hover)."""
    english = prop.get("description", "")
    if zh and not CJK.search(english):
        prop["description"] = f"{zh}\n\n{english}" if english else zh


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(json.dumps(schema_for(model), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
