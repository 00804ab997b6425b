"""The calculator panel in headless Chromium, on a page built from a sample evaluation.

A reader changes one observation and the total and grade follow, equal to what the Python scorer
gives for that observation; every control is labelled and reachable by keyboard; the "where one
more point matters" list applies a step; nothing is requested from outside; the page fits a
390-pixel phone. Screenshots at 1280 and 390 pixels go to $ZWPJ_SCREENSHOTS (or a temp folder).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
from buildlib import sample_root
from scoring_cases.build import evaluation, leaf, node, system
from test_calculator_support import LOCAL_ORIGIN, chromium_page, serve

from generator.load.repository import LoadedEvaluation
from generator.pipeline import check
from generator.render.calculator import INPUTS_NAME, SCRIPTS, STATIC, STYLESHEETS, export_inputs, mount_html
from generator.score.aggregate import score_evaluation
from generator.score.rounding import fmt

SAMPLE = "2024-hefei-platform"
CHANGED = ("A1.3", 60)
"""A percent leaf set to its floor: it loses its points and the grade drops a band."""

FOCUSED = "() => document.activeElement.id || document.activeElement.textContent"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    checked = check(sample_root())
    loaded = next(e for e in checked.repo.evaluations if e.evaluation.id == SAMPLE)
    system = checked.repo.system_for(loaded.evaluation)
    measured = checked.measured.get(SAMPLE, {})
    return {
        "document": export_inputs(loaded, system, measured),
        "original": score_evaluation(loaded, system, measured=measured),
        "changed": score_evaluation(_with_observation(loaded, *CHANGED), system, measured=measured),
        "digits": system.system.rounding.total,
    }


def _with_observation(loaded: LoadedEvaluation, ind_id: str, value: Any) -> LoadedEvaluation:
    """The evaluation with one leaf's observation replaced (as a reader would type it)."""
    files = []
    for sf in loaded.score_files:
        found = sf.scores.indicators
        if ind_id in found:
            entries = {**found, ind_id: found[ind_id].model_copy(update={"observation": value})}
            sf = dataclasses.replace(sf, scores=sf.scores.model_copy(update={"indicators": entries}))
        files.append(sf)
    return dataclasses.replace(loaded, score_files=files)


def _site(document: dict[str, Any], *, inline: bool) -> dict[str, tuple[bytes, str]]:
    """A page with the calculator, its assets as separate files, and the JSON beside it."""
    mount = mount_html(document)
    if not inline:
        start, end = mount.index("<script"), mount.index("</script>") + len("</script>")
        mount = mount[:start] + mount[end:]
    head = "".join(f'<link rel="stylesheet" href="assets/{n}">' for n in STYLESHEETS)
    scripts = "".join(f'<script src="assets/{n}"></script>' for n in SCRIPTS)
    page = (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>得分模拟</title>{head}</head>"
        "<body style='font-family: sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem'>"
        f"<main><h2>得分模拟</h2>{mount}</main>{scripts}</body></html>"
    )
    files = {
        f"evaluations/{SAMPLE}/index.html": (page.encode(), "text/html"),
        f"evaluations/{SAMPLE}/{INPUTS_NAME}": (json.dumps(document).encode(), "application/json"),
    }
    for name in (*SCRIPTS, *STYLESHEETS):
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        files[f"evaluations/{SAMPLE}/assets/{name}"] = ((STATIC / name).read_bytes(), kind)
    return files


def _open(page: Any, document: dict[str, Any], *, inline: bool = True) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    serve(page, _site(document, inline=inline))
    page.goto(f"{LOCAL_ORIGIN}evaluations/{SAMPLE}/index.html")
    page.wait_for_selector(".zwpj-whatif__summary strong")
    assert errors == []


def _summary(page: Any) -> str:
    return page.inner_text("[role=status]")


def _shots_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ZWPJ_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("inline", [True, False], ids=["inline-json", "json-beside-page"])
def test_changing_one_observation_updates_total_and_grade(sample: dict[str, Any], inline: bool) -> None:
    original, changed, digits = sample["original"], sample["changed"], sample["digits"]
    assert changed.grade != original.grade, "the chosen change should move the grade"
    with chromium_page() as page:
        _open(page, sample["document"], inline=inline)
        assert f"模拟总分 {fmt(original.total, digits)} 分" in _summary(page)
        field = page.get_by_label("A1.3 依申请政务服务事项网上可办率（%）")
        field.fill(str(CHANGED[1]))
        text = _summary(page)
        assert f"模拟总分 {fmt(changed.total, digits)} 分" in text
        assert f"等级：{changed.grade}" in text and f"原为“{original.grade}”" in text
        assert "已修改" in page.inner_text("#" + field.get_attribute("id") + "-row")
        assert page.outside == []


def test_unfit_value_is_flagged_and_the_last_good_one_kept(sample: dict[str, Any]) -> None:
    with chromium_page() as page:
        _open(page, sample["document"])
        before = _summary(page)
        field = page.get_by_label("A1.3 依申请政务服务事项网上可办率（%）")
        field.fill("120")
        assert field.get_attribute("aria-invalid") == "true"
        assert "应在 0 到 100 之间" in page.inner_text("#" + field.get_attribute("id") + "-problem")
        assert _summary(page) == before


def test_every_control_is_labelled_and_reachable_by_keyboard(sample: dict[str, Any]) -> None:
    with chromium_page() as page:
        _open(page, sample["document"])
        unlabelled = page.evaluate("""() => [
            ...document.querySelectorAll('.zwpj-whatif select, .zwpj-whatif input')
        ].filter((c) => c.labels.length === 0 || !c.labels[0].textContent.trim()).map((c) => c.id)""")
        assert unlabelled == []
        controls = page.evaluate("""() => [...document.querySelectorAll(
            '.zwpj-whatif select, .zwpj-whatif input, .zwpj-whatif button, .zwpj-whatif summary')]
            .filter((c) => c.offsetParent !== null).map((c) => c.id || c.textContent)""")
        reached = set()
        for _ in range(len(controls) + 5):
            page.keyboard.press("Tab")
            reached.add(page.evaluate(FOCUSED))
        assert set(controls) <= reached
        live = page.locator("[role=status]")
        assert live.get_attribute("aria-live") == "polite" and live.get_attribute("aria-atomic") == "true"


def test_applying_the_top_step_raises_the_total_by_its_rise(sample: dict[str, Any]) -> None:
    digits = sample["digits"]
    with chromium_page() as page:
        _open(page, sample["document"])
        assert "null" not in page.inner_text(".zwpj-whatif__steps")
        first = page.locator(".zwpj-whatif__steps li").first
        rise, total = first.get_attribute("data-rise"), first.get_attribute("data-total")
        assert float(rise) > 0
        first.get_by_role("button").click()
        before = fmt(sample["original"].total, digits)
        assert f"模拟总分 {total} 分（原 {before} 分，+{rise}）" in _summary(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_and_no_sideways_scrolling(sample: dict[str, Any], width: int, tmp_path: Path) -> None:
    with chromium_page(width=width, height=1000) as page:
        _open(page, sample["document"])
        page.get_by_label("A1.3 依申请政务服务事项网上可办率（%）").fill(str(CHANGED[1]))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        folder = _shots_folder(tmp_path)
        page.screenshot(path=str(folder / f"whatif-{width}.png"))
        first_group = page.locator(".zwpj-whatif__dimension").first
        first_group.screenshot(path=str(folder / f"whatif-{width}-controls.png"))
        assert (folder / f"whatif-{width}.png").stat().st_size > 10_000


def test_one_step_up_for_every_rule_kind_and_veto_first() -> None:
    levels = {
        "kind": "levels",
        "levels": [{"name": "优", "points": 10}, {"name": "良", "points": 6}, {"name": "差", "points": 0}],
    }
    deduct = {"kind": "deduction", "items": [{"id": "x", "name": "错漏", "points": 1, "cap": 5}]}
    bonus = {"kind": "bonus", "cap": 2, "items": [{"id": "y", "name": "案例", "points": 1, "cap": 2}]}
    happy = {"kind": "satisfaction", "levels": {"满意": 100, "一般": 60, "不满意": 0}}
    percent = {"kind": "ratio", "unit": "percent", "floor": 60, "target": 100}
    days = {"kind": "ratio", "unit": "days", "floor": 20, "target": 5}
    leaves = [
        leaf("a1", 10, levels),
        leaf("a2", 10, {"kind": "binary"}),
        leaf("a3", 10, percent),
        leaf("a4", 10, days),
        leaf("a5", 10, deduct),
        leaf("a6", 0, bonus),
        leaf("a7", 0, {"kind": "veto", "condition": "重大事件"}),
    ]
    loaded = system([node("A", leaves), leaf("B", 50, happy)], bonus_cap=2)
    ev = evaluation(
        {
            "a1": "良",
            "a2": False,
            "a3": 90,
            "a4": 10,
            "a5": {"x": 2},
            "a6": {},
            "a7": True,
            "B": {"满意": 10, "不满意": 10},
        }
    )
    doc = export_inputs(ev, loaded, {})
    with chromium_page() as page:
        _open_blank(page)
        steps = page.evaluate(
            """(doc) => {
            const card = ZwpjWhatIf.scoreEvaluation(doc);
            return ZwpjWhatIfSteps.rankSteps(doc, card).map((s) => [s.id, s.text, s.liftsVeto]);
        }""",
            doc,
        )
    assert steps[0] == ["a7", "消除否决情形", True]
    texts = {i: t for i, t, _ in steps}
    assert texts == {
        "a7": "消除否决情形",
        "a1": "升至“优”",
        "a2": "改为“达标”",
        "a3": "提高 5 个百分点（90% → 95%）",
        "a4": "降低 1 天（10 天 → 9 天）",
        "a5": "少 1 处“错漏”",
        "a6": "多 1 项“案例”",
        "B": "1 条“不满意”评价升为“一般”",
    }


def _open_blank(page: Any) -> None:
    page.set_content("<!doctype html><html lang='zh'><meta charset='utf-8'><title>t</title></html>")
    for name in SCRIPTS:
        page.add_script_tag(path=str(STATIC / name))


def test_a_weight_0_group_is_no_dimension_row_and_its_bonus_is_shown() -> None:
    """A group of bonuses and vetoes carries no points of its own: the table shows the bonus the
    stages counted (here 10 on a base of 88), so the rows add up to the total."""
    ded = {"kind": "deduction", "items": [{"id": "d", "name": "问题", "points": 1, "cap": 100}]}
    bonus = {"kind": "bonus", "cap": 50, "items": [{"id": "award", "name": "奖励", "points": 10, "cap": 50}]}
    veto = {"kind": "veto", "condition": "严重问题"}
    dims = [
        node("D", [leaf("D1", 100, ded)]),
        node("B", [leaf("B1", 0, bonus), leaf("V1", 0, veto)], weight=0),
    ]
    stages = [{"stage": "base"}, {"stage": "bonus", "cap": 30, "when": "base > 80"}, {"stage": "veto"}]
    loaded = system(dims, scale=100, aggregation=stages, grades=[])
    ev = evaluation({"D1": {"d": 12}, "B1": {"award": 1}, "V1": False})
    assert score_evaluation(ev, loaded).total == 98
    with chromium_page() as page:
        _open(page, export_inputs(ev, loaded, {}))
        rows = page.locator(".zwpj-whatif table").first.locator("tbody tr").all_inner_texts()
    cells = [r.split("\t") for r in rows]
    assert [c[0] for c in cells] == ["D 指标D", "加分", "总分"], cells
    assert cells[1][2:4] == ["10.00", "10.00"] and cells[2][2] == "98.0", cells
