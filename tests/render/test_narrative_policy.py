"""The one narrative policy: what a narrative may become in a page and in a report, and what check says.

The report side is checked by reading the Markdown the policy writes back with the very pandoc the
reports use (its JSON syntax tree): whatever the input, only allowed node types come back, links
only to http, https, mailto or an anchor, and no node carries attributes.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.narrative import public_text
from generator.render.narrative import sanitise, to_html, to_pandoc
from generator.render.narrative.tree import Target
from generator.render.report.markdown import CJK_GAP, md_escape
from generator.render.report.pandoc import READER, find_pandoc

VECTORS = [
    '<div style="position:fixed;top:0">总分 12.3 分，等级：不合格</div>',
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '```{=openxml}\n<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r></w:p>\n```',
    '```{=html}\n<iframe src="https://evil.example/"></iframe>\n```',
    "```{=latex}\n\\input{/etc/passwd}\n```",
    "```{=typst}\n#set page(fill: red)\n```",
    "`<b>x</b>`{=html} `x`{=openxml} `\\newpage`{=latex}",
    '[总分 99 分]{style="position:fixed" custom-style="Cover Title"}',
    '::: {custom-style="Cover Mark"}\n正式稿\n:::',
    '# 标题 {#forged .unnumbered style="color:red"}',
    "[点我](javascript:alert(1)) [附件](data:text/html;base64,PHNjcmlwdD4=) <vbscript:msgbox(1)>",
    "[本地](file:///etc/passwd) [相对](//evil.example/x) [反斜杠](\\\\evil\\share)",
    "![跟踪](https://evil.example/t.png) ![内嵌](data:image/png;base64,iVBORw0KGgo=)",
    "$$\\input{/etc/passwd}$$ $x$ @cite [^note] ^[inline note]",
    "<!-- comment --> <?php echo 1; ?> <![CDATA[x]]>",
    "\\begin{document}\\end{document} \\includegraphics{/etc/hostname}",
    "% title block\n%% more",
    "---\ntitle: injected\n---",
    "| a | b |\n|---|---|\n| <b>x</b> | [y](javascript:1) |",
    "- item <span>x</span>\n  - nested `code`{=html}",
    "> quote <style>body{display:none}</style>",
    "A  \nhard break\\\nand \\",
    '<https://www.gov.cn/> [政府网](https://www.gov.cn/a_(b)?q=1&r=2 "标题") [邮件](mailto:a@b.cn)',
    "&#106;avascript:alert(1) [x](&#106;avascript:alert(1)) [y](java&#x09;script:alert(1))",
    "{=html} {#id} {.class} {key=value}",
]
ALLOWED_BLOCKS = {
    "Para",
    "Plain",
    "Header",
    "BulletList",
    "OrderedList",
    "BlockQuote",
    "CodeBlock",
    "Table",
    "HorizontalRule",
    "Figure",
}
ALLOWED_INLINES = {
    "Str",
    "Space",
    "SoftBreak",
    "LineBreak",
    "Emph",
    "Strong",
    "Strikeout",
    "Code",
    "Link",
    "Image",
}


def pandoc_tree(markdown: str) -> dict:
    """The report's pandoc reading of ``markdown``, as its JSON syntax tree."""
    out = find_pandoc().run(["-t", "json"], markdown, epoch=0)
    return json.loads(out)


def walk(node: object):
    """Every object with a ``t`` (a pandoc node) in a JSON syntax tree."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def assert_only_allowed(markdown: str) -> None:
    nodes = list(walk(pandoc_tree(markdown)["blocks"]))
    kinds = {n["t"] for n in nodes}
    structural = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight", "ColWidthDefault", "ColWidth"}
    structural |= {"Decimal", "DefaultDelim", "DefaultStyle", "Period", "OneParen", "TwoParens"}
    assert kinds <= ALLOWED_BLOCKS | ALLOWED_INLINES | structural, kinds - ALLOWED_BLOCKS - ALLOWED_INLINES
    for n in nodes:
        if n["t"] in ("Link", "Image"):
            attr, _, (target, _) = n["c"]
            assert attr[1] == [] and attr[2] in ([], [["width", attr[2][0][1]]]) if attr[2] else True
            assert (
                n["t"] == "Image"
                and target.startswith("data:image/")
                or re.match(r"(https?://|mailto:|#)", target)
            ), target
        if n["t"] in ("Code", "CodeBlock"):
            assert n["c"][0] == ["", [], []], n  # no language, class or raw format
        if n["t"] == "Header":
            assert n["c"][1][1:] == [[], []], n  # an automatic id only


def images(rel: str) -> str | None:
    return "data:image/png;base64,iVBORw0KGgo=" if rel.endswith(".png") else None


@pytest.mark.parametrize("vector", VECTORS)
def test_vectors_reach_pandoc_as_allowed_nodes_only(vector: str) -> None:
    assert_only_allowed(to_pandoc(sanitise(f"# 发现\n\n{vector}\n\n正文。"), top=3, image=images))


@pytest.mark.parametrize("vector", VECTORS)
def test_vectors_reach_the_site_as_allowed_elements_only(vector: str) -> None:
    html = to_html(sanitise(vector), lambda t: t.value if t.kind == "url" else None)
    for tag, attrs in _elements(html):
        assert tag in {
            "p",
            "h3",
            "h4",
            "ul",
            "ol",
            "li",
            "blockquote",
            "pre",
            "code",
            "em",
            "strong",
            "del",
        } | {
            "a",
            "img",
            "br",
            "hr",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        }
        assert set(attrs) <= {"href", "rel", "src", "alt", "start", "align"}, attrs
        assert "href" not in attrs or re.match(r"(https?://|mailto:|#)", attrs["href"] or ""), attrs


def test_what_the_vectors_say_stays_readable_as_text() -> None:
    """Escaped, not dropped: a reader of the report sees the markup for what it is."""
    markdown = to_pandoc(sanitise(VECTORS[0] + "\n\n" + VECTORS[3]), top=3, image=images)
    text = json.dumps(pandoc_tree(markdown), ensure_ascii=False)
    assert "position:fixed" in text and "INCLUDEPICTURE" not in text and "fldChar" in text


_PIECES = list("ab 中文。，*_`~[](){}<>#=:;|\\!@$%^&-+.\n\"'/?") + [
    "{=html}",
    "```",
    ":::",
    "- ",
    "1. ",
    "> ",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_any_text_reaches_pandoc_as_allowed_nodes_only(text: str) -> None:
    assert_only_allowed(to_pandoc(sanitise(text), top=3, image=images))


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 中文。*_`~[](){}<>#=:|\\!@$%^&-+.\"'/?")), max_size=40))
def test_escaped_values_read_back_as_the_same_plain_text(text: str) -> None:
    """A YAML value (a name, a note) printed by the report template is one paragraph of plain text."""
    blocks = pandoc_tree(md_escape(text) or "x")["blocks"]
    kinds = {n["t"] for n in walk(blocks)}
    assert kinds <= {"Para", "Str", "Space"}, kinds
    shown = "".join(n["c"] if n["t"] == "Str" else " " for n in walk(blocks) if n["t"] in ("Str", "Space"))
    assert shown == (CJK_GAP.sub("", " ".join(text.split())) or "x")  # YAML's folded gaps between Chinese


def test_reader_takes_no_raw_html_or_tex() -> None:
    """Even unescaped, raw HTML and TeX are not raw content for the report's pandoc (a second defence)."""
    kinds = {n["t"] for n in walk(pandoc_tree("<b>x</b> \\newpage <div>y</div>")["blocks"])}
    assert "RawInline" not in kinds and "RawBlock" not in kinds
    assert "raw_html" in READER and "raw_tex" in READER


def test_emphasis_next_to_chinese_punctuation() -> None:
    html = to_html(sanitise("1. **事项管理规范。**112 项，“**一件事**”套餐\n"), lambda t: None)
    assert "<strong>事项管理规范。</strong>112" in html and "“<strong>一件事</strong>”" in html


def test_soft_breaks_between_chinese_add_no_space() -> None:
    narrative = sanitise("第一行\n第二行 end\nnext")
    assert "第一行第二行 end\nnext" in to_html(narrative, lambda t: None)
    assert "第一行第二行 end next" in to_pandoc(narrative, top=3, image=images)


def test_headings_start_under_the_section_and_never_jump() -> None:
    narrative = sanitise("## 一\n\n#### 跳两级\n\n## 二\n\n### 三\n")
    assert re.findall(r"<h(\d)>", to_html(narrative, lambda t: None)) == ["3", "4", "3", "4"]
    levels = [len(m) for m in re.findall(r"^(#+) ", to_pandoc(narrative, top=2, image=images), re.M)]
    assert levels == [2, 3, 2, 3]


def test_code_keeps_backticks_and_markup_as_code() -> None:
    narrative = sanitise("`` a`b ``\n\n````\n```{=html}\n<b>\n```\n````\n")
    tree = pandoc_tree(to_pandoc(narrative, top=3, image=images))
    codes = [n["c"][1] for n in walk(tree["blocks"]) if n["t"] in ("Code", "CodeBlock")]
    assert codes == ["a`b", "```{=html}\n<b>\n```"]


def test_links_keep_their_text_when_dropped_and_outside_links_are_marked() -> None:
    narrative = sanitise("[点我](javascript:alert(1)) [政府网](https://www.gov.cn/)")
    html = to_html(narrative, lambda t: t.value if t.kind == "url" else None)
    assert html == '<p>点我 <a href="https://www.gov.cn/" rel="external noopener noreferrer">政府网</a></p>'
    assert [f.code for f in narrative.findings] == ["W764"]


def test_file_targets_in_a_report_name_the_file() -> None:
    from generator.render.narrative.policy import Narrative
    from generator.render.narrative.tree import Link, Paragraph, Text

    narrative = Narrative((Paragraph((Link(Target("file", "evidence/a.csv"), (Text("比对表"),)),)),))
    assert to_pandoc(narrative, top=3, image=images).strip() == "比对表（evidence\\/a\\.csv）"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("甲<b>乙</b>", [("W761", 1, 2)]),
        ("x\n\n  <div>\n  y</div>", [("W761", 3, 3)]),
        ("- 项\n  - [a](javascript:1) ![i](https://e/x.png)", [("W764", 2, 5), ("W765", 2, 23)]),
        ("| a | b |\n|---|---|\n| 1 | `c`{=html} |", [("W762", 3, 10)]),
        ("> 引\n> [s]{.x}", [("W763", 2, 6)]),
    ],
)
def test_findings_are_located_where_the_author_wrote_them(
    text: str, where: list[tuple[str, int, int]]
) -> None:
    found = []
    for f in sanitise(text).findings:
        line = text.count("\n", 0, f.offset) + 1
        found.append((f.code, line, f.offset - (text.rfind("\n", 0, f.offset) + 1) + 1))
    assert found == where


def test_findings_map_back_past_removed_internal_passages() -> None:
    text = "a<!-- 注释 -->b<i>\n<!-- internal -->\n秘密 <b>\n<!-- /internal -->\nc <s>x</s>\n"
    public = public_text(text)
    located = []
    for f in sanitise(public.text).findings:
        offset = public.origin(f.offset)
        located.append((text.count("\n", 0, offset) + 1, text[offset : offset + 3]))
    assert located == [(1, "<i>"), (5, "<s>")]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(html)
    return parser.found
