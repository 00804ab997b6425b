"""What is internal is decided in one place: the rules in ``render/public.py``, asked through the
output's edition (``render/edition.py``). No output (site pages, open data, feeds, badges, search,
reports, the pull-request comment) imports the rules itself, so none can decide differently."""

from __future__ import annotations

import ast

from testpaths import ROOT

GENERATOR = ROOT / "generator"
RULES = "generator.render.public"

ALLOWED = {
    "generator.render.edition": "the one entry point: Edition.view, redactions and files",
}
"""Modules that may import the rules, with the reason."""


def importers() -> dict[str, set[str]]:
    """Module → the names it imports from the rules' module."""
    found: dict[str, set[str]] = {}
    for path in GENERATOR.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == RULES:
                found.setdefault(module, set()).update(a.name for a in node.names)
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module == "generator.render"
                and any(a.name == "public" for a in node.names)
            ):
                found.setdefault(module, set()).add("*")
            elif isinstance(node, ast.Import) and any(a.name == RULES for a in node.names):
                found.setdefault(module, set()).add("*")
    found.pop(RULES, None)
    return found


def test_only_the_edition_asks_the_rules() -> None:
    found = importers()
    assert sorted(set(found) - set(ALLOWED)) == [], (
        "outputs ask their edition (render.edition.Edition) what is internal, never render.public"
    )
    assert "generator.render.edition" in found
