"""Every third-party module the generator imports is declared in pyproject.toml's dependencies.

A fresh machine installs only what is declared: an import that works here only because a test
extra or a transitive dependency pulled it in would break ``scripts/build.sh`` there.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from testpaths import ROOT


def _imported_top_modules() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "generator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"generator"}


def _declared() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = data["project"]["dependencies"]
    return {re.split(r"[<>=!~\[ ;]", n, maxsplit=1)[0].lower().replace("_", "-") for n in names}


def test_every_runtime_import_is_declared() -> None:
    dists = packages_distributions()
    declared = _declared()
    # Modules provided by a declared package under another name (mkdocs-material ships "material").
    missing = []
    for module in sorted(_imported_top_modules()):
        providers = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        if not providers & declared:
            missing.append(f"{module} (from {sorted(providers) or 'unknown'})")
    assert not missing, f"imported by generator/ but not in [project].dependencies: {missing}"
