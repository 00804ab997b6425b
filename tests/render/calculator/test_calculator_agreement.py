"""The browser scorer (whatif.js in headless Chromium) agrees with the Python scorer, figure for figure.

Every sample evaluation in evaluations/ (the two encoded published methods among them), 400 generated
cases and 300 generated with the later constructs (exact weights, N/A policies, stages, band bounds)
are exported with
``export_inputs``, scored in one ``page.evaluate`` call, and compared exactly with the Python
scorecard: each indicator's status, effective weight, fraction, points, bonus and veto in every
mode, base total, bonus, mode totals, total, grade and vetoes. Rounding and apportioning are
also compared on their own over values chosen to sit on or next to halves.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from typing import Any

import pytest
from buildlib import sample_root
from test_calculator_support import (
    CASES,
    EXTENDED_CASES,
    EXTENDED_SEED,
    JS_FIGURES,
    chromium_page,
    figures,
    first_difference,
    generated_cases,
    load_scorer,
)

from generator.pipeline import check, score_one
from generator.render.calculator import export_inputs
from generator.render.calculator.publish import measured_of
from generator.render.public import public_view
from generator.score.rounding import apportion_exact, round_exact, round_half_up

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
    checked = check(sample_root())
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


def test_extended_cases_agree(page: Any) -> None:
    """Exact-fraction weights (thirds, sevenths, percentages), N/A shared over all applicable leaves,
    methods that round only some steps or none, bands with exclusive bounds or none, conditional
    bonuses, caps, vetoes that fix a grade or a total."""
    cases = generated_cases(EXTENDED_CASES, EXTENDED_SEED, extended=True)
    documents = [export_inputs(c.evaluation, c.system, c.measured) for c in cases]
    wanted = [figures(c.score()) for c in cases]
    _compare([f"extended case {k}" for k in range(len(cases))], wanted, _score_in_browser(page, documents))


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


def _text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def test_rounding_apportioning_and_conversion_agree(page: Any) -> None:
    """Display rounding of doubles, exact rounding and apportioning of fractions, and the double nearest
    to a fraction: the browser gives the same as Python on values chosen on or next to halves."""
    rng = random.Random(7)
    rounds = _near_halves(rng, 20000)
    dens = [1, 2, 3, 7, 8, 40, 86, 999, 10**6]
    fractions = [Fraction(rng.randint(0, 10**9), rng.choice(dens)) for _ in range(5000)]
    fractions += [Fraction(2 * rng.randint(0, 10**5) + 1, 2 * 10 ** rng.randint(0, 4)) for _ in range(3000)]
    fractions += [Fraction(rng.randint(1, 2**80), rng.randint(1, 2**70)) for _ in range(3000)]
    exact_rounds = [[_text(f), rng.randint(0, 4)] for f in fractions]
    shares = []
    for _ in range(3000):
        weights = [
            rng.choice([0, rng.randint(1, 30), Fraction(rng.randint(1, 200), rng.randint(1, 90))])
            for _ in range(rng.randint(1, 6))
        ]
        odd = Fraction(rng.randint(1, 5000), 97)
        total = rng.choice([Fraction(100), Fraction(25), Fraction(333, 10), odd])
        live = sum(Fraction(w) for w in weights if w)
        if live:
            values = [Fraction(w) * total / live for w in weights]
            shares.append([[_text(v) for v in values], _text(total), rng.randint(0, 4)])
    got = page.evaluate(
        """([rounds, exactRounds, fractions, shares]) => {
        const R = ZwpjWhatIfRules, show = (f) => f.n.toString() + "/" + f.d.toString();
        return [
          rounds.map(([x, d]) => R.roundHalfUp(x, d)),
          exactRounds.map(([f, d]) => show(R.roundExact(R.exact(f), d))),
          fractions.map((f) => R.toNumber(R.exact(f))),
          shares.map(([v, t, d]) => R.apportionExact(v.map(R.exact), R.exact(t), d).map(show)),
        ];
    }""",
        [rounds, exact_rounds, [_text(f) for f in fractions], shares],
    )
    assert got[0] == [round_half_up(x, d) for x, d in rounds]
    assert got[1] == [_text(round_exact(Fraction(f), d)) for f, d in exact_rounds]
    assert got[2] == [float(f) for f in fractions]
    want = [
        [_text(x) for x in apportion_exact([Fraction(x) for x in v], Fraction(t), d)] for v, t, d in shares
    ]
    assert got[3] == want
