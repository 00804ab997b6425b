"""A recorded draw of samples reads the same on the evaluation's page and in its report: one view
(``render.views.process.SampleView``), one wording of the method and the strata."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildlib import make_repository
from testpaths import ROOT

from generator.build.pages import write_pages
from generator.load.templates import load_templates
from generator.pipeline import check, score_all
from generator.render.report.fingerprint import UNCOMMITTED, Fingerprint
from generator.render.report.markdown import render_markdown
from generator.render.report.style import load_template
from generator.render.site import SiteItem
from generator.render.views.report import Integrity, build_view, placeholder_charts

TEMPLATES = ROOT / "templates"
EID = "2024-hefei-platform"
METHOD = "分层随机抽样（按“类别”分层，按比例分配）"
STRATA = "个人类 16、企业类 10、投资建设类 4"


def _cells(markdown: str, first: str) -> list[str]:
    (row,) = [line for line in markdown.splitlines() if line.startswith(f"| {first} |")]
    return [c.strip() for c in row.strip("|").split("|")]


@pytest.mark.slow
def test_site_and_report_word_a_stratified_draw_alike(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", ["2023-hefei-platform", EID])
    checked = check(root)
    cards = score_all(checked)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    write_pages(root, items, list(checked.repo.systems.values()), tmp_path / "docs", reports=False)
    page = (tmp_path / "docs" / "evaluations" / f"{EID}.md").read_text(encoding="utf-8")

    item = next(i for i in items if i.loaded.evaluation.id == EID)
    body = load_template(load_templates(TEMPLATES.parent, [TEMPLATES]), "default")
    view = build_view(
        item.loaded,
        item.system,
        item.card,
        template=body,
        public=True,
        charts=placeholder_charts(item.card.result),
        integrity=Integrity(Fingerprint(item.loaded.rel, "-", "0" * 64, UNCOMMITTED, "-", "t"), "—"),
        logo=None,
    )
    report = render_markdown(body, view, target="html")

    site_row, report_row = _cells(page, "S1"), _cells(report, "S1")
    assert METHOD in site_row and METHOD in report_row
    assert STRATA in site_row and STRATA in report_row
