"""Reading YAML: positions of every value and key, encodings, and files meant to hang or crash the reader."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from testpaths import ROOT

from generator.load.yamlsource import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, load_yaml, read_text


def _load(tmp_path: Path, content: str | bytes, name: str = "f.yaml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return load_yaml(path, name)


def _where(problems) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(d.line, d.column, d.code) for d in problems]


# --- values and positions ---------------------------------------------------------------------------


def test_values_and_positions(tmp_path: Path) -> None:
    source, problems = _load(
        tmp_path, "id: x\nteam:\n  - name: 张三\n    role: 组长\nperiod:\n  start: 2024-11-01\n"
    )
    assert problems == []
    assert source.data == {
        "id": "x",
        "team": [{"name": "张三", "role": "组长"}],
        "period": {"start": dt.date(2024, 11, 1)},
    }
    assert source.where(("team", 0, "role")) == (4, 11)
    assert source.where(("team", 0, "role"), at_key=True) == (4, 5)
    assert source.where(("period", "start")) == (6, 10)


def test_where_falls_back_to_the_nearest_enclosing_value(tmp_path: Path) -> None:
    """A missing key is reported where its mapping starts."""
    source, _ = _load(tmp_path, "plan:\n  title: 方案\n")
    assert source.where(("plan", "approved")) == (2, 3)
    assert source.where(("nowhere", 3)) == (1, 1)


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    source, _ = _load(tmp_path, "名称: 合肥市数据资源局\n")
    assert source.where(("名称",)) == (1, 5)


def test_empty_file_is_an_empty_mapping(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "# only a comment\n")
    assert (source.data, problems) == ({}, [])


def test_timestamps(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "at: 2024-11-05 10:30:00\non: 2024-11-05\n")
    assert problems == []
    assert source.data == {"at": dt.datetime(2024, 11, 5, 10, 30), "on": dt.date(2024, 11, 5)}


def test_merge_keys_fill_in_what_the_mapping_does_not_set(tmp_path: Path) -> None:
    text = "a: &a {x: 1, y: 2}\nb: &b {y: 9, z: 9}\nc: {<<: *a, y: 3}\nd:\n  <<: [*a, *b]\n  w: 0\n"
    source, problems = _load(tmp_path, text)
    assert problems == []  # an explicit key over a merged one is not a duplicate
    assert source.data["c"] == {"x": 1, "y": 3}
    assert source.data["d"] == {"w": 0, "x": 1, "y": 2, "z": 9}


def test_a_key_that_is_not_text_does_not_crash(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "? [a, b]\n: 1\n")
    assert problems == []
    assert list(source.data) == ["['a', 'b']"]


# --- duplicate keys and syntax errors ---------------------------------------------------------------


def test_duplicate_key_points_at_the_second_and_names_the_first(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\n")
    assert _where(problems) == [(4, 3, "E103")]
    assert problems[0].message_zh == "重复的键“c”（第一次出现在第 3 行）"
    assert source.data == {"a": 1, "b": {"c": 2}}


@pytest.mark.parametrize(
    "text, where, zh",
    [
        ("a: b: c\n", (1, 5), "此处不能出现“键: 值”"),
        ("a:\n\tb: 1\n", (2, 1), "Tab"),
        ('a: "abc\nb: 1\n', (1, 4), "引号或括号没有闭合"),
        ("a: [1, 2\nb: 3\n", (2, 2), "方括号列表没有闭合"),
        ("a: *nothing\n", (1, 4), "未定义的锚点"),
        ("a: 1\n---\nb: 2\n", (2, 1), "一个文件只能有一个 YAML 文档"),
        ("a: ok\nb: 中文\x00\n", (2, 6), "控制字符"),
    ],
)
def test_syntax_errors_are_located_and_explained(
    tmp_path: Path, text: str, where: tuple[int, int], zh: str
) -> None:
    source, problems = _load(tmp_path, text)
    assert source.data is None
    assert _where(problems) == [(*where, "E101")]
    assert zh in problems[0].message_zh
    assert problems[0].message_en.startswith("YAML syntax error: ")
    assert "\n" not in problems[0].message_en


# --- encodings -------------------------------------------------------------------------------------


def test_utf8_bom_is_accepted_and_positions_unchanged(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, b"\xef\xbb\xbfid: x\nname: \xe5\x90\x8d\n")
    assert problems == []
    assert source.data == {"id": "x", "name": "名"}
    assert source.where(("id",), at_key=True) == (1, 1)


def test_gbk_file_names_the_encoding_and_the_first_bad_character(tmp_path: Path) -> None:
    content = "id: x\nname: 合肥\n".encode("gbk")
    source, problems = _load(tmp_path, content)
    assert source.data is None
    assert _where(problems) == [(2, 7, "E102")]
    assert "GBK" in problems[0].message_zh


def test_column_of_a_bad_byte_counts_the_utf8_characters_before_it(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "a: 中文".encode() + "合".encode("gbk") + b"\n")
    assert _where(problems) == [(1, 6, "E102")]


def test_utf16_is_named(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "id: x\n".encode("utf-16"))
    assert problems[0].code == "E102"
    assert "UTF-16" in problems[0].message_zh


def test_read_text_reports_a_missing_file(tmp_path: Path) -> None:
    text, problems = read_text(tmp_path / "none.md", "none.md")
    assert text is None
    assert _where(problems) == [(0, 0, "E106")]


# --- limits ----------------------------------------------------------------------------------------


def test_file_at_the_size_cap_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    body = b"a: 1\n"
    filler = b"#" * (MAX_FILE_BYTES - len(body) - 1) + b"\n"
    source, problems = _load(tmp_path, body + filler)
    assert (source.data, problems) == ({"a": 1}, [])
    source, problems = _load(tmp_path, body + filler + b"#")
    assert source.data is None
    assert _where(problems) == [(0, 0, "E104")]
    assert f"{MAX_FILE_BYTES + 1} 字节" in problems[0].message_zh


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    started = time.monotonic()
    source, problems = _load(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 10
    assert source.data is None
    assert [d.code for d in problems] == ["E105"]
    assert problems[0].line in range(2, 11)  # the key being expanded when the limit was crossed


def test_a_flat_list_over_the_node_limit_is_refused_before_composing(tmp_path: Path) -> None:
    started = time.monotonic()
    _, problems = _load(tmp_path, "a: [" + ",".join(["1"] * (MAX_NODES + 10)) + "]\n")
    assert time.monotonic() - started < 10  # composing it first took ~5 s, converting it more
    assert [d.code for d in problems] == ["E105"]


def test_nesting_at_the_limit_is_read(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    source, problems = _load(tmp_path, "a: " + "[" * depth + "1" + "]" * depth + "\n")
    assert problems == []


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "x: 1\nloop: &l [1, *l]\n")
    assert _where(problems) == [(2, 1, "E108")]


def test_deep_nesting_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    """libyaml's composer recurses in C: 200 000 open brackets used to kill the process (SIGSEGV)."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from generator.load.yamlsource import load_yaml; "
        "_, p = load_yaml(Path(sys.argv[1]), 'deep.yaml'); print([(d.line, d.column, d.code) for d in p])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"[(1, {3 + MAX_DEPTH}, 'E108')]"


def test_a_web_address_without_scheme_is_told_how_to_write_it(tmp_path: Path) -> None:
    from generator.load.repository import parse_model
    from generator.model.evaluation import Evidence

    path = tmp_path / "evidence.yaml"
    path.write_text("url: www.ah.gov.cn/guide\nnote: 办事指南\n", encoding="utf-8")
    _source, model, problems = parse_model(path, "evidence.yaml", Evidence)
    assert model is None
    assert [(d.code, d.line, d.column) for d in problems] == [("E204", 1, 6)]
    assert "http:// 或 https://" in problems[0].hint
