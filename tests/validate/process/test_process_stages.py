"""Stage rules as data: each case patches the base fixture and lists the exact located diagnostics.

A case file (tests/fixtures/process/cases/*.yaml) holds ``set`` (dotted path → value), ``delete``
(dotted paths), ``files`` / ``remove`` (files of the evaluation folder), ``root_files``, ``crlf``,
``set_in`` / ``delete_in`` (the same for any YAML file, by its path from the repository root),
``remove_root`` (files or folders from the root) and ``expect``: ``[code, file, dotted YAML path or a
line number]``, the file in the evaluation folder, or from the repository root when it starts with ``/``.
"""

from __future__ import annotations

import copy
import functools
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from testpaths import FIXTURES

from generator.load.yamlsource import load_yaml
from generator.pipeline import check

PROCESS = FIXTURES / "process"
BASE = PROCESS / "base"
EVALUATION = "evaluations/2024-demo"
CASES = sorted((PROCESS / "cases").glob("*.yaml"))


def _key(part: str) -> str | int:
    return int(part) if part.isdigit() else part


def _walk(doc: Any, dotted: str) -> tuple[Any, str | int]:
    parts = [_key(p) for p in dotted.split(".")]
    node = doc
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@functools.cache
def _document(text: str) -> Any:
    """``text`` parsed with its comments and layout kept: once per test process, as that parse is most
    of a case's time; each case patches its own deep copy."""
    return _round_trip().load(text)


def _patch(path: Path, case: dict[str, Any]) -> None:
    yaml = _round_trip()
    doc = copy.deepcopy(_document(path.read_text(encoding="utf-8")))
    for dotted, value in (case.get("set") or {}).items():
        parent, last = _walk(doc, dotted)
        if isinstance(parent, list) and last == len(parent):
            parent.append(value)
        else:
            parent[last] = value
    for dotted in case.get("delete") or []:
        parent, last = _walk(doc, dotted)
        del parent[last]
    out = io.StringIO()
    yaml.dump(doc, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def _build(tmp_path: Path, case: dict[str, Any]) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    folder = root / EVALUATION
    _patch(folder / "evaluation.yaml", case)
    for name, text in (case.get("files") or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    for name in case.get("remove") or []:
        (folder / name).unlink()
    for name, text in (case.get("root_files") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for name, size in (case.get("sizes") or {}).items():  # grown in place, sparse: no disk used
        with (folder / name).open("r+b") as grown:
            grown.truncate(size)
    for name in case.get("crlf") or []:
        target = folder / name
        target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    for name in set(case.get("set_in") or {}) | set(case.get("delete_in") or {}):
        patch = {
            "set": (case.get("set_in") or {}).get(name),
            "delete": (case.get("delete_in") or {}).get(name),
        }
        _patch(root / name, patch)
    for name in case.get("remove_root") or []:
        target = root / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return root


def _expected(root: Path, rows: list[list[Any]]) -> list[tuple[str, str, int]]:
    out = []
    for code, file, where in rows:
        rel = file[1:] if file.startswith("/") else f"{EVALUATION}/{file}"
        if isinstance(where, int):
            line = where
        else:
            source, _ = load_yaml(root / rel, rel)
            line = source.where(tuple(_key(p) for p in where.split(".")))[0]
        out.append((code, rel, line))
    return sorted(out)


def test_base_walks_the_whole_path_cleanly() -> None:
    checked = check(BASE)
    assert checked.diagnostics == []
    (loaded,) = checked.repo.evaluations
    assert loaded.evaluation.stage == "已发布"


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_case(case_file: Path, tmp_path: Path) -> None:
    case = YAML(typ="safe").load(case_file.read_text(encoding="utf-8"))
    root = _build(tmp_path, case)
    found = sorted((d.code, d.file, d.line) for d in check(root).diagnostics)
    assert found == _expected(root, case["expect"]), case["title"]


def test_every_process_code_has_a_case() -> None:
    """Each E5xx and W75x code is proved by at least one case file (each check, by ``test_check_sites``)."""
    from generator.messages import MESSAGES

    codes = {c for c in MESSAGES if c.startswith("E5") or c.startswith("W75")}
    cases = [YAML(typ="safe").load(c.read_text(encoding="utf-8")) for c in CASES]
    covered = {row[0] for case in cases for row in case["expect"]}
    assert codes - covered == set()
