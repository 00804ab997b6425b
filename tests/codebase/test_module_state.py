"""No module of the generator keeps mutable state of its own, or changes the process's, outside the
allow-list below (each entry with its reason).

The scan parses every module and finds:
- ``global`` statements (a function rebinding a module's name);
- a name of the module, or one imported into it, changed inside a function: item assignment or
  deletion, augmented assignment, a mutating method (``append``, ``update``, ``setdefault`` …);
- an attribute set on an imported module (a monkeypatch), inside a function or not;
- ``os.environ`` changed;
- results kept across calls by ``functools.cache`` / ``lru_cache``;
- calls that change the process for everyone in it: ``os.chdir``, ``os.umask``, signal handlers,
  resource limits, logging levels and handlers, ``matplotlib.use``, warning filters …
Everything a build changes belongs to an object the runner owns, passed down, never to a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from testpaths import ROOT

GENERATOR = ROOT / "generator"

MUTATORS = frozenset(
    "append extend insert remove pop popitem clear update setdefault add discard "
    "difference_update intersection_update symmetric_difference_update sort reverse "
    "appendleft extendleft popleft __setitem__ __delitem__".split()
)
"""Methods that change a list, dict, set or deque in place."""
PROCESS_CALLS = frozenset(
    {
        "os.chdir",
        "os.umask",
        "os.putenv",
        "os.unsetenv",
        "signal.signal",
        "signal.setitimer",
        "resource.setrlimit",
        "sys.setrecursionlimit",
        "locale.setlocale",
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "matplotlib.use",
        "gc.freeze",
        "gc.disable",
        "gc.enable",
        "gc.unfreeze",
        "logging.basicConfig",
        "logging.disable",
    }
)
"""Calls that change the whole process (by their dotted name as written)."""
LOGGER_CALLS = frozenset({"setLevel", "addHandler", "removeHandler", "addFilter", "removeFilter"})
"""Methods of ``logging.getLogger(...)`` that change a logger every module shares."""

ALLOWED: dict[str, str] = {
    # the runner's workers
    "generator.build.workers:global _TASK": "set once in each forked worker by its pool's initializer, "
    "never in the parent: a pool hands a forked worker its task only this way without pickling it",
    "generator.build.workers:gc.freeze": "the parent's heap is frozen before forking, so workers "
    "collecting garbage do not copy every page of it; the build's own memory step, undone never",
    "generator.build.memory:gc.freeze": "the build's memory steps: long-lived objects frozen "
    "between steps so forked workers share their pages",
    "generator.build.memory:gc.unfreeze": "the same steps, unfreezing what the next step frees",
    "generator.build.memory:gc.disable": "while many long-lived objects are made, in a block "
    "that restores the collector",
    "generator.build.memory:gc.enable": "the end of that block",
    "generator.paths:os.umask": "file_mask() reads the umask, which Python can read only by setting "
    "it, and sets it back at once",
    # limits of a template's rendering, in the process that renders it and restored after
    "generator.render.report.sandbox:signal.signal": "CPU-time limit of a template's rendering: the "
    "handler is put back when the block ends",
    "generator.render.report.sandbox:signal.setitimer": "the same limit's timer, stopped when the block ends",
    "generator.render.report.checks:resource.setrlimit": "memory limit of a template check, set in "
    "the forked process that renders the sample report and ends with it",
    # libraries that only offer process-wide settings
    "generator.render.report.charts:matplotlib.use": "the Agg backend: no display; matplotlib "
    "chooses a backend only process-wide, before pyplot is imported (charts never import pyplot)",
    "generator.render.report.sign:logging pyhanko.setLevel": "pyhanko's notes on a file's "
    "history are not the reader's; logging levels exist only per process",
    "generator.render.report.sign:logging pyhanko_certvalidator.setLevel": "the same, for its "
    "certificate validator",
    "generator.build.render:logging mkdocs.addHandler": "mkdocs reports warnings only through its "
    "logger: a SiteRenderer attaches its own collector and detaches it in close()",
    "generator.build.render:logging mkdocs.removeHandler": "that detachment",
    "generator.build.mkdocs_adapter:plugin.jieba": "Material's search plugin has no setting to turn "
    "word segmentation off; set back when the block ends (see the module's docstring)",
    # results of pure functions of their arguments, the same for every repository
    "generator.build.search:_NORMAL": "NFKC of one character, a pure function: filled as "
    "characters are met, the same whatever is indexed",
    "generator.build.cache:_CODE": "the hash of the generator's own files and package versions, "
    "fixed for the life of the process",
    "generator.model.numbers:cache _decimal": "a float's decimal fraction, pure",
    "generator.render.site.markup:cache md_escape": "escaping of a text, pure",
    "generator.score.conditions:cache compile_condition": "a condition's SQL, pure",
    "generator.score.conditions:cache condition_columns": "a condition's columns, pure",
    "generator.render.report.pandoc:cache find_pandoc": "the installed pandoc and its version, fixed "
    "for the life of the process",
    "generator.render.report.pdf:cache watermark_svg": "glyph outlines of a marking text, pure",
    "generator.render.report.checks:cache _probe": "the sample report the template check renders, "
    "scored from the generator's own fixture (never the repository checked)",
}
"""Findings that stay, by ``module:what``, with the reason."""


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def root_name(node: ast.AST) -> str | None:
    """The name a chain of attributes and subscripts starts from."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def findings(path: Path) -> set[str]:
    """What the module changes that outlives a call, as ``what`` strings (see ALLOWED)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    """Names bound at module level."""
    imported: set[str] = set()
    """Names bound by an import, anywhere in the module."""
    defined: set[str] = set()
    """Classes and functions defined at module level."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update((a.asname or a.name).split(".")[0] for a in node.names)
    for node in tree.body:
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            top.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            defined.add(node.name)  # a class's or function's attributes are module state too
        for target in targets:
            top.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    found: set[str] = set()

    def changed(target: ast.AST, in_function: bool) -> None:
        """``target`` is assigned to, deleted or changed in place."""
        name = dotted(target.value) if isinstance(target, ast.Subscript) else None
        if name == "os.environ":
            found.add("os.environ")
            return
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            if target.value.id in imported:  # an attribute of a module: a monkeypatch
                found.add(f"{target.value.id}.{target.attr}")
            elif in_function and target.value.id in defined:  # a class or function attribute
                found.add(f"{target.value.id}.{target.attr}")
            return
        base = root_name(target)
        if in_function and base in defined and isinstance(target, ast.Subscript):
            found.add(base)  # an item of a class or function attribute (``Registry.seen[k] = v``)
            return
        if in_function and base in top and base not in ("self", "cls") and target is not None:
            if isinstance(target, (ast.Subscript, ast.Attribute)) or base in imported:
                found.add(base)

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Global):
                found.update(f"global {n}" for n in child.names)
            elif isinstance(child, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = child.targets if isinstance(child, (ast.Assign, ast.Delete)) else [child.target]
                for target in targets:
                    for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                        changed(part, inner)
            elif isinstance(child, ast.Call):
                call(child, inner)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is tree:
                for deco in child.decorator_list:
                    name = dotted(deco.func if isinstance(deco, ast.Call) else deco) or ""
                    if name.rsplit(".", 1)[-1] in ("cache", "lru_cache"):
                        found.add(f"cache {child.name}")
            visit(child, inner)

    def call(node: ast.Call, in_function: bool) -> None:
        name = dotted(node.func) or ""
        if name in PROCESS_CALLS:
            found.add(name)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        owner = func.value
        if (
            func.attr in LOGGER_CALLS
            and isinstance(owner, ast.Call)
            and dotted(owner.func) == "logging.getLogger"
        ):
            logger = owner.args[0].value if owner.args and isinstance(owner.args[0], ast.Constant) else "?"
            found.add(f"logging {logger}.{func.attr}")
        elif func.attr in MUTATORS:
            if dotted(owner) == "os.environ":
                found.add("os.environ")
            elif in_function and isinstance(owner, ast.Name) and owner.id in top:
                found.add(owner.id)
            elif in_function and isinstance(owner, ast.Attribute) and root_name(owner) in defined:
                found.add(str(root_name(owner)))  # ``Registry.seen.add(x)``

    visit(tree, False)
    return found


def scan() -> dict[str, str]:
    """Every finding in the generator, ``module:what`` → file."""
    out = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        for what in findings(path):
            out[f"{module_name(path)}:{what}"] = str(path.relative_to(GENERATOR.parent))
    return out


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    return scan()


def test_no_module_level_state_outside_the_allow_list(found: dict[str, str]) -> None:
    new = sorted(set(found) - set(ALLOWED))
    assert not new, (
        "module-level or process-wide state: give it to an object the runner owns, or add it to "
        f"ALLOWED with the reason it must stay: {new}"
    )


def test_every_allowed_entry_is_still_found(found: dict[str, str]) -> None:
    assert not sorted(set(ALLOWED) - set(found)), "stale entries in ALLOWED"


def test_scan_finds_each_kind(tmp_path: Path) -> None:
    """The scan is checked on a module holding one of each kind of state."""
    module = tmp_path / "state.py"
    module.write_text(
        "import functools, logging, os, signal\n"
        "class Registry:\n"
        "    seen = set()\n"
        "from somewhere import plugin\n"
        "SEEN = {}\nITEMS = []\nTABLE = {'a': 1}\nCOUNT = 0\n"
        "def f(x):\n"
        "    global COUNT\n"
        "    SEEN[x] = 1\n"
        "    ITEMS.append(x)\n"
        "    os.environ['X'] = '1'\n"
        "    os.environ.pop('Y', None)\n"
        "    plugin.jieba = None\n"
        "    signal.signal(2, None)\n"
        "    logging.getLogger('lib').setLevel(10)\n"
        "    local = {}\n"
        "    local[x] = TABLE['a']\n"
        "    Registry.seen.add(x)\n"
        "    Registry.count = 1\n"
        "@functools.lru_cache(maxsize=8)\n"
        "def g(x):\n"
        "    return x\n",
        encoding="utf-8",
    )
    assert findings(module) == {
        "global COUNT",
        "SEEN",
        "ITEMS",
        "os.environ",
        "plugin.jieba",
        "signal.signal",
        "logging lib.setLevel",
        "cache g",
        "Registry",
        "Registry.count",
    }
