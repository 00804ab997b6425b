"""The fixture site in a real browser (Debian's Chromium through Playwright): what a reader sees.

Every request the pages make is recorded; anything not to the local test server fails the test.
Screenshots at desktop (1280 px) and phone (390 px) widths go to ``ZWPJ_SCREENSHOTS`` (default:
a temporary folder) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import serve_folder
from test_site import build_fixture_site

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_fixture_site(tmp_path_factory.mktemp("browser"))
    with serve_folder(site) as url:
        yield url


class Reader:
    """A browser page that records every host it contacts and every dialog a script opens."""

    def __init__(self, browser: object, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).hostname or r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_home_page(browser: object, server: str, shots: Path, device: str) -> None:
    reader = Reader(browser, WIDTHS[device])
    page = reader.page
    page.goto(server + "index.html")
    assert "服务质量评价结果公开" in page.locator("h1").inner_text()
    assert page.locator("table a[href$='2024-alpha.html']").count() == 1
    assert page.locator("figure.chart svg[role=img]").count() == 1
    page.screenshot(path=str(shots / f"home-{device}.png"), full_page=True)
    assert reader.hosts == {"127.0.0.1"} and not reader.dialogs
    reader.close()


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_evaluation_page(browser: object, server: str, shots: Path, device: str) -> None:
    reader = Reader(browser, WIDTHS[device])
    page = reader.page
    page.goto(server + "evaluations/2024-alpha.html")
    assert page.locator("h1").inner_text().startswith("2024年度甲市")
    summary = page.locator("table").first.inner_text()
    assert "89.3" in summary and "良好" in summary
    radar = page.locator("svg.radar")
    assert radar.is_visible() and radar.bounding_box()["width"] > 150
    page.screenshot(path=str(shots / f"evaluation-{device}.png"), full_page=True)
    source = page.locator("a[href*='source/evaluations/2024-alpha/scores.yaml.html#L']").first
    source.click()
    page.wait_for_load_state()
    assert page.url.split("#")[1].startswith("L") and page.locator(":target").count() == 1
    page.screenshot(path=str(shots / f"source-{device}.png"))
    assert reader.hosts == {"127.0.0.1"} and not reader.dialogs
    reader.close()


def test_hostile_evaluation_runs_no_script(browser: object, server: str, shots: Path) -> None:
    reader = Reader(browser, WIDTHS["desktop"])
    reader.page.goto(server + "evaluations/2024-gamma.html")
    reader.page.wait_for_timeout(300)
    assert reader.page.locator("[href^='javascript' i], [src^='javascript' i]").count() == 0
    assert "<script>alert(1)</script>" in reader.page.locator("h1").inner_text()
    reader.page.screenshot(path=str(shots / "hostile-desktop.png"), full_page=True)
    assert not reader.dialogs and reader.hosts == {"127.0.0.1"}
    reader.close()


@pytest.mark.parametrize(
    ("word", "expected"), [("预算", "2024-alpha.html"), ("乡镇便民服务中心", "2024-beta.html")]
)
def test_chinese_search_finds_the_right_page(
    browser: object, server: str, shots: Path, word: str, expected: str
) -> None:
    reader = Reader(browser, WIDTHS["desktop"])
    page = reader.page
    page.goto(server + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(word)
    search.press("End")  # an input method commits Chinese text with a key press; the search listens for keyup
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    hrefs = [a.get_attribute("href") or "" for a in results.all()]
    assert hrefs and urlsplit(hrefs[0]).path.endswith(expected), hrefs
    page.screenshot(path=str(shots / f"search-{expected.removesuffix('.html')}-desktop.png"))
    assert reader.hosts == {"127.0.0.1"} and not reader.dialogs
    reader.close()
