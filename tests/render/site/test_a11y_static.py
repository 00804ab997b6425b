"""Accessibility facts checked in the built fixture site's HTML, without a browser.

Every chart has a text alternative: a data table after it, in the same section, holding each
label and each value the chart draws. The search dialog is named, the feeds are linked from every
page, badges and feeds ship with the site, and the site audit still finds no outside request.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html
from test_site import build_fixture_site

from generator.render.site.audit import audit_site

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("a11y-static"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _section_tables(figure: html.HtmlElement) -> list[html.HtmlElement]:
    """Tables after ``figure`` up to the next h1/h2: the part of the page the chart belongs to."""
    tables = []
    for sibling in figure.itersiblings():
        if sibling.tag in {"h1", "h2"}:
            break
        tables += [sibling] if sibling.tag == "table" else sibling.findall(".//table")
    return tables


def _drawn(figure: html.HtmlElement) -> tuple[list[str], list[str]]:
    """(labels, values) a chart draws; radar values are rounded percentages, so they are left out."""
    svg = figure.find(".//svg")
    kind = svg.get("class")
    texts = [t for t in svg.iter() if t.tag in {"text", SVG_TEXT}]
    labels = [t.text_content() for t in texts if not t.get("class")]
    if kind == "bars":  # labels are shortened; each bar's title has the full name
        labels = [g.find("title").text_content().rsplit("：", 1)[0] for g in svg.iter("g")]
    values = [] if kind == "radar" else [t.text_content() for t in texts if t.get("class") == "value"]
    return labels, values


def chart_problems(site: Path) -> list[str]:
    """Charts without a table after them, or whose labels or values the table does not hold."""
    problems = []
    for path in sorted(site.rglob("*.html")):
        page = html.fromstring(path.read_bytes())
        for figure in page.xpath("//figure[contains(@class, 'chart')]"):
            where = f"{path.relative_to(site)}: {figure.findtext('.//figcaption')}"
            tables = _section_tables(figure)
            if not tables:
                problems.append(f"{where}: no table")
                continue
            text = _squash(" ".join(t.text_content() for t in tables))
            labels, values = _drawn(figure)
            problems += [
                f"{where}: '{s}' not in the table" for s in labels + values if _squash(s) not in text
            ]
    return problems


def test_every_chart_has_a_data_table_with_its_figures(site: Path) -> None:
    assert len(list(site.rglob("*.html"))) > 10
    charts = sum(len(html.fromstring(p.read_bytes()).xpath("//figure")) for p in site.rglob("*.html"))
    assert charts >= 8
    assert chart_problems(site) == []


def test_chart_check_notices_a_missing_table(site: Path, tmp_path: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    start = page.index("<table", page.index('class="chart"'))
    stripped = page[:start] + page[page.index("</table>", start) + len("</table>") :]
    (tmp_path / "index.html").write_text(stripped, encoding="utf-8")
    assert chart_problems(tmp_path)


def test_every_page_names_the_search_dialog_and_links_the_feeds(site: Path) -> None:
    for rel in ("index.html", "evaluations/2024-alpha.html", "systems/mini-2024/A1.html"):
        page = html.fromstring((site / rel).read_bytes())
        assert page.xpath("//div[@role='dialog'][contains(@class, 'md-search')]/@aria-label") == ["搜索"]
        feeds = page.xpath("//link[@rel='alternate']")
        assert [f.get("type") for f in feeds] == ["application/atom+xml", "application/feed+json"]
        root = "../" * rel.count("/")
        assert [f.get("href") for f in feeds] == [root + "feed.xml", root + "feed.json"]


def test_grades_in_tables_are_text(site: Path) -> None:
    page = html.fromstring((site / "parties/index.html").read_bytes())
    grades = [row.findall("td")[-1].text_content().strip() for row in page.xpath("//table//tr[td]")]
    assert grades and all(grades)


def test_badges_feeds_and_theme_files_pass_the_site_audit(site: Path) -> None:
    for rel in ("feed.xml", "feed.json", "assets/a11y.css", "assets/a11y.js"):
        assert (site / rel).is_file(), rel
    assert len(list((site / "badges").glob("*.svg"))) == 3
    assert audit_site(site) == []
