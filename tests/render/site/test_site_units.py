"""Small pieces of the site renderer: escaping, sanitising, charts, source redaction, the audit."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.load.repository import list_files
from generator.load.yamlsource import load_yaml
from generator.render import charts
from generator.render.narrative import FolderFiles
from generator.render.site.audit import audit_site, is_outside, script_urls
from generator.render.site.markup import md_escape, render_narrative
from generator.render.site.sources import REDACTED, redacted_lines

EXTENSIONS = ["tables", "attr_list", "admonition", "toc", "sane_lists"]
"""The Markdown extensions mkdocs.yml enables."""


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[点我](javascript:alert(1))",
        "<img src=x onerror=alert(2)>",
        "**粗体** _斜体_ `代码`",
        "# 不是标题",
        "- 不是列表",
        "1. 不是编号",
        "{: onclick=alert(3) }",
        "a | b | c",
        "&lt;已转义&gt; & 符号",
        "第一行\n<b>第二行</b>",
        "\\[转义\\]",
    ],
)
def test_escaped_text_renders_as_itself(text: str) -> None:
    html = markdown.markdown(f"before {md_escape(text)} after", extensions=EXTENSIONS)
    assert set(re.findall(r"<(\w+)", html)) <= {"p", "br"}
    shown = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    expected = " ".join(line.strip() for line in text.strip().splitlines())
    assert " ".join(shown.split()) == " ".join(f"before {expected} after".split())


def test_values_in_table_cells_stay_in_their_cell() -> None:
    row = f"| {md_escape('a | b')} | {md_escape('x')} |"
    html = markdown.markdown(f"| h1 | h2 |\n|---|---|\n{row}\n", extensions=EXTENSIONS)
    assert html.count("<td>") == 2 and "a | b" in html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of ``html`` with its attributes, as a browser's tokenizer reads them."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>正文",
        '<img src="x" onerror="alert(1)">',
        "[链接](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="https://evil.example/"></iframe>',
        "![跟踪](https://evil.example/t.png)",
        '<div style="background:url(https://evil.example/x)">x</div>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"><circle/></svg>',
        '<form action="https://evil.example"><input></form>',
        "[x](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> [y](vbscript:msgbox)",
        '[s]{style="position:fixed"} `x`{=html}\n\n```{=html}\n<script>1</script>\n```',
    ],
)
def test_narrative_is_sanitised(source: str) -> None:
    found = elements(render_narrative(source))
    assert {tag for tag, _ in found} <= {"div", "p", "code", "pre", "a"}
    for tag, attrs in found:
        assert set(attrs) <= {"class", "href", "rel"}
        assert tag != "a" or str(attrs["href"]).startswith(("https://", "http://", "mailto:", "#"))
    assert not any("evil.example" in str(v) or "script" in str(v) for _, a in found for v in a.values())


def test_narrative_keeps_ordinary_markdown_and_marks_outside_links() -> None:
    html = render_narrative(
        "# 标题\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[政府网](https://www.gov.cn/) **重点。**后文"
    )
    assert "<h3>标题</h3>" in html and "<table>" in html and "<strong>重点。</strong>后文" in html
    assert 'rel="external noopener noreferrer"' in html


def test_narrative_relative_links_are_rewritten_or_dropped(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    for name in ("a.pdf", "internal.pdf", "page.html"):
        (tmp_path / "evidence" / name).write_text("x", encoding="utf-8")

    class Publisher:
        files = FolderFiles(
            tmp_path.resolve(), frozenset({"evidence/a.pdf", "evidence/page.html"}), list_files(tmp_path)
        )

        def link_from_page(self, target: str) -> str | None:
            return "x/" + target

    html = render_narrative(
        "[有](evidence/a.pdf) [无](evidence/missing.pdf) [内](evidence/internal.pdf) [页](evidence/page.html)"
        " [外](../../etc/passwd)",
        Publisher(),
    )
    assert 'href="x/evidence/a.pdf"' in html and html.count("href=") == 1


def test_charts_are_well_formed_svg_with_text_alternatives() -> None:
    figures = [
        charts.radar(
            [("服务能力", 0.9), ("服务过程", 0.5), ("服务结果", 1.2)], title="雷达<图>", caption="说明"
        ),
        charts.bars(
            [charts.Bar("A1 指标", 0.5, "50%"), charts.Bar("A2", None, "不适用")],
            maximum=1,
            title="t",
            caption="c",
        ),
        charts.columns([charts.Bar("优秀", 3, "3"), charts.Bar("良好", 0, "0")], title="t", caption="c"),
        charts.trend(
            [charts.Bar("2023", 70, "70"), charts.Bar("2024", 80, "80")], maximum=100, title="t", caption="c"
        ),
    ]
    for figure in figures:
        root = ET.fromstring(str(figure))
        svg = root.find("{http://www.w3.org/2000/svg}svg")
        assert svg is not None and svg.get("role") == "img"
        labelled = svg.get("aria-labelledby", "").split()
        ids = {el.get("id") for el in svg.iter() if el.get("id")}
        assert labelled and set(labelled) <= ids
    assert "雷达&lt;图&gt;" in str(figures[0])


def test_source_lines_hide_values_to_the_next_sibling(tmp_path: Path) -> None:
    text = (
        "name: 甲\ncontact:\n  phone: 123\n  email: a@b.c\nnext: 乙\nnote: >-\n  第一行\n  第二行\nlast: 1\n"
    )
    path = tmp_path / "e.yaml"
    path.write_text(text, encoding="utf-8")
    source, _ = load_yaml(path, "e.yaml")
    lines = redacted_lines(text, source, [("contact",), ("note",)])
    assert len(lines) == len(text.splitlines())
    assert lines[1] == "contact:" and lines[2] == "  " + REDACTED and lines[3] == ""
    assert lines[4] == "next: 乙" and lines[5] == "note: " + REDACTED and lines[6:8] == ["", ""]
    assert lines[8] == "last: 1" and not any("123" in line or "a@b.c" in line for line in lines)


def test_is_outside() -> None:
    assert is_outside("https://a.b/") and is_outside("//cdn.x/y.js") and is_outside("ftp://x")
    assert not is_outside("data:image/png;base64,AA") and not is_outside("../a.html") and not is_outside("#x")


def test_script_urls_skip_comments_and_namespaces() -> None:
    code = '/*! licence https://example.org */ var s="http://www.w3.org/2000/svg"; // see https://x.y\nfetch("https://cdn.z/a.js")'
    assert script_urls(code) == ["https://cdn.z/a.js"]


def test_audit_finds_every_kind_of_problem(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<style>@import "//fonts.example/f.css";</style>'
        '</head><body id="top"><img src="https://img.example/t.png"><a href="https://other.example/">out</a>'
        '<a href="https://ok.example/" rel="external noopener">fine</a><a href="missing.html">gone</a>'
        '<a href="#nowhere">bad anchor</a><a href="#top">ok</a><a href="javascript:alert(1)">js</a>'
        '<div style="background:url(https://bg.example/b.png)"></div></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "s.css").write_text(
        "/* https://licence.example */ a{background:url(https://css.example/i.png)}"
    )
    (tmp_path / "s.js").write_text('fetch("https://api.example/data")')
    found = {(p.kind, p.detail) for p in audit_site(tmp_path)}
    assert found == {
        ("outside-request", "https://cdn.example/x.css"),
        ("outside-request", "//fonts.example/f.css"),
        ("outside-request", "https://img.example/t.png"),
        ("outside-request", "https://bg.example/b.png"),
        ("outside-request", "https://css.example/i.png"),
        ("outside-request", "https://api.example/data"),
        ("outside-link", "https://other.example/"),
        ("broken-link", "missing.html"),
        ("broken-link", "#nowhere"),
        ("script-link", "javascript:alert(1)"),
    }


def test_links_to_the_site_root_and_to_folders_resolve_to_their_index(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "index.html").write_text('<a href="./">home</a><a href="docs/">docs</a>', encoding="utf-8")
    (tmp_path / "docs" / "index.html").write_text(
        '<a href="../">up</a><a href="/">root</a><a href="../gone/">gone</a>', encoding="utf-8"
    )
    assert [(p.file, p.kind, p.detail) for p in audit_site(tmp_path)] == [
        ("docs/index.html", "broken-link", "../gone/")
    ]


def test_a_column_chart_of_few_grades_keeps_the_size_of_four() -> None:
    """Two grades alone would be drawn as two giant columns with giant labels on a wide screen."""

    def width(n: int) -> float:
        bars = [charts.Bar(f"等级{i}", i + 1, str(i + 1)) for i in range(n)]
        svg = ET.fromstring(re.search(r"<svg.*</svg>", charts.columns(bars, title="t", caption="c"), re.S)[0])
        return float(svg.get("viewBox").split()[2])

    assert width(2) == width(4) < width(6)
