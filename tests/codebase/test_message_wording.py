"""Every word of a diagnostic is in the catalogue (generator/messages.py): a call site names a code
and, for a message with a detail field, a variant from ``DETAILS``; it never writes the wording. Nor
does a module keep its own table of Chinese/English pairs (a check that raises ``Worded`` names a
variant; names of things a message quotes are named tables of messages.py)."""

from __future__ import annotations

import ast
import itertools
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


_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[^\u3400-\u9fff]*\s[A-Za-z]")
_WORD = re.compile(r"[A-Za-z]{3,}")


def _words(node: ast.expr | None) -> str | None:
    """The text of a string or f-string literal (either branch of a conditional), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    return None


def _chinese(node: ast.expr | None) -> bool:
    text = _words(node)
    return text is not None and bool(_CJK.search(text))


def _english(node: ast.expr | None) -> bool:
    text = _words(node)
    return text is not None and not _CJK.search(text) and bool(_ENGLISH.search(text))


def _a_word(node: ast.expr | None) -> bool:
    text = _words(node)
    return text is not None and bool(_WORD.fullmatch(text))


def _english_name(name: str | None) -> bool:
    return name is not None and (name == "en" or name.endswith("_en"))


def wording_pairs(source: str, name: str) -> list[str]:
    """Places in ``source`` that keep a message's words in two languages: a Chinese text followed by
    an English one (in a tuple, a list or a call's arguments; in a table of pairs, a dict's values,
    one English word is enough), or English text given to a name, key or keyword ending in ``_en``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        runs = [node.elts] if isinstance(node, (ast.Tuple, ast.List)) else []
        runs += [node.args] if isinstance(node, ast.Call) else []
        found += [
            f"{name}:{a.lineno}"
            for elts in runs
            for a, b in itertools.pairwise(elts)
            if _chinese(a) and _english(b)
        ]
        if isinstance(node, ast.Call):
            found += [
                f"{name}:{k.value.lineno}"
                for k in node.keywords
                if _english_name(k.arg) and _english(k.value)
            ]
        elif isinstance(node, ast.Dict):
            found += [
                f"{name}:{v.lineno}"
                for v in node.values
                if isinstance(v, ast.Tuple)
                and any(_chinese(x) and _a_word(y) for x, y in itertools.pairwise(v.elts))
            ]
            found += [
                f"{name}:{v.lineno}"
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
                and isinstance(k.value, str)
                and _english_name(k.value)
                and _english(v)
            ]
        elif isinstance(node, ast.Assign):
            found += [
                f"{name}:{node.lineno}"
                for t in node.targets
                if isinstance(t, ast.Name) and _english_name(t.id) and _english(node.value)
            ]
    return found


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


def test_no_module_keeps_a_table_of_chinese_and_english_wording() -> None:
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        if path.name != "messages.py":
            found += wording_pairs(path.read_text(encoding="utf-8"), path.relative_to(GENERATOR).as_posix())
    assert found == [], "wording belongs in messages.py (DETAILS or a named table): " + ", ".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        'RECORDS = {"posts": ("评价岗位及其职责（posts）", "evaluation posts and duties (posts)")}',
        'STAFF = {"training": ("培训", "training"), "qualifications": ("资质", "qualifications")}',
        'KIND = FolderKind("evaluations", "evaluation.yaml", "评价文件夹", "an evaluation folder")',
        'raise Problem(f"等级“{obs}”不在 {names} 之中", f"level {obs} is not one of {names}", "改正。")',
        'why_en = "several raters" if why == "多人评分" else "computed from a dataset"',
        'REASONS = {"image": {"why_zh": "图片不存在", "why_en": "the image is missing"}}',
        'diag(rel, 0, 0, "E804", reason_en=f"cannot read {text}")',
    ],
)
def test_the_scan_finds_a_table_of_chinese_and_english_wording(snippet: str) -> None:
    assert wording_pairs(snippet, "x.py")


@pytest.mark.parametrize(
    "snippet",
    [
        'raise Problem("rule_level_unknown", obs=obs, names=names)',
        'SHEET = ("编号", "id")',
        'COLUMNS = (("编号", "left"), ("指标", "left"))',
        'parts.append("否决情形：" + "、".join(found))',
        'log.info("wrote %s", path)',
    ],
)
def test_the_scan_lets_variants_ids_and_single_language_text_pass(snippet: str) -> None:
    assert wording_pairs(snippet, "x.py") == []


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


def test_a_worded_problem_is_said_from_the_catalogue_and_survives_the_cache() -> None:
    import pickle

    from generator.diagnostics import Worded
    from generator.load.frames import SampleError

    said = Worded("rule_level_unknown", obs="优秀", names="好、中、差")
    assert (said.zh, said.en, said.hint) == (
        "等级“优秀”不在 好、中、差 之中",
        "level '优秀' is not one of 好、中、差",
        "改为 好、中、差 之一。",
    )
    assert (
        said.joined()
        == "等级“优秀”不在 好、中、差 之中 | level '优秀' is not one of 好、中、差 | 改为 好、中、差 之一。"
    )
    again = pickle.loads(pickle.dumps(SampleError("sample_no_column", name="部门", columns="编号、名称")))
    assert isinstance(again, SampleError) and again.zh == "抽样框没有列“部门”（现有列：编号、名称）"
    with pytest.raises(KeyError):
        Worded("no_such_variant")
