"""Feeds of released evaluations: Atom and JSON Feed 1.1, from the site fixture repository.

The fixture has four evaluations: 2023-alpha (已发布, no publication date written, confirmed
2023-12-27), 2024-alpha (已确认 on 2024-12-27), 2024-beta (已提交, awaiting confirmation) and
2024-gamma (still at 实施评价). Only the first two are released.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from lxml import etree
from test_site import FIXTURE, scored_items

from generator.build.pages import write_pages
from generator.load.repository import load_repository
from generator.load.site import SiteAddress, read_site_address
from generator.render.site.feed import ATOM_NS, entry_id, released_on

A = f"{{{ATOM_NS}}}"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feed-docs")
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, out, reports=False)
    return out


@pytest.fixture(scope="module")
def evaluations() -> dict:
    repo, _ = load_repository(FIXTURE)
    return {e.evaluation.id: e.evaluation for e in repo.evaluations}


def test_atom_feed_is_well_formed_with_required_elements(docs: Path) -> None:
    root = etree.fromstring((docs / "feed.xml").read_bytes())  # raises on malformed XML
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(A + tag) is not None, tag
    assert root.find(f"{A}link[@rel='self']").get("href") == "feed.xml"
    entries = root.findall(A + "entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(A + tag) or "").strip(), tag
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("evaluations/")
        assert entry.findtext(A + "id").startswith("urn:uuid:")
        assert entry.find(A + "author") is not None or root.find(A + "author") is not None


def test_only_released_evaluations_newest_first_with_dates_from_the_records(docs: Path) -> None:
    root = etree.fromstring((docs / "feed.xml").read_bytes())
    entries = root.findall(A + "entry")
    links = [e.find(A + "link").get("href") for e in entries]
    assert links == ["evaluations/2024-alpha.html", "evaluations/2023-alpha.html"]
    assert [e.findtext(A + "updated") for e in entries] == [
        "2024-12-27T00:00:00+08:00",
        "2023-12-27T00:00:00+08:00",
    ]
    assert root.findtext(A + "updated") == "2024-12-27T00:00:00+08:00"
    summary = entries[0].findtext(A + "summary")
    assert "甲市数据资源局" in summary and "等级" in summary


def test_json_feed_has_the_required_fields_of_version_1_1(docs: Path) -> None:
    feed = json.loads((docs / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and isinstance(feed["items"], list)
    assert "home_page_url" not in feed and "feed_url" not in feed  # no site_url: nothing absolute to give
    assert [i["url"] for i in feed["items"]] == ["evaluations/2024-alpha.html", "evaluations/2023-alpha.html"]
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        dt.datetime.fromisoformat(item["date_published"])  # RFC 3339
        assert item["authors"][0]["name"]


def test_feeds_use_site_url_for_links_but_keep_their_ids(tmp_path: Path) -> None:
    items, systems = scored_items()
    site = SiteAddress(url="https://pj.example.gov.cn/zwfw/")
    write_pages(FIXTURE, items, systems, tmp_path, reports=False, site=site)
    root = etree.fromstring((tmp_path / "feed.xml").read_bytes())
    first = root.find(A + "entry")
    assert first.find(A + "link").get("href") == "https://pj.example.gov.cn/zwfw/evaluations/2024-alpha.html"
    assert first.findtext(A + "id") == entry_id(SiteAddress(), "2024-alpha")
    feed = json.loads((tmp_path / "feed.json").read_text(encoding="utf-8"))
    assert feed["feed_url"] == "https://pj.example.gov.cn/zwfw/feed.json"
    assert feed["home_page_url"] == "https://pj.example.gov.cn/zwfw/index.html"


def test_feeds_name_no_outside_host_without_site_url(docs: Path) -> None:
    for name in ("feed.xml", "feed.json"):
        urls = set(re.findall(r"https?://[^\s\"'<>]+", (docs / name).read_text(encoding="utf-8")))
        assert urls <= {"http://www.w3.org/2005/Atom", "https://jsonfeed.org/version/1.1"}, urls


def test_rebuilding_writes_the_same_feed(docs: Path, tmp_path: Path) -> None:
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, tmp_path, reports=False)
    for name in ("feed.xml", "feed.json"):
        assert (tmp_path / name).read_bytes() == (docs / name).read_bytes()


def test_released_on_takes_publication_then_confirmation_date(evaluations: dict) -> None:
    published = evaluations["2023-alpha"]
    assert released_on(published) == dt.date(2023, 12, 27)  # 已发布 without a date: confirmation date
    dated = published.model_copy(update={"published": dt.date(2024, 1, 10)})
    assert released_on(dated) == dt.date(2024, 1, 10)
    assert released_on(evaluations["2024-alpha"]) == dt.date(2024, 12, 27)
    assert released_on(evaluations["2024-beta"]) is None
    assert released_on(evaluations["2024-gamma"]) is None
    objected = evaluations["2024-alpha"].model_copy(
        update={
            "stage": "有异议",
            "confirmation": evaluations["2024-alpha"].confirmation.model_copy(update={"status": "有异议"}),
        }
    )
    assert released_on(objected) is None


def test_site_address_is_read_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: 测试站\nsite_url: !ENV [ZWPJ_SITE, '']\n", encoding="utf-8")
    assert read_site_address(config) == SiteAddress("测试站", None)
    monkeypatch.setenv("ZWPJ_SITE", "https://pj.example.gov.cn/zwfw")
    address = read_site_address(config)
    assert address.url == "https://pj.example.gov.cn/zwfw/"
    assert address.link("feed.xml") == "https://pj.example.gov.cn/zwfw/feed.xml"
