"""The browser scorer (whatif.js in headless Chromium) agrees with the Python scorer, figure for figure.

Every sample evaluation in evaluations/ and 400 generated cases are exported with
``export_inputs``, scored in one ``page.evaluate`` call, and compared exactly with the Python
scorecard: each indicator's status, effective weight, fraction, points, bonus and veto in every
mode, base total, bonus, mode totals, total, grade and vetoes. Rounding and apportioning are
also compared on their own over values chosen to sit on or next to halves.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest
from test_calculator_support import (
    CASES,
    JS_FIGURES,
    chromium_page,
    figures,
    first_difference,
    generated_cases,
    load_scorer,
)

from generator.pipeline import check, score_one
from generator.process.confidential import public_view
from generator.render.calculator import export_inputs
from generator.render.calculator.publish import measured_of
from generator.score.rounding import apportion, round_half_up

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page() -> Any:
    with chromium_page() as opened:
        load_scorer(opened)
        yield opened


def _score_in_browser(page: Any, documents: list[dict[str, Any]]) -> list[Any]:
    """Score every document in one call; both ways as JSON text, as the page reads it from a file."""
    script = f"""(text) => JSON.stringify(JSON.parse(text).map((doc) => {{
        try {{ return ({JS_FIGURES})(ZwpjWhatIf.scoreEvaluation(doc)); }}
        catch (e) {{ return {{error: String(e && e.message || e)}}; }}
    }}))"""
    return json.loads(page.evaluate(script, json.dumps(documents, ensure_ascii=False)))


def _compare(names: list[str], wanted: list[dict[str, Any]], got: list[Any]) -> None:
    problems = []
    for name, want, found in zip(names, wanted, got, strict=True):
        where = found.get("error") or first_difference(want, found)
        if where:
            problems.append(f"{name}: {where}")
    assert problems == [], "\n".join(problems[:20])


def test_samples_agree(page: Any) -> None:
    checked = check(ROOT)
    names, documents, wanted = [], [], []
    for loaded in checked.repo.evaluations:
        system = checked.repo.system_for(loaded.evaluation)
        if system is None:
            continue
        card = score_one(checked, loaded)
        names.append(loaded.evaluation.id)
        documents.append(export_inputs(loaded, system, checked.measured.get(loaded.evaluation.id, {})))
        # The site exports with the figures kept on the scorecard: the same document.
        assert export_inputs(public_view(loaded), system, measured_of(card)) == documents[-1]
        wanted.append(figures(card))
    assert len(names) >= 3, names
    _compare(names, wanted, _score_in_browser(page, documents))


def test_generated_cases_agree(page: Any) -> None:
    cases = generated_cases()
    assert len(cases) == CASES >= 300
    documents = [export_inputs(c.evaluation, c.system, c.measured) for c in cases]
    wanted = [figures(c.score()) for c in cases]
    _compare([f"case {k}" for k in range(len(cases))], wanted, _score_in_browser(page, documents))


def test_a_changed_figure_is_caught(page: Any) -> None:
    """The comparison is exact: a scorecard differing by one rounding unit does not pass."""
    case = generated_cases(count=1)[0]
    [got] = _score_in_browser(page, [export_inputs(case.evaluation, case.system, case.measured)])
    want = figures(case.score())
    assert first_difference(want, got) is None
    want["total"] = round_half_up(want["total"] + 0.1, 1)
    assert first_difference(want, got) == f".total: {want['total']!r} vs {got['total']!r}"


def _near_halves(rng: random.Random, count: int) -> list[list[Any]]:
    values = []
    for _ in range(count):
        d = rng.randint(0, 6)
        offset = rng.choice([0, 5 * 10 ** -(d + 1), 1e-10, -1e-10])
        near = rng.randint(0, 10**6) / 10 ** rng.randint(0, 6) + offset
        product = rng.randint(1, 40) * rng.randint(0, 999) / 40
        values.append([rng.choice([near, rng.uniform(0, 200), product]), d])
    return values


def test_rounding_and_apportioning_agree(page: Any) -> None:
    rng = random.Random(7)
    rounds = _near_halves(rng, 20000)
    shares = []
    for _ in range(3000):
        weights = [rng.choice([0, rng.randint(1, 30), rng.uniform(0, 20)]) for _ in range(rng.randint(1, 6))]
        total, live = rng.choice([100, 25, 33.3, rng.uniform(1, 50)]), sum(w for w in weights if w > 0)
        if live:
            shares.append([[w * (total / live) for w in weights], total, rng.randint(0, 4)])
    got = page.evaluate("""([rounds, shares]) => [
        rounds.map(([x, d]) => ZwpjWhatIfRules.roundHalfUp(x, d)),
        shares.map(([v, t, d]) => ZwpjWhatIfRules.apportion(v, t, d))]""", [rounds, shares])
    assert got[0] == [round_half_up(x, d) for x, d in rounds]
    assert got[1] == [apportion(v, t, d) for v, t, d in shares]


def _sum_312(items: Any, start: Any = 0) -> Any:
    """sum() as CPython 3.12+ computes it (Python/bltinmodule.c, builtin_sum_impl): exact ints first,
    then floats with Neumaier's compensation; ints met on the float path are added uncompensated."""
    values = list(items)
    result, k = start, 0
    while k < len(values) and type(result) is int and type(values[k]) in (int, bool):
        result, k = result + values[k], k + 1
    if k < len(values) and type(result) is int:
        result, k = result + values[k], k + 1
    if type(result) is not float:
        return sum(values[k:], result)
    total, compensation = result, 0.0
    for x in values[k:]:
        if type(x) is int:
            total += float(x)
            continue
        t = total + x
        compensation += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
        total = t
    return total + compensation if compensation and math.isfinite(compensation) else total


def test_generated_cases_agree_under_compensated_sums(page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site built with Python 3.12+ (whose sum() compensates) still agrees with the browser."""
    from generator.render.calculator import export
    from generator.score import engine, raters, rules

    cases = generated_cases()
    plain = [figures(c.score()) for c in cases]
    for module in (engine, raters, rules):
        monkeypatch.setattr(module, "sum", _sum_312, raising=False)
    monkeypatch.setattr(export, "FLOAT_SUM", "compensated")
    documents = [export_inputs(c.evaluation, c.system, c.measured) for c in cases]
    wanted = [figures(c.score()) for c in cases]
    assert sum(a != b for a, b in zip(plain, wanted, strict=True)) > 0, "the two summations never differ"
    _compare([f"case {k}" for k in range(len(cases))], wanted, _score_in_browser(page, documents))
