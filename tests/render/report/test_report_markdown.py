"""Report Markdown building blocks: escaping, narrative headings, caption numbers, template lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup, escape
from testpaths import ROOT

from generator.load.templates import load_templates
from generator.render.report.markdown import Captions, clause, md_escape, narrative_filter, weight
from generator.render.report.pandoc import PINNED, find_pandoc
from generator.render.report.style import TemplateNotFound, load_template

TEMPLATES = ROOT / "templates"


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("A|B", "A|B"),
        ("# 不是标题", "# 不是标题"),
        ("*不是强调*", "*不是强调*"),
        ("1. 不是列表", "1. 不是列表"),
        ("[链接](file:///etc/passwd)", "[链接](file:///etc/passwd)"),
        ("<b>标签</b>", "<b>标签</b>"),
        ("GB/T 19001-2016", "GB/T 19001-2016"),
    ],
)
def test_escaped_text_reads_back_literally(text: str, literal: str) -> None:
    html = find_pandoc().run(["-t", "html", "--wrap=none"], md_escape(text), epoch=0).decode().strip()
    assert html == f"<p>{escape(literal)}</p>"


def test_escape_folds_line_breaks_and_yaml_gaps_between_chinese() -> None:
    assert md_escape("一体化政务服务平台、\n统一受理系统") == "一体化政务服务平台、统一受理系统"
    assert md_escape("约 612 万件") == "约 612 万件"
    assert md_escape(Markup("**已是 Markdown**")) == "**已是 Markdown**"
    assert md_escape(None) == ""


def test_narrative_headings_move_below_the_section_without_jumps() -> None:
    text = "# 发现\n\n正文\n\n```\n# 代码里的井号\n```\n\n### 跳过一级的小节\n"
    out = str(narrative_filter(None)(text))
    assert "### 发现" in out and "#### 跳过一级的小节" in out and "\n# 代码里的井号\n" in out


def test_captions_count_in_order() -> None:
    captions = Captions()
    assert str(captions.table("甲")) == "表 1　甲"
    assert str(captions.figure("乙")) == "图 1　乙"
    assert str(captions.table("丙|丁")) == "表 2　丙\\|丁"


@pytest.mark.parametrize(("name", "chosen"), [("anhui-zhixin", "anhui-zhixin"), (None, "default")])
def test_template_lookup_takes_what_the_body_lacks_from_default(name: str | None, chosen: str) -> None:
    template = load_template(load_templates(TEMPLATES.parent, [TEMPLATES]), name)
    assert template.name == chosen
    assert template.find("report.css") is not None and template.find("report.md.j2") is not None
    assert template.spec.wording.sections.keys() >= {"parties", "suggestions"}


@pytest.mark.parametrize("name", ["no-such-body", "../etc", "default/../anhui-zhixin", "", "a b"])
def test_unknown_or_unsafe_template_names_are_refused(name: str) -> None:
    with pytest.raises(TemplateNotFound):
        load_template(load_templates(TEMPLATES.parent, [TEMPLATES]), name)


def test_body_style_is_merged_over_default() -> None:
    zhixin = load_template(load_templates(TEMPLATES.parent, [TEMPLATES]), "anhui-zhixin").spec
    default = load_template(load_templates(TEMPLATES.parent, [TEMPLATES]), "default").spec
    assert zhixin.fonts["body"].east_asia == "宋体" and default.fonts["body"].east_asia == "仿宋"
    assert zhixin.styles["Heading4"] == default.styles["Heading4"]  # not restated, inherited
    assert zhixin.page == default.page


def test_pandoc_is_the_pinned_version() -> None:
    assert find_pandoc().version == PINNED


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1 / 86, "0.0116"), (8 / 86, "0.093"), (15, "15"), (0.3, "0.3"), (0.0125, "0.0125"), (0, "0")],
)
def test_weights_show_at_most_four_decimals(value: float, shown: str) -> None:
    assert weight(value) == shown


def test_a_clause_loses_its_closing_punctuation_and_stays_escaped() -> None:
    assert clause("县级网上办事能力评估。") == "县级网上办事能力评估"
    assert clause("组织实施*评估*；") == "组织实施\\*评估\\*"


def test_a_repository_without_templates_of_its_own_gets_the_default(tmp_path: Path) -> None:
    assert (
        load_template(load_templates(tmp_path, [tmp_path / "templates", TEMPLATES]), None).name == "default"
    )
