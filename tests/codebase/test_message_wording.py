"""Every word of a diagnostic is in the catalogue (generator/messages.py): a call site names a code
and, for a message with a detail field, a variant from ``DETAILS``; it never writes the wording."""

from __future__ import annotations

import ast
import re

import pytest
from testpaths import ROOT

from generator.diagnostics import diag
from generator.messages import DETAILS, MESSAGES, fields_of

GENERATOR = ROOT / "generator"
CODE = re.compile(r"^[ETW]\d{3}$")
WORDING = {name for m in MESSAGES.values() for name in fields_of(m.zh, m.en, m.hint)} & {
    *(f for d in DETAILS.values() for f in d),
    "detail_zh",
    "detail_en",
    "hint",
    "what",
    "what_zh",
    "what_en",
    "why_zh",
    "why_en",
    "who_en",
    "reason_en",
    "kind_zh",
    "kind_en",
    "found_zh",
    "problem_zh",
    "problem_en",
}
"""Fields of messages that hold words (rather than ids, numbers or dates)."""


def _is_text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def wording_at_call_sites(source: str, name: str) -> list[str]:
    """Places in ``source`` that write a message's wording: a text given for a wording field in a
    call that names a code (or builds its arguments with ``dict``), or in a dict literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            names_code = any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) and CODE.match(a.value)
                for a in node.args
            )
            builds_args = isinstance(node.func, ast.Name) and node.func.id == "dict"
            if names_code or builds_args:
                found += [
                    f"{name}:{k.lineno} {k.arg}="
                    for k in node.keywords
                    if k.arg in WORDING and _is_text(k.value)
                ]
        elif isinstance(node, ast.Dict):
            found += [
                f"{name}:{k.lineno} {k.value!r}:"
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value in WORDING and _is_text(v)
            ]
    return found


def test_no_call_site_writes_a_message_s_wording() -> None:
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        if path.name != "messages.py":
            found += wording_at_call_sites(path.read_text(encoding="utf-8"), str(path.relative_to(GENERATOR)))
    assert found == [], "wording belongs in messages.DETAILS: " + ", ".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        'src.diag(at, "E409", detail_zh=f"晚于 {day}", detail_en="late")',
        'diag(rel, 0, 0, "E111", path=rel, kind_zh="文件夹", kind_en="a folder")',
        'args = {"hint": "改正。", "what": "证据采集"}',
        'args = dict(detail_zh="多出", detail_en="extra")',
    ],
)
def test_the_scan_finds_wording_written_at_a_call_site(snippet: str) -> None:
    assert wording_at_call_sites(snippet, "x.py")


def test_a_call_site_that_names_a_variant_passes_the_scan() -> None:
    assert wording_at_call_sites('src.diag(at, "E409", detail="period_ends_before_starts", end=e)', "x") == []


def test_every_variant_named_in_the_code_is_in_the_catalogue_and_every_one_is_used() -> None:
    named, quoted = set(), set()
    for path in GENERATOR.rglob("*.py"):
        if path.name != "messages.py":
            text = path.read_text(encoding="utf-8")
            named |= set(re.findall(r'detail="([a-z0-9_]+)"', text))
            quoted |= set(re.findall(r'"([a-z0-9_]+)"', text))
    assert named - set(DETAILS) == set()
    assert set(DETAILS) - quoted == set(), "variants no code names"


def test_a_variant_fills_only_wording_fields_of_messages() -> None:
    fields = {name for m in MESSAGES.values() for name in fields_of(m.zh, m.en, m.hint)}
    assert {f for d in DETAILS.values() for f in d} <= fields


def test_a_variant_s_wording_is_filled_in_and_its_own_fields_are_not_kept() -> None:
    d = diag("e.yaml", 3, 5, "E409", detail="period_ends_before_starts", end="2024-01-01", start="2024-02-01")
    assert d.message_zh.endswith("评价期结束 2024-01-01 早于开始 2024-02-01")
    assert "period ends 2024-01-01 before it starts 2024-02-01" in d.message_en
    assert {k for k, _ in d.args} == {"detail_zh", "detail_en"}


def test_an_unknown_variant_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        diag("e.yaml", 1, 1, "E409", detail="no_such_variant")
