"""The generator's modules import each other without a cycle, counting imports inside functions
too (an import moved into a function to dodge a cycle still counts), and no function imports a
module of the generator except to put off a heavy library (listed below, each with its reason)."""

from __future__ import annotations

import ast
from pathlib import Path

from testpaths import ROOT

GENERATOR = ROOT / "generator"

PUT_OFF: dict[str, set[str] | None] = {
    # each command imports what it runs: `zwpj check` never loads mkdocs, matplotlib or WeasyPrint
    "generator.cli": None,
    # reports (matplotlib, WeasyPrint, pyhanko) and the preview server only when asked for
    "generator.build.runner": {
        "generator.build.preview",
        "generator.build.reports",
        "generator.render.report",
        "generator.render.report.sign",
    },
    # the internal edition's reports alone (matplotlib, WeasyPrint) only when evaluations are named
    "generator.build.internal": {"generator.build.reports", "generator.render.report.sign"},
    # report templates are checked (render.report.checks) without the rendering machinery
    "generator.render.report": {"generator.render.report.render"},
    # pyhanko only for a signed PDF, the rendering machinery only when a report is rebuilt
    "generator.render.report.verify": {"generator.render.report.render", "generator.render.report.sign"},
}
"""Modules that import others of the generator inside functions, and which (None: any)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function) for every import of a generator module in ``path``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for the type checker only
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom):
                base = package
                for _ in range(child.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{child.module}" if child.level and child.module else (child.module or base)
                for alias in child.names:
                    sub = f"{target}.{alias.name}"
                    found.append(
                        (
                            sub
                            if (GENERATOR.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                            or (GENERATOR.parent / sub.replace(".", "/") / "__init__.py").exists()
                            else target,
                            inner,
                        )
                    )
            elif isinstance(child, ast.Import):
                found.extend((a.name, inner) for a in child.names)
            visit(child, inner)

    visit(tree, False)
    return [(m, nested) for m, nested in found if m == "generator" or m.startswith("generator.")]


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in GENERATOR.rglob("*.py"):
        edges[module_name(path)] = {m for m, _ in imports(path)} - {module_name(path)}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return out


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_late_imports_of_the_generator_only_put_off_heavy_libraries() -> None:
    late = {}
    for path in GENERATOR.rglob("*.py"):
        found = {m for m, nested in imports(path) if nested}
        if found:
            late[module_name(path)] = found
    assert set(late) == set(PUT_OFF)
    for name, found in late.items():
        allowed = PUT_OFF[name]
        assert allowed is None or found == allowed, name


STAGES = {
    "model": {"model", "diagnostics", "messages"},
    "load": {"load", "model", "diagnostics", "messages", "paths"},
    "score": {"score", "load", "model", "diagnostics", "messages"},
    "validate": {"validate", "score", "load", "model", "diagnostics", "messages", "paths"},
}
"""What each early stage may import (the first part of the module name below ``generator``).

The types (``model``) import no stage; reading (``load``) imports only the types; scoring is pure
over what was loaded; validation also asks the scoring rules whether an indicator system's rules
and observations are ones scoring can compute. Rendering and the build may use every stage."""

STAGE_EXCEPTIONS = {
    ("generator.validate.narrative", "generator.render.narrative"): "check warns (W761–W766) about exactly "
    "what the site and the reports will drop, by asking their one narrative policy",
    ("generator.validate.process.upgrade", "generator.pipeline"): "W771 compares a published total with "
    "what this version of the generator scores, so it scores the evaluation again",
}
"""Imports across the stage order, each with its reason."""


def stage_violations(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(edges.items()):
        stage = module.split(".")[1] if module.count(".") else ""
        if stage not in STAGES:
            continue
        for target in sorted(targets):
            part = target.split(".")[1] if target.count(".") else "generator"
            if part in STAGES[stage] or part == "generator":
                continue
            if not any(
                module == m and (target == t or target.startswith(t + ".")) for m, t in STAGE_EXCEPTIONS
            ):
                found.append(f"{module} -> {target}")
    return found


def test_the_stages_import_in_one_direction() -> None:
    assert stage_violations(graph()) == []


def test_the_stage_check_finds_a_backward_import() -> None:
    edges = {"generator.load.x": {"generator.validate.y"}, "generator.score.z": {"generator.render.site"}}
    assert stage_violations(edges) == [
        "generator.load.x -> generator.validate.y",
        "generator.score.z -> generator.render.site",
    ]
