"""Accessibility of the built sample site in Debian's Chromium: axe-core, keyboard, text size.

The sample repository is built once for the module (about ten seconds). Each page type is audited
with axe-core (bundled by ``axe-playwright-python``) at desktop and phone widths in the light
scheme and at desktop width in the dark one, with every collapsed section open; the test fails on
any serious or critical finding and names them all. A keyboard reader tabs through a whole
evaluation page: the search box, the calculator's switch and its inputs and every other visible
control must come up. Screenshots go to ``$ZWPJ_SCREENSHOTS`` (default: a temporary folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import serve_folder
from buildlib import sample_root

from generator.build.runner import build
from generator.load.repository import load_repository

pytestmark = pytest.mark.browser

EVALUATION = "evaluations/2024-hefei-platform.html"
"""An evaluation page with the calculator, rectification tracking and narrative."""
SECOND_SYSTEM = "evaluations/2024-bozhou-haochaping.html"
"""An evaluation under the other sample system (satisfaction rules)."""
BLOCKING = {"serious", "critical"}
VIEWS = {"desktop": (1280, "light"), "phone": (390, "light"), "dark": (1280, "dark")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("a11y")
    result = build(sample_root(), docs_dir=out / "docs", site_dir=out / "site", reports=False)
    assert result.site is not None, [str(d) for d in result.diagnostics]
    assert result.problems == []
    return result.site


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


def page_types(site: Path) -> dict[str, str]:
    """One page of each type, found in the built site (party and ranking names are hashes/years)."""
    party = sorted((site / "parties").glob("p-*.html"))[0]
    ranking = sorted(p for p in (site / "rankings").glob("*.html") if p.name != "index.html")[0]
    system = sorted((site / "systems").glob("*/index.html"))[0]
    indicator = sorted(p for p in system.parent.glob("*.html") if p.name != "index.html")[-1]
    source = sorted((site / "source" / "evaluations").rglob("*.html"))[0]
    evidence = sorted(site.glob("evaluations/*/files/**/*.md.html"))[0]
    found = {
        "home": "index.html",
        "evaluation": EVALUATION,
        "evaluation-other-system": SECOND_SYSTEM,
        "system": system,
        "indicator": indicator,
        "ranking": ranking,
        "party": party,
        "search": "index.html",
        "source": source,
        "evidence": evidence,
    }
    return {k: v if isinstance(v, str) else v.relative_to(site).as_posix() for k, v in found.items()}


PAGE_TYPES = (
    "home",
    "evaluation",
    "evaluation-other-system",
    "system",
    "indicator",
    "ranking",
    "party",
    "search",
    "source",
    "evidence",
)
"""Page types; source and evidence pages are plain pages outside the theme, linked from every score."""


def open_page(browser: Any, url: str, view: str) -> Any:
    """A fresh context at the view's width and colour scheme, with ``url`` loaded and settled."""
    width, scheme = VIEWS[view]
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, locale="zh-CN"
    )
    page = context.new_page()
    page.hosts = set()
    page.on("request", lambda r: page.hosts.add(urlsplit(r.url).hostname))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def search_for(page: Any, word: str) -> None:
    """Open the search (the header button on a phone) and wait for results."""
    box = page.locator("input.md-search__input")
    if page.viewport_size["width"] < 960:  # below 60em the theme shows a search button instead
        page.locator("label.md-header__button[for='__search']").click()
    else:
        box.click()
    box.fill(word)
    box.press("End")  # the search listens for key presses, as an input method commits text with one
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    settle(page)


def settle(page: Any) -> None:
    """Wait for fades to end: axe measures colours as they are at that moment."""
    page.wait_for_timeout(100)
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def open_everything(page: Any) -> None:
    """Open every collapsed section (the calculator among them) so axe sees all content."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    settle(page)


def blocking(results: Any) -> list[str]:
    """Serious and critical findings, one line per element."""
    return [
        f"{v['id']} ({v['impact']}) {n['target']}: {n['failureSummary'].splitlines()[-1].strip()}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_nothing_serious(browser: Any, server: str, site: Path, kind: str, view: str) -> None:
    page = open_page(browser, server + page_types(site)[kind], view)
    if kind not in {"source", "evidence"}:
        expected_scheme = "slate" if VIEWS[view][1] == "dark" else "default"
        assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected_scheme
    if kind == "search":
        search_for(page, "合肥")
    else:
        open_everything(page)
    found = blocking(Axe().run(page))
    assert found == [], "\n".join(found)
    assert page.hosts == {"127.0.0.1"}
    page.context.close()


def test_every_chart_of_the_sample_has_a_data_table(site: Path) -> None:
    from test_a11y_static import chart_problems

    assert chart_problems(site) == []


def _tab_through(page: Any, *, open_calculator: bool, limit: int = 3000) -> list[dict[str, Any]]:
    """Press Tab from the top until focus comes round again; returns each focused element once.

    When the calculator's switch gets focus, Enter opens it, as a keyboard reader would.
    """
    mark = """() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const again = e.dataset.zwTab !== undefined;
        if (!again) e.dataset.zwTab = String(document.querySelectorAll('[data-zw-tab]').length);
        return {again, n: +e.dataset.zwTab, tag: e.tagName.toLowerCase(), cls: String(e.className),
                calc: !!e.closest('.zwpj-whatif'),
                switch: e.tagName === 'SUMMARY' && !!e.parentElement.querySelector('.zwpj-whatif')};
    }"""
    order: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(mark)
        if focused is None:
            if order:
                break
            continue
        if focused["again"]:
            break
        order.append(focused)
        if focused["switch"] and open_calculator:
            page.keyboard.press("Enter")
            page.wait_for_selector(".zwpj-whatif__summary strong")
    return order


UNREACHED = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter((e) => !e.disabled && e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true})
                   && e.dataset.zwTab === undefined)
    .filter((e) => !(e.type === 'radio' && e.form  // a radio group is one Tab stop
                     && [...e.form.elements].some((o) => o.name === e.name && o.dataset.zwTab)))
    .map((e) => e.outerHTML.slice(0, 120))"""
"""Visible controls that Tab never reached (a radio group is one Tab stop: its other buttons are
reached with the arrow keys, as in every browser)."""


def test_keyboard_reaches_search_calculator_and_every_control(browser: Any, server: str) -> None:
    page = open_page(browser, server + EVALUATION, "desktop")
    order = _tab_through(page, open_calculator=True)
    search = next(i for i, f in enumerate(order) if "md-search__input" in f["cls"])
    switch = next(i for i, f in enumerate(order) if f["switch"])
    assert search < switch
    assert order[switch + 1]["calc"], "Tab after opening the calculator goes into it"
    inputs = [f for f in order if f["calc"] and f["tag"] in {"input", "select"}]
    assert len(inputs) >= 10
    assert page.evaluate(UNREACHED) == []
    page.context.close()


def test_phone_keyboard_reaches_every_visible_control(browser: Any, server: str) -> None:
    page = open_page(browser, server + EVALUATION, "phone")
    order = _tab_through(page, open_calculator=True)
    assert any(f["calc"] and f["tag"] == "input" for f in order)
    assert page.evaluate(UNREACHED) == []
    page.context.close()


def test_grades_in_the_calculator_are_written_out(browser: Any, server: str) -> None:
    repo, _ = load_repository(sample_root())
    names = {g.name for s in repo.systems.values() for g in s.system.grades}
    page = open_page(browser, server + EVALUATION, "desktop")
    page.locator("details:has(.zwpj-whatif) > summary").click()
    page.wait_for_selector(".zwpj-whatif__summary strong")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('[class*=zwpj-grade]')].map((e) => e.textContent)"
    )
    assert shown and all(any(name in text for name in names) for text in shown), shown
    page.context.close()


def test_text_size_button_enlarges_text_and_is_remembered(browser: Any, server: str) -> None:
    page = open_page(browser, server + "index.html", "desktop")
    size = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    before = page.evaluate(size)
    assert before >= 17, "body text is at least 17 px for older readers"
    button = page.get_by_role("button", name="大字")
    button.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(size) >= before * 1.2
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(size) >= before * 1.2
    page.get_by_role("button", name="大字").click()
    assert page.evaluate(size) == before
    page.context.close()


def test_home_page_links_the_feeds(browser: Any, server: str) -> None:
    page = open_page(browser, server + "index.html", "desktop")
    links = page.evaluate(
        "() => [...document.querySelectorAll('link[rel=alternate]')].map((l) => [l.type, l.href])"
    )
    assert [t for t, _ in links] == ["application/atom+xml", "application/feed+json"]
    for _, href in links:
        assert page.request.get(href).ok
    page.context.close()


def test_badge_text_fits_its_halves(browser: Any, server: str, site: Path) -> None:
    """The badge's widths are estimated in Python; the browser's fonts must fit inside them."""
    page = open_page(browser, server + "index.html", "desktop")
    for badge in sorted((site / "badges").glob("*.svg")):
        page.goto(server + badge.relative_to(site).as_posix())
        fits = page.evaluate("""() => {
            const texts = [...document.querySelectorAll('text')];
            const width = +document.documentElement.getAttribute('width');
            const split = +document.querySelectorAll('rect')[1].getAttribute('x');
            return texts.map((t, i) => {
                const x = +t.getAttribute('x'), w = t.getComputedTextLength();
                return x + w <= (i === 0 ? split : width) - 2;
            });
        }""")
        assert fits == [True, True], badge.name
    page.context.close()


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_screenshots_of_badge_and_calculator(
    browser: Any, server: str, site: Path, shots: Path, view: str
) -> None:
    width = VIEWS[view][0]
    page = open_page(browser, server + page_types(site)["party"], view)
    badge = page.locator("img[src*='badges/']")
    assert badge.is_visible() and badge.evaluate("(img) => img.naturalWidth") > 100
    page.screenshot(path=str(shots / f"party-badge-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.goto(server + EVALUATION)
    page.locator("details:has(.zwpj-whatif) > summary").click()
    page.wait_for_selector(".zwpj-whatif__summary strong")
    first = page.locator(".zwpj-whatif input[type=number]").first
    first.fill("60")
    page.locator(".zwpj-whatif").scroll_into_view_if_needed()
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"evaluation-calculator-{width}.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.context.close()
