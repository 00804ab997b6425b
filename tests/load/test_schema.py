"""The JSON Schemas editors use: in step with the models, valid draft-07, and true to the real files."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from buildlib import sample_root
from fixturelib import INVALID, MINIMAL, build, zwpj
from jsonschema import Draft7Validator
from testpaths import ROOT

from generator.load.yamlsource import load_yaml
from generator.model.schema import SCHEMAS, schema_for

SCHEMA_DIR = ROOT / "schema"


def _validator(name: str) -> Draft7Validator:
    return Draft7Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


def _jsonable(value: Any) -> Any:
    """YAML data as an editor's schema check sees it: dates are strings."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _data(path: Path) -> Any:
    source, problems = load_yaml(path, path.name)
    assert problems == [], problems
    return _jsonable(source.data)


def _errors(name: str, path: Path) -> list[str]:
    return [
        f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(name).iter_errors(_data(path))
    ]


def _repository_files(root: Path) -> list[tuple[str, Path]]:
    """(schema name, file) for every system, part, evaluation and score file of a repository."""
    files: list[tuple[str, Path]] = []
    for system in sorted(root.glob("indicators/*/system.yaml")):
        files.append(("system.schema.json", system))
        parts = _data(system)["parts"]
        files += [("part.schema.json", system.parent / part) for part in parts]
    for evaluation in sorted(root.glob("evaluations/*/evaluation.yaml")):
        files.append(("evaluation.schema.json", evaluation))
        scores = _data(evaluation)["scores"]
        files += [("scores.schema.json", evaluation.parent / name) for name in scores]
    if (root / "publishing.yaml").is_file():
        files.append(("publishing.schema.json", root / "publishing.yaml"))
    if (root / "organisations.yaml").is_file():
        files.append(("organisations.schema.json", root / "organisations.yaml"))
    files += [("body.schema.json", body) for body in sorted(root.glob("bodies/*/body.yaml"))]
    return files


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_files_are_up_to_date_with_the_models(name: str) -> None:
    on_disk = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert on_disk == schema_for(SCHEMAS[name]), f"schema/{name} is stale: run zwpj schema"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_files_are_valid_draft_07(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema), "draft-07 keeps definitions under 'definitions'"


def test_schema_fields_carry_their_documentation() -> None:
    """Editors show the field docstrings; an undocumented field would show nothing."""
    schema = schema_for(SCHEMAS["evaluation.schema.json"])
    assert schema["properties"]["period"]["description"]
    assert all("description" in p for p in schema["properties"].values())


SAMPLE_FILES = _repository_files(sample_root())


@pytest.mark.parametrize(
    "name, path", SAMPLE_FILES, ids=[str(p.relative_to(sample_root())) for _, p in SAMPLE_FILES]
)
def test_sample_files_match_the_schema(name: str, path: Path) -> None:
    assert _errors(name, path) == []


def test_the_samples_are_there() -> None:
    kinds = {name for name, _ in SAMPLE_FILES}
    assert kinds == set(SCHEMAS)
    assert sum(name == "evaluation.schema.json" for name, _ in SAMPLE_FILES) >= 3


def test_minimal_fixture_matches_the_schema() -> None:
    for name, path in _repository_files(MINIMAL):
        assert _errors(name, path) == []


def test_schema_rejects_what_check_rejects(tmp_path: Path) -> None:
    """Not a vacuous schema: an unknown key and a wrong enum value are flagged in the editor too."""
    root = build(INVALID / "E201-unknown-key", tmp_path / "a")
    (error,) = _errors("scores.schema.json", root / "evaluations/2024-mini/scores/capability.yaml")
    assert "evaluator" in error
    root = build(INVALID / "E204-invalid-enum", tmp_path / "b")
    (error,) = _errors("evaluation.schema.json", root / "evaluations/2024-mini/evaluation.yaml")
    assert "stage" in error and "进行中" in error


def test_files_written_by_new_match_the_schema(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    assert zwpj("new", "2025-mini", "--system", "mini", "--root", str(root)).exit_code == 0
    folder = root / "evaluations" / "2025-mini"
    assert _errors("evaluation.schema.json", folder / "evaluation.yaml") == []
    for path in sorted((folder / "scores").glob("*.yaml")):
        assert _errors("scores.schema.json", path) == []


def test_zwpj_schema_writes_what_the_models_say(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "indicators").mkdir(parents=True)
    assert zwpj("schema", "--root", str(root)).exit_code == 0
    for name, model in SCHEMAS.items():
        assert json.loads((root / "schema" / name).read_text(encoding="utf-8")) == schema_for(model)


def _properties(schema: dict) -> list[tuple[str, str, dict]]:
    named = [(schema.get("title", ""), schema), *schema.get("definitions", {}).items()]
    return [(model, field, prop) for model, d in named for field, prop in (d.get("properties") or {}).items()]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_has_chinese_hover_help(name: str) -> None:
    """Editors show a field's description on hover: in Chinese, with the English docstring beside it."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    english_only = [f"{m}.{f}" for m, f, p in _properties(schema) if not cjk.search(p.get("description", ""))]
    assert english_only == []


def test_chinese_help_names_only_fields_that_exist() -> None:
    from generator.model.schema_zh import ZH

    known = {f"{m}.{f}" for name in SCHEMAS for m, f, _ in _properties(schema_for(SCHEMAS[name]))}
    assert sorted(set(ZH) - known) == []
    evaluation = schema_for(SCHEMAS["evaluation.schema.json"])
    assert evaluation["properties"]["id"]["description"] == (
        "评价编号，也是 evaluations/ 下的文件夹名（小写字母、数字、连字符）。\n\n"
        "Evaluation id; also the folder name under evaluations/."
    )
