"""Every process check (each place in the code that reports an E5xx code) has a fixture case that fails
when the check is removed.

The sites are found in the source: a call with an ``"E5.."`` code, and each call of a function that
makes one (``_missing(…)``, ``_e506(…)``). The fixture cases (``tests/fixtures/process/cases`` and
``tests/fixtures/invalid``) are run once, in-process, noting the call stack that made each diagnostic.
A site is proved when some case expects a diagnostic that only calls through that site produced: with
the site gone, the diagnostic goes, and the case fails. A new check without such a case fails here.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fixturelib import build, cases, expected_lines
from ruamel.yaml import YAML
from testpaths import FIXTURES

import generator
from generator import pipeline
from generator.load.yamlsource import Source

pytestmark = pytest.mark.slow  # checks every fixture once per removed check


PACKAGE = Path(generator.__file__).parent
PREFIX = str(PACKAGE) + "/"
CODE = re.compile(r"^E5\d\d$")
PROCESS_CASES = sorted((FIXTURES / "process" / "cases").glob("*.yaml"))
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): \S+ (?P<code>[EWT]\d{3}) ")


@dataclass(frozen=True)
class Site:
    """A call that reports an E5xx code, directly or through a helper."""

    file: str
    """Module path relative to the package."""
    line: int
    """First line of the call."""
    end: int
    """Last line of the call."""
    text: str
    """The call's first line, for the failure message."""

    def holds(self, frame: tuple[str, int]) -> bool:
        return frame[0] == self.file and self.line <= frame[1] <= self.end


def _literal_codes(node: ast.Call) -> list[str]:
    values = [*node.args, *(k.value for k in node.keywords)]
    return [
        v.value
        for v in values
        if isinstance(v, ast.Constant) and isinstance(v.value, str) and CODE.match(v.value)
    ]


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def sites() -> list[Site]:
    """Every E5xx site of the package."""
    found: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines = text.splitlines()
        rel = path.relative_to(PACKAGE).as_posix()
        helpers = {
            fn.name
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef)
            and any(isinstance(n, ast.Call) and _literal_codes(n) for n in ast.walk(fn))
            and fn.name.startswith("_")
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (_literal_codes(node) or _called_name(node) in helpers):
                end = node.end_lineno or node.lineno
                found.append(Site(rel, node.lineno, end, lines[node.lineno - 1].strip()))
    return found


class Recorder:
    """Wraps ``diag`` wherever the package imported it, and ``Source.diag``, noting each call stack."""

    def __init__(self) -> None:
        self.stacks: dict[tuple[str, str, int], list[frozenset[tuple[str, int]]]] = defaultdict(list)

    def note(self, d: Any) -> Any:
        frames = []
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith(PREFIX):
                frames.append((name[len(PREFIX) :], frame.f_lineno))
            frame = frame.f_back
        self.stacks[(d.code, d.file, d.line)].append(frozenset(frames))
        return d

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from generator import diagnostics

        original = diagnostics.diag

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return self.note(original(*args, **kwargs))

        for name, module in list(sys.modules.items()):
            if name.startswith("generator") and getattr(module, "diag", None) is original:
                monkeypatch.setattr(module, "diag", wrapped)
        source_diag = Source.diag

        def wrapped_source(self_: Source, *args: Any, **kwargs: Any) -> Any:
            return source_diag(self_, *args, **kwargs)  # calls the module's diag, noted there

        monkeypatch.setattr(Source, "diag", wrapped_source)


def _process_runs(tmp: Path) -> Iterator[tuple[str, Path, list[tuple[str, str, int]]]]:
    import test_process_stages as stages

    for case_file in PROCESS_CASES:
        case = YAML(typ="safe").load(case_file.read_text(encoding="utf-8"))
        folder = tmp / f"p-{case_file.stem}"
        folder.mkdir()
        root = stages._build(folder, case)
        yield case_file.stem, root, stages._expected(root, case["expect"])


def _invalid_runs(tmp: Path) -> Iterator[tuple[str, Path, list[tuple[str, str, int]]]]:
    for case in cases():
        expected = []
        for line in expected_lines(case):
            m = LINE.match(line)
            assert m is not None
            expected.append((m["code"], m["file"], int(m["line"])))
        if not any(code.startswith("E5") for code, _, _ in expected):
            continue
        root = build(case, tmp / f"i-{case.name}")
        yield case.name, root, expected


def test_every_process_check_fails_a_case_when_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    recorder.install(monkeypatch)
    proved: set[Site] = set()
    all_sites = sites()
    assert len(all_sites) > 30, "the E5xx checks were not found"
    for name, root, expected in [*_process_runs(tmp_path), *_invalid_runs(tmp_path)]:
        recorder.stacks.clear()
        checked = pipeline.check(root)
        produced = {(d.code, d.file, d.line) for d in checked.diagnostics}
        assert set(expected) <= produced, name
        for key in expected:
            stacks = recorder.stacks.get(key, [])
            for site in all_sites:
                if stacks and all(any(site.holds(f) for f in frames) for frames in stacks):
                    proved.add(site)
        shutil.rmtree(root.parent if root.name == "repo" else root, ignore_errors=True)
    missing = [f"{s.file}:{s.line}: {s.text}" for s in all_sites if s not in proved]
    assert missing == [], (
        "E5xx checks no case proves (removing them leaves every case passing):\n" + "\n".join(missing)
    )
