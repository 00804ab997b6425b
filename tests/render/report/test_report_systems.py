"""Reports of systems unlike the sample: no grade bands, a veto found, bonus items, weight-0 groups.

Made from tests/fixtures/modes (a system that is not the sample, two evaluation modes, a bonus item
J2 of weight 0, a comparison and an accepted objection), changed in a copy: a veto item J3 whose
condition the third-party review finds, and, in one variant, no grade bands at all. The report's
Markdown is rendered for both shipped templates as the build renders it (the view, the body's
template); one variant is rendered to PDF, and its summary page is read back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from testpaths import ROOT

from generator.load.templates import load_templates
from generator.pipeline import check, score_all
from generator.render.report import render_report
from generator.render.report.fingerprint import UNCOMMITTED, Fingerprint
from generator.render.report.items import item_texts, missing
from generator.render.report.markdown import render_markdown
from generator.render.report.style import load_template
from generator.render.site import SiteItem, comparisons, plan_site
from generator.render.views.report import Integrity, ReportView, build_view, placeholder_charts

MODES = ROOT / "tests" / "fixtures" / "modes"
VETO = """      - id: J3
        name: 虚假整改
        weight: 0
        method: 文件评审
        source: 评估办法第六条
        rule:
          kind: veto
          condition: 查实以虚假材料报告整改完成
"""
FOUND = "抽查 3 件差评的整改报告，其中 2 件所附回访记录系补记。"


def variant(dest: Path, *, grades: bool) -> Path:
    """The modes fixture with a veto item the review finds; without grade bands unless ``grades``."""
    root = dest / "repo"
    shutil.copytree(MODES, root)
    system = root / "indicators" / "wangban" / "system.yaml"
    text = system.read_text(encoding="utf-8")
    if not grades:
        text = re.sub(r"(?m)^grades:\n(?:  .*\n)+", "ranking: [total]\n", text)
    system.write_text(text, encoding="utf-8")
    parts = root / "indicators" / "wangban" / "indicators.yaml"
    parts.write_text(parts.read_text(encoding="utf-8") + VETO, encoding="utf-8")
    for path in root.glob("evaluations/*/scores/*.yaml"):
        text = path.read_text(encoding="utf-8")
        found = path.parts[-3] == "2025-jia" and "mode: review" in text
        who = re.search(r"evaluators: \[([^\],]+)", text).group(1)
        entry = f"  J3:\n    observation: {str(found).lower()}\n    evaluators: [{who}]\n"
        path.write_text(text + entry + (f"    comment: {FOUND}\n" if found else ""), encoding="utf-8")
    return root


def views(root: Path, template: str) -> dict[str, tuple[ReportView, str]]:
    """Each evaluation's report view and Markdown (the PDF's) with ``template``."""
    checked = check(root)
    assert checked.ok(), [str(d) for d in checked.diagnostics if d.severity.value == "error"]
    cards = score_all(checked)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    compared = comparisons(plan_site(root, items, list(checked.repo.systems.values())))
    body = load_template(load_templates(root), template)
    found = {}
    for item in items:
        eid = item.loaded.evaluation.id
        fingerprint = Fingerprint(eid, "indicators/wangban", "0" * 64, UNCOMMITTED, "2025.1", "test")
        view = build_view(
            item.loaded,
            item.system,
            item.card,
            template=body,
            public=True,
            charts=placeholder_charts(item.card.result),
            integrity=Integrity(fingerprint, "—"),
            logo=None,
            comparison=compared.get(eid),
        )
        found[eid] = (view, render_markdown(body, view, target="html"))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variant(tmp_path_factory.mktemp("graded"), grades=True)


@pytest.fixture(scope="module")
def ungraded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variant(tmp_path_factory.mktemp("ungraded"), grades=False)


def plain(markdown: str) -> str:
    return re.sub(r"\s+|\*\*", "", re.sub(r"\\(.)", r"\1", markdown))


EMPTY = re.compile(r"“”|（）|\(\)|等级为[。，；]|等级[“\s]*[”。，]|评价等级为?“?”?[。，]")
"""What an empty grade leaves behind: 等级“”, （）, 评价等级为。"""


@pytest.mark.parametrize("template", ["default", "anhui-zhixin"])
def test_a_system_without_grades_prints_no_empty_grade(ungraded: Path, template: str) -> None:
    for eid, (view, markdown) in views(ungraded, template).items():
        assert view.ev.card.grade == "", eid
        text = plain(markdown)
        assert not EMPTY.search(text), (eid, EMPTY.search(text))
        assert "等级" not in plain(
            item_texts(markdown)["summary"] if "summary" in item_texts(markdown) else ""
        )
        assert not missing(markdown, view), eid
    view, markdown = views(ungraded, template)["2025-jia"]
    assert view.comparison is not None and view.objection_changes is not None, "both sentences are shown"
    assert "评价结果为一票否决" in plain(item_texts(markdown)["result"])


def summary_of(markdown: str) -> str:
    start = markdown.index("{.summary ")
    return plain(markdown[start : markdown.index("\n:::\n", start)])


@pytest.mark.parametrize("template", ["default", "anhui-zhixin"])
def test_a_found_veto_leads_the_summary_the_result_and_the_suggestions(graded: Path, template: str) -> None:
    view, markdown = views(graded, template)["2025-jia"]
    assert view.ev.card.vetoes == ("J3",) and view.ev.card.grade == "D级"
    summary = summary_of(markdown)
    assert "触发一票否决：J3虚假整改" in summary
    start = summary.index("1.J3虚假整改（触发一票否决）：")
    first = summary[start : summary.index("2.", start)]
    assert f"第三方评估：{plain(FOUND)[:16]}" in first
    assert summary.count("（得分率") == len(view.findings) - 1 == 4, (
        "five findings at most, the veto among them"
    )
    items = {k: plain(v) for k, v in item_texts(markdown).items()}
    assert "因触发一票否决指标（J3虚假整改），等级定为“D级”，按分数应为“" in items["result"]
    suggestions = items["suggestions"]
    assert suggestions.index("J3虚假整改") < suggestions.index("得分率低于80%"), "the veto comes first"
    # the veto item's row says what it decided, not points of a weight of 0
    assert "|J3|虚假整改|否决|未否决|否决|否决|—|" in items["scores"]
    assert "|J3|虚假整改|否决|存在|否决|—|" in items["scores"]
    assert "自查：观测结果为“不存在”" not in first, (
        "a veto's finding is the finding of the modes that found it"
    )


@pytest.mark.parametrize("template", ["default", "anhui-zhixin"])
def test_bonus_items_show_their_points_and_groups_without_points_stay_out_of_the_figures(
    graded: Path, template: str
) -> None:
    view, markdown = views(graded, template)["2025-jia"]
    card = view.ev.card
    items = {k: plain(v) for k, v in item_texts(markdown).items()}
    assert card.result.bonus > 0
    # J2 is a bonus item of weight 0: each mode's bonus and the combined one, never 0.00 and a share
    self_bonus, review_bonus = (dict(card.mode_indicators)[m.id] for m in card.modes)
    j2 = [next(i for i in scores if i.id == "J2").bonus for scores in (self_bonus, review_bonus)]
    combined = sum(m.weight * b for m, b in zip(card.modes, j2, strict=True))
    assert f"|J2|创新做法|加分|加{j2[0]:.2f}|加{j2[1]:.2f}|加{combined:.2f}|—|" in items["scores"]
    assert "|J2|创新做法|0|" not in items["scores"]
    summary = summary_of(markdown)
    assert f"含加分{card.result.bonus:.2f}分" in summary


def test_a_group_of_weight_0_stays_out_of_the_summary_and_the_dimension_table(tmp_path: Path) -> None:
    root = variant(tmp_path, grades=True)
    parts = root / "indicators" / "wangban" / "indicators.yaml"
    text = parts.read_text(encoding="utf-8").replace(VETO, "")
    group = "  - id: V\n    name: 否决事项\n    source: 评估办法第六条\n    children:\n" + VETO
    parts.write_text(text + group, encoding="utf-8")
    view, markdown = views(root, "default")["2025-jia"]
    assert [d.id for d in view.ev.result.dimensions][-1] == "V"
    assert "否决事项" not in summary_of(markdown)
    start = re.search(r"Table: 表 \d+　各维度综合得分", markdown).start()
    table = plain(markdown[start : markdown.index("\n\n", markdown.index("|", start))])
    assert "|合计|" in table
    assert "否决事项" not in table
    assert "|V|否决事项|—|" in plain(markdown), "its content row has no points"


def test_body_records_are_punctuated_once(graded: Path) -> None:
    _, markdown = views(graded, "default")["2025-jia"]
    text = plain(markdown)
    assert "县级网上办事能力评估。" in text and "审定报告；" in text
    assert not re.search(r"[。；]{2}", text)


@pytest.mark.slow
def test_the_pdf_of_a_system_without_grades_has_no_empty_grade(ungraded: Path, tmp_path: Path) -> None:
    checked = check(ungraded)
    card = score_all(checked)["2025-jia"]
    loaded = next(e for e in checked.repo.evaluations if e.evaluation.id == "2025-jia")
    files = render_report(
        loaded, checked.repo.system_for(loaded.evaluation), card, tmp_path, repo_root=ungraded, commit=None
    )
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(files.pdf).pages]
    summary = next(p for p in pages if "摘" in p[:10] and "评价总分" in p)
    assert "等级" not in summary and "触发一票否决：J3虚假整改" in summary
    assert not EMPTY.search("".join(pages))
