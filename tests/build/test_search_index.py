"""The site's search index, file by file: terms, postings, common terms, documents, page starts.

The browser side (``overrides/assets/search.js``) is exercised by the browser tests; these check
what it reads.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from generator.build.search import (
    COMMON_BYTES,
    DOCS_PER_FILE,
    SearchDoc,
    documents,
    normalize,
    terms,
    write_search_index,
)


def _load(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("zwpjSearch.load(") and text.endswith(");\n")
    kind, n, data = json.loads("[" + text[len("zwpjSearch.load(") : -len(");\n")] + "]")
    assert kind == ("m" if path.name == "manifest.js" else path.parent.name)
    assert str(n) == ("0" if path.name == "manifest.js" else path.stem)
    return data


def _decode(text: str) -> dict[int, int]:
    found, doc = {}, 0
    for item in text.split(","):
        delta, _, weight = item.partition(":")
        doc += int(delta, 36)
        found[doc] = int(weight, 36) if weight else 1
    return found


def test_chinese_is_indexed_by_characters_and_pairs_other_text_by_words() -> None:
    found = terms("网上办件占比 DB34/T 3556，Ｃ１.2")
    assert {"网上", "上办", "办件", "件占", "占比", "办", "件"} <= set(found)
    assert {"db34", "t", "3556", "c1", "2"} <= set(found)
    assert "网上办件" not in found, "no word segmentation: pairs only"


def test_normalize_keeps_every_offset() -> None:
    text = "…ＡＢＣ合肥市…"
    assert len(normalize(text)) == len(text) and normalize(text) == "…abc合肥市…"


def test_index_files_hold_postings_documents_and_page_starts(tmp_path: Path) -> None:
    docs = [
        SearchDoc("a.html", "办件过程数据规范性", "抽查办件的受理信息。"),
        SearchDoc("a.html#s1", "小节", "无关的内容"),
        SearchDoc("b.html", "合肥市数据资源局", "办件 办件 办件"),
    ] + [SearchDoc(f"p{i}.html", f"页面{i}", "服务质量评价 " * 3) for i in range(600)]
    write_search_index(docs, tmp_path)
    manifest = _load(tmp_path / "manifest.js")
    assert manifest["docs"] == len(docs) and manifest["per"] == DOCS_PER_FILE
    starts, at = [], 0
    for delta in manifest["pages"].split(","):
        at += int(delta, 36)
        starts.append(at)
    assert starts[:3] == [0, 2, 3], "a page's sections share its start"
    shard = _load(tmp_path / "t" / f"{zlib.crc32('办件'.encode()) % manifest['terms']}.js")
    postings = _decode(shard["办件"])
    assert set(postings) == {0, 2} and postings[0] > postings[2] > 1, "a page title weighs most"
    common = _load(tmp_path / "t" / f"{zlib.crc32('服务'.encode()) % manifest['terms']}.js")["服务"]
    assert isinstance(common, list) and common[0] == 600, "a common term: its count and its own file"
    assert len(_decode(_load(tmp_path / "b" / f"{common[1]}.js"))) == 600
    assert all(
        len(v) <= COMMON_BYTES
        for f in (tmp_path / "t").glob("*.js")
        for v in _load(f).values()
        if isinstance(v, str)
    )
    first = _load(tmp_path / "d" / "0.js")
    assert first[0] == ["a.html", "办件过程数据规范性", "抽查办件的受理信息。"]


def test_hostile_text_stays_data(tmp_path: Path) -> None:
    docs = documents(
        [{"location": "x.html", "title": "<b>标题</b>", "text": "</script><script>alert(1)</script>"}]
    )
    write_search_index([*docs, SearchDoc("y.html", "分隔", "a\u2028b\u2029c")], tmp_path)
    raw = (tmp_path / "d" / "0.js").read_text(encoding="utf-8")
    assert "\u2028" not in raw and "\u2029" not in raw and "\\u2028" in raw
    assert _load(tmp_path / "d" / "0.js")[0][1:] == ["标题", "alert(1)"], (
        "tags stripped from titles and texts"
    )
    assert _load(tmp_path / "d" / "0.js")[1][2] == "a\u2028b\u2029c"


def test_the_audit_reads_index_files_as_data_and_other_scripts_as_code(tmp_path: Path) -> None:
    from generator.render.site.audit import audit_site

    write_search_index(
        [SearchDoc("x.html", "链接", "见 https://www.gov.cn/ 公开的文件")], tmp_path / "search"
    )
    (tmp_path / "search" / "other.js").write_text('fetch("https://cdn.example/x.js");\n', encoding="utf-8")
    (tmp_path / "search" / "d" / "9.js").write_text('fetch("https://cdn.example/y.js");\n', encoding="utf-8")
    problems = {(p.file, p.detail) for p in audit_site(tmp_path)}
    assert problems == {
        ("search/other.js", "https://cdn.example/x.js"),
        ("search/d/9.js", "https://cdn.example/y.js"),
    }
