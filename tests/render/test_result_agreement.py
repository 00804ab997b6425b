"""One result, one source: a multi-mode evaluation shows the same figures in every output.

tests/fixtures/modes is a repository on a system that is not the sample (自查 25 % and 第三方评估
75 %, four other dimensions, a 50-point scale). For 2025-jia the combined dimension points are read
back from each output (evaluation page, ranking page, party page, the open-data CSV and JSON, the
report and the pull-request comment) and compared with ``Scorecard.result`` and with each other;
each mode's own figures must appear only under the mode's name.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from buildlib import commit_all, git
from docx import Document
from testpaths import FIXTURES

from generator.build.pages import write_pages
from generator.pipeline import check, score_all
from generator.render.report import render_report
from generator.render.site import SiteItem, comparisons, plan_site
from generator.review import diff_revisions
from generator.review.markdown import render_markdown
from generator.score.card import Scorecard
from generator.score.ranking import delta
from generator.score.rounding import fmt

FIXTURE = FIXTURES / "modes"
EID = "2025-jia"
DIMENSIONS = {"Q": "渠道建设", "T": "办事体验", "S": "数据共享", "J": "监督评价"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("modes") / "repo"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="module")
def cards(repo: Path) -> dict[str, Scorecard]:
    checked = check(repo)
    assert checked.ok(), checked.diagnostics
    return score_all(checked)


@pytest.fixture(scope="module")
def docs(repo: Path, cards: dict[str, Scorecard], tmp_path_factory: pytest.TempPathFactory) -> Path:
    checked = check(repo)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    out = tmp_path_factory.mktemp("docs")
    write_pages(repo, items, list(checked.repo.systems.values()), out, reports=False)
    return out


def expected(card: Scorecard) -> dict[str, float]:
    return {d.id: d.points for d in card.result.dimensions}


def table_rows(markdown: str, first_header: str, nth: int = 0) -> list[dict[str, str]]:
    """Rows of the ``nth`` Markdown table whose header starts with ``first_header``, by header."""
    lines = markdown.splitlines()
    start = [i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |")][nth]
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=False)))
    return rows


def test_the_result_combines_the_modes(cards: dict[str, Scorecard]) -> None:
    card = cards[EID]
    modes = {m.id: m for m in card.modes}
    assert card.result.combined and [m.name for m in card.modes] == ["自查", "第三方评估"]
    for d in card.result.dimensions:
        own = {f.mode: f.points for f in d.by_mode}
        assert d.points == pytest.approx(0.25 * own["self"] + 0.75 * own["review"], abs=0.005)
        first_mode = next(i for i in card.indicators if i.id == d.id)
        assert first_mode.points == own["self"]
    assert expected(card) == {"Q": 9.3, "T": 10.94, "S": 7.0, "J": 2.5}
    assert card.total == pytest.approx(0.25 * modes["self"].total + 0.75 * modes["review"].total, abs=0.005)
    assert card.result.bonus == pytest.approx(0.25 * modes["self"].bonus + 0.75 * modes["review"].bonus)


def test_evaluation_page_shows_the_result_and_each_mode_labelled(
    docs: Path, cards: dict[str, Scorecard]
) -> None:
    card = cards[EID]
    page = (docs / f"evaluations/{EID}.md").read_text(encoding="utf-8")
    (changed,) = table_rows(page, "异议", 1)  # the table of scores changed by accepted objections
    assert changed["指标"] == "第三方评估：T2 一次办成率" and changed["调整后得分"] == "5.00"
    rows = table_rows(page, "维度")
    shown = {r["维度"].split()[0]: float(r["综合得分"]) for r in rows if r["维度"].split()[0] in DIMENSIONS}
    assert shown == expected(card)
    for r in rows:
        dim = r["维度"].split()[0]
        if dim in DIMENSIONS:
            figures = {f.name: f.points for f in card.result.get(dim).by_mode}
            assert {name: float(r[name]) for name in ("自查", "第三方评估")} == figures


def test_ranking_and_party_pages_show_the_result(docs: Path, cards: dict[str, Scorecard]) -> None:
    card = cards[EID]
    for page, link in ((f"rankings/wangban-{2025}.md", EID), ("parties/", EID)):
        path = (
            docs / page
            if page.endswith(".md")
            else next(p for p in (docs / page).glob("p-*.md") if EID in p.read_text(encoding="utf-8"))
        )
        rows = table_rows(path.read_text(encoding="utf-8"), "名次" if "rankings" in page else "评价")
        row = next(r for r in rows if f"{link}.md" in "".join(r.values()))
        assert {k: float(row[name]) for k, name in DIMENSIONS.items()} == expected(card), page
        assert fmt(card.total, 2) in row["总分"]


def test_open_data_holds_the_result(docs: Path, cards: dict[str, Scorecard]) -> None:
    card = cards[EID]
    summary = csv.DictReader(io.StringIO((docs / "data/evaluations.csv").read_text(encoding="utf-8-sig")))
    row = next(r for r in summary if r["评价编号"] == EID)
    pairs = dict(p.split("=") for p in row["维度得分"].split("；"))
    assert {k.split()[0]: float(v) for k, v in pairs.items()} == expected(card)
    assert "self 自查×0.25=" in row["评价方式得分"] and "review 第三方评估×0.75=" in row["评价方式得分"]
    scores = csv.DictReader(io.StringIO((docs / "data/all-scores.csv").read_text(encoding="utf-8-sig")))
    combined = {
        r["指标编号"]: float(r["得分"])
        for r in scores
        if r["评价编号"] == EID and r["评价方式"] == "combined"
    }
    assert {k: combined[k] for k in DIMENSIONS} == expected(card)
    data = json.loads((docs / "data/all-scores.json").read_text(encoding="utf-8"))
    result = next(x["scorecard"]["result"] for x in data if x["evaluation"]["评价编号"] == EID)
    assert {d["id"]: d["points"] for d in result["indicators"] if d["depth"] == 1} == expected(card)
    assert result["combined"] is True


@pytest.mark.slow
def test_report_shows_the_result_and_the_site_s_comparison(
    repo: Path, cards: dict[str, Scorecard], tmp_path_factory: pytest.TempPathFactory
) -> None:
    checked = check(repo)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    plan = plan_site(repo, items, list(checked.repo.systems.values()))
    item = next(i for i in items if i.loaded.evaluation.id == EID)
    out = tmp_path_factory.mktemp("report")
    files = render_report(
        item.loaded,
        item.system,
        item.card,
        out,
        repo_root=repo,
        commit=None,
        comparison=comparisons(plan)[EID],
    )
    doc = Document(str(files.docx))
    table = next(
        t
        for t in doc.tables
        if [c.text for c in t.rows[0].cells][:1] == ["维度"]
        and "综合得分" in [c.text for c in t.rows[0].cells]
    )
    header = [c.text for c in table.rows[0].cells]
    shown = {
        r.cells[0].text.split()[0]: float(r.cells[header.index("综合得分")].text) for r in table.rows[1:]
    }
    assert {k: shown[k] for k in DIMENSIONS} == expected(cards[EID])
    text = "".join(p.text for p in doc.paragraphs)
    site = plan.moved[EID]
    assert f"上升 {fmt(site.total, 2)} 分" in text, "the report's change since last time is the site's"


def test_change_since_last_time_uses_the_result(cards: dict[str, Scorecard]) -> None:
    change = delta(cards[EID], cards["2024-jia"])
    before, after = expected(cards["2024-jia"]), expected(cards[EID])
    assert {d: c for d, _, c in change.dimensions} == {k: round(after[k] - before[k], 2) for k in after}
    assert change.total == round(cards[EID].total - cards["2024-jia"].total, 2)


def test_pull_request_comment_shows_the_result_then_each_mode(
    repo: Path, cards: dict[str, Scorecard]
) -> None:
    scores = repo / "evaluations" / EID / "scores" / "review.yaml"
    text = scores.read_text(encoding="utf-8")
    scores.write_text(text.replace("observation: 不达标", "observation: 达标"), encoding="utf-8")
    commit_all(repo)
    scores.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "J1 not met", when="2020-01-03T00:00:00+00:00")
    comment = render_markdown(diff_revisions(repo, "HEAD~1", "HEAD"))
    rows = table_rows(comment, "维度")
    combined = {r["维度"].split()[1]: float(r["修改后"]) for r in rows if r["维度"].startswith("综合 ")}
    assert combined == expected(cards[EID])
    for mode in cards[EID].modes:
        mine = dict(cards[EID].mode_indicators)[mode.id]
        labelled = {
            r["维度"].split()[1]: float(r["修改后"]) for r in rows if r["维度"].startswith(mode.name + " ")
        }
        assert labelled == {i.id: i.points for i in mine if i.depth == 1}
    assert all(re.match(r"(综合|自查|第三方评估) ", r["维度"]) for r in rows)
