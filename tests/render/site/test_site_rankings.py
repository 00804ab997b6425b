"""Rankings as the site publishes them: the system's order inside each comparable group, unconfirmed
results listed without a place, and the same places on the ranking pages, the system page, the
badges and the open data.

The repository is the site fixture plus ``publishing.yaml`` (a city group and a county group) and
one more confirmed city evaluation, 丁市, that scores highest but has a veto.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from test_site import FIXTURE

from generator.analyze.sensitivity import _places
from generator.build.pages import write_pages
from generator.load.repository import Repository, load_repository
from generator.render.site import SiteItem
from generator.render.site.overview import grade_sections
from generator.score.aggregate import score_evaluation
from generator.score.ranking import RankOrder

Built = tuple[Path, dict, Repository]
"""The docs folder, the scorecards by evaluation id, the repository."""

PUBLISHING = {
    "rankings": {
        "unconfirmed": False,
        "groups": [{"name": "市级平台", "levels": ["市级"]}, {"name": "县级平台", "levels": ["县级"]}],
    }
}
VETOED_SCORES = {
    "indicators": {
        "A1": {"observation": "规范", "evaluators": ["zhang-san"]},
        "A2": {"observation": 100, "evaluators": ["li-si"]},
        "B1": {"observation": "达标", "evaluators": ["li-si"]},
        "B2": {"observation": {"overdue": 0}, "evaluators": ["li-si"]},
        "C1": {"observation": {"非常满意": 1000}, "evaluators": ["zhang-san"]},
        "C2": {"observation": {"pilot": 2}, "evaluators": ["wang-wu"]},
        "C3": {"observation": True, "evaluators": ["zhang-san"], "comment": "发生数据泄露事件。"},
    }
}


def _repository(root: Path) -> Path:
    shutil.copytree(FIXTURE, root)
    (root / "publishing.yaml").write_text(yaml.safe_dump(PUBLISHING, allow_unicode=True), encoding="utf-8")
    folder = root / "evaluations" / "2024-delta"
    shutil.copytree(root / "evaluations" / "2024-alpha", folder)
    record = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    record = record.replace("id: 2024-alpha", "id: 2024-delta").replace("甲市数据资源局", "丁市数据资源局")
    record = record.replace("2024年度甲市", "2024年度丁市").replace("第 7 号", "第 70 号")
    (folder / "evaluation.yaml").write_text(record, encoding="utf-8")
    (folder / "scores.yaml").write_text(yaml.safe_dump(VETOED_SCORES, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _repository(tmp_path_factory.mktemp("ranked") / "repo")
    repo, problems = load_repository(root)
    assert not [p for p in problems if p.severity.value == "error"], problems
    items = []
    for loaded in repo.evaluations:
        system = repo.system_for(loaded.evaluation)
        items.append(SiteItem(loaded, system, score_evaluation(loaded, system)))
    docs = root / "docs"
    write_pages(root, items, list(repo.systems.values()), docs, reports=False, settings=repo.settings)
    cards = {item.loaded.evaluation.id: item.card for item in items}
    return docs, cards, repo


def _ranking_page(docs: Path, year: int, group: str) -> str:
    pages = [
        p for p in (docs / "rankings").glob(f"mini-{year}-g*.md") if f"（{group}）" in p.read_text("utf-8")
    ]
    assert len(pages) == 1, (year, group, pages)
    return pages[0].read_text(encoding="utf-8")


def _table_rows(text: str) -> list[list[str]]:
    """The cells of each Markdown table row that links to an evaluation page."""
    rows = [line for line in text.splitlines() if line.startswith("|") and "evaluations/20" in line]
    return [[c.strip() for c in row.strip("|").split(" | ")] for row in rows]


def _evaluation_id(cells: list[str]) -> str:
    return re.search(r"evaluations/(20\d\d-[a-z]+)\.md", " | ".join(cells)).group(1)


def _page_places(docs: Path) -> dict[str, tuple[str, int | None]]:
    """Evaluation id → (group, place) as the ranking pages print them; no place below 未参与排名的评价."""
    found: dict[str, tuple[str, int | None]] = {}
    for page in (docs / "rankings").glob("mini-*.md"):
        text = page.read_text(encoding="utf-8")
        group = re.search(r"^# .*（(.+?)）$", text, re.M).group(1)
        ranked, _, unranked = text.partition("## 未参与排名的评价")
        for cells in _table_rows(ranked):
            found[_evaluation_id(cells)] = (group, int(re.match(r"\d+", cells[0]).group()))
        for cells in _table_rows(unranked):
            found[_evaluation_id(cells)] = (group, None)
    return found


def test_a_vetoed_result_ranks_last_in_its_group_whatever_its_total(
    built: Built,
) -> None:
    docs, cards, _ = built
    assert cards["2024-delta"].vetoes and cards["2024-delta"].total > cards["2024-alpha"].total
    ranked, _, unranked = _ranking_page(docs, 2024, "市级平台").partition("## 未参与排名的评价")
    rows = _table_rows(ranked)
    assert [(_evaluation_id(r), r[0]) for r in rows] == [("2024-alpha", "1"), ("2024-delta", "2")]
    assert rows[1][3] == "不合格（一票否决）"
    assert ">2 否决 丁市" in ranked  # the chart's label; the table beside the grade (above)
    assert [_evaluation_id(r) for r in _table_rows(unranked)] == ["2024-gamma"], "未提交: listed, no place"
    county = _ranking_page(docs, 2024, "县级平台")
    assert "本组没有结果已经确认的评价，暂不排名。" in county
    assert [_evaluation_id(r) for r in _table_rows(county.partition("## 未参与排名的评价")[2])] == [
        "2024-beta"
    ]


def test_peer_average_is_the_mean_of_the_ranked_results_only(built: Built) -> None:
    docs, cards, _ = built
    page = _ranking_page(docs, 2024, "市级平台")
    mean = (cards["2024-alpha"].total + cards["2024-delta"].total) / 2
    assert f"| | **同组平均** | **{mean:.2f}** |" in page, (
        "one decimal more than the totals, not rounded first"
    )


def test_open_data_gives_the_places_the_ranking_pages_show(built: Built) -> None:
    docs, _, _ = built
    shown = _page_places(docs)
    assert shown == {
        "2023-alpha": ("市级平台", 1),
        "2024-alpha": ("市级平台", 1),
        "2024-delta": ("市级平台", 2),
        "2024-gamma": ("市级平台", None),
        "2024-beta": ("县级平台", None),
    }
    table = csv.DictReader(io.StringIO((docs / "data" / "evaluations.csv").read_text("utf-8-sig")))
    in_csv = {row["评价编号"]: (row["排名分组"], int(row["名次"]) if row["名次"] else None) for row in table}
    assert in_csv == shown
    records = json.loads((docs / "data" / "all-scores.json").read_text(encoding="utf-8"))
    in_json = {
        r["evaluation"]["评价编号"]: (r["evaluation"]["排名分组"], r["evaluation"]["名次"] or None)
        for r in records
    }
    assert in_json == shown


def test_the_analysis_speaks_of_the_published_places(built: Built) -> None:
    docs, cards, repo = built
    (system,) = repo.systems.values()
    evaluations = {e.evaluation.id: e.evaluation for e in repo.evaluations}
    found = _places(list(cards.values()), evaluations, RankOrder.of(system.system), repo.settings.rankings)
    assert found == {k: place for k, (_, place) in _page_places(docs).items()}
    page = (docs / "systems" / "mini-2024" / "analysis.md").read_text(encoding="utf-8")
    assert "名次指各评价在其所在排名（同一年度、同一分组" in page and "None" not in page


def test_the_system_page_lists_results_in_the_ranking_order(built: Built) -> None:
    docs, _, _ = built
    page = (docs / "systems" / "mini-2024" / "index.md").read_text(encoding="utf-8")
    listed = [_evaluation_id(cells) for cells in _table_rows(page.partition("## 使用本版本的评价")[2])]
    assert listed.index("2024-alpha") < listed.index("2024-delta"), listed
    delta = next(cells for cells in _table_rows(page) if _evaluation_id(cells) == "2024-delta")
    assert "不合格（一票否决）" in delta


def test_the_badge_and_the_home_page_say_the_veto(built: Built) -> None:
    docs, _, _ = built
    badges = [p.read_text(encoding="utf-8") for p in (docs / "badges").glob("*.svg")]
    (delta,) = [b for b in badges if "丁市数据资源局" in b]
    assert "不合格（一票否决）" in delta and "（按政务服务质量评价指标体系（测试用））" in delta
    home = (docs / "index.md").read_text(encoding="utf-8")
    (row,) = [cells for cells in _table_rows(home) if "2024-delta" in cells[0]]
    assert row[2] == "不合格（一票否决）"


def _system(system_id: str, name: str, grades: list[str]) -> SimpleNamespace:
    bands = [SimpleNamespace(name=g) for g in grades]
    return SimpleNamespace(id=system_id, name=name, grades=bands, effective=dt.date(2024, 1, 1), edition="1")


def test_grades_are_counted_per_system_never_across_systems() -> None:
    points = _system("points", "百分制体系", ["优秀", "合格", "不合格"])
    checks = _system("checks", "检查体系", ["合格", "不合格"])
    share = _system("share", "指数体系", [])
    views = [
        SimpleNamespace(system=s, card=SimpleNamespace(grade=g))
        for s, g in [(points, "合格"), (points, "优秀"), (checks, "合格"), (checks, "合格"), (share, "")]
    ]
    found = [(name, counts) for name, counts, _ in grade_sections(views, [points, checks, share])]
    assert found == [
        ("百分制体系", [("优秀", 1), ("合格", 1), ("不合格", 0)]),
        ("检查体系", [("合格", 2), ("不合格", 0)]),
    ], "合格 of one method is not added to 合格 of another; a system without grades has no section"
