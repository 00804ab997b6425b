"""The static site: golden pages of a fixture repository, escaping, and the built site's audit.

The fixture (tests/fixtures/site) is a small repository: one system, four evaluations of three
parties over two years, a tie, a not-applicable indicator, a veto, and hostile text in YAML
and Markdown. Regenerate the golden pages with ``UPDATE_GOLDEN=1 pytest tests/render/site/test_site.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from buildlib import EPOCH
from testpaths import ROOT

from generator.build.manifest import published_files, write_manifest
from generator.build.pages import write_pages
from generator.build.runner import render_site
from generator.load.repository import load_repository
from generator.render.site import SiteItem
from generator.render.site.audit import audit_site
from generator.score.aggregate import score_evaluation

FIXTURE = ROOT / "tests" / "fixtures" / "site"
GOLDEN = ROOT / "tests" / "golden" / "site"
CONFIG = ROOT / "mkdocs.yml"
CONTACTS = ("0551-0000 0001", "alpha@example.cn", "138 0000 0001", "beta@example.cn")
"""Contact details written in the fixture: internal, never published."""


def scored_items(root: Path = FIXTURE) -> tuple[list[SiteItem], list]:
    """Load and score a repository without validating it: the renderer's own input, nothing else."""
    repo, problems = load_repository(root)
    assert not [p for p in problems if p.severity.value == "error"], problems
    items = []
    for loaded in repo.evaluations:
        system = repo.system_for(loaded.evaluation)
        items.append(SiteItem(loaded, system, score_evaluation(loaded, system)))
    return items, list(repo.systems.values())


def build_fixture_site(out: Path) -> Path:
    """Pages and mkdocs for the fixture into ``out/docs`` and ``out/site``; returns the site."""
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, out / "docs", reports=False)
    render_site(CONFIG, out / "docs", out / "site", epoch=EPOCH)
    write_manifest(out / "site", published_files(out / "site"))  # as the build does after mkdocs
    return out / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("site"))


# --- golden pages -----------------------------------------------------------------------------


def _golden_files(folder: Path) -> dict[str, str]:
    keep = {".md", ".csv"}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.suffix in keep
    }


def test_generated_pages_match_golden(tmp_path: Path) -> None:
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, tmp_path, reports=True)
    produced = _golden_files(tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in produced.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = _golden_files(GOLDEN)
    assert sorted(produced) == sorted(expected), (
        "pages added or removed; rerun with UPDATE_GOLDEN=1 and review"
    )
    for rel, text in expected.items():
        assert produced[rel] == text, f"{rel} differs from tests/golden/site/{rel}"


def test_second_run_rewrites_nothing_and_prunes_stale_files(tmp_path: Path) -> None:
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, tmp_path, reports=False)
    stale = tmp_path / "evaluations" / "deleted.md"
    stale.write_text("# gone\n", encoding="utf-8")
    page = tmp_path / "index.md"
    before = page.stat().st_mtime_ns
    content = write_pages(FIXTURE, items, systems, tmp_path, reports=False)
    assert page.stat().st_mtime_ns == before
    assert stale in content.removed and not stale.exists()


# --- the built site -----------------------------------------------------------------------------


def test_every_page_kind_is_built(site: Path) -> None:
    expected = [
        "index.html",
        "evaluations/index.html",
        "methods.html",
        "data/index.html",
        "rankings/index.html",
        "rankings/mini-2024.html",
        "parties/index.html",
        "systems/index.html",
        "systems/mini-2024/index.html",
        "systems/mini-2024/A1.html",
        "systems/mini-2024/A.html",
        "data/all-scores.csv",
        "data/all-scores.json",
        "data/evaluations.csv",
        "source/evaluations/2024-alpha/scores.yaml.html",
        "source/indicators/mini/dimensions.yaml.html",
        "assets/extra.css",
        "assets/resize-observer.js",
    ]
    for ident in ("2023-alpha", "2024-alpha", "2024-beta", "2024-gamma"):
        expected += [
            f"evaluations/{ident}.html",
            f"data/evaluations/{ident}.json",
            f"data/evaluations/{ident}.csv",
        ]
    missing = [rel for rel in expected if not (site / rel).is_file()]
    assert not missing


def test_site_has_no_outside_request_and_no_broken_link(site: Path) -> None:
    assert audit_site(site) == []


def test_evaluation_page_carries_what_the_standard_asks(site: Path) -> None:
    text = _text(site / "evaluations" / "2024-alpha.html")
    for heading in (
        "评价结果与等级",
        "各指标得分",
        "评价机构、项目方与人员",
        "评价目标",
        "评价内容和方法",
        "评价发现",
        "指导意见",
        "评价时间",
        "改进建议",
        "报告提交与结果确认",
        "下载",
    ):
        assert heading in text
    for fact in (
        "89.3",
        "良好",
        "张三",
        "信息系统项目管理师",
        "某大学公共管理学院",
        "2024-12-16",
        "采纳",
        "较上次评价",
        "上升 30.5 分",
        "事项目录比对表",
        "实施清单与省级目录逐项比对一致",
    ):
        assert fact in text, fact


def test_an_unconfirmed_result_is_listed_with_its_status_but_not_ranked(site: Path) -> None:
    page = (site / "rankings" / "mini-2024.html").read_text(encoding="utf-8")
    ranked, unranked = page.rsplit("未参与排名的评价", 1)
    assert "甲市数据资源局" in ranked and "已确认" in ranked and "同组平均" in ranked
    assert "乙县数据资源局" not in ranked and "1（并列）" not in ranked
    assert "乙县数据资源局" in unranked and 'data-state="待确认"' in unranked and "征求意见稿" in unranked


def test_every_summary_table_shows_the_status_beside_the_result(site: Path) -> None:
    pages = ["index.html", "evaluations/index.html", "parties/index.html", "systems/mini-2024/index.html"]
    pages += ["systems/mini-2024/A.html", "rankings/mini-2024.html"]
    pages += [p.relative_to(site).as_posix() for p in (site / "parties").glob("p-*.html")]
    for name in pages:
        html = (site / name).read_text(encoding="utf-8")
        rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
        results = [r for r in rows if re.search(r'href="(\.\./)*(evaluations/)?20\d\d-[a-z]+\.html"', r)]
        assert results, name
        assert all("zwpj-status" in r for r in results), name


def test_evidence_files_are_published_but_not_as_pages(site: Path) -> None:
    files = site / "evaluations" / "2024-alpha" / "files" / "evidence"
    assert (files / "catalogue.csv").is_file()
    rendered = (files / "guide-check.md.html").read_text(encoding="utf-8")
    assert "办事指南逐项检查记录" in rendered and "<script" not in rendered


def test_contact_details_never_reach_the_site(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [c for c in CONTACTS if c in text], path


def test_source_pages_keep_line_numbers_and_hide_contacts(site: Path) -> None:
    page = (site / "source" / "evaluations" / "2024-alpha" / "evaluation.yaml.html").read_text(
        encoding="utf-8"
    )
    source = (FIXTURE / "evaluations" / "2024-alpha" / "evaluation.yaml").read_text(encoding="utf-8")
    assert page.count('class="l" id="L') == len(source.splitlines())
    assert "（不公开）" in page


class _Scan(HTMLParser):
    """Collects scripts, event-handler attributes and javascript: URLs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.scripts: list[str] = []
        self.values: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values.extend(v for _, v in attrs if v)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if value and re.match(r"\s*(javascript|vbscript):", value, re.IGNORECASE):
                self.script_urls.append(value)
        # Data blocks (the calculator's inputs) are never run; their text is checked as JSON instead.
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_never_becomes_markup(site: Path) -> None:
    for path in site.rglob("*.html"):
        scan = _Scan()
        scan.feed(path.read_text(encoding="utf-8"))
        assert not scan.handlers, (path, scan.handlers)
        assert not scan.script_urls, (path, scan.script_urls)
        assert not [s for s in scan.scripts if "alert" in s], path
    page = (site / "evaluations" / "2024-gamma.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    assert '&lt;iframe src="https://evil.example/"&gt;' in page  # shown as text
    scan = _Scan()
    scan.feed(page)
    assert not [v for v in scan.values if "evil.example" in v]  # no element points outside


def test_site_config_is_offline_and_chinese() -> None:
    config = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "repo_url" not in config and "edit_uri" not in config
    assert config["theme"]["language"] == "zh" and config["theme"]["font"] == "false"
    assert "search.highlight" not in config["theme"]["features"], "Material's search script is not used"


def _text(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


def _search_docs(site: Path) -> list[list[str]]:
    """Every document of the site's search index: [address, title, text]."""
    docs = []
    for part in sorted((site / "search" / "d").glob("*.js"), key=lambda p: int(p.stem)):
        text = part.read_text(encoding="utf-8")
        docs += json.loads(text[text.index("[") : text.rindex(")")])
    return docs


def test_search_index_leaves_out_boilerplate_but_keeps_findings(site: Path) -> None:
    docs = _search_docs(site)
    alpha = [d for d in docs if d[0].startswith("evaluations/2024-alpha.html")]
    text = "".join(d[1] + d[2] for d in alpha)
    assert "实施清单与省级目录逐项比对一致" in text  # an evaluator's comment
    assert "计分规则" not in text and "评价工作组" not in text and "<svg" not in text and "\u200b" not in text
    listed = ("rankings/", "evaluations/index", "parties/index", "index.html", "unpublished")
    assert not [d for d in docs if d[0].startswith(listed)]
    assert not (site / "search" / "search_index.json").exists()
